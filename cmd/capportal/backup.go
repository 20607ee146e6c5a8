package main

import (
	"context"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/coventry-cap/capportal/internal/db"
)

// backupCmd writes the database to file with pg_dump's custom format (-Fc): compressed, and read back
// by pg_restore. The file is created readable by its owner only: it holds children's records.
func backupCmd(ctx context.Context, dbURL, file string, stdout io.Writer) error {
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		return fmt.Errorf("connect to the database to back up: %w", err)
	}
	name, major, version, err := serverVersion(ctx, conn)
	conn.Close(ctx)
	if err != nil {
		return err
	}
	pgDump, err := pgTool("pg_dump", major, false)
	if err != nil {
		return err
	}
	dir := filepath.Dir(file)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(file)+".partial-*")
	if err != nil {
		return fmt.Errorf("create the backup file: %w", err)
	}
	tmpName := tmp.Name()
	tmp.Close()
	defer os.Remove(tmpName)
	if err := os.Chmod(tmpName, 0o600); err != nil {
		return err
	}
	cmd := exec.CommandContext(ctx, pgDump, "--format=custom", "--no-password", "--file="+tmpName, "--dbname="+libpqURL(dbURL))
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("pg_dump failed: %v\n%s", err, strings.TrimSpace(string(out)))
	}
	if err := os.Rename(tmpName, file); err != nil {
		return fmt.Errorf("move the backup into place: %w", err)
	}
	fi, err := os.Stat(file)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Backed up database %s (PostgreSQL %s) to %s (%d bytes, pg_dump custom format).\n", name, version, file, fi.Size())
	return nil
}

// restoreCmd loads a backup into the database with pg_restore: into an empty database, or with clean
// over one whose objects it replaces. The backup's owners and grants name the roles of the server it
// came from, so objects are owned by the restoring role and the portal's role is granted its
// privileges again, as migration 0022 grants them.
func restoreCmd(ctx context.Context, dbURL, file string, clean bool, stdout io.Writer) error {
	if _, err := os.Stat(file); err != nil {
		return fmt.Errorf("read the backup: %w", err)
	}
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		return fmt.Errorf("connect to the database to restore into: %w", err)
	}
	defer conn.Close(ctx)
	name, major, _, err := serverVersion(ctx, conn)
	if err != nil {
		return err
	}
	pgRestore, err := pgTool("pg_restore", major, true)
	if err != nil {
		return err
	}
	if out, err := exec.CommandContext(ctx, pgRestore, "--list", file).CombinedOutput(); err != nil {
		return fmt.Errorf("%s is not a backup pg_restore can read (capportal backup writes them): %s", file, strings.TrimSpace(string(out)))
	}
	tables, err := userTables(ctx, conn)
	if err != nil {
		return err
	}
	if len(tables) > 0 && !clean {
		return fmt.Errorf("database %s is not empty (%d tables, such as %s): restore into an empty database (createdb NAME), or give -clean to replace what it holds", name, len(tables), tables[0])
	}
	args := []string{"--no-owner", "--no-acl", "--single-transaction", "--exit-on-error", "--no-password", "--dbname=" + libpqURL(dbURL)}
	if clean {
		args = append(args, "--clean", "--if-exists")
	}
	args = append(args, file)
	if out, err := exec.CommandContext(ctx, pgRestore, args...).CombinedOutput(); err != nil {
		return fmt.Errorf("pg_restore failed, and changed nothing: %v\n%s", err, strings.TrimSpace(string(out)))
	}
	if err := db.GrantAppRole(ctx, conn); err != nil {
		return fmt.Errorf("restored, but granting the portal's role its privileges failed: %w", err)
	}
	tables, err = userTables(ctx, conn)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Restored %s into database %s: %d tables. Run `capportal migrate up` if the backup predates this version of the portal.\n", file, name, len(tables))
	return nil
}

func serverVersion(ctx context.Context, conn *pgx.Conn) (name string, major int, version string, err error) {
	var num int
	err = conn.QueryRow(ctx, `SELECT current_database(), current_setting('server_version_num')::int, current_setting('server_version')`).Scan(&name, &num, &version)
	if err != nil {
		return "", 0, "", fmt.Errorf("read the server's version: %w", err)
	}
	return name, num / 10000, version, nil
}

// userTables lists the tables outside PostgreSQL's own schemas.
func userTables(ctx context.Context, conn *pgx.Conn) ([]string, error) {
	rows, err := conn.Query(ctx, `
		SELECT n.nspname || '.' || c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		 WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
		   AND n.nspname NOT LIKE 'pg\_toast%' AND n.nspname NOT LIKE 'pg\_temp%'
		 ORDER BY 1`)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowTo[string])
}

var toolVersion = regexp.MustCompile(`\(PostgreSQL\) (\d+)`)

// pgTool finds pg_dump or pg_restore for the server's major version: CAP_PG_BIN's, Debian's
// /usr/lib/postgresql/N/bin, or the one on PATH. pg_dump may be newer than the server (it reads older
// servers); pg_restore must match it, since a newer one writes settings an older server refuses.
func pgTool(tool string, major int, exact bool) (string, error) {
	var candidates []string
	if dir := os.Getenv("CAP_PG_BIN"); dir != "" {
		candidates = append(candidates, filepath.Join(dir, tool))
	}
	candidates = append(candidates, filepath.Join("/usr/lib/postgresql", strconv.Itoa(major), "bin", tool))
	if p, err := exec.LookPath(tool); err == nil {
		candidates = append(candidates, p)
	}
	others, _ := filepath.Glob(filepath.Join("/usr/lib/postgresql", "*", "bin", tool))
	sort.Strings(others)
	candidates = append(candidates, others...)
	var found []string
	for _, c := range candidates {
		out, err := exec.Command(c, "--version").Output()
		if err != nil {
			continue
		}
		m := toolVersion.FindStringSubmatch(string(out))
		if m == nil {
			continue
		}
		v, _ := strconv.Atoi(m[1])
		found = append(found, fmt.Sprintf("%s (%d)", c, v))
		if v == major || (!exact && v > major) {
			return c, nil
		}
	}
	if len(found) == 0 {
		found = []string{"none"}
	}
	return "", fmt.Errorf("no %s for PostgreSQL %d (found: %s): install Debian's postgresql-client-%d, or set CAP_PG_BIN to the directory that holds it", tool, major, strings.Join(found, ", "), major)
}

// libpqURL is the database URL without the settings only pgx understands, which libpq's tools refuse.
func libpqURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	q := u.Query()
	for k := range q {
		if strings.HasPrefix(k, "pool_") || k == "statement_cache_capacity" || k == "description_cache_capacity" || k == "default_query_exec_mode" {
			q.Del(k)
		}
	}
	u.RawQuery = q.Encode()
	return u.String()
}
