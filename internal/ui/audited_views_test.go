package ui_test

import (
	"context"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/coventry-cap/capportal/internal/panel"
	"github.com/coventry-cap/capportal/internal/referral"
	"github.com/coventry-cap/capportal/internal/seed"
	"github.com/coventry-cap/capportal/internal/testapp"
)

// demoSignIns are the demo's accounts, one for each kind of person who uses the portal.
var demoSignIns = []string{
	"admin@cap.example", "monitoring@cap.example", "safeguarding@cap.example", "lead@cap.example", "panel@cap.example",
	"coordinator@whitmore.school.example", "dsl@whitmore.school.example", "headteacher@whitmore.school.example",
	"staff@ridgeway.provider.example", "dsl@ridgeway.provider.example", "staff@capa.provider.example",
}

// TestEveryPageThatShowsAStudentIsAudited walks every GET route for every demo role, with each
// record it may name, and requires an audit row written by that very request (matched by its request
// ID) whenever the page shows a student's name: a student-level record, in a list, a form, a case or
// a refusal, is never seen unaccounted for.
func TestEveryPageThatShowsAStudentIsAudited(t *testing.T) {
	if testing.Short() {
		t.Skip("walks every page for every role")
	}
	a := testapp.New(t)
	ctx := context.Background()
	if _, err := seed.LoadDemoReferrals(ctx, a.Pool, a.Clock); err != nil {
		t.Fatal(err)
	}
	names := walkStudentNames(t, a)
	params := walkParams(t, a)

	var patterns []string
	for key := range a.Server.Routes().Policies() {
		method, pattern, _ := strings.Cut(key, " ")
		if method != http.MethodGet || strings.HasPrefix(pattern, "/assets") || pattern == "/metrics" {
			continue
		}
		patterns = append(patterns, pattern)
	}
	sort.Strings(patterns)

	shown, unaudited := 0, map[string][]string{}
	for _, email := range demoSignIns {
		c := a.Client(t)
		c.SignIn(email)
		for _, pattern := range patterns {
			for _, path := range expand(pattern, params) {
				r := c.Get(path)
				if r.StatusCode == http.StatusNotFound || !strings.Contains(r.Header.Get("Content-Type"), "text/html") && !strings.Contains(r.Header.Get("Content-Type"), "pdf") {
					continue
				}
				name := firstShown(r.Body, names)
				if name == "" && !strings.Contains(r.Header.Get("Content-Type"), "pdf") {
					continue
				}
				if strings.Contains(r.Header.Get("Content-Type"), "pdf") && r.StatusCode != http.StatusOK {
					continue
				}
				shown++
				var n int
				if err := a.Pool.QueryRow(ctx, `SELECT count(*) FROM audit_log WHERE request_id = $1`, r.Header.Get("X-Request-Id")).Scan(&n); err != nil {
					t.Fatal(err)
				}
				if n == 0 {
					unaudited[pattern] = append(unaudited[pattern], email+" "+path)
				}
			}
		}
	}
	if shown < 50 {
		t.Fatalf("only %d pages showed a student: the walk is not reaching the records", shown)
	}
	for pattern, where := range unaudited {
		t.Errorf("%s shows a student without an audit row, %d times, e.g. %s", pattern, len(where), where[0])
	}
	t.Logf("%d page views showed a student; %d routes unaudited", shown, len(unaudited))
}

// walkStudentNames are the names the pages show students by.
func walkStudentNames(t *testing.T, a *testapp.App) []string {
	rows, err := a.Pool.Query(context.Background(), `SELECT DISTINCT coalesce(nullif(btrim(preferred_first_name), ''), legal_first_name) || ' ' ||
		coalesce(nullif(btrim(preferred_last_name), ''), legal_last_name) FROM students`)
	if err != nil {
		t.Fatal(err)
	}
	names, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil || len(names) == 0 {
		t.Fatalf("student names: %d, %v", len(names), err)
	}
	return names
}

func firstShown(body string, names []string) string {
	for _, n := range names {
		if strings.Contains(body, n) {
			return n
		}
	}
	return ""
}

// walkParams are the values each route parameter takes in the walk: every referral (by reference or
// draft key), student, school, round, cohort, case and document in the demo.
func walkParams(t *testing.T, a *testapp.App) map[string][]string {
	ctx := context.Background()
	list := func(sql string) []string {
		rows, err := a.Pool.Query(ctx, sql)
		if err != nil {
			t.Fatal(err)
		}
		out, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	p := map[string][]string{
		"ref":     list(`SELECT coalesce(reference, 'draft-' || id) FROM referrals ORDER BY id`),
		"student": list(`SELECT id::text FROM students ORDER BY id`),
		"school":  list(`SELECT id::text FROM organisations WHERE kind = 'school' ORDER BY id`),
		"round":   list(`SELECT DISTINCT round_id::text FROM panel_cases UNION SELECT id::text FROM panel_rounds WHERE position = 1`),
		"cohort":  list(`SELECT id::text FROM panel_starts WHERE capacity > 0 ORDER BY id`),
		"user":    list(`SELECT id::text FROM users ORDER BY id LIMIT 3`),
		"panel":   panel.Panels,
		"section": {referral.SectionStudent, referral.SectionNeeds, referral.SectionConsiderations},
		"case":    list(`SELECT id::text FROM panel_cases ORDER BY id`),
		"doc":     list(`SELECT id::text FROM referral_documents ORDER BY id`),
		"year":    {"2026%2F27"},
		"import":  list(`SELECT id::text FROM student_imports ORDER BY id`),
		// Placements and registers: every placement, the providers with one, the days with marks and
		// today, both sessions, and a few marks (the corrected one among them).
		"placement": list(`SELECT id::text FROM placements ORDER BY id`),
		"provider":  list(`SELECT DISTINCT provider_id::text FROM placements ORDER BY 1`),
		"date":      list(`SELECT d FROM (SELECT DISTINCT on_date::text AS d FROM attendance_marks ORDER BY 1 DESC LIMIT 2) x UNION SELECT '2026-11-23'`),
		"session":   {"am", "pm"},
		"mark":      list(`(SELECT id::text FROM attendance_marks ORDER BY version DESC, id DESC LIMIT 3)`),
	}
	if len(p["ref"]) < 6 || len(p["case"]) == 0 {
		t.Fatalf("the demo has %d referrals and %d panel cases", len(p["ref"]), len(p["case"]))
	}
	return p
}

// expand fills a route pattern with each value its parameters take; {id} takes the values of the
// record its path names.
func expand(pattern string, params map[string][]string) []string {
	open := strings.Index(pattern, "{")
	if open < 0 {
		return []string{pattern}
	}
	end := strings.Index(pattern[open:], "}") + open
	name := pattern[open+1 : end]
	if name == "id" {
		switch {
		case strings.HasPrefix(pattern, "/students/"):
			name = "student"
		case strings.HasPrefix(pattern, "/schools/"):
			name = "school"
		case strings.HasPrefix(pattern, "/panels/rounds/"):
			name = "round"
		case strings.HasPrefix(pattern, "/panels/cohorts/"):
			name = "cohort"
		case strings.HasPrefix(pattern, "/admin/users/"):
			name = "user"
		case strings.HasPrefix(pattern, "/placements/"):
			name = "placement"
		case strings.HasPrefix(pattern, "/marks/"):
			name = "mark"
		default:
			// Directory records and the like name no student: one value shows the page.
			return expand(pattern[:open]+"1"+pattern[end+1:], params)
		}
	}
	var out []string
	for _, v := range params[name] {
		out = append(out, expand(pattern[:open]+v+pattern[end+1:], params)...)
	}
	if len(params[name]) == 0 {
		panic(fmt.Sprintf("no values for {%s} in %s", name, pattern))
	}
	return out
}
