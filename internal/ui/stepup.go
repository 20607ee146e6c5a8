package ui

import (
	"net/http"
	"net/url"
	"time"

	"github.com/coventry-cap/capportal/internal/auth"
	"github.com/coventry-cap/capportal/web/pages"
)

// sessSecondFactorAt is when the person last confirmed a second-factor code (Unix seconds): at sign-in's
// second step and on the confirmation page.
const sessSecondFactorAt = "second_factor_at"

// stepUpWindow is how long a confirmation opens safeguarding records for (issue 13).
const stepUpWindow = 15 * time.Minute

// stepUpConfirmPath is the page that asks for a code and returns the person to next.
const stepUpConfirmPath = "/account/second-factor/confirm"

// stepUpFresh reports whether the session confirmed a second-factor code within the last 15 minutes on
// the server's clock.
func (s *Server) stepUpFresh(r *http.Request) bool {
	at := s.Sessions.GetInt64(r.Context(), sessSecondFactorAt)
	if at == 0 {
		return false
	}
	age := s.Clock.Now().Sub(time.Unix(at, 0))
	return age >= 0 && age < stepUpWindow
}

// requireStepUp lets a safeguarding page go on when the confirmation is fresh; otherwise it sends the
// person to confirm a code, to come back to this page, and reports false. It applies whatever the
// demo setting for the second factor says.
func (s *Server) requireStepUp(w http.ResponseWriter, r *http.Request) bool {
	if s.stepUpFresh(r) {
		return true
	}
	back := r.URL.RequestURI()
	if r.Method != http.MethodGet && auth.FromContext(r.Context()).SecondFactor {
		// A form sent after the confirmation ran out: ask for the code here, not with a redirect, so
		// the one-time form token is given back (a redirect would count as the form's answer) and the
		// person returns to the same form, ?kind= and all, once the code is given.
		s.render(w, r, http.StatusForbidden, pages.SecondFactorCode(s.page(r, "Confirm it is you"), stepUpView(back)))
		return false
	}
	http.Redirect(w, r, stepUpConfirmPath+"?next="+url.QueryEscape(back), http.StatusSeeOther)
	return false
}
