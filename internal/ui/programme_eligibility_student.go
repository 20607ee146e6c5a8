package ui

import (
	"net/http"

	"github.com/coventry-cap/capportal/internal/eligibility"
	"github.com/coventry-cap/capportal/web/pages"
)

// eligibilityStudent adds the chosen student's year group to the question and lists the school's
// students to choose from.
func (s *Server) eligibilityStudent(r *http.Request, schoolID int64, req *eligibility.Request, v *pages.EligibilityView) error {
	return nil
}
