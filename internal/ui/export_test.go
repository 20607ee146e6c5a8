package ui

import (
	"net/http"

	"github.com/coventry-cap/capportal/internal/auth"
)

// RequireStepUpForTest lets tests outside the package mount a page behind the 15-minute step-up.
func (s *Server) RequireStepUpForTest(w http.ResponseWriter, r *http.Request) bool {
	return s.requireStepUp(w, r)
}

// StepUpForTestPath is the test-only route that stands in for confirming a second-factor code.
const StepUpForTestPath = "/test-only/step-up"

// StepUpConfirmPath is where a stale step-up sends people.
const StepUpConfirmPath = stepUpConfirmPath

// AddStepUpForTest mounts, for tests only, a route that records a second-factor confirmation now
// on the server's clock, as the confirmation page does.
func AddStepUpForTest(rt *Routes) {
	s := rt.s
	rt.Handle(http.MethodPost, StepUpForTestPath, auth.SignedIn(), func(w http.ResponseWriter, r *http.Request) {
		s.Sessions.Put(r.Context(), sessSecondFactorAt, s.Clock.Now().Unix())
		w.WriteHeader(http.StatusNoContent)
	})
}
