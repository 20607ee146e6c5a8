package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log"
	"log/slog"
	"net"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/coventry-cap/capportal/internal/auth"
	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/db/dbtest"
	"github.com/coventry-cap/capportal/internal/users"
	"github.com/coventry-cap/capportal/migrations"
)

// cli runs the command against one test database, as `capportal` would with that environment.
type cli struct {
	t    *testing.T
	pool *pgxpool.Pool
	env  map[string]string
}

func newCLI(t *testing.T) *cli {
	pool, url := dbtest.New(t)
	return &cli{t: t, pool: pool, env: map[string]string{"DATABASE_URL": url}}
}

func (c *cli) run(stdin io.Reader, args ...string) (string, error) {
	c.t.Helper()
	if stdin == nil {
		stdin = strings.NewReader("")
	}
	var out bytes.Buffer
	err := run(context.Background(), args, stdin, &out, func(k string) string { return c.env[k] })
	return out.String(), err
}

func (c *cli) mustRun(args ...string) string {
	c.t.Helper()
	out, err := c.run(nil, args...)
	if err != nil {
		c.t.Fatalf("capportal %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return out
}

func (c *cli) count(table string) int {
	c.t.Helper()
	var n int
	if err := c.pool.QueryRow(context.Background(), "SELECT count(*) FROM "+table).Scan(&n); err != nil {
		c.t.Fatal(err)
	}
	return n
}

func TestSeedDemoTwiceAddsNothingTheSecondTimeAndKeepsChangedPasswords(t *testing.T) {
	c := newCLI(t)
	c.env["CAP_DEMO_PASSWORD"] = "first-demo-password"
	out := c.mustRun("seed", "demo")
	if !strings.Contains(out, "admin@cap.example") || !strings.Contains(out, "first-demo-password") || !strings.Contains(out, "staff@capa.provider.example") {
		t.Errorf("seed output does not say how to sign in:\n%s", out)
	}
	users1, orgs1, members1, slas1 := c.count("users"), c.count("organisations"), c.count("memberships"), c.count("slas")
	if users1 == 0 || orgs1 == 0 || members1 == 0 || slas1 == 0 {
		t.Fatalf("first seed loaded %d users, %d organisations, %d memberships, %d SLAs", users1, orgs1, members1, slas1)
	}

	// Someone changes their password between the two runs.
	ctx := context.Background()
	store := users.Store{DB: c.pool, Clock: calendar.System{}}
	admin, err := store.GetByEmail(ctx, "admin@cap.example")
	if err != nil {
		t.Fatal(err)
	}
	if err := store.SetPassword(ctx, users.Actor{Email: "test"}, admin.ID, "a-changed-password"); err != nil {
		t.Fatal(err)
	}

	c.env["CAP_DEMO_PASSWORD"] = "second-demo-password"
	out = c.mustRun("seed", "demo")
	if !strings.Contains(out, "added 0 organisations, 0 users and 0 SLAs") {
		t.Errorf("second seed reports additions:\n%s", out)
	}
	if u, o, m, s := c.count("users"), c.count("organisations"), c.count("memberships"), c.count("slas"); u != users1 || o != orgs1 || m != members1 || s != slas1 {
		t.Errorf("second seed changed counts: users %d→%d, organisations %d→%d, memberships %d→%d, SLAs %d→%d", users1, u, orgs1, o, members1, m, slas1, s)
	}
	var hash string
	if err := c.pool.QueryRow(ctx, `SELECT password_hash FROM users WHERE email = 'admin@cap.example'`).Scan(&hash); err != nil {
		t.Fatal(err)
	}
	if ok, err := auth.CheckPassword(hash, "a-changed-password"); !ok || err != nil {
		t.Errorf("the changed password no longer works after a second seed (ok=%v err=%v)", ok, err)
	}
	if ok, _ := auth.CheckPassword(hash, "second-demo-password"); ok {
		t.Error("the second seed reset a changed password")
	}
}

func TestUsersListPrintsCSVWithRoles(t *testing.T) {
	c := newCLI(t)
	c.mustRun("seed", "demo")
	out := c.mustRun("users", "list")
	records, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatalf("output is not CSV: %v\n%s", err, out)
	}
	if len(records) == 0 || strings.Join(records[0], ",") != "email,name,organisation,roles" {
		t.Fatalf("header %v, want email,name,organisation,roles", records[0])
	}
	if got, want := len(records)-1, c.count("users"); got != want {
		t.Errorf("%d rows for %d users", got, want)
	}
	var found bool
	for _, r := range records[1:] {
		if r[0] == "admin@cap.example" {
			found = true
			if r[1] != "Joanne Tranter" || r[2] != "Coventry Alternative Provision" || r[3] != "cap_admin" {
				t.Errorf("admin row %q, want [admin@cap.example Joanne Tranter Coventry Alternative Provision cap_admin]", r)
			}
		}
		if r[0] == "lead@cap.example" && r[3] != "panel_member;service_lead" && r[3] != "service_lead;panel_member" {
			t.Errorf("lead row roles %q, want both panel_member and service_lead", r[3])
		}
	}
	if !found {
		t.Errorf("no row for admin@cap.example:\n%s", out)
	}
}

func TestUsersListPagesThroughMoreThanOneBatch(t *testing.T) {
	// The list reads 500 users at a time: every user must appear exactly once across the batches.
	c := newCLI(t)
	c.mustRun("seed", "demo")
	ctx := context.Background()
	if _, err := c.pool.Exec(ctx, `
		INSERT INTO users (email, name, password_hash)
		SELECT 'bulk' || n || '@cap.example', 'Bulk person ' || (n % 7), 'x' FROM generate_series(1, 520) AS n`); err != nil {
		t.Fatal(err)
	}
	records, err := csv.NewReader(strings.NewReader(c.mustRun("users", "list"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]int{}
	for _, r := range records[1:] {
		seen[r[0]]++
	}
	if len(seen) != c.count("users") {
		t.Errorf("listed %d distinct users of %d", len(seen), c.count("users"))
	}
	for email, n := range seen {
		if n != 1 {
			t.Errorf("%s listed %d times", email, n)
		}
	}
}

func TestUsersCreateMakesAUserWhoCanBeFound(t *testing.T) {
	c := newCLI(t)
	c.mustRun("seed", "demo")
	c.env["CAP_USER_PASSWORD"] = "a-long-enough-password"
	out := c.mustRun("users", "create", "-email", "New.Person@Whitmore.School.Example", "-name", "New Person", "-org", "whitmore", "-roles", "coordinator,panel_member")
	if !strings.Contains(out, "created user") || !strings.Contains(out, "new.person@whitmore.school.example") {
		t.Errorf("output %q", out)
	}
	store := users.Store{DB: c.pool, Clock: calendar.System{}}
	u, err := store.GetByEmail(context.Background(), "new.person@whitmore.school.example")
	if err != nil {
		t.Fatalf("created user not found: %v", err)
	}
	var roles []string
	for _, m := range u.Memberships {
		if m.OrgSlug != "whitmore" {
			t.Errorf("membership at %s, want whitmore", m.OrgSlug)
		}
		roles = append(roles, string(m.Role))
	}
	slices.Sort(roles)
	if strings.Join(roles, ",") != "coordinator,panel_member" || u.Name != "New Person" || !u.Active {
		t.Errorf("user %+v with roles %v", u, roles)
	}
	var hash string
	if err := c.pool.QueryRow(context.Background(), `SELECT password_hash FROM users WHERE id = $1`, u.ID).Scan(&hash); err != nil {
		t.Fatal(err)
	}
	if ok, _ := auth.CheckPassword(hash, "a-long-enough-password"); !ok {
		t.Error("the password from CAP_USER_PASSWORD does not work")
	}
	list := c.mustRun("users", "list")
	if !strings.Contains(list, "new.person@whitmore.school.example,New Person,Whitmore Park Academy,") {
		t.Errorf("users list does not show the new user:\n%s", list)
	}
	var audited int
	if err := c.pool.QueryRow(context.Background(), `SELECT count(*) FROM audit_log WHERE action IN ('user.created', 'role.granted') AND subject_id = $1`, fmt.Sprint(u.ID)).Scan(&audited); err != nil {
		t.Fatal(err)
	}
	if audited != 3 {
		t.Errorf("%d audit entries for the creation and two grants, want 3", audited)
	}
}

func TestUsersCreateReadsThePasswordFromStdin(t *testing.T) {
	c := newCLI(t)
	c.mustRun("seed", "demo")
	out, err := c.run(strings.NewReader("typed-in-password-123\n"), "users", "create", "-email", "typed@cap.example", "-name", "Typed Person", "-org", "cap", "-roles", "monitoring_officer")
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	var hash string
	if err := c.pool.QueryRow(context.Background(), `SELECT password_hash FROM users WHERE email = 'typed@cap.example'`).Scan(&hash); err != nil {
		t.Fatal(err)
	}
	if ok, _ := auth.CheckPassword(hash, "typed-in-password-123"); !ok {
		t.Error("the typed password (without its newline) does not work")
	}
}

func TestUsersCreateRefusesBadInput(t *testing.T) {
	c := newCLI(t)
	c.mustRun("seed", "demo")
	c.env["CAP_USER_PASSWORD"] = "a-long-enough-password"
	before := c.count("users")
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"missing flags", []string{"-email", "x@cap.example"}, "needs -email, -name, -org and -roles"},
		{"unknown org", []string{"-email", "x@cap.example", "-name", "X", "-org", "nowhere", "-roles", "coordinator"}, `no organisation with slug "nowhere"`},
		{"unknown role", []string{"-email", "x@cap.example", "-name", "X", "-org", "whitmore", "-roles", "wizard"}, `unknown role "wizard"`},
		{"role not held in that kind of organisation", []string{"-email", "x@cap.example", "-name", "X", "-org", "whitmore", "-roles", "provider_staff"}, "cannot be held"},
		{"email taken", []string{"-email", "admin@cap.example", "-name", "X", "-org", "cap", "-roles", "cap_admin"}, "already exists"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := c.run(nil, append([]string{"users", "create"}, tc.args...)...)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want one containing %q", err, tc.want)
			}
		})
	}
	c.env["CAP_USER_PASSWORD"] = "short"
	if _, err := c.run(nil, "users", "create", "-email", "x@cap.example", "-name", "X", "-org", "cap", "-roles", "cap_dsl"); err == nil || !strings.Contains(err.Error(), "at least 12 characters") {
		t.Errorf("short password: %v", err)
	}
	if after := c.count("users"); after != before {
		t.Errorf("refused creations left %d new users", after-before)
	}
}

func TestUsersDeactivateDeactivatesAndEndsSessions(t *testing.T) {
	c := newCLI(t)
	c.mustRun("seed", "demo")
	ctx := context.Background()
	var epochBefore int
	if err := c.pool.QueryRow(ctx, `SELECT session_epoch FROM users WHERE email = 'coordinator@whitmore.school.example'`).Scan(&epochBefore); err != nil {
		t.Fatal(err)
	}
	out := c.mustRun("users", "deactivate", "-email", "Coordinator@Whitmore.School.Example")
	if !strings.Contains(out, "deactivated coordinator@whitmore.school.example") {
		t.Errorf("output %q", out)
	}
	var active bool
	var epoch int
	if err := c.pool.QueryRow(ctx, `SELECT active, session_epoch FROM users WHERE email = 'coordinator@whitmore.school.example'`).Scan(&active, &epoch); err != nil {
		t.Fatal(err)
	}
	if active {
		t.Error("user still active")
	}
	if epoch == epochBefore {
		t.Error("sessions not ended: session_epoch unchanged")
	}
	if _, err := c.run(nil, "users", "deactivate", "-email", "nobody@cap.example"); err == nil || !strings.Contains(err.Error(), "no user with email") {
		t.Errorf("unknown email: %v", err)
	}
}

func TestUsersDeactivateRefusesTheLastActiveCAPAdmin(t *testing.T) {
	c := newCLI(t)
	c.mustRun("seed", "demo")
	c.mustRun("users", "deactivate", "-email", "admin2@cap.example")
	_, err := c.run(nil, "users", "deactivate", "-email", "admin@cap.example")
	if !errors.Is(err, users.ErrLastAdmin) {
		t.Fatalf("deactivating the last CAP admin: %v, want ErrLastAdmin", err)
	}
	var active bool
	if err := c.pool.QueryRow(context.Background(), `SELECT active FROM users WHERE email = 'admin@cap.example'`).Scan(&active); err != nil {
		t.Fatal(err)
	}
	if !active {
		t.Error("the last CAP admin was deactivated")
	}
}

// latestMigration is the highest version among the embedded migration files.
func latestMigration(t *testing.T) string {
	t.Helper()
	entries, err := fs.ReadDir(migrations.FS, ".")
	if err != nil {
		t.Fatal(err)
	}
	latest := 0
	for _, e := range entries {
		if n, err := strconv.Atoi(strings.SplitN(e.Name(), "_", 2)[0]); err == nil && n > latest {
			latest = n
		}
	}
	return "version: " + strconv.Itoa(latest)
}

// migrationCount is how many migrations there are (their numbers may have gaps).
func migrationCount(t *testing.T) int {
	t.Helper()
	entries, err := fs.ReadDir(migrations.FS, ".")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".up.sql") {
			n++
		}
	}
	return n
}

func TestMigrateVersionDownAndUp(t *testing.T) {
	c := newCLI(t)
	latest := latestMigration(t)
	if out := c.mustRun("migrate", "version"); strings.TrimSpace(out) != latest {
		t.Errorf("migrate version printed %q, want %s", out, latest)
	}
	exists := func() bool {
		var name *string
		if err := c.pool.QueryRow(context.Background(), `SELECT to_regclass('public.users')::text`).Scan(&name); err != nil {
			t.Fatal(err)
		}
		return name != nil
	}
	n := migrationCount(t)
	if out := c.mustRun("migrate", "down", "1"); strings.TrimSpace(out) == latest {
		t.Errorf("migrate down 1 left the version at %q", out)
	}
	// The rest of the way down: every down migration must work.
	out := c.mustRun("migrate", "down", strconv.Itoa(n-1))
	if !strings.Contains(out, "version: none") {
		t.Errorf("after migrating all the way down: %q", out)
	}
	if exists() {
		t.Error("users table still there after migrating all the way down")
	}
	upToDate := "The database schema is up to date (version " + strings.TrimPrefix(latest, "version: ") + ")"
	out = c.mustRun("migrate", "up")
	if strings.TrimSpace(out) != upToDate {
		t.Errorf("after up: %q, want %q", out, upToDate)
	}
	if !exists() {
		t.Error("users table missing after migrate up")
	}
	// Up again changes nothing and is not an error.
	if out := c.mustRun("migrate", "up"); strings.TrimSpace(out) != upToDate {
		t.Errorf("second up: %q", out)
	}
	// And the schema works: the demo data loads.
	c.mustRun("seed", "demo")
	if c.count("users") == 0 {
		t.Error("no users after seeding the re-created schema")
	}
	for _, bad := range [][]string{{"migrate"}, {"migrate", "down"}, {"migrate", "down", "0"}, {"migrate", "down", "x"}, {"migrate", "sideways"}} {
		if _, err := c.run(nil, bad...); err == nil || !strings.Contains(err.Error(), "usage") {
			t.Errorf("capportal %s: %v, want a usage error", strings.Join(bad, " "), err)
		}
	}
}

func TestRunWithoutDatabaseURLSaysSo(t *testing.T) {
	var out bytes.Buffer
	for _, args := range [][]string{{"migrate", "version"}, {"users", "list"}, {"seed", "demo"}, {"serve"}} {
		// Bounded, so that a serve which wrongly starts ends the test instead of running forever.
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		err := run(ctx, args, strings.NewReader(""), &out, func(string) string { return "" })
		cancel()
		if err == nil || !strings.Contains(err.Error(), "DATABASE_URL") {
			t.Errorf("capportal %s with no DATABASE_URL: %v", strings.Join(args, " "), err)
		}
	}
}

func TestRunWithoutArgumentsOrWithUnknownOnesPrintsUsage(t *testing.T) {
	c := newCLI(t)
	for _, args := range [][]string{nil, {"frobnicate"}, {"users"}, {"users", "promote"}, {"seed"}, {"seed", "real"}} {
		_, err := c.run(nil, args...)
		if err == nil || !strings.Contains(err.Error(), "usage") {
			t.Errorf("capportal %s: %v, want usage", strings.Join(args, " "), err)
		}
	}
	// help works even without any configuration.
	var out bytes.Buffer
	if err := run(context.Background(), []string{"help"}, strings.NewReader(""), &out, func(string) string { return "" }); err != nil {
		t.Errorf("help: %v", err)
	}
	if !strings.Contains(out.String(), "capportal users create") {
		t.Errorf("help printed %q", out.String())
	}
}

// freeAddr is a local address nothing listens on.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// runCLI runs the command as main would, bounded so that a command that wrongly serves ends.
func (c *cli) runCLI(args ...string) (code int, stdout, stderr string, took time.Duration) {
	c.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	var out, errOut bytes.Buffer
	start := time.Now()
	code = runMain(ctx, args, strings.NewReader(""), &out, &errOut, func(k string) string { return c.env[k] })
	return code, out.String(), errOut.String(), time.Since(start)
}

func TestHelpPrintsTheCommandsUsageAndDoesNothingElse(t *testing.T) {
	c := newCLI(t)
	addr := freeAddr(t)
	c.env["CAP_ADDR"] = addr
	c.env["CAP_USER_PASSWORD"] = "a-long-enough-password"
	latest := latestMigration(t)
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"serve", "--help"}, "usage: capportal serve"},
		{[]string{"serve", "-h"}, "usage: capportal serve"},
		{[]string{"migrate", "--help"}, "usage: capportal migrate"},
		{[]string{"migrate", "down", "1", "-h"}, "usage: capportal migrate"},
		{[]string{"seed", "--help"}, "usage: capportal seed demo"},
		{[]string{"seed", "demo", "--help"}, "usage: capportal seed demo"},
		{[]string{"users", "--help"}, "capportal users list"},
		{[]string{"users", "create", "--help"}, "usage: capportal users create"},
		{[]string{"users", "create", "-email", "x@cap.example", "-name", "X", "-org", "cap", "-roles", "cap_admin", "-help"}, "usage: capportal users create"},
		{[]string{"users", "list", "-h"}, "usage: capportal users list"},
		{[]string{"users", "deactivate", "--help"}, "usage: capportal users deactivate"},
		{[]string{"help", "serve"}, "usage: capportal serve"},
		{[]string{"--help"}, "capportal users create"},
	}
	for _, tc := range cases {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			code, out, errOut, took := c.runCLI(tc.args...)
			if code != 0 {
				t.Errorf("exit %d, want 0\nstderr: %s", code, errOut)
			}
			if !strings.Contains(out, tc.want) {
				t.Errorf("stdout %q, want the usage (%q)", out, tc.want)
			}
			if errOut != "" {
				t.Errorf("stderr %q, want nothing", errOut)
			}
			if took > 2*time.Second {
				t.Errorf("took %v: it did more than print help", took)
			}
		})
	}
	// Nothing was done: no server left behind, no demo data, no user, no migration undone.
	if ln, err := net.Listen("tcp", addr); err != nil {
		t.Errorf("%s is taken after the help: %v", addr, err)
	} else {
		ln.Close()
	}
	if n := c.count("users"); n != 0 {
		t.Errorf("%d users after asking for help", n)
	}
	if out := c.mustRun("migrate", "version"); strings.TrimSpace(out) != latest {
		t.Errorf("migrate version %q after asking for help, want %s", out, latest)
	}
}

func TestAnUnknownFlagPrintsTheUsageOnStderrAndExits2(t *testing.T) {
	c := newCLI(t)
	c.env["CAP_ADDR"] = freeAddr(t)
	c.env["CAP_USER_PASSWORD"] = "a-long-enough-password"
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"serve", "--frobnicate"}, "usage: capportal serve"},
		{[]string{"serve", "now"}, "usage: capportal serve"},
		{[]string{"migrate", "--frobnicate"}, "usage: capportal migrate"},
		{[]string{"migrate", "sideways"}, "usage: capportal migrate"},
		{[]string{"seed", "demo", "--frobnicate"}, "usage: capportal seed demo"},
		{[]string{"seed", "scale", "--factor", "0"}, "--factor must be 1 or more"},
		{[]string{"seed", "scale", "--factor", "20"}, "add --national"},
		{[]string{"seed", "scale", "--factor", "1", "extra"}, "usage: capportal seed demo"},
		{[]string{"users", "create", "-email", "x@cap.example", "-name", "X", "-org", "cap", "-roles", "cap_admin", "-frobnicate"}, "usage: capportal users create"},
		{[]string{"users", "list", "--frobnicate"}, "usage: capportal users list"},
		{[]string{"users", "deactivate", "-email", "admin@cap.example", "-frobnicate"}, "usage: capportal users deactivate"},
		{[]string{"frobnicate"}, "usage:"},
		{nil, "usage:"},
	}
	for _, tc := range cases {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			code, out, errOut, took := c.runCLI(tc.args...)
			if code != 2 {
				t.Errorf("exit %d, want 2\nstderr: %s", code, errOut)
			}
			if !strings.Contains(errOut, tc.want) {
				t.Errorf("stderr %q, want the usage (%q)", errOut, tc.want)
			}
			if out != "" {
				t.Errorf("stdout %q, want nothing", out)
			}
			if took > 2*time.Second {
				t.Errorf("took %v: it did more than refuse", took)
			}
		})
	}
	if n := c.count("users"); n != 0 {
		t.Errorf("%d users after refused commands", n)
	}
	// A command that fails for another reason exits 1.
	delete(c.env, "DATABASE_URL")
	if code, _, errOut, _ := c.runCLI("migrate", "version"); code != 1 || !strings.Contains(errOut, "DATABASE_URL") {
		t.Errorf("migrate version without DATABASE_URL: exit %d, stderr %q; want 1 and the reason", code, errOut)
	}
}

// Libraries that log through the standard library's logger (the session store's clean-up, net/http)
// write JSON lines like the portal's own, not plain text beside them.
func TestTheStandardLoggerWritesThroughThePortalsJSONLog(t *testing.T) {
	c := newCLI(t)
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	stderr, prevDefault, prevOut, prevFlags := os.Stderr, slog.Default(), log.Writer(), log.Flags()
	os.Stderr = w
	t.Cleanup(func() {
		os.Stderr = stderr
		slog.SetDefault(prevDefault)
		log.SetOutput(prevOut)
		log.SetFlags(prevFlags)
	})
	c.mustRun("migrate", "version")
	log.Print("a line from the standard logger")
	w.Close()
	os.Stderr = stderr
	out, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	var found bool
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Errorf("stderr line is not JSON: %q", line)
			continue
		}
		found = found || rec["msg"] == "a line from the standard logger"
	}
	if !found {
		t.Errorf("the standard logger's line is not in the JSON log:\n%s", out)
	}
}
