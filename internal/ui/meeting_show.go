package ui

import (
	"net/http"

	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/placement"
	"github.com/coventry-cap/capportal/web/components"
	"github.com/coventry-cap/capportal/web/pages"
)

// actionViewsOf shows a meeting's actions with their state on today; the viewer's own open ones can
// be marked done, coming back to next.
func actionViewsOf(actions []placement.Action, viewerID int64, today calendar.Date, next string) []pages.ActionView {
	var out []pages.ActionView
	for _, ac := range actions {
		v := pages.ActionView{Action: ac.Action, Owner: ac.OwnerName, Due: ac.Due.Format(), State: "Open", StateColour: "blue"}
		switch {
		case ac.Done():
			v.State, v.StateColour = "Done on "+calendar.DateOf(ac.DoneAt).Format(), "green"
		case ac.Overdue(today):
			v.State, v.StateColour = "Overdue", "red"
		}
		if !ac.Done() && ac.OwnerID == viewerID {
			v.DoneAction, v.Next = actionDoneHref(ac.ID), next
		}
		out = append(out, v)
	}
	return out
}

// attended shows who attended for a party, or that nobody did.
func attended(key, who string) components.SummaryRow {
	return textRow(key, who, "Nobody attended")
}

// meetingShow is a recorded meeting: who attended of each party, who completed the record, the
// concerns and the agreed actions with their state. It names the student, so the view is recorded.
func (s *Server) meetingShow(w http.ResponseWriter, r *http.Request) {
	id, ok := idParam(r, "id")
	if !ok {
		s.notFound(w, r)
		return
	}
	a := monitoringActor(r)
	m, p, err := s.placements.ViewMeeting(r.Context(), a, id)
	if s.failed(w, r, err) {
		return
	}
	today := calendar.Today(s.Clock)
	v := pages.MeetingPageView{Caption: monitoringCaption(p), Heading: m.Kind.Label() + " on " + m.HeldOn.Format(),
		Back: placementMonitoringHref(p.ID), Concerns: multiline(m.Concerns)}
	v.Rows = append(v.Rows, components.SummaryRow{Key: "Date", Value: m.HeldOn.Format()})
	if m.IncidentID != 0 {
		inc, err := s.placements.Incident(r.Context(), a, p.ID, m.IncidentID)
		if s.failed(w, r, err) {
			return
		}
		v.Rows = append(v.Rows, components.SummaryRow{Key: "Following", ValueHTML: pages.LinkTo("The behaviour incident on "+inc.When(),
			placementMonitoringHref(p.ID)+"#incident-"+itoa(inc.ID))})
	}
	student := "Did not attend"
	if m.Attendees.Student {
		student = "Attended"
	}
	next := "Not set"
	if !m.NextMeeting.IsZero() {
		next = m.NextMeeting.Format()
	}
	v.Rows = append(v.Rows,
		components.SummaryRow{Key: "Record completed by", Value: m.CompletedBy.Label()},
		attended("From the provider", m.Attendees.Provider),
		attended("From the school", m.Attendees.School),
		attended("From CAP", m.Attendees.CAP),
		components.SummaryRow{Key: "The student", Value: student},
		attended("Parent or carer", m.Attendees.Parent),
		components.SummaryRow{Key: "Next meeting", Value: next},
		components.SummaryRow{Key: "Recorded by", Value: m.RecordedBy + " on " + calendar.DateOf(m.RecordedAt).Format()},
	)
	var viewer int64
	if a.Principal != nil {
		viewer = a.Principal.UserID
	}
	v.Actions = actionViewsOf(m.Actions, viewer, today, placement.MeetingURL(m.ID))
	s.render(w, r, http.StatusOK, pages.MeetingPage(s.page(r, v.Heading), v))
}
