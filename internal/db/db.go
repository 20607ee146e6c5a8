// Package db opens the PostgreSQL pool, runs the embedded migrations and runs work in transactions.
package db

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"strings"
	"syscall"
	"time"

	"github.com/golang-migrate/migrate/v4"
	migratepgx "github.com/golang-migrate/migrate/v4/database/pgx/v5"
	"github.com/golang-migrate/migrate/v4/source/iofs"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivermigrate"

	"github.com/coventry-cap/capportal/migrations"
)

// ErrNotFound is returned by stores when the record does not exist or is outside the caller's scope.
var ErrNotFound = errors.New("not found")

// Open connects a pool and checks the database answers.
func Open(ctx context.Context, url string) (*pgxpool.Pool, error) {
	cfg, err := PoolConfig(url)
	if err != nil {
		return nil, err
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("create pool: %w", err)
	}
	pingCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := pool.Ping(pingCtx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("connect to database: %w", err)
	}
	return pool, nil
}

// PoolConfig is the pool's configuration for the URL: connections recycled hourly and after five idle
// minutes, and a connect timeout. A database host that stops answering (packets dropped rather than
// refused) would otherwise hold each request until the operating system gives up; a URL's own
// connect_timeout wins.
func PoolConfig(url string) (*pgxpool.Config, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("parse database URL: %w", err)
	}
	cfg.MaxConnLifetime = time.Hour
	cfg.MaxConnIdleTime = 5 * time.Minute
	if cfg.ConnConfig.ConnectTimeout == 0 {
		cfg.ConnConfig.ConnectTimeout = ConnectTimeout
	}
	// Plans: each statement is planned once a connection and the plan reused (pgx prepares every
	// statement). PostgreSQL's default would plan most of the portal's statements afresh on every
	// run, because a plan made for unknown arguments looks dearer than one made for the arguments
	// given, and planning a five-table page query costs more than running it (at scale factor 1 it
	// was 1 to 4 ms a statement against 0.1 to 1 ms of running; make bench, docs/scaling.md). The
	// statements are written so that a generic plan is a good one: scope conditions only for the
	// scope's shape, limits as literals; internal/scale TestHotQueryPlans checks the generic plans.
	// A URL that sets plan_cache_mode keeps its own.
	if _, set := cfg.ConnConfig.RuntimeParams["plan_cache_mode"]; !set {
		cfg.ConnConfig.RuntimeParams["plan_cache_mode"] = "force_generic_plan"
	}
	return cfg, nil
}

// ConnectTimeout is how long opening a connection may take when the database URL does not say.
const ConnectTimeout = 5 * time.Second

// Migrator returns golang-migrate over the embedded migrations on a dedicated connection of the pool.
// Close it when done.
func Migrator(pool *pgxpool.Pool) (*migrate.Migrate, error) {
	src, err := iofs.New(migrations.FS, ".")
	if err != nil {
		return nil, fmt.Errorf("read embedded migrations: %w", err)
	}
	sqlDB := stdlib.OpenDBFromPool(pool)
	driver, err := migratepgx.WithInstance(sqlDB, &migratepgx.Config{})
	if err != nil {
		sqlDB.Close()
		return nil, fmt.Errorf("migration driver: %w", err)
	}
	m, err := migrate.NewWithInstance("iofs", src, "pgx5", driver)
	if err != nil {
		return nil, fmt.Errorf("migrator: %w", err)
	}
	return m, nil
}

// MigrateUp applies every migration not yet applied: the portal's own, then River's job-queue tables.
func MigrateUp(pool *pgxpool.Pool) error {
	m, err := Migrator(pool)
	if err != nil {
		return err
	}
	defer m.Close()
	if err := m.Up(); err != nil && !errors.Is(err, migrate.ErrNoChange) {
		return fmt.Errorf("migrate up: %w", err)
	}
	return MigrateRiver(context.Background(), pool)
}

// MigrateRiver applies River's own migrations (its job, queue and leader tables). River versions its
// schema separately from ours, so golang-migrate's down steps leave these tables alone.
func MigrateRiver(ctx context.Context, pool *pgxpool.Pool) error {
	m, err := riverMigrator(pool)
	if err != nil {
		return err
	}
	if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return fmt.Errorf("migrate River's tables: %w", err)
	}
	return nil
}

// RiverMigrationVersion is the newest River schema version this build carries, so a cached test
// template can tell that an upgraded River needs its tables migrated again.
func RiverMigrationVersion() (int, error) {
	// Listing River's embedded migrations needs no connection.
	m, err := riverMigrator(nil)
	if err != nil {
		return 0, err
	}
	all := m.AllVersions()
	if len(all) == 0 {
		return 0, errors.New("river carries no migrations")
	}
	return all[len(all)-1].Version, nil
}

func riverMigrator(pool *pgxpool.Pool) (*rivermigrate.Migrator[pgx.Tx], error) {
	// River's migrator logs every step at info level to stdout unless given a logger; the portal
	// reports migrating once, itself.
	m, err := rivermigrate.New(riverpgxv5.New(pool), &rivermigrate.Config{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		return nil, fmt.Errorf("river migrator: %w", err)
	}
	return m, nil
}

// DBTX is what a store needs from either the pool or a transaction: Begin on a transaction starts a
// savepoint, so a store's own InTx nests inside a caller's transaction.
type DBTX interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
	Begin(ctx context.Context) (pgx.Tx, error)
	SendBatch(ctx context.Context, b *pgx.Batch) pgx.BatchResults
}

// SendBatch sends the batch's statements in one round trip and runs each one's callback with its
// result, in order (pgx.Batch); conn is the pool or a transaction.
func SendBatch(ctx context.Context, conn DBTX, b *pgx.Batch) error {
	return conn.SendBatch(ctx, b).Close()
}

// InTx runs fn in one transaction, committing when it returns nil and rolling back otherwise.
func InTx(ctx context.Context, conn DBTX, fn func(tx pgx.Tx) error) error {
	tx, err := conn.Begin(ctx)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer tx.Rollback(ctx) //nolint:errcheck // a no-op after commit
	if err := fn(tx); err != nil {
		return err
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// IsUniqueViolation reports whether err is a unique-constraint failure, optionally of the named constraint.
func IsUniqueViolation(err error, constraint string) bool {
	var pgErr *pgconn.PgError
	if !errors.As(err, &pgErr) || pgErr.Code != "23505" {
		return false
	}
	return constraint == "" || pgErr.ConstraintName == constraint
}

// Unavailable reports whether err means the database could not be reached, rather than that a query
// failed: no connection could be made (refused, timed out, the database refusing connections), an
// open connection was cut or the server is shutting down or starting up, or the wait for a
// connection ran out. Such a failure passes by itself when the database comes back.
func Unavailable(err error) bool {
	if err == nil {
		return false
	}
	var connectErr *pgconn.ConnectError
	if errors.As(err, &connectErr) {
		return true
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		// Class 08 is a connection exception; 57P01-57P03 are the server shutting down (by an
		// administrator, after a crash) or not yet accepting connections.
		return strings.HasPrefix(pgErr.Code, "08") || pgErr.Code == "57P01" || pgErr.Code == "57P02" || pgErr.Code == "57P03"
	}
	var netErr net.Error
	return errors.As(err, &netErr) ||
		pgconn.Timeout(err) ||
		errors.Is(err, context.DeadlineExceeded) ||
		errors.Is(err, pgconn.ErrConnClosed) ||
		errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE)
}
