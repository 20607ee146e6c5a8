package ui_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/placement/placementtest"
	"github.com/coventry-cap/capportal/internal/testapp"
)

// createForm is one of the portal's create forms as a person meets it: who signs in, the page that
// shows the form, where it posts, what they fill in (on top of what the page gives), and the records it
// makes, counted.
type createFormCase struct {
	name   string
	who    string
	page   string // the page with the form; "" when it is post itself
	post   string
	fill   func(t *testing.T, page testapp.Response, v url.Values)
	counts string // SELECT count(*) … of the records one post makes
	// prepare, when set, names the page and where it posts once the forms before it have been sent.
	prepare func(t *testing.T) (page, post string)
	file    []byte // an upload form's file
}

// dupPlacement is a Whitmore student at Ridgeway, Mondays and Tuesdays since 2 November 2026 (today is Monday 23 November).
func dupPlacement(t *testing.T, a *testapp.App) string {
	t.Helper()
	id := placementtest.Create(t, a.Pool, placementtest.Spec{StudentID: hostileFreeStudent(t, a, "whitmore", false), Provider: "ridgeway", Start: calendar.NewDate(2026, time.November, 2), Days: []int32{1, 2}})
	return "/placements/" + itoa64(id)
}

func setAll(v url.Values, kv ...string) {
	for i := 0; i+1 < len(kv); i += 2 {
		v.Set(kv[i], kv[i+1])
	}
}

// createForms lists every create form. A create form added to the portal belongs here.
func createForms(t *testing.T, a *testapp.App) []createFormCase {
	pl := dupPlacement(t, a)
	ridgeway := orgIDBySlug(t, a, "ridgeway")
	return []createFormCase{
		{name: "student", who: studentWhitmoreCoordinator, page: "/students/new", post: "/students",
			fill: func(_ *testing.T, _ testapp.Response, v url.Values) {
				for k, vs := range studentValidForm() {
					v[k] = vs
				}
			}, counts: `SELECT count(*) FROM students`},
		{name: "user", who: "admin@cap.example", page: "/admin/users/new", post: "/admin/users",
			fill: func(_ *testing.T, _ testapp.Response, v url.Values) {
				for k, vs := range createForm("Priya Shah", "priya.shah@whitmore.school.example", orgIDBySlug(t, a, "whitmore"), testapp.Password, "coordinator") {
					v[k] = vs
				}
			}, counts: `SELECT count(*) FROM users`},
		{name: "programme", who: "admin@cap.example", page: "/admin/programmes/new", post: "/admin/programmes",
			fill: func(_ *testing.T, _ testapp.Response, v url.Values) {
				for k, vs := range dirValidProgramme(orgIDBySlug(t, a, "brightspark")) {
					v[k] = vs
				}
			}, counts: `SELECT count(*) FROM programmes`},
		{name: "provider", who: "admin@cap.example", page: "/admin/providers/new", post: "/admin/providers",
			fill: func(_ *testing.T, _ testapp.Response, v url.Values) {
				for k, vs := range dirValidProvider() {
					v[k] = vs
				}
			}, counts: `SELECT count(*) FROM organisations`},
		{name: "referral start", who: appCoordinator, page: "/referrals/new?student=" + itoa64(hostileFreeStudent(t, a, "whitmore", true)) + "&programme=" + appCourseID(t, a), post: "/referrals",
			counts: `SELECT count(*) FROM referrals`},
		{name: "progress review", who: chRidgeway, page: pl + "/reviews/new", post: pl + "/reviews/new",
			fill: func(_ *testing.T, _ testapp.Response, v url.Values) {
				setAll(v, "held-day", "20", "held-month", "11", "held-year", "2026", "participants", "Craig Holloway, Kai",
					"progress-1", "Present every session", "progress-2", "Half the unit done", "next-day", "18", "next-month", "12", "next-year", "2026")
			}, counts: `SELECT count(*) FROM progress_reviews`},
		{name: "behaviour incident", who: chRidgeway, page: pl + "/incidents/new", post: pl + "/incidents/new",
			fill: func(_ *testing.T, _ testapp.Response, v url.Values) {
				setAll(v, "when-day", "17", "when-month", "11", "when-year", "2026", "time", "2:30pm", "what", "Walked out of the workshop",
					"action", "Talked it through", "told", "School DSL")
			}, counts: `SELECT count(*) FROM behaviour_incidents`},
		{name: "attendance meeting", who: chRidgeway, page: pl + "/meetings/new?kind=attendance", post: pl + "/meetings/new?kind=attendance",
			fill: func(_ *testing.T, _ testapp.Response, v url.Values) {
				setAll(v, "kind", "attendance", "held-day", "20", "held-month", "11", "held-year", "2026", "completed_by", "provider",
					"provider", "Craig Holloway", "school", "Hannah Okafor", "student", "yes", "concerns", "Four sessions missed in a fortnight")
			}, counts: `SELECT count(*) FROM monitoring_meetings`},
		{name: "change of day", who: chRidgeway, page: pl + "/change-of-day", post: pl + "/change-of-day",
			fill: func(_ *testing.T, _ testapp.Response, v url.Values) {
				v["days"] = []string{"3", "4"}
				setAll(v, "sessions", "am", "reason", "The Tuesday group moved", "impact", "He keeps English at school on Tuesdays.")
			}, counts: `SELECT count(*) FROM change_of_day_requests`},
		{name: "withdrawal", who: chRidgeway, page: pl + "/withdraw", post: pl + "/withdraw",
			fill: func(_ *testing.T, _ testapp.Response, v url.Values) {
				setAll(v, "reason", "Not attending", "impact", "Considered with the school.")
			}, counts: `SELECT count(*) FROM withdrawal_requests`},
		{name: "qualification", who: chRidgeway, page: pl + "/outcome", post: pl + "/qualifications",
			fill: func(_ *testing.T, _ testapp.Response, v url.Values) {
				setAll(v, "name", "Level 1 Award in Vehicle Maintenance", "level", "Level 1", "awarding_body", "City & Guilds")
			}, counts: `SELECT count(*) FROM placement_qualifications`},
		{name: "register", who: chRidgeway, page: "/registers/" + ridgeway + "/2026-11-23/am", post: "/registers/" + ridgeway + "/2026-11-23/am",
			fill: func(t *testing.T, page testapp.Response, v url.Values) {
				page.Doc(t).Find(`input[type="radio"][name^="mark-"][value="present"]`).Each(func(_ int, s *goquery.Selection) {
					name, _ := s.Attr("name")
					v.Set(name, "present")
				})
			}, counts: `SELECT (SELECT count(*) FROM attendance_marks) + (SELECT count(*) FROM attendance_mark_history)`},
		{name: "mark correction", who: chRidgeway, counts: `SELECT count(*) FROM attendance_mark_history`,
			prepare: func(t *testing.T) (string, string) {
				p := "/marks/" + itoa64(int64(dupCount(t, a, `SELECT max(id) FROM attendance_marks`))) + "/correct"
				return p, p
			},
			fill: func(t *testing.T, page testapp.Response, v url.Values) {
				page.Doc(t).Find(`input[type="radio"][name^="mark-"][value="late"]`).Each(func(_ int, s *goquery.Selection) {
					name, _ := s.Attr("name")
					v.Set(name, "late")
					v.Set("late-"+strings.TrimPrefix(name, "mark-"), "10")
				})
				v.Set("why", "The bus was late; he came in at ten past nine.")
			}},
		{name: "document upload", who: appCoordinator, counts: `SELECT count(*) FROM referral_documents`, file: []byte("%PDF-1.4\n%duplicate posts\n"),
			prepare: func(t *testing.T) (string, string) {
				p := "/referrals/draft-" + itoa64(int64(dupCount(t, a, `SELECT max(id) FROM referrals WHERE reference IS NULL`))) + "/documents"
				return p, p
			},
			fill: func(_ *testing.T, _ testapp.Response, v url.Values) {
				// The page's first form to this address is the one saying no commissioning agreement is needed.
				v.Del("intent")
				v.Del("no_commissioning")
				setAll(v, "kind", "other", "description", "Attendance letter")
			}},
	}
}

func dupCount(t *testing.T, a *testapp.App, q string) int {
	t.Helper()
	var n int
	if err := a.Pool.QueryRow(context.Background(), q).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

// Ten identical posts of each create form, sent at once, make one record, and all ten answers lead to it.
func TestTenIdenticalPostsOfEveryCreateFormMakeOneRecord(t *testing.T) {
	a := testapp.New(t)
	sent, extra := 0, 0
	for _, tc := range createForms(t, a) {
		t.Run(tc.name, func(t *testing.T) {
			c := a.Client(t)
			c.SignIn(tc.who)
			if tc.prepare != nil {
				tc.page, tc.post = tc.prepare(t)
			}
			page := c.Get(tc.page)
			form, _, ok := pageForm(t, page, tc.post)
			if !ok {
				t.Fatalf("GET %s (%d) has no form posting to %s", tc.page, page.StatusCode, tc.post)
			}
			if form.Get("form_token") == "" && form.Get("start_token") == "" {
				t.Errorf("the form posting to %s carries no one-time token", tc.post)
			}
			if tc.fill != nil {
				tc.fill(t, page, form)
			}
			before := dupCount(t, a, tc.counts)
			answers := tenAtOnce(t, a, c, tc.post, form, tc.file)
			sent += len(answers)
			made := dupCount(t, a, tc.counts) - before
			if made > 1 {
				extra += made - 1
			}
			if made != 1 {
				t.Errorf("ten identical posts made %d records; the first answer %d: %s", made, answers[0].StatusCode,
					strings.Join(strings.Fields(answers[0].Doc(t).Find(".govuk-error-summary, main").First().Text()), " "))
			}
			for i, r := range answers {
				if r.StatusCode != http.StatusSeeOther || r.Location() != answers[0].Location() {
					t.Errorf("answer %d: %d to %q; the first led to %q (%d)", i+1, r.StatusCode, r.Location(), answers[0].Location(), answers[0].StatusCode)
				}
			}
			if r := c.Get(answers[0].Location()); r.StatusCode != http.StatusOK {
				t.Errorf("where the answers lead, %s, is %d", answers[0].Location(), r.StatusCode)
			}
		})
	}
	fmt.Printf("VERIFY|duplicate posts sent|%d|\n", sent)
	fmt.Printf("VERIFY|records created by duplicate posts beyond one each|%d|0\n", extra)
}

// tenAtOnce sends the form ten times in parallel, released together.
func tenAtOnce(t *testing.T, a *testapp.App, c *testapp.Client, path string, form url.Values, file []byte) []testapp.Response {
	t.Helper()
	answers := make([]testapp.Response, 10)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range answers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			if file != nil {
				answers[i] = multipartPost(t, a, c, path, form, "file", "letter.pdf", file)
			} else {
				answers[i] = c.Post(path, form)
			}
		}()
	}
	close(start)
	wg.Wait()
	return answers
}

// A form sent back with mistakes gives its token back, so the corrected form is saved; sent again,
// it leads to what it made; the same token on another form is refused.
func TestAOneTimeTokenIsKeptOnlyByASave(t *testing.T) {
	a := testapp.New(t)
	c := a.Client(t)
	c.SignIn(chAdmin)
	page := c.Get("/admin/providers/new")
	form, _, ok := pageForm(t, page, "/admin/providers")
	if !ok || !validHex(form.Get("form_token")) {
		t.Fatalf("no provider form with a one-time token (%d)", page.StatusCode)
	}
	token := form.Get("form_token")
	for k, vs := range dirValidProvider() {
		form[k] = vs
	}
	form.Set("name", "")
	if r := c.Post("/admin/providers", form); r.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("without a name: %d", r.StatusCode)
	}
	form.Set("name", "Skyline Access Training")
	first := c.Post("/admin/providers", form)
	if first.StatusCode != http.StatusSeeOther || !strings.HasPrefix(first.Location(), "/directory/providers/") {
		t.Fatalf("corrected, with the same token: %d to %q", first.StatusCode, first.Location())
	}
	form.Set("name", "Skyline Access Training Two")
	if again := c.Post("/admin/providers", form); again.StatusCode != http.StatusSeeOther || again.Location() != first.Location() {
		t.Errorf("sent again: %d to %q, want %q", again.StatusCode, again.Location(), first.Location())
	} else if shown := c.Get(again.Location()); !strings.Contains(shown.Body, "already been sent, so it was not saved again") {
		t.Errorf("the record's page after sending again does not say the form was not saved again")
	}
	if n := dupCount(t, a, `SELECT count(*) FROM organisations WHERE name LIKE 'Skyline%'`); n != 1 {
		t.Errorf("%d providers saved", n)
	}
	admin2 := a.Client(t)
	admin2.SignIn(chAdmin)
	if r := admin2.Post("/admin/programmes", url.Values{"form_token": {token}}); r.StatusCode != http.StatusConflict {
		t.Errorf("the token on another form: %d, want 409", r.StatusCode)
	}
}
