package ui

import (
	"errors"
	"net/http"

	"github.com/coventry-cap/capportal/internal/db"
	"github.com/coventry-cap/capportal/internal/panel"
)

// referralLetterShare is CAP sharing a case's outcome letter with the school.
func (s *Server) referralLetterShare(w http.ResponseWriter, r *http.Request) {
	ref, ok := s.loadReferral(w, r)
	if !ok {
		return
	}
	c, ok := s.letterCase(w, r, ref)
	if !ok {
		return
	}
	ctx := r.Context()
	err := s.referrals.ShareLetter(ctx, referralActor(r), ref, c.ID)
	switch {
	case err == nil:
		s.flash(ctx, "Outcome letter shared with "+ref.SchoolName)
	case errors.Is(err, panel.ErrLetterShared):
		s.flashError(ctx, "The outcome letter of the "+panel.PanelName(c.Panel)+" was already shared with the school, so nothing was changed.")
	case errors.Is(err, panel.ErrNotDecided):
		s.flashError(ctx, "The "+panel.PanelName(c.Panel)+" has not decided this case yet: its outcome letter can be shared once the decision is recorded.")
	case errors.Is(err, db.ErrNotFound):
		s.notFound(w, r)
		return
	default:
		s.serverError(w, r, err)
		return
	}
	http.Redirect(w, r, ref.URL(), http.StatusSeeOther)
}
