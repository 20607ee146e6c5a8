// Package testapp starts the whole portal for tests: a fresh real database, the demo data, the real
// handler on a local HTTP server, a clock the test controls, and cookie-jar clients that act like
// browsers.
package testapp

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/coventry-cap/capportal/internal/app"
	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/db/dbtest"
	"github.com/coventry-cap/capportal/internal/notify"
	"github.com/coventry-cap/capportal/internal/seed"
	"github.com/coventry-cap/capportal/internal/ui"
)

// Password is the demo password every seeded account has in tests.
const Password = "test-password-123"

// Start is when the test clock starts: a Monday in the autumn term of 2026/27.
var Start = time.Date(2026, time.November, 23, 9, 30, 0, 0, calendar.London())

// App is a running portal.
type App struct {
	URL    string
	Pool   *pgxpool.Pool
	DBURL  string
	Clock  *calendar.Fixed
	Server *ui.Server
	logs   *logBuffer
	mail   *notify.MemoryMailer
}

// LogText returns everything the portal has logged so far.
func (a *App) LogText() string { return a.logs.String() }

// Options change how the portal is started.
type Options struct {
	ExtraRoutes func(*ui.Routes)
	NoSeed      bool
	// SecondFactorRequired makes CAP staff and DSLs enrol a second factor before anything else, as
	// in production. Off by default, like `make run`, so tests can sign in with a password alone.
	SecondFactorRequired bool
}

// New starts a portal on a fresh database with the demo data loaded.
func New(t testing.TB, opts ...Options) *App {
	t.Helper()
	var o Options
	if len(opts) > 0 {
		o = opts[0]
	}
	pool, dbURL := dbtest.New(t)
	clock := calendar.NewFixed(Start)
	if !o.NoSeed {
		if _, err := seed.LoadDemo(context.Background(), pool, clock, Password); err != nil {
			t.Fatalf("load demo data: %v", err)
		}
	}
	logs := &logBuffer{}
	logger := slog.New(slog.NewJSONHandler(logs, nil))
	// The server is created before the handler so that email links can point at its real address.
	ts := httptest.NewUnstartedServer(nil)
	base := &url.URL{Scheme: "http", Host: ts.Listener.Addr().String()}
	mail := &notify.MemoryMailer{}
	// No retention job: it would delete imports that tests leave waiting while they move the clock.
	srv, h, err := app.NewHandler(pool, clock, logger, false, o.ExtraRoutes, app.Mail{Mailer: mail, BaseURL: base, TestOnly: true,
		SecondFactor: ui.SecondFactorSettings{Optional: !o.SecondFactorRequired}})
	if err != nil {
		t.Fatalf("build the portal: %v", err)
	}
	ts.Config.Handler = h
	ts.Start()
	t.Cleanup(ts.Close)
	jobs := srv.Outbox.Client()
	if err := jobs.Start(context.Background()); err != nil {
		t.Fatalf("start River: %v", err)
	}
	// Registered after dbtest's clean-up, so it runs before the database is dropped.
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := jobs.Stop(ctx); err != nil {
			t.Errorf("stop River: %v", err)
		}
	})
	return &App{URL: ts.URL, Pool: pool, DBURL: dbURL, Clock: clock, Server: srv, logs: logs, mail: mail}
}

// Emails returns the emails the portal has sent so far, in the order they were sent.
func (a *App) Emails() []notify.Email { return a.mail.Sent() }

// WaitForEmails waits until the email queue is drained and at least n emails have been sent, and
// returns every email sent. It fails the test after ten seconds.
func (a *App) WaitForEmails(t testing.TB, n int) []notify.Email {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		pending, err := a.pendingEmailJobs()
		if err != nil {
			t.Fatalf("count queued emails: %v", err)
		}
		sent := a.mail.Sent()
		if pending == 0 && len(sent) >= n {
			return sent
		}
		if time.Now().After(deadline) {
			t.Fatalf("waited 10s for %d emails: %d sent, %d still queued", n, len(sent), pending)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// pendingEmailJobs counts email jobs River has not finished with (a retry counts as pending).
func (a *App) pendingEmailJobs() (int, error) {
	var n int
	err := a.Pool.QueryRow(context.Background(), `
		SELECT count(*) FROM river_job
		WHERE kind = $1 AND state IN ('available', 'pending', 'running', 'retryable', 'scheduled')`,
		notify.EmailJobKind).Scan(&n)
	return n, err
}

// Client is a browser-like HTTP client with its own cookies. It does not follow redirects, so tests
// can see them.
type Client struct {
	t    testing.TB
	app  *App
	HTTP *http.Client
	// Site is sent as Sec-Fetch-Site on POSTs, as a browser would; "same-origin" by default.
	Site string
}

// Client returns a new signed-out client.
func (a *App) Client(t testing.TB) *Client {
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &Client{t: t, app: a, Site: "same-origin", HTTP: &http.Client{
		Jar:           jar,
		Timeout:       30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

// ClientFrom returns a new signed-out client whose connections come from ip, a loopback address
// such as "127.0.0.2", so a test can stand for people at different addresses (the portal throttles
// sign-in by the client's address).
func (a *App) ClientFrom(t testing.TB, ip string) *Client {
	local := net.ParseIP(ip)
	if local == nil || !local.IsLoopback() {
		t.Fatalf("ClientFrom(%q): want a loopback address", ip)
	}
	dialer := &net.Dialer{LocalAddr: &net.TCPAddr{IP: local}, Timeout: 30 * time.Second}
	transport := &http.Transport{DialContext: dialer.DialContext}
	t.Cleanup(transport.CloseIdleConnections)
	c := a.Client(t)
	c.HTTP.Transport = transport
	return c
}

// Response is a read response.
type Response struct {
	*http.Response
	Body string
}

// Doc parses the body as HTML.
func (r Response) Doc(t testing.TB) *goquery.Document {
	t.Helper()
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(r.Body))
	if err != nil {
		t.Fatalf("parse HTML: %v", err)
	}
	return doc
}

// Location is the redirect target's path and query.
func (r Response) Location() string {
	loc := r.Header.Get("Location")
	if u, err := url.Parse(loc); err == nil {
		return u.RequestURI()
	}
	return loc
}

// Get requests a path.
func (c *Client) Get(path string) Response {
	c.t.Helper()
	req, err := http.NewRequest(http.MethodGet, c.app.URL+path, nil)
	if err != nil {
		c.t.Fatal(err)
	}
	return c.Do(req)
}

// Post sends a form as a same-site browser would.
func (c *Client) Post(path string, form url.Values) Response {
	c.t.Helper()
	req, err := http.NewRequest(http.MethodPost, c.app.URL+path, strings.NewReader(form.Encode()))
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if c.Site != "" {
		req.Header.Set("Sec-Fetch-Site", c.Site)
	}
	return c.Do(req)
}

// Do sends a request and reads the whole response.
func (c *Client) Do(req *http.Request) Response {
	c.t.Helper()
	resp, err := c.HTTP.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		c.t.Fatalf("read %s: %v", req.URL.Path, err)
	}
	return Response{Response: resp, Body: string(b)}
}

// SignIn signs the client in and fails the test unless it lands on the home page.
func (c *Client) SignIn(email string) {
	c.t.Helper()
	r := c.Post("/login", url.Values{"email": {email}, "password": {Password}})
	if r.StatusCode != http.StatusSeeOther || r.Location() != "/" {
		c.t.Fatalf("sign in as %s: got %d to %q, want 303 to /", email, r.StatusCode, r.Location())
	}
}

// SessionCookie returns the value of the session cookie the client holds.
func (c *Client) SessionCookie() string {
	u, _ := url.Parse(c.app.URL)
	for _, ck := range c.HTTP.Jar.Cookies(u) {
		if ck.Name == "cap_session" {
			return ck.Value
		}
	}
	return ""
}

var volatile = regexp.MustCompile(`nonce="[^"]*"|nonce-[A-Za-z0-9+/=]+|[0-9a-f]{12}`)

// Normalise removes what differs on every response (CSP nonces, request IDs), so two answers can be
// compared byte for byte.
func Normalise(body string) string { return volatile.ReplaceAllString(body, "…") }

type logBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}
