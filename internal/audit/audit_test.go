package audit_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/coventry-cap/capportal/internal/audit"
	"github.com/coventry-cap/capportal/internal/db"
	"github.com/coventry-cap/capportal/internal/db/dbtest"
)

var t0 = time.Date(2026, time.November, 23, 9, 30, 0, 0, time.UTC)

func write(t *testing.T, pool *pgxpool.Pool, e audit.Entry) {
	t.Helper()
	if err := audit.On(pool).Write(context.Background(), e); err != nil {
		t.Fatalf("write %s: %v", e.Action, err)
	}
}

func TestWriteThenSearchReturnsTheEntryAsWritten(t *testing.T) {
	pool, _ := dbtest.New(t)
	ctx := context.Background()
	var uid int64
	if err := pool.QueryRow(ctx, `INSERT INTO users (email, name, password_hash) VALUES ('actor@cap.example', 'Actor', 'x') RETURNING id`).Scan(&uid); err != nil {
		t.Fatal(err)
	}
	in := audit.Entry{
		At: t0, ActorUserID: &uid, ActorEmail: "actor@cap.example", Action: audit.RoleGranted,
		SubjectType: "user", SubjectID: "42", Summary: "Granted CAP admin at CAP",
		Details: map[string]any{"role": "cap_admin", "organisation_id": float64(1)}, RequestID: "abc123",
	}
	write(t, pool, in)
	got, more, err := audit.On(pool).Search(ctx, audit.Filter{}, 10)
	if err != nil {
		t.Fatal(err)
	}
	if more || len(got) != 1 {
		t.Fatalf("got %d entries (more=%v), want 1", len(got), more)
	}
	e := got[0]
	if e.ID == 0 || !e.At.Equal(t0) || e.ActorUserID == nil || *e.ActorUserID != uid || e.ActorEmail != in.ActorEmail ||
		e.Action != in.Action || e.SubjectType != "user" || e.SubjectID != "42" || e.Summary != in.Summary || e.RequestID != "abc123" {
		t.Errorf("entry read back differs:\n got %+v\nwant %+v", e, in)
	}
	if e.Details["role"] != "cap_admin" || e.Details["organisation_id"] != float64(1) {
		t.Errorf("details read back as %v", e.Details)
	}
}

func TestWriteInARolledBackTransactionLeavesNoEntry(t *testing.T) {
	// The change and its record commit together: a failed change leaves no audit line.
	pool, _ := dbtest.New(t)
	ctx := context.Background()
	boom := errors.New("the change failed")
	err := db.InTx(ctx, pool, func(tx pgx.Tx) error {
		if err := audit.On(tx).Write(ctx, audit.Entry{At: t0, Action: "test.rolled_back"}); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("InTx returned %v", err)
	}
	got, _, err := audit.On(pool).Search(ctx, audit.Filter{}, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 0 {
		t.Errorf("a rolled-back write left %d entries", len(got))
	}
}

func TestSearchFiltersByActorActionSubjectAndTime(t *testing.T) {
	pool, _ := dbtest.New(t)
	ctx := context.Background()
	write(t, pool, audit.Entry{At: t0, ActorEmail: "ann@cap.example", Action: "sign_in.succeeded", SubjectType: "user", SubjectID: "1"})
	write(t, pool, audit.Entry{At: t0.Add(time.Hour), ActorEmail: "bob@cap.example", Action: "sign_in.failed", SubjectType: "user", SubjectID: "2"})
	write(t, pool, audit.Entry{At: t0.Add(2 * time.Hour), ActorEmail: "ann@cap.example", Action: "role.granted", SubjectType: "user", SubjectID: "2"})
	write(t, pool, audit.Entry{At: t0.Add(3 * time.Hour), ActorEmail: "carol@cap.example", Action: "signXin.other", SubjectType: "user", SubjectID: "12"})

	cases := []struct {
		name string
		f    audit.Filter
		want []string // actions, newest first
	}{
		{"everything", audit.Filter{}, []string{"signXin.other", "role.granted", "sign_in.failed", "sign_in.succeeded"}},
		{"actor part, any case", audit.Filter{Actor: "ANN@"}, []string{"role.granted", "sign_in.succeeded"}},
		{"action prefix", audit.Filter{Action: "sign_in"}, []string{"sign_in.failed", "sign_in.succeeded"}},
		{"action prefix is not a pattern", audit.Filter{Action: "sign%"}, nil},
		{"subject is exact", audit.Filter{Subject: "2"}, []string{"role.granted", "sign_in.failed"}},
		{"from is inclusive", audit.Filter{From: t0.Add(time.Hour)}, []string{"signXin.other", "role.granted", "sign_in.failed"}},
		{"to is exclusive", audit.Filter{To: t0.Add(time.Hour)}, []string{"sign_in.succeeded"}},
		{"all at once", audit.Filter{Actor: "ann", Action: "role", Subject: "2", From: t0, To: t0.Add(3 * time.Hour)}, []string{"role.granted"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, _, err := audit.On(pool).Search(ctx, tc.f, 10)
			if err != nil {
				t.Fatal(err)
			}
			var actions []string
			for _, e := range got {
				actions = append(actions, e.Action)
			}
			if fmt.Sprint(actions) != fmt.Sprint(tc.want) {
				t.Errorf("got %v, want %v", actions, tc.want)
			}
		})
	}
}

func TestSearchPagesNewestFirstWithoutOverlap(t *testing.T) {
	pool, _ := dbtest.New(t)
	ctx := context.Background()
	for i := range 7 {
		write(t, pool, audit.Entry{At: t0.Add(time.Duration(i) * time.Minute), Action: fmt.Sprintf("test.n%d", i)})
	}
	var seen []string
	f := audit.Filter{}
	for page := 0; ; page++ {
		got, more, err := audit.On(pool).Search(ctx, f, 3)
		if err != nil {
			t.Fatal(err)
		}
		if page < 2 && (len(got) != 3 || !more) {
			t.Fatalf("page %d: %d entries, more=%v; want 3 and more", page, len(got), more)
		}
		for _, e := range got {
			seen = append(seen, e.Action)
		}
		if !more {
			break
		}
		f.BeforeID = got[len(got)-1].ID
	}
	want := "[test.n6 test.n5 test.n4 test.n3 test.n2 test.n1 test.n0]"
	if fmt.Sprint(seen) != want {
		t.Errorf("pages gave %v, want %s", seen, want)
	}
}

func TestTheDatabaseRefusesToChangeOrRemoveAuditEntries(t *testing.T) {
	cases := map[string]string{
		"update":               `UPDATE audit_log SET summary = 'rewritten', actor_email = 'someone-else@cap.example'`,
		"delete":               `DELETE FROM audit_log`,
		"truncate":             `TRUNCATE audit_log`,
		"update one row by id": `UPDATE audit_log SET action = 'nothing.happened' WHERE id = (SELECT min(id) FROM audit_log)`,
		"delete one row by id": `DELETE FROM audit_log WHERE id = (SELECT min(id) FROM audit_log)`,
	}
	for name, sql := range cases {
		t.Run(name, func(t *testing.T) {
			pool, _ := dbtest.New(t)
			ctx := context.Background()
			write(t, pool, audit.Entry{At: t0, ActorEmail: "ann@cap.example", Action: audit.UserCreated, SubjectType: "user", SubjectID: "5", Summary: "Created user ann@cap.example"})
			before, _, err := audit.On(pool).Search(ctx, audit.Filter{}, 10)
			if err != nil || len(before) != 1 {
				t.Fatalf("before: %d entries, %v", len(before), err)
			}

			_, err = pool.Exec(ctx, sql)
			var pgErr *pgconn.PgError
			if !errors.As(err, &pgErr) {
				t.Fatalf("%s was allowed (err %v)", sql, err)
			}
			if pgErr.Code != "42501" {
				t.Errorf("error code %s (%s), want 42501 insufficient_privilege from the append-only trigger", pgErr.Code, pgErr.Message)
			}
			if want := "the audit log is append-only"; len(pgErr.Message) < len(want) || pgErr.Message[:len(want)] != want {
				t.Errorf("error message %q does not say the log is append-only", pgErr.Message)
			}

			after, _, err := audit.On(pool).Search(ctx, audit.Filter{}, 10)
			if err != nil {
				t.Fatal(err)
			}
			if len(after) != 1 {
				t.Fatalf("after: %d entries, want the 1 written", len(after))
			}
			b, a := before[0], after[0]
			if a.ID != b.ID || !a.At.Equal(b.At) || a.ActorEmail != b.ActorEmail || a.Action != b.Action || a.Summary != b.Summary || a.SubjectID != b.SubjectID {
				t.Errorf("entry changed:\nbefore %+v\nafter  %+v", b, a)
			}
		})
	}
}
