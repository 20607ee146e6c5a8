// Package ui is the portal's HTTP face: every route and its policy (routes.go), the middleware, the
// render and error helpers, and one handler file per action.
//
// The ui holds stores, never the pool: every query lives in a domain package behind its store, so a
// handler cannot query (TestUINeverQueries keeps it so).
package ui

import (
	"context"
	"log/slog"
	"net/http"

	"github.com/alexedwards/scs/v2"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/coventry-cap/capportal/internal/audit"
	"github.com/coventry-cap/capportal/internal/auth"
	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/directory"
	"github.com/coventry-cap/capportal/internal/document"
	"github.com/coventry-cap/capportal/internal/formonce"
	"github.com/coventry-cap/capportal/internal/notify"
	"github.com/coventry-cap/capportal/internal/org"
	"github.com/coventry-cap/capportal/internal/panel"
	"github.com/coventry-cap/capportal/internal/placement"
	"github.com/coventry-cap/capportal/internal/refdata"
	"github.com/coventry-cap/capportal/internal/referral"
	"github.com/coventry-cap/capportal/internal/rollover"
	"github.com/coventry-cap/capportal/internal/safeguarding"
	"github.com/coventry-cap/capportal/internal/school"
	"github.com/coventry-cap/capportal/internal/secondfactor"
	"github.com/coventry-cap/capportal/internal/student"
	"github.com/coventry-cap/capportal/internal/users"
)

// Deps is what the HTTP face needs from the rest of the portal.
type Deps struct {
	Pool     *pgxpool.Pool // given to the stores; the handlers never see it
	Sessions *scs.SessionManager
	Clock    calendar.Clock
	Logger   *slog.Logger
	Registry *prometheus.Registry
	Secure   bool // served over HTTPS: HSTS on
	// Outbox queues notifications (in-app and email) inside a change's transaction.
	Outbox *notify.Outbox
	// Cutoffs are when each session's register is due (the dashboards show those missing after it).
	Cutoffs placement.Cutoffs
	// ExtraRoutes lets tests mount routes (a panicking one, say) behind the same middleware.
	ExtraRoutes func(rt *Routes)
	// SecondFactor is whether CAP staff and DSLs must enrol a second factor, and the key that seals
	// the TOTP keys.
	SecondFactor SecondFactorSettings
}

// SecondFactorSettings are the second factor's settings (issue 13).
type SecondFactorSettings struct {
	// Optional lets CAP staff and DSLs use the portal without enrolling: a demonstration only. The
	// step-up before safeguarding records applies either way.
	Optional bool
	// Key is the 32-byte AES key that seals the TOTP keys; nil: secondfactor.DevelopmentKey.
	Key []byte
}

// Server holds what every handler shares: the session manager, the clock, the logger and the stores.
type Server struct {
	Sessions    *scs.SessionManager
	Clock       calendar.Clock
	Logger      *slog.Logger
	Outbox      *notify.Outbox
	secure      bool
	extraRoutes func(rt *Routes)
	cutoffs     placement.Cutoffs
	// secondFactorOptional: CAP staff and DSLs need not enrol (a demonstration).
	secondFactorOptional bool

	audit         audit.Store
	auth          auth.Store
	calendar      calendar.Store
	directory     directory.Store
	documents     document.Store
	formOnce      formonce.Store
	notifications notify.Store
	orgs          org.Store
	panels        panel.Store
	placements    placement.Store
	referrals     referral.Store
	rollovers     rollover.Store
	safeguarding  safeguarding.Store
	schools       school.Store
	secondFactors secondfactor.Store
	students      student.Store
	users         users.Store
	signIn        auth.SignIn
	ping          func(context.Context) error

	metrics    *metrics
	routes     *Routes
	filterOrgs refdata.Kept[orgOptionsKey, []directory.ProviderOption] // the list filters' organisations
}

// New builds the portal's handler.
func New(d Deps) (*Server, http.Handler) {
	s := &Server{
		Sessions: d.Sessions, Clock: d.Clock, Logger: d.Logger, Outbox: d.Outbox,
		secure: d.Secure, extraRoutes: d.ExtraRoutes, cutoffs: d.Cutoffs.OrDefault(),
		secondFactorOptional: d.SecondFactor.Optional,

		audit:         audit.On(d.Pool),
		auth:          auth.On(d.Pool),
		calendar:      calendar.On(d.Pool),
		directory:     directory.Store{DB: d.Pool, Clock: d.Clock},
		documents:     document.On(d.Pool),
		formOnce:      formonce.On(d.Pool),
		notifications: notify.On(d.Pool),
		orgs:          org.On(d.Pool),
		panels:        panel.On(d.Pool),
		placements:    placement.Store{DB: d.Pool, Clock: d.Clock, Outbox: d.Outbox},
		referrals:     referral.Store{DB: d.Pool, Clock: d.Clock, Outbox: d.Outbox},
		rollovers:     rollover.On(d.Pool),
		safeguarding:  safeguarding.Store{DB: d.Pool, Clock: d.Clock, Outbox: d.Outbox},
		schools:       school.Store{DB: d.Pool, Clock: d.Clock},
		secondFactors: secondfactor.Store{DB: d.Pool, Clock: d.Clock, Key: d.SecondFactor.Key},
		students:      student.Store{DB: d.Pool, Clock: d.Clock},
		users:         users.Store{DB: d.Pool, Clock: d.Clock},
		signIn:        auth.SignIn{Pool: d.Pool, Clock: d.Clock},
		ping:          d.Pool.Ping,
		metrics:       newMetrics(d.Registry),
	}
	// A session that cannot be loaded or saved (the database is down) gets the portal's own error
	// page and log line, not scs's plain-text 500 and standard-library log line.
	if d.Sessions != nil {
		d.Sessions.ErrorFunc = s.serverError
	}
	h := s.buildRoutes()
	return s, h
}
