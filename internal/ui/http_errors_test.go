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
