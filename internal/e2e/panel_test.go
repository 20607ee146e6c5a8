package e2e_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/coventry-cap/capportal/internal/browsertest"
	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/testapp"
)

const (
	panelChair       = "panel@cap.example"                   // Gareth Llewellyn
	panelLead        = "lead@cap.example"                    // Fiona Castleton
	panelHeadteacher = "headteacher@whitmore.school.example" // Rachel Thornbury, from the referring school
	panelAcademy     = "staff@capa.provider.example"
)

// panelOn moves the portal's clock to 10:00 on the day.
func panelOn(a *testapp.App, d calendar.Date) {
	a.Clock.Set(d.In(calendar.London()).Add(10 * time.Hour))
}

// panelMeeting schedules a round's panel through the meeting form: the day, who attended (the
// attendance checkboxes in name order: Fiona Castleton, Gareth Llewellyn, Rachel Thornbury) and the chair.
func panelMeeting(t *testing.T, a *testapp.App, b *browsertest.Browser, round int64, panel string, d calendar.Date, chair string, attendees ...string) {
	t.Helper()
	b.Visit(a.URL + "/panels/rounds/" + strconv.FormatInt(round, 10) + "/" + panel + "/meeting")
	b.Fill("#date-day", strconv.Itoa(d.Time().Day()))
	b.Fill("#date-month", strconv.Itoa(int(d.Time().Month())))
	b.Fill("#date-year", strconv.Itoa(d.Time().Year()))
	for _, id := range attendees {
		b.SetChecked(id, true)
	}
	b.Select("#chair", chair)
	b.Submit("#main-content form[method=post] button[type=submit]")
	if b.Status() != 200 || !strings.Contains(b.Text(".govuk-notification-banner"), "saved") {
		t.Fatalf("scheduling the %s: %d %q", panel, b.Status(), b.Text("main"))
	}
}

// A coordinator submits a Refocus referral and sees which panels decide it; CAP adds it to the agenda
// and schedules the meetings; the Review and Authorisation Panel's chair approves it (the headteacher
// from the referring school is kept out of the decision); the Multi-Agency Panel agrees; CAP shares
// the outcome letters; Coventry AP Academy onboards the student into Cohort 2; the coordinator reads
// the outcome letter. axe checks every page the browser visits.
func TestRefocusReferralFromSubmissionThroughBothPanelsIntoACohort(t *testing.T) {
	a := testapp.New(t)
	b := newBrowser(t)
	student := refID(t, a, `SELECT id FROM students WHERE upn = 'B331290115008'`)
	refocus := refID(t, a, `SELECT p.id FROM programmes p JOIN organisations o ON o.id = p.organisation_id
		WHERE o.slug = 'capa' AND p.kind = 'refocus'`)

	signIn(b, a.URL, refCoordinator)
	reference := refSubmitInBrowser(t, a, b, student, refocus, func() {
		plan := b.Text(`[data-testid="panel-plan"]`)
		for _, want := range []string{"referral deadline Wednesday 2 December 2026", "Review and Authorisation Panel",
			"Multi-Agency Panel", "Cohort 2, starting Monday 11 January 2027"} {
			if !strings.Contains(plan, want) {
				t.Errorf("before submitting, the panel plan lacks %q: %q", want, plan)
			}
		}
		b.Screenshot("referral-panel-plan")
	})
	if plan := b.Text(`[data-testid="panel-plan"]`); !strings.Contains(plan, "It joined") || !strings.Contains(plan, "2 December 2026") {
		t.Errorf("after submitting: %q", plan)
	}
	path := a.URL + "/referrals/" + reference
	signOut(b)
	round := refID(t, a, `SELECT panel_round_id FROM referrals WHERE reference = $1`, reference)

	// CAP checks the application, adds it to round 4's agenda and schedules both panels.
	signIn(b, a.URL, refAdmin)
	b.Visit(path)
	b.ClickAndWait(`[data-testid="referral-actions"] a[href$="/agenda"]`)
	b.Submit(`#main-content form[method=post] button`)
	if got := b.Text(".govuk-notification-banner"); !strings.Contains(got, "agenda") {
		t.Errorf("after adding to the agenda: %q", got)
	}
	reviewDay, mapDay := calendar.NewDate(2026, time.December, 3), calendar.NewDate(2026, time.December, 8)
	panelMeeting(t, a, b, round, "review", reviewDay, "Gareth Llewellyn", "#attendees-2", "#attendees-3")
	panelMeeting(t, a, b, round, "multi_agency", mapDay, "Fiona Castleton", "#attendees", "#attendees-2")
	b.Visit(a.URL + "/panels/rounds/" + strconv.FormatInt(round, 10))
	b.Screenshot("panel-round")
	b.Visit(a.URL + "/panels/rounds/" + strconv.FormatInt(round, 10) + "/review")
	if !strings.Contains(b.Text(`[data-testid="agenda"]`), reference) {
		t.Errorf("the agenda lacks %s: %q", reference, b.Text("main"))
	}
	b.Screenshot("panel-agenda")
	signOut(b)

	// The meeting: the headteacher attends but cannot decide their own school's case.
	panelOn(a, reviewDay)
	signIn(b, a.URL, panelHeadteacher)
	b.Visit(path + "/decide")
	if got := b.Text(`[data-testid="case-refusal"]`); !strings.Contains(got, "conflict of interest") {
		t.Errorf("the headteacher from the referring school: %q", got)
	}
	signOut(b)
	signIn(b, a.URL, panelChair)
	b.Visit(a.URL + "/panels/rounds/" + strconv.FormatInt(round, 10) + "/review")
	b.ClickAndWait(`[data-testid="agenda-case"] a[href$="/decide"]`)
	checklist := b.Text(`[data-testid="panel-checklist"]`)
	for _, q := range []string{"their own strengths", "Early Help Assessment", "CAP Multi-Agency Panel"} {
		if !strings.Contains(checklist, q) {
			t.Errorf("the panel's checklist lacks %q: %q", q, checklist)
		}
	}
	if got := b.Text(`[data-testid="case-excluded"]`); !strings.Contains(got, "Rachel Thornbury") {
		t.Errorf("who cannot take part: %q", got)
	}
	b.Fill("#minutes", "The panel read the Early Help plan and the school's evidence.")
	b.SetChecked("#decision", true) // Approved
	b.Fill("#rationale", "The school has adapted the timetable and involved Early Help; a Refocus placement is the right next step.")
	b.Screenshot("panel-case")
	b.Submit(`button[value="decide"]`)
	if got := b.Text(".govuk-notification-banner"); !strings.Contains(got, "Multi-Agency Panel") {
		t.Errorf("after the decision: %q", got)
	}
	signOut(b)

	// The Multi-Agency Panel agrees; the student gets a place in Cohort 2.
	panelOn(a, mapDay)
	signIn(b, a.URL, panelLead)
	b.Visit(path + "/map")
	b.SetChecked("#decision", true)
	b.Fill("#rationale", "Agreed with the partners present.")
	b.Submit(`button[value="decide"]`)
	if got := b.Text(".govuk-notification-banner"); !strings.Contains(got, "Cohort 2") {
		t.Errorf("after the Multi-Agency Panel's decision: %q", got)
	}
	signOut(b)

	// CAP shares both outcome letters with the school.
	signIn(b, a.URL, refAdmin)
	b.Visit(path)
	for range 2 {
		b.Submit(`[data-testid="share-letter"] button`)
	}
	if n := refID(t, a, `SELECT count(*) FROM panel_cases c JOIN referrals r ON r.id = c.referral_id
		WHERE r.reference = $1 AND c.letter_shared_at IS NOT NULL`, reference); n != 2 {
		t.Errorf("%d outcome letters shared, want 2", n)
	}
	if got := b.Text(`[data-testid="referral-panel"]`); strings.Contains(got, "Late") || !strings.Contains(got, "Cohort 2") {
		t.Errorf("the referral's panel section for CAP: %q", got)
	}
	signOut(b)

	// Coventry AP Academy onboards the student and places them in the cohort.
	signIn(b, a.URL, panelAcademy)
	b.Visit(path)
	b.ClickAndWait(`[data-testid="referral-actions"] a[href$="/onboard"]`)
	b.Submit(`#main-content form[method=post] button`)
	b.ClickAndWait(`[data-testid="referral-actions"] a[href$="/cohort"]`)
	b.Screenshot("referral-cohort")
	b.Submit(`#main-content form[method=post] button`)
	if got := b.Text(`[data-testid="referral-now"]`); !strings.Contains(got, "cohort") {
		t.Errorf("after placing in the cohort: %q", got)
	}
	signOut(b)

	// The coordinator reads the outcome letters.
	signIn(b, a.URL, refCoordinator)
	b.Visit(path)
	section := b.Text(`[data-testid="referral-panel"]`)
	if !strings.Contains(section, "Approved") || !strings.Contains(section, "Cohort 2") {
		t.Errorf("the coordinator's panel section: %q", section)
	}
	b.Screenshot("referral-panel-outcome")
	href := browsertest.Eval[string](b, `document.querySelector('[data-testid="letter-link"] a, a[data-testid="letter-link"]').getAttribute('href')`)
	c := a.Client(t)
	c.SignIn(refCoordinator)
	res := c.Get(href)
	if res.StatusCode != 200 || !strings.HasPrefix(res.Body, "%PDF") {
		t.Fatalf("the outcome letter %s: %d", href, res.StatusCode)
	}
	if _, err := exec.LookPath("pdftotext"); err == nil {
		file := filepath.Join(t.TempDir(), "letter.pdf")
		if err := os.WriteFile(file, []byte(res.Body), 0o600); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command("pdftotext", "-enc", "UTF-8", file, "-").Output()
		if err != nil {
			t.Fatal(err)
		}
		if text := string(out); !strings.Contains(text, "Approved") || !strings.Contains(text, reference) {
			t.Errorf("the letter reads: %q", text)
		}
	}
}
