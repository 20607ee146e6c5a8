package ui

import (
	"net/http"

	"github.com/coventry-cap/capportal/web/pages"
)

func (s *Server) accessibility(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, pages.Accessibility(s.page(r, "Accessibility statement")))
}

func (s *Server) privacy(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, pages.Privacy(s.page(r, "Privacy notice")))
}
