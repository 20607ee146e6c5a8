// Package dbtest gives each test its own real PostgreSQL database, cloned from a migrated template.
//
// The server comes from TEST_DATABASE_URL, or else from the portal's private development cluster
// (var/pg, started by `make test` or `make run`). There is no fallback to a fake: without a server the
// test fails and says how to get one.
package dbtest

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/coventry-cap/capportal/internal/db"
	"github.com/coventry-cap/capportal/migrations"
)

var (
	templateOnce sync.Once
	templateName string
	templateErr  error
)

// ServerURL returns the URL of the PostgreSQL server tests use, or an explanation of why there is none.
func ServerURL() (string, error) {
	if u := os.Getenv("TEST_DATABASE_URL"); u != "" {
		return u, nil
	}
	if root, err := repoRoot(); err == nil {
		if b, err := os.ReadFile(filepath.Join(root, "var", "pg", "url")); err == nil {
			return strings.TrimSpace(string(b)), nil
		}
	}
	return "", fmt.Errorf("no PostgreSQL for tests: run `make test` (it starts the private cluster), or set TEST_DATABASE_URL")
}

// New returns a pool on a fresh, migrated database that is dropped when the test ends, and its URL.
func New(t testing.TB) (*pgxpool.Pool, string) {
	t.Helper()
	server, err := ServerURL()
	if err != nil {
		t.Fatal(err)
	}
	templateOnce.Do(func() { templateName, templateErr = ensureTemplate(server) })
	if templateErr != nil {
		t.Fatalf("prepare template database: %v", templateErr)
	}
	ctx := context.Background()
	admin, err := pgx.Connect(ctx, server)
	if err != nil {
		t.Fatalf("connect to test server: %v", err)
	}
	defer admin.Close(ctx)
	name := "capportal_test_" + randomHex(8)
	if _, err := admin.Exec(ctx, "CREATE DATABASE "+name+" TEMPLATE "+templateName); err != nil {
		t.Fatalf("create test database: %v", err)
	}
	// A test database may lose its last commits in a crash, which makes commits faster; the server
	// (the private cluster `make run` also uses) keeps durable commits for every other database.
	if _, err := admin.Exec(ctx, "ALTER DATABASE "+name+" SET synchronous_commit = off"); err != nil {
		t.Fatalf("configure test database: %v", err)
	}
	dbURL, err := withDatabase(server, name)
	if err != nil {
		t.Fatal(err)
	}
	pool, err := db.Open(ctx, dbURL)
	if err != nil {
		t.Fatalf("open test database: %v", err)
	}
	t.Cleanup(func() {
		pool.Close()
		c, err := pgx.Connect(context.Background(), server)
		if err != nil {
			return
		}
		defer c.Close(context.Background())
		_, _ = c.Exec(context.Background(), "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
	})
	return pool, dbURL
}

// ensureTemplate creates, once per set of migrations, a migrated database to copy. Its name carries a
// hash of the migration files and River's schema version, so a changed migration gets a new template and test processes running
// at the same time agree on it (an advisory lock keeps them from building it twice).
func ensureTemplate(server string) (string, error) {
	ctx := context.Background()
	hash, err := migrationsHash()
	if err != nil {
		return "", err
	}
	name := "capportal_tmpl_" + hash[:16]
	admin, err := pgx.Connect(ctx, server)
	if err != nil {
		return "", fmt.Errorf("connect to test server: %w", err)
	}
	defer admin.Close(ctx)
	if _, err := admin.Exec(ctx, "SELECT pg_advisory_lock(727274)"); err != nil {
		return "", err
	}
	defer admin.Exec(ctx, "SELECT pg_advisory_unlock(727274)") //nolint:errcheck
	var exists bool
	if err := admin.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", name).Scan(&exists); err != nil {
		return "", err
	}
	if exists {
		return name, nil
	}
	building := name + "_building"
	if _, err := admin.Exec(ctx, "DROP DATABASE IF EXISTS "+building+" WITH (FORCE)"); err != nil {
		return "", err
	}
	if _, err := admin.Exec(ctx, "CREATE DATABASE "+building); err != nil {
		return "", err
	}
	u, err := withDatabase(server, building)
	if err != nil {
		return "", err
	}
	pool, err := db.Open(ctx, u)
	if err != nil {
		return "", err
	}
	err = db.MigrateUp(pool)
	pool.Close()
	if err != nil {
		return "", err
	}
	// Renaming after the migration means a half-built template is never used.
	if _, err := admin.Exec(ctx, "ALTER DATABASE "+building+" RENAME TO "+name); err != nil {
		return "", err
	}
	return name, nil
}

func migrationsHash() (string, error) {
	entries, err := fs.ReadDir(migrations.FS, ".")
	if err != nil {
		return "", err
	}
	names := make([]string, 0, len(entries))
	for _, e := range entries {
		names = append(names, e.Name())
	}
	sort.Strings(names)
	h := sha256.New()
	for _, n := range names {
		b, err := fs.ReadFile(migrations.FS, n)
		if err != nil {
			return "", err
		}
		fmt.Fprintf(h, "%s\x00%d\x00", n, len(b))
		h.Write(b)
	}
	// River's tables are migrated into the template too: a River upgrade with a new schema version
	// must build a new template.
	rv, err := db.RiverMigrationVersion()
	if err != nil {
		return "", err
	}
	fmt.Fprintf(h, "river\x00%d\x00", rv)
	return hex.EncodeToString(h.Sum(nil)), nil
}

// withDatabase swaps the database name in a postgres URL, keeping host, socket and options.
func withDatabase(server, name string) (string, error) {
	u, err := url.Parse(server)
	if err != nil {
		return "", fmt.Errorf("parse test database URL: %w", err)
	}
	u.Path = "/" + name
	return u.String(), nil
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("go.mod not found")
		}
		dir = parent
	}
}
