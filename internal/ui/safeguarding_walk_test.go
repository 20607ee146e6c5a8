package ui_test

import (
	"context"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/coventry-cap/capportal/internal/seed"
	"github.com/coventry-cap/capportal/internal/testapp"
)

// TestNoSafeguardingRecordShowsToAnyoneWhoMayNotSeeIt writes a marker phrase into a concern (and an
// action on it), a concern the provider was not told of, a CE tool record and a LADO report, then
// walks every GET route of the router as each demo role, with a fresh step-up, with every record the
// route may name, and requires that no response carries a marker to a role that may not see it; nor
// may any log line or email.
func TestNoSafeguardingRecordShowsToAnyoneWhoMayNotSeeIt(t *testing.T) {
	if testing.Short() {
		t.Skip("walks every page for every role")
	}
	a := sgApp(t)
	ctx := context.Background()
	if _, err := seed.LoadDemoSafeguarding(ctx, a.Pool, a.Clock); err != nil {
		t.Fatalf("demo safeguarding records: %v", err)
	}
	kai := studentPath(t, a, studentKaiUPN)
	unplaced := whitmoreStudent(t, a, "15002")
	school, team, lead := sgClient(t, a, sgSchoolDSL), sgClient(t, a, sgCAPDSL), sgClient(t, a, sgLead)

	const (
		concernMarker = "zebra-concern-marker"     // a concern about Kai, placed at Ridgeway: Ridgeway was told
		actionMarker  = "zebra-action-marker"      // an action added to it by the school
		schoolMarker  = "zebra-school-only-marker" // a concern about a student placed nowhere
		ceMarker      = "zebra-ce-tool-marker"     // a CE tool record about Kai
		ladoMarker    = "zebra-lado-marker"        // a LADO report
	)
	rec := raise(t, school, kai, "concern", concernForm(concernMarker))
	if r := add(t, school, rec, "kind=update", url.Values{"text": {actionMarker}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("action: %d", r.StatusCode)
	}
	raise(t, school, unplaced, "concern", concernForm(schoolMarker))
	ce := url.Values{"indicator": {"phones", "travel"}, "evidence-phones": {"Evidence " + ceMarker}, "evidence-travel": {"Seen " + ceMarker}, "text": {ceMarker}}
	raise(t, team, kai, "ce_tool", ce)
	ladoPage := newLADO(t, lead, ladoMarker)

	seers := map[string][]string{
		concernMarker: {sgSchoolDSL, sgProviderDSL, sgCAPDSL},
		actionMarker:  {sgSchoolDSL, sgProviderDSL, sgCAPDSL},
		ceMarker:      {sgSchoolDSL, sgProviderDSL, sgCAPDSL},
		schoolMarker:  {sgSchoolDSL, sgCAPDSL},
		ladoMarker:    {sgLead},
	}
	// Those who may see a record do: the walk reaches them.
	for marker, who := range seers {
		for _, email := range who {
			c := sgClient(t, a, email)
			page := kai + "/safeguarding"
			switch marker {
			case schoolMarker:
				page = unplaced + "/safeguarding"
			case ladoMarker:
				page = ladoPage
			}
			if r := c.Get(page); !strings.Contains(r.Body, marker) {
				t.Errorf("%s does not see %s at %s (%d)", email, marker, page, r.StatusCode)
			}
		}
	}

	params := walkParams(t, a)
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
	var patterns []string
	for key := range a.Server.Routes().Policies() {
		method, pattern, _ := strings.Cut(key, " ")
		if method != http.MethodGet || strings.HasPrefix(pattern, "/assets") {
			continue
		}
		patterns = append(patterns, pattern)
	}
	sort.Strings(patterns)
	var paths []string
	for _, p := range patterns {
		paths = append(paths, expand(p, params)...)
	}
	// Every safeguarding record and LADO report by its own address, and every form on them.
	for _, id := range list(`SELECT id::text FROM safeguarding_entries WHERE parent_id IS NULL ORDER BY id`) {
		paths = append(paths, "/safeguarding/records/"+id)
		for _, q := range []string{"update", "mash", "cpoms", "police", "correction&corrects=" + id} {
			paths = append(paths, "/safeguarding/records/"+id+"/add?kind="+q)
		}
	}
	for _, id := range list(`SELECT id::text FROM lado_reports ORDER BY id`) {
		paths = append(paths, "/safeguarding/lado/"+id, "/safeguarding/lado/"+id+"/add?kind=decision")
	}
	for _, id := range list(`SELECT DISTINCT student_id::text FROM safeguarding_entries`) {
		for _, k := range []string{"concern", "ce_tool", "fib"} {
			paths = append(paths, "/students/"+id+"/safeguarding/new?kind="+k)
		}
	}
	paths = append(paths, "/admin/audit?action=safeguarding", "/admin/audit?action=lado", "/notifications", "/safeguarding?before=999999")

	emails := append(append([]string{}, demoSignIns...), sgOtherDSL)
	seen := 0
	for _, email := range emails {
		c := sgClient(t, a, email)
		for _, path := range paths {
			r := c.Get(path)
			seen++
			for marker, who := range seers {
				if strings.Contains(r.Body, marker) && !contains(who, email) {
					t.Errorf("%s sees %s at %s (%d)", email, marker, path, r.StatusCode)
				}
			}
		}
	}
	if seen < 1000 {
		t.Fatalf("only %d responses walked", seen)
	}
	logs := a.LogText()
	for marker := range seers {
		if strings.Contains(logs, marker) {
			t.Errorf("the log carries %s", marker)
		}
		for _, e := range a.Emails() {
			if strings.Contains(e.Subject+e.Body+e.Link, marker) {
				t.Errorf("the email to %s carries %s", e.To, marker)
			}
		}
	}
	var inRiver int
	if err := a.Pool.QueryRow(ctx, `SELECT count(*) FROM river_job WHERE args::text LIKE '%zebra-%'`).Scan(&inRiver); err != nil || inRiver != 0 {
		t.Errorf("River's queue holds %d jobs with a marker (%v)", inRiver, err)
	}
	t.Logf("%d responses walked for %d roles", seen, len(emails))
}

// TestASafeguardingRecordIsTheSame404ToThoseWhoMayNotSeeIt: a record's address tells anyone without
// the right to see it nothing, not even that it exists.
func TestASafeguardingRecordIsTheSame404ToThoseWhoMayNotSeeIt(t *testing.T) {
	a := sgApp(t)
	school := sgClient(t, a, sgSchoolDSL)
	kai := studentPath(t, a, studentKaiUPN)
	unplaced := whitmoreStudent(t, a, "15002")
	rec := raise(t, school, kai, "concern", concernForm("same-404"))
	schoolOnly := raise(t, school, unplaced, "concern", concernForm("same-404-school"))
	lead := sgClient(t, a, sgLead)
	lado := newLADO(t, lead, "same-404-lado")

	missing := map[string]string{rec: "/safeguarding/records/999999", schoolOnly: "/safeguarding/records/999999", lado: "/safeguarding/lado/999999",
		kai + "/safeguarding": "/students/999999/safeguarding", unplaced + "/safeguarding": "/students/999999/safeguarding"}
	for email, paths := range map[string][]string{
		sgCoordinator:                     {rec, schoolOnly, lado, kai + "/safeguarding"},
		"admin@cap.example":               {rec, schoolOnly, lado, kai + "/safeguarding"},
		"staff@ridgeway.provider.example": {rec, lado, kai + "/safeguarding"},
		sgOtherDSL:                        {rec, schoolOnly, lado, kai + "/safeguarding"},
		sgProviderDSL:                     {schoolOnly, lado, unplaced + "/safeguarding"},
		sgSchoolDSL:                       {lado},
		sgCAPDSL:                          {lado},
		sgLead:                            {rec, schoolOnly, kai + "/safeguarding"},
	} {
		c := sgClient(t, a, email)
		for _, path := range paths {
			got, want := c.Get(path), c.Get(missing[path])
			if got.StatusCode != http.StatusNotFound || want.StatusCode != http.StatusNotFound {
				t.Errorf("%s: %s %d, %s %d; want both 404", email, path, got.StatusCode, missing[path], want.StatusCode)
				continue
			}
			if testapp.Normalise(got.Body) != testapp.Normalise(want.Body) {
				t.Errorf("%s: %s's 404 differs from a record that does not exist", email, path)
			}
		}
		// Without a step-up, those without a safeguarding role are not even asked for a code.
		if email == sgCoordinator {
			fresh := a.Client(t)
			fresh.SignIn(email)
			if r := fresh.Get(rec); r.StatusCode != http.StatusNotFound {
				t.Errorf("a coordinator without a step-up: %d, want 404", r.StatusCode)
			}
		}
	}
}

// TestEverySafeguardingViewIsAuditedAndHiddenFromTheAuditSearch: each view writes an audit row, with
// nothing of what the record says, that CAP admins do not see in the audit search.
func TestEverySafeguardingViewIsAuditedAndHiddenFromTheAuditSearch(t *testing.T) {
	a := sgApp(t)
	ctx := context.Background()
	school := sgClient(t, a, sgSchoolDSL)
	kai := studentPath(t, a, studentKaiUPN)
	rec := raise(t, school, kai, "concern", concernForm("audited-marker"))
	for _, path := range []string{kai + "/safeguarding", rec, "/safeguarding"} {
		r := school.Get(path)
		var n int
		if err := a.Pool.QueryRow(ctx, `SELECT count(*) FROM audit_log WHERE request_id = $1 AND action LIKE 'safeguarding.%'`, r.Header.Get("X-Request-Id")).Scan(&n); err != nil || n != 1 {
			t.Errorf("GET %s: %d audit rows (%v), want 1", path, n, err)
		}
	}
	var leaked int
	if err := a.Pool.QueryRow(ctx, `SELECT count(*) FROM audit_log WHERE summary LIKE '%audited-marker%' OR details::text LIKE '%audited-marker%'`).Scan(&leaked); err != nil || leaked != 0 {
		t.Errorf("%d audit rows carry the record's words (%v)", leaked, err)
	}
	admin := a.Client(t)
	admin.SignIn("admin@cap.example")
	for _, q := range []string{"", "?action=safeguarding", "?subject=" + strings.TrimPrefix(kai, "/students/")} {
		if body := admin.Get("/admin/audit" + q).Body; strings.Contains(body, "safeguarding.") || strings.Contains(body, "safeguarding chronology") {
			t.Errorf("a CAP admin's audit search%s shows safeguarding views", q)
		}
	}
}
