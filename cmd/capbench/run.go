package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

// The kinds of page, for the targets.
const (
	kindList      = "list"
	kindDetail    = "detail"
	kindRegister  = "register"
	kindSearch    = "search"
	kindDashboard = "dashboard"
	kindOther     = "other"
	kindFloor     = "floor"
)

// page is one thing the benchmark drives: a role's sessions requesting its addresses in turn.
type page struct {
	name, kind, role string
	urls             []string
	// post, for a form: the body sent to each address.
	post url.Values
}

type result struct {
	name, kind string
	requests   int
	errors     int
	rps        float64
	p50, p99   time.Duration
	bytes      int
	firstErr   string
}

// The demo accounts whose sessions drive the pages.
var roleEmail = map[string]string{
	"cap_admin":      "admin@cap.example",
	"monitoring":     "monitoring@cap.example",
	"coordinator":    "coordinator@whitmore.school.example",
	"provider_staff": "staff@ridgeway.provider.example",
	"panel_member":   "panel@cap.example",
}

func run(ctx context.Context, args []string) (bool, error) {
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	portal := fs.String("portal", "bin/capportal", "the portal binary")
	db1 := fs.String("db1", "", "database URL at factor 1")
	db10 := fs.String("db10", "", "database URL at factor 10 (optional)")
	dur := fs.Duration("d", 6*time.Second, "how long each page is driven")
	conc := fs.Int("c", 32, "concurrent signed-in sessions")
	password := fs.String("password", "", "the demo password (CAP_DEMO_PASSWORD, or the demo's default)")
	only := fs.String("only", "", "drive only the pages whose names match this regular expression (the floor always runs)")
	if err := fs.Parse(args); err != nil {
		return false, err
	}
	if *db1 == "" {
		return false, errors.New("-db1 is required")
	}
	if *only != "" {
		re, err := regexp.Compile(*only)
		if err != nil {
			return false, fmt.Errorf("-only: %w", err)
		}
		pageFilter = re
	}
	if *password == "" {
		*password = os.Getenv("CAP_DEMO_PASSWORD")
	}
	if *password == "" {
		*password = "cap-demo-2026"
	}
	self, err := os.Executable()
	if err != nil {
		return false, err
	}
	factors := []struct {
		n   int
		url string
	}{{1, *db1}}
	if *db10 != "" {
		factors = append(factors, struct {
			n   int
			url string
		}{10, *db10})
	}
	all := map[int][]result{}
	var rss, hwm int
	host, _ := os.Hostname()
	fmt.Printf("capbench %s on %s, %d CPUs, %d sessions, %s a page\n", time.Now().UTC().Format("2006-01-02 15:04 MST"), host, numCPU(), *conc, *dur)
	for _, f := range factors {
		res, r, h, err := runFactor(ctx, f.n, f.url, *portal, self, *password, *dur, *conc)
		if err != nil {
			return false, fmt.Errorf("factor %d: %w", f.n, err)
		}
		all[f.n] = res
		rss, hwm = max(rss, r), max(hwm, h)
	}
	return check(all, rss, hwm), nil
}

func numCPU() int {
	b, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return 0
	}
	return strings.Count(string(b), "processor\t:")
}

func freePort() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return l.Addr().String(), nil
}

// start runs a server process and waits for its /healthz.
func start(ctx context.Context, bin string, args []string, env []string, addr, logPath string) (*exec.Cmd, error) {
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Env = append(os.Environ(), env...)
	logf, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	for range 300 {
		resp, err := http.Get("http://" + addr + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return cmd, nil
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	_ = cmd.Process.Kill()
	return nil, fmt.Errorf("%s did not start on %s: see %s", bin, addr, logPath)
}

func stopProc(cmd *exec.Cmd) {
	if cmd == nil || cmd.Process == nil {
		return
	}
	_ = cmd.Process.Signal(os.Interrupt)
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(15 * time.Second):
		_ = cmd.Process.Kill()
	}
}

func runFactor(ctx context.Context, factor int, dbURL, portalBin, self, password string, dur time.Duration, conc int) ([]result, int, int, error) {
	pool, err := pgxpool.New(ctx, dbURL)
	if err != nil {
		return nil, 0, 0, err
	}
	defer pool.Close()
	var referrals, marks int64
	if err := pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM referrals), (SELECT count(*) FROM attendance_marks)`).Scan(&referrals, &marks); err != nil {
		return nil, 0, 0, err
	}
	logDir := filepath.Join(os.TempDir(), "capbench")
	_ = os.MkdirAll(logDir, 0o755)
	paddr, err := freePort()
	if err != nil {
		return nil, 0, 0, err
	}
	portal, err := start(ctx, portalBin, []string{"serve"}, []string{"DATABASE_URL=" + dbURL, "CAP_ADDR=" + paddr,
		"CAP_BASE_URL=http://" + paddr, "CAP_SECOND_FACTOR=optional", "CAP_MIGRATE_ON_START=false", "CAP_LOG_LEVEL=warn"},
		paddr, filepath.Join(logDir, fmt.Sprintf("portal-%d.log", factor)))
	if err != nil {
		return nil, 0, 0, err
	}
	defer stopProc(portal)
	faddr, err := freePort()
	if err != nil {
		return nil, 0, 0, err
	}
	floorCmd, err := start(ctx, self, []string{"floor", "-addr", faddr}, []string{"DATABASE_URL=" + dbURL}, faddr,
		filepath.Join(logDir, fmt.Sprintf("floor-%d.log", factor)))
	if err != nil {
		return nil, 0, 0, err
	}
	defer stopProc(floorCmd)
	base := "http://" + paddr
	fmt.Printf("\nFactor %d: %d referrals, %d register marks (portal pid %d on %s; logs in %s)\n", factor, referrals, marks, portal.Process.Pid, paddr, logDir)

	// Sessions: conc of each role, signed in through the login form.
	sessions := map[string][]*http.Client{}
	for role, email := range roleEmail {
		for range conc {
			c, err := signIn(base, email, password)
			if err != nil {
				return nil, 0, 0, fmt.Errorf("sign in as %s: %w", email, err)
			}
			sessions[role] = append(sessions[role], c)
		}
	}
	var floorSessions []*http.Client
	for i := range conc {
		c := newClient()
		resp, err := c.PostForm("http://"+faddr+"/login", url.Values{"email": {fmt.Sprintf("floor%d@example", i)}})
		if err != nil {
			return nil, 0, 0, err
		}
		resp.Body.Close()
		floorSessions = append(floorSessions, c)
	}
	pages, err := discover(ctx, pool, base, sessions)
	if err != nil {
		return nil, 0, 0, err
	}
	// The floor's page is as big as the referral list's.
	size := 60000
	if b, err := get(sessions["cap_admin"][0], base+"/referrals"); err == nil {
		size = len(b)
	}
	pid := portal.Process.Pid
	var rssMax atomic.Int64
	stopSample := make(chan struct{})
	go func() {
		t := time.NewTicker(200 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-stopSample:
				return
			case <-t.C:
				if r, _ := memory(pid); int64(r) > rssMax.Load() {
					rssMax.Store(int64(r))
				}
			}
		}
	}()
	if pageFilter != nil {
		pages = slices.DeleteFunc(pages, func(p page) bool { return !pageFilter.MatchString(p.name) })
	}
	var results []result
	floorPg := page{name: "floor (session, one indexed query, templ)", kind: kindFloor, urls: []string{"http://" + faddr + "/page?bytes=" + strconv.Itoa(size)}}
	fr := drive(ctx, floorPg, floorSessions, dur)
	results = append(results, fr)
	for _, p := range pages {
		results = append(results, drive(ctx, p, sessions[p.role], dur))
	}
	// The floor again at the end, the noise of a shared machine being what it is: the better run counts.
	if fr2 := drive(ctx, floorPg, floorSessions, dur); fr2.rps > results[0].rps {
		results[0] = fr2
	}
	close(stopSample)
	_, hwm := memory(pid)
	printTable(factor, results, int(rssMax.Load()), hwm)
	return results, int(rssMax.Load()), hwm, nil
}

// memory reads the process's resident set size and its high-water mark, in kB.
func memory(pid int) (rss, hwm int) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		var v int
		if strings.HasPrefix(line, "VmRSS:") {
			fmt.Sscan(strings.TrimPrefix(line, "VmRSS:"), &v)
			rss = v
		}
		if strings.HasPrefix(line, "VmHWM:") {
			fmt.Sscan(strings.TrimPrefix(line, "VmHWM:"), &v)
			hwm = v
		}
	}
	return rss, hwm
}

func newClient() *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, Timeout: 30 * time.Second,
		Transport:     &http.Transport{MaxIdleConnsPerHost: 4, DisableCompression: true},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

func signIn(base, email, password string) (*http.Client, error) {
	c := newClient()
	if _, err := get(c, base+"/login"); err != nil {
		return nil, err
	}
	req, _ := http.NewRequest(http.MethodPost, base+"/login", strings.NewReader(url.Values{"email": {email}, "password": {password}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	resp, err := c.Do(req)
	if err != nil {
		return nil, err
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		return nil, fmt.Errorf("login answered %d: %.300s", resp.StatusCode, b)
	}
	if loc := resp.Header.Get("Location"); strings.Contains(loc, "login") || strings.Contains(loc, "code") || strings.Contains(loc, "factor") {
		return nil, fmt.Errorf("login asked for more (%s): is CAP_SECOND_FACTOR=optional honoured?", loc)
	}
	return c, nil
}

func get(c *http.Client, u string) ([]byte, error) {
	resp, err := c.Get(u)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		return b, fmt.Errorf("GET %s: %d", u, resp.StatusCode)
	}
	return b, err
}

var (
	nextLink  = regexp.MustCompile(`href="([^"]+)" rel="next"`)
	markInput = regexp.MustCompile(`<input[^>]*name="mark-(\d+)"[^>]*>`)
)

// registerForm is the register form's POST: each learner's mark as the form has it checked, else
// present.
func registerForm(marks [][][]byte) url.Values {
	form := url.Values{}
	for _, m := range marks {
		if !form.Has("mark-" + string(m[1])) {
			form.Set("mark-"+string(m[1]), "present")
		}
		if strings.Contains(string(m[0]), "checked") {
			if v := checkedValue.FindSubmatch(m[0]); v != nil {
				form.Set("mark-"+string(m[1]), string(v[1]))
			}
		}
	}
	return form
}

var checkedValue = regexp.MustCompile(`value="([a-z_]+)"`)

// pageFilter, from -only, narrows the pages driven (for working on one page; make bench drives all).
var pageFilter *regexp.Regexp

// discover finds what each page is about: the ids come from the database (this is the harness, not
// the portal), the deep page from the list's own pagination links.
func discover(ctx context.Context, pool *pgxpool.Pool, base string, s map[string][]*http.Client) ([]page, error) {
	q := func(sql string, args ...any) ([]string, error) {
		rows, err := pool.Query(ctx, sql, args...)
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		var out []string
		for rows.Next() {
			var v string
			if err := rows.Scan(&v); err != nil {
				return nil, err
			}
			out = append(out, v)
		}
		return out, rows.Err()
	}
	refs, err := q(`SELECT '/referrals/' || reference FROM referrals WHERE step = 'placement_active' AND pathway = 'tier1'
		AND school_id = (SELECT id FROM organisations WHERE slug = 'whitmore') ORDER BY id DESC LIMIT 40`)
	if err != nil || len(refs) == 0 {
		return nil, fmt.Errorf("referrals to open: %v", err)
	}
	students, err := q(`SELECT '/students/' || s.id FROM students s JOIN organisations o ON o.id = s.school_id
		WHERE o.slug = 'whitmore' AND EXISTS (SELECT 1 FROM referrals r WHERE r.student_id = s.id) ORDER BY s.id DESC LIMIT 40`)
	if err != nil || len(students) == 0 {
		return nil, fmt.Errorf("students to open: %v", err)
	}
	agenda, err := q(`SELECT '/panels/rounds/' || round_id || '/review' FROM panel_cases WHERE panel = 'review' AND decision IS NULL
		GROUP BY round_id ORDER BY count(*) DESC LIMIT 1`)
	if err != nil || len(agenda) == 0 {
		return nil, fmt.Errorf("a panel agenda: %v", err)
	}
	provider, err := q(`SELECT id::text FROM organisations WHERE slug = 'ridgeway'`)
	if err != nil || len(provider) == 0 {
		return nil, fmt.Errorf("Ridgeway: %v", err)
	}
	// The deep page: twenty pages in, through the list's own "Next" links.
	deep := base + "/referrals"
	for range 20 {
		b, err := get(s["cap_admin"][0], deep)
		if err != nil {
			return nil, err
		}
		m := nextLink.FindSubmatch(b)
		if m == nil {
			break
		}
		deep = base + strings.ReplaceAll(string(m[1]), "&amp;", "&")
	}
	// The register: the latest school day whose register form offers marks (today's, on a school day).
	var regURL string
	var form url.Values
	for back := 0; back < 14 && regURL == ""; back++ {
		day := time.Now().AddDate(0, 0, -back).Format("2006-01-02")
		for _, sess := range []string{"am", "pm"} {
			u := fmt.Sprintf("%s/registers/%s/%s/%s", base, provider[0], day, sess)
			b, err := get(s["provider_staff"][0], u)
			if err != nil {
				continue
			}
			ms := markInput.FindAllSubmatch(b, -1)
			if len(ms) == 0 {
				continue
			}
			form = registerForm(ms)
			regURL = u
			break
		}
	}
	if regURL == "" {
		// Every register of Ridgeway's in the fortnight is taken, and it has none today (the seeded
		// registers run to yesterday, and Ridgeway does not run every weekday). The benchmark's own
		// database then has its latest morning register un-taken, so that the register page offers
		// the form and the POST takes it.
		var day time.Time
		err := pool.QueryRow(ctx, `WITH g AS (SELECT id, on_date FROM registers WHERE provider_id = $1::bigint AND session = 'am'
				AND on_date > current_date - 14 ORDER BY on_date DESC LIMIT 1),
			h AS (DELETE FROM attendance_mark_history WHERE mark_id IN (SELECT m.id FROM attendance_marks m JOIN g ON m.register_id = g.id)),
			m AS (DELETE FROM attendance_marks WHERE register_id IN (SELECT id FROM g)),
			r AS (DELETE FROM registers WHERE id IN (SELECT id FROM g))
			SELECT on_date FROM g`, provider[0]).Scan(&day)
		if err == nil {
			u := fmt.Sprintf("%s/registers/%s/%s/am", base, provider[0], day.Format("2006-01-02"))
			if b, err := get(s["provider_staff"][0], u); err == nil {
				if form = registerForm(markInput.FindAllSubmatch(b, -1)); len(form) > 0 {
					regURL = u
					fmt.Printf("  (Ridgeway's morning register of %s was un-taken for the register pages)\n", day.Format("2 January 2006"))
				}
			}
		}
	}
	abs := func(paths []string) []string {
		out := make([]string, len(paths))
		for i, p := range paths {
			out[i] = base + p
		}
		return out
	}
	pages := []page{
		{name: "dashboard: CAP admin", kind: kindDashboard, role: "cap_admin", urls: abs([]string{"/"})},
		{name: "dashboard: monitoring officer", kind: kindDashboard, role: "monitoring", urls: abs([]string{"/"})},
		{name: "dashboard: school coordinator", kind: kindDashboard, role: "coordinator", urls: abs([]string{"/"})},
		{name: "dashboard: provider staff", kind: kindDashboard, role: "provider_staff", urls: abs([]string{"/"})},
		{name: "dashboard: panel member", kind: kindDashboard, role: "panel_member", urls: abs([]string{"/"})},
		{name: "referral list: first page", kind: kindList, role: "cap_admin", urls: abs([]string{"/referrals"})},
		{name: "referral list: page 21 (Next links)", kind: kindList, role: "cap_admin", urls: []string{deep}},
		{name: "referral list: filtered", kind: kindList, role: "cap_admin", urls: abs([]string{"/referrals?step=pack_sent", "/referrals?kind=course&sort=waiting"})},
		{name: "referral list: school's", kind: kindList, role: "coordinator", urls: abs([]string{"/referrals"})},
		{name: "referral with its timeline", kind: kindDetail, role: "cap_admin", urls: abs(refs)},
		{name: "student's page", kind: kindDetail, role: "coordinator", urls: abs(students)},
		{name: "panel agenda", kind: kindOther, role: "panel_member", urls: abs(agenda)},
		{name: "directory search", kind: kindSearch, role: "coordinator", urls: abs([]string{"/directory?q=motor", "/directory?q=skills+centre", "/directory?q=construction", "/directory?tier=1&day=3"})},
		{name: "notifications", kind: kindList, role: "cap_admin", urls: abs([]string{"/notifications"})},
	}
	if regURL != "" {
		pages = append(pages,
			page{name: "register: GET", kind: kindRegister, role: "provider_staff", urls: []string{regURL}},
			page{name: fmt.Sprintf("register: POST (%d learners)", len(form)), kind: kindRegister, role: "provider_staff", urls: []string{regURL}, post: form})
	} else {
		fmt.Println("  (no register form with learners in the last fortnight: the register pages are not driven)")
	}
	return pages, nil
}

// drive runs the page with every session at once for d and measures each request.
func drive(ctx context.Context, p page, clients []*http.Client, d time.Duration) result {
	// A short warm-up first.
	for i, c := range clients[:min(4, len(clients))] {
		_, _ = do(c, p, i)
	}
	var mu sync.Mutex
	var lat []time.Duration
	res := result{name: p.name, kind: p.kind}
	deadline := time.Now().Add(d)
	var wg sync.WaitGroup
	began := time.Now()
	for w, c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mine []time.Duration
			errs, n, bytes := 0, 0, 0
			first := ""
			for i := w; time.Now().Before(deadline) && ctx.Err() == nil; i++ {
				t0 := time.Now()
				size, err := do(c, p, i)
				mine = append(mine, time.Since(t0))
				n++
				bytes = size
				if err != nil {
					errs++
					if first == "" {
						first = err.Error()
					}
				}
			}
			mu.Lock()
			lat = append(lat, mine...)
			res.requests += n
			res.errors += errs
			res.bytes = max(res.bytes, bytes)
			if res.firstErr == "" {
				res.firstErr = first
			}
			mu.Unlock()
		}()
	}
	wg.Wait()
	elapsed := time.Since(began)
	slices.Sort(lat)
	if len(lat) > 0 {
		res.p50 = lat[len(lat)/2]
		res.p99 = lat[min(len(lat)-1, len(lat)*99/100)]
	}
	res.rps = float64(res.requests-res.errors) / elapsed.Seconds()
	return res
}

func do(c *http.Client, p page, i int) (int, error) {
	u := p.urls[i%len(p.urls)]
	var resp *http.Response
	var err error
	if p.post != nil {
		req, _ := http.NewRequest(http.MethodPost, u, strings.NewReader(p.post.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Sec-Fetch-Site", "same-origin")
		resp, err = c.Do(req)
	} else {
		resp, err = c.Get(u)
	}
	if err != nil {
		return 0, err
	}
	n, _ := io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	want := http.StatusOK
	if p.post != nil {
		want = http.StatusSeeOther
	}
	if resp.StatusCode != want {
		return int(n), fmt.Errorf("%s %s: %d", map[bool]string{true: "POST", false: "GET"}[p.post != nil], u, resp.StatusCode)
	}
	return int(n), nil
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f", float64(d.Microseconds())/1000) }

func printTable(factor int, rs []result, rss, hwm int) {
	floor := rs[0].rps
	fmt.Printf("\n%-40s %9s %8s %8s %7s %7s %6s\n", fmt.Sprintf("factor %d", factor), "req/s", "p50 ms", "p99 ms", "×floor", "KB", "errors")
	for _, r := range rs {
		ratio := 0.0
		if floor > 0 {
			ratio = r.rps / floor
		}
		fmt.Printf("%-40s %9.1f %8s %8s %7.2f %7d %6d\n", r.name, r.rps, ms(r.p50), ms(r.p99), ratio, r.bytes/1024, r.errors)
		if r.errors > 0 {
			fmt.Printf("    first error: %s\n", r.firstErr)
		}
	}
	fmt.Printf("portal resident memory under load: VmRSS max %.1f MB, VmHWM %.1f MB\n", float64(rss)/1024, float64(hwm)/1024)
}

// check applies the targets and says which were missed.
func check(all map[int][]result, rss, hwm int) bool {
	var missed []string
	for _, factor := range []int{1, 10} {
		rs, ok := all[factor]
		if !ok {
			continue
		}
		floor := rs[0].rps
		for _, r := range rs[1:] {
			if r.errors > 0 {
				missed = append(missed, fmt.Sprintf("factor %d, %s: %d failed requests (%s)", factor, r.name, r.errors, r.firstErr))
			}
			switch r.kind {
			case kindList, kindDetail, kindRegister, kindSearch:
				if floor > 0 && r.rps/floor < 0.5 {
					missed = append(missed, fmt.Sprintf("factor %d, %s: %.2f of the floor's throughput (target ≥ 0.5)", factor, r.name, r.rps/floor))
				}
				if r.p99 >= 50*time.Millisecond {
					missed = append(missed, fmt.Sprintf("factor %d, %s: p99 %s ms (target < 50)", factor, r.name, ms(r.p99)))
				}
			case kindDashboard:
				if r.p99 >= 100*time.Millisecond {
					missed = append(missed, fmt.Sprintf("factor %d, %s: p99 %s ms (target < 100)", factor, r.name, ms(r.p99)))
				}
			}
		}
	}
	if r1, ok := all[1]; ok {
		if r10, ok := all[10]; ok {
			for i := 1; i < len(r1) && i < len(r10); i++ {
				a, b := r1[i], r10[i]
				if a.name != b.name {
					continue
				}
				// Timer and scheduler noise: half a millisecond of grace on top of the 1.3 times.
				if float64(b.p50) > 1.3*float64(a.p50)+float64(500*time.Microsecond) {
					missed = append(missed, fmt.Sprintf("%s: p50 %s ms at factor 10 against %s ms at factor 1 (target ≤ 1.3×)", a.name, ms(b.p50), ms(a.p50)))
				}
			}
		}
	}
	if rss >= 150*1024 {
		missed = append(missed, fmt.Sprintf("portal resident memory %.1f MB under load (target < 150)", float64(rss)/1024))
	}
	fmt.Println()
	if len(missed) == 0 {
		fmt.Printf("All targets met (resident memory at most %.1f MB, high-water mark %.1f MB).\n", float64(rss)/1024, float64(hwm)/1024)
		return true
	}
	fmt.Println("Targets missed:")
	for _, m := range missed {
		fmt.Println("  -", m)
	}
	return false
}
