package ui_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/jackc/pgx/v5"

	"github.com/coventry-cap/capportal/internal/auth"
	"github.com/coventry-cap/capportal/internal/db/dbtest"
	"github.com/coventry-cap/capportal/internal/testapp"
	"github.com/coventry-cap/capportal/internal/ui"
)

// walk lists every route the router serves.
func walk(t *testing.T, a *testapp.App) [][2]string {
	t.Helper()
	var routes [][2]string
	err := chi.Walk(a.Server.Routes().Router(), func(method, route string, _ http.Handler, _ ...func(http.Handler) http.Handler) error {
		routes = append(routes, [2]string{method, route})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(routes) < 15 {
		t.Fatalf("walked only %d routes", len(routes))
	}
	return routes
}

func TestEveryRouteDeclaresAPolicy(t *testing.T) {
	a := testapp.New(t, testapp.Options{NoSeed: true})
	for _, r := range walk(t, a) {
		if _, ok := a.Server.Routes().Policy(r[0], r[1]); !ok {
			t.Errorf("%s %s has no policy: register it with Routes.Handle in routes.go", r[0], r[1])
		}
	}
}

func TestRouteWalkCatchesARouteWithoutPolicy(t *testing.T) {
	// The walk must be able to fail: a route added straight to chi is found.
	a := testapp.New(t, testapp.Options{NoSeed: true, ExtraRoutes: func(rt *ui.Routes) {
		rt.Router().Get("/sneaky", func(w http.ResponseWriter, r *http.Request) {})
	}})
	var missing []string
	for _, r := range walk(t, a) {
		if _, ok := a.Server.Routes().Policy(r[0], r[1]); !ok {
			missing = append(missing, r[0]+" "+r[1])
		}
	}
	if len(missing) != 1 || missing[0] != "GET /sneaky" {
		t.Fatalf("walk found %v, want [GET /sneaky]", missing)
	}
}

// concrete turns a route pattern into a path that exists in the demo data.
func concrete(pattern, adminID string) string {
	p := strings.ReplaceAll(pattern, "{id}", adminID)
	return strings.ReplaceAll(p, "/*", "/app.js")
}

func TestSecurityHeadersOnEveryRoute(t *testing.T) {
	a := testapp.New(t)
	admin := a.Client(t)
	admin.SignIn("admin@cap.example")
	id := userID(t, a, "panel@cap.example")
	for _, rt := range walk(t, a) {
		method, pattern := rt[0], rt[1]
		if pattern == "/logout" {
			continue // checked last, so the client stays signed in
		}
		path := concrete(pattern, id)
		var r testapp.Response
		if method == http.MethodGet {
			r = admin.Get(path)
		} else {
			r = admin.Post(path, url.Values{})
		}
		h := r.Header
		checks := map[string]string{
			"X-Content-Type-Options": "nosniff",
			"X-Frame-Options":        "DENY",
			"Referrer-Policy":        "same-origin",
		}
		for k, want := range checks {
			if got := h.Get(k); got != want {
				t.Errorf("%s %s: %s = %q, want %q", method, path, k, got, want)
			}
		}
		csp := h.Get("Content-Security-Policy")
		for _, want := range []string{"default-src 'self'", "frame-ancestors 'none'", "script-src 'self' 'nonce-", "object-src 'none'"} {
			if !strings.Contains(csp, want) {
				t.Errorf("%s %s: CSP %q lacks %q", method, path, csp, want)
			}
		}
		if h.Get("X-Request-Id") == "" {
			t.Errorf("%s %s: no X-Request-Id", method, path)
		}
		if h.Get("Strict-Transport-Security") != "" {
			t.Errorf("%s %s: HSTS sent over plain HTTP", method, path)
		}
		if pattern != "/assets/*" && pattern != "/robots.txt" && !strings.Contains(h.Get("Cache-Control"), "no-store") && strings.HasPrefix(h.Get("Content-Type"), "text/html") {
			t.Errorf("%s %s: signed-in page without Cache-Control: no-store (%q)", method, path, h.Get("Cache-Control"))
		}
		if r.StatusCode >= 500 {
			t.Errorf("%s %s: %d", method, path, r.StatusCode)
		}
	}
	r := admin.Post("/logout", nil)
	if r.Header.Get("Content-Security-Policy") == "" || r.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("POST /logout lacks security headers")
	}
}

func TestCSPNonceMatchesTheInlineScript(t *testing.T) {
	a := testapp.New(t, testapp.Options{NoSeed: true})
	r := a.Client(t).Get("/login")
	csp := r.Header.Get("Content-Security-Policy")
	nonce, _ := r.Doc(t).Find("script[nonce]").Attr("nonce")
	if nonce == "" || !strings.Contains(csp, "'nonce-"+nonce+"'") {
		t.Fatalf("inline script nonce %q not in CSP %q", nonce, csp)
	}
	r2 := a.Client(t).Get("/login")
	if r2.Header.Get("Content-Security-Policy") == csp {
		t.Errorf("nonce reused across responses")
	}
}

func TestCrossOriginPostIsRefused(t *testing.T) {
	a := testapp.New(t)
	c := a.Client(t)
	c.Site = "cross-site"
	r := c.Post("/login", form("email", "admin@cap.example", "password", testapp.Password))
	if r.StatusCode != http.StatusForbidden {
		t.Fatalf("cross-site POST /login: %d, want 403", r.StatusCode)
	}
	if !strings.Contains(r.Body, "came from another website") {
		t.Errorf("403 page does not say why")
	}
	// A signed-in admin tricked by another site changes nothing.
	admin := a.Client(t)
	admin.SignIn("admin@cap.example")
	id := userID(t, a, "panel@cap.example")
	admin.Site = "cross-site"
	if r := admin.Post("/admin/users/"+id+"/deactivate", nil); r.StatusCode != http.StatusForbidden {
		t.Fatalf("cross-site deactivate: %d", r.StatusCode)
	}
	var active bool
	if err := a.Pool.QueryRow(context.Background(), `SELECT active FROM users WHERE id = $1`, id).Scan(&active); err != nil || !active {
		t.Fatalf("user deactivated by a cross-site request (active=%v, err=%v)", active, err)
	}
	// A request with an Origin from elsewhere and no Sec-Fetch-Site is refused too.
	admin.Site = ""
	req, _ := http.NewRequest(http.MethodPost, a.URL+"/logout", nil)
	req.Header.Set("Origin", "https://evil.example")
	if r := admin.Do(req); r.StatusCode != http.StatusForbidden {
		t.Fatalf("POST with foreign Origin: %d", r.StatusCode)
	}
}

func TestSignedOutIsRedirectedAndSignedInWithoutRoleGets403(t *testing.T) {
	a := testapp.New(t)
	anon := a.Client(t)
	r := anon.Get("/admin/users")
	if r.StatusCode != http.StatusSeeOther || r.Location() != "/login?next=%2Fadmin%2Fusers" {
		t.Fatalf("signed out: %d %q", r.StatusCode, r.Location())
	}
	coord := a.Client(t)
	r = coord.Post("/login", form("email", "coordinator@whitmore.school.example", "password", testapp.Password, "next", "/admin/users"))
	if r.Location() != "/admin/users" {
		t.Fatalf("sign-in did not return to the page asked for: %q", r.Location())
	}
	r = coord.Get("/admin/users")
	if r.StatusCode != http.StatusForbidden {
		t.Fatalf("coordinator on /admin/users: %d, want 403", r.StatusCode)
	}
	if !strings.Contains(r.Body, "You do not have access to this page") || !strings.Contains(r.Body, "govuk-header") {
		t.Errorf("403 is not the styled page")
	}
	if r := coord.Post("/admin/users", form("name", "X")); r.StatusCode != http.StatusForbidden {
		t.Errorf("coordinator POST /admin/users: %d", r.StatusCode)
	}
	if r := anon.Post("/login", form("email", "x", "password", "y", "next", "//evil.example/")); r.StatusCode == http.StatusSeeOther && strings.Contains(r.Location(), "evil") {
		t.Errorf("open redirect after sign-in")
	}
}

func TestNotFoundIsStyled(t *testing.T) {
	a := testapp.New(t)
	c := a.Client(t)
	c.SignIn("coordinator@whitmore.school.example")
	r := c.Get("/no-such-page")
	if r.StatusCode != http.StatusNotFound || !strings.Contains(r.Body, "Page not found") {
		t.Fatalf("404: %d", r.StatusCode)
	}
	if !strings.Contains(r.Body, "Signed in as") {
		t.Errorf("404 page lost the signed-in layout")
	}
	if r := c.Get("/admin/users/999999"); r.StatusCode != http.StatusForbidden {
		t.Errorf("coordinator on a user page: %d", r.StatusCode)
	}
}

func TestPanicGetsThe500PageAndTheServerCarriesOn(t *testing.T) {
	a := testapp.New(t, testapp.Options{ExtraRoutes: func(rt *ui.Routes) {
		rt.Handle(http.MethodGet, "/test/panic", auth.Public(), func(http.ResponseWriter, *http.Request) { panic("boom: secret internal detail") })
	}})
	c := a.Client(t)
	r := c.Get("/test/panic")
	if r.StatusCode != http.StatusInternalServerError {
		t.Fatalf("panic answered %d", r.StatusCode)
	}
	ref := strings.TrimSpace(r.Doc(t).Find("[data-testid=error-reference]").Text())
	if ref == "" || ref != r.Header.Get("X-Request-Id") {
		t.Errorf("reference %q, request ID %q", ref, r.Header.Get("X-Request-Id"))
	}
	if strings.Contains(r.Body, "secret internal detail") {
		t.Errorf("internal error text shown to the user")
	}
	if !strings.Contains(a.LogText(), ref) || !strings.Contains(a.LogText(), "boom") {
		t.Errorf("panic not logged with its reference")
	}
	if r := c.Get("/login"); r.StatusCode != http.StatusOK {
		t.Fatalf("next request after a panic: %d", r.StatusCode)
	}
}

func TestAccessLogsCarryNoPersonalData(t *testing.T) {
	a := testapp.New(t)
	c := a.Client(t)
	c.Post("/login", form("email", "admin@cap.example", "password", "wrong-secret"))
	c.SignIn("admin@cap.example")
	c.Get("/admin/users?q=Okafor")
	logs := a.LogText()
	for _, leak := range []string{"admin@cap.example", "wrong-secret", "Okafor", testapp.Password} {
		if strings.Contains(logs, leak) {
			t.Errorf("logs contain %q", leak)
		}
	}
	if !strings.Contains(logs, `"route":"/admin/users"`) {
		t.Errorf("access log lacks the route pattern: %s", logs)
	}
}

func TestReadyzFollowsTheDatabase(t *testing.T) {
	a := testapp.New(t, testapp.Options{NoSeed: true})
	c := a.Client(t)
	if r := c.Get("/readyz"); r.StatusCode != http.StatusOK {
		t.Fatalf("readyz with database up: %d", r.StatusCode)
	}
	if r := c.Get("/healthz"); r.StatusCode != http.StatusOK {
		t.Fatalf("healthz: %d", r.StatusCode)
	}
	server, err := dbtest.ServerURL()
	if err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse(a.DBURL)
	name := strings.TrimPrefix(u.Path, "/")
	ctx := context.Background()
	admin, err := pgx.Connect(ctx, server)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close(ctx)
	// Take the portal's database away: refuse new connections and cut the open ones.
	if _, err := admin.Exec(ctx, "ALTER DATABASE "+name+" ALLOW_CONNECTIONS false"); err != nil {
		t.Fatal(err)
	}
	if _, err := admin.Exec(ctx, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1", name); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _, _ = admin.Exec(ctx, "ALTER DATABASE "+name+" ALLOW_CONNECTIONS true") })
	if !eventually(func() bool { return c.Get("/readyz").StatusCode == http.StatusServiceUnavailable }) {
		t.Fatalf("readyz did not answer 503 with the database down")
	}
	if r := c.Get("/healthz"); r.StatusCode != http.StatusOK {
		t.Errorf("healthz should not depend on the database: %d", r.StatusCode)
	}
	if _, err := admin.Exec(ctx, "ALTER DATABASE "+name+" ALLOW_CONNECTIONS true"); err != nil {
		t.Fatal(err)
	}
	if !eventually(func() bool { return c.Get("/readyz").StatusCode == http.StatusOK }) {
		t.Fatalf("readyz did not recover when the database came back")
	}
}

func eventually(f func() bool) bool {
	for i := 0; i < 50; i++ {
		if f() {
			return true
		}
		time.Sleep(100 * time.Millisecond)
	}
	return false
}

func TestMetricsInPrometheusFormat(t *testing.T) {
	a := testapp.New(t, testapp.Options{NoSeed: true})
	c := a.Client(t)
	c.Get("/login")
	r := c.Get("/metrics")
	if r.StatusCode != http.StatusOK {
		t.Fatalf("metrics: %d", r.StatusCode)
	}
	if !strings.Contains(r.Body, `capportal_http_requests_total{method="GET",route="/login",status="200"} 1`) {
		t.Errorf("request counter missing:\n%s", r.Body[:min(len(r.Body), 2000)])
	}
	if !strings.Contains(r.Body, "go_goroutines") {
		t.Errorf("runtime metrics missing")
	}
}
