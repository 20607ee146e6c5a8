package ui

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/input"
	"github.com/coventry-cap/capportal/internal/placement"
	"github.com/coventry-cap/capportal/web/components"
	"github.com/coventry-cap/capportal/web/pages"
)

// actionRowsOf reads the rows of actions the form sent: as many as it had (at least the form's
// first rows, at most maxMeetingActionRows), each as typed.
func actionRowsOf(f url.Values) []actionRow {
	n := meetingActionRows
	for key := range f {
		for _, prefix := range []string{"action-", "owner-", "due-"} {
			rest, ok := strings.CutPrefix(key, prefix)
			if !ok {
				continue
			}
			num, _, _ := strings.Cut(rest, "-")
			if i, err := strconv.Atoi(num); err == nil && i > n && i <= maxMeetingActionRows {
				n = i
			}
		}
	}
	rows := make([]actionRow, n)
	for i := range rows {
		due := placement.DueField(i + 1)
		rows[i] = actionRow{action: f.Get(placement.ActionField(i + 1)), owner: strings.TrimSpace(f.Get(placement.OwnerField(i + 1))),
			day: f.Get(due + "-day"), month: f.Get(due + "-month"), year: f.Get(due + "-year")}
	}
	return rows
}

// meetingCreate records the meeting and its actions, or shows the form again with what was typed and
// what to fix (422). "Add another action" shows the form again with one more row. The same form sent
// twice records one meeting.
func (s *Server) meetingCreate(w http.ResponseWriter, r *http.Request) {
	id, ok := idParam(r, "id")
	if !ok {
		s.notFound(w, r)
		return
	}
	if !s.parseForm(w, r) {
		return
	}
	f := r.PostForm
	kind, ok := meetingKindOf(f.Get("kind"))
	if !ok {
		s.renderError(w, r, http.StatusBadRequest, "The form could not be read", "Go back, reload the page and try again.")
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
	token, ok := s.formTokenOf(w, r)
	if !ok {
		return
	}
	inc, ok := s.meetingIncident(w, r, a, p, kind, f.Get("incident"))
	if !ok {
		return
	}
	owners, err := s.placements.ActionOwners(ctx, a, p.ID)
	if s.failed(w, r, err) {
		return
	}
	today := calendar.Today(s.Clock)
	rows := actionRowsOf(f)
	var errs components.Errors
	in := placement.MeetingInput{Kind: kind, CompletedBy: placement.CompletedBy(f.Get("completed_by")), Concerns: f.Get("concerns"), Token: token,
		Attendees: placement.Attendees{Provider: f.Get("provider"), School: f.Get("school"), CAP: f.Get("cap"), Parent: f.Get("parent")}}
	if inc != nil {
		in.IncidentID = inc.ID
	}
	switch f.Get("student") {
	case "yes":
		in.StudentAttended = ptrTo(true)
	case "no":
		in.StudentAttended = ptrTo(false)
	}
	var held, next typedDate
	in.HeldOn, held.day, held.month, held.year, held.parts = formDate(&errs, f, "held", "The date of the meeting")
	order := []string{"held", "completed_by", "provider", "school", "cap", "student", "parent", "concerns"}
	for i := range rows {
		n := i + 1
		due := placement.DueField(n)
		order = append(order, placement.ActionField(n), placement.OwnerField(n), due)
		if rows[i].blank() {
			continue
		}
		ac := placement.ActionInput{Row: n, Action: rows[i].action}
		if rows[i].owner != "" {
			if ac.OwnerID, err = strconv.ParseInt(rows[i].owner, 10, 64); err != nil || ac.OwnerID <= 0 {
				ac.OwnerID = -1 // not one of the owners offered
			}
		}
		ac.Due, _, _, _, rows[i].parts = formDate(&errs, f, due, "The due date of action "+strconv.Itoa(n))
		in.Actions = append(in.Actions, ac)
	}
	order = append(order, "next")
	in.NextMeeting, next.day, next.month, next.year, next.parts = formDate(&errs, f, "next", "The date of the next meeting")

	show := func(status int) {
		if f.Get("add_action") != "" && len(rows) < maxMeetingActionRows {
			rows = append(rows, actionRow{})
		}
		v := meetingFormOf(a.Principal, p, kind, inc, owners, rows, today, token)
		v.HeldDay, v.HeldMonth, v.HeldYear, v.HeldParts = held.day, held.month, held.year, held.parts
		v.NextDay, v.NextMonth, v.NextYear, v.NextParts = next.day, next.month, next.year, next.parts
		v.Provider, v.School, v.CAP, v.Parent, v.Concerns = in.Attendees.Provider, in.Attendees.School, in.Attendees.CAP, in.Attendees.Parent, in.Concerns
		v.Student, v.CompletedBy = studentChoices(f.Get("student")), completedByChoices(f.Get("completed_by"))
		lp := s.page(r, v.Heading)
		if status == http.StatusUnprocessableEntity {
			v.Errors = errs.InOrder(order)
			lp.HasErrors = true
		}
		s.render(w, r, status, pages.MeetingForm(lp, v))
	}
	if f.Get("add_action") != "" {
		// Another row for an action: nothing is checked or saved yet.
		show(http.StatusOK)
		return
	}
	if errs.Any() {
		addProblems(&errs, in.Problems(a.Principal, p, owners, today))
		show(http.StatusUnprocessableEntity)
		return
	}
	m, created, err := s.placements.RecordMeeting(ctx, a, p.ID, in)
	var ps input.Problems
	switch {
	case errors.As(err, &ps):
		addProblems(&errs, ps)
		show(http.StatusUnprocessableEntity)
		return
	case s.recordRefused(w, r, err):
		return
	}
	msg := fmt.Sprintf("%s of %s saved with %s", m.Kind.Label(), m.HeldOn.Format(),
		countText(len(m.Actions), "no agreed actions", "1 agreed action", "%d agreed actions"))
	if !created {
		msg = "This " + strings.ToLower(m.Kind.Label()) + " was already saved"
	}
	s.flash(ctx, msg)
	http.Redirect(w, r, placement.MeetingURL(m.ID), http.StatusSeeOther)
}

func ptrTo[T any](v T) *T { return &v }

// typedDate is a date input's parts as typed, and the parts to mark.
type typedDate struct {
	day, month, year string
	parts            []string
}
