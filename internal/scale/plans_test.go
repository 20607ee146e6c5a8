package scale_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/coventry-cap/capportal/internal/app"
	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/db"
	"github.com/coventry-cap/capportal/internal/seed"
	"github.com/coventry-cap/capportal/internal/ui"
)

// recorder keeps every statement the portal runs, with its arguments.
type recorder struct {
	mu   sync.Mutex
	on   bool
	page string
	seen map[string]stmt
	// calls counts the statements each page ran: a page whose count grows with its rows runs a
	// query per row.
	calls map[string]int
	// order is each page's statements in the order it ran them (logged with CAP_BENCH_SQL=1).
	order map[string][]string
}

type stmt struct {
	sql   string
	args  []any
	pages []string
}

func (r *recorder) TraceQueryStart(ctx context.Context, _ *pgx.Conn, d pgx.TraceQueryStartData) context.Context {
	r.record(d.SQL, d.Args)
	return ctx
}

func (r *recorder) record(sql string, args []any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if !r.on {
		return
	}
	r.calls[r.page]++
	r.order[r.page] = append(r.order[r.page], sql)
	s, ok := r.seen[sql]
	if !ok {
		s = stmt{sql: sql, args: args}
	}
	if !slices.Contains(s.pages, r.page) {
		s.pages = append(s.pages, r.page)
	}
	r.seen[sql] = s
}

// executeLiteral prepares sql as hot_query on conn and returns the EXECUTE of it with args written
// as SQL literals of its parameters' types.
func executeLiteral(conn *pgx.Conn, ctx context.Context, sql string, args []any) (string, error) {
	_ = conn.Deallocate(ctx, "hot_query") // the last statement's
	sd, err := conn.Prepare(ctx, "hot_query", sql)
	if err != nil {
		return "", err
	}
	if len(sd.ParamOIDs) != len(args) {
		return "", fmt.Errorf("%d parameters, %d arguments", len(sd.ParamOIDs), len(args))
	}
	lits := make([]string, len(args))
	for i, a := range args {
		typ, ok := conn.TypeMap().TypeForOID(sd.ParamOIDs[i])
		if !ok {
			return "", fmt.Errorf("parameter %d: unknown type %d", i+1, sd.ParamOIDs[i])
		}
		b, err := conn.TypeMap().Encode(sd.ParamOIDs[i], pgtype.TextFormatCode, a, nil)
		if err != nil {
			return "", fmt.Errorf("parameter %d: %w", i+1, err)
		}
		if b == nil {
			lits[i] = "NULL::" + typ.Name
			continue
		}
		lits[i] = "'" + strings.ReplaceAll(string(b), "'", "''") + "'::" + typ.Name
	}
	if len(lits) == 0 {
		return "EXECUTE hot_query", nil
	}
	return "EXECUTE hot_query(" + strings.Join(lits, ", ") + ")", nil
}

func (r *recorder) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}

// A batch's statements (db.SendBatch) are recorded and explained like the others.
func (r *recorder) TraceBatchStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceBatchStartData) context.Context {
	return ctx
}

func (r *recorder) TraceBatchQuery(_ context.Context, _ *pgx.Conn, d pgx.TraceBatchQueryData) {
	r.record(d.SQL, d.Args)
}

func (r *recorder) TraceBatchEnd(context.Context, *pgx.Conn, pgx.TraceBatchEndData) {}

// bigRows is the size from which a table counts as big: a plan may not read one from end to end.
// Smaller tables (the directory, the calendar, the sessions of a quiet test database) are read
// whole when that is cheaper, as the planner likes.
const bigRows = 5000

// TestHotQueryPlans signs in as the benchmark's roles, opens the pages make bench drives through the
// portal's own handler on a pool that records every statement, and runs each statement's generic plan
// (EXPLAIN (ANALYZE, FORMAT JSON), with the arguments the page used, read-only and rolled back): no
// plan may scan one of the big tables sequentially, nor read more than bigRows rows of one. It needs a database seeded with the demo and seed scale --factor 1
// (CAP_BENCH_DATABASE_URL; make bench sets it), so without one it is skipped.
func TestHotQueryPlans(t *testing.T) {
	dbURL := os.Getenv("CAP_BENCH_DATABASE_URL")
	if dbURL == "" {
		t.Skip("CAP_BENCH_DATABASE_URL is not set: make bench runs this against its factor-1 database")
	}
	ctx := context.Background()
	rec := &recorder{seen: map[string]stmt{}, calls: map[string]int{}, order: map[string][]string{}}
	cfg, err := db.PoolConfig(dbURL)
	if err != nil {
		t.Fatal(err)
	}
	cfg.ConnConfig.Tracer = rec
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	// As make bench runs the portal (CAP_SECOND_FACTOR=optional): the CAP roles would otherwise be
	// sent to enrol a second factor, and their pages' statements never run.
	_, h, err := app.NewHandler(pool, calendar.System{}, logger, false, nil,
		app.Mail{TestOnly: true, SecondFactor: ui.SecondFactorSettings{Optional: true}})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(h)
	defer ts.Close()

	one := func(sql string, args ...any) string {
		var v string
		if err := pool.QueryRow(ctx, sql, args...).Scan(&v); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
		return v
	}
	ref := one(`SELECT reference FROM referrals WHERE step = 'placement_active' AND school_id = (SELECT id FROM organisations WHERE slug = 'whitmore') ORDER BY id DESC LIMIT 1`)
	studentID := one(`SELECT s.id::text FROM students s JOIN referrals r ON r.student_id = s.id WHERE s.school_id = (SELECT id FROM organisations WHERE slug = 'whitmore') ORDER BY s.id DESC LIMIT 1`)
	round := one(`SELECT round_id::text FROM panel_cases WHERE panel = 'review' AND decision IS NULL GROUP BY round_id ORDER BY count(*) DESC LIMIT 1`)
	ridgeway := one(`SELECT id::text FROM organisations WHERE slug = 'ridgeway'`)
	day := one(`SELECT max(on_date)::text FROM attendance_marks WHERE placement_id IN (SELECT id FROM placements WHERE provider_id = $1::bigint)`, ridgeway)

	next := regexp.MustCompile(`href="([^"]+)" rel="next"`)
	visits := map[string][]string{
		"admin@cap.example":                   {"/", "/referrals", "/referrals?step=pack_sent", "/referrals?kind=course&sort=waiting", "/referrals/" + ref, "/notifications", "deep"},
		"monitoring@cap.example":              {"/"},
		"coordinator@whitmore.school.example": {"/", "/referrals", "/students/" + studentID, "/directory?q=motor", "/directory?tier=1&day=3"},
		"staff@ridgeway.provider.example":     {"/", "/registers/" + ridgeway + "/" + day + "/am"},
		"panel@cap.example":                   {"/", "/panels/rounds/" + round + "/review"},
	}
	for email, paths := range visits {
		jar, _ := cookiejar.New(nil)
		c := &http.Client{Jar: jar}
		resp, err := c.PostForm(ts.URL+"/login", url.Values{"email": {email}, "password": {seed.DefaultDemoPassword}})
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		for _, p := range paths {
			deep := p == "deep"
			if deep {
				p = "/referrals"
				for range 5 {
					b := getPage(t, c, ts.URL+p)
					m := next.FindStringSubmatch(b)
					if m == nil {
						break
					}
					p = strings.ReplaceAll(m[1], "&amp;", "&")
				}
			}
			rec.mu.Lock()
			rec.on, rec.page = true, email+" "+p
			rec.mu.Unlock()
			getPage(t, c, ts.URL+p)
			rec.mu.Lock()
			rec.on = false
			rec.mu.Unlock()
		}
	}
	if len(rec.seen) < 20 {
		t.Fatalf("only %d statements recorded: did the pages load?", len(rec.seen))
	}
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	// The portal runs generic plans (db.PoolConfig): check those, not plans made for the arguments.
	if _, err := conn.Exec(ctx, "SET plan_cache_mode = force_generic_plan"); err != nil {
		t.Fatal(err)
	}
	big := map[string]bool{}
	rows, err := conn.Query(ctx, `SELECT relname FROM pg_class WHERE relkind = 'r' AND reltuples >= $1 AND relnamespace = 'public'::regnamespace`, bigRows)
	if err != nil {
		t.Fatal(err)
	}
	names, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range names {
		big[n] = true
	}
	checked := 0
	for _, s := range rec.seen {
		head := strings.ToUpper(strings.TrimSpace(s.sql))
		if !strings.HasPrefix(head, "SELECT") && !strings.HasPrefix(head, "WITH") {
			continue
		}
		var plan []map[string]any
		var raw []byte
		// Run as well as planned, read-only and rolled back, for the rows each scan read.
		tx, err := conn.BeginTx(ctx, pgx.TxOptions{AccessMode: pgx.ReadOnly})
		if err != nil {
			t.Fatal(err)
		}
		explain := "EXPLAIN (ANALYZE, FORMAT JSON) "
		if strings.Contains(head, " FOR UPDATE") || strings.Contains(head, " FOR SHARE") {
			explain = "EXPLAIN (FORMAT JSON) " // a locking read cannot run read-only: its plan alone
		}
		// EXPLAIN of a statement with its arguments bound plans it for those arguments; the generic
		// plan is the one a prepared statement gets under force_generic_plan, so prepare it and
		// explain its EXECUTE with the page's arguments written as literals of the parameters' types
		// (PostgreSQL 15 has no EXPLAIN (GENERIC_PLAN), and EXECUTE under EXPLAIN takes no $n).
		exec, err := executeLiteral(conn, ctx, s.sql, s.args)
		if err == nil {
			err = tx.QueryRow(ctx, explain+exec).Scan(&raw)
		}
		_ = tx.Rollback(ctx)
		if err != nil {
			t.Errorf("explain %.120s: %v", s.sql, err)
			continue
		}
		if err := json.Unmarshal(raw, &plan); err != nil {
			t.Fatal(err)
		}
		checked++
		if os.Getenv("CAP_BENCH_SQL") != "" {
			t.Logf("%8.2f ms  %.200s", plan[0]["Execution Time"], strings.Join(strings.Fields(s.sql), " "))
		}
		var bad []string
		walk(plan[0]["Plan"], func(n map[string]any) {
			rel := fmt.Sprint(n["Relation Name"])
			if !big[rel] {
				return
			}
			if n["Node Type"] == "Seq Scan" {
				bad = append(bad, "a sequential scan of "+rel)
			}
			// The rows a scan read: those it returned and those its filter threw away, on every loop.
			num := func(k string) float64 { f, _ := n[k].(float64); return f }
			if read := (num("Actual Rows") + num("Rows Removed by Filter")) * max(num("Actual Loops"), 1); read > bigRows {
				bad = append(bad, fmt.Sprintf("%s read %.0f rows of %s", n["Node Type"], read, rel))
			}
		})
		if len(bad) > 0 {
			t.Errorf("%s, on %s:\n%s", strings.Join(bad, "; "), strings.Join(s.pages, "; "), s.sql)
		}
	}
	t.Logf("%d statements' plans checked, from %d pages", checked, len(visits))
	pages := make([]string, 0, len(rec.calls))
	for p := range rec.calls {
		pages = append(pages, p)
	}
	slices.Sort(pages)
	for _, p := range pages {
		t.Logf("%3d statements: %s", rec.calls[p], p)
		if os.Getenv("CAP_BENCH_SQL") != "" {
			for i, q := range rec.order[p] {
				t.Logf("    %2d. %.160s", i+1, strings.Join(strings.Fields(q), " "))
			}
		}
		// No benchmarked page needs more than a few dozen statements, whatever its number of rows.
		if rec.calls[p] > 40 {
			t.Errorf("%s ran %d statements: a query per row?", p, rec.calls[p])
		}
	}
}

func walk(n any, f func(map[string]any)) {
	m, ok := n.(map[string]any)
	if !ok {
		return
	}
	f(m)
	if kids, ok := m["Plans"].([]any); ok {
		for _, k := range kids {
			walk(k, f)
		}
	}
}

func getPage(t *testing.T, c *http.Client, u string) string {
	t.Helper()
	resp, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d", u, resp.StatusCode)
	}
	// A redirect (to sign in, or to enrol a second factor) would check another page's statements.
	if want, _ := url.Parse(u); resp.Request.URL.RequestURI() != want.RequestURI() {
		t.Fatalf("GET %s ended at %s", u, resp.Request.URL)
	}
	return string(b)
}
