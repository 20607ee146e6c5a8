package ui

import (
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/coventry-cap/capportal/internal/auth"
	"github.com/coventry-cap/capportal/web"
)

// Routes registers handlers with their policy, so that every route states who may use it and the
// navigation can ask the same question.
type Routes struct {
	r        chi.Router
	policies map[string]auth.Policy // "METHOD /pattern"
	s        *Server
}

// Handle registers a route behind its policy.
func (rt *Routes) Handle(method, pattern string, p auth.Policy, h http.HandlerFunc) {
	rt.policies[method+" "+pattern] = p
	rt.r.With(rt.s.requirePolicy(p)).Method(method, pattern, h)
}

// Policy returns the declared policy of a route and whether it has one.
func (rt *Routes) Policy(method, pattern string) (auth.Policy, bool) {
	p, ok := rt.policies[method+" "+pattern]
	return p, ok
}

// Policies returns every declared route and its policy.
func (rt *Routes) Policies() map[string]auth.Policy { return rt.policies }

// Router returns the chi router, for walking in tests.
func (rt *Routes) Router() chi.Router { return rt.r }

// Routes returns the route table.
func (s *Server) Routes() *Routes { return s.routes }

// The groups of roles that share pages.
var (
	capAdmins = auth.AnyOf(auth.CAPAdmin)
	auditors  = auth.AnyOf(auth.CAPAdmin, auth.ServiceLead)
)

func (s *Server) buildRoutes() http.Handler {
	root := chi.NewRouter()
	root.Use(s.requestID, s.observe, s.recoverPanic, s.securityHeaders)
	// Unknown pages still know who is signed in, so the 404 shows their navigation.
	withSession := func(h http.HandlerFunc) http.HandlerFunc {
		return s.Sessions.LoadAndSave(s.loadPrincipal(noStore(h))).ServeHTTP
	}
	root.NotFound(withSession(s.notFound))
	root.MethodNotAllowed(withSession(s.methodNotAllowed))
	rt := &Routes{r: root, policies: map[string]auth.Policy{}, s: s}
	s.routes = rt

	// Machine and asset routes: no session, no body.
	rt.Handle(http.MethodGet, "/healthz", auth.Public(), s.healthz)
	rt.Handle(http.MethodGet, "/readyz", auth.Public(), s.readyz)
	rt.Handle(http.MethodGet, "/metrics", auth.Public(), s.metricsHandler())
	rt.Handle(http.MethodGet, "/assets/*", auth.Public(), assets(web.Static()))
	rt.Handle(http.MethodGet, "/robots.txt", auth.Public(), assets(web.Static()))

	// Pages: sessions, the principal, and protection against cross-site requests.
	root.Group(func(r chi.Router) {
		r.Use(s.crossOrigin, s.limitBody(1<<20), s.Sessions.LoadAndSave, s.loadPrincipal, noStore)
		pages := &Routes{r: r, policies: rt.policies, s: s}

		// Anyone.
		pages.Handle(http.MethodGet, "/login", auth.Public(), s.loginShow)
		pages.Handle(http.MethodPost, "/login", auth.Public(), s.loginSubmit)
		pages.Handle(http.MethodGet, "/accessibility", auth.Public(), s.accessibility)
		pages.Handle(http.MethodGet, "/privacy", auth.Public(), s.privacy)

		// Anyone signed in.
		pages.Handle(http.MethodGet, "/", auth.SignedIn(), s.dashboard)
		pages.Handle(http.MethodPost, "/logout", auth.SignedIn(), s.logout)
		pages.Handle(http.MethodGet, "/account/password", auth.SignedIn(), s.passwordShow)
		pages.Handle(http.MethodPost, "/account/password", auth.SignedIn(), s.passwordSubmit)

		// CAP admins: users and roles.
		pages.Handle(http.MethodGet, "/admin/users", capAdmins, s.userList)
		pages.Handle(http.MethodGet, "/admin/users/new", capAdmins, s.userNew)
		pages.Handle(http.MethodPost, "/admin/users", capAdmins, s.userCreate)
		pages.Handle(http.MethodGet, "/admin/users/{id}", capAdmins, s.userShow)
		pages.Handle(http.MethodPost, "/admin/users/{id}/roles", capAdmins, s.userRoleGrant)
		pages.Handle(http.MethodPost, "/admin/users/{id}/roles/revoke", capAdmins, s.userRoleRevoke)
		pages.Handle(http.MethodPost, "/admin/users/{id}/deactivate", capAdmins, s.userDeactivate)
		pages.Handle(http.MethodPost, "/admin/users/{id}/reactivate", capAdmins, s.userReactivate)

		// CAP admins and the service lead: the audit log.
		pages.Handle(http.MethodGet, "/admin/audit", auditors, s.auditSearch)

		if s.ExtraRoutes != nil {
			s.ExtraRoutes(pages)
		}
	})
	return root
}

// navigation lists the service's sections; each shows only to people its route's policy allows.
var navigation = []struct{ Text, Href string }{
	{"Home", "/"},
	{"Users", "/admin/users"},
	{"Audit log", "/admin/audit"},
	{"Your password", "/account/password"},
}
