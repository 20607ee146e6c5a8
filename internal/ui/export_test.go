package ui

import "net/http"

// RequireStepUpForTest lets tests outside the package mount a page behind the 15-minute step-up.
func (s *Server) RequireStepUpForTest(w http.ResponseWriter, r *http.Request) bool {
	return s.requireStepUp(w, r)
}
