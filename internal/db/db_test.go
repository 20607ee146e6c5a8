package db_test

import (
	"context"
	"testing"

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
