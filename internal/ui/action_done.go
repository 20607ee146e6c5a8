package ui

import (
	"errors"
	"net/http"

	"github.com/coventry-cap/capportal/internal/placement"
)

// actionDone marks a meeting's action done by its owner, and goes back to where the button was (the
// meeting, or the owner's dashboard). Marking it done twice changes nothing.
func (s *Server) actionDone(w http.ResponseWriter, r *http.Request) {
	id, ok := idParam(r, "id")
	if !ok {
		s.notFound(w, r)
		return
	}
	if !s.parseForm(w, r) {
		return
	}
	ctx := r.Context()
	ac, err := s.placements.MarkActionDone(ctx, monitoringActor(r), id)
	if errors.Is(err, placement.ErrNotOwner) {
		s.renderError(w, r, http.StatusForbidden, "Only the action’s owner marks it done",
			"Ask "+ac.OwnerName+", who owns the action, to mark it done when it is.")
		return
	}
	if s.failed(w, r, err) {
		return
	}
	s.flash(ctx, "Action marked as done: "+ac.Action)
	next := placement.MeetingURL(ac.MeetingID)
	if n := r.PostForm.Get("next"); n != "" {
		next = safeNext(n)
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}
