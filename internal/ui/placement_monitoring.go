package ui

import (
	"fmt"
	"net/http"

	"github.com/coventry-cap/capportal/internal/auth"
	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/placement"
	"github.com/coventry-cap/capportal/web/components"
	"github.com/coventry-cap/capportal/web/pages"
)

// placementMonitoringSection is the "Monitoring" section of the placement's page, for p as the
// handler read it for the principal (through View, which recorded the view): the latest review, the
// next review date, incidents, meetings with actions still open, and what the principal may record.
func (s *Server) placementMonitoringSection(r *http.Request, p placement.Placement) (pages.PlacementMonitoringSectionView, error) {
	today := calendar.Today(s.Clock)
	sum, err := s.placements.Summary(r.Context(), monitoringActor(r), p, today)
	if err != nil {
		return pages.PlacementMonitoringSectionView{}, err
	}
	v := monitoringSectionOf(sum)
	v.Heading, v.Href = "Monitoring", placementMonitoringHref(p.ID)
	v.Links = recordLinks(auth.FromContext(r.Context()), p)
	return v, nil
}

// monitoringSectionOf shows the summary's figures, each as recorded (nothing when nothing is).
func monitoringSectionOf(sum placement.Summary) pages.PlacementMonitoringSectionView {
	var v pages.PlacementMonitoringSectionView
	latest := "None recorded yet"
	if sum.LatestReview != nil {
		latest = sum.LatestReview.HeldOn.Format()
	}
	next := "No review date set"
	if !sum.NextReviewDue.IsZero() {
		next = sum.NextReviewDue.Format()
	}
	v.Rows = []components.SummaryRow{
		{Key: "Latest progress review", Value: latest},
		{Key: "Next review due", Value: next},
		{Key: "Behaviour incidents", Value: countText(sum.Incidents, "None recorded", "1 recorded", "%d recorded")},
		{Key: "Attendance and behaviour meetings", Value: countText(sum.Meetings, "None recorded", "1 recorded", "%d recorded") +
			countText(len(sum.OpenMeetings), "", ", 1 with actions still open", ", %d with actions still open")},
	}
	for _, m := range sum.OpenMeetings {
		text := m.Kind.Label() + " on " + m.HeldOn.Format() + ": " + countText(m.Open, "", "1 action open", "%d actions open")
		if m.Overdue > 0 {
			text += fmt.Sprintf(", %d overdue", m.Overdue)
		}
		v.Meetings = append(v.Meetings, pages.Link{Text: text, Href: placement.MeetingURL(m.ID)})
	}
	return v
}

// countText words a count: none, one, or many (with %d).
func countText(n int, none, one, many string) string {
	switch n {
	case 0:
		return none
	case 1:
		return one
	}
	return fmt.Sprintf(many, n)
}

// placementMonitoring is the placement's progress reviews, behaviour incidents and meetings, newest
// first, for the school, the provider and CAP; the view is recorded.
func (s *Server) placementMonitoring(w http.ResponseWriter, r *http.Request) {
	id, ok := idParam(r, "id")
	if !ok {
		s.notFound(w, r)
		return
	}
	ctx := r.Context()
	a := monitoringActor(r)
	mon, err := s.placements.Monitoring(ctx, a, id)
	if s.failed(w, r, err) {
		return
	}
	p := mon.Placement
	today := calendar.Today(s.Clock)
	sum, err := s.placements.Summary(ctx, a, p, today)
	if s.failed(w, r, err) {
		return
	}
	v := pages.MonitoringPageView{Caption: monitoringCaption(p), Heading: "Monitoring", Back: placementPageHref(p.ID),
		Summary: monitoringSectionOf(sum), Links: recordLinks(a.Principal, p)}
	v.Summary.Heading = "Summary"
	meetingsTo := placement.RecordsMeetings(a.Principal, p.ProviderID)
	for _, rv := range mon.Reviews {
		c := pages.RecordCard{ID: "review-" + itoa(rv.ID), Title: "Progress review on " + rv.HeldOn.Format()}
		c.Rows = append(c.Rows, textRow("Who took part", rv.Participants, "Not recorded"))
		for _, op := range rv.Progress {
			c.Rows = append(c.Rows, textRow(op.Objective, op.Progress, "Not recorded"))
		}
		c.Rows = append(c.Rows, textRow("Targets", rv.Targets, "None set"))
		next := "None set"
		if !rv.NextReview.IsZero() {
			next = rv.NextReview.Format()
		}
		c.Rows = append(c.Rows, components.SummaryRow{Key: "Next review", Value: next},
			components.SummaryRow{Key: "Recorded by", Value: rv.RecordedBy + " on " + calendar.DateOf(rv.RecordedAt).Format()})
		v.Reviews = append(v.Reviews, c)
	}
	for _, inc := range mon.Incidents {
		c := pages.RecordCard{ID: "incident-" + itoa(inc.ID), Title: "Behaviour incident on " + inc.When()}
		c.Rows = []components.SummaryRow{
			textRow("What happened", inc.What, "Not recorded"),
			textRow("Action taken", inc.ActionTaken, "Not recorded"),
			textRow("Who was told", inc.WhoTold, "Not recorded"),
			textRow("CPOMS reference", inc.CPOMSRef, "Not recorded on CPOMS"),
			{Key: "Recorded by", Value: inc.RecordedBy + " on " + calendar.DateOf(inc.RecordedAt).Format()},
		}
		switch {
		case inc.MeetingID != 0:
			c.Link = pages.Link{Text: "See the behaviour meeting about it", Href: placement.MeetingURL(inc.MeetingID)}
		case meetingsTo:
			c.Link, c.LinkButton = pages.Link{Text: "Arrange a behaviour meeting", Href: meetingNewHref(p.ID, placement.BehaviourMeeting, inc.ID)}, true
		}
		v.Incidents = append(v.Incidents, c)
	}
	for _, m := range mon.Meetings {
		row := pages.MeetingRow{Title: m.Kind.Label() + " on " + m.HeldOn.Format(), Href: placement.MeetingURL(m.ID), CompletedBy: completedByShort(m.CompletedBy)}
		open, overdue := m.Open(today)
		switch {
		case len(m.Actions) == 0:
			row.Actions = "None agreed"
		case open == 0:
			row.Actions = countText(len(m.Actions), "", "Done", "All %d done")
		case overdue > 0:
			row.Actions, row.ActionsColor = fmt.Sprintf("%d open, %d overdue", open, overdue), "red"
		default:
			row.Actions = fmt.Sprintf("%d open of %d", open, len(m.Actions))
		}
		v.Meetings = append(v.Meetings, row)
	}
	s.render(w, r, http.StatusOK, pages.MonitoringPage(s.page(r, "Monitoring: "+p.StudentName), v))
}

// completedByShort says who completed a meeting's record, for a table.
func completedByShort(c placement.CompletedBy) string {
	if c == placement.ByProvider {
		return "The provider (no Monitoring Officer present)"
	}
	return "CAP Monitoring Officer"
}
