package ui_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/placement/placementtest"
	"github.com/coventry-cap/capportal/internal/testapp"
)

const (
	monRidgeway    = "staff@ridgeway.provider.example"
	monAcademy     = "staff@capa.provider.example"
	monCoordinator = "coordinator@whitmore.school.example"
	monCanley      = "coordinator@canleybrook.school.example"
	monOfficer     = "monitoring@cap.example"
	monAdmin       = "admin@cap.example"
	monPanel       = "panel@cap.example"
)

// monitoringApp is the portal on Monday 23 November 2026 with Kai placed at Ridgeway since 2 November,
// with two objectives.
func monitoringApp(t *testing.T) (*testapp.App, string) {
	a := testapp.New(t)
	id := placementtest.Create(t, a.Pool, placementtest.Spec{Student: "Kai", Provider: "ridgeway", Start: calendar.NewDate(2026, time.November, 2), Days: []int32{1, 2}})
	if _, err := a.Pool.Exec(context.Background(), `UPDATE placements SET objectives = $2 WHERE id = $1`, id,
		"Attend every session on time\nComplete the Level 1 engine unit"); err != nil {
		t.Fatal(err)
	}
	return a, "/placements/" + formatInt(id)
}

func formatInt(n int64) string { return strconv.FormatInt(n, 10) }

func signedIn(t *testing.T, a *testapp.App, email string) *testapp.Client {
	c := a.Client(t)
	c.SignIn(email)
	return c
}

func (a monCount) n(t *testing.T, sql string, args ...any) int {
	t.Helper()
	var n int
	if err := a.app.Pool.QueryRow(context.Background(), sql, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

type monCount struct{ app *testapp.App }

// tokenOf is the one-time token of the form on the page.
func tokenOf(t *testing.T, r testapp.Response) string {
	t.Helper()
	tok, _ := r.Doc(t).Find("input[name=form_token]").Attr("value")
	if len(tok) != 32 {
		t.Fatalf("no form token on the page (status %d)", r.StatusCode)
	}
	return tok
}

// Who may open each monitoring page: the placement's provider and school and CAP's staff read; the
// provider's staff and CAP record reviews and incidents; a monitoring officer or the provider's staff
// record meetings. Another provider and another school get the 404 page: they never learn the
// placement exists.
func TestMonitoringPagesFollowTheirPolicies(t *testing.T) {
	a, pl := monitoringApp(t)
	pages := []string{pl + "/monitoring", pl + "/reviews/new", pl + "/incidents/new", pl + "/meetings/new?kind=attendance", pl + "/meetings/new?kind=behaviour"}
	for _, c := range []struct {
		who  string
		want []int
	}{
		{monRidgeway, []int{200, 200, 200, 200, 200}},
		{monOfficer, []int{200, 200, 200, 200, 200}},
		{monAdmin, []int{200, 200, 200, 403, 403}},
		{monCoordinator, []int{200, 403, 403, 403, 403}},
		{monAcademy, []int{404, 404, 404, 404, 404}},
		{monCanley, []int{404, 403, 403, 403, 403}},
		{monPanel, []int{403, 403, 403, 403, 403}},
	} {
		cl := signedIn(t, a, c.who)
		for i, p := range pages {
			if r := cl.Get(p); r.StatusCode != c.want[i] {
				t.Errorf("%s GET %s: %d, want %d", c.who, p, r.StatusCode, c.want[i])
			}
		}
	}
	cl := signedIn(t, a, monOfficer)
	for _, p := range []string{pl + "/meetings/new", pl + "/meetings/new?kind=review", pl + "/meetings/new?kind=attendance&incident=1", "/meetings/999999", "/placements/999999/monitoring"} {
		if r := cl.Get(p); r.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s: %d, want 404", p, r.StatusCode)
		}
	}
}

// A review with problems is shown again with each problem and everything typed (422); the same form
// sent twice records one review; a form without its token is refused.
func TestTheReviewFormKeepsWhatWasTypedAndRecordsOnce(t *testing.T) {
	a, pl := monitoringApp(t)
	c := signedIn(t, a, monRidgeway)
	form := c.Get(pl + "/reviews/new")
	doc := form.Doc(t)
	if got := doc.Find("label[for=progress-2]").Text(); !strings.Contains(got, "Objective 2: Complete the Level 1 engine unit") {
		t.Errorf("second progress box labelled %q", got)
	}
	token := tokenOf(t, form)
	bad := url.Values{"form_token": {token}, "participants": {"Craig Holloway, Kai"}, "progress-1": {"Present every session"},
		"held-day": {"31"}, "held-month": {"11"}, "held-year": {"2026"}, "next-day": {"1"}, "next-month": {"12"}, "next-year": {"2026"}}
	r := c.Post(pl+"/reviews/new", bad)
	if r.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("a bad review: %d", r.StatusCode)
	}
	doc = r.Doc(t)
	summary := doc.Find(".govuk-error-summary").Text()
	for _, want := range []string{"The date of the review must be a real date", "Enter the progress against objective 2"} {
		if !strings.Contains(summary, want) {
			t.Errorf("error summary %q lacks %q", summary, want)
		}
	}
	if href, _ := doc.Find(".govuk-error-summary a").First().Attr("href"); href != "#held-day" {
		t.Errorf("first error links to %q", href)
	}
	if got := doc.Find("#participants").Text(); got != "Craig Holloway, Kai" {
		t.Errorf("participants kept as %q", got)
	}
	if got := doc.Find("#progress-1").Text(); got != "Present every session" {
		t.Errorf("progress kept as %q", got)
	}
	if got, _ := doc.Find("#next-month").Attr("value"); got != "12" {
		t.Errorf("next review month kept as %q", got)
	}
	if !strings.HasPrefix(doc.Find("title").Text(), "Error: ") || tokenOf(t, r) != token {
		t.Errorf("title %q; the token must be kept", doc.Find("title").Text())
	}

	good := bad
	good.Set("held-day", "20")
	good.Set("progress-2", "Half the unit done")
	for i := 0; i < 2; i++ {
		r = c.Post(pl+"/reviews/new", good)
		if r.StatusCode != http.StatusSeeOther || !strings.HasPrefix(r.Header.Get("Location"), pl+"/monitoring#review-") {
			t.Fatalf("send %d: %d to %q", i+1, r.StatusCode, r.Location())
		}
	}
	count := monCount{a}
	if n := count.n(t, `SELECT count(*) FROM progress_reviews`); n != 1 {
		t.Errorf("%d reviews after a double submit", n)
	}
	page := c.Get(pl + "/monitoring")
	if got := page.Doc(t).Find("[data-testid=reviews]").Text(); !strings.Contains(got, "Half the unit done") || !strings.Contains(got, "1 December 2026") {
		t.Errorf("reviews on the monitoring page: %q", got)
	}
	delete(good, "form_token")
	if r := c.Post(pl+"/reviews/new", good); r.StatusCode != http.StatusBadRequest {
		t.Errorf("a form without its token: %d", r.StatusCode)
	}
	// The school reads but does not record.
	if r := signedIn(t, a, monCoordinator).Post(pl+"/reviews/new", good); r.StatusCode != http.StatusForbidden {
		t.Errorf("the school posting a review: %d", r.StatusCode)
	}
}

// An incident is recorded once; it offers "Arrange a behaviour meeting" to who records meetings,
// which opens the meeting form pre-filled with the incident.
func TestAnIncidentLeadsStraightToABehaviourMeeting(t *testing.T) {
	a, pl := monitoringApp(t)
	c := signedIn(t, a, monRidgeway)
	token := tokenOf(t, c.Get(pl+"/incidents/new"))
	in := url.Values{"form_token": {token}, "when-day": {"17"}, "when-month": {"11"}, "when-year": {"2026"}, "time": {"half two"},
		"what": {"Threw a spanner across the workshop"}, "action": {""}, "cpoms": {"CP-48213"}}
	r := c.Post(pl+"/incidents/new", in)
	if r.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("a bad incident: %d", r.StatusCode)
	}
	doc := r.Doc(t)
	if s := doc.Find(".govuk-error-summary").Text(); !strings.Contains(s, "Enter the time of the incident like 2:30pm or 14:30") || !strings.Contains(s, "Enter the action taken") {
		t.Errorf("summary %q", s)
	}
	if v, _ := doc.Find("#time").Attr("value"); v != "half two" {
		t.Errorf("time kept as %q", v)
	}
	if v, _ := doc.Find("#cpoms").Attr("value"); v != "CP-48213" {
		t.Errorf("CPOMS reference kept as %q", v)
	}
	in.Set("time", "2:30pm")
	in.Set("action", "Removed from the workshop")
	for i := 0; i < 2; i++ {
		if r := c.Post(pl+"/incidents/new", in); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("send %d: %d", i+1, r.StatusCode)
		}
	}
	if n := (monCount{a}).n(t, `SELECT count(*) FROM behaviour_incidents`); n != 1 {
		t.Errorf("%d incidents after a double submit", n)
	}
	var incident int64
	if err := a.Pool.QueryRow(context.Background(), `SELECT id FROM behaviour_incidents`).Scan(&incident); err != nil {
		t.Fatal(err)
	}
	arrange := pl + "/meetings/new?incident=" + formatInt(incident) + "&kind=behaviour"
	page := c.Get(pl + "/monitoring").Doc(t)
	if href, _ := page.Find("[data-testid=incidents] a.govuk-button").Attr("href"); href != arrange {
		t.Errorf("arrange a meeting links to %q, want %q", href, arrange)
	}
	if signedIn(t, a, monCoordinator).Get(pl+"/monitoring").Doc(t).Find("[data-testid=incidents] a.govuk-button").Length() != 0 {
		t.Error("the school is offered to arrange a behaviour meeting")
	}
	meeting := c.Get(arrange)
	doc = meeting.Doc(t)
	if got := doc.Find("#concerns").Text(); !strings.Contains(got, "17 November 2026 at 2:30pm: Threw a spanner across the workshop") {
		t.Errorf("concerns pre-filled with %q", got)
	}
	if v, _ := doc.Find("input[name=incident]").Attr("value"); v != formatInt(incident) {
		t.Errorf("incident carried as %q", v)
	}
	if v, _ := doc.Find("#provider").Attr("value"); v != "Craig Holloway" {
		t.Errorf("provider attendee pre-filled with %q", v)
	}
}

// The meeting form: provider staff say no Monitoring Officer was present, or are told to ask one;
// "Add another action" adds a row; a good meeting sent twice is recorded once with its actions; its
// page lists them and only each owner marks theirs done.
func TestTheMeetingFormRecordsOneMeetingWithItsActions(t *testing.T) {
	a, pl := monitoringApp(t)
	ctx := context.Background()
	var craig, hannah int64
	if err := a.Pool.QueryRow(ctx, `SELECT (SELECT id FROM users WHERE email = $1), (SELECT id FROM users WHERE email = $2)`, monRidgeway, monCoordinator).Scan(&craig, &hannah); err != nil {
		t.Fatal(err)
	}
	c := signedIn(t, a, monRidgeway)
	form := c.Get(pl + "/meetings/new?kind=attendance")
	if n := form.Doc(t).Find("[data-testid=action-row]").Length(); n != 3 {
		t.Errorf("%d action rows", n)
	}
	token := tokenOf(t, form)
	in := url.Values{"form_token": {token}, "kind": {"attendance"}, "held-day": {"20"}, "held-month": {"11"}, "held-year": {"2026"},
		"completed_by": {"monitoring_officer"}, "provider": {"Craig Holloway"}, "school": {"Hannah Okafor"}, "cap": {""}, "student": {"yes"},
		"parent": {"Tanya Brown (mother)"}, "concerns": {"Four sessions missed in a fortnight"},
		"action-1": {"Call home every morning Kai is absent"}, "owner-1": {formatInt(craig)}, "due-1-day": {"27"}, "due-1-month": {"11"}, "due-1-year": {"2026"},
		"action-2": {"Review the school timetable"}, "owner-2": {formatInt(hannah)}, "due-2-day": {"4"}, "due-2-month": {"12"}, "due-2-year": {"2026"}}
	r := c.Post(pl+"/meetings/new", in)
	if r.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("provider staff saying a Monitoring Officer was there: %d", r.StatusCode)
	}
	doc := r.Doc(t)
	if s := doc.Find(".govuk-error-summary").Text(); !strings.Contains(s, "When a CAP Monitoring Officer is at the meeting, they complete the record") {
		t.Errorf("summary %q", s)
	}
	if _, checked := doc.Find("input[name=completed_by][value=monitoring_officer]").Attr("checked"); !checked {
		t.Error("the answer given is not kept")
	}
	if v, _ := doc.Find("#action-2").Attr("value"); v != "Review the school timetable" {
		t.Errorf("action 2 kept as %q", v)
	}
	if v, _ := doc.Find("#owner-2 option[selected]").Attr("value"); v != formatInt(hannah) {
		t.Errorf("owner 2 kept as %q", v)
	}

	more := url.Values{}
	for k, v := range in {
		more[k] = v
	}
	more.Set("add_action", "1")
	r = c.Post(pl+"/meetings/new", more)
	if r.StatusCode != http.StatusOK || r.Doc(t).Find("[data-testid=action-row]").Length() != 4 || r.Doc(t).Find(".govuk-error-summary").Length() != 0 {
		t.Errorf("add another action: %d, %d rows", r.StatusCode, r.Doc(t).Find("[data-testid=action-row]").Length())
	}

	in.Set("completed_by", "provider")
	for i := 0; i < 2; i++ {
		r = c.Post(pl+"/meetings/new", in)
		if r.StatusCode != http.StatusSeeOther || !strings.HasPrefix(r.Location(), "/meetings/") {
			t.Fatalf("send %d: %d to %q", i+1, r.StatusCode, r.Location())
		}
	}
	count := monCount{a}
	if n := count.n(t, `SELECT count(*) FROM monitoring_meetings WHERE completed_by = 'provider'`); n != 1 {
		t.Errorf("%d meetings after a double submit", n)
	}
	if n := count.n(t, `SELECT count(*) FROM meeting_actions`); n != 2 {
		t.Errorf("%d actions", n)
	}
	meeting := r.Location()
	page := c.Get(meeting)
	doc = page.Doc(t)
	if got := doc.Find("[data-testid=meeting]").Text(); !strings.Contains(got, "The provider, as no CAP Monitoring Officer was present") || !strings.Contains(got, "Tanya Brown (mother)") {
		t.Errorf("meeting shows %q", got)
	}
	if got := doc.Find("[data-testid=actions] tbody").Text(); !strings.Contains(got, "Call home every morning") || !strings.Contains(got, "Hannah Okafor") {
		t.Errorf("actions %q", got)
	}
	// Craig owns the first action only.
	forms := doc.Find("[data-testid=actions] form")
	if forms.Length() != 1 {
		t.Fatalf("%d mark-as-done buttons for Craig", forms.Length())
	}
	done, _ := forms.Attr("action")
	school := signedIn(t, a, monCoordinator)
	if r := school.Post(done, url.Values{}); r.StatusCode != http.StatusForbidden {
		t.Errorf("someone else marking Craig's action done: %d", r.StatusCode)
	}
	if r := signedIn(t, a, monAcademy).Post(done, url.Values{}); r.StatusCode != http.StatusNotFound {
		t.Errorf("another provider marking it done: %d", r.StatusCode)
	}
	r = c.Post(done, url.Values{"next": {meeting}})
	if r.StatusCode != http.StatusSeeOther || r.Location() != meeting {
		t.Fatalf("mark done: %d to %q", r.StatusCode, r.Location())
	}
	if got := c.Get(meeting).Doc(t).Find("[data-testid=actions] tbody tr").First().Text(); !strings.Contains(got, "Done on 23 November 2026") {
		t.Errorf("after marking done: %q", got)
	}
	if n := count.n(t, `SELECT count(*) FROM audit_log WHERE action = 'placement.meeting_action_done'`); n != 1 {
		t.Errorf("%d audit rows for marking done", n)
	}

	// A monitoring officer completes the record as the Monitoring Officer.
	mo := signedIn(t, a, monOfficer).Get(pl + "/meetings/new?kind=behaviour").Doc(t)
	if mo.Find("[data-testid=completed-by]").Length() != 1 || mo.Find("input[name=completed_by][type=radio]").Length() != 0 {
		t.Error("the monitoring officer is asked whether a Monitoring Officer was present")
	}
	if v, _ := mo.Find("#cap").Attr("value"); v != "Dean Hargreaves" {
		t.Errorf("CAP attendee pre-filled with %q", v)
	}
}

// Every monitoring page names the student and records the view, from the same request.
func TestMonitoringPagesRecordTheirViews(t *testing.T) {
	a, pl := monitoringApp(t)
	c := signedIn(t, a, monOfficer)
	token := tokenOf(t, c.Get(pl+"/meetings/new?kind=attendance"))
	r := c.Post(pl+"/meetings/new", url.Values{"form_token": {token}, "kind": {"attendance"}, "held-day": {"20"}, "held-month": {"11"}, "held-year": {"2026"},
		"completed_by": {"monitoring_officer"}, "cap": {"Dean Hargreaves"}, "student": {"no"}, "concerns": {"Absences"}})
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("record a meeting: %d", r.StatusCode)
	}
	for _, p := range []string{pl + "/monitoring", pl + "/reviews/new", pl + "/incidents/new", pl + "/meetings/new?kind=behaviour", r.Location()} {
		r := c.Get(p)
		if r.StatusCode != http.StatusOK || !strings.Contains(r.Body, "Kai Adeyemi-Brown") {
			t.Errorf("GET %s: %d, names the student: %v", p, r.StatusCode, strings.Contains(r.Body, "Kai Adeyemi-Brown"))
		}
		if n := (monCount{a}).n(t, `SELECT count(*) FROM audit_log WHERE request_id = $1`, r.Header.Get("X-Request-Id")); n == 0 {
			t.Errorf("GET %s wrote no audit row", p)
		}
	}
}
