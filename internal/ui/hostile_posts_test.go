package ui_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/go-chi/chi/v5"

	"github.com/coventry-cap/capportal/internal/seed"
	"github.com/coventry-cap/capportal/internal/testapp"
	"github.com/coventry-cap/capportal/internal/ui"
)

// The hostile-input test: every form the portal shows, found by walking its pages as each kind of
// person, is sent hostile values in each field in turn. Every POST route must be reached by some form;
// a new route joins by itself once a page shows its form, and a route no page shows fails the test
// until hostileSetup (below) makes the state in which its form appears.

// hostileMarker is the script planted in forms; no answer may carry it unescaped.
const hostileMarker = `<script>alert("cap-hostile")</script>`

// hostileWalkers are the people whose pages are walked for forms, one of each kind.
var hostileWalkers = []string{
	"admin@cap.example", "coordinator@whitmore.school.example", "staff@ridgeway.provider.example",
	"monitoring@cap.example", "panel@cap.example", "headteacher@whitmore.school.example", "dsl@whitmore.school.example",
	"safeguarding@cap.example", "lead@cap.example", "dsl@ridgeway.provider.example", "staff@capa.provider.example",
}

// seenForm is a form as a page showed it to someone.
type seenForm struct {
	who, page, action string
	multipart         bool
	values            url.Values
	names             []string
	files             []string
}

// hostileWalk collects, for each POST route pattern, the first form seen posting to it.
type hostileWalk struct {
	t      *testing.T
	a      *testapp.App
	router chi.Router
	forms  map[string]seenForm // by POST route pattern
	pages  int
}

func (w *hostileWalk) pattern(method, path string) string {
	return w.router.Find(chi.NewRouteContext(), method, path)
}

// note records the POST forms of a page.
func (w *hostileWalk) note(who, page string, r testapp.Response) {
	if !strings.HasPrefix(r.Header.Get("Content-Type"), "text/html") {
		return
	}
	doc := r.Doc(w.t)
	doc.Find(`form[method="post"]`).Each(func(_ int, f *goquery.Selection) {
		action, _ := f.Attr("action")
		u, err := url.Parse(action)
		if err != nil || !strings.HasPrefix(u.Path, "/") {
			return
		}
		pat := w.pattern(http.MethodPost, u.Path)
		if pat == "" {
			return
		}
		if _, done := w.forms[pat]; done {
			return
		}
		values, names, _ := pageForm(w.t, r, action)
		sf := seenForm{who: who, page: page, action: u.RequestURI(), values: values, names: names}
		enc, _ := f.Attr("enctype")
		sf.multipart = enc == "multipart/form-data"
		f.Find(`input[type="file"]`).Each(func(_ int, in *goquery.Selection) {
			n, _ := in.Attr("name")
			sf.files = append(sf.files, n)
		})
		w.forms[pat] = sf
	})
}

// walk follows the links the person is shown from the start pages, at most two addresses of each route.
func (w *hostileWalk) walk(who string, c *testapp.Client, start ...string) {
	perRoute := map[string]int{}
	queue := append([]string(nil), start...)
	seen := map[string]bool{}
	for len(queue) > 0 && w.pages < 4000 {
		path := queue[0]
		queue = queue[1:]
		if seen[path] {
			continue
		}
		seen[path] = true
		u, _ := url.Parse(path)
		pat := w.pattern(http.MethodGet, u.Path)
		if pat == "" || pat == "/assets/*" || perRoute[pat] >= hostileVisits(pat) || strings.HasSuffix(pat, ".pdf") || strings.HasSuffix(pat, ".csv") ||
			pat == "/referrals/{ref}/documents/{doc}" || pat == "/metrics" {
			continue
		}
		perRoute[pat]++
		r := c.Get(path)
		w.pages++
		if r.StatusCode != http.StatusOK || !strings.HasPrefix(r.Header.Get("Content-Type"), "text/html") {
			continue
		}
		w.note(who, path, r)
		r.Doc(w.t).Find("a[href]").Each(func(_ int, s *goquery.Selection) {
			href, _ := s.Attr("href")
			href = strings.SplitN(href, "#", 2)[0]
			if strings.HasPrefix(href, "/") && !strings.HasPrefix(href, "//") && !seen[href] {
				queue = append(queue, href)
			}
		})
	}
}

// hostileVisits is how many addresses of a page route are walked: a record's own page many times,
// since what it offers depends on the record's state (a referral's step above all); others twice.
func hostileVisits(pattern string) int {
	switch pattern {
	case "/referrals/{ref}", "/placements/{id}", "/panels/rounds/{id}", "/panels/rounds/{id}/{panel}", "/panels/cohorts/{id}",
		"/changes/{id}", "/withdrawals/{id}", "/meetings/{id}", "/admin/users/{id}", "/placements/{id}/monitoring":
		return 40
	}
	if strings.HasPrefix(pattern, "/referrals/{ref}/") {
		return 4
	}
	return 2
}

func freshToken() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// hostileVariant is one hostile form: what it does, and the form.
type hostileVariant struct {
	what string
	form url.Values
}

func cloneValues(v url.Values) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}

// hostileVariants are the form with each field in turn given each hostile value, and each date
// input given 31 February and the year 99999.
func hostileVariants(f seenForm) []hostileVariant {
	values := []struct{ what, v string }{
		{"a script tag", hostileMarker},
		{"an SQL fragment", `'; DROP TABLE students; --`},
		{"an SQL condition", `1 OR 1=1`},
		{"10,000 characters", strings.Repeat("x", 10000)},
		{"bytes that are not UTF-8", "\xff\xfe\xfd"},
		{"a NUL byte", "a\x00b"},
		{"a negative number", "-1"},
		{"a huge number", "99999999999999999999"},
	}
	var out []hostileVariant
	dates := map[string]bool{}
	for _, name := range f.names {
		for _, hv := range values {
			v := cloneValues(f.values)
			v.Set(name, hv.v)
			out = append(out, hostileVariant{name + " = " + hv.what, v})
		}
		dup := cloneValues(f.values)
		dup[name] = append([]string{hostileMarker}, append(dup[name], "-1")...)
		out = append(out, hostileVariant{name + " sent three times", dup})
		missing := cloneValues(f.values)
		delete(missing, name)
		out = append(out, hostileVariant{name + " missing", missing})
		if p, ok := strings.CutSuffix(name, "-day"); ok {
			dates[p] = true
		}
	}
	// Every form, even one with no fields, is sent empty and with a field it does not have.
	extra := cloneValues(f.values)
	extra.Set("hostile", hostileMarker)
	out = append(out, hostileVariant{"every field missing", url.Values{}}, hostileVariant{"a field it does not have", extra})
	for p := range dates {
		feb := cloneValues(f.values)
		feb.Set(p+"-day", "31")
		feb.Set(p+"-month", "2")
		feb.Set(p+"-year", "2027")
		far := cloneValues(f.values)
		far.Set(p+"-day", "1")
		far.Set(p+"-month", "1")
		far.Set(p+"-year", "99999")
		out = append(out, hostileVariant{p + " = 31 February", feb}, hostileVariant{p + " = year 99999", far})
	}
	return out
}

// hostilePost sends a variant as the form would be sent, with a fresh one-time token so that each is
// acted on rather than answered as a repeat.
func hostilePost(t *testing.T, a *testapp.App, c *testapp.Client, f seenForm, v url.Values) testapp.Response {
	t.Helper()
	for _, tok := range []string{"form_token", "start_token"} {
		if old := v.Get(tok); old != "" && validHex(old) {
			v.Set(tok, freshToken())
		}
	}
	if !f.multipart {
		return c.Post(f.action, v)
	}
	file := "file"
	if len(f.files) > 0 {
		file = f.files[0]
	}
	// The file is hostile too: a script in its name, and a CSV of 31 February, the year 99999 and bytes that are not UTF-8.
	return multipartPost(t, a, c, f.action, v, file, hostileMarker+".csv",
		[]byte("UPN,Legal forename,Legal surname,DOB,Sex,Year\nH331290119101,"+hostileMarker+",\xff,31/02/2012,M,99999\n"))
}

func validHex(s string) bool {
	_, err := hex.DecodeString(s)
	return err == nil && len(s) == 32
}

// hostileAnswerProblem says what is wrong with an answer to a hostile post, or "".
func hostileAnswerProblem(t *testing.T, r testapp.Response) string {
	switch {
	case r.StatusCode >= 500:
		return fmt.Sprintf("answered %d", r.StatusCode)
	case strings.Contains(r.Body, hostileMarker):
		return "the script came back unescaped"
	case r.StatusCode == http.StatusUnprocessableEntity:
		doc := r.Doc(t)
		if doc.Find(".govuk-error-summary").Length() == 0 && hygieneHeading(t, r) != "Some of what you typed cannot be saved" {
			return "a 422 without the error summary"
		}
	}
	return ""
}

// hostileRoute sends every hostile variant of the form and checks each answer, and where a saved
// form leads; it returns how many it sent and how many were answered with a server error.
// hostileSignIns sign people in on a state's portal where the password alone does not (a second
// factor set up, a fresh confirmation for safeguarding records): a state in hostileStates sets its
// portal's.
var hostileSignIns = map[*testapp.App]func(t *testing.T, who string) *testapp.Client{}

// hostileClient is a client signed in as who on the portal, as the portal's state says.
func hostileClient(t *testing.T, a *testapp.App, who string) *testapp.Client {
	t.Helper()
	if signIn, ok := hostileSignIns[a]; ok {
		return signIn(t, who)
	}
	c := a.Client(t)
	c.SignIn(who)
	return c
}

func hostileRoute(t *testing.T, a *testapp.App, f seenForm) (sent, failed int) {
	t.Helper()
	var c *testapp.Client
	if f.who == "" {
		c = a.ClientFrom(t, "127.0.0.66") // sign-in is throttled by address
	} else {
		c = hostileClient(t, a, f.who)
	}
	problems := 0
	for _, hv := range hostileVariants(f) {
		r := hostilePost(t, a, c, f, hv.form)
		sent++
		msg := hostileAnswerProblem(t, r)
		if msg == "" && r.StatusCode >= 300 && r.StatusCode < 400 {
			if loc := r.Location(); strings.HasPrefix(loc, "/") && loc != "/login" {
				if shown := c.Get(loc); hostileAnswerProblem(t, shown) != "" && shown.StatusCode != http.StatusUnprocessableEntity {
					msg = "where it led, " + loc + ", " + hostileAnswerProblem(t, shown)
				}
			}
		}
		if r.StatusCode >= 500 {
			failed++
		}
		if msg != "" {
			problems++
			if problems <= 3 {
				t.Errorf("POST %s (as %s, form from %s) with %s: %s", f.action, f.who, f.page, hv.what, msg)
			}
		}
	}
	if problems > 3 {
		t.Errorf("POST %s: %d more problems", f.action, problems-3)
	}
	return sent, failed
}

func TestHostileValuesInEveryFormAreRefusedOrSavedCleanlyAndShownEscaped(t *testing.T) {
	started := time.Now()
	a := testapp.New(t)
	// The demo referrals, at every step of the pathway and on the panels' agendas, so each step's form shows.
	if _, err := seed.LoadDemoReferrals(context.Background(), a.Pool, a.Clock); err != nil {
		t.Fatal(err)
	}
	w := &hostileWalk{t: t, a: a, router: a.Server.Routes().Router(), forms: map[string]seenForm{}}
	extra := hostileSetup(t, a, w)
	anon := a.Client(t)
	w.walk("", anon, "/login")
	for _, who := range hostileWalkers {
		c := a.Client(t)
		c.SignIn(who)
		w.walk(who, c, append([]string{"/"}, extra[who]...)...)
	}
	t.Logf("walked %d pages in %v; forms for %d POST routes", w.pages, time.Since(started).Round(time.Millisecond), len(w.forms))

	var posts []string
	for _, rt := range walk(t, a) {
		if rt[0] == http.MethodPost {
			posts = append(posts, rt[1])
		}
	}
	sort.Strings(posts)
	// Signing in and out last, so that no session the others need ends early.
	sort.SliceStable(posts, func(i, j int) bool {
		return posts[i] != "/login" && posts[i] != "/logout" && (posts[j] == "/login" || posts[j] == "/logout")
	})
	sent, failed := 0, 0
	for _, pat := range posts {
		if f, ok := w.forms[pat]; ok {
			n, bad := hostileRoute(t, a, f)
			sent, failed = sent+n, failed+bad
			continue
		}
		state, has := hostileStates["POST "+pat]
		if !has {
			t.Errorf("POST %s: no page shown to %d kinds of people has its form, so no hostile values were sent to it: "+
				"add the state in which a page shows it to hostileStates (hostile_states_test.go): "+
				`"POST %s": func(t, a) (who, page string) { …make the state…; return "someone@…", "/the/page" }`, pat, len(hostileWalkers), pat)
			continue
		}
		// A portal of its own, as the state may move the clock, closed when its posts are done (so the
		// states' portals do not together hold more connections than the database allows). The test-only
		// step-up stands in for a safeguarding record's second-factor confirmation.
		t.Run("POST "+pat, func(t *testing.T) {
			app := testapp.New(t, testapp.Options{ExtraRoutes: ui.AddStepUpForTest})
			defer delete(hostileSignIns, app)
			who, page := state(t, app)
			c := hostileClient(t, app, who)
			own := &hostileWalk{t: t, a: app, router: app.Server.Routes().Router(), forms: map[string]seenForm{}}
			own.note(who, page, c.Get(page))
			f, ok := own.forms[pat]
			if !ok {
				t.Errorf("POST %s: its state in hostileStates shows %s no form for it on %s", pat, who, page)
				return
			}
			n, bad := hostileRoute(t, app, f)
			sent, failed = sent+n, failed+bad
		})
	}
	// Wherever the values are listed afterwards, they are escaped.
	for _, who := range []string{"admin@cap.example", "coordinator@whitmore.school.example", "staff@ridgeway.provider.example"} {
		c := a.Client(t)
		c.SignIn(who)
		for _, p := range []string{"/", "/students", "/students?q=script", "/referrals", "/placements", "/changes", "/withdrawals",
			"/notifications", "/admin/users", "/directory?q=script", "/admin/audit", "/neet-risk", "/census", "/registers", "/schools"} {
			if r := c.Get(p); strings.Contains(r.Body, hostileMarker) || r.StatusCode >= 500 {
				t.Errorf("GET %s as %s after the hostile posts: %d, script unescaped: %v", p, who, r.StatusCode, strings.Contains(r.Body, hostileMarker))
			}
		}
	}
	t.Logf("%d hostile posts to %d routes in %v", sent, len(posts), time.Since(started).Round(time.Millisecond))
	fmt.Printf("VERIFY|hostile posts sent|%d|\n", sent)
	fmt.Printf("VERIFY|hostile posts answered 5xx|%d|0\n", failed)
}
