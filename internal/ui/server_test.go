package ui_test

import (
	"context"
	"crypto/tls"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/coventry-cap/capportal/internal/app"
	"github.com/coventry-cap/capportal/internal/testapp"
)

func TestOversizedFormsAreRefusedWithAPage(t *testing.T) {
	a := testapp.New(t)
	c := a.Client(t)
	r := c.Post("/login", form("email", strings.Repeat("a", 2<<20), "password", "x"))
	if r.StatusCode != http.StatusRequestEntityTooLarge {
		t.Fatalf("2 MB form: %d, want 413", r.StatusCode)
	}
	if !strings.Contains(r.Body, "too large") {
		t.Errorf("413 page does not say what went wrong")
	}
}

func TestOverHTTPSCookiesAreHostPrefixedAndHSTSIsSent(t *testing.T) {
	a := testapp.New(t)
	_, h, err := app.NewHandler(a.Pool, a.Clock, slog.New(slog.NewTextHandler(io.Discard, nil)), true, nil, app.Mail{})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewTLSServer(h)
	defer ts.Close()
	jar, _ := cookiejar.New(nil)
	client := ts.Client()
	client.Jar = jar
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	client.Transport.(*http.Transport).TLSClientConfig = &tls.Config{InsecureSkipVerify: true} //nolint:gosec // test server
	req, _ := http.NewRequest(http.MethodPost, ts.URL+"/login", strings.NewReader(url.Values{"email": {"admin@cap.example"}, "password": {testapp.Password}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign in over HTTPS: %d", resp.StatusCode)
	}
	if !strings.Contains(resp.Header.Get("Strict-Transport-Security"), "max-age=") {
		t.Errorf("no HSTS over HTTPS")
	}
	var found bool
	for _, ck := range resp.Cookies() {
		if ck.Name == "__Host-cap_session" {
			found = true
			if !ck.Secure || !ck.HttpOnly || ck.Path != "/" || ck.Domain != "" {
				t.Errorf("cookie Secure=%v HttpOnly=%v Path=%q Domain=%q", ck.Secure, ck.HttpOnly, ck.Path, ck.Domain)
			}
		}
	}
	if !found {
		t.Errorf("no __Host-cap_session cookie over HTTPS")
	}
}

func TestEachRoleSeesItsOwnDashboard(t *testing.T) {
	a := testapp.New(t)
	ctx := context.Background()
	var activeUsers string
	if err := a.Pool.QueryRow(ctx, `SELECT count(*)::text FROM users WHERE active`).Scan(&activeUsers); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		email string
		want  []string
		not   []string
	}{
		{"admin@cap.example", []string{"CAP administration", activeUsers, "active users", "schools without a signed SLA for 2026/27"}, nil},
		{"lead@cap.example", []string{"Oversight", "schools have no signed SLA for 2026/27"}, []string{"CAP administration"}},
		{"coordinator@whitmore.school.example", []string{"Whitmore Park Academy", "CAP SLA 2026/27", "Signed on 1 July 2026"}, []string{"CAP administration", "Oversight"}},
		{"headteacher@whitmore.school.example", []string{"Headteacher", "Panel member", "CAP SLA 2026/27"}, []string{"CAP administration"}},
		{"staff@ridgeway.provider.example", []string{"Provider staff", "Ridgeway"}, []string{"CAP SLA", "CAP administration"}},
		{"monitoring@cap.example", []string{"Monitoring officer"}, []string{"CAP administration"}},
		{"safeguarding@cap.example", []string{"CAP safeguarding lead"}, []string{"CAP administration"}},
		{"panel@cap.example", []string{"Panel member"}, []string{"CAP administration"}},
	}
	for _, tc := range cases {
		t.Run(tc.email, func(t *testing.T) {
			c := a.Client(t)
			c.SignIn(tc.email)
			r := c.Get("/")
			main := r.Doc(t).Find("main").Text()
			for _, w := range tc.want {
				if !strings.Contains(main, w) {
					t.Errorf("dashboard lacks %q", w)
				}
			}
			for _, n := range tc.not {
				if strings.Contains(main, n) {
					t.Errorf("dashboard shows %q to a role it is not for", n)
				}
			}
			if !strings.Contains(main, "Autumn term, 2 September 2026 to 18 December 2026") {
				t.Errorf("dashboard lacks this term")
			}
		})
	}
	// A school without an SLA is told so, and why it matters.
	var school string
	if err := a.Pool.QueryRow(ctx, `
		SELECT u.email FROM users u JOIN memberships m ON m.user_id = u.id JOIN organisations o ON o.id = m.organisation_id
		WHERE m.role = 'coordinator' AND NOT EXISTS (SELECT 1 FROM slas s WHERE s.school_id = o.id AND s.academic_year = '2026/27')
		ORDER BY u.email LIMIT 1`).Scan(&school); err != nil {
		t.Fatal(err)
	}
	c := a.Client(t)
	c.SignIn(school)
	if main := c.Get("/").Doc(t).Find("main").Text(); !strings.Contains(main, "has no signed CAP SLA for 2026/27") || !strings.Contains(main, "Tier 3") {
		t.Errorf("a school without the SLA is not told: %s", main)
	}
}
