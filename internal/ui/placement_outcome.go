package ui

import (
	"context"
	"net/http"

	"github.com/coventry-cap/capportal/internal/auth"
	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/placement"
	"github.com/coventry-cap/capportal/web/components"
	"github.com/coventry-cap/capportal/web/pages"
)

const outcomeTitle = "Outcome of the placement"

// outcomeForm is what was typed on the outcome page.
type outcomeForm struct {
	errs                             components.Errors
	outcome, day, month, year, notes string
	parts                            []string
	name, level, body                string
}

// outcomeShow is a placement's outcome page.
func (s *Server) outcomeShow(w http.ResponseWriter, r *http.Request) {
	p, ok := load(s, w, r, "id", func(ctx context.Context, id int64) (placement.Placement, error) {
		return s.placements.View(ctx, placementActor(r), id, "outcome")
	})
	if !ok {
		return
	}
	s.renderOutcome(w, r, http.StatusOK, p, outcomeForm{})
}

func (s *Server) renderOutcome(w http.ResponseWriter, r *http.Request, status int, p placement.Placement, f outcomeForm) {
	ctx := r.Context()
	a := placementActor(r)
	pr := auth.FromContext(ctx)
	e, err := s.placements.EndingOf(ctx, a, p.ID)
	if s.failed(w, r, err) {
		return
	}
	today := calendar.DateOf(s.Clock.Now())
	v := pages.OutcomeView{
		RequestHeader: pages.RequestHeader{Caption: p.StudentName, Heading: outcomeTitle, Back: backToPlacement(p.ID), Errors: dateAnchors(f.errs, "last")},
		Placement:     placementRows(p, today),
		LastDay:       f.day, LastMonth: f.month, LastYear: f.year, LastParts: f.parts, Notes: f.notes,
		QualName: f.name, QualLevel: f.level, QualBody: f.body,
	}
	if e.Outcome != "" {
		v.Outcome = []components.SummaryRow{{Key: "Outcome", Value: e.Outcome.Label()}}
		if !p.EndedOn.IsZero() {
			v.Outcome = append(v.Outcome, components.SummaryRow{Key: "Last day", Value: p.EndedOn.Format()})
		}
		if e.Notes != "" {
			v.Outcome = append(v.Outcome, components.SummaryRow{Key: "Notes", Value: e.Notes})
		}
		v.Outcome = append(v.Outcome, components.SummaryRow{Key: "Recorded", Value: signed(e.Recorded)})
	}
	for _, q := range e.Qualifications {
		v.Qualifications = append(v.Qualifications, components.SummaryRow{Key: q.Name, Value: qualificationText(q) + ", recorded " + signed(q.Recorded)})
	}
	if placement.MayRecordOutcome(pr) {
		v.OutcomeAction = placementHref(p.ID) + "/outcome"
		v.AskLastDay = p.EndedOn.IsZero()
		chosen := f.outcome
		if chosen == "" {
			chosen = string(e.Outcome)
		}
		for _, o := range placement.Outcomes {
			v.OutcomeItems = append(v.OutcomeItems, components.Choice{Value: string(o), Label: o.Label(), Checked: chosen == string(o)})
		}
		if f.notes == "" && !f.errs.Any() {
			v.Notes = e.Notes
		}
	}
	if placement.MayAddQualification(pr, p) {
		v.QualificationAction = placementHref(p.ID) + "/qualifications"
	}
	if p.YearGroup == 11 {
		d, err := s.placements.DestinationOf(ctx, a, p.StudentID, calendar.AcademicYearCode(today))
		if s.failed(w, r, err) {
			return
		}
		v.DestinationText = destinationText(d)
		if placement.MayRecordDestination(pr, p.SchoolID) {
			v.Destination = pages.Link{Text: "Record the post-16 destination", Href: "/students/" + itoa(p.StudentID) + "/destination"}
		} else if pr.HasAny(auth.Coordinator, auth.Headteacher, auth.SchoolDSL, auth.CAPAdmin, auth.MonitoringOfficer, auth.CAPDSL, auth.ServiceLead) {
			v.Destination = pages.Link{Text: "See the post-16 destination", Href: "/students/" + itoa(p.StudentID) + "/destination"}
		}
	}
	lp := s.page(r, outcomeTitle)
	lp.HasErrors = v.Errors.Any()
	s.render(w, r, status, pages.PlacementOutcome(lp, v))
}

// destinationText describes a recorded destination: "Further education, confirmed on 20 November 2026".
func destinationText(d placement.StudentDestination) string {
	switch {
	case d.Destination == "":
		return "No post-16 destination has been recorded."
	case d.Destination == placement.NotKnown:
		return "Not known yet."
	}
	return d.Destination.Label() + ", confirmed on " + d.ConfirmedOn.Format()
}

// outcomeSave is CAP recording how the placement ended.
func (s *Server) outcomeSave(w http.ResponseWriter, r *http.Request) {
	p, ok := load(s, w, r, "id", func(ctx context.Context, id int64) (placement.Placement, error) {
		return s.placements.View(ctx, placementActor(r), id, "outcome")
	})
	if !ok || !s.parseForm(w, r) {
		return
	}
	var f outcomeForm
	var last calendar.Date
	f.outcome, f.notes = r.PostForm.Get("outcome"), r.PostForm.Get("notes")
	if p.EndedOn.IsZero() {
		last, f.day, f.month, f.year, f.parts = dateField(r, "last", "The student’s last day", &f.errs)
	}
	if !f.errs.Any() {
		err := s.placements.RecordOutcome(r.Context(), placementActor(r), p.ID, placement.OutcomeInput{Outcome: placement.Outcome(f.outcome), LastDay: last, Notes: f.notes})
		if !problemsIn(err, &f.errs) && s.refuseRequest(w, r, outcomeTitle, backToPlacement(p.ID), err) {
			return
		}
	}
	if f.errs.Any() {
		if p, ok = s.reloadPlacement(w, r, p.ID); ok {
			s.renderOutcome(w, r, http.StatusUnprocessableEntity, p, f)
		}
		return
	}
	s.flash(r.Context(), "Outcome recorded: "+placement.Outcome(f.outcome).Label())
	http.Redirect(w, r, placementHref(p.ID)+"/outcome", http.StatusSeeOther)
}

// reloadPlacement reads the placement again without a second audit row (the request has one).
func (s *Server) reloadPlacement(w http.ResponseWriter, r *http.Request, id int64) (placement.Placement, bool) {
	p, err := s.placements.Get(r.Context(), placementActor(r), id)
	return p, !s.failed(w, r, err)
}

// qualificationAdd is the provider or CAP recording a qualification achieved on the placement.
func (s *Server) qualificationAdd(w http.ResponseWriter, r *http.Request) {
	p, ok := load(s, w, r, "id", func(ctx context.Context, id int64) (placement.Placement, error) {
		return s.placements.View(ctx, placementActor(r), id, "outcome")
	})
	if !ok || !s.parseForm(w, r) {
		return
	}
	f := outcomeForm{name: r.PostForm.Get("name"), level: r.PostForm.Get("level"), body: r.PostForm.Get("awarding_body")}
	err := s.placements.AddQualification(r.Context(), placementActor(r), p.ID, placement.QualificationInput{Name: f.name, Level: f.level, AwardingBody: f.body})
	if problemsIn(err, &f.errs) {
		s.renderOutcome(w, r, http.StatusUnprocessableEntity, p, f)
		return
	}
	if s.refuseRequest(w, r, outcomeTitle, backToPlacement(p.ID), err) {
		return
	}
	s.flash(r.Context(), "Qualification added: "+f.name)
	http.Redirect(w, r, placementHref(p.ID)+"/outcome", http.StatusSeeOther)
}
