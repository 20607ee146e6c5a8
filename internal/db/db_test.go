package db_test

import (
	"context"
	"errors"
	"net"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/coventry-cap/capportal/internal/db"
	"github.com/coventry-cap/capportal/internal/db/dbtest"
)

func TestMigrateUpCreatesRiversTablesAndCanRunAgain(t *testing.T) {
	pool, _ := dbtest.New(t)
	ctx := context.Background()
	want, err := db.RiverMigrationVersion()
	if err != nil || want < 1 {
		t.Fatalf("River migration version %d (%v)", want, err)
	}
	riverVersion := func() int {
		t.Helper()
		var v int
		if err := pool.QueryRow(ctx, `SELECT max(version) FROM river_migration WHERE line = 'main'`).Scan(&v); err != nil {
			t.Fatalf("River's migrations are not recorded: %v", err)
		}
		return v
	}
	// The test template was built by MigrateUp, so River's tables are there already.
	if got := riverVersion(); got != want {
		t.Errorf("River schema at version %d, want %d", got, want)
	}
	for _, table := range []string{"river_job", "river_queue", "river_leader", "notifications"} {
		var name *string
		if err := pool.QueryRow(ctx, `SELECT to_regclass($1)::text`, "public."+table).Scan(&name); err != nil || name == nil {
			t.Errorf("table %s missing after MigrateUp (%v)", table, err)
		}
	}
	// Up again changes nothing and is not an error.
	if err := db.MigrateUp(pool); err != nil {
		t.Fatalf("second MigrateUp: %v", err)
	}
	if got := riverVersion(); got != want {
		t.Errorf("River schema at version %d after a second run, want %d", got, want)
	}
}

func TestUnavailableTellsAnUnreachableDatabaseFromAFailingQuery(t *testing.T) {
	pool, _ := dbtest.New(t)
	ctx := context.Background()

	// A port nobody listens on: the listener is closed before the connection is tried.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	conn, err := pgx.Connect(ctx, "postgres://postgres@"+addr+"/postgres?connect_timeout=5")
	if err == nil {
		conn.Close(ctx)
		t.Fatal("connected to a closed port")
	}
	if !db.Unavailable(err) {
		t.Errorf("refused connection %v: not reported unavailable", err)
	}
	// Waiting for a connection until the deadline.
	deadline, cancel := context.WithDeadline(ctx, time.Now().Add(-time.Second))
	defer cancel()
	if _, err := pool.Exec(deadline, "SELECT 1"); err == nil || !db.Unavailable(err) {
		t.Errorf("acquire past its deadline: %v, want unavailable", err)
	}

	var one int
	err = pool.QueryRow(ctx, "SELECT 1 FROM no_such_table").Scan(&one)
	if err == nil || db.Unavailable(err) {
		t.Errorf("a failing query %v: reported unavailable", err)
	}
	if _, err := pool.Exec(ctx, "SELECT 1/0"); err == nil || db.Unavailable(err) {
		t.Errorf("division by zero %v: reported unavailable", err)
	}
	for _, e := range []error{nil, db.ErrNotFound, pgx.ErrNoRows, errors.New("no such programme")} {
		if db.Unavailable(e) {
			t.Errorf("%v reported unavailable", e)
		}
	}
}

// A database that does not answer is given up on after ConnectTimeout, not whenever the operating
// system gives up; a URL's own connect_timeout wins.
func TestPoolConfigSetsAConnectTimeout(t *testing.T) {
	for url, want := range map[string]time.Duration{
		"postgres://portal@db.example/capportal":                   db.ConnectTimeout,
		"postgres://portal@db.example/capportal?connect_timeout=2": 2 * time.Second,
	} {
		cfg, err := db.PoolConfig(url)
		if err != nil {
			t.Fatal(err)
		}
		if got := cfg.ConnConfig.ConnectTimeout; got != want {
			t.Errorf("%s: connect timeout %s, want %s", url, got, want)
		}
	}
}
