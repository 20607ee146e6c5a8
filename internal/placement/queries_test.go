package placement_test

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/db"
	"github.com/coventry-cap/capportal/internal/placement"
	"github.com/coventry-cap/capportal/internal/placement/placementtest"
)

// counting counts the statements run through it, and through the transactions it begins.
type counting struct {
	db.DBTX
	n *int
}

func (c counting) Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error) {
	*c.n++
	return c.DBTX.Exec(ctx, sql, args...)
}

func (c counting) Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error) {
	*c.n++
	return c.DBTX.Query(ctx, sql, args...)
}

func (c counting) QueryRow(ctx context.Context, sql string, args ...any) pgx.Row {
	*c.n++
	return c.DBTX.QueryRow(ctx, sql, args...)
}

// SendBatch counts each of the batch's statements (db.SendBatch).
func (c counting) SendBatch(ctx context.Context, b *pgx.Batch) pgx.BatchResults {
	*c.n += b.Len()
	return c.DBTX.SendBatch(ctx, b)
}

func (c counting) Begin(ctx context.Context) (pgx.Tx, error) {
	tx, err := c.DBTX.Begin(ctx)
	return countingTx{Tx: tx, n: c.n}, err
}

type countingTx struct {
	pgx.Tx
	n *int
}

func (c countingTx) SendBatch(ctx context.Context, b *pgx.Batch) pgx.BatchResults {
	*c.n += b.Len()
	return c.Tx.SendBatch(ctx, b)
}

func (c countingTx) Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error) {
	*c.n++
	return c.Tx.Exec(ctx, sql, args...)
}

func (c countingTx) Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error) {
	*c.n++
	return c.Tx.Query(ctx, sql, args...)
}

func (c countingTx) QueryRow(ctx context.Context, sql string, args ...any) pgx.Row {
	*c.n++
	return c.Tx.QueryRow(ctx, sql, args...)
}

// Reading a register, taking it, and reading a provider's attendance run the same number of
// statements for 2 learners as for 30: nothing is queried per learner.
func TestRegistersRunAFixedNumberOfQueriesHoweverManyLearners(t *testing.T) {
	f := newFixture(t, time.Date(2026, time.November, 23, 9, 30, 0, 0, calendar.London()))
	spec := placementtest.Spec{Start: d(2026, time.November, 2), Days: []int32{1, 2, 3, 4, 5}}
	spec.Provider = "ridgeway"
	few := placementtest.Learners(t, f.pool, "whitmore", 2, spec)
	spec.Provider = "lumen"
	many := placementtest.Learners(t, f.pool, "whitmore", 30, spec)
	staff := map[string]placement.Actor{"ridgeway": f.as(ridgewayStaff), "lumen": f.as("staff@lumen.provider.example")}
	day := d(2026, time.November, 23)

	statements := func(provider string, ids []int64) (read, take, rates int) {
		t.Helper()
		var n int
		store := placement.Store{DB: counting{DBTX: f.pool, n: &n}, Clock: f.clock}
		reg, err := store.Register(f.ctx, staff[provider], f.providerID(provider), day, placement.Morning)
		if err != nil || len(reg.Lines) != len(ids) {
			t.Fatalf("%s register: %d lines, %v", provider, len(reg.Lines), err)
		}
		read, n = n, 0
		var marks []placement.MarkInput
		for _, id := range ids {
			marks = append(marks, placement.MarkInput{PlacementID: id, Status: placement.Present})
		}
		if _, err := store.TakeRegister(f.ctx, staff[provider], f.providerID(provider), day, placement.Morning, marks); err != nil {
			t.Fatal(err)
		}
		take, n = n, 0
		if _, err := store.ProviderAttendance(f.ctx, staff[provider], f.providerID(provider), d(2026, time.September, 1)); err != nil {
			t.Fatal(err)
		}
		return read, take, n
	}
	r2, t2, a2 := statements("ridgeway", few)
	r30, t30, a30 := statements("lumen", many)
	if r2 != r30 || t2 != t30 || a2 != a30 {
		t.Errorf("statements for 2 learners: read %d, take %d, rates %d; for 30: %d, %d, %d", r2, t2, a2, r30, t30, a30)
	}
	t.Logf("a register reads in %d statements and is taken in %d", r30, t30)
}
