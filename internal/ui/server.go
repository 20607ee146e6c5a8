// Package ui is the portal's HTTP face: every route and its policy (routes.go), the middleware, the
// render and error helpers, and one handler file per action.
package ui

import (
	"log/slog"
	"net/http"

	"github.com/alexedwards/scs/v2"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/coventry-cap/capportal/internal/auth"
	"github.com/coventry-cap/capportal/internal/notify"
	"github.com/coventry-cap/capportal/internal/users"
)

// Deps is what the HTTP face needs from the rest of the portal.
type Deps struct {
	Pool     *pgxpool.Pool
	Sessions *scs.SessionManager
	Clock    auth.Clock
	Logger   *slog.Logger
	Registry *prometheus.Registry
	Secure   bool // served over HTTPS: HSTS on
	// Outbox queues notifications (in-app and email) inside a change's transaction.
	Outbox *notify.Outbox
	// ExtraRoutes lets tests mount routes (a panicking one, say) behind the same middleware.
	ExtraRoutes func(rt *Routes)
}

// Server holds the dependencies every handler shares.
type Server struct {
	Deps
	users   users.Store
	signIn  auth.SignIn
	metrics *metrics
	routes  *Routes
}

// New builds the portal's handler.
func New(d Deps) (*Server, http.Handler) {
	s := &Server{
		Deps:    d,
		users:   users.Store{Pool: d.Pool, Clock: d.Clock},
		signIn:  auth.SignIn{Pool: d.Pool, Clock: d.Clock},
		metrics: newMetrics(d.Registry),
	}
	h := s.buildRoutes()
	return s, h
}
