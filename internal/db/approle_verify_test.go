package db_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/coventry-cap/capportal/internal/db"
	"github.com/coventry-cap/capportal/internal/db/dbtest"
)

// The portal's role (a member of capportal_app, migration 0022) reads and writes rows and adds to the
// audit log, but cannot alter or drop the audit log's table, its triggers or their function, nor
// change or remove a row of it (ASVS 5.0 V16.4.2: logs protected from modification).
func TestVerifyAppRoleCannotAlterTheAuditLog(t *testing.T) {
	pool, dbURL := dbtest.New(t)
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dbtest.AppRoleURL(t, dbURL))
	if err != nil {
		t.Fatalf("connect as the portal's role: %v", err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })

	if problem, err := db.ServingRoleProblem(ctx, conn); err != nil || problem != "" {
		t.Errorf("the portal's role is reported unfit to serve: %q (%v)", problem, err)
	}
	if problem, _ := db.ServingRoleProblem(ctx, pool); problem == "" {
		t.Errorf("the schema owner's connection is not reported as unfit to serve")
	}

	// What the portal does: add to the audit log and read it back.
	var id int64
	if err := conn.QueryRow(ctx, `INSERT INTO audit_log (actor_email, action, subject_type, subject_id)
		VALUES ('verify@cap.example', 'verify.app_role', 'test', '1') RETURNING id`).Scan(&id); err != nil {
		t.Fatalf("the portal's role cannot add to the audit log: %v", err)
	}
	var n int
	if err := conn.QueryRow(ctx, `SELECT count(*) FROM audit_log WHERE id = $1`, id).Scan(&n); err != nil || n != 1 {
		t.Fatalf("the portal's role cannot read the audit log: %d (%v)", n, err)
	}

	attempts := []string{
		`ALTER TABLE audit_log ADD COLUMN verify_extra int`,
		`ALTER TABLE audit_log RENAME TO audit_log_gone`,
		`ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update_delete`,
		`ALTER TABLE audit_log DISABLE TRIGGER ALL`,
		`ALTER TABLE audit_log OWNER TO CURRENT_USER`,
		`DROP TRIGGER audit_log_no_update_delete ON audit_log`,
		`DROP TRIGGER audit_log_no_truncate ON audit_log`,
		`CREATE OR REPLACE FUNCTION audit_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$`,
		`DROP FUNCTION audit_log_refuse_change() CASCADE`,
		`DROP TABLE audit_log`,
		`DROP TABLE audit_log CASCADE`,
		`TRUNCATE audit_log`,
		`UPDATE audit_log SET action = 'changed' WHERE id = ` + fmt.Sprint(id),
		`DELETE FROM audit_log WHERE id = ` + fmt.Sprint(id),
		`CREATE TABLE public.audit_log_shadow (id int)`,
		`SET session_replication_role = replica`,
	}
	alterable := 0
	for _, sql := range attempts {
		tx, err := conn.Begin(ctx)
		if err != nil {
			t.Fatal(err)
		}
		_, err = tx.Exec(ctx, sql)
		_ = tx.Rollback(ctx)
		if err == nil {
			alterable++
			t.Errorf("the portal's role may: %s", sql)
		}
	}
	fmt.Printf("VERIFY|app role: audit table alterable|%d|0\n", alterable)

	// And it may do the portal's work everywhere else: read every table, write every table but the
	// append-only audit log and the migrations' bookkeeping.
	rows, err := pool.Query(ctx, `
		SELECT c.relname,
		       has_table_privilege($1, c.oid, 'SELECT'),
		       has_table_privilege($1, c.oid, 'INSERT'),
		       has_table_privilege($1, c.oid, 'UPDATE') AND has_table_privilege($1, c.oid, 'DELETE')
		  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		 WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') ORDER BY 1`, db.AppRole)
	if err != nil {
		t.Fatal(err)
	}
	type grant struct {
		table               string
		read, insert, write bool
	}
	grants, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (grant, error) {
		var g grant
		return g, r.Scan(&g.table, &g.read, &g.insert, &g.write)
	})
	if err != nil {
		t.Fatal(err)
	}
	missing := 0
	for _, g := range grants {
		wantInsert, wantWrite := true, true
		switch g.table {
		case "audit_log":
			wantWrite = false
		case "schema_migrations":
			wantInsert, wantWrite = false, false
		}
		if !g.read || g.insert != wantInsert || g.write != wantWrite {
			missing++
			t.Errorf("%s: the portal's role may read %v, insert %v, update and delete %v; want true, %v, %v", g.table, g.read, g.insert, g.write, wantInsert, wantWrite)
		}
	}
	if len(grants) < 20 {
		t.Errorf("only %d tables checked", len(grants))
	}
	fmt.Printf("VERIFY|app role: tables checked|%d|\n", len(grants))
	fmt.Printf("VERIFY|app role: tables with wrong grants|%d|0\n", missing)
}
