package ui_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/coventry-cap/capportal/internal/auth"
	"github.com/coventry-cap/capportal/internal/testapp"
)

func form(kv ...string) url.Values {
	v := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Add(kv[i], kv[i+1])
	}
	return v
}

func TestSignInLandsOnDashboardWithRoleNavigation(t *testing.T) {
	a := testapp.New(t)
	cases := []struct {
		email   string
		wantNav []string
		notNav  []string
	}{
		{"admin@cap.example", []string{"Home", "Users", "Audit log"}, nil},
		{"lead@cap.example", []string{"Home", "Audit log"}, []string{"Users"}},
		{"coordinator@whitmore.school.example", []string{"Home"}, []string{"Users", "Audit log"}},
		{"staff@ridgeway.provider.example", []string{"Home"}, []string{"Users", "Audit log"}},
	}
	for _, tc := range cases {
		t.Run(tc.email, func(t *testing.T) {
			c := a.Client(t)
			c.SignIn(tc.email)
			r := c.Get("/")
			if r.StatusCode != http.StatusOK {
				t.Fatalf("dashboard: %d", r.StatusCode)
			}
			nav := r.Doc(t).Find(".govuk-service-navigation__link").Map(func(_ int, s *goquery.Selection) string { return strings.TrimSpace(s.Text()) })
			for _, want := range tc.wantNav {
				if !contains(nav, want) {
					t.Errorf("navigation %v lacks %q", nav, want)
				}
			}
			for _, not := range tc.notNav {
				if contains(nav, not) {
					t.Errorf("navigation %v shows %q to a role that may not use it", nav, not)
				}
			}
		})
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func TestUnknownEmailAndWrongPasswordGetTheSameAnswer(t *testing.T) {
	a := testapp.New(t)
	c := a.Client(t)
	wrong := c.Post("/login", form("email", "admin@cap.example", "password", "not the password"))
	c2 := a.Client(t)
	unknown := c2.Post("/login", form("email", "nobody@cap.example", "password", "not the password"))
	if wrong.StatusCode != unknown.StatusCode {
		t.Fatalf("status: wrong password %d, unknown email %d", wrong.StatusCode, unknown.StatusCode)
	}
	if wrong.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("status %d, want 422", wrong.StatusCode)
	}
	// The pages differ only in the email typed back into the form.
	w := testapp.Normalise(strings.ReplaceAll(wrong.Body, "admin@cap.example", "EMAIL"))
	u := testapp.Normalise(strings.ReplaceAll(unknown.Body, "nobody@cap.example", "EMAIL"))
	if w != u {
		t.Errorf("answers differ:\nwrong password: %s\nunknown email:  %s", w, u)
	}
	if !strings.Contains(wrong.Body, "Enter a correct email address and password") {
		t.Errorf("no error message on a failed sign-in")
	}
	doc := wrong.Doc(t)
	if v, _ := doc.Find("#email").Attr("value"); v != "admin@cap.example" {
		t.Errorf("typed email not kept: %q", v)
	}
	if !strings.HasPrefix(doc.Find("title").Text(), "Error: ") {
		t.Errorf("title %q should start with Error:", doc.Find("title").Text())
	}
}

func TestSignInValidatesEmptyFields(t *testing.T) {
	a := testapp.New(t)
	r := a.Client(t).Post("/login", form("email", "", "password", ""))
	if r.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("status %d", r.StatusCode)
	}
	doc := r.Doc(t)
	links := doc.Find(".govuk-error-summary a")
	if links.Length() != 2 {
		t.Fatalf("error summary has %d links, want 2", links.Length())
	}
	if href, _ := links.Eq(0).Attr("href"); href != "#email" {
		t.Errorf("first error links to %q", href)
	}
	if !strings.Contains(doc.Find("#password-error").Text(), "Enter your password") {
		t.Errorf("no password field error")
	}
}

// Ten wrong passwords for one email from one address pause that address for that email, the right
// password included, until the first of them is 15 minutes old.
func TestTenWrongPasswordsFromOneAddressPauseItForThatEmail(t *testing.T) {
	a := testapp.New(t)
	c := a.Client(t)
	for i := 1; i <= 10; i++ {
		r := c.Post("/login", form("email", "admin@cap.example", "password", "wrong"))
		if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "Enter a correct email address and password") {
			t.Fatalf("attempt %d: %d, not the plain failure message", i, r.StatusCode)
		}
		a.Clock.Advance(10 * time.Second)
	}
	r := c.Post("/login", form("email", "admin@cap.example", "password", testapp.Password))
	if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "You have tried to sign in too many times") {
		t.Fatalf("right password after 10 wrong ones from this address: %d", r.StatusCode)
	}
	a.Clock.Advance(13 * time.Minute) // 14 minutes 40 seconds after the first failure
	if r := c.Post("/login", form("email", "admin@cap.example", "password", testapp.Password)); r.StatusCode == http.StatusSeeOther {
		t.Fatalf("signed in from the paused address before the first failure was 15 minutes old")
	}
	a.Clock.Advance(30 * time.Second)
	c.SignIn("admin@cap.example")

	var failed, throttled int
	if err := a.Pool.QueryRow(context.Background(), `SELECT count(*) FILTER (WHERE action = 'sign_in.failed'), count(*) FILTER (WHERE action = 'sign_in.throttled') FROM audit_log WHERE actor_email = 'admin@cap.example'`).Scan(&failed, &throttled); err != nil {
		t.Fatal(err)
	}
	if failed != 10 || throttled != 2 {
		t.Errorf("audit: %d failures and %d throttled, want 10 and 2", failed, throttled)
	}
	// The CAP admin's dashboard counts the refusals and links to them in the audit log.
	tile := c.Get("/").Doc(t).Find(`[data-testid="tile"] a[href="/admin/audit?action=sign_in.throttled"]`)
	if got := strings.Join(strings.Fields(tile.Text()), " "); got != "2 sign-ins refused after too many wrong passwords in the last 24 hours" {
		t.Errorf("dashboard tile %q", got)
	}
	if rows := auditRows(mustGet(t, c, "/admin/audit?action=sign_in.throttled")); len(rows) != 2 {
		t.Errorf("the tile's link lists %d entries, want 2: %v", len(rows), rows)
	}
}

// An attacker's 50 wrong passwords from one address cannot keep the owner out: from another address
// the owner signs in after at most the longest delay, while the attacker's address stays refused.
func TestAnAttackerAtOneAddressCannotLockTheOwnerOut(t *testing.T) {
	a := testapp.New(t)
	attacker := a.Client(t) // 127.0.0.1
	for i := 0; i < 50; i++ {
		attacker.Post("/login", form("email", "admin@cap.example", "password", "guess "+strconv.Itoa(i)))
		a.Clock.Advance(time.Second)
	}
	a.Clock.Advance(auth.EmailMaxDelay)
	a.ClientFrom(t, "127.0.0.2").SignIn("admin@cap.example")
	r := attacker.Post("/login", form("email", "admin@cap.example", "password", testapp.Password))
	if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "too many times") {
		t.Errorf("the attacker's address, with the right password: %d, want refused", r.StatusCode)
	}
}

func TestFailuresSpreadOverMoreThanFifteenMinutesDoNotPause(t *testing.T) {
	a := testapp.New(t)
	c := a.Client(t)
	for i := 0; i < 12; i++ {
		r := c.Post("/login", form("email", "admin@cap.example", "password", "wrong"))
		if strings.Contains(r.Body, "too many times") {
			t.Fatalf("refused after %d failures spread over %d minutes", i+1, 2*i)
		}
		a.Clock.Advance(2 * time.Minute)
	}
	c.SignIn("admin@cap.example")
}

func TestUnknownEmailsAreThrottledToo(t *testing.T) {
	a := testapp.New(t)
	c := a.Client(t)
	var r testapp.Response
	for i := 0; i < 11; i++ {
		r = c.Post("/login", form("email", "ghost@cap.example", "password", "wrong"))
	}
	if !strings.Contains(r.Body, "too many times") {
		t.Fatalf("an unknown email must be throttled like a known one, or throttling tells an attacker which accounts exist")
	}
}

func TestSignInRenewsTheSessionToken(t *testing.T) {
	a := testapp.New(t)
	c := a.Client(t)
	c.Get("/login")
	c.Post("/login", form("email", "admin@cap.example", "password", "wrong")) // creates a session (flash-free but saved)
	before := c.SessionCookie()
	c.SignIn("admin@cap.example")
	after := c.SessionCookie()
	if after == "" {
		t.Fatal("no session cookie after sign-in")
	}
	if before == after {
		t.Errorf("session token not renewed at sign-in")
	}
	r := c.Post("/logout", nil)
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("logout: %d", r.StatusCode)
	}
	if c.SessionCookie() == after {
		t.Errorf("session token not renewed at sign-out")
	}
	if r := c.Get("/"); r.StatusCode != http.StatusSeeOther || r.Location() != "/login" {
		t.Errorf("after sign-out / gave %d %q", r.StatusCode, r.Location())
	}
}

func TestSessionCookieAttributes(t *testing.T) {
	a := testapp.New(t)
	c := a.Client(t)
	r := c.Post("/login", form("email", "admin@cap.example", "password", testapp.Password))
	var found bool
	for _, ck := range r.Cookies() {
		if ck.Name != "cap_session" {
			continue
		}
		found = true
		if !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode {
			t.Errorf("cookie HttpOnly=%v SameSite=%v", ck.HttpOnly, ck.SameSite)
		}
	}
	if !found {
		t.Fatal("no session cookie set at sign-in")
	}
}

func TestIdleSessionsEndAfterThirtyMinutes(t *testing.T) {
	a := testapp.New(t)
	c := a.Client(t)
	c.SignIn("coordinator@whitmore.school.example")
	a.Clock.Advance(29 * time.Minute)
	if r := c.Get("/"); r.StatusCode != http.StatusOK {
		t.Fatalf("after 29 idle minutes: %d", r.StatusCode)
	}
	a.Clock.Advance(29 * time.Minute) // 58 minutes since sign-in, but only 29 idle
	if r := c.Get("/"); r.StatusCode != http.StatusOK {
		t.Fatalf("activity did not extend the session: %d", r.StatusCode)
	}
	a.Clock.Advance(31 * time.Minute)
	r := c.Get("/")
	if r.StatusCode != http.StatusSeeOther || r.Location() != "/login" {
		t.Fatalf("after 31 idle minutes: %d %q, want redirect to /login", r.StatusCode, r.Location())
	}
	if r := c.Get("/login"); !strings.Contains(r.Body, "30 minutes") {
		t.Errorf("sign-in page does not say why the session ended")
	}
}

// A page that changes nothing in the session does not write it: the last request's time moves on at
// most once a minute, and the store's row is rewritten only then.
func TestAPageThatChangesNothingDoesNotRewriteTheSession(t *testing.T) {
	a := testapp.New(t)
	c := a.Client(t)
	c.SignIn("coordinator@whitmore.school.example")
	row := func() string {
		var data []byte
		var expiry time.Time
		if err := a.Pool.QueryRow(context.Background(), `SELECT data, expiry FROM sessions ORDER BY expiry DESC LIMIT 1`).Scan(&data, &expiry); err != nil {
			t.Fatal(err)
		}
		return fmt.Sprintf("%x %v", data, expiry)
	}
	if r := c.Get("/"); r.StatusCode != http.StatusOK {
		t.Fatalf("dashboard: %d", r.StatusCode)
	}
	before := row()
	for range 3 {
		a.Clock.Advance(15 * time.Second)
		if r := c.Get("/referrals"); r.StatusCode != http.StatusOK {
			t.Fatalf("referrals: %d", r.StatusCode)
		}
	}
	if after := row(); after != before {
		t.Errorf("the session was rewritten by pages that changed nothing in it, 45 seconds apart")
	}
	a.Clock.Advance(time.Minute)
	if r := c.Get("/referrals"); r.StatusCode != http.StatusOK {
		t.Fatalf("referrals: %d", r.StatusCode)
	}
	if after := row(); after == before {
		t.Errorf("a request over a minute after the last recorded one did not record itself")
	}
	// Someone busy every 50 seconds for over half an hour is never idle for 30 minutes.
	for range 45 {
		a.Clock.Advance(50 * time.Second)
		if r := c.Get("/"); r.StatusCode != http.StatusOK {
			t.Fatalf("signed out while active every 50 seconds: %d %q", r.StatusCode, r.Location())
		}
	}
}

func TestSessionsEndTwelveHoursAfterSignIn(t *testing.T) {
	a := testapp.New(t)
	c := a.Client(t)
	c.SignIn("coordinator@whitmore.school.example")
	start := a.Clock.Now()
	// Active every 20 minutes, so never idle for 30.
	for a.Clock.Now().Sub(start) <= 12*time.Hour-20*time.Minute {
		a.Clock.Advance(20 * time.Minute)
		if r := c.Get("/"); r.StatusCode != http.StatusOK {
			t.Fatalf("signed out %v after sign-in despite activity", a.Clock.Now().Sub(start))
		}
	}
	a.Clock.Advance(25 * time.Minute)
	r := c.Get("/")
	if r.StatusCode != http.StatusSeeOther || r.Location() != "/login" {
		t.Fatalf("still signed in %v after sign-in: %d", a.Clock.Now().Sub(start), r.StatusCode)
	}
}

func TestDeactivatingAUserEndsTheirSessions(t *testing.T) {
	a := testapp.New(t)
	victim := a.Client(t)
	victim.SignIn("coordinator@canleybrook.school.example")
	if r := victim.Get("/"); r.StatusCode != http.StatusOK {
		t.Fatalf("before: %d", r.StatusCode)
	}
	admin := a.Client(t)
	admin.SignIn("admin@cap.example")
	id := userID(t, a, "coordinator@canleybrook.school.example")
	r := admin.Post("/admin/users/"+id+"/deactivate", nil)
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("deactivate: %d\n%s", r.StatusCode, a.LogText())
	}
	if r := victim.Get("/"); r.StatusCode != http.StatusSeeOther || r.Location() != "/login" {
		t.Fatalf("deactivated user still served: %d %q", r.StatusCode, r.Location())
	}
	r = victim.Post("/login", form("email", "coordinator@canleybrook.school.example", "password", testapp.Password))
	if r.StatusCode == http.StatusSeeOther {
		t.Fatalf("a deactivated user signed in")
	}
}

func userID(t *testing.T, a *testapp.App, email string) string {
	t.Helper()
	var id string
	if err := a.Pool.QueryRow(context.Background(), `SELECT id::text FROM users WHERE email = $1`, email).Scan(&id); err != nil {
		t.Fatalf("user %s: %v", email, err)
	}
	return id
}

// The redirect after sign-in stays on this site however "next" is dressed up: the Location a
// browser would follow (after its own URL normalisation) names this host.
func TestSignInRedirectStaysOnThisSite(t *testing.T) {
	a := testapp.New(t)
	site, err := url.Parse(a.URL + "/login")
	if err != nil {
		t.Fatal(err)
	}
	browser := strings.NewReplacer("\t", "", "\r", "", "\n", "", `\`, "/")
	cases := []struct{ next, want string }{
		{"/\t/evil.example", "/"},
		{"/\r\n/evil.example", "/"},
		{`/\evil.example`, "/"},
		{"/%5C/evil.example", "/"},
		{"//evil.example", "/"},
		{"https://evil.example/", "/"},
		{"javascript:alert(1)", "/"},
		{"/admin/audit?action=sign_in&actor=ann%40cap.example", "/admin/audit?action=sign_in&actor=ann%40cap.example"},
	}
	for _, tc := range cases {
		t.Run(tc.next, func(t *testing.T) {
			// The sign-in page carries next from its query into the form (HTML reads CRLF as LF).
			page := a.Client(t).Get("/login?next=" + url.QueryEscape(tc.next))
			carried, _ := page.Doc(t).Find(`input[name="next"]`).Attr("value")
			if want := strings.ReplaceAll(tc.next, "\r\n", "\n"); carried != want {
				t.Fatalf("sign-in page carries next %q, want %q", carried, want)
			}
			// Posted with a bare round trip: Go's client refuses to read a Location holding a tab,
			// which a browser would follow.
			body := form("email", "admin@cap.example", "password", testapp.Password, "next", tc.next).Encode()
			req, err := http.NewRequest(http.MethodPost, a.URL+"/login", strings.NewReader(body))
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("Sec-Fetch-Site", "same-origin")
			r, err := http.DefaultTransport.RoundTrip(req)
			if err != nil {
				t.Fatal(err)
			}
			r.Body.Close()
			if r.StatusCode != http.StatusSeeOther {
				t.Fatalf("sign-in: %d", r.StatusCode)
			}
			loc := r.Header.Get("Location")
			if loc != tc.want {
				t.Errorf("Location %q, want %q", loc, tc.want)
			}
			followed, err := site.Parse(browser.Replace(loc))
			if err != nil || followed.Host != site.Host {
				t.Errorf("a browser would follow Location %q to %v (%v), off this site", loc, followed, err)
			}
		})
	}
}
