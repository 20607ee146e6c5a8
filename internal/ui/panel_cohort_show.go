package ui

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/coventry-cap/capportal/internal/auth"
	"github.com/coventry-cap/capportal/internal/db"
	"github.com/coventry-cap/capportal/internal/directory"
	"github.com/coventry-cap/capportal/internal/panel"
	"github.com/coventry-cap/capportal/internal/referral"
	"github.com/coventry-cap/capportal/web/components"
	"github.com/coventry-cap/capportal/web/pages"
)

// panelCohortLoad loads the {id} cohort for the person: a start with places (a Flourish start date has
// none), not a draft unless they are a CAP admin; provider staff only for a programme their provider
// runs. ok is false when the response has been written.
func (s *Server) panelCohortLoad(w http.ResponseWriter, r *http.Request) (panel.Start, bool) {
	ctx := r.Context()
	p := auth.FromContext(ctx)
	id, ok := idParam(r, "id")
	if !ok {
		s.notFound(w, r)
		return panel.Start{}, false
	}
	c, err := s.panels.GetStart(ctx, id)
	if errors.Is(err, db.ErrNotFound) || (err == nil && (c.Capacity == 0 || (c.Draft && !p.Has(auth.CAPAdmin)))) {
		s.notFound(w, r)
		return c, false
	}
	if err != nil {
		s.serverError(w, r, err)
		return c, false
	}
	if !panelViewers.Allows(p) {
		runs, err := s.directory.ProviderRunsKind(ctx, p.OrgIDsWith(auth.ProviderStaff), directory.Kind(c.Kind))
		if err != nil {
			s.serverError(w, r, err)
			return c, false
		}
		if !runs {
			s.renderError(w, r, http.StatusForbidden, "You do not have access to this page",
				"Only the provider that runs "+c.Kind.Label()+", CAP and the panel members see its cohorts.")
			return c, false
		}
	}
	return c, true
}

// panelCohortView prepares the cohort's page.
func (s *Server) panelCohortView(r *http.Request, c panel.Start) (pages.PanelCohortView, error) {
	ctx, p := r.Context(), auth.FromContext(r.Context())
	v := pages.PanelCohortView{Caption: c.AcademicYear, Heading: c.Title(), OfferAction: panelCohortHref(c.ID) + "/offer"}
	if panelCalendarViewers.Allows(p) {
		v.Back = "/panels"
	}
	occ, err := s.panels.OccupancyOf(ctx, c.ID)
	if err != nil {
		return v, err
	}
	places, err := s.panels.CohortPlaces(ctx, s.Clock.Now(), panelActorOf(r), c.ID)
	if err != nil {
		return v, err
	}
	waiting, err := s.panels.WaitingList(ctx, c.ID)
	if err != nil {
		return v, err
	}
	dates := stated(c.StartsWeekday, c.Starts)
	if !c.Ends.IsZero() {
		dates += " to " + stated(c.EndsWeekday, c.Ends)
	}
	if c.Note != "" {
		dates += " (" + c.Note + ")"
	}
	v.Summary = []components.SummaryRow{
		{Key: "Dates", Value: dates},
		{Key: "Places", Value: strconv.Itoa(occ.Capacity)},
		{Key: "Placed", Value: strconv.Itoa(occ.Placed)},
		{Key: "Free places", Value: strconv.Itoa(occ.Free())},
		{Key: "Waiting list", Value: strconv.Itoa(occ.Waiting)},
	}
	byID := map[int64]panel.CohortPlace{}
	for _, pl := range places {
		byID[pl.ID] = pl
		if pl.Status == panel.Placed {
			v.Placed = append(v.Placed, panelCohortRowOf(len(v.Placed)+1, pl))
		}
	}
	for _, w := range waiting {
		if pl, ok := byID[w.ID]; ok {
			v.Waiting = append(v.Waiting, panelCohortRowOf(len(v.Waiting)+1, pl))
		}
	}
	if p.Has(auth.CAPAdmin) && len(v.Waiting) > 0 {
		later, err := s.panels.LaterCohorts(ctx, c)
		if err != nil {
			return v, err
		}
		v.CanOffer = len(later) > 0
		v.OfferOptions = []components.Option{{Value: "", Label: "Choose a cohort"}}
		for _, st := range later {
			v.OfferOptions = append(v.OfferOptions, components.Option{Value: itoa(st.ID),
				Label: st.Title() + " (" + st.AcademicYear + "), from " + referral.WeekdayDate(st.Starts)})
		}
	}
	return v, nil
}

func panelCohortRowOf(n int, p panel.CohortPlace) pages.PanelCohortRow {
	return pages.PanelCohortRow{Number: strconv.Itoa(n), Reference: p.Reference, Href: "/referrals/" + p.Reference,
		Student: p.StudentName, School: p.SchoolName}
}

// panelCohortShow is a cohort: its dates and places, who is placed, and the waiting list in the order
// places are offered; CAP admins offer the waiting list places in a later cohort.
func (s *Server) panelCohortShow(w http.ResponseWriter, r *http.Request) {
	c, ok := s.panelCohortLoad(w, r)
	if !ok {
		return
	}
	v, err := s.panelCohortView(r, c)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, pages.PanelCohort(s.page(r, v.Heading), v))
}
