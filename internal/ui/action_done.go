package ui

import (
	"errors"
	"net/http"

	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/placement"
	"github.com/coventry-cap/capportal/web/pages"
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

// meetingActionsDueView shows someone's open meeting actions due soon or overdue on today, for their
// dashboard; each can be marked done there, coming back to next. It names no student.
func meetingActionsDueView(list []placement.ActionDue, today calendar.Date, next string) pages.MeetingActionsDueView {
	v := pages.MeetingActionsDueView{Heading: "Meeting actions due", More: len(list) >= placement.MaxActionsDue}
	for _, a := range list {
		row := pages.ActionDueRow{Action: a.Action, Due: a.Due.Format(), Tag: "Due soon", TagColour: "yellow",
			MeetingText: a.Kind.Label() + " on " + a.HeldOn.Format() + ", " + a.Reference + " at " + a.Provider,
			MeetingHref: placement.MeetingURL(a.MeetingID), DoneAction: actionDoneHref(a.ActionID), Next: next}
		if a.Overdue(today) {
			row.Tag, row.TagColour = "Overdue", "red"
		}
		v.Rows = append(v.Rows, row)
	}
	return v
}

// meetingActionsDue is the signed-in person's meeting actions due soon or overdue, for their
// dashboard (the dashboard renders pages.MeetingActionsDue with it).
func (s *Server) meetingActionsDue(r *http.Request) (pages.MeetingActionsDueView, error) {
	today := calendar.Today(s.Clock)
	a := monitoringActor(r)
	if a.Principal == nil {
		return pages.MeetingActionsDueView{}, nil
	}
	list, err := s.placements.ActionsDue(r.Context(), a.Principal.UserID, today)
	if err != nil {
		return pages.MeetingActionsDueView{}, err
	}
	return meetingActionsDueView(list, today, "/"), nil
}
