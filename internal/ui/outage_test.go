package ui_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/coventry-cap/capportal/internal/auth"
	"github.com/coventry-cap/capportal/internal/db/dbtest"
	"github.com/coventry-cap/capportal/internal/testapp"
	"github.com/coventry-cap/capportal/internal/ui"
)

// syncBuffer collects what the standard library's logger writes: net/http and scs write there when
// nothing else is set, as plain text outside the portal's JSON log.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// takeDatabaseAway refuses new connections to the portal's database and cuts the open ones, and
// returns the function that gives it back.
func takeDatabaseAway(t *testing.T, a *testapp.App) (restore func()) {
	t.Helper()
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
	t.Cleanup(func() {
		_, _ = admin.Exec(ctx, "ALTER DATABASE "+name+" ALLOW_CONNECTIONS true")
		admin.Close(ctx)
	})
	if _, err := admin.Exec(ctx, "ALTER DATABASE "+name+" ALLOW_CONNECTIONS false"); err != nil {
		t.Fatal(err)
	}
	if _, err := admin.Exec(ctx, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1", name); err != nil {
		t.Fatal(err)
	}
	// pg_terminate_backend only signals: wait until every connection has gone.
	for deadline := time.Now().Add(10 * time.Second); ; {
		var n int
		if err := admin.QueryRow(ctx, "SELECT count(*) FROM pg_stat_activity WHERE datname = $1", name).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d connections to the test database survived pg_terminate_backend", n)
		}
		time.Sleep(20 * time.Millisecond)
	}
	return func() {
		t.Helper()
		if _, err := admin.Exec(ctx, "ALTER DATABASE "+name+" ALLOW_CONNECTIONS true"); err != nil {
			t.Fatal(err)
		}
	}
}

// logLinesWith returns the JSON log records that carry the request ID, failing on any line of the
// log that is not JSON.
func logLinesWith(t *testing.T, logs, requestID string) []map[string]any {
	t.Helper()
	var found []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(logs), "\n") {
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Errorf("log line is not JSON: %q", line)
			continue
		}
		if rec["request_id"] == requestID {
			found = append(found, rec)
		}
	}
	return found
}

func TestADatabaseOutageAnswersTheServiceUnavailablePageAndRecovers(t *testing.T) {
	stdlog := &syncBuffer{}
	prev := log.Writer()
	log.SetOutput(stdlog)
	t.Cleanup(func() { log.SetOutput(prev) })

	a := testapp.New(t)
	coordinator := a.Client(t)
	coordinator.SignIn("coordinator@whitmore.school.example")
	if r := coordinator.Get("/"); r.StatusCode != http.StatusOK {
		t.Fatalf("dashboard before the outage: %d", r.StatusCode)
	}
	visitor := a.Client(t)

	restore := takeDatabaseAway(t, a)
	cases := []struct {
		name string
		do   func() testapp.Response
	}{
		// The session cannot be loaded.
		{"a signed-in page", func() testapp.Response { return coordinator.Get("/") }},
		{"the sign-in page with a session", func() testapp.Response { return coordinator.Get("/login") }},
		{"a signed-in form", func() testapp.Response {
			return coordinator.Post("/notifications/read-all", url.Values{})
		}},
		// No session to load: the handler's own store call fails.
		{"signing in", func() testapp.Response {
			return visitor.Post("/login", url.Values{"email": {"coordinator@whitmore.school.example"}, "password": {testapp.Password}})
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := tc.do()
			if r.StatusCode != http.StatusServiceUnavailable {
				t.Fatalf("status %d, want 503\n%s", r.StatusCode, r.Body)
			}
			if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
				t.Errorf("Content-Type %q, want the styled HTML page", ct)
			}
			doc := r.Doc(t)
			if h := strings.TrimSpace(doc.Find("h1").Text()); h != "Sorry, the service is unavailable" {
				t.Errorf("heading %q", h)
			}
			if doc.Find("link[rel=stylesheet]").Length() == 0 {
				t.Errorf("the page is not styled")
			}
			ref := strings.TrimSpace(doc.Find("[data-testid=error-reference]").Text())
			if ref == "" || ref != r.Header.Get("X-Request-Id") {
				t.Fatalf("reference %q, request ID %q", ref, r.Header.Get("X-Request-Id"))
			}
			if strings.Contains(r.Body, "SQLSTATE") || strings.Contains(r.Body, "failed to connect") {
				t.Errorf("the page shows the database's error")
			}
			recs := logLinesWith(t, a.LogText(), ref)
			if len(recs) != 1 {
				t.Fatalf("%d log lines for request %s, want exactly one:\n%v", len(recs), ref, recs)
			}
			if recs[0]["level"] != "ERROR" || recs[0]["error"] == nil || recs[0]["error"] == "" {
				t.Errorf("the request's log line is not an error with its cause: %v", recs[0])
			}
		})
	}
	if out := stdlog.String(); out != "" {
		t.Errorf("plain-text lines outside the JSON log:\n%s", out)
	}

	// The pool reconnects by itself: the same server serves again.
	restore()
	if r := coordinator.Get("/"); r.StatusCode != http.StatusOK || !strings.Contains(r.Body, "Signed in as") {
		t.Errorf("dashboard after the database came back: %d", r.StatusCode)
	}
	if r := visitor.Get("/login"); r.StatusCode != http.StatusOK {
		t.Errorf("sign-in page after the database came back: %d", r.StatusCode)
	}
	visitor.SignIn("coordinator@whitmore.school.example")
}

func TestASessionThatCannotBeSavedAnswersTheServiceUnavailablePageAlone(t *testing.T) {
	stdlog := &syncBuffer{}
	prev := log.Writer()
	log.SetOutput(stdlog)
	t.Cleanup(func() { log.SetOutput(prev) })

	var a *testapp.App
	var restore func()
	// The session loads, then the database goes while the handler works, so saving the session as
	// the handler's redirect is written fails.
	a = testapp.New(t, testapp.Options{NoSeed: true, ExtraRoutes: func(rt *ui.Routes) {
		rt.Handle(http.MethodGet, "/test/outage-mid-request", auth.Public(), func(w http.ResponseWriter, r *http.Request) {
			restore = takeDatabaseAway(t, a)
			a.Server.Sessions.Put(r.Context(), "seen", true)
			http.Redirect(w, r, "/handler-target", http.StatusSeeOther)
		})
	}})
	c := a.Client(t)
	r := c.Get("/test/outage-mid-request")
	if r.StatusCode != http.StatusServiceUnavailable {
		t.Fatalf("status %d, want 503\n%s", r.StatusCode, r.Body)
	}
	if loc := r.Header.Get("Location"); loc != "" {
		t.Errorf("the 503 carries the failed handler's redirect to %q", loc)
	}
	doc := r.Doc(t)
	if n := doc.Find("h1").Length(); n != 1 {
		t.Errorf("%d headings: the page is written more than once", n)
	}
	if h := strings.TrimSpace(doc.Find("h1").Text()); h != "Sorry, the service is unavailable" {
		t.Errorf("heading %q", h)
	}
	ref := strings.TrimSpace(doc.Find("[data-testid=error-reference]").Text())
	if ref == "" || ref != r.Header.Get("X-Request-Id") {
		t.Fatalf("reference %q, request ID %q", ref, r.Header.Get("X-Request-Id"))
	}
	if recs := logLinesWith(t, a.LogText(), ref); len(recs) != 1 || recs[0]["level"] != "ERROR" || recs[0]["status"] != float64(503) {
		t.Errorf("log lines for request %s, want one error line with status 503: %v", ref, recs)
	}
	if out := stdlog.String(); out != "" {
		t.Errorf("plain-text lines outside the JSON log:\n%s", out)
	}
	restore()
	if r := c.Get("/login"); r.StatusCode != http.StatusOK {
		t.Errorf("sign-in page after the database came back: %d", r.StatusCode)
	}
}
