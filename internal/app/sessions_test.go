package app

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/alexedwards/scs/v2"

	"github.com/coventry-cap/capportal/internal/db/dbtest"
)

// The store's cleanup goroutine is left running: it wakes every 10 minutes, and pgxstore's
// StopCleanup races with the goroutine's own start (the race detector reports it).

// sessionCookie runs one request through the session manager that stores a value, and returns the
// cookie the browser would be given.
func sessionCookie(t *testing.T, sm *scs.SessionManager) *http.Cookie {
	t.Helper()
	h := sm.LoadAndSave(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sm.Put(r.Context(), "user_id", int64(7))
	}))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "https://cap.example/", nil))
	cookies := rec.Result().Cookies()
	if len(cookies) != 1 {
		t.Fatalf("got %d cookies, want 1: %v", len(cookies), rec.Header().Values("Set-Cookie"))
	}
	return cookies[0]
}

func TestSessionsOverHTTPSUseASecureHostPrefixedCookie(t *testing.T) {
	pool, _ := dbtest.New(t)
	sm := NewSessions(pool, true)
	ck := sessionCookie(t, sm)
	if ck.Name != "__Host-cap_session" {
		t.Errorf("cookie name %q, want __Host-cap_session", ck.Name)
	}
	// Browsers only accept a __Host- cookie that is Secure, has Path=/ and no Domain.
	if !ck.Secure {
		t.Error("cookie is not Secure")
	}
	if ck.Path != "/" {
		t.Errorf("cookie path %q, want /", ck.Path)
	}
	if ck.Domain != "" {
		t.Errorf("cookie has Domain %q: a __Host- cookie must not", ck.Domain)
	}
	if !ck.HttpOnly {
		t.Error("cookie is readable by scripts (not HttpOnly)")
	}
	if ck.SameSite != http.SameSiteLaxMode {
		t.Errorf("SameSite = %v, want Lax", ck.SameSite)
	}
	if !ck.Expires.IsZero() || ck.MaxAge != 0 {
		t.Errorf("cookie persists (Expires %v, Max-Age %d): it should end with the browser session", ck.Expires, ck.MaxAge)
	}
}

func TestSessionsOverHTTPUseAPlainCookie(t *testing.T) {
	pool, _ := dbtest.New(t)
	sm := NewSessions(pool, false)
	ck := sessionCookie(t, sm)
	if ck.Name != "cap_session" {
		t.Errorf("cookie name %q, want cap_session", ck.Name)
	}
	if ck.Secure {
		t.Error("cookie is Secure over plain HTTP: the browser would never send it back")
	}
	if !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode || ck.Path != "/" {
		t.Errorf("cookie HttpOnly=%v SameSite=%v Path=%q, want true, Lax, /", ck.HttpOnly, ck.SameSite, ck.Path)
	}
}

func TestSessionsLastThirtyIdleMinutesAndTwelveHoursAtMost(t *testing.T) {
	pool, _ := dbtest.New(t)
	for _, secure := range []bool{true, false} {
		sm := NewSessions(pool, secure)
		// The 30 idle minutes are the portal's own (internal/ui TestIdleSessionsEndAfterThirtyMinutes),
		// so that a request that changes nothing does not rewrite the session.
		if sm.IdleTimeout != 0 {
			t.Errorf("secure=%v: scs idle timeout %v, want none", secure, sm.IdleTimeout)
		}
		if sm.Lifetime != 12*time.Hour {
			t.Errorf("secure=%v: lifetime %v, want 12h", secure, sm.Lifetime)
		}
	}
}

func TestSessionsAreStoredInPostgres(t *testing.T) {
	pool, _ := dbtest.New(t)
	sm := NewSessions(pool, false)
	ck := sessionCookie(t, sm)
	var n int
	if err := pool.QueryRow(context.Background(), `SELECT count(*) FROM sessions WHERE token = $1`, ck.Value).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 1 {
		t.Errorf("session %q not found in the sessions table", ck.Value)
	}
	// And it is read back on the next request with that cookie.
	var got int64
	h := sm.LoadAndSave(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = sm.GetInt64(r.Context(), "user_id")
	}))
	req := httptest.NewRequest(http.MethodGet, "/", nil)
	req.AddCookie(ck)
	h.ServeHTTP(httptest.NewRecorder(), req)
	if got != 7 {
		t.Errorf("value read back from the store = %d, want 7", got)
	}
}
