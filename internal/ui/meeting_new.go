package ui

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/coventry-cap/capportal/internal/auth"
	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/placement"
	"github.com/coventry-cap/capportal/web/components"
	"github.com/coventry-cap/capportal/web/pages"
)

// The meeting form starts with this many rows of actions; "Add another action" adds one, up to the most.
const (
	meetingActionRows    = 3
	maxMeetingActionRows = 20
)

// actionRow is one row of actions as typed.
type actionRow struct {
	action, owner, day, month, year string
	parts                           []string
}

func (a actionRow) blank() bool {
	return strings.TrimSpace(a.action+a.owner+a.day+a.month+a.year) == ""
}

// meetingFormOf prepares the meeting form for the placement: its kind, the incident it follows, who
// completes the record (a monitoring officer does; provider staff say whether one was present) and
// the owners each action may have.
func meetingFormOf(pr *auth.Principal, p placement.Placement, kind placement.MeetingKind, inc *placement.Incident, owners []placement.Owner,
	rows []actionRow, today calendar.Date, token string) pages.MeetingFormView {
	v := pages.MeetingFormView{Caption: monitoringCaption(p), Heading: "Record " + strings.ToLower(kind.Label()), Back: placementMonitoringHref(p.ID),
		Token: token, Kind: string(kind), DateHint: exampleDateHint(today),
		ByMonitoringOfficer: placement.CompletedByFor(pr) == placement.ByMonitoringOfficer}
	if kind == placement.AttendanceMeeting {
		v.Heading = "Record an attendance meeting"
	} else {
		v.Heading = "Record a behaviour meeting"
	}
	incidentID := int64(0)
	if inc != nil {
		incidentID = inc.ID
		v.Incident = itoa(inc.ID)
		v.IncidentText = "This meeting follows the behaviour incident of " + inc.When() + "."
	}
	v.Action = meetingNewHref(p.ID, kind, incidentID)
	for i, a := range rows {
		n := i + 1
		row := pages.ActionRowForm{Row: n, Legend: "Action " + strconv.Itoa(n), ActionField: placement.ActionField(n), OwnerField: placement.OwnerField(n),
			DueField: placement.DueField(n), Action: a.action, DueDay: a.day, DueMonth: a.month, DueYear: a.year, DueParts: a.parts}
		row.Owners = []components.Option{{Value: "", Label: "Choose an owner", Selected: a.owner == ""}}
		for _, o := range owners {
			id := itoa(o.UserID)
			row.Owners = append(row.Owners, components.Option{Value: id, Label: o.Label(), Selected: a.owner == id})
		}
		v.Actions = append(v.Actions, row)
	}
	return v
}

// studentChoices and completedByChoices are the form's two yes-or-no questions, with the answer given.
func studentChoices(given string) []components.Choice {
	return []components.Choice{{Value: "yes", Label: "Yes", Checked: given == "yes"}, {Value: "no", Label: "No", Checked: given == "no"}}
}

func completedByChoices(given string) []components.Choice {
	return []components.Choice{
		{Value: string(placement.ByMonitoringOfficer), Label: "Yes", Hint: "The Monitoring Officer completes the record", Checked: given == string(placement.ByMonitoringOfficer)},
		{Value: string(placement.ByProvider), Label: "No, so I am completing the record for the provider", Checked: given == string(placement.ByProvider)},
	}
}

// meetingKindOf reads the meeting's kind; ok is false for anything else.
func meetingKindOf(s string) (placement.MeetingKind, bool) {
	k := placement.MeetingKind(s)
	return k, k.Valid()
}

// meetingIncident reads the incident a behaviour meeting follows, as the address or form names it:
// nil for none; ok is false (and the 404 page written) for one that is not the placement's, or for an
// attendance meeting.
func (s *Server) meetingIncident(w http.ResponseWriter, r *http.Request, a placement.Actor, p placement.Placement, kind placement.MeetingKind, raw string) (*placement.Incident, bool) {
	if raw == "" {
		return nil, true
	}
	incID, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || incID <= 0 || kind != placement.BehaviourMeeting {
		s.notFound(w, r)
		return nil, false
	}
	inc, err := s.placements.Incident(r.Context(), a, p.ID, incID)
	if s.failed(w, r, err) {
		return nil, false
	}
	return &inc, true
}

// meetingNew is the attendance or behaviour meeting form (?kind=attendance|behaviour), pre-filled from
// the behaviour incident it follows (&incident=N) and with the recorder as an attendee. It names the
// student, so the view is recorded.
func (s *Server) meetingNew(w http.ResponseWriter, r *http.Request) {
	id, ok := idParam(r, "id")
	if !ok {
		s.notFound(w, r)
		return
	}
	kind, ok := meetingKindOf(r.URL.Query().Get("kind"))
	if !ok {
		s.notFound(w, r)
		return
	}
	ctx := r.Context()
	a := monitoringActor(r)
	p, err := s.placements.View(ctx, a, id, strings.ToLower(kind.Label())+" form")
	if s.failed(w, r, err) {
		return
	}
	if !placement.RecordsMeetings(a.Principal, p.ProviderID) {
		s.recordRefused(w, r, placement.ErrNotRecorder)
		return
	}
	inc, ok := s.meetingIncident(w, r, a, p, kind, r.URL.Query().Get("incident"))
	if !ok {
		return
	}
	owners, err := s.placements.ActionOwners(ctx, a, p.ID)
	if s.failed(w, r, err) {
		return
	}
	token, ok := s.freshFormToken(w, r)
	if !ok {
		return
	}
	v := meetingFormOf(a.Principal, p, kind, inc, owners, make([]actionRow, meetingActionRows), calendar.Today(s.Clock), token)
	v.Student, v.CompletedBy = studentChoices(""), completedByChoices("")
	// Whoever records the meeting attended it.
	if v.ByMonitoringOfficer {
		v.CAP = a.Principal.Name
	} else {
		v.Provider = a.Principal.Name
	}
	if inc != nil {
		v.Concerns = "Behaviour incident on " + inc.When() + ": " + inc.What
		if inc.ActionTaken != "" {
			v.Concerns += "\nAction taken: " + inc.ActionTaken
		}
	}
	s.render(w, r, http.StatusOK, pages.MeetingForm(s.page(r, v.Heading), v))
}
