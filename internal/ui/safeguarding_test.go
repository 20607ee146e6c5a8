package ui_test

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/coventry-cap/capportal/internal/seed"
	"github.com/coventry-cap/capportal/internal/testapp"
	"github.com/coventry-cap/capportal/internal/ui"
)

const (
	sgSchoolDSL   = "dsl@whitmore.school.example"
	sgProviderDSL = "dsl@ridgeway.provider.example" // Ridgeway: Kai is placed there in the demo referrals
	sgOtherDSL    = "dsl@capa.provider.example"
	sgCAPDSL      = "safeguarding@cap.example"
	sgLead        = "lead@cap.example"
	sgCoordinator = "coordinator@whitmore.school.example"
)

// sgApp is a portal with the demo referrals (so Kai is placed at Ridgeway) and the test-only route
// that stands in for confirming a second-factor code.
func sgApp(t *testing.T) *testapp.App {
	t.Helper()
	a := testapp.New(t, testapp.Options{ExtraRoutes: ui.AddStepUpForTest})
	if _, err := seed.LoadDemoReferrals(context.Background(), a.Pool, a.Clock); err != nil {
		t.Fatal(err)
	}
	return a
}

// stepUp gives the client a fresh second-factor confirmation.
func stepUp(t *testing.T, c *testapp.Client) {
	t.Helper()
	if r := c.Post(ui.StepUpForTestPath, url.Values{}); r.StatusCode != http.StatusNoContent {
		t.Fatalf("step up: %d", r.StatusCode)
	}
}

// sgClient is a signed-in client with a fresh step-up.
func sgClient(t *testing.T, a *testapp.App, email string) *testapp.Client {
	t.Helper()
	c := a.Client(t)
	c.SignIn(email)
	stepUp(t, c)
	return c
}

// formToken is the form's one-time token on the page.
func formToken(t *testing.T, r testapp.Response) string {
	t.Helper()
	tok, ok := r.Doc(t).Find(`input[name="form_token"]`).Attr("value")
	if !ok || tok == "" {
		t.Fatalf("no form token on the page (%d): %.300s", r.StatusCode, r.Body)
	}
	return tok
}

// concernForm is a complete concern with the marker in every text field.
func concernForm(marker string) url.Values {
	return url.Values{
		"summary": {"Summary " + marker}, "happened-day": {"20"}, "happened-month": {"11"}, "happened-year": {"2026"},
		"time": {"2:30pm"}, "where": {"Workshop " + marker}, "raised_by": {"Tutor " + marker},
		"others": {"Others " + marker}, "child_words": {"Words " + marker}, "immediate_action": {"Action " + marker},
		"decisions": {"Decision " + marker}, "who_told": {"Told " + marker}, "outcome": {"Outcome " + marker},
	}
}

// raise records a record of the kind about the student as the client, and returns the record's page.
func raise(t *testing.T, c *testapp.Client, studentPage, kind string, form url.Values) string {
	t.Helper()
	path := studentPage + "/safeguarding/new?kind=" + kind
	r := c.Get(path)
	if r.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d", path, r.StatusCode)
	}
	form.Set("form_token", formToken(t, r))
	r = c.Post(path, form)
	if r.StatusCode != http.StatusSeeOther || !strings.HasPrefix(r.Location(), "/safeguarding/records/") {
		t.Fatalf("POST %s: %d to %q: %.2000s", path, r.StatusCode, r.Location(), r.Body)
	}
	return r.Location()
}

// add adds an entry of the kind to the record as the client.
func add(t *testing.T, c *testapp.Client, record, query string, form url.Values) testapp.Response {
	t.Helper()
	path := record + "/add?" + query
	r := c.Get(path)
	if r.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d", path, r.StatusCode)
	}
	form.Set("form_token", formToken(t, r))
	return c.Post(path, form)
}

func TestSafeguardingPagesAskForAFreshSecondFactor(t *testing.T) {
	a := sgApp(t)
	kai := studentPath(t, a, studentKaiUPN)
	c := a.Client(t)
	c.SignIn(sgSchoolDSL)
	for _, path := range []string{kai + "/safeguarding", "/safeguarding", kai + "/safeguarding/new?kind=concern"} {
		r := c.Get(path)
		want := ui.StepUpConfirmPath + "?next=" + url.QueryEscape(path)
		if r.StatusCode != http.StatusSeeOther || r.Location() != want {
			t.Errorf("GET %s without a step-up: %d to %q, want 303 to %q", path, r.StatusCode, r.Location(), want)
		}
	}
	stepUp(t, c)
	if r := c.Get(kai + "/safeguarding"); r.StatusCode != http.StatusOK {
		t.Fatalf("after the step-up: %d", r.StatusCode)
	}
	a.Clock.Advance(14 * time.Minute)
	if r := c.Get(kai + "/safeguarding"); r.StatusCode != http.StatusOK {
		t.Fatalf("14 minutes after the step-up: %d", r.StatusCode)
	}
	a.Clock.Advance(2 * time.Minute)
	if r := c.Get(kai + "/safeguarding"); r.StatusCode != http.StatusSeeOther || !strings.HasPrefix(r.Location(), ui.StepUpConfirmPath) {
		t.Fatalf("16 minutes after the step-up: %d to %q, want the confirmation", r.StatusCode, r.Location())
	}
	// A form posted after the window closes saves nothing and asks again.
	r := c.Post(kai+"/safeguarding/new?kind=concern", concernForm("late"))
	if r.StatusCode != http.StatusSeeOther || !strings.HasPrefix(r.Location(), ui.StepUpConfirmPath) {
		t.Fatalf("POST after the window: %d to %q", r.StatusCode, r.Location())
	}
	var n int
	if err := a.Pool.QueryRow(context.Background(), `SELECT count(*) FROM safeguarding_entries`).Scan(&n); err != nil || n != 0 {
		t.Fatalf("entries after a stale POST: %d, %v", n, err)
	}
}

func TestAConcernIsRecordedWithEverythingAGoodRecordHolds(t *testing.T) {
	a := sgApp(t)
	kai := studentPath(t, a, studentKaiUPN)
	c := sgClient(t, a, sgProviderDSL)
	rec := raise(t, c, kai, "concern", concernForm("marker-one"))
	r := c.Get(rec)
	if r.StatusCode != http.StatusOK {
		t.Fatalf("record page: %d", r.StatusCode)
	}
	for _, want := range []string{"Summary marker-one", "20 November 2026", "2:30pm", "Workshop marker-one", "Tutor marker-one", "Others marker-one",
		"Words marker-one", "Action marker-one", "Decision marker-one", "Told marker-one", "Outcome marker-one", "Ridgeway Motor Skills", "Beverley Stanton"} {
		if !strings.Contains(r.Body, want) {
			t.Errorf("the record does not show %q", want)
		}
	}
	// Bad input: 422 with the summary and what was typed kept.
	form := concernForm("kept-text")
	form.Del("summary")
	form.Set("happened-day", "31")
	form.Set("happened-month", "2")
	path := kai + "/safeguarding/new?kind=concern"
	form.Set("form_token", formToken(t, c.Get(path)))
	r = c.Post(path, form)
	if r.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("bad concern: %d", r.StatusCode)
	}
	doc := r.Doc(t)
	if doc.Find(".govuk-error-summary").Length() != 1 || !strings.Contains(r.Body, "Enter a summary of the concern") ||
		!strings.Contains(r.Body, "must be a real date") || !strings.Contains(r.Body, "Words kept-text") {
		t.Errorf("the 422 page lacks its messages or what was typed: %.3000s", r.Body)
	}
	// The same form twice records one concern.
	form = concernForm("twice")
	form.Set("form_token", formToken(t, c.Get(path)))
	first, second := c.Post(path, form), c.Post(path, form)
	if first.Location() != second.Location() || first.StatusCode != http.StatusSeeOther {
		t.Errorf("double submit: %q then %q", first.Location(), second.Location())
	}
	var n int
	if err := a.Pool.QueryRow(context.Background(), `SELECT count(*) FROM safeguarding_entries WHERE kind = 'concern'`).Scan(&n); err != nil || n != 2 {
		t.Errorf("concerns: %d, %v; want 2", n, err)
	}
}

// emailsTo are the addresses of the emails of the kind.
func emailsTo(a *testapp.App, kind string, from int) []string {
	var to []string
	for _, e := range a.Emails()[from:] {
		if e.Kind == kind {
			to = append(to, e.To)
		}
	}
	slices.Sort(to)
	return to
}

func TestRaisingAConcernAlertsTheRightDSLsOnlyWithoutDetails(t *testing.T) {
	a := sgApp(t)
	kai := studentPath(t, a, studentKaiUPN)
	unplaced := whitmoreStudent(t, a, "15002") // a Whitmore student with no placement
	var kaiName string
	if err := a.Pool.QueryRow(context.Background(), `SELECT legal_first_name FROM students WHERE upn = $1`, studentKaiUPN).Scan(&kaiName); err != nil {
		t.Fatal(err)
	}
	provider, school := sgClient(t, a, sgProviderDSL), sgClient(t, a, sgSchoolDSL)

	cases := []struct {
		by      *testapp.Client
		student string
		want    []string
	}{
		// The provider's DSL raises it: the school's DSL and the CAP team are told.
		{provider, kai, []string{sgSchoolDSL, sgCAPDSL}},
		// The school's DSL raises it about a placed learner: the provider's DSL and the CAP team.
		{school, kai, []string{sgProviderDSL, sgCAPDSL}},
		// About a student placed nowhere: the CAP team only.
		{school, unplaced, []string{sgCAPDSL}},
	}
	sent := 0
	for i, tc := range cases {
		marker := "alert-marker-" + string(rune('a'+i))
		raise(t, tc.by, tc.student, "concern", concernForm(marker))
		emails := a.WaitForEmails(t, sent+len(tc.want))
		got := emailsTo(a, "safeguarding.concern_raised", sent)
		slices.Sort(tc.want)
		if !slices.Equal(got, tc.want) {
			t.Errorf("case %d: alerted %v, want %v", i, got, tc.want)
		}
		for _, e := range emails[sent:] {
			if strings.Contains(e.Subject+e.Body, marker) || strings.Contains(e.Subject+e.Body, kaiName) || strings.Contains(e.Subject+e.Body, "Summary") {
				t.Errorf("case %d: the email to %s carries details: %q %q", i, e.To, e.Subject, e.Body)
			}
			if !strings.Contains(e.Link, "/safeguarding/records/") {
				t.Errorf("case %d: the email links to %q", i, e.Link)
			}
		}
		sent = len(emails)
	}
	time.Sleep(200 * time.Millisecond) // any stray email would have been sent by now
	if n := len(a.Emails()); n != sent {
		t.Errorf("%d emails sent, want %d", n, sent)
	}
	// The portal notification says the same, and only to them.
	for email, want := range map[string]bool{sgSchoolDSL: true, sgCAPDSL: true, sgCoordinator: false, "staff@ridgeway.provider.example": false, "admin@cap.example": false} {
		c := a.Client(t)
		c.SignIn(email)
		body := c.Get("/notifications").Body
		if got := strings.Contains(body, "A new safeguarding concern has been recorded"); got != want {
			t.Errorf("%s sees the alert: %v, want %v", email, got, want)
		}
		if strings.Contains(body, "alert-marker") {
			t.Errorf("%s's notifications carry a concern's words", email)
		}
	}
}

func TestCorrectionsAreAddedAndNeverOverwrite(t *testing.T) {
	a := sgApp(t)
	ctx := context.Background()
	kai := studentPath(t, a, studentKaiUPN)
	c := sgClient(t, a, sgSchoolDSL)
	rec := raise(t, c, kai, "concern", concernForm("original-words"))
	var id int64
	if err := a.Pool.QueryRow(ctx, `SELECT id FROM safeguarding_entries WHERE kind = 'concern'`).Scan(&id); err != nil {
		t.Fatal(err)
	}
	r := add(t, c, rec, "kind=correction&corrects="+itoaTest(id), url.Values{"text": {"corrected-words"}, "reason": {"The time was wrong"}})
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("correction: %d %.2000s", r.StatusCode, r.Body)
	}
	r = add(t, c, rec, "kind=update", url.Values{"text": {"Called the parent"}, "outcome": {"Agreed a plan"}})
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("update: %d", r.StatusCode)
	}
	body := c.Get(rec).Body
	for _, want := range []string{"Summary original-words", "corrected-words", "The time was wrong", "Correction of the safeguarding concern", "Called the parent"} {
		if !strings.Contains(body, want) {
			t.Errorf("the record lacks %q", want)
		}
	}
	// A correction that names no entry of this record is refused.
	if r := c.Get(rec + "/add?kind=correction&corrects=999999"); r.StatusCode != http.StatusNotFound {
		t.Errorf("correcting another record's entry: %d", r.StatusCode)
	}
	// The database itself refuses to change or remove anything.
	for _, sql := range []string{
		`UPDATE safeguarding_entries SET body = '{}'::jsonb`,
		`DELETE FROM safeguarding_entries`,
		`UPDATE safeguarding_told SET told_at = now()`,
		`DELETE FROM safeguarding_told`,
		`TRUNCATE safeguarding_entries CASCADE`,
	} {
		if _, err := a.Pool.Exec(ctx, sql); err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Errorf("%s: %v, want it refused", sql, err)
		}
	}
	lead := sgClient(t, a, sgLead)
	lado := newLADO(t, lead, "lado-words")
	if r := lead.Get(lado); r.StatusCode != http.StatusOK || !strings.Contains(r.Body, "lado-words") {
		t.Fatalf("LADO report page: %d", r.StatusCode)
	}
	for _, sql := range []string{`UPDATE lado_reports SET body = '{}'::jsonb`, `DELETE FROM lado_reports`, `UPDATE lado_entries SET body = '{}'::jsonb`} {
		if _, err := a.Pool.Exec(ctx, sql); err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Errorf("%s: %v, want it refused", sql, err)
		}
	}
	var n int
	if err := a.Pool.QueryRow(ctx, `SELECT count(*) FROM safeguarding_entries WHERE body->>'summary' = 'Summary original-words'`).Scan(&n); err != nil || n != 1 {
		t.Errorf("the original is not as written: %d, %v", n, err)
	}
}

func itoaTest(n int64) string { return strconv.FormatInt(n, 10) }

// newLADO records a LADO report with the marker as the Service Lead and returns its page.
func newLADO(t *testing.T, c *testapp.Client, marker string) string {
	t.Helper()
	r := c.Get("/safeguarding/lado/new")
	if r.StatusCode != http.StatusOK {
		t.Fatalf("LADO form: %d", r.StatusCode)
	}
	r = c.Post("/safeguarding/lado/new", url.Values{"form_token": {formToken(t, r)}, "allegation": {"Allegation " + marker},
		"person_role": {"Role " + marker}, "person_org": {"Org " + marker}, "reported_by": {"Reporter " + marker},
		"received-day": {"19"}, "received-month": {"11"}, "received-year": {"2026"}, "initial_info": {"Info " + marker}})
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("LADO report: %d %.2000s", r.StatusCode, r.Body)
	}
	page := r.Location()
	r = add(t, c, page, "kind=referral", url.Values{"text": {"Referral " + marker}, "on-day": {"20"}, "on-month": {"11"}, "on-year": {"2026"}, "reference": {"LADO-1"}})
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("LADO referral: %d %.2000s", r.StatusCode, r.Body)
	}
	r = add(t, c, page, "kind=decision", url.Values{"text": {"Decision " + marker}, "reason": {"Reason " + marker}})
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("LADO decision: %d %.2000s", r.StatusCode, r.Body)
	}
	return page
}

func TestTheStudentPageLinksTheChronologyOnlyForThoseWhoMaySeeIt(t *testing.T) {
	a := sgApp(t)
	kai := studentPath(t, a, studentKaiUPN)
	for email, want := range map[string]bool{sgSchoolDSL: true, sgCAPDSL: true, sgCoordinator: false, "headteacher@whitmore.school.example": false,
		"admin@cap.example": false, "monitoring@cap.example": false, sgLead: false} {
		c := a.Client(t)
		c.SignIn(email)
		r := c.Get(kai)
		if r.StatusCode != http.StatusOK {
			t.Fatalf("%s: student page %d", email, r.StatusCode)
		}
		if got := strings.Contains(r.Body, "Safeguarding chronology"); got != want {
			t.Errorf("%s sees the chronology link: %v, want %v", email, got, want)
		}
		// The navigation offers Safeguarding to the safeguarding roles and the Service Lead (for the
		// LADO reports) only.
		nav := slices.Contains(navTexts(r.Doc(t)), "Safeguarding")
		if wantNav := want || email == sgLead; nav != wantNav {
			t.Errorf("%s's navigation offers Safeguarding: %v, want %v", email, nav, wantNav)
		}
	}
}

// whitmoreStudent is the page of the Whitmore demo student with the UPN serial.
func whitmoreStudent(t *testing.T, a *testapp.App, serial string) string {
	t.Helper()
	var id int64
	err := a.Pool.QueryRow(context.Background(), `SELECT s.id FROM students s JOIN organisations o ON o.id = s.school_id
		WHERE o.slug = 'whitmore' AND substr(s.upn, 9, 5) = $1`, serial).Scan(&id)
	if err != nil {
		t.Fatalf("student %s: %v", serial, err)
	}
	return "/students/" + itoaTest(id)
}

// A provider's DSL keeps a learner's chronology after the placement ends, with what their provider
// raised or was told of, but is not told of, and does not see, what is recorded after it ended.
func TestAProviderDSLSeesOnlyWhatTheirProviderRaisedOrWasToldOf(t *testing.T) {
	a := sgApp(t)
	kai := studentPath(t, a, studentKaiUPN)
	school, provider := sgClient(t, a, sgSchoolDSL), sgClient(t, a, sgProviderDSL)
	raise(t, provider, kai, "concern", concernForm("raised-by-ridgeway"))
	raise(t, school, kai, "concern", concernForm("told-to-ridgeway"))
	if _, err := a.Pool.Exec(context.Background(), `UPDATE placements SET status = 'ended', ended_on = '2026-11-20'
		WHERE student_id = $1`, strings.TrimPrefix(kai, "/students/")); err != nil {
		t.Fatal(err)
	}
	after := raise(t, school, kai, "concern", concernForm("after-the-placement"))
	body := provider.Get(kai + "/safeguarding").Body
	for marker, want := range map[string]bool{"raised-by-ridgeway": true, "told-to-ridgeway": true, "after-the-placement": false} {
		if got := strings.Contains(body, marker); got != want {
			t.Errorf("Ridgeway's DSL sees %q in the chronology: %v, want %v", marker, got, want)
		}
	}
	if r := provider.Get(after); r.StatusCode != http.StatusNotFound {
		t.Errorf("Ridgeway's DSL opened the later concern: %d", r.StatusCode)
	}
	if r := school.Get(kai + "/safeguarding"); !strings.Contains(r.Body, "after-the-placement") || !strings.Contains(r.Body, "raised-by-ridgeway") {
		t.Errorf("the school's DSL does not see every concern")
	}
	// Ridgeway's DSL still finds the learner, now as an ended placement.
	if r := provider.Get("/safeguarding"); !strings.Contains(r.Body, "Ended") {
		t.Errorf("Ridgeway's learners lack the ended placement")
	}
}
