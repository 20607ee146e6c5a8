package calendar_test

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/db/dbtest"
	"github.com/coventry-cap/capportal/internal/refdata"
)

func referenceVersion(t *testing.T, pool *pgxpool.Pool) context.Context {
	t.Helper()
	var v int64
	if err := pool.QueryRow(context.Background(), `SELECT version FROM reference_data_version`).Scan(&v); err != nil {
		t.Fatal(err)
	}
	return refdata.WithVersion(context.Background(), v)
}

// The calendar kept under the reference data's version answers as the database does on every day
// of the years held, is kept while the version stands, and is read again when a change to the
// calendar moves the version on. A store without a version (or over a transaction) always reads.
func TestTheKeptCalendarIsTheDatabasesUntilTheVersionMoves(t *testing.T) {
	pool, _ := dbtest.New(t)
	ctx := context.Background()
	if err := calendar.Seed(ctx, pool); err != nil {
		t.Fatal(err)
	}
	store := calendar.On(pool)
	kept := referenceVersion(t, pool)
	for d := calendar.NewDate(2025, time.August, 1); d.Before(calendar.NewDate(2027, time.September, 1)); d = d.AddDays(1) {
		fresh, err := store.LoadPosition(ctx, d)
		if err != nil {
			t.Fatal(err)
		}
		got, err := store.LoadPosition(kept, d)
		if err != nil {
			t.Fatal(err)
		}
		if got.AcademicYear != fresh.AcademicYear || (got.Term == nil) != (fresh.Term == nil) ||
			(got.Term != nil && *got.Term != *fresh.Term) || (got.NextHoliday == nil) != (fresh.NextHoliday == nil) ||
			(got.NextHoliday != nil && *got.NextHoliday != *fresh.NextHoliday) {
			t.Fatalf("%s: kept position %+v, the database's %+v", d, got, fresh)
		}
	}

	// A closure day added without moving the version: the kept calendar does not see it, a fresh
	// read does.
	day := calendar.NewDate(2026, time.December, 8)
	exec := func(sql string, args ...any) {
		t.Helper()
		if _, err := pool.Exec(ctx, sql, args...); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
	exec(`ALTER TABLE bank_holidays DISABLE TRIGGER bank_holidays_reference_data`)
	exec(`INSERT INTO bank_holidays (day, name) VALUES ($1, 'Closure day')`, day)
	openOn := func(ctx context.Context) bool {
		t.Helper()
		sd, err := store.SchoolDays(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return sd.IsSchoolDay(day)
	}
	if !openOn(kept) {
		t.Errorf("with the version unchanged the calendar was read again (not kept)")
	}
	if openOn(ctx) {
		t.Errorf("a store without a version did not read the calendar")
	}
	tx, err := pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if sd, err := calendar.On(tx).SchoolDays(kept); err != nil || sd.IsSchoolDay(day) {
		t.Errorf("a store over a transaction used the kept calendar (%v)", err)
	}
	_ = tx.Rollback(ctx)

	exec(`ALTER TABLE bank_holidays ENABLE TRIGGER bank_holidays_reference_data`)
	exec(`UPDATE bank_holidays SET name = 'School closure day' WHERE day = $1`, day)
	moved := referenceVersion(t, pool)
	if openOn(moved) {
		t.Errorf("after the version moved on the kept calendar still has %s open", day)
	}
	pos, err := store.LoadPosition(moved, day.AddDays(-1))
	if err != nil || pos.NextHoliday == nil || pos.NextHoliday.Name != "School closure day" {
		t.Errorf("after the version moved on the next holiday is %+v (%v)", pos.NextHoliday, err)
	}
	// A request that started before the change (the older version) still gets the database's answer.
	if openOn(kept) {
		t.Errorf("a request with an older version got an older calendar than the database's")
	}
}
