package ui_test

import (
	"context"
	"net/http"
	"net/url"
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
