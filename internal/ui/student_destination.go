package ui

import (
	"net/http"
	"strconv"

	"github.com/coventry-cap/capportal/internal/auth"
	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/placement"
	"github.com/coventry-cap/capportal/web/components"
	"github.com/coventry-cap/capportal/web/pages"
)

// destinationForm is what was typed in the destination form.
type destinationForm struct {
	errs                                  components.Errors
	destination, day, month, year, detail string
	parts                                 []string
}

// destinationShow is a Year 11 student's post-16 destination page.
func (s *Server) destinationShow(w http.ResponseWriter, r *http.Request) {
	id, ok := idParam(r, "id")
	if !ok {
		s.notFound(w, r)
		return
	}
	s.renderDestination(w, r, http.StatusOK, id, nil)
}

func (s *Server) renderDestination(w http.ResponseWriter, r *http.Request, status int, id int64, form *destinationForm) {
	ctx := r.Context()
	st, err := s.students.View(ctx, studentActor(r), id, "post-16 destination")
	if s.failed(w, r, err) {
		return
	}
	year := calendar.AcademicYearCode(calendar.DateOf(s.Clock.Now()))
	v := pages.DestinationView{
		RequestHeader: pages.RequestHeader{Caption: st.Name(), Heading: "Post-16 destination", Back: pages.Link{Text: "Back to the student", Href: "/students/" + itoa(id)}},
		Year:          year, NotYear11: st.YearGroup != 11, Action: "/students/" + itoa(id) + "/destination",
		CanRecord: placement.MayRecordDestination(auth.FromContext(ctx), st.SchoolID) && st.YearGroup == 11,
	}
	d, err := s.placements.DestinationOf(ctx, placementActor(r), id, year)
	if s.failed(w, r, err) {
		return
	}
	if checkOn, err := s.placements.NEETCheckDate(ctx, year); s.failed(w, r, err) {
		return
	} else if !checkOn.IsZero() {
		v.NEETCheckOn = checkOn.Format()
	}
	if d.Destination != "" {
		v.Current = []components.SummaryRow{{Key: "Destination", Value: d.Destination.Label()}}
		if !d.ConfirmedOn.IsZero() {
			v.Current = append(v.Current, components.SummaryRow{Key: "Confirmed on", Value: d.ConfirmedOn.Format()})
		}
		if d.Detail != "" {
			v.Current = append(v.Current, components.SummaryRow{Key: "Detail", Value: d.Detail})
		}
		v.Current = append(v.Current, components.SummaryRow{Key: "Recorded", Value: signed(d.Recorded)})
	}
	chosen := string(d.Destination)
	if form != nil {
		chosen, v.Day, v.Month, v.YearPart, v.DateParts, v.Detail, v.Errors = form.destination, form.day, form.month, form.year, form.parts, form.detail, dateAnchors(form.errs, "confirmed")
	} else {
		v.Detail = d.Detail
		if !d.ConfirmedOn.IsZero() {
			v.Day, v.Month, v.YearPart = strconv.Itoa(d.ConfirmedOn.Day), strconv.Itoa(int(d.ConfirmedOn.Month)), strconv.Itoa(d.ConfirmedOn.Year)
		}
	}
	for _, dest := range placement.Destinations {
		v.Items = append(v.Items, components.Choice{Value: string(dest), Label: dest.Label(), Checked: chosen == string(dest)})
	}
	lp := s.page(r, "Post-16 destination")
	lp.HasErrors = v.Errors.Any()
	s.render(w, r, status, pages.StudentDestination(lp, v))
}

// destinationSave records the destination and the date it was confirmed.
func (s *Server) destinationSave(w http.ResponseWriter, r *http.Request) {
	id, ok := idParam(r, "id")
	if !ok {
		s.notFound(w, r)
		return
	}
	if !s.parseForm(w, r) {
		return
	}
	f := &destinationForm{destination: r.PostForm.Get("destination"), detail: r.PostForm.Get("detail")}
	var confirmed calendar.Date
	confirmed, f.day, f.month, f.year, f.parts = dateField(r, "confirmed", "The date confirmed", &f.errs)
	if !f.errs.Any() {
		err := s.placements.RecordDestination(r.Context(), placementActor(r), id, placement.DestinationInput{
			Destination: placement.Destination(f.destination), ConfirmedOn: confirmed, Detail: f.detail})
		if !problemsIn(err, &f.errs) && s.refuseRequest(w, r, "Post-16 destination", pages.Link{Text: "Back to the student", Href: "/students/" + itoa(id)}, err) {
			return
		}
	}
	if f.errs.Any() {
		s.renderDestination(w, r, http.StatusUnprocessableEntity, id, f)
		return
	}
	s.flash(r.Context(), "Post-16 destination saved: "+placement.Destination(f.destination).Label())
	http.Redirect(w, r, "/students/"+itoa(id)+"/destination", http.StatusSeeOther)
}
