package main

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/coventry-cap/capportal/internal/db"
	"github.com/coventry-cap/capportal/internal/db/dbtest"
)

// emptyDatabase creates a database with nothing in it on the test server, dropped when the test ends.
func emptyDatabase(t *testing.T) string {
	t.Helper()
	server, err := dbtest.ServerURL()
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	admin, err := pgx.Connect(ctx, server)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close(ctx)
	name := fmt.Sprintf("capportal_restore_%d", os.Getpid())
	var n int
	_ = admin.QueryRow(ctx, "SELECT (random() * 1e9)::int").Scan(&n)
	name = fmt.Sprintf("%s_%d", name, n)
	if _, err := admin.Exec(ctx, "CREATE DATABASE "+name+" TEMPLATE template0"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		c, err := pgx.Connect(context.Background(), server)
		if err != nil {
			return
		}
		defer c.Close(context.Background())
		_, _ = c.Exec(context.Background(), "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
	})
	u, _ := url.Parse(server)
	u.Path = "/" + name
	return u.String()
}

// rowCounts counts the rows of every table outside PostgreSQL's own schemas.
func rowCounts(t *testing.T, dbURL string) map[string]int64 {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	tables, err := userTables(ctx, conn)
	if err != nil {
		t.Fatal(err)
	}
	counts := map[string]int64{}
	for _, table := range tables {
		var n int64
		if err := conn.QueryRow(ctx, "SELECT count(*) FROM "+pgx.Identifier(strings.SplitN(table, ".", 2)).Sanitize()).Scan(&n); err != nil {
			t.Fatalf("count %s: %v", table, err)
		}
		counts[table] = n
	}
	return counts
}

// A backup of the demo data restored into an empty database holds every table with as many rows,
// and the portal's role may serve from it.
func TestVerifyBackupRestore(t *testing.T) {
	c := newCLI(t)
	c.mustRun("seed", "demo")
	file := filepath.Join(t.TempDir(), "capportal.dump")
	if out := c.mustRun("backup", file); !strings.Contains(out, "Backed up") {
		t.Errorf("backup printed %q", out)
	}
	fi, err := os.Stat(file)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("the backup is mode %v, want readable by its owner only", fi.Mode().Perm())
	}
	if b, _ := os.ReadFile(file); !strings.HasPrefix(string(b), "PGDMP") {
		t.Errorf("the backup is not in pg_dump's custom format")
	}

	target := emptyDatabase(t)
	restore := &cli{t: t, env: map[string]string{"DATABASE_URL": target}}
	if out := restore.mustRun("restore", file); !strings.Contains(out, "Restored") {
		t.Errorf("restore printed %q", out)
	}

	src, dst := rowCounts(t, c.env["DATABASE_URL"]), rowCounts(t, target)
	mismatches := 0
	for table, n := range src {
		if m, ok := dst[table]; !ok || m != n {
			mismatches++
			t.Errorf("%s: %d rows backed up, %d restored (present: %v)", table, n, m, ok)
		}
	}
	for table := range dst {
		if _, ok := src[table]; !ok {
			mismatches++
			t.Errorf("%s restored but not in the source", table)
		}
	}
	if src["public.users"] == 0 || src["public.audit_log"] == 0 || len(src) < 20 {
		t.Errorf("the source holds too little to prove anything: %d tables, %d users", len(src), src["public.users"])
	}
	fmt.Printf("VERIFY|restore: tables compared|%d|\n", len(src))
	fmt.Printf("VERIFY|restore: row-count mismatches|%d|0\n", mismatches)

	// The restored database is fit to serve: the portal's role has its privileges, the audit log
	// still refuses changes.
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dbtest.AppRoleURL(t, target))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var users int
	if err := conn.QueryRow(ctx, "SELECT count(*) FROM users").Scan(&users); err != nil || users == 0 {
		t.Errorf("the portal's role cannot read the restored users: %d (%v)", users, err)
	}
	if problem, err := db.ServingRoleProblem(ctx, conn); err != nil || problem != "" {
		t.Errorf("the portal's role on the restored database: %q (%v)", problem, err)
	}
	if _, err := conn.Exec(ctx, "UPDATE audit_log SET action = 'x'"); err == nil {
		t.Errorf("the restored audit log lets the portal's role change it")
	}
	if out := restore.mustRun("migrate", "version"); strings.TrimSpace(out) != latestMigration(t) {
		t.Errorf("restored schema: %q, want %s", out, latestMigration(t))
	}

	// A second restore into what is no longer empty is refused, and changes nothing; -clean replaces.
	_, err = restore.run(nil, "restore", file)
	if err == nil || !strings.Contains(err.Error(), "not empty") {
		t.Errorf("restore into a database that is not empty: %v, want a refusal", err)
	}
	restore.mustRun("restore", "-clean", file)
	if after := rowCounts(t, target); after["public.users"] != src["public.users"] {
		t.Errorf("after restore -clean: %d users, want %d", after["public.users"], src["public.users"])
	}
	for _, bad := range [][]string{{"backup"}, {"restore"}, {"restore", "-sideways", file}, {"backup", "a", "b"}} {
		if _, err := restore.run(nil, bad...); err == nil || !strings.Contains(err.Error(), "usage") {
			t.Errorf("capportal %s: %v, want a usage error", strings.Join(bad, " "), err)
		}
	}
	if _, err := restore.run(nil, "restore", filepath.Join(t.TempDir(), "missing.dump")); err == nil {
		t.Errorf("restore of a missing file succeeded")
	}
}
