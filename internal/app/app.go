package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/alexedwards/scs/pgxstore"
	"github.com/alexedwards/scs/v2"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/coventry-cap/capportal/internal/auth"
	"github.com/coventry-cap/capportal/internal/db"
	"github.com/coventry-cap/capportal/internal/ui"
)

// NewSessions configures scs on the Postgres store: 12 hours at most, 30 minutes idle, cookies that
// scripts cannot read, and the __Host- prefix with Secure when served over HTTPS.
func NewSessions(pool *pgxpool.Pool, secure bool) *scs.SessionManager {
	sm := scs.New()
	sm.Store = pgxstore.NewWithCleanupInterval(pool, 10*time.Minute)
	sm.Lifetime = ui.AbsoluteTimeout
	sm.IdleTimeout = ui.IdleTimeout
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

// NewHandler builds the portal's HTTP handler over a pool.
func NewHandler(pool *pgxpool.Pool, clock auth.Clock, logger *slog.Logger, secure bool, extra func(*ui.Routes)) (*ui.Server, http.Handler) {
	return ui.New(ui.Deps{
		Pool:        pool,
		Sessions:    NewSessions(pool, secure),
		Clock:       clock,
		Logger:      logger,
		Registry:    prometheus.NewRegistry(),
		Secure:      secure,
		ExtraRoutes: extra,
	})
}

// Serve runs the portal until ctx is cancelled (SIGINT or SIGTERM), then lets requests in flight
// finish within the grace period.
func Serve(ctx context.Context, cfg Config, logger *slog.Logger, clock auth.Clock, ready func(addr string)) error {
	pool, err := db.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return err
	}
	defer pool.Close()
	if cfg.MigrateOnStart {
		if err := db.MigrateUp(pool); err != nil {
			return err
		}
		logger.Info("database migrated")
	}
	_, handler := NewHandler(pool, clock, logger, cfg.Secure(), nil)
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
