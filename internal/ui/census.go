package ui

import (
	"bytes"
	"net/http"
	"strconv"

	"github.com/coventry-cap/capportal/internal/auth"
	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/placement"
	"github.com/coventry-cap/capportal/internal/school"
	"github.com/coventry-cap/capportal/web/components"
	"github.com/coventry-cap/capportal/web/pages"
)

// censusFilter reads the census page's year (the current one by default) and school (CAP only).
func (s *Server) censusFilter(r *http.Request, vals func(string) string) placement.CensusFilter {
	f := placement.CensusFilter{Year: vals("year")}
	if _, ok := calendar.LookupAcademicYear(f.Year); !ok {
		f.Year = calendar.AcademicYearCode(calendar.DateOf(s.Clock.Now()))
	}
	if id, err := strconv.ParseInt(vals("school"), 10, 64); err == nil && id > 0 {
		f.SchoolID = id
	}
	return f
}

func censusQuery(f placement.CensusFilter) string {
	q := "year=" + urlQueryEscape(f.Year)
	if f.SchoolID != 0 {
		q += "&school=" + itoa(f.SchoolID)
	}
	return q
}

// censusShow previews the census export of the year and takes the reasons and associations.
func (s *Server) censusShow(w http.ResponseWriter, r *http.Request) {
	s.renderCensus(w, r, http.StatusOK, s.censusFilter(r, r.URL.Query().Get), nil, nil)
}

func (s *Server) renderCensus(w http.ResponseWriter, r *http.Request, status int, f placement.CensusFilter, typed map[string]string, errs components.Errors) {
	ctx := r.Context()
	p := auth.FromContext(ctx)
	rows, err := s.placements.Census(ctx, placementActor(r), f)
	if s.failed(w, r, err) {
		return
	}
	v := pages.CensusView{Year: f.Year, CSVHref: "/census.csv?" + censusQuery(f), Action: "/census", Errors: errs,
		CanRecord: p.HasAny(auth.Coordinator, auth.Headteacher, auth.CAPAdmin)}
	if f.SchoolID != 0 {
		v.School = itoa(f.SchoolID)
	}
	today := calendar.DateOf(s.Clock.Now())
	for _, y := range calendar.AcademicYears() {
		if y.Start.After(today) {
			continue
		}
		v.YearOptions = append(v.YearOptions, components.Option{Value: y.Code, Label: y.Code, Selected: y.Code == f.Year})
	}
	if p.HasAny(auth.CAPAdmin, auth.MonitoringOfficer, auth.CAPDSL, auth.ServiceLead) {
		schools, _, err := s.schools.List(ctx, p, school.ListFilter{Year: f.Year}, 1000)
		if s.failed(w, r, err) {
			return
		}
		v.Schools = []components.Option{{Value: "", Label: "Every school", Selected: f.SchoolID == 0}}
		for _, sc := range schools {
			v.Schools = append(v.Schools, components.Option{Value: itoa(sc.ID), Label: sc.Name, Selected: sc.ID == f.SchoolID})
		}
	}
	options := func(codes []placement.CensusCode, chosen string) []components.Option {
		out := []components.Option{{Value: "", Label: "Not recorded", Selected: chosen == ""}}
		for _, c := range codes {
			out = append(out, components.Option{Value: c.Code, Label: c.Code + ": " + c.Label, Selected: c.Code == chosen})
		}
		return out
	}
	for _, row := range rows {
		reason, association := row.Reason, row.Association
		rf, af := placement.CensusReasonField(row.PlacementID), placement.CensusAssociationField(row.PlacementID)
		if typed != nil {
			reason, association = typed[rf], typed[af]
		}
		if reason == "" || association == "" {
			v.Missing++
		}
		setting := "UKPRN " + row.UKPRN
		switch {
		case row.URN != "":
			setting = "URN " + row.URN
		case row.SettingType != "":
			setting = "Setting type " + row.SettingType + " (" + placement.CodeLabel(placement.SettingTypes, row.SettingType) + ")"
		}
		leaving := "Still attending"
		if !row.LeavingDate.IsZero() {
			leaving = "Left " + row.LeavingDate.Format()
		}
		name := row.Forename + " " + row.Surname
		v.Rows = append(v.Rows, pages.CensusRow{Student: name, Label: name, UPN: row.UPN, School: row.SchoolName, Setting: row.ProviderName + ", " + setting,
			Entry: row.EntryDate.Format(), Leaving: leaving, Sessions: strconv.Itoa(row.SessionsPerWeek) + " sessions a week", Pattern: row.AttendancePattern,
			ReasonField: rf, ReasonOptions: options(placement.CensusReasons, reason), ReasonError: errs.For(rf),
			AssociationField: af, AssocOptions: options(placement.CensusAssociations, association), AssociationError: errs.For(af)})
	}
	lp := s.page(r, "School census: alternative provision placements")
	lp.HasErrors = errs.Any()
	s.render(w, r, status, pages.Census(lp, v))
}

// censusSave records the reasons and associations chosen on the census page.
func (s *Server) censusSave(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	f := s.censusFilter(r, r.PostForm.Get)
	rows, err := s.placements.Census(r.Context(), placementActor(r), f)
	if s.failed(w, r, err) {
		return
	}
	typed := map[string]string{}
	var entries []placement.CensusEntry
	for _, row := range rows {
		rf, af := placement.CensusReasonField(row.PlacementID), placement.CensusAssociationField(row.PlacementID)
		typed[rf], typed[af] = r.PostForm.Get(rf), r.PostForm.Get(af)
		if typed[rf] == row.Reason && typed[af] == row.Association {
			continue
		}
		entries = append(entries, placement.CensusEntry{PlacementID: row.PlacementID, Reason: typed[rf], Association: typed[af]})
	}
	n, err := s.placements.RecordCensus(r.Context(), placementActor(r), entries)
	var errs components.Errors
	if problemsIn(err, &errs) {
		s.renderCensus(w, r, http.StatusUnprocessableEntity, f, typed, errs)
		return
	}
	if s.refuseRequest(w, r, "School census", pages.Link{Text: "Back to the census", Href: "/census?" + censusQuery(f)}, err) {
		return
	}
	s.flash(r.Context(), "Saved "+strconv.Itoa(n)+" placements’ census details")
	http.Redirect(w, r, "/census?"+censusQuery(f), http.StatusSeeOther)
}

// censusCSV downloads the census export: every school's for CAP, its own for a school.
func (s *Server) censusCSV(w http.ResponseWriter, r *http.Request) {
	f := s.censusFilter(r, r.URL.Query().Get)
	rows, err := s.placements.Census(r.Context(), placementActor(r), f)
	if s.failed(w, r, err) {
		return
	}
	var buf bytes.Buffer
	if err := placement.WriteCensusCSV(&buf, rows); err != nil {
		s.serverError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+placement.CensusFileName(f.Year, s.Clock.Now())+`"`)
	_, _ = buf.WriteTo(w)
}
