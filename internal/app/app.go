package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"time"

	"github.com/alexedwards/scs/pgxstore"
	"github.com/alexedwards/scs/v2"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/riverqueue/river"

	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/db"
	"github.com/coventry-cap/capportal/internal/notify"
	"github.com/coventry-cap/capportal/internal/placement"
	"github.com/coventry-cap/capportal/internal/ui"
)

// NewSessions configures scs on the Postgres store: 12 hours at most (30 minutes idle is ui's), cookies that
// scripts cannot read, and the __Host- prefix with Secure when served over HTTPS.
func NewSessions(pool *pgxpool.Pool, secure bool) *scs.SessionManager {
	sm := scs.New()
	sm.Store = pgxstore.NewWithCleanupInterval(pool, 10*time.Minute)
	sm.Lifetime = ui.AbsoluteTimeout
	// The idle timeout is the portal's own (ui.IdleTimeout, against the session's last_seen, which
	// moves at most once a minute): scs's would rewrite every session on every request. The row in
	// the store expires with the 12 hours.
	sm.IdleTimeout = 0
	sm.Cookie.Name = "cap_session"
	sm.Cookie.HttpOnly = true
	sm.Cookie.SameSite = http.SameSiteLaxMode
	sm.Cookie.Path = "/"
	sm.Cookie.Persist = false
	if secure {
		sm.Cookie.Name = "__Host-cap_session"
		sm.Cookie.Secure = true
	}
	return sm
}

// Mail is how the portal sends its notification emails.
type Mail struct {
	Mailer    notify.Mailer // nil: emails are written to the log
	BaseURL   *url.URL      // where the links in emails lead; nil: http://localhost:8080
	Retention bool          // run the periodic data-retention job (stale student imports)
	TestOnly  bool          // start and stop River without its production start-up jitter
	// Monitoring runs the periodic monitoring job (registers missing after their cut-off, overdue
	// progress reviews). The absence alerts are worked either way.
	Monitoring bool
	Cutoffs    placement.Cutoffs // when each session's register is due; placement.DefaultCutoffs when zero
	// SecondFactor is whether CAP staff and DSLs must enrol a second factor and the key that seals
	// the TOTP keys. It rides here, with the other settings the handler takes, to keep NewHandler's
	// signature for its callers.
	SecondFactor ui.SecondFactorSettings
}

// NewHandler builds the portal's HTTP handler over a pool, with the notification outbox and the
// River client that sends its emails. The client is not started: Serve (or a test harness) starts it
// through the server's Outbox, and must stop it before closing the pool.
func NewHandler(pool *pgxpool.Pool, clock calendar.Clock, logger *slog.Logger, secure bool, extra func(*ui.Routes), mail Mail) (*ui.Server, http.Handler, error) {
	mailer := mail.Mailer
	if mailer == nil {
		mailer = notify.LogMailer{Logger: logger}
	}
	base := mail.BaseURL
	if base == nil {
		base = &url.URL{Scheme: "http", Host: "localhost:8080"}
	}
	cutoffs := mail.Cutoffs.OrDefault()
	// The alerts' workers are registered with the client that their outbox then inserts through.
	alerts := &placement.Alerts{DB: pool, Clock: clock, Cutoffs: cutoffs, Logger: logger}
	opts := notify.ClientOptions{
		BaseURL: base, Clock: clock, Retention: mail.Retention, TestOnly: mail.TestOnly,
		AddWorkers: []func(*river.Workers) error{alerts.AddWorkers},
	}
	if mail.Monitoring {
		opts.PeriodicJobs = alerts.PeriodicJobs()
	}
	client, err := notify.NewClient(pool, mailer, logger, opts)
	if err != nil {
		return nil, nil, err
	}
	outbox := notify.NewOutbox(client)
	alerts.Outbox = outbox
	srv, h := ui.New(ui.Deps{
		Pool:         pool,
		Sessions:     NewSessions(pool, secure),
		Clock:        clock,
		Logger:       logger,
		Registry:     prometheus.NewRegistry(),
		Secure:       secure,
		Outbox:       outbox,
		Cutoffs:      cutoffs,
		ExtraRoutes:  extra,
		SecondFactor: mail.SecondFactor,
	})
	return srv, h, nil
}

// mailer is the configured SMTP server, or the log when there is none.
func mailer(cfg Config, logger *slog.Logger) (notify.Mailer, error) {
	if cfg.SMTP == nil {
		if cfg.Env == "production" {
			logger.Warn("CAP_SMTP_HOST is not set: notification emails are written to the log, not sent")
		}
		return notify.LogMailer{Logger: logger}, nil
	}
	return notify.NewSMTPMailer(*cfg.SMTP)
}

// migrateOver migrates the schema as its owner: over CAP_MIGRATE_DATABASE_URL when that is a
// connection of its own, else over the portal's pool.
func migrateOver(ctx context.Context, cfg Config, pool *pgxpool.Pool) error {
	if cfg.MigrateDatabaseURL == "" || cfg.MigrateDatabaseURL == cfg.DatabaseURL {
		return db.MigrateUp(pool)
	}
	owner, err := db.Open(ctx, cfg.MigrateDatabaseURL)
	if err != nil {
		return fmt.Errorf("CAP_MIGRATE_DATABASE_URL: %w", err)
	}
	defer owner.Close()
	return db.MigrateUp(owner)
}

// Serve runs the portal until ctx is cancelled (SIGINT or SIGTERM), then lets requests in flight
// finish within the grace period.
func Serve(ctx context.Context, cfg Config, logger *slog.Logger, clock calendar.Clock, ready func(addr string)) error {
	pool, err := db.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return err
	}
	defer pool.Close()
	if cfg.MigrateOnStart {
		if err := migrateOver(ctx, cfg, pool); err != nil {
			return err
		}
		logger.Info("database migrated")
	}
	if problem, err := db.ServingRoleProblem(ctx, pool); err != nil {
		return err
	} else if problem != "" {
		logger.Warn(problem)
	}
	m, err := mailer(cfg, logger)
	if err != nil {
		return err
	}
	uiServer, handler, err := NewHandler(pool, clock, logger, cfg.Secure(), nil, Mail{Mailer: m, BaseURL: cfg.BaseURL, Retention: true,
		Monitoring: true, Cutoffs: cfg.RegisterCutoffs, SecondFactor: cfg.SecondFactor})
	if err != nil {
		return err
	}
	// River works the email outbox and the periodic jobs beside the web server. Its context outlives
	// the signal, so that shutdown below stops it gracefully (jobs in flight finish) rather than
	// cancelling them.
	jobs := uiServer.Outbox.Client()
	if err := jobs.Start(context.WithoutCancel(ctx)); err != nil {
		return fmt.Errorf("start background jobs: %w", err)
	}
	defer func() {
		stopCtx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownGrace)
		defer cancel()
		if err := jobs.Stop(stopCtx); err != nil {
			logger.Warn("background jobs did not stop in time", "error", err.Error())
		}
	}()
	srv := &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.Addr, err)
	}
	logger.Info("serving", "addr", ln.Addr().String(), "base_url", cfg.BaseURL.String())
	if cfg.SecondFactor.Optional {
		logger.Warn("CAP_SECOND_FACTOR=optional: CAP staff and DSLs may use the portal without a second factor (a demonstration only)")
	}
	if ready != nil {
		ready(ln.Addr().String())
	}
	errc := make(chan error, 1)
	go func() {
		if cfg.TLSCertFile != "" {
			errc <- srv.ServeTLS(ln, cfg.TLSCertFile, cfg.TLSKeyFile)
		} else {
			errc <- srv.Serve(ln)
		}
	}()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	logger.Info("shutting down: finishing requests in flight", "grace", cfg.ShutdownGrace.String())
	shutdownCtx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownGrace)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	logger.Info("stopped")
	return nil
}
