package ui_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/coventry-cap/capportal/internal/testapp"
)

func TestMethodNotAllowedSaysWhichMethodsTheRouteHas(t *testing.T) {
	a := testapp.New(t, testapp.Options{NoSeed: true})
	c := a.Client(t)
	cases := []struct{ method, path, allow string }{
		{http.MethodGet, "/notifications/read-all", "POST"},
		{http.MethodPut, "/login", "GET, POST"},
		{http.MethodDelete, "/admin/users/7/roles", "POST"},
		{http.MethodPost, "/healthz", "GET"},
	}
	for _, tc := range cases {
		req, err := http.NewRequest(tc.method, a.URL+tc.path, nil)
		if err != nil {
			t.Fatal(err)
		}
		r := c.Do(req)
		if r.StatusCode != http.StatusMethodNotAllowed {
			t.Errorf("%s %s: %d, want 405", tc.method, tc.path, r.StatusCode)
			continue
		}
		if got := strings.Join(r.Header.Values("Allow"), ", "); got != tc.allow {
			t.Errorf("%s %s: Allow %q, want %q", tc.method, tc.path, got, tc.allow)
		}
		if !strings.Contains(r.Body, "This page cannot be used that way") {
			t.Errorf("%s %s: not the styled 405 page", tc.method, tc.path)
		}
	}
}

// A referral that does not exist is an ordinary 404, not an error in the log.
func TestAnUnknownDraftIsNotFoundWithoutAnErrorInTheLog(t *testing.T) {
	a := testapp.New(t)
	c := a.Client(t)
	c.SignIn("coordinator@whitmore.school.example")
	for _, path := range []string{"/referrals/draft-999999", "/referrals/draft-999999/application"} {
		r := c.Get(path)
		if r.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s: %d, want 404", path, r.StatusCode)
		}
		ref := r.Header.Get("X-Request-Id")
		recs := logLinesWith(t, a.LogText(), ref)
		if len(recs) == 0 {
			t.Errorf("GET %s: no access-log line", path)
		}
		for _, rec := range recs {
			if rec["level"] == "ERROR" || rec["level"] == "WARN" {
				t.Errorf("GET %s logged %v: %v", path, rec["level"], rec)
			}
		}
	}
}
