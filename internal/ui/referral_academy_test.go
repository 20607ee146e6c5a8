package ui_test

import (
	"context"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/coventry-cap/capportal/internal/browsertest"
	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/directory"
	"github.com/coventry-cap/capportal/internal/panel"
	"github.com/coventry-cap/capportal/internal/pathway"
	"github.com/coventry-cap/capportal/internal/referral"
	"github.com/coventry-cap/capportal/internal/testapp"
)

const (
	plChair      = "panel@cap.example"
	plLead       = "lead@cap.example"
	plHead       = "headteacher@whitmore.school.example" // a panel member from the referring school
	plAcademy    = "staff@capa.provider.example"
	plRound      = 4 // 2026/27 round 4: deadline Wednesday 2 December 2026, feeds Refocus Cohort 2
	plCohortName = "Refocus Cohort 2"
)

// plAt sets the test clock to a day at 10:00 in London.
func plAt(a *testapp.App, day calendar.Date) {
	a.Clock.Set(time.Date(day.Year, day.Month, day.Day, 10, 0, 0, 0, calendar.London()))
}

func plDay(y int, m time.Month, d int) calendar.Date { return calendar.NewDate(y, m, d) }

// plRoundID is the 2026/27 round at the position.
func plRoundID(t *testing.T, a *testapp.App, position int) int64 {
	t.Helper()
	return pwInt(t, a, `SELECT id FROM panel_rounds WHERE academic_year = '2026/27' AND position = $1`, position)
}

// plProgramme is the directory's programme of a kind.
func plProgramme(t *testing.T, a *testapp.App, kind directory.Kind) int64 {
	t.Helper()
	return pwInt(t, a, `SELECT id FROM programmes WHERE kind = $1 ORDER BY id LIMIT 1`, kind)
}

// plMeeting schedules a round's meeting of a panel on the day, chaired by panel@cap.example, with
// the service lead and the Whitmore headteacher (who cannot take part in Whitmore's cases) attending.
func plMeeting(t *testing.T, a *testapp.App, roundID int64, panelKind string, on calendar.Date) {
	t.Helper()
	admin := pwActor(t, a, pwAdmin)
	chair := pwInt(t, a, `SELECT id FROM users WHERE email = $1`, plChair)
	_, err := panel.On(a.Pool).SaveMeeting(context.Background(), a.Clock.Now(),
		panel.Actor{UserID: &admin.Principal.UserID, Email: pwAdmin, RequestID: "test"}, roundID, panelKind,
		panel.MeetingInput{HeldOn: on, ChairID: chair, Attendees: []int64{chair,
			pwInt(t, a, `SELECT id FROM users WHERE email = $1`, plLead),
			pwInt(t, a, `SELECT id FROM users WHERE email = $1`, plHead)}})
	if err != nil {
		t.Fatalf("schedule the %s: %v", panel.PanelName(panelKind), err)
	}
}

// plDecide is the chair recording a decision on the case the referral waits on, on the meeting day.
func plDecide(t *testing.T, a *testapp.App, ref referral.Referral, in referral.DecideInput) referral.Referral {
	t.Helper()
	return pwMove(t, a, ref, plChair, func(s referral.Store, ctx context.Context, act referral.Actor, r referral.Referral) error {
		_, err := s.Decide(ctx, act, r, in)
		return err
	})
}

func plAgenda(s referral.Store, ctx context.Context, a referral.Actor, r referral.Referral) error {
	return s.AddToAgenda(ctx, a, r)
}

// plReviewed is a referral of the kind for Kai (or the UPN given) submitted on the test clock's day
// (Monday 23 November 2026: round 4), added to the agenda and decided by the Review and Authorisation
// Panel on Thursday 3 December 2026.
func plReviewed(t *testing.T, a *testapp.App, upn string, kind directory.Kind, decision string) referral.Referral {
	t.Helper()
	ref := pwSubmitted(t, a, upn, plProgramme(t, a, kind))
	ref = pwMove(t, a, ref, pwAdmin, plAgenda)
	round := plRoundID(t, a, plRound)
	plAt(a, plDay(2026, time.December, 3))
	plMeeting(t, a, round, panel.ReviewPanel, plDay(2026, time.December, 3))
	return plDecide(t, a, ref, referral.DecideInput{Decision: decision,
		Rationale: "The school has tried every strategy it has.", Conditions: "A weekly review with the home school."})
}

// plAgreed is a Refocus referral the Multi-Agency Panel agreed on Tuesday 8 December 2026: the
// outcome is shared and the case holds a place in Refocus Cohort 2 (or a place on its waiting list).
func plAgreed(t *testing.T, a *testapp.App, upn string) referral.Referral {
	t.Helper()
	ref := plReviewed(t, a, upn, directory.Refocus, panel.Approved)
	if ref.Step != pathway.MultiAgencyPanel {
		t.Fatalf("after the review panel's approval the referral is at %s", ref.Step)
	}
	plAt(a, plDay(2026, time.December, 8))
	if n := pwInt(t, a, `SELECT count(*) FROM panel_meetings WHERE round_id = $1 AND panel = 'multi_agency'`, plRoundID(t, a, plRound)); n == 0 {
		plMeeting(t, a, plRoundID(t, a, plRound), panel.MultiAgencyPanel, plDay(2026, time.December, 8))
	}
	ref = plDecide(t, a, ref, referral.DecideInput{Decision: panel.Approved, Rationale: "Agreed by every agency."})
	if ref.Step != pathway.OutcomeShared {
		t.Fatalf("after the Multi-Agency Panel's approval the referral is at %s", ref.Step)
	}
	return ref
}

// plCaseID is the referral's case at a panel.
func plCaseID(t *testing.T, a *testapp.App, ref referral.Referral, panelKind string) int64 {
	t.Helper()
	return pwInt(t, a, `SELECT id FROM panel_cases WHERE referral_id = $1 AND panel = $2 ORDER BY id DESC LIMIT 1`, ref.ID, panelKind)
}

// plFlash is the notification banner of the page the client is sent to next.
func plFlash(t *testing.T, c *testapp.Client, path string) string {
	t.Helper()
	return pwText(c.Get(path).Doc(t).Find(".govuk-notification-banner"))
}

// plPDFText is the text of a PDF as poppler reads it, words separated by single spaces; "" when
// poppler-utils is not installed.
func plPDFText(t *testing.T, pdf []byte) string {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Log("pdftotext not installed (poppler-utils): the letter's text is not read back")
		return ""
	}
	file := filepath.Join(t.TempDir(), "letter.pdf")
	if err := os.WriteFile(file, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-enc", "UTF-8", file, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return strings.Join(strings.Fields(string(out)), " ")
}

// plPDFPages is how many pages a PDF has, as poppler counts them; 0 when poppler-utils is not installed.
func plPDFPages(t *testing.T, pdf []byte) int {
	t.Helper()
	if _, err := exec.LookPath("pdfinfo"); err != nil {
		return 0
	}
	file := filepath.Join(t.TempDir(), "letter.pdf")
	if err := os.WriteFile(file, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdfinfo", file).Output()
	if err != nil {
		t.Fatalf("pdfinfo: %v", err)
	}
	for _, line := range strings.Split(string(out), "\n") {
		if n, ok := strings.CutPrefix(line, "Pages:"); ok {
			pages, _ := strconv.Atoi(strings.TrimSpace(n))
			return pages
		}
	}
	t.Fatalf("pdfinfo gave no page count:\n%s", out)
	return 0
}

// The school reads the outcome letter only once CAP has shared it; CAP's staff read it as soon as the
// panel decided; another school's coordinator never learns it exists. Sharing twice shares once.
func TestOutcomeLetterIsHiddenFromTheSchoolUntilCAPSharesIt(t *testing.T) {
	a := testapp.New(t)
	ref := plReviewed(t, a, pwKaiUPN, directory.Refocus, panel.Approved)
	caseID := plCaseID(t, a, ref, panel.ReviewPanel)
	letter := ref.URL() + "/letters/" + itoa64(caseID)
	coord, admin, other := pwSignedIn(t, a, pwCoordinator), pwSignedIn(t, a, pwAdmin), pwSignedIn(t, a, pwOtherCoordinator)

	// Before it is shared: not for the school, which is told it is decided and the letter is coming.
	if r := coord.Get(letter); r.StatusCode != http.StatusNotFound {
		t.Fatalf("the school downloads the letter before it is shared: %d", r.StatusCode)
	}
	doc := coord.Get(ref.URL()).Doc(t)
	sec := pwText(doc.Find(`[data-testid="referral-panel"]`))
	for _, want := range []string{"Round 4, referral deadline 2 December 2026", "Review and Authorisation Panel", "Thursday 3 December 2026",
		"Decided. CAP shares the outcome letter with the school within 3 working days of the meeting.", "Not shared with the school yet."} {
		if !strings.Contains(sec, want) {
			t.Errorf("the school's panel section lacks %q: %q", want, sec)
		}
	}
	if strings.Contains(sec, "The school has tried every strategy") || doc.Find(`[data-testid="letter-link"]`).Length() != 0 ||
		doc.Find(`[data-testid="share-letter"]`).Length() != 0 || strings.Contains(sec, "Due by") {
		t.Errorf("the school sees the decision, the letter, CAP's tracking or the share button before the letter is shared: %q", sec)
	}

	// CAP: the decision, the letter, when it is due (three working days after Thursday 3
	// December: Tuesday 8 December) and the button that shares it.
	doc = admin.Get(ref.URL()).Doc(t)
	sec = pwText(doc.Find(`[data-testid="referral-panel"]`))
	for _, want := range []string{"Decision Approved", "Rationale The school has tried every strategy it has.", "Conditions A weekly review with the home school.",
		"Due by 8 December 2026. Not shared with the school yet.", "Share with the school"} {
		if !strings.Contains(sec, want) {
			t.Errorf("CAP's panel section lacks %q: %q", want, sec)
		}
	}
	if href, _ := doc.Find(`[data-testid="letter-link"]`).Attr("href"); href != letter {
		t.Errorf("CAP's letter link %q, want %q", href, letter)
	}
	if doc.Find(`[data-testid="letter-status"] .govuk-tag--red`).Length() != 0 {
		t.Error("a letter not yet due is tagged late")
	}
	r := admin.Get(letter)
	if r.StatusCode != http.StatusOK || r.Header.Get("Content-Type") != "application/pdf" ||
		!strings.HasPrefix(r.Header.Get("Content-Disposition"), `attachment; filename="`+ref.Reference+`-review-outcome-letter.pdf"`) {
		t.Fatalf("CAP's letter download: %d %q %q", r.StatusCode, r.Header.Get("Content-Type"), r.Header.Get("Content-Disposition"))
	}
	if text := plPDFText(t, []byte(r.Body)); text != "" {
		for _, want := range []string{"Outcome of the Review and Authorisation Panel", ref.Reference, "Kai Adeyemi-Brown", "Whitmore Park Academy",
			"Date of the meeting Thursday 3 December 2026", "Decision Approved", "The school has tried every strategy it has.",
			"prepared for the Multi-Agency Panel", "Did not take part in this decision, as they work at the referring school: Rachel Thornbury"} {
			if !strings.Contains(text, want) {
				t.Errorf("the letter lacks %q:\n%s", want, text)
			}
		}
	}
	if n := plPDFPages(t, []byte(r.Body)); n > 1 {
		t.Errorf("the review panel's letter runs to %d pages, want one", n)
	}
	if n := pwInt(t, a, `SELECT count(*) FROM audit_log WHERE action = 'referral.viewed' AND subject_id = $1
		AND summary LIKE '%outcome letter of the Review and Authorisation Panel, downloaded as a PDF%'`, itoa64(ref.ID)); n != 1 {
		t.Errorf("%d audit entries for the letter download, want 1", n)
	}

	// Another school's coordinator: the referral and its letter do not exist.
	if r := other.Get(letter); r.StatusCode != http.StatusNotFound {
		t.Errorf("another school's coordinator downloads the letter: %d", r.StatusCode)
	}
	if r := other.Post(letter+"/share", nil); r.StatusCode != http.StatusForbidden {
		t.Errorf("a coordinator shares a letter: %d", r.StatusCode)
	}
	// A case of another referral is not this referral's letter.
	otherRef := pwSubmitted(t, a, pwAmeliaUPN, plProgramme(t, a, directory.Refocus))
	if r := admin.Get(otherRef.URL() + "/letters/" + itoa64(caseID)); r.StatusCode != http.StatusNotFound {
		t.Errorf("a case read through another referral: %d", r.StatusCode)
	}

	// CAP shares it, once.
	r = admin.Post(letter+"/share", nil)
	if r.StatusCode != http.StatusSeeOther || r.Location() != ref.URL() {
		t.Fatalf("share: %d to %q", r.StatusCode, r.Location())
	}
	if got := plFlash(t, admin, ref.URL()); !strings.Contains(got, "Outcome letter shared with Whitmore Park Academy") {
		t.Errorf("flash after sharing: %q", got)
	}
	r = admin.Post(letter+"/share", nil)
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("second share: %d", r.StatusCode)
	}
	doc = admin.Get(ref.URL()).Doc(t)
	if got := pwText(doc.Find(".govuk-notification-banner")); !strings.Contains(got, "already shared with the school, so nothing was changed") {
		t.Errorf("flash after sharing twice: %q", got)
	}
	if got := pwText(doc.Find(`[data-testid="letter-status"]`)); got != "Due by 8 December 2026. Shared on 3 December 2026." {
		t.Errorf("letter status after sharing: %q", got)
	}
	if doc.Find(`[data-testid="share-letter"]`).Length() != 0 {
		t.Error("the share button is still offered once shared")
	}
	if n := pwInt(t, a, `SELECT count(*) FROM audit_log WHERE action = 'panel.letter' AND subject_id = $1`, itoa64(caseID)); n != 1 {
		t.Errorf("%d letter shares audited, want 1", n)
	}

	// The school reads it now.
	if r := coord.Get(letter); r.StatusCode != http.StatusOK || r.Header.Get("Content-Type") != "application/pdf" {
		t.Errorf("the school's download after sharing: %d %q", r.StatusCode, r.Header.Get("Content-Type"))
	}
	doc = coord.Get(ref.URL()).Doc(t)
	if href, _ := doc.Find(`[data-testid="letter-link"]`).Attr("href"); href != letter {
		t.Errorf("the school's letter link %q, want %q", href, letter)
	}
	if sec := pwText(doc.Find(`[data-testid="referral-panel"]`)); !strings.Contains(sec, "Decision Approved") || strings.Contains(sec, "Due by") {
		t.Errorf("the school's panel section after sharing: %q", sec)
	}
	if r := other.Get(letter); r.StatusCode != http.StatusNotFound {
		t.Errorf("another school's coordinator downloads the shared letter: %d", r.StatusCode)
	}
}

// CAP has three working days from the meeting to share the letter: on the due day it is not late;
// the day after, the referral page and CAP's dashboard tag it.
func TestOutcomeLetterIsTaggedLateOnceTheClockPassesItsDueDay(t *testing.T) {
	a := testapp.New(t)
	ref := plReviewed(t, a, pwKaiUPN, directory.Refocus, panel.NotApproved)

	// Sessions time out while the clock moves on: each day signs in afresh.
	plAt(a, plDay(2026, time.December, 8))
	admin := pwSignedIn(t, a, pwAdmin)
	doc := admin.Get(ref.URL()).Doc(t)
	if doc.Find(`[data-testid="letter-status"] .govuk-tag--red`).Length() != 0 {
		t.Error("late on its due day")
	}
	dash := admin.Get("/").Doc(t)
	item := pwText(dash.Find(`#section-outcome-letters-to-share`).Parent())
	for _, want := range []string{ref.Reference, "Kai Adeyemi-Brown (Whitmore Park Academy), Review and Authorisation Panel: Not approved, due by 8 December 2026"} {
		if !strings.Contains(item, want) {
			t.Errorf("dashboard's letters to share lack %q: %q", want, item)
		}
	}
	if strings.Contains(item, "Late") {
		t.Errorf("dashboard tags a letter late on its due day: %q", item)
	}
	if href, _ := dash.Find(`#section-outcome-letters-to-share`).Parent().Find(`a[href="` + ref.URL() + `"]`).Attr("href"); href == "" {
		t.Error("the dashboard does not link the referral")
	}

	plAt(a, plDay(2026, time.December, 9))
	admin = pwSignedIn(t, a, pwAdmin)
	doc = admin.Get(ref.URL()).Doc(t)
	if got := pwText(doc.Find(`[data-testid="letter-status"] .govuk-tag--red`)); got != "Late" {
		t.Errorf("late tag the day after the due day: %q", got)
	}
	item = pwText(admin.Get("/").Doc(t).Find(`#section-outcome-letters-to-share`).Parent())
	if !strings.Contains(item, "1 is late") || !strings.Contains(item, "due by 8 December 2026 Late") {
		t.Errorf("dashboard the day after the due day: %q", item)
	}

	// Shared late, it stays marked late on the referral, and leaves the dashboard's list.
	if r := admin.Post(ref.URL()+"/letters/"+itoa64(plCaseID(t, a, ref, panel.ReviewPanel))+"/share", nil); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("share: %d", r.StatusCode)
	}
	doc = admin.Get(ref.URL()).Doc(t)
	if got := pwText(doc.Find(`[data-testid="letter-status"]`)); got != "Due by 8 December 2026. Shared on 9 December 2026. Late" {
		t.Errorf("status shared late: %q", got)
	}
	if item := pwText(admin.Get("/").Doc(t).Find(`#section-outcome-letters-to-share`).Parent()); strings.Contains(item, ref.Reference) {
		t.Errorf("a shared letter is still on the dashboard: %q", item)
	}
}

// Coventry AP Academy onboards an agreed Refocus student and places them in the cohort: the placement
// starts on the cohort's first day, Tuesday to Friday, and the page shows its phase.
func TestAcademyOnboardsAndPlacesTheStudentInTheCohort(t *testing.T) {
	a := testapp.New(t)
	ref := plAgreed(t, a, pwKaiUPN)
	staff, coord, admin := pwSignedIn(t, a, plAcademy), pwSignedIn(t, a, pwCoordinator), pwSignedIn(t, a, pwAdmin)

	// The Multi-Agency Panel's letter keeps the Review and Authorisation Panel's conditions.
	if r := admin.Get(ref.URL() + "/letters/" + itoa64(plCaseID(t, a, ref, panel.MultiAgencyPanel))); r.StatusCode != http.StatusOK {
		t.Fatalf("the Multi-Agency Panel's letter: %d", r.StatusCode)
	} else if text := plPDFText(t, []byte(r.Body)); text != "" &&
		!strings.Contains(text, "Conditions of the Review and Authorisation Panel A weekly review with the home school.") {
		t.Errorf("the Multi-Agency Panel's letter drops the review panel's conditions:\n%s", text)
	} else if n := plPDFPages(t, []byte(r.Body)); n > 1 {
		t.Errorf("the Multi-Agency Panel's letter runs to %d pages, want one", n)
	}

	// The school cannot take the Academy's steps.
	if r := coord.Get(ref.URL() + "/onboard"); r.StatusCode != http.StatusForbidden {
		t.Errorf("the coordinator's onboarding page: %d", r.StatusCode)
	}
	// Placing before onboarding is out of order.
	if r := staff.Post(ref.URL()+"/cohort", nil); r.StatusCode != http.StatusConflict {
		t.Errorf("placing before onboarding: %d", r.StatusCode)
	}

	doc := staff.Get(ref.URL()).Doc(t)
	if href, _ := doc.Find(`[data-testid="referral-actions"] a`).Attr("href"); href != ref.URL()+"/onboard" {
		t.Errorf("the Academy's action: %q", href)
	}
	r := staff.Get(ref.URL() + "/onboard")
	if r.StatusCode != http.StatusOK {
		t.Fatalf("onboarding page: %d", r.StatusCode)
	}
	if got := pwText(r.Doc(t).Find(`[data-testid="onboard-cohort"]`)); got != "Place in Refocus Cohort 2 from 11 January 2027." {
		t.Errorf("onboarding page's cohort: %q", got)
	}
	if r := staff.Post(ref.URL()+"/onboard", nil); r.StatusCode != http.StatusSeeOther || r.Location() != ref.URL() {
		t.Fatalf("onboard: %d to %q", r.StatusCode, r.Location())
	}
	if got := plFlash(t, staff, ref.URL()); !strings.Contains(got, "Onboarding started") {
		t.Errorf("flash: %q", got)
	}
	if got := pwGet(t, a, ref).Step; got != pathway.Onboarding {
		t.Fatalf("after onboarding: %s", got)
	}
	if r := staff.Post(ref.URL()+"/onboard", nil); r.StatusCode != http.StatusConflict {
		t.Errorf("onboarding twice: %d", r.StatusCode)
	}

	r = staff.Get(ref.URL() + "/cohort")
	if r.StatusCode != http.StatusOK {
		t.Fatalf("cohort page: %d", r.StatusCode)
	}
	doc = r.Doc(t)
	if got := pwText(doc.Find(`[data-testid="cohort-place"]`)); !strings.Contains(got, "Cohort Refocus Cohort 2 Starts Monday 11 January 2027") {
		t.Errorf("cohort page's place: %q", got)
	}
	if doc.Find(`form[action="`+ref.URL()+`/cohort"] button`).Length() != 1 {
		t.Error("no button to place the student")
	}
	if r := staff.Post(ref.URL()+"/cohort", nil); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("place in the cohort: %d", r.StatusCode)
	}
	if got := plFlash(t, staff, ref.URL()); !strings.Contains(got, "Placed in Refocus Cohort 2, starting 11 January 2027") {
		t.Errorf("flash: %q", got)
	}
	if got := pwGet(t, a, ref).Step; got != pathway.PlacementActive {
		t.Fatalf("after placing: %s", got)
	}
	var start calendar.Date
	var days []int32
	var provider string
	var place int64
	err := a.Pool.QueryRow(context.Background(), `SELECT pl.start_date, pl.days, o.slug, pl.cohort_place_id FROM placements pl
		JOIN organisations o ON o.id = pl.provider_id WHERE pl.referral_id = $1`, ref.ID).Scan(&start, &days, &provider, &place)
	if err != nil {
		t.Fatalf("placement row: %v", err)
	}
	if start != plDay(2027, time.January, 11) || len(days) != 4 || days[0] != 2 || days[3] != 5 || provider != "capa" || place == 0 {
		t.Errorf("placement: start %s, days %v, provider %s, place %d; want 11 January 2027, Tuesday to Friday, capa, a cohort place", start, days, provider, place)
	}

	// The referral page: the cohort place for CAP with the cohort's page, and the phase.
	doc = admin.Get(ref.URL()).Doc(t)
	if got := pwText(doc.Find(`[data-testid="panel-cohort"]`)); got != "Place in Refocus Cohort 2 from 11 January 2027 See Refocus Cohort 2" {
		t.Errorf("CAP's cohort place: %q", got)
	}
	if href, _ := doc.Find(`[data-testid="panel-cohort"] a`).Attr("href"); !strings.HasPrefix(href, "/panels/cohorts/") {
		t.Errorf("cohort link %q", href)
	}
	if got := pwText(doc.Find(`[data-testid="referral-placement"]`)); !strings.Contains(got, "Phase Starts on 11 January 2027") ||
		!strings.Contains(got, "Days Tuesday to Friday") {
		t.Errorf("placement before the start: %q", got)
	}
	doc = coord.Get(ref.URL()).Doc(t)
	if doc.Find(`[data-testid="panel-cohort"] a`).Length() != 0 {
		t.Error("the school is linked to the cohort's page")
	}
	plAt(a, plDay(2027, time.January, 19))
	coord = pwSignedIn(t, a, pwCoordinator)
	if got := pwText(coord.Get(ref.URL()).Doc(t).Find(`[data-testid="referral-placement"]`)); !strings.Contains(got,
		"Phase Academy phase (week 2 of 10): at Coventry AP Academy Tuesday to Friday, Mondays at the home school") {
		t.Errorf("placement in week 2: %q", got)
	}
	// February half term is not a programme week: on 2 March the student is in week 7, and the Back to
	// School Phase begins on 8 March.
	plAt(a, plDay(2027, time.March, 2))
	coord = pwSignedIn(t, a, pwCoordinator)
	if got := pwText(coord.Get(ref.URL()).Doc(t).Find(`[data-testid="referral-placement"]`)); !strings.Contains(got, "Phase Academy phase (week 7 of 10)") {
		t.Errorf("placement in week 7: %q", got)
	}
	plAt(a, plDay(2027, time.March, 9))
	coord = pwSignedIn(t, a, pwCoordinator)
	if got := pwText(coord.Get(ref.URL()).Doc(t).Find(`[data-testid="referral-placement"]`)); !strings.Contains(got, "Phase Back to School Phase (week 8 of 10)") {
		t.Errorf("placement in week 8: %q", got)
	}
}

// A student on the cohort's waiting list is onboarded but cannot be placed until they have a place.
func TestCohortStepIsRefusedWhileTheStudentWaits(t *testing.T) {
	a := testapp.New(t)
	ctx := context.Background()
	// Refocus Cohort 2 with one place, already taken.
	cohort := pwInt(t, a, `SELECT id FROM panel_starts WHERE fed_by_round = $1 AND capacity IS NOT NULL`, plRoundID(t, a, plRound))
	taken := pwSubmitted(t, a, pwAmeliaUPN, plProgramme(t, a, directory.Refocus))
	if _, err := a.Pool.Exec(ctx, `UPDATE panel_starts SET capacity = 1 WHERE id = $1`, cohort); err != nil {
		t.Fatal(err)
	}
	if _, err := panel.On(a.Pool).Allocate(ctx, cohort, taken.ID, 0, a.Clock.Now()); err != nil {
		t.Fatal(err)
	}
	ref := plAgreed(t, a, pwKaiUPN)
	ref = pwMove(t, a, ref, plAcademy, func(s referral.Store, ctx context.Context, act referral.Actor, r referral.Referral) error {
		return s.Onboard(ctx, act, r)
	})
	staff, admin := pwSignedIn(t, a, plAcademy), pwSignedIn(t, a, pwAdmin)

	doc := staff.Get(ref.URL() + "/cohort").Doc(t)
	if got := pwText(doc.Find(`[data-testid="cohort-blocked"]`)); !strings.Contains(got, "number 1 on the waiting list of Refocus Cohort 2, which is full, so they cannot be placed yet") {
		t.Errorf("cohort page while waiting: %q", got)
	}
	if doc.Find(`form[action="`+ref.URL()+`/cohort"]`).Length() != 0 {
		t.Error("the button to place is offered while the student waits")
	}
	before := pwState(t, a, ref)
	r := staff.Post(ref.URL()+"/cohort", nil)
	if r.StatusCode != http.StatusConflict || !strings.Contains(pwText(r.Doc(t).Find("main")), "waiting list of Refocus Cohort 2") {
		t.Errorf("placing while waiting: %d %q", r.StatusCode, pwText(r.Doc(t).Find("main")))
	}
	if after := pwState(t, a, ref); after != before {
		t.Errorf("a refused placement changed the referral: %s → %s", before, after)
	}
	if got := pwText(admin.Get(ref.URL()).Doc(t).Find(`[data-testid="panel-cohort"]`)); !strings.HasPrefix(got, "Waiting list of Refocus Cohort 2, number 1") {
		t.Errorf("referral page while waiting: %q", got)
	}
}

// plAllocated is a Supported Transfer the Headteacher Placement Meeting of round 4 (Tuesday 15
// December 2026) allocated to Canley Brook Academy from Monday 4 January 2027.
func plAllocated(t *testing.T, a *testapp.App) referral.Referral {
	t.Helper()
	ref := plReviewed(t, a, pwKaiUPN, directory.SupportedTransfer, panel.Approved)
	if ref.Step != pathway.HeadteacherPanel {
		t.Fatalf("after the review panel's approval the transfer is at %s", ref.Step)
	}
	plAt(a, plDay(2026, time.December, 15))
	plMeeting(t, a, plRoundID(t, a, plRound), panel.HeadteacherPanel, plDay(2026, time.December, 15))
	receiving := pwInt(t, a, `SELECT id FROM organisations WHERE slug = 'canleybrook'`)
	ref = plDecide(t, a, ref, referral.DecideInput{Decision: panel.Approved, Rationale: "A fresh start at Canley Brook.",
		ReceivingSchoolID: receiving, TransferStart: plDay(2027, time.January, 4)})
	if ref.Step != pathway.TransferPlacement {
		t.Fatalf("after the allocation the transfer is at %s", ref.Step)
	}
	return ref
}

// CAP records the Supported Transfer placement's review, then its outcome; bad input is shown back
// with what was typed.
func TestSupportedTransferReviewThenOutcome(t *testing.T) {
	a := testapp.New(t)
	ref := plAllocated(t, a)
	plAt(a, plDay(2027, time.March, 31))
	admin, coord := pwSignedIn(t, a, pwAdmin), pwSignedIn(t, a, pwCoordinator)

	sec := pwText(admin.Get(ref.URL()).Doc(t).Find(`[data-testid="panel-transfer"]`))
	for _, want := range []string{"Receiving school Canley Brook Academy", "Placement 12 weeks, from 4 January 2027 to 29 March 2027", "Review Not reviewed yet", "Outcome Not recorded yet"} {
		if !strings.Contains(sec, want) {
			t.Errorf("transfer section lacks %q: %q", want, sec)
		}
	}
	if r := coord.Get(ref.URL() + "/review"); r.StatusCode != http.StatusForbidden {
		t.Errorf("the coordinator's review page: %d", r.StatusCode)
	}
	if r := admin.Post(ref.URL()+"/outcome", url.Values{"outcome": {"stays"}}); r.StatusCode != http.StatusConflict {
		t.Errorf("the outcome before the review: %d", r.StatusCode)
	}
	if r := admin.Get(ref.URL() + "/review"); r.StatusCode != http.StatusOK {
		t.Fatalf("review page: %d", r.StatusCode)
	}

	for _, c := range []struct {
		day, month, year, want string
	}{
		{"", "", "", "Enter the date of the review"},
		{"1", "4", "2027", "The review date must be today or in the past"},
		{"31", "12", "2026", "The review date must be on or after 4 January 2027, when the placement started"},
		{"30", "2", "2027", "The review date must be a real date"},
		{"26", "", "2027", "The review date must include a month"},
	} {
		r := admin.Post(ref.URL()+"/review", url.Values{"review-day": {c.day}, "review-month": {c.month}, "review-year": {c.year}, "notes": {"Settled well."}})
		if r.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("review %s/%s/%s: %d", c.day, c.month, c.year, r.StatusCode)
			continue
		}
		doc := r.Doc(t)
		if got := pwText(doc.Find(".govuk-error-summary")); !strings.Contains(got, c.want) {
			t.Errorf("review %s/%s/%s: errors %q, want %q", c.day, c.month, c.year, got, c.want)
		}
		if doc.Find(`#review-day`).AttrOr("value", "") != c.day || doc.Find(`#notes`).Text() != "Settled well." {
			t.Errorf("review %s/%s/%s: input not kept", c.day, c.month, c.year)
		}
	}
	r := admin.Post(ref.URL()+"/review", url.Values{"review-day": {"26"}, "review-month": {"3"}, "review-year": {"2027"}, "notes": {"Settled well."}})
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("review: %d", r.StatusCode)
	}
	if got := plFlash(t, admin, ref.URL()); !strings.Contains(got, "Placement review recorded: 26 March 2027") {
		t.Errorf("flash: %q", got)
	}
	if got := pwGet(t, a, ref).Step; got != pathway.TransferReview {
		t.Fatalf("after the review: %s", got)
	}
	if r := admin.Post(ref.URL()+"/review", url.Values{"review-day": {"26"}, "review-month": {"3"}, "review-year": {"2027"}}); r.StatusCode != http.StatusConflict {
		t.Errorf("reviewing twice: %d", r.StatusCode)
	}

	r = admin.Post(ref.URL()+"/outcome", url.Values{"notes": {"Both schools agree."}})
	if r.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("outcome without a choice: %d", r.StatusCode)
	}
	doc := r.Doc(t)
	if got := pwText(doc.Find(".govuk-error-summary")); !strings.Contains(got, "Select whether the student stays at the receiving school or returns to the home school") {
		t.Errorf("outcome errors: %q", got)
	}
	if doc.Find(`#notes`).Text() != "Both schools agree." {
		t.Error("outcome notes not kept")
	}
	r = admin.Post(ref.URL()+"/outcome", url.Values{"outcome": {"stays"}, "notes": {"Both schools agree."}})
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("outcome: %d", r.StatusCode)
	}
	if got := pwGet(t, a, ref).Step; got != pathway.TransferOutcome {
		t.Fatalf("after the outcome: %s", got)
	}
	sec = pwText(coord.Get(ref.URL()).Doc(t).Find(`[data-testid="panel-transfer"]`))
	for _, want := range []string{"Review Reviewed on 26 March 2027 Settled well.", "Outcome Stays at the receiving school Both schools agree."} {
		if !strings.Contains(sec, want) {
			t.Errorf("transfer section after the outcome lacks %q: %q", want, sec)
		}
	}
}

// In a real browser with axe: the coordinator reads the referral's panel section with the shared
// letter's link, and CAP sees the section with its tracking and the share button.
func TestReferralPanelSectionInABrowserPassesAxe(t *testing.T) {
	a := testapp.New(t)
	ref := plReviewed(t, a, pwKaiUPN, directory.Refocus, panel.Approved)
	plAt(a, plDay(2026, time.December, 9))
	b := browsertest.New(t)
	if os.Getenv("CAP_SCREENSHOTS") == "" {
		b.ScreenshotDir = t.TempDir()
	}
	signIn := func(email string) {
		b.Visit(a.URL + "/login")
		b.Fill("#email", email)
		b.Fill("#password", testapp.Password)
		b.Submit("form[action='/login'] button")
	}

	signIn(pwAdmin)
	b.Visit(a.URL + ref.URL())
	if got := b.Text(`[data-testid="letter-status"]`); !strings.Contains(got, "Due by 8 December 2026") || !strings.Contains(got, "Late") {
		t.Errorf("CAP's letter status: %q", got)
	}
	b.Screenshot("referral-panel-cap")
	b.Submit(`[data-testid="share-letter"] button`)
	if got := b.Text(".govuk-notification-banner"); !strings.Contains(got, "Outcome letter shared with Whitmore Park Academy") {
		t.Errorf("after sharing: %q", got)
	}
	b.Submit("form[action='/logout'] button")

	signIn(pwCoordinator)
	b.Visit(a.URL + ref.URL())
	if got := b.Text(`[data-testid="referral-panel"]`); !strings.Contains(got, "Round 4, referral deadline 2 December 2026") || !strings.Contains(got, "Approved") {
		t.Errorf("the school's panel section: %q", got)
	}
	if !b.Exists(`[data-testid="letter-link"][href="` + ref.URL() + `/letters/` + itoa64(plCaseID(t, a, ref, panel.ReviewPanel)) + `"]`) {
		t.Error("the school has no link to the shared letter")
	}
	b.Screenshot("referral-panel-school")
}

// A Flourish placement starts in the Flourish start the panel round leads to: round 4's approval leads
// to the January start on Monday 11 January 2027, so an earlier start date is refused.
func TestFlourishStartsNoEarlierThanTheRoundsFlourishStart(t *testing.T) {
	a := testapp.New(t)
	ref := plReviewed(t, a, pwKaiUPN, directory.Flourish, panel.Approved)
	if ref.Step != pathway.OutcomeShared {
		t.Fatalf("after approval the Flourish referral is at %s", ref.Step)
	}
	ref = pwMove(t, a, ref, pwAdmin, func(s referral.Store, ctx context.Context, act referral.Actor, r referral.Referral) error {
		return s.SendPack(ctx, act, r)
	})
	ref = pwMove(t, a, ref, pwCoordinator, func(s referral.Store, ctx context.Context, act referral.Actor, r referral.Referral) error {
		return s.RecordInterview(ctx, act, r, plDay(2026, time.December, 10), "10:00")
	})
	plAt(a, plDay(2026, time.December, 10)) // the interview has been held
	provider := pwSignedIn(t, a, "staff@calmwaters.provider.example")
	form := url.Values{"receipt": {"yes"}, "can_meet_needs": {"yes"}, "can_manage_risk": {"yes"}, "decision": {"accept"},
		"start-day": {"5"}, "start-month": {"1"}, "start-year": {"2027"}, "days": {"2", "4"}}
	r := provider.Post(ref.URL()+"/respond", form)
	if r.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("a start before the round's Flourish start: %d", r.StatusCode)
	}
	if got := pwText(r.Doc(t).Find(".govuk-error-summary")); !strings.Contains(got, "January start on Monday 11 January 2027") {
		t.Errorf("the error: %q", got)
	}
	form.Set("start-day", "12")
	if r := provider.Post(ref.URL()+"/respond", form); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("a start in the round's Flourish start: %d %s", r.StatusCode, pwText(r.Doc(t).Find(".govuk-error-summary")))
	}
}
