package ui

import (
	"errors"
	"net/http"

	"github.com/coventry-cap/capportal/internal/panel"
)

// panelCaseMove moves a case still to decide one place up or down its agenda.
func (s *Server) panelCaseMove(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	id, ok := idParam(r, "id")
	if !ok {
		s.notFound(w, r)
		return
	}
	if !s.parseForm(w, r) {
		return
	}
	c, err := s.panels.GetCase(ctx, id)
	if s.failed(w, r, err) {
		return
	}
	back := panelAgendaHref(c.RoundID, c.Panel)
	dir := r.PostForm.Get("direction")
	if dir != "up" && dir != "down" {
		s.renderError(w, r, http.StatusBadRequest, "The form could not be read", "Go back to the agenda, reload the page and try again.")
		return
	}
	if c.Decided() {
		s.flashError(ctx, c.Reference+" has been decided, so it keeps its place on the agenda")
		http.Redirect(w, r, back, http.StatusSeeOther)
		return
	}
	err = s.panels.MoveCase(ctx, s.Clock.Now(), panelActorOf(r), c.ID, dir == "up")
	switch {
	case errors.Is(err, panel.ErrCannotMove):
		where := "last"
		if dir == "up" {
			where = "first"
		}
		s.flashError(ctx, c.Reference+" is already "+where+" on the agenda, so it cannot move "+dir)
	case s.failed(w, r, err):
		return
	default:
		s.flash(ctx, c.Reference+" moved "+dir+" the agenda")
	}
	http.Redirect(w, r, back, http.StatusSeeOther)
}
