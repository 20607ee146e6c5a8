package ui

import (
	"net/http"
	"strconv"

	"github.com/coventry-cap/capportal/internal/panel"
	"github.com/coventry-cap/capportal/internal/pathway"
	"github.com/coventry-cap/capportal/web/components"
	"github.com/coventry-cap/capportal/web/pages"
)

// referralCohortShow shows the student's cohort place, or why they cannot be placed yet.
func (s *Server) referralCohortShow(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	ref := referralFrom(ctx)
	v := pages.CohortStepView{StepPage: refStepPage(ref, "Place in the cohort", pathway.PlaceInCohort)}
	place, err := s.academyPlace(ctx, ref.ID)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	switch {
	case !place.found:
		v.Blocked = "The student has no place in a cohort yet, so they cannot be placed."
		v.Do = "Give the student a place in a cohort on the cohort’s page."
	default:
		v.Place = []components.SummaryRow{
			{Key: "Cohort", Value: place.start.Title()},
			{Key: "Starts", Value: place.start.Starts.Weekday().String() + " " + place.start.Starts.Format()},
		}
		if !place.start.Ends.IsZero() {
			v.Place = append(v.Place, components.SummaryRow{Key: "Ends", Value: place.start.Ends.Weekday().String() + " " + place.start.Ends.Format()})
		}
		if place.place.Status == panel.Waiting {
			v.Place = append(v.Place, components.SummaryRow{Key: "Waiting list", Value: "Number " + strconv.Itoa(place.position)})
			v.Blocked = "The student is number " + strconv.Itoa(place.position) + " on the waiting list of " + place.start.Title() +
				", which is full, so they cannot be placed yet."
			v.Do = "CAP offers the waiting list places in the next cohort on the cohort’s page; the student can be placed once they have one."
		} else {
			v.Place = append(v.Place, components.SummaryRow{Key: "Days at the Academy", Value: "Tuesday to Friday for seven weeks, Mondays at the home school; then the three-week Back to School Phase"})
		}
	}
	s.render(w, r, http.StatusOK, pages.ReferralCohort(s.stepLayout(r, v.StepPage), v))
}

// referralCohort places the student in their cohort place: the placement starts on the cohort's
// first day. A student on the waiting list is refused with what to do.
func (s *Server) referralCohort(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	ref := referralFrom(ctx)
	if err := s.referrals.PlaceInCohort(ctx, referralActor(r), ref); err != nil {
		s.refuse(w, r, ref, err)
		return
	}
	msg := "Placed in the cohort"
	if place, err := s.academyPlace(ctx, ref.ID); err == nil && place.found {
		msg = "Placed in " + place.start.Title() + ", starting " + place.start.Starts.Format()
	}
	s.flash(ctx, msg)
	http.Redirect(w, r, ref.URL(), http.StatusSeeOther)
}
