package ui

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/coventry-cap/capportal/internal/auth"
	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/input"
	"github.com/coventry-cap/capportal/internal/placement"
	"github.com/coventry-cap/capportal/web/components"
	"github.com/coventry-cap/capportal/web/pages"
)

// What the monitoring pages share: who acts, where things are, the one-time form token, dates.

// monitoringActor is the principal as the placement store's actor.
func monitoringActor(r *http.Request) placement.Actor {
	return placement.Actor{Principal: auth.FromContext(r.Context()), RequestID: RequestID(r.Context())}
}

func placementPageHref(id int64) string       { return "/placements/" + itoa(id) }
func placementMonitoringHref(id int64) string { return placementPageHref(id) + "/monitoring" }
func reviewNewHref(id int64) string           { return placementPageHref(id) + "/reviews/new" }
func incidentNewHref(id int64) string         { return placementPageHref(id) + "/incidents/new" }
func actionDoneHref(id int64) string          { return "/actions/" + itoa(id) + "/done" }

// meetingNewHref is the meeting form of the kind, following the incident when one is given.
func meetingNewHref(id int64, kind placement.MeetingKind, incidentID int64) string {
	q := url.Values{"kind": {string(kind)}}
	if incidentID != 0 {
		q.Set("incident", itoa(incidentID))
	}
	return placementPageHref(id) + "/meetings/new?" + q.Encode()
}

// monitoringCaption names the student and where they are placed: "Kai Adeyemi-Brown at Ridgeway Motor Skills".
func monitoringCaption(p placement.Placement) string { return p.StudentName + " at " + p.ProviderName }

// recordLinks are what the principal may record about the placement.
func recordLinks(pr *auth.Principal, p placement.Placement) []pages.Link {
	var out []pages.Link
	if placement.RecordsProgress(pr, p.ProviderID) {
		out = append(out, pages.Link{Text: "Record a progress review", Href: reviewNewHref(p.ID)},
			pages.Link{Text: "Record a behaviour incident", Href: incidentNewHref(p.ID)})
	}
	if placement.RecordsMeetings(pr, p.ProviderID) {
		out = append(out, pages.Link{Text: "Record an attendance meeting", Href: meetingNewHref(p.ID, placement.AttendanceMeeting, 0)},
			pages.Link{Text: "Record a behaviour meeting", Href: meetingNewHref(p.ID, placement.BehaviourMeeting, 0)})
	}
	return out
}

// formTokenOf reads the one-time token a monitoring form carries; ok is false (and the response
// written) when it is missing or malformed, which only a form not from the portal does.
func (s *Server) formTokenOf(w http.ResponseWriter, r *http.Request) (string, bool) {
	token := r.PostForm.Get("form_token")
	if !validStartToken(token) {
		s.renderError(w, r, http.StatusBadRequest, "The form could not be read", "Go back, reload the page and try again.")
		return "", false
	}
	return token, true
}

// freshFormToken is a new one-time token for a form being shown.
func (s *Server) freshFormToken(w http.ResponseWriter, r *http.Request) (string, bool) {
	token, err := newStartToken()
	if err != nil {
		s.serverError(w, r, err)
		return "", false
	}
	return token, true
}

// formDate reads the date input prefix from the posted form: the date (zero when all blank), the
// parts as typed, and the parts to mark when they do not make a date, whose message is added to errs.
func formDate(errs *components.Errors, f url.Values, prefix, label string) (d calendar.Date, day, month, year string, parts []string) {
	day, month, year = f.Get(prefix+"-day"), f.Get(prefix+"-month"), f.Get(prefix+"-year")
	d, msg, parts := stepDate(label, day, month, year)
	if msg != "" {
		errs.AddAt(prefix, prefix+"-"+firstOr(parts, "day"), msg)
	}
	return d, day, month, year, parts
}

// isDateField reports whether the field is a date input, whose error links to its day.
func isDateField(field string) bool {
	return field == "held" || field == "next" || field == "when" || strings.HasPrefix(field, "due-")
}

// addProblems adds a domain's problems to the form's errors, each date's linked to its day.
func addProblems(errs *components.Errors, ps input.Problems) {
	for _, p := range ps {
		if isDateField(p.Field) {
			errs.AddAt(p.Field, p.Field+"-day", p.Message)
		} else {
			errs.Add(p.Field, p.Message)
		}
	}
}

// exampleDateHint is a date input's hint with a recent example.
func exampleDateHint(today calendar.Date) string {
	ex := today.AddDays(-3)
	return "For example, " + strconv.Itoa(ex.Day) + " " + strconv.Itoa(int(ex.Month)) + " " + strconv.Itoa(ex.Year)
}

// recordRefused answers a store's refusal of a monitoring record: 403 for someone who may see the
// placement but not record this, 404 for what they may not see, 500 otherwise. It reports whether it answered.
func (s *Server) recordRefused(w http.ResponseWriter, r *http.Request, err error) bool {
	switch {
	case err == nil:
		return false
	case errors.Is(err, placement.ErrNotRecorder):
		s.renderError(w, r, http.StatusForbidden, "You cannot record this",
			"The provider’s staff and CAP record progress reviews and behaviour incidents. A CAP Monitoring Officer records attendance and behaviour meetings, or the provider’s staff when no Monitoring Officer is present.")
	case errors.Is(err, placement.ErrTokenUsed):
		s.renderError(w, r, http.StatusConflict, "This form was already used",
			"Go back to the placement’s monitoring page and open the form again.")
	case errors.Is(err, placement.ErrIncidentNotFound):
		s.notFound(w, r)
	default:
		return s.failed(w, r, err)
	}
	return true
}

// multiline shows text typed on several lines as lines.
func multiline(text string) []string {
	var out []string
	for _, l := range strings.Split(text, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// textRow is a summary row of text that may run over several lines; empty shows as none.
func textRow(key, text, none string) components.SummaryRow {
	lines := multiline(text)
	switch len(lines) {
	case 0:
		return components.SummaryRow{Key: key, Value: none}
	case 1:
		return components.SummaryRow{Key: key, Value: lines[0]}
	}
	return components.SummaryRow{Key: key, ValueHTML: pages.DirectoryLines(lines)}
}
