package users_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/coventry-cap/capportal/internal/auth"
	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/db"
	"github.com/coventry-cap/capportal/internal/db/dbtest"
	"github.com/coventry-cap/capportal/internal/seed"
	"github.com/coventry-cap/capportal/internal/users"
)

type fixture struct {
	pool          *pgxpool.Pool
	store         users.Store
	admin, admin2 int64 // the demo data's two CAP admins
	capOrg        int64
}

func newFixture(t *testing.T) fixture {
	t.Helper()
	pool, _ := dbtest.New(t)
	clock := calendar.NewFixed(time.Date(2026, time.November, 23, 9, 30, 0, 0, calendar.London()))
	if _, err := seed.LoadDemo(context.Background(), pool, clock, "demo-password-123"); err != nil {
		t.Fatal(err)
	}
	f := fixture{pool: pool, store: users.Store{DB: pool, Clock: clock}}
	ctx := context.Background()
	for email, id := range map[string]*int64{"admin@cap.example": &f.admin, "admin2@cap.example": &f.admin2} {
		if err := pool.QueryRow(ctx, `SELECT id FROM users WHERE email = $1`, email).Scan(id); err != nil {
			t.Fatal(err)
		}
	}
	if err := pool.QueryRow(ctx, `SELECT id FROM organisations WHERE slug = 'cap'`).Scan(&f.capOrg); err != nil {
		t.Fatal(err)
	}
	return f
}

func (f fixture) activeAdmins(t *testing.T) int {
	t.Helper()
	var n int
	if err := f.pool.QueryRow(context.Background(), `
		SELECT count(DISTINCT u.id) FROM users u JOIN memberships m ON m.user_id = u.id
		WHERE m.role = 'cap_admin' AND u.active`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// atOnce runs both changes so that each has read the admins before either commits: a third
// transaction holds the admins' rows until both are waiting, then lets them go together.
func (f fixture) atOnce(t *testing.T, a, b func() error) (errA, errB error) {
	t.Helper()
	ctx := context.Background()
	blocker, err := f.pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer blocker.Rollback(ctx) //nolint:errcheck
	if _, err := blocker.Exec(ctx, `SELECT id FROM users WHERE id = ANY($1) FOR UPDATE`, []int64{f.admin, f.admin2}); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); errA = a() }()
	go func() { defer wg.Done(); errB = b() }()
	deadline := time.Now().Add(10 * time.Second)
	for {
		var waiting int
		if err := f.pool.QueryRow(ctx, `
			SELECT count(*) FROM pg_stat_activity
			WHERE datname = current_database() AND wait_event_type = 'Lock'`).Scan(&waiting); err != nil {
			t.Fatal(err)
		}
		if waiting >= 2 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("only %d of the two changes reached the lock", waiting)
		}
		time.Sleep(5 * time.Millisecond)
	}
	if err := blocker.Rollback(ctx); err != nil {
		t.Fatal(err)
	}
	wg.Wait()
	return errA, errB
}

func actor(id int64) users.Actor { return users.Actor{UserID: &id, Email: "test"} }

func TestTwoAdminsRevokingEachOtherAtOnceLeaveOneCAPAdmin(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	errA, errB := f.atOnce(t,
		func() error { return f.store.Revoke(ctx, actor(f.admin), f.admin2, f.capOrg, auth.CAPAdmin) },
		func() error { return f.store.Revoke(ctx, actor(f.admin2), f.admin, f.capOrg, auth.CAPAdmin) },
	)
	if n := f.activeAdmins(t); n != 1 {
		t.Errorf("%d active CAP admins left, want 1 (errors: %v, %v)", n, errA, errB)
	}
	if (errA == nil) == (errB == nil) {
		t.Errorf("want exactly one revoke refused: %v, %v", errA, errB)
	}
	for _, err := range []error{errA, errB} {
		if err != nil && !errors.Is(err, users.ErrLastAdmin) {
			t.Errorf("refused with %v, want ErrLastAdmin", err)
		}
	}
}

func TestRevokingOneAdminWhileDeactivatingTheOtherLeavesOneCAPAdmin(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	errA, errB := f.atOnce(t,
		func() error { return f.store.Revoke(ctx, actor(f.admin), f.admin2, f.capOrg, auth.CAPAdmin) },
		func() error { return f.store.SetActive(ctx, actor(f.admin2), f.admin, false) },
	)
	if n := f.activeAdmins(t); n != 1 {
		t.Errorf("%d active CAP admins left, want 1 (errors: %v, %v)", n, errA, errB)
	}
}

func TestTwoAdminsDeactivatingEachOtherAtOnceLeaveOneCAPAdmin(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	errA, errB := f.atOnce(t,
		func() error { return f.store.SetActive(ctx, actor(f.admin), f.admin2, false) },
		func() error { return f.store.SetActive(ctx, actor(f.admin2), f.admin, false) },
	)
	if n := f.activeAdmins(t); n != 1 {
		t.Errorf("%d active CAP admins left, want 1 (errors: %v, %v)", n, errA, errB)
	}
}

func TestDeactivatingTheLastActiveCAPAdminIsRefused(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	if err := f.store.SetActive(ctx, actor(f.admin), f.admin2, false); err != nil {
		t.Fatalf("deactivating one of two admins: %v", err)
	}
	err := f.store.SetActive(ctx, actor(f.admin2), f.admin, false)
	if !errors.Is(err, users.ErrLastAdmin) {
		t.Fatalf("deactivating the last admin: %v, want ErrLastAdmin", err)
	}
	if n := f.activeAdmins(t); n != 1 {
		t.Errorf("%d active admins, want 1", n)
	}
	// A deactivated admin does not count: reactivating them makes the other removable again.
	if err := f.store.SetActive(ctx, actor(f.admin), f.admin2, true); err != nil {
		t.Fatal(err)
	}
	if err := f.store.SetActive(ctx, actor(f.admin2), f.admin, false); err != nil {
		t.Errorf("deactivating one of two active admins again: %v", err)
	}
}

func TestDeactivatingAnyoneElseIsNotBlockedByTheAdminRule(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	if err := f.store.SetActive(ctx, actor(f.admin), f.admin2, false); err != nil {
		t.Fatal(err)
	}
	coord, err := f.store.GetByEmail(ctx, "coordinator@whitmore.school.example")
	if err != nil {
		t.Fatal(err)
	}
	if err := f.store.SetActive(ctx, actor(f.admin), coord.ID, false); err != nil {
		t.Errorf("deactivating a coordinator while only one admin is active: %v", err)
	}
}

func TestGrantingOrRevokingForAMissingUserIsNotFound(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	const missing = 987654
	if err := f.store.Grant(ctx, actor(f.admin), missing, f.capOrg, auth.PanelMember); !errors.Is(err, db.ErrNotFound) {
		t.Errorf("grant to a missing user: %v, want ErrNotFound", err)
	}
	if err := f.store.Revoke(ctx, actor(f.admin), missing, f.capOrg, auth.PanelMember); !errors.Is(err, db.ErrNotFound) {
		t.Errorf("revoke from a missing user: %v, want ErrNotFound", err)
	}
	if err := f.store.Grant(ctx, actor(f.admin), f.admin2, missing, auth.PanelMember); !errors.Is(err, db.ErrNotFound) {
		t.Errorf("grant in a missing organisation: %v, want ErrNotFound", err)
	}
	if err := f.store.SetActive(ctx, actor(f.admin), missing, false); !errors.Is(err, db.ErrNotFound) {
		t.Errorf("deactivate a missing user: %v, want ErrNotFound", err)
	}
	var n int
	if err := f.pool.QueryRow(ctx, `SELECT count(*) FROM audit_log WHERE subject_id = '987654'`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Errorf("%d audit entries about a user who does not exist", n)
	}
}

func TestRevokingARoleTwiceChangesNothingTheSecondTime(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	lead, err := f.store.GetByEmail(ctx, "lead@cap.example")
	if err != nil {
		t.Fatal(err)
	}
	for i := range 2 {
		if err := f.store.Revoke(ctx, actor(f.admin), lead.ID, f.capOrg, auth.ServiceLead); err != nil {
			t.Fatalf("revoke %d: %v", i+1, err)
		}
	}
	var n int
	if err := f.pool.QueryRow(ctx, `SELECT count(*) FROM audit_log WHERE action = 'role.revoked'`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 1 {
		t.Errorf("%d role.revoked entries for one revocation pressed twice, want 1", n)
	}
}
