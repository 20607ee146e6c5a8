package dbtest_test

import (
	"bytes"
	"context"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/coventry-cap/capportal/internal/db/dbtest"
)

// haveServerBinaries reports whether initdb and pg_ctl are here, as scripts/devdb.sh looks for them.
func haveServerBinaries() bool {
	if _, err := exec.LookPath("pg_ctl"); err == nil {
		if _, err := exec.LookPath("initdb"); err == nil {
			return true
		}
	}
	m, _ := filepath.Glob("/usr/lib/postgresql/*/bin/pg_ctl")
	return len(m) > 0
}

// The private cluster `make run` serves the portal from keeps PostgreSQL's durable defaults: an
// acknowledged write survives a crash. Only the test databases give that up, for speed.
func TestVerifyMakeRunClusterIsDurable(t *testing.T) {
	if !haveServerBinaries() {
		t.Skip("no PostgreSQL server binaries (initdb, pg_ctl): scripts/devdb.sh cannot start a cluster here")
	}
	if _, err := exec.LookPath("psql"); err != nil {
		t.Skip("no psql: scripts/devdb.sh needs it")
	}
	_, file, _, _ := runtime.Caller(0)
	script, err := os.ReadFile(filepath.Join(filepath.Dir(file), "..", "..", "..", "scripts", "devdb.sh"))
	if err != nil {
		t.Fatal(err)
	}
	// The script keeps its cluster under the checkout it sits in: a copy in an empty directory
	// starts a cluster of its own.
	root := t.TempDir()
	if err := os.Mkdir(filepath.Join(root, "scripts"), 0o755); err != nil {
		t.Fatal(err)
	}
	devdb := filepath.Join(root, "scripts", "devdb.sh")
	if err := os.WriteFile(devdb, script, 0o755); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	var stdout, stderr bytes.Buffer
	start := exec.CommandContext(ctx, devdb, "start")
	start.Stdout, start.Stderr = &stdout, &stderr
	err = start.Run()
	var base string
	if u, perr := url.Parse(string(bytes.TrimSpace(stdout.Bytes()))); perr == nil && u.Query().Get("host") != "" {
		base = filepath.Dir(u.Query().Get("host"))
	}
	t.Cleanup(func() {
		stop := exec.Command(devdb, "stop")
		if out, err := stop.CombinedOutput(); err != nil {
			t.Errorf("devdb.sh stop: %v\n%s", err, out)
		}
		// As root the cluster lives outside the checkout, in a directory of its own under /tmp.
		if base != "" && base != filepath.Join(root, "var", "pg") {
			_ = os.RemoveAll(base)
		}
	})
	if err != nil {
		t.Fatalf("devdb.sh start: %v\n%s", err, stderr.String())
	}
	conn, err := pgx.Connect(ctx, string(bytes.TrimSpace(stdout.Bytes())))
	if err != nil {
		t.Fatalf("connect to the development cluster at %q: %v", stdout.String(), err)
	}
	defer conn.Close(ctx)
	off := 0
	defer func() { fmt.Printf("VERIFY|make run cluster: durable settings off|%d|0\n", off) }()
	for _, name := range []string{"synchronous_commit", "fsync", "full_page_writes"} {
		var setting, source string
		if err := conn.QueryRow(ctx, "SELECT setting, source FROM pg_settings WHERE name = $1", name).Scan(&setting, &source); err != nil {
			t.Fatal(err)
		}
		if setting != "on" {
			off++
			t.Errorf("%s = %s (set by the %s) on the cluster make run uses, want on", name, setting, source)
		}
	}
}

// Test databases may lose their last commits in a crash: nothing in them outlives the test.
func TestTestDatabasesTradeDurabilityForSpeed(t *testing.T) {
	pool, _ := dbtest.New(t)
	var setting string
	if err := pool.QueryRow(context.Background(), "SHOW synchronous_commit").Scan(&setting); err != nil {
		t.Fatal(err)
	}
	if setting != "off" {
		t.Errorf("synchronous_commit = %s on a test database, want off", setting)
	}
}
