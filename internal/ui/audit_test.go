package ui_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/coventry-cap/capportal/internal/audit"
	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/testapp"
)

// auditRow is one row of the audit table as shown.
type auditRow struct{ When, Actor, Action, Subject, Summary string }

func auditRows(doc *goquery.Document) []auditRow {
	var rows []auditRow
	doc.Find(`[data-testid="audit"] tbody tr`).Each(func(_ int, tr *goquery.Selection) {
		cells := tr.Find("td").Map(func(_ int, s *goquery.Selection) string { return strings.Join(strings.Fields(s.Text()), " ") })
		if len(cells) == 5 {
			rows = append(rows, auditRow{cells[0], cells[1], cells[2], cells[3], cells[4]})
		}
	})
	return rows
}

func actions(rows []auditRow) []string {
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = r.Action + " " + r.Actor
	}
	return out
}

func failSignIn(t *testing.T, a *testapp.App, email string) {
	t.Helper()
	if r := a.Client(t).Post("/login", form("email", email, "password", "not the password")); r.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("failed sign-in as %s: %d", email, r.StatusCode)
	}
}

func TestAuditLogListsSignInSuccessAndFailure(t *testing.T) {
	a := testapp.New(t)
	failSignIn(t, a, "admin@cap.example")
	failSignIn(t, a, "Nobody@CAP.example")
	admin := signedInAdmin(t, a)
	doc := mustGet(t, admin, "/admin/audit")
	rows := auditRows(doc)
	if len(rows) < 3 {
		t.Fatalf("%d rows: %v", len(rows), rows)
	}
	adminID := userID(t, a, "admin@cap.example")
	want := []auditRow{
		{Actor: "admin@cap.example", Action: "sign_in.succeeded", Subject: "user " + adminID, Summary: "Signed in"},
		{Actor: "nobody@cap.example", Action: "sign_in.failed", Subject: "", Summary: "Sign-in failed: email or password not correct"},
		{Actor: "admin@cap.example", Action: "sign_in.failed", Subject: "user " + adminID, Summary: "Sign-in failed: email or password not correct"},
	}
	for i, w := range want {
		got := rows[i]
		if got.Actor != w.Actor || got.Action != w.Action || got.Subject != w.Subject || got.Summary != w.Summary {
			t.Errorf("row %d = %+v, want %+v", i+1, got, w)
		}
		if !strings.Contains(got.When, "23 November 2026") {
			t.Errorf("row %d time %q, want the test clock's 23 November 2026", i+1, got.When)
		}
	}
	if !strings.Contains(strings.ToLower(doc.Find(`[data-testid="audit"] caption`).Text()), "newest first") {
		t.Error("table does not say its order")
	}
}

func TestAuditLogFiltersByActorActionSubjectAndDates(t *testing.T) {
	a := testapp.New(t)
	london := calendar.London()
	// British Summer Time, so a London day and a UTC day differ by an hour at midnight.
	a.Clock.Set(time.Date(2027, time.June, 14, 12, 0, 0, 0, london))
	failSignIn(t, a, "ann@cap.example")
	a.Clock.Set(time.Date(2027, time.June, 15, 23, 30, 0, 0, london))
	failSignIn(t, a, "bob@cap.example")
	a.Clock.Set(time.Date(2027, time.June, 16, 0, 30, 0, 0, london)) // still 15 June in UTC
	failSignIn(t, a, "carol@cap.example")
	a.Clock.Set(time.Date(2027, time.June, 17, 10, 0, 0, 0, london))
	admin := signedInAdmin(t, a)
	panelID := userID(t, a, "panel@cap.example")
	if r := admin.Post("/admin/users/"+panelID+"/roles", form("role", "monitoring_officer", "org", orgIDBySlug(t, a, "cap"))); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("grant: %d", r.StatusCode)
	}

	cases := []struct {
		query string
		want  []string
	}{
		{"actor=bob", []string{"sign_in.failed bob@cap.example"}},
		{"actor=BOB%40CAP", []string{"sign_in.failed bob@cap.example"}},
		{"action=sign_in.failed", []string{"sign_in.failed carol@cap.example", "sign_in.failed bob@cap.example", "sign_in.failed ann@cap.example"}},
		{"action=sign_in&actor=admin", []string{"sign_in.succeeded admin@cap.example"}},
		{"action=role", []string{"role.granted admin@cap.example"}},
		{"action=sign%25", nil},
		{"subject=" + panelID, []string{"role.granted admin@cap.example"}},
		{"from-day=15&from-month=6&from-year=2027&to-day=15&to-month=6&to-year=2027", []string{"sign_in.failed bob@cap.example"}},
		{"from-day=16&from-month=6&from-year=2027&to-day=16&to-month=6&to-year=2027", []string{"sign_in.failed carol@cap.example"}},
		{"to-day=14&to-month=6&to-year=2027", []string{"sign_in.failed ann@cap.example", "seed.demo capportal seed demo"}}, // the demo data was loaded in 2026
		{"from-day=17&from-month=06&from-year=2027", []string{"role.granted admin@cap.example", "sign_in.succeeded admin@cap.example"}},
		{"actor=carol&action=sign_in&from-day=16&from-month=6&from-year=2027", []string{"sign_in.failed carol@cap.example"}},
		{"actor=carol&from-day=17&from-month=6&from-year=2027", nil},
	}
	for _, tc := range cases {
		doc := mustGet(t, admin, "/admin/audit?"+tc.query)
		if got := actions(auditRows(doc)); !slices.Equal(got, tc.want) {
			t.Errorf("%s:\n got %q\nwant %q", tc.query, got, tc.want)
		}
		if tc.want == nil && doc.Find(`[data-testid="no-entries"]`).Length() != 1 {
			t.Errorf("%s: no 'No entries match' message", tc.query)
		}
	}

	// The search form shows what was searched for.
	doc := mustGet(t, admin, "/admin/audit?actor=carol&action=sign_in&subject=7&from-day=16&from-month=6&from-year=2027&to-day=17&to-month=6&to-year=2027")
	for id, want := range map[string]string{"#actor": "carol", "#action": "sign_in", "#subject": "7", "#from-day": "16", "#from-month": "6", "#from-year": "2027", "#to-day": "17", "#to-month": "6", "#to-year": "2027"} {
		if v, _ := doc.Find(id).Attr("value"); v != want {
			t.Errorf("%s shows %q, want %q", id, v, want)
		}
	}
}

func TestAuditLogRejectsBadDatesAndKeepsWhatWasTyped(t *testing.T) {
	a := testapp.New(t)
	admin := signedInAdmin(t, a)
	cases := []struct {
		name    string
		query   url.Values
		summary []string
	}{
		{"no 31 February", url.Values{"from-day": {"31"}, "from-month": {"2"}, "from-year": {"2027"}}, []string{"#from-day Enter a real ‘from’ date"}},
		{"letters", url.Values{"to-day": {"x"}, "to-month": {"6"}, "to-year": {"2027"}}, []string{"#to-day Enter a real ‘to’ date"}},
		{"part missing", url.Values{"from-day": {"15"}, "from-year": {"2027"}}, []string{"#from-day Enter a real ‘from’ date"}},
		{"two-digit year", url.Values{"from-day": {"15"}, "from-month": {"6"}, "from-year": {"27"}}, []string{"#from-day Enter a real ‘from’ date"}},
		{"month 13", url.Values{"to-day": {"1"}, "to-month": {"13"}, "to-year": {"2027"}}, []string{"#to-day Enter a real ‘to’ date"}},
		{"both bad", url.Values{"from-day": {"0"}, "from-month": {"1"}, "from-year": {"2027"}, "to-day": {"32"}, "to-month": {"1"}, "to-year": {"2027"}}, []string{"#from-day Enter a real ‘from’ date", "#to-day Enter a real ‘to’ date"}},
		{"to before from", url.Values{"from-day": {"16"}, "from-month": {"6"}, "from-year": {"2027"}, "to-day": {"15"}, "to-month": {"6"}, "to-year": {"2027"}}, []string{"#to-day The ‘to’ date must be the same as or after the ‘from’ date"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			q := url.Values{"actor": {"admin"}, "action": {"sign_in"}}
			for k, v := range tc.query {
				q[k] = v
			}
			r := admin.Get("/admin/audit?" + q.Encode())
			if r.StatusCode != http.StatusUnprocessableEntity {
				t.Fatalf("status %d, want 422", r.StatusCode)
			}
			doc := r.Doc(t)
			if !strings.HasPrefix(doc.Find("title").Text(), "Error: ") {
				t.Errorf("title %q", doc.Find("title").Text())
			}
			s := errorSummary(doc)
			if len(s) != len(tc.summary) {
				t.Fatalf("error summary %q, want %q", s, tc.summary)
			}
			for i, want := range tc.summary {
				if !strings.HasPrefix(s[i], want) {
					t.Errorf("error %q, want %q", s[i], want)
				}
				anchor := strings.Fields(want)[0]
				if doc.Find(anchor).Length() != 1 {
					t.Errorf("summary links to %s, which is not on the page", anchor)
				}
				field := strings.TrimSuffix(strings.TrimPrefix(anchor, "#"), "-day")
				if doc.Find("#"+field+"-error").Length() != 1 {
					t.Errorf("no field error #%s-error", field)
				}
			}
			for k, v := range q {
				if got, _ := doc.Find("#" + k).Attr("value"); got != v[0] {
					t.Errorf("%s shows %q, typed %q", k, got, v[0])
				}
			}
			if n := len(auditRows(doc)); n != 0 {
				t.Errorf("%d entries shown for a search that could not be made", n)
			}
		})
	}
}

func TestAuditLogPagesOlderEntriesWithTheBeforeLink(t *testing.T) {
	a := testapp.New(t)
	ctx := context.Background()
	const total = 120
	for i := range total {
		if err := audit.On(a.Pool).Write(ctx, audit.Entry{
			At: a.Clock.Now().Add(time.Duration(i) * time.Second), ActorEmail: "pager@cap.example",
			Action: "test.paging", Summary: fmt.Sprintf("entry %03d", i),
		}); err != nil {
			t.Fatal(err)
		}
	}
	// Entries that the filter must keep off every page.
	if err := audit.On(a.Pool).Write(ctx, audit.Entry{At: a.Clock.Now(), ActorEmail: "pager@cap.example", Action: "test.other", Summary: "other"}); err != nil {
		t.Fatal(err)
	}
	admin := signedInAdmin(t, a)
	var summaries []string
	var sizes []int
	path := "/admin/audit?action=test.paging"
	for i := 0; path != ""; i++ {
		if i > 5 {
			t.Fatal("the Next link goes round in circles")
		}
		doc := mustGet(t, admin, path)
		rows := auditRows(doc)
		sizes = append(sizes, len(rows))
		for _, r := range rows {
			summaries = append(summaries, r.Summary)
		}
		path = nextPage(doc)
		if path != "" {
			u, err := url.Parse(path)
			if err != nil {
				t.Fatal(err)
			}
			if u.Query().Get("action") != "test.paging" || u.Query().Get("before") == "" {
				t.Errorf("Next link %q does not keep the filter and give a 'before'", path)
			}
		}
	}
	if !slices.Equal(sizes, []int{50, 50, 20}) {
		t.Errorf("page sizes %v, want [50 50 20]", sizes)
	}
	var want []string
	for i := total - 1; i >= 0; i-- {
		want = append(want, fmt.Sprintf("entry %03d", i))
	}
	if !slices.Equal(summaries, want) {
		t.Errorf("pages did not list each entry once, newest first:\n got %v", summaries)
	}
}

func TestAuditLogIsForCAPAdminsAndTheServiceLead(t *testing.T) {
	a := testapp.New(t)
	cases := map[string]int{
		"admin@cap.example":                   http.StatusOK,
		"lead@cap.example":                    http.StatusOK,
		"coordinator@whitmore.school.example": http.StatusForbidden,
		"monitoring@cap.example":              http.StatusForbidden,
		"panel@cap.example":                   http.StatusForbidden,
		"staff@ridgeway.provider.example":     http.StatusForbidden,
	}
	for email, want := range cases {
		c := a.Client(t)
		c.SignIn(email)
		r := c.Get("/admin/audit")
		if r.StatusCode != want {
			t.Errorf("%s: %d, want %d", email, r.StatusCode, want)
		}
		if want == http.StatusForbidden && strings.Contains(r.Body, "sign_in.succeeded") {
			t.Errorf("%s: the 403 page shows audit entries", email)
		}
		if want == http.StatusOK && len(auditRows(r.Doc(t))) == 0 {
			t.Errorf("%s: the audit page shows no entries", email)
		}
	}
	r := a.Client(t).Get("/admin/audit")
	if r.StatusCode != http.StatusSeeOther || !strings.HasPrefix(r.Location(), "/login") {
		t.Errorf("signed out: %d to %q, want a redirect to sign in", r.StatusCode, r.Location())
	}
}
