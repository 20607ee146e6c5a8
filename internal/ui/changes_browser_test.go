package ui_test

import (
	"context"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/coventry-cap/capportal/internal/auth"
	"github.com/coventry-cap/capportal/internal/browsertest"
	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/placement"
	"github.com/coventry-cap/capportal/internal/placement/placementtest"
	"github.com/coventry-cap/capportal/internal/testapp"
)

// chBrowser is a browser signed in and out as the journey needs, with axe on every page.
func chBrowser(t *testing.T, a *testapp.App) (*browsertest.Browser, func(email string)) {
	b := browsertest.New(t)
	if os.Getenv("CAP_SCREENSHOTS") == "" {
		b.ScreenshotDir = t.TempDir()
	}
	signedIn := false
	as := func(email string) {
		if signedIn {
			b.Submit("[data-testid=sign-out]")
		}
		b.Visit(a.URL + "/login")
		b.Fill("#email", email)
		b.Fill("#password", testapp.Password)
		b.Submit("form[action='/login'] button")
		signedIn = true
	}
	return b, as
}

// chRegisterHas reports whether the student is in the provider's register of the day and session.
func chRegisterHas(t *testing.T, a *testapp.App, provider string, day calendar.Date, s placement.Session, name string) bool {
	t.Helper()
	ctx := context.Background()
	var providerID, staffID int64
	if err := a.Pool.QueryRow(ctx, `SELECT o.id, u.id FROM organisations o JOIN memberships m ON m.organisation_id = o.id JOIN users u ON u.id = m.user_id
		WHERE o.slug = $1 AND m.role = 'provider_staff' ORDER BY u.id LIMIT 1`, provider).Scan(&providerID, &staffID); err != nil {
		t.Fatal(err)
	}
	p, err := auth.On(a.Pool).LoadPrincipal(ctx, staffID)
	if err != nil {
		t.Fatal(err)
	}
	reg, err := placement.Store{DB: a.Pool, Clock: a.Clock}.Register(ctx, placement.Actor{Principal: p}, providerID, day, s)
	if err != nil {
		t.Fatal(err)
	}
	return slices.ContainsFunc(reg.Lines, func(l placement.RegisterLine) bool { return l.Placement.StudentName == name })
}

// In a real browser, with axe on every page: a change of day through the seven steps. The provider
// identifies the need and records the impact (1, 2); the school cannot submit before both sides agree,
// then both agree (3) and the school submits (4); CAP finds it in its queue with the due day (5),
// applies it from a date (6) and it is confirmed to both sides (7). The next register follows the new
// days.
func TestAChangeOfDayThroughTheSevenStepsInABrowser(t *testing.T) {
	a := testapp.New(t) // Monday 23 November 2026
	kai := placementtest.Create(t, a.Pool, placementtest.Spec{Student: "Kai", Provider: "ridgeway", Start: chDay(2026, time.November, 2), Days: []int32{1, 2}})
	b, as := chBrowser(t, a)

	// Steps 1 and 2: the provider asks, with the impact considered.
	as(chRidgeway)
	b.Visit(a.URL + "/placements/" + strconv.FormatInt(kai, 10) + "/change-of-day")
	b.Screenshot("change-of-day-new")
	b.SetChecked("#days", false)   // Monday
	b.SetChecked("#days-2", false) // Tuesday
	b.SetChecked("#days-3", true)  // Wednesday
	b.SetChecked("#days-4", true)  // Thursday
	b.SetChecked("#sessions-2", false)
	b.Fill("#reason", "The Tuesday motor vehicle group has moved to Wednesdays and Thursdays.")
	b.Submit("#main-content form button[type=submit]")
	if b.Status() != 422 || !strings.Contains(b.Text(".govuk-error-summary"), "Enter the impact you considered") {
		t.Fatalf("without the impact: %d %q", b.Status(), b.Text(".govuk-error-summary"))
	}
	b.Fill("#impact", "Kai keeps his English lessons at school on Tuesdays; the new group is smaller and calmer.")
	b.Submit("#main-content form button[type=submit]")
	if !strings.Contains(b.Text(".govuk-notification-banner"), "Change of day request started") {
		t.Fatalf("after starting: %q", b.Text(".govuk-notification-banner"))
	}
	request := b.URL()
	b.Submit("#agree-provider")
	if !strings.Contains(b.Text("[data-testid=agreements]"), "Agreed by Craig Holloway") {
		t.Fatalf("the provider's agreement: %q", b.Text("[data-testid=agreements]"))
	}

	// Steps 3 and 4: the school's submission is refused until it agrees too.
	as(chCoordinator)
	b.Visit(request)
	b.Submit("#submit-request")
	if b.Status() != 422 || !strings.Contains(b.Text(".govuk-error-summary"), "until the school has agreed") {
		t.Fatalf("submitted before the school agreed: %d %q", b.Status(), b.Text(".govuk-error-summary"))
	}
	b.Submit("#agree-school")
	b.Submit("#submit-request")
	if !strings.Contains(b.Text(".govuk-notification-banner"), "Submitted to CAP: due by 25 November 2026") {
		t.Fatalf("after submitting: %q", b.Text(".govuk-notification-banner"))
	}
	b.Screenshot("change-of-day-submitted")

	// Steps 5 to 7: CAP's queue, then applying it from Wednesday.
	as(chAdmin)
	b.Visit(a.URL + "/changes")
	if got := b.Text("[data-testid=queue]"); !strings.Contains(got, "Kai Adeyemi-Brown") || !strings.Contains(got, "25 November 2026") {
		t.Fatalf("CAP's queue: %q", got)
	}
	b.Screenshot("change-of-day-queue")
	b.ClickAndWait("[data-testid=queue] tbody a")
	b.Fill("#from-day", "25")
	b.Fill("#from-month", "11")
	b.Fill("#from-year", "2026")
	b.Submit("#apply-change")
	if !strings.Contains(b.Text(".govuk-notification-banner"), "applied from 25 November 2026 and confirmed") {
		t.Fatalf("after applying: %q", b.Text(".govuk-notification-banner"))
	}
	if got := b.Text("[data-testid=request-steps]"); strings.Contains(got, "To do") || strings.Count(got, "Done") != 7 {
		t.Errorf("the seven steps: %q", got)
	}
	b.Screenshot("change-of-day-applied")
	// The registers follow the new days from Wednesday: Tuesday's (before the date) keeps the old days,
	// Wednesday's morning register has Kai and its afternoon does not, and next Monday's neither.
	for _, c := range []struct {
		day     calendar.Date
		session placement.Session
		want    bool
	}{
		{chDay(2026, time.November, 24), placement.Afternoon, true},
		{chDay(2026, time.November, 25), placement.Morning, true},
		{chDay(2026, time.November, 25), placement.Afternoon, false},
		{chDay(2026, time.November, 26), placement.Morning, true},
		{chDay(2026, time.November, 30), placement.Morning, false},
	} {
		if got := chRegisterHas(t, a, "ridgeway", c.day, c.session, "Kai Adeyemi-Brown"); got != c.want {
			t.Errorf("%s %s %s register: Kai %v, want %v", c.day.Weekday(), c.day, c.session, got, c.want)
		}
	}
}

// In a real browser, with axe on every page: a provider's withdrawal is refused until the meeting
// with CAP and the school is recorded; then CAP ends the placement from the last day, and the outcome
// and the other pages of changes and endings pass axe.
func TestAProvidersWithdrawalInABrowser(t *testing.T) {
	a := testapp.New(t)
	kai := placementtest.Create(t, a.Pool, placementtest.Spec{Student: "Kai", Provider: "ridgeway", Start: chDay(2026, time.November, 2), Days: []int32{1, 2}})
	tyler := placementtest.Create(t, a.Pool, placementtest.Spec{Student: "Tyler", Provider: "ridgeway", Start: chDay(2026, time.November, 2), Days: []int32{3}})
	b, as := chBrowser(t, a)
	id := strconv.FormatInt(kai, 10)

	as(chRidgeway)
	b.Visit(a.URL + "/placements/" + id + "/withdraw")
	b.Fill("#reason", "Kai has not attended since half term.")
	b.Fill("#impact", "He would lose his vocational hours; the school will offer catch-up.")
	b.Submit("#main-content form button[type=submit]")
	b.Submit("#submit-request")
	if b.Status() != 422 || !strings.Contains(b.Text(".govuk-error-summary"), "Record the meeting with CAP and the school before you submit the withdrawal") {
		t.Fatalf("submitted before the meeting: %d %q", b.Status(), b.Text(".govuk-error-summary"))
	}
	b.Screenshot("withdrawal-refused")
	b.Fill("#held-day", "20")
	b.Fill("#held-month", "11")
	b.Fill("#held-year", "2026")
	b.Fill("#attendees", "Craig Holloway (Ridgeway), Hannah Okafor (Whitmore), a CAP Monitoring Officer")
	b.Fill("#notes", "Agreed the placement is not meeting his needs.")
	b.Submit("#record-meeting")
	b.Submit("#submit-request")
	if !strings.Contains(b.Text(".govuk-notification-banner"), "Submitted to CAP: due by 30 November 2026") {
		t.Fatalf("after the meeting: %q", b.Text(".govuk-notification-banner"))
	}
	request := b.URL()
	b.Visit(a.URL + "/withdrawals")

	as(chAdmin)
	b.Visit(request)
	b.Fill("#last-day", "27")
	b.Fill("#last-month", "11")
	b.Fill("#last-year", "2026")
	b.Submit("#process-withdrawal")
	if !strings.Contains(b.Text(".govuk-notification-banner"), "the last day is 27 November 2026") {
		t.Fatalf("after processing: %q", b.Text(".govuk-notification-banner"))
	}
	if chRegisterHas(t, a, "ridgeway", chDay(2026, time.November, 30), placement.Morning, "Kai Adeyemi-Brown") {
		t.Error("Kai is in a register after his last day")
	}
	b.Visit(a.URL + "/placements/" + id + "/outcome")
	b.Fill("#name", "Award in Vehicle Maintenance")
	b.Fill("#level", "Entry Level 3")
	b.Submit("#add-qualification")
	// The rest of the pages, for axe: CAP's queues, a Year 11 outcome with its destination, the
	// NEET-risk list, the census.
	b.Visit(a.URL + "/withdrawals?all=1")
	b.Visit(a.URL + "/changes")
	b.Visit(a.URL + "/placements/" + strconv.FormatInt(tyler, 10) + "/outcome")
	b.SetChecked("#outcome", true)
	b.Submit("#record-outcome")
	if b.Status() != 422 {
		t.Errorf("an outcome without the last day: %d", b.Status())
	}
	b.Visit(a.URL + "/neet-risk")
	b.Visit(a.URL + "/census")

	as(chCoordinator)
	var student int64
	if err := a.Pool.QueryRow(context.Background(), `SELECT student_id FROM placements WHERE id = $1`, tyler).Scan(&student); err != nil {
		t.Fatal(err)
	}
	b.Visit(a.URL + "/students/" + strconv.FormatInt(student, 10) + "/hours")
	b.Fill("#home", "12")
	b.Submit("#save-hours")
	if b.Status() != 422 || !strings.Contains(b.Text(".govuk-error-summary"), "part-time timetable") {
		t.Errorf("part-time without a review date: %d %q", b.Status(), b.Text(".govuk-error-summary"))
	}
	b.Visit(a.URL + "/students/" + strconv.FormatInt(student, 10) + "/destination")
	b.Submit("#main-content form button[type=submit]")
	if b.Status() != 422 {
		t.Errorf("a destination with nothing chosen: %d", b.Status())
	}
	b.Visit(a.URL + "/census")
	b.Select("#reason-"+strconv.FormatInt(tyler, 10), "BEH")
	b.Select("#association-"+strconv.FormatInt(tyler, 10), "SNG")
	b.Submit("#save-census")
	b.Visit(a.URL + "/neet-risk")
	b.Visit(a.URL + "/changes")
}
