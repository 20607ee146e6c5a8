package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/jackc/pgx/v5"

	"github.com/coventry-cap/capportal/internal/seed"
	"github.com/coventry-cap/capportal/internal/student"
)

// The fault tests run the real binary against a PostgreSQL cluster of their own, which they stop and
// start under load, as an operator (or a crash) would. The cluster keeps PostgreSQL's durable
// defaults, as the one `make run` starts does.

// cluster is a private PostgreSQL cluster on a unix socket.
type cluster struct {
	bin, base, data, sock, log string
}

func pgServerBin(t *testing.T) string {
	t.Helper()
	if p, err := exec.LookPath("pg_ctl"); err == nil {
		if _, err := exec.LookPath("initdb"); err == nil {
			return filepath.Dir(p)
		}
	}
	m, _ := filepath.Glob("/usr/lib/postgresql/*/bin/pg_ctl")
	if len(m) == 0 {
		t.Fatal("no PostgreSQL server binaries (initdb, pg_ctl): install Debian's postgresql package")
	}
	sort.Strings(m)
	return filepath.Dir(m[len(m)-1])
}

// asPostgres runs a server command; as root, as the postgres user (initdb refuses to run as root).
func asPostgres(name string, args ...string) *exec.Cmd {
	if os.Geteuid() == 0 {
		return exec.Command("runuser", append([]string{"-u", "postgres", "--", name}, args...)...)
	}
	return exec.Command(name, args...)
}

func startCluster(t *testing.T) *cluster {
	t.Helper()
	// A short path of its own under /tmp: a socket path must stay under 108 bytes, and as root the
	// postgres user must be able to reach it.
	base, err := os.MkdirTemp("/tmp", "capfault-")
	if err != nil {
		t.Fatal(err)
	}
	c := &cluster{bin: pgServerBin(t), base: base, data: filepath.Join(base, "data"), sock: filepath.Join(base, "run"), log: filepath.Join(base, "postgres.log")}
	if os.Geteuid() == 0 {
		pg, err := user.Lookup("postgres")
		if err != nil {
			t.Fatalf("running as root needs the postgres user: %v", err)
		}
		uid, _ := strconv.Atoi(pg.Uid)
		gid, _ := strconv.Atoi(pg.Gid)
		if err := os.Chown(base, uid, gid); err != nil {
			t.Fatal(err)
		}
	}
	t.Cleanup(func() {
		_ = asPostgres(filepath.Join(c.bin, "pg_ctl"), "-D", c.data, "-m", "immediate", "-w", "stop").Run()
		_ = os.RemoveAll(base)
	})
	for _, args := range [][]string{
		{"mkdir", "-p", c.data, c.sock},
		{filepath.Join(c.bin, "initdb"), "-D", c.data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"},
	} {
		if out, err := asPostgres(args[0], args[1:]...).CombinedOutput(); err != nil {
			t.Fatalf("%s: %v\n%s", args[0], err, out)
		}
	}
	c.start(t)
	return c
}

func (c *cluster) start(t *testing.T) {
	t.Helper()
	out, err := asPostgres(filepath.Join(c.bin, "pg_ctl"), "-D", c.data, "-l", c.log, "-w", "-t", "60",
		"-o", "-k "+c.sock+" -c listen_addresses='' -c max_connections=100", "start").CombinedOutput()
	if err != nil {
		b, _ := os.ReadFile(c.log)
		t.Fatalf("pg_ctl start: %v\n%s\n%s", err, out, b)
	}
}

func (c *cluster) stop(t *testing.T, mode string) {
	t.Helper()
	if out, err := asPostgres(filepath.Join(c.bin, "pg_ctl"), "-D", c.data, "-m", mode, "-w", "stop").CombinedOutput(); err != nil {
		t.Fatalf("pg_ctl stop -m %s: %v\n%s", mode, err, out)
	}
}

func (c *cluster) url(role, database string) string {
	return "postgres://" + role + "@/" + database + "?host=" + c.sock
}

// portal is the real binary serving.
type portal struct {
	cmd  *exec.Cmd
	base string
	logs *syncWriter
	done chan error
}

type syncWriter struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (w *syncWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.Write(p)
}

func (w *syncWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.String()
}

var (
	buildOnce sync.Once
	binary    string
	buildErr  error
)

// buildPortal builds the capportal binary once for the test process.
func buildPortal(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "capportal-bin-")
		if err != nil {
			buildErr = err
			return
		}
		binary = filepath.Join(dir, "capportal")
		out, err := exec.Command(filepath.Join(runtime.GOROOT(), "bin", "go"), "build", "-o", binary, ".").CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binary
}

// faultRig is a cluster with the demo data and the binary that serves it: the schema's owner
// migrates and seeds, the portal serves as capportal_web, a member of capportal_app.
type faultRig struct {
	c       *cluster
	bin     string
	env     []string
	ownerDB string
}

func newFaultRig(t *testing.T) *faultRig {
	t.Helper()
	bin := buildPortal(t)
	c := startCluster(t)
	ctx := context.Background()
	admin, err := pgx.Connect(ctx, c.url("postgres", "postgres"))
	if err != nil {
		t.Fatal(err)
	}
	for _, sql := range []string{
		"CREATE DATABASE capportal",
		"CREATE ROLE capportal_app NOLOGIN",
		"CREATE ROLE capportal_web LOGIN IN ROLE capportal_app",
	} {
		if _, err := admin.Exec(ctx, sql); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
	admin.Close(ctx)
	r := &faultRig{c: c, bin: bin, ownerDB: c.url("postgres", "capportal")}
	r.env = append(os.Environ(),
		"DATABASE_URL="+c.url("capportal_web", "capportal"),
		"CAP_MIGRATE_DATABASE_URL="+r.ownerDB,
		"CAP_ENV=development", "CAP_LOG_LEVEL=info", "CAP_SHUTDOWN_GRACE=20s",
	)
	cmd := exec.Command(bin, "seed", "demo")
	cmd.Env = r.env
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("capportal seed demo: %v\n%s", err, out)
	}
	return r
}

func (r *faultRig) serve(t *testing.T) *portal {
	t.Helper()
	addr := freeAddr(t)
	p := &portal{base: "http://" + addr, logs: &syncWriter{}, done: make(chan error, 1)}
	p.cmd = exec.Command(r.bin, "serve")
	p.cmd.Env = append(slices.Clone(r.env), "CAP_ADDR="+addr, "CAP_BASE_URL="+p.base)
	p.cmd.Stdout, p.cmd.Stderr = p.logs, p.logs
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { p.done <- p.cmd.Wait() }()
	t.Cleanup(func() {
		_ = p.cmd.Process.Kill()
		<-p.done
		if t.Failed() {
			t.Logf("the portal's log:\n%s", p.logs.String())
		}
	})
	for deadline := time.Now().Add(30 * time.Second); ; {
		if resp, err := http.Get(p.base + "/healthz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				break
			}
		}
		select {
		case err := <-p.done:
			t.Fatalf("capportal serve exited: %v\n%s", err, p.logs.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("capportal serve did not answer within 30s\n%s", p.logs.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	return p
}

// browser is a signed-in client: cookies kept, redirects not followed, each request bounded.
type browser struct {
	base string
	http *http.Client
}

func newBrowser(base string) *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{base: base, http: &http.Client{
		Jar:           jar,
		Timeout:       10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		Transport:     &http.Transport{MaxIdleConnsPerHost: 4},
	}}
}

type result struct {
	start, end time.Time
	status     int // 0: no answer
	err        error
	location   string
	body       string
}

func (r result) took() time.Duration { return r.end.Sub(r.start) }

func (b *browser) do(method, path string, form url.Values) result {
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, _ := http.NewRequest(method, b.base+path, body)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Sec-Fetch-Site", "same-origin")
	}
	res := result{start: time.Now()}
	resp, err := b.http.Do(req)
	if err != nil {
		res.end, res.err = time.Now(), err
		return res
	}
	b2, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	res.end, res.status, res.location, res.body, res.err = time.Now(), resp.StatusCode, resp.Header.Get("Location"), string(b2), err
	return res
}

func (b *browser) signIn(t *testing.T, email string) {
	t.Helper()
	r := b.do(http.MethodPost, "/login", url.Values{"email": {email}, "password": {seed.DefaultDemoPassword}})
	if r.status != http.StatusSeeOther || r.location != "/" {
		t.Fatalf("sign in as %s: %d to %q (%v)", email, r.status, r.location, r.err)
	}
}

var upnSerial atomic.Int64

func init() { upnSerial.Store(60000) }

// newStudent fills the add-a-student form as it came from the server (any hidden fields it carries,
// such as a one-time token) with a student of a UPN not used before.
func newStudent(formPage string) (url.Values, error) {
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(formPage))
	if err != nil {
		return nil, err
	}
	form := url.Values{}
	doc.Find("form[method=post] input[type=hidden]").Each(func(_ int, s *goquery.Selection) {
		if name, ok := s.Attr("name"); ok {
			v, _ := s.Attr("value")
			form.Set(name, v)
		}
	})
	rest := "3312901" + strconv.FormatInt(upnSerial.Add(1), 10)
	letter, ok := student.CheckLetter(rest)
	if !ok {
		return nil, fmt.Errorf("no check letter for %s", rest)
	}
	n := strconv.FormatInt(upnSerial.Load(), 10)
	for k, v := range map[string]string{
		"upn": string(letter) + rest, "legal_first_name": "Outage", "legal_last_name": "Test" + n,
		"dob-day": "4", "dob-month": "6", "dob-year": "2012", "sex": "F", "year_group": "9",
		"sen_status": "none", "cp_cin_status": "none",
		"contact1_name": "Dawn Test", "contact1_relationship": "Mother", "contact1_pr": "yes", "contact1_phone": "07700 900341",
	} {
		form.Set(k, v)
	}
	return form, nil
}

// load is signed-in people using the portal at the same time: coordinators adding students, others
// reading pages. Every answer is kept.
type load struct {
	mu      sync.Mutex
	results []result
	acked   []int64 // students the portal said were saved (303 to the student's page)
	stop    atomic.Bool
	wg      sync.WaitGroup
}

func (l *load) record(r result) {
	l.mu.Lock()
	l.results = append(l.results, r)
	l.mu.Unlock()
}

func (l *load) run(t *testing.T, base string, writers, readers int) {
	t.Helper()
	for i := 0; i < writers; i++ {
		b := newBrowser(base)
		b.signIn(t, "coordinator@whitmore.school.example")
		l.wg.Add(1)
		go func() {
			defer l.wg.Done()
			for !l.stop.Load() {
				page := b.do(http.MethodGet, "/students/new", nil)
				l.record(page)
				if page.status != http.StatusOK {
					time.Sleep(20 * time.Millisecond)
					continue
				}
				form, err := newStudent(page.body)
				if err != nil {
					l.record(result{start: time.Now(), end: time.Now(), err: err})
					continue
				}
				if l.stop.Load() {
					return
				}
				r := b.do(http.MethodPost, "/students", form)
				l.record(r)
				if r.status == http.StatusSeeOther && strings.HasPrefix(r.location, "/students/") {
					if id, err := strconv.ParseInt(strings.TrimPrefix(r.location, "/students/"), 10, 64); err == nil {
						l.mu.Lock()
						l.acked = append(l.acked, id)
						l.mu.Unlock()
					}
				}
			}
		}()
	}
	readerLogins := []string{"admin@cap.example", "coordinator@whitmore.school.example", "monitoring@cap.example"}
	pages := []string{"/", "/students", "/referrals", "/placements", "/notifications", "/directory"}
	for i := 0; i < readers; i++ {
		b := newBrowser(base)
		b.signIn(t, readerLogins[i%len(readerLogins)])
		l.wg.Add(1)
		go func(i int) {
			defer l.wg.Done()
			for n := i; !l.stop.Load(); n++ {
				r := b.do(http.MethodGet, pages[n%len(pages)], nil)
				l.record(r)
				if r.status != http.StatusOK {
					time.Sleep(20 * time.Millisecond)
				}
			}
		}(i)
	}
}

func (l *load) finish() {
	l.stop.Store(true)
	l.wg.Wait()
}

func p99(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	slices.Sort(ds)
	i := (len(ds)*99+99)/100 - 1 // the nearest-rank 99th percentile
	return ds[i]
}

// Stopping PostgreSQL under load: pages answer the service-unavailable page at once (no request
// hangs), /readyz says 503, and when PostgreSQL starts again the same process serves again. Every
// student the portal said it saved is in the database afterwards. A fast shutdown, then a crash
// (immediate: no checkpoint, so only the durable commits survive).
func TestVerifyDatabaseOutage(t *testing.T) {
	rig := newFaultRig(t)
	p := rig.serve(t)
	var acked, lost, hung, notUnavailable, readyNot503 int
	var outage []time.Duration
	for _, mode := range []string{"fast", "immediate"} {
		l := &load{}
		l.run(t, p.base, 4, 4)
		time.Sleep(1500 * time.Millisecond)

		rig.c.stop(t, mode)
		down := time.Now()
		// Give the pool time to find every connection gone, then measure.
		time.Sleep(500 * time.Millisecond)
		for i := 0; i < 5; i++ {
			r := newBrowser(p.base).do(http.MethodGet, "/readyz", nil)
			if r.status != http.StatusServiceUnavailable {
				readyNot503++
				t.Errorf("%s stop: /readyz answered %d (%v) with the database down, want 503", mode, r.status, r.err)
			}
			time.Sleep(200 * time.Millisecond)
		}
		time.Sleep(1 * time.Second)
		up := time.Now()
		rig.c.start(t)

		// The same process serves again, without a restart.
		recovered := false
		for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
			if r := newBrowser(p.base).do(http.MethodGet, "/readyz", nil); r.status == http.StatusOK {
				recovered = true
				break
			}
		}
		if !recovered {
			t.Fatalf("%s stop: /readyz not 200 within 20s of PostgreSQL starting again", mode)
		}
		ackedBefore := func() int { l.mu.Lock(); defer l.mu.Unlock(); return len(l.acked) }()
		time.Sleep(1500 * time.Millisecond)
		l.finish()
		if len(l.acked) <= ackedBefore {
			t.Errorf("%s stop: no student was saved after PostgreSQL came back", mode)
		}

		for _, r := range l.results {
			if r.took() > 2*time.Second || (r.status == 0 && r.err != nil && strings.Contains(r.err.Error(), "Timeout")) {
				hung++
				t.Errorf("%s stop: a request took %v (status %d, %v)", mode, r.took(), r.status, r.err)
			}
			// Requests made while the database was down, after the pool noticed.
			if r.start.After(down.Add(500*time.Millisecond)) && r.end.Before(up) {
				outage = append(outage, r.took())
				if r.status != http.StatusServiceUnavailable {
					notUnavailable++
					t.Errorf("%s stop: a request with the database down answered %d (%v), want 503", mode, r.status, r.err)
				} else if !strings.Contains(r.body, "Sorry, the service is unavailable") {
					notUnavailable++
					t.Errorf("%s stop: a 503 without the service-unavailable page", mode)
				}
			}
		}
		ctx := context.Background()
		conn, err := pgx.Connect(ctx, rig.ownerDB)
		if err != nil {
			t.Fatal(err)
		}
		var found int
		if err := conn.QueryRow(ctx, "SELECT count(*) FROM students WHERE id = ANY($1)", l.acked).Scan(&found); err != nil {
			t.Fatal(err)
		}
		conn.Close(ctx)
		acked += len(l.acked)
		lost += len(l.acked) - found
		if found != len(l.acked) {
			t.Errorf("%s stop: %d students acknowledged, %d in the database", mode, len(l.acked), found)
		}
		t.Logf("%s stop: %d requests, %d students acknowledged", mode, len(l.results), len(l.acked))
	}
	if len(outage) < 20 {
		t.Errorf("only %d requests made while the database was down: the load did not run", len(outage))
	}
	fmt.Printf("VERIFY|outage: writes acknowledged|%d|\n", acked)
	fmt.Printf("VERIFY|outage: acknowledged writes lost|%d|0\n", lost)
	fmt.Printf("VERIFY|outage: requests that hung over 2s|%d|0\n", hung)
	fmt.Printf("VERIFY|outage: requests while down|%d|\n", len(outage))
	fmt.Printf("VERIFY|outage: answers while down not the 503 page|%d|0\n", notUnavailable+readyNot503)
	fmt.Printf("VERIFY|outage: 503 p99 ms|%d|<1000\n", p99(outage).Milliseconds())
	if d := p99(outage); d >= time.Second {
		t.Errorf("p99 of answers with the database down: %v, want under 1s", d)
	}
}

// SIGTERM under load: the portal stops taking connections, and every request already in flight (some
// still sending their bodies, slowly) is answered in full; then it exits cleanly.
func TestVerifyShutdownUnderLoad(t *testing.T) {
	began := time.Now()
	rig := newFaultRig(t)
	p := rig.serve(t)
	t.Logf("cluster, demo data and portal ready in %v", time.Since(began).Round(time.Millisecond))
	l := &load{}
	l.run(t, p.base, 3, 4)

	// Slow clients: sign-ins, and coordinators adding a student, whose bodies are still arriving when
	// the signal comes.
	const slowSignIns, slowCreates = 3, 3
	signalled := make(chan struct{})
	var slowWG sync.WaitGroup
	slowResults := make([]result, slowSignIns+slowCreates)
	slowPost := func(i int, b *browser, path string, form url.Values) {
		defer slowWG.Done()
		body := form.Encode()
		pr, pw := io.Pipe()
		req, _ := http.NewRequest(http.MethodPost, p.base+path, pr)
		req.ContentLength = int64(len(body))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Sec-Fetch-Site", "same-origin")
		go func() {
			_, _ = io.WriteString(pw, body[:10])
			<-signalled
			time.Sleep(500 * time.Millisecond)
			_, _ = io.WriteString(pw, body[10:])
			pw.Close()
		}()
		res := result{start: time.Now()}
		resp, err := b.http.Do(req)
		if err == nil {
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			res.status, res.location = resp.StatusCode, resp.Header.Get("Location")
		}
		res.end, res.err = time.Now(), err
		slowResults[i] = res
	}
	for i := 0; i < slowSignIns; i++ {
		slowWG.Add(1)
		go slowPost(i, newBrowser(p.base), "/login", url.Values{"email": {"admin@cap.example"}, "password": {seed.DefaultDemoPassword}})
	}
	for i := slowSignIns; i < slowSignIns+slowCreates; i++ {
		b := newBrowser(p.base)
		b.signIn(t, "coordinator@whitmore.school.example")
		page := b.do(http.MethodGet, "/students/new", nil)
		form, err := newStudent(page.body)
		if page.status != http.StatusOK || err != nil {
			t.Fatalf("the add-a-student form: %d (%v)", page.status, err)
		}
		slowWG.Add(1)
		go slowPost(i, b, "/students", form)
	}
	time.Sleep(2 * time.Second)
	// No new requests from here on; the ones on their way have 250ms to reach the server.
	l.stop.Store(true)
	time.Sleep(250 * time.Millisecond)
	sent := time.Now()
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	close(signalled)
	l.wg.Wait()
	slowWG.Wait()
	select {
	case err := <-p.done:
		t.Logf("capportal serve exited %v after SIGTERM", time.Since(sent).Round(time.Millisecond))
		if err != nil {
			t.Errorf("capportal serve exited with %v after SIGTERM, want 0", err)
		}
		p.done <- err // for the cleanup
	case <-time.After(25 * time.Second):
		t.Errorf("capportal serve still running 25s after SIGTERM")
	}

	failed, inFlight := 0, 0
	for _, r := range append(l.results, slowResults...) {
		if r.end.After(sent) {
			inFlight++
		}
		if r.err != nil || r.status >= 500 || r.status == 0 {
			failed++
			t.Errorf("a request made before SIGTERM failed: status %d, %v (took %v)", r.status, r.err, r.took())
		}
	}
	var created []int64
	for i, r := range slowResults {
		switch {
		case i < slowSignIns && (r.status != http.StatusSeeOther || r.location != "/"):
			t.Errorf("a sign-in still arriving at SIGTERM: %d to %q (%v), want 303 to /", r.status, r.location, r.err)
		case i >= slowSignIns && (r.status != http.StatusSeeOther || !strings.HasPrefix(r.location, "/students/")):
			t.Errorf("a new student still arriving at SIGTERM: %d to %q (%v), want 303 to the student", r.status, r.location, r.err)
		case i >= slowSignIns:
			id, _ := strconv.ParseInt(strings.TrimPrefix(r.location, "/students/"), 10, 64)
			created = append(created, id)
		}
	}
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, rig.ownerDB)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var found int
	if err := conn.QueryRow(ctx, "SELECT count(*) FROM students WHERE id = ANY($1)", append(created, l.acked...)).Scan(&found); err != nil {
		t.Fatal(err)
	}
	if want := len(created) + len(l.acked); found != want {
		t.Errorf("%d students acknowledged around SIGTERM, %d in the database", want, found)
	}
	if !strings.Contains(p.logs.String(), `"stopped"`) {
		t.Errorf("the portal did not log that it stopped:\n%s", p.logs.String())
	}
	t.Logf("%d requests, %d in flight at SIGTERM", len(l.results)+len(slowResults), inFlight)
	fmt.Printf("VERIFY|shutdown: requests in flight at SIGTERM|%d|\n", inFlight)
	fmt.Printf("VERIFY|shutdown: requests failed|%d|0\n", failed)
}
