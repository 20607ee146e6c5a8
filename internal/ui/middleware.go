package ui

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strconv"
	"time"

	"github.com/a-h/templ"
	"github.com/go-chi/chi/v5"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/coventry-cap/capportal/internal/auth"
	"github.com/coventry-cap/capportal/internal/db"
	"github.com/coventry-cap/capportal/internal/refdata"
)

type requestIDKey struct{}

// RequestID returns the request's ID, which is also the reference shown on error pages.
func RequestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey{}).(string)
	return id
}

// requestID gives every request a short random ID, sent back in X-Request-Id.
func (s *Server) requestID(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b := make([]byte, 6)
		_, _ = rand.Read(b)
		id := hex.EncodeToString(b)
		w.Header().Set("X-Request-Id", id)
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), requestIDKey{}, id)))
	})
}

// statusWriter records what observe logs: the status, the size, and the error behind an error page.
type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int
	err    error // set by serverError, logged on the access-log line
	sealed bool  // an error page has been written: nothing more is
}

type statusWriterKey struct{}

func (w *statusWriter) WriteHeader(code int) {
	// A second status cannot be sent; net/http would log the attempt outside the JSON log.
	if w.sealed || w.status != 0 {
		return
	}
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.sealed {
		return len(b), nil
	}
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += n
	return n, err
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

type metrics struct {
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
	registry *prometheus.Registry
}

func newMetrics(reg *prometheus.Registry) *metrics {
	if reg == nil {
		reg = prometheus.NewRegistry()
	}
	m := &metrics{
		registry: reg,
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "capportal_http_requests_total", Help: "HTTP requests answered, by route pattern and status.",
		}, []string{"method", "route", "status"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "capportal_http_request_duration_seconds", Help: "Time to answer HTTP requests, by route pattern.",
			Buckets: []float64{.002, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5},
		}, []string{"method", "route"}),
	}
	reg.MustRegister(m.requests, m.duration, collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

func (s *Server) metricsHandler() http.HandlerFunc {
	h := promhttp.HandlerFor(s.metrics.registry, promhttp.HandlerOpts{})
	return h.ServeHTTP
}

// observe writes the access log and the request metrics. It logs the route pattern, never the
// path or query, which can carry names or references. A request that failed has one line, at error
// level, with the error serverError met.
func (s *Server) observe(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		r = r.WithContext(context.WithValue(r.Context(), statusWriterKey{}, sw))
		next.ServeHTTP(sw, r)
		if sw.status == 0 {
			sw.status = http.StatusOK
		}
		route := "unmatched"
		if rc := chi.RouteContext(r.Context()); rc != nil && rc.RoutePattern() != "" {
			route = rc.RoutePattern()
		}
		elapsed := time.Since(start)
		s.metrics.requests.WithLabelValues(r.Method, route, strconv.Itoa(sw.status)).Inc()
		s.metrics.duration.WithLabelValues(r.Method, route).Observe(elapsed.Seconds())
		attrs := []slog.Attr{
			slogString("request_id", RequestID(r.Context())),
			slogString("method", r.Method),
			slogString("route", route),
			slogInt("status", sw.status),
			slogInt("bytes", sw.bytes),
			slogDuration("duration", elapsed),
		}
		level := levelFor(sw.status)
		if sw.err != nil {
			level = slog.LevelError
			attrs = append(attrs, slogString("error", sw.err.Error()))
		}
		s.Logger.LogAttrs(r.Context(), level, "request", attrs...)
	})
}

// recoverPanic answers a panic with the styled 500 page and keeps the server serving.
func (s *Server) recoverPanic(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.serverError(w, r, fmt.Errorf("panic: %v\n%s", v, debug.Stack()))
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// securityHeaders sets the headers every response carries, with a fresh CSP nonce for inline scripts.
func (s *Server) securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b := make([]byte, 16)
		_, _ = rand.Read(b)
		nonce := base64.RawStdEncoding.EncodeToString(b)
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self' 'nonce-"+nonce+"'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
		if s.secure {
			h.Set("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
		}
		next.ServeHTTP(w, r.WithContext(templ.WithNonce(r.Context(), nonce)))
	})
}

// noStore keeps pages out of browser and proxy caches: they can carry personal data.
func noStore(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		next.ServeHTTP(w, r)
	})
}

// crossOrigin refuses state-changing requests from other sites with the styled 403 page.
func (s *Server) crossOrigin(next http.Handler) http.Handler {
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.renderError(w, r, http.StatusForbidden, "This request came from another website",
			"The portal only accepts forms sent from its own pages, to protect you from forged requests.",
			"Go back to the page you were on, reload it and try again.")
	}))
	return cop.Handler(next)
}

// limitBody caps a route's request bodies.
func limitBody(n int64) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			r.Body = http.MaxBytesReader(w, r.Body, n)
			next.ServeHTTP(w, r)
		})
	}
}

// Session keys.
const (
	sessUserID     = "user_id"
	sessEpoch      = "session_epoch"
	sessSignedInAt = "signed_in_at"
	sessLastSeen   = "last_seen"
	sessFlash      = "flash"
	sessFlashError = "flash_error"
)

// Session lifetimes: signed out after 30 minutes without a request, and 12 hours after signing in
// whatever happens. They are checked against the portal's clock so tests can move time.
const (
	IdleTimeout     = 30 * time.Minute
	AbsoluteTimeout = 12 * time.Hour
	// lastSeenStep is how far the clock moves before a request records itself as the session's
	// last: a session is signed out after between IdleTimeout-lastSeenStep and IdleTimeout idle.
	lastSeenStep = time.Minute
)

// loadPrincipal reads the signed-in person afresh on every request, so a deactivation or a revoked
// role takes effect at once, and ends sessions that have been idle or open too long.
func (s *Server) loadPrincipal(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		uid := s.Sessions.GetInt64(ctx, sessUserID)
		if uid == 0 {
			next.ServeHTTP(w, r)
			return
		}
		now := s.Clock.Now()
		lastSeen := time.Unix(s.Sessions.GetInt64(ctx, sessLastSeen), 0)
		signedIn := time.Unix(s.Sessions.GetInt64(ctx, sessSignedInAt), 0)
		var reason string
		switch {
		case now.Sub(lastSeen) > IdleTimeout:
			reason = "You were signed out because you had not done anything for 30 minutes. Sign in again to carry on."
		case now.Sub(signedIn) > AbsoluteTimeout:
			reason = "You were signed out because you signed in more than 12 hours ago. Sign in again to carry on."
		}
		var p *auth.Principal
		if reason == "" {
			var err error
			p, err = s.auth.LoadPrincipal(ctx, uid)
			switch {
			case errors.Is(err, db.ErrNotFound), errors.Is(err, auth.ErrInactive):
				reason = "You have been signed out. Contact the CAP team if you need access."
			case err != nil:
				s.serverError(w, r, err)
				return
			case p.SessionEpoch != s.Sessions.GetInt(ctx, sessEpoch):
				reason = "You have been signed out because your account changed. Sign in again to carry on."
			}
		}
		if reason != "" {
			s.endSession(ctx)
			s.flashError(ctx, reason)
			next.ServeHTTP(w, r)
			return
		}
		// The last request's time moves on at most once a minute, so that a page that changes nothing
		// in the session writes nothing (scs commits only a modified session): the idle timeout is
		// then kept to within a minute, never to more than IdleTimeout.
		if now.Sub(lastSeen) >= lastSeenStep {
			s.Sessions.Put(ctx, sessLastSeen, now.Unix())
		}
		// The reference data's version, read with the person, lets what pages read of it be kept
		// between requests (refdata.Kept).
		ctx = refdata.WithVersion(auth.WithPrincipal(ctx, p), p.ReferenceVersion)
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// endSession signs the person out, keeping the session itself for a flash message.
func (s *Server) endSession(ctx context.Context) {
	_ = s.Sessions.RenewToken(ctx)
	for _, k := range []string{sessUserID, sessEpoch, sessSignedInAt, sessLastSeen, sessSecondFactorAt, sessPendingUserID, sessPendingAt, sessPendingNext} {
		s.Sessions.Remove(ctx, k)
	}
}

// requirePolicy enforces a route's policy: signed-out people go to sign in, signed-in people without
// the role get a 403 that says so.
func (s *Server) requirePolicy(p auth.Policy) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			pr := auth.FromContext(r.Context())
			if p.Allows(pr) {
				next.ServeHTTP(w, r)
				return
			}
			if pr == nil {
				target := "/login"
				if r.Method == http.MethodGet && r.URL.Path != "/" {
					target += "?next=" + urlQueryEscape(r.URL.RequestURI())
				}
				http.Redirect(w, r, target, http.StatusSeeOther)
				return
			}
			s.renderError(w, r, http.StatusForbidden, "You do not have access to this page",
				"Your account does not have a role that can use this page.",
				"If you think you should have access, ask a CAP admin to give you the role.")
		})
	}
}

// readableQuery refuses page addresses whose query carries a NUL byte or bytes that are not UTF-8,
// which no link of the portal makes and which would otherwise fail in a query as a server error.
// Forms are checked by parseForm instead.
func (s *Server) readableQuery(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if (r.Method == http.MethodGet || r.Method == http.MethodHead) && !readableValues(r.URL.Query()) {
			s.renderError(w, r, http.StatusBadRequest, "The web address contains characters the portal cannot read",
				"If you typed or pasted the web address, check it is correct.",
				"Otherwise go back to the page you came from and use its links and buttons.")
			return
		}
		next.ServeHTTP(w, r)
	})
}
