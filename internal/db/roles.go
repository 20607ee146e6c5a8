package db

import (
	"context"
	"fmt"
	"io/fs"

	"github.com/coventry-cap/capportal/migrations"
)

// AppRole is the NOLOGIN group role the portal's own connection belongs to (migration 0022): it reads
// and writes rows, adds to the audit log and owns nothing, so it cannot alter or drop a table, a
// trigger or a function. The role that runs the migrations owns the schema.
const AppRole = "capportal_app"

// privilegeMigrations are the migrations that grant AppRole its privileges. A restore (which leaves
// the dump's grants out, since they name roles of the server it came from) applies them again.
var privilegeMigrations = []string{"0022_app_role.up.sql"}

// GrantAppRole creates AppRole when missing and grants it its privileges on what the database holds
// now, as the migrations do.
func GrantAppRole(ctx context.Context, conn DBTX) error {
	for _, name := range privilegeMigrations {
		sql, err := fs.ReadFile(migrations.FS, name)
		if err != nil {
			return err
		}
		if _, err := conn.Exec(ctx, string(sql)); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
	}
	return nil
}

// ServingRoleProblem says what is wrong with the role a pool connects as, for the portal to serve
// from: "" when it is neither a superuser nor the audit log's owner (or member of the owner's role).
func ServingRoleProblem(ctx context.Context, conn DBTX) (string, error) {
	var user string
	var super, owner bool
	err := conn.QueryRow(ctx, `
		SELECT current_user::text,
		       (SELECT rolsuper FROM pg_roles WHERE rolname = current_user),
		       COALESCE((SELECT pg_has_role(current_user, c.relowner, 'USAGE') FROM pg_class c
		                  WHERE c.oid = to_regclass('public.audit_log')), false)`).Scan(&user, &super, &owner)
	if err != nil {
		return "", fmt.Errorf("check the database role: %w", err)
	}
	if !super && !owner {
		return "", nil
	}
	what := "owns the schema"
	if super {
		what = "is a superuser"
	}
	return fmt.Sprintf("DATABASE_URL connects as %s, which %s and so could alter or drop the audit log: "+
		"serve as a login role in the group %s and give the schema owner's connection in CAP_MIGRATE_DATABASE_URL (see README.md)", user, what, AppRole), nil
}
