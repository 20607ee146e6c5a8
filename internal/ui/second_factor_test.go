package ui_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/go-chi/chi/v5"

	"github.com/coventry-cap/capportal/internal/auth"
	"github.com/coventry-cap/capportal/internal/secondfactor"
	"github.com/coventry-cap/capportal/internal/testapp"
	"github.com/coventry-cap/capportal/internal/ui"
)

func codeAt(t *testing.T, key string, at time.Time) string {
	t.Helper()
	code, err := secondfactor.CodeAt(key, at)
	if err != nil {
		t.Fatal(err)
	}
	return code
}

// enrolSecondFactor sets up a second factor as a person would: reads the key shown as text, works
// out the app's code from it, and confirms it. It returns the key and the recovery codes shown.
func enrolSecondFactor(t *testing.T, a *testapp.App, c *testapp.Client) (string, []string) {
	t.Helper()
	r := c.Get("/account/second-factor")
	if r.StatusCode != http.StatusOK {
		t.Fatalf("set-up page: %d", r.StatusCode)
	}
	doc := r.Doc(t)
	if src, _ := doc.Find("[data-testid=second-factor-qr]").Attr("src"); !strings.HasPrefix(src, "data:image/png;base64,") {
		t.Fatalf("no QR code drawn on the server: %.60q", src)
	}
	var key string
	doc.Find(".govuk-summary-list__row").Each(func(_ int, row *goquery.Selection) {
		if strings.TrimSpace(row.Find(".govuk-summary-list__key").Text()) == "Key" {
			key = strings.ReplaceAll(strings.TrimSpace(row.Find(".govuk-summary-list__value").Text()), " ", "")
		}
	})
	if len(key) < 32 {
		t.Fatalf("key shown as text: %q", key)
	}
	r = c.Post("/account/second-factor", url.Values{"code": {codeAt(t, key, a.Clock.Now())}})
	if r.StatusCode != http.StatusOK || !strings.Contains(r.Body, "Second factor set up") {
		t.Fatalf("confirm enrolment: %d\n%s", r.StatusCode, r.Body)
	}
	var codes []string
	r.Doc(t).Find("[data-testid=recovery-codes] code").Each(func(_ int, s *goquery.Selection) { codes = append(codes, s.Text()) })
	if len(codes) != 10 {
		t.Fatalf("recovery codes shown: %v", codes)
	}
	return key, codes
}

// passwordStep signs in with the password and expects to be asked for a code.
func passwordStep(t *testing.T, c *testapp.Client, email string) {
	t.Helper()
	r := c.Post("/login", url.Values{"email": {email}, "password": {testapp.Password}})
	if r.StatusCode != http.StatusSeeOther || r.Location() != "/login/second-factor" {
		t.Fatalf("password step for %s: %d to %q", email, r.StatusCode, r.Location())
	}
}

func giveCode(c *testapp.Client, code string) testapp.Response {
	return c.Post("/login/second-factor", url.Values{"code": {code}})
}

func TestSecondFactorEnrolThenSignInWithACode(t *testing.T) {
	a := testapp.New(t, testapp.Options{SecondFactorRequired: true})
	c := a.Client(t)
	c.SignIn("admin@cap.example")
	if r := c.Get("/"); r.StatusCode != http.StatusSeeOther || r.Location() != "/account/second-factor" {
		t.Fatalf("unenrolled CAP admin at home: %d to %q", r.StatusCode, r.Location())
	}
	key, _ := enrolSecondFactor(t, a, c)
	if r := c.Get("/"); r.StatusCode != http.StatusOK {
		t.Fatalf("after enrolling, home: %d", r.StatusCode)
	}
	id := userID(t, a, "admin@cap.example")
	if n := auditCount(t, a, "second_factor.enrolled", id); n != 1 {
		t.Errorf("enrolment audited %d times", n)
	}
	// The secret is sealed, never stored or logged as the key.
	var sealed []byte
	if err := a.Pool.QueryRow(context.Background(), `SELECT sealed_key FROM second_factors WHERE user_id = $1::bigint`, id).Scan(&sealed); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(sealed), key) || strings.Contains(a.LogText(), key) {
		t.Errorf("the key is readable in the database or the log")
	}

	a.Clock.Advance(time.Minute)
	c2 := a.Client(t)
	passwordStep(t, c2, "admin@cap.example")
	// Half signed in: nothing else is reachable yet.
	for _, path := range []string{"/", "/admin/users", "/account/second-factor"} {
		if r := c2.Get(path); r.StatusCode != http.StatusSeeOther || !strings.HasPrefix(r.Location(), "/login") {
			t.Errorf("half signed in, %s: %d to %q", path, r.StatusCode, r.Location())
		}
	}
	if r := giveCode(c2, "000000"); r.StatusCode != http.StatusUnprocessableEntity ||
		!strings.Contains(r.Doc(t).Find(".govuk-error-summary").Text(), "The code is not correct") {
		t.Fatalf("a wrong code: %d", r.StatusCode)
	}
	if r := giveCode(c2, codeAt(t, key, a.Clock.Now())); r.StatusCode != http.StatusSeeOther || r.Location() != "/" {
		t.Fatalf("the right code: %d to %q", r.StatusCode, r.Location())
	}
	if r := c2.Get("/admin/users"); r.StatusCode != http.StatusOK {
		t.Fatalf("signed in with a code, users: %d", r.StatusCode)
	}
	if r := c2.Get("/account/second-factor"); !strings.Contains(r.Body, "10 of 10") {
		t.Errorf("status page does not show the recovery codes left")
	}
}

func TestASecondFactorCodeIsAcceptedOnlyOnce(t *testing.T) {
	a := testapp.New(t)
	c := a.Client(t)
	c.SignIn("dsl@whitmore.school.example")
	key, _ := enrolSecondFactor(t, a, c)
	// The code that confirmed enrolment cannot sign in.
	c2 := a.Client(t)
	passwordStep(t, c2, "dsl@whitmore.school.example")
	if r := giveCode(c2, codeAt(t, key, a.Clock.Now())); r.StatusCode != http.StatusUnprocessableEntity ||
		!strings.Contains(r.Body, "That code has already been used") {
		t.Fatalf("the enrolment code again: %d", r.StatusCode)
	}
	a.Clock.Advance(30 * time.Second)
	code := codeAt(t, key, a.Clock.Now())
	if r := giveCode(c2, code); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("the next code: %d", r.StatusCode)
	}
	// Nor can a code be used twice at sign-in, even by someone else who saw it.
	c3 := a.Client(t)
	passwordStep(t, c3, "dsl@whitmore.school.example")
	if r := giveCode(c3, code); r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "That code has already been used") {
		t.Fatalf("the same code twice: %d", r.StatusCode)
	}
	// An earlier step's code is refused too once a later one was accepted.
	if r := giveCode(c3, codeAt(t, key, a.Clock.Now().Add(-30*time.Second))); r.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("an older code: %d", r.StatusCode)
	}
}

func TestARecoveryCodeWorksOnce(t *testing.T) {
	a := testapp.New(t)
	c := a.Client(t)
	c.SignIn("dsl@ridgeway.provider.example")
	key, codes := enrolSecondFactor(t, a, c)
	c2 := a.Client(t)
	passwordStep(t, c2, "dsl@ridgeway.provider.example")
	// Typed in capitals without the hyphen, as read off paper.
	typed := strings.ToUpper(strings.ReplaceAll(codes[3], "-", " "))
	if r := giveCode(c2, typed); r.StatusCode != http.StatusSeeOther || r.Location() != "/" {
		t.Fatalf("a recovery code: %d to %q\n%s", r.StatusCode, r.Location(), r.Body)
	}
	if r := c2.Get("/"); !strings.Contains(r.Body, "You have 9 left") {
		t.Errorf("no note of the recovery codes left")
	}
	c3 := a.Client(t)
	passwordStep(t, c3, "dsl@ridgeway.provider.example")
	if r := giveCode(c3, codes[3]); r.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("a used recovery code again: %d", r.StatusCode)
	}
	if n := auditCount(t, a, "second_factor.recovery_code_used", userID(t, a, "dsl@ridgeway.provider.example")); n != 1 {
		t.Errorf("recovery code use audited %d times", n)
	}
	// New recovery codes replace the old ones, after a code from the app.
	a.Clock.Advance(time.Minute)
	r := c.Post("/account/second-factor/recovery-codes", url.Values{"code": {codeAt(t, key, a.Clock.Now())}})
	if r.StatusCode != http.StatusOK || r.Doc(t).Find("[data-testid=recovery-codes] code").Length() != 10 {
		t.Fatalf("new recovery codes: %d", r.StatusCode)
	}
	if r := c.Post("/account/second-factor/recovery-codes", url.Values{"code": {"123456"}}); r.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("new recovery codes with a wrong code: %d", r.StatusCode)
	}
	c4 := a.Client(t)
	passwordStep(t, c4, "dsl@ridgeway.provider.example")
	if r := giveCode(c4, codes[5]); r.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("a replaced recovery code: %d", r.StatusCode)
	}
	// Only hashes are kept.
	var plain int
	if err := a.Pool.QueryRow(context.Background(), `SELECT count(*) FROM second_factor_recovery_codes
		WHERE length(code_hash) <> 32 OR position(convert_to($1, 'UTF8') in code_hash) > 0`,
		strings.ReplaceAll(codes[0], "-", "")).Scan(&plain); err != nil || plain != 0 {
		t.Errorf("recovery codes kept other than as hashes: %d, %v", plain, err)
	}
}

func TestAWrongCodeBurstIsThrottled(t *testing.T) {
	a := testapp.New(t)
	c := a.Client(t)
	c.SignIn("monitoring@cap.example")
	key, _ := enrolSecondFactor(t, a, c)
	a.Clock.Advance(30 * time.Second)
	c2 := a.Client(t)
	passwordStep(t, c2, "monitoring@cap.example")
	for i := range auth.PairLimit {
		if r := giveCode(c2, "12345"+string(rune('0'+i%10))); r.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("wrong code %d: %d", i, r.StatusCode)
		}
	}
	r := giveCode(c2, codeAt(t, key, a.Clock.Now()))
	if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.Doc(t).Find(".govuk-error-summary").Text(), "You have entered a wrong code too many times") {
		t.Fatalf("after %d wrong codes, the right one: %d", auth.PairLimit, r.StatusCode)
	}
	if n := auditCount(t, a, "second_factor.throttled", userID(t, a, "monitoring@cap.example")); n != 1 {
		t.Errorf("throttled attempts audited %d times", n)
	}
	// After the window the right code works.
	a.Clock.Advance(auth.PairWindow + time.Minute)
	c3 := a.Client(t)
	passwordStep(t, c3, "monitoring@cap.example")
	if r := giveCode(c3, codeAt(t, key, a.Clock.Now())); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("after the window: %d", r.StatusCode)
	}
}

// Every page the router serves, as an unenrolled CAP admin, school DSL and provider DSL: each sends
// them to set up a second factor, coming back to the page after.
func TestUnenrolledCAPStaffAndDSLsReachNothingButEnrolment(t *testing.T) {
	a := testapp.New(t, testapp.Options{SecondFactorRequired: true})
	var gets []string
	if err := chi.Walk(a.Server.Routes().Router(), func(method, route string, _ http.Handler, _ ...func(http.Handler) http.Handler) error {
		if method == http.MethodGet {
			gets = append(gets, route)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	param := strings.NewReplacer("{id}", "1", "{ref}", "1", "{doc}", "1", "{case}", "1", "{section}", "1", "{year}", "2026-27",
		"{panel}", "1", "{provider}", "1", "{date}", "2026-11-23", "{session}", "am", "*", "css/app.css")
	allowed := map[string]bool{"/account/second-factor": true, "/account/second-factor/confirm": true, "/login": true, "/login/second-factor": true}
	public := map[string]bool{"/healthz": true, "/readyz": true, "/metrics": true, "/assets/*": true, "/robots.txt": true}
	for _, email := range []string{"admin@cap.example", "dsl@whitmore.school.example", "dsl@ridgeway.provider.example"} {
		c := a.Client(t)
		c.SignIn(email)
		checked := 0
		for _, route := range gets {
			path := param.Replace(route)
			r := c.Get(path)
			switch {
			case public[route]:
				if r.StatusCode != http.StatusOK && r.StatusCode != http.StatusServiceUnavailable {
					t.Errorf("%s: %s: %d", email, path, r.StatusCode)
				}
			case allowed[route]:
			default:
				want := "/account/second-factor?next=" + url.QueryEscape(path)
				if path == "/" {
					want = "/account/second-factor"
				}
				if r.StatusCode != http.StatusSeeOther || r.Location() != want {
					t.Errorf("%s: GET %s: %d to %q, want 303 to %q", email, path, r.StatusCode, r.Location(), want)
				}
				checked++
			}
		}
		if checked < 50 {
			t.Errorf("%s: only %d pages checked", email, checked)
		}
		// A POST is refused the same way; signing out still works.
		if r := c.Post("/account/password", url.Values{}); r.StatusCode != http.StatusSeeOther || r.Location() != "/account/second-factor" {
			t.Errorf("%s: POST: %d to %q", email, r.StatusCode, r.Location())
		}
		// The set-up page shows no navigation to pages they cannot reach.
		if nav := c.Get("/account/second-factor").Doc(t).Find("nav a[href='/admin/users'], nav a[href='/students']").Length(); nav != 0 {
			t.Errorf("%s: the set-up page links to %d pages they cannot reach", email, nav)
		}
		if r := c.Post("/logout", url.Values{}); r.StatusCode != http.StatusSeeOther || r.Location() != "/login" {
			t.Errorf("%s: sign out: %d to %q", email, r.StatusCode, r.Location())
		}
	}
	// A coordinator needs no second factor.
	c := a.Client(t)
	c.SignIn("coordinator@whitmore.school.example")
	if r := c.Get("/students"); r.StatusCode != http.StatusOK {
		t.Errorf("coordinator: %d", r.StatusCode)
	}
}

func TestACAPAdminResetsASecondFactorAndTheUserMustEnrolAgain(t *testing.T) {
	a := testapp.New(t, testapp.Options{SecondFactorRequired: true})
	admin := a.Client(t)
	admin.SignIn("admin@cap.example")
	enrolSecondFactor(t, a, admin)
	dsl := a.Client(t)
	dsl.SignIn("dsl@whitmore.school.example")
	enrolSecondFactor(t, a, dsl)
	id := userID(t, a, "dsl@whitmore.school.example")
	page := "/admin/users/" + id
	if r := admin.Get(page); !strings.Contains(r.Body, "Reset second factor") || !strings.Contains(r.Body, "10 recovery codes left") {
		t.Fatalf("the user's page offers no reset")
	}
	r := admin.Post(page+"/second-factor/reset", url.Values{})
	if r.StatusCode != http.StatusSeeOther || r.Location() != page {
		t.Fatalf("reset: %d to %q", r.StatusCode, r.Location())
	}
	if r := admin.Get(page); !strings.Contains(r.Body, "Their second factor has been reset") || !strings.Contains(r.Body, "Not set up") {
		t.Errorf("the user's page after the reset:\n%s", r.Doc(t).Find("main").Text())
	}
	if n := auditCount(t, a, "second_factor.reset", id); n != 1 {
		t.Errorf("reset audited %d times", n)
	}
	// Their session has ended; signing in again leads to enrolment.
	if r := dsl.Get("/"); r.StatusCode != http.StatusSeeOther || !strings.HasPrefix(r.Location(), "/login") {
		t.Errorf("the DSL's old session: %d to %q", r.StatusCode, r.Location())
	}
	dsl2 := a.Client(t)
	dsl2.SignIn("dsl@whitmore.school.example")
	if r := dsl2.Get("/students"); r.StatusCode != http.StatusSeeOther || !strings.HasPrefix(r.Location(), "/account/second-factor") {
		t.Errorf("after the reset: %d to %q", r.StatusCode, r.Location())
	}
	// Someone without the role cannot reset anyone.
	co := a.Client(t)
	co.SignIn("coordinator@whitmore.school.example")
	if r := co.Post("/admin/users/"+userID(t, a, "admin@cap.example")+"/second-factor/reset", url.Values{}); r.StatusCode != http.StatusForbidden {
		t.Errorf("a coordinator's reset: %d", r.StatusCode)
	}
}

// The step-up on the injected clock: a confirmation opens a safeguarding page for 15 minutes, then
// the page asks again and comes back.
func TestTheStepUpLastsFifteenMinutes(t *testing.T) {
	var a *testapp.App
	a = testapp.New(t, testapp.Options{ExtraRoutes: func(rt *ui.Routes) {
		rt.Handle(http.MethodGet, "/test/safeguarding", auth.SignedIn(), func(w http.ResponseWriter, r *http.Request) {
			if !a.Server.RequireStepUpForTest(w, r) {
				return
			}
			_, _ = w.Write([]byte("the record"))
		})
		rt.Handle(http.MethodPost, "/test/safeguarding", auth.SignedIn(), func(w http.ResponseWriter, r *http.Request) {
			if !a.Server.RequireStepUpForTest(w, r) {
				return
			}
			_, _ = w.Write([]byte("saved"))
		})
	}})
	c := a.Client(t)
	c.SignIn("dsl@whitmore.school.example")
	// Not enrolled (the demo setting is on): the confirmation sends them to enrol, then back.
	r := c.Get("/test/safeguarding?tab=1")
	if r.StatusCode != http.StatusSeeOther || r.Location() != "/account/second-factor/confirm?next=%2Ftest%2Fsafeguarding%3Ftab%3D1" {
		t.Fatalf("no step-up: %d to %q", r.StatusCode, r.Location())
	}
	r = c.Get(r.Location())
	if r.StatusCode != http.StatusSeeOther || r.Location() != "/account/second-factor?next=%2Ftest%2Fsafeguarding%3Ftab%3D1" {
		t.Fatalf("unenrolled confirmation: %d to %q", r.StatusCode, r.Location())
	}
	setUp := c.Get(r.Location())
	if !strings.Contains(setUp.Body, `name="next" value="/test/safeguarding?tab=1"`) {
		t.Fatalf("the set-up page loses where to return")
	}
	key := ""
	setUp.Doc(t).Find(".govuk-summary-list__row").Each(func(_ int, row *goquery.Selection) {
		if strings.TrimSpace(row.Find(".govuk-summary-list__key").Text()) == "Key" {
			key = strings.ReplaceAll(strings.TrimSpace(row.Find(".govuk-summary-list__value").Text()), " ", "")
		}
	})
	r = c.Post("/account/second-factor", url.Values{"code": {codeAt(t, key, a.Clock.Now())}, "next": {"/test/safeguarding?tab=1"}})
	if href, _ := r.Doc(t).Find("main a.govuk-button").Attr("href"); href != "/test/safeguarding?tab=1" {
		t.Fatalf("after enrolling, Continue leads to %q", href)
	}
	if r := c.Get("/test/safeguarding"); r.Body != "the record" {
		t.Fatalf("enrolling confirmed a code, yet: %d to %q", r.StatusCode, r.Location())
	}
	a.Clock.Advance(14*time.Minute + 59*time.Second)
	if r := c.Get("/test/safeguarding"); r.Body != "the record" {
		t.Fatalf("at 14:59: %d to %q", r.StatusCode, r.Location())
	}
	a.Clock.Advance(time.Second)
	r = c.Get("/test/safeguarding")
	if r.StatusCode != http.StatusSeeOther || r.Location() != "/account/second-factor/confirm?next=%2Ftest%2Fsafeguarding" {
		t.Fatalf("at 15:00: %d to %q", r.StatusCode, r.Location())
	}
	// A form sent once the window has closed is asked for a code in place (no redirect, which would
	// use up its one-time token), and the code leads back to the same form, query and all.
	if late := c.Post("/test/safeguarding?kind=concern", url.Values{"summary": {"late"}}); late.StatusCode != http.StatusForbidden ||
		late.Body == "saved" || !strings.Contains(late.Body, `name="next" value="/test/safeguarding?kind=concern"`) {
		t.Fatalf("a stale POST: %d, want 403 with the code form returning to the form", late.StatusCode)
	}
	if r := c.Get(r.Location()); r.StatusCode != http.StatusOK || !strings.Contains(r.Body, "Confirm it is you") {
		t.Fatalf("confirmation page: %d", r.StatusCode)
	}
	form := url.Values{"code": {"999999"}, "next": {"/test/safeguarding"}}
	if r := c.Post("/account/second-factor/confirm", form); r.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("a wrong code: %d", r.StatusCode)
	}
	form.Set("code", codeAt(t, key, a.Clock.Now()))
	if r := c.Post("/account/second-factor/confirm", form); r.StatusCode != http.StatusSeeOther || r.Location() != "/test/safeguarding" {
		t.Fatalf("the right code: %d to %q", r.StatusCode, r.Location())
	}
	if r := c.Get("/test/safeguarding"); r.Body != "the record" {
		t.Fatalf("after confirming: %d", r.StatusCode)
	}
	// Another site cannot be the next page.
	a.Clock.Advance(time.Minute)
	form = url.Values{"code": {codeAt(t, key, a.Clock.Now())}, "next": {"//evil.example/"}}
	if r := c.Post("/account/second-factor/confirm", form); r.Location() != "/" {
		t.Errorf("next off the site: %q", r.Location())
	}
	// Signing out forgets the confirmation.
	c.Post("/logout", url.Values{})
	c.SignIn("coordinator@whitmore.school.example")
	if r := c.Get("/test/safeguarding"); r.StatusCode != http.StatusSeeOther {
		t.Errorf("the next person on the browser inherits the confirmation: %d", r.StatusCode)
	}
}

func TestTheSignInPageSaysWhenTheSecondFactorIsOptional(t *testing.T) {
	a := testapp.New(t, testapp.Options{NoSeed: true})
	if n := a.Client(t).Get("/login").Doc(t).Find("[data-testid=second-factor-optional]").Length(); n != 1 {
		t.Errorf("the demo setting is not shown on the sign-in page")
	}
	b := testapp.New(t, testapp.Options{NoSeed: true, SecondFactorRequired: true})
	if n := b.Client(t).Get("/login").Doc(t).Find("[data-testid=second-factor-optional]").Length(); n != 0 {
		t.Errorf("the sign-in page says the second factor is optional when it is required")
	}
}

// Two sign-ins racing with one code: one gets in, the other is told the code was used.
func TestOneCodeSentTwiceAtOnceSignsInOnce(t *testing.T) {
	a := testapp.New(t)
	c := a.Client(t)
	c.SignIn("dsl@whitmore.school.example")
	key, _ := enrolSecondFactor(t, a, c)
	a.Clock.Advance(30 * time.Second)
	code := codeAt(t, key, a.Clock.Now())
	clients := []*testapp.Client{a.Client(t), a.Client(t), a.Client(t)}
	for _, cl := range clients {
		passwordStep(t, cl, "dsl@whitmore.school.example")
	}
	statuses := make(chan int, len(clients))
	for _, cl := range clients {
		go func() { statuses <- giveCode(cl, code).StatusCode }()
	}
	in := 0
	for range clients {
		if <-statuses == http.StatusSeeOther {
			in++
		}
	}
	if in != 1 {
		t.Errorf("%d sign-ins with one code", in)
	}
}

// The half-signed-in state does not wait for ever.
func TestTheCodeStepExpires(t *testing.T) {
	a := testapp.New(t)
	c := a.Client(t)
	c.SignIn("dsl@whitmore.school.example")
	key, _ := enrolSecondFactor(t, a, c)
	c2 := a.Client(t)
	passwordStep(t, c2, "dsl@whitmore.school.example")
	a.Clock.Advance(11 * time.Minute)
	r := giveCode(c2, codeAt(t, key, a.Clock.Now()))
	if r.StatusCode != http.StatusSeeOther || r.Location() != "/login" {
		t.Fatalf("a code 11 minutes after the password: %d to %q", r.StatusCode, r.Location())
	}
	if r := c2.Get("/login"); !strings.Contains(r.Body, "You took too long to enter your code") {
		t.Errorf("no explanation after the code step expired")
	}
}
