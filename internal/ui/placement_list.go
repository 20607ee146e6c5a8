package ui

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"github.com/coventry-cap/capportal/internal/auth"
	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/placement"
	"github.com/coventry-cap/capportal/web/components"
	"github.com/coventry-cap/capportal/web/pages"
)

// placementPageSize is how many placements a page of the list shows.
const placementPageSize = 50

// placementList is the placements the person may see, newest first: a school its students', a
// provider its own learners, CAP all, current ones unless asked otherwise. CAP picks a provider to
// see its learners and their attendance this academic year; a provider sees its own.
func (s *Server) placementList(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p := auth.FromContext(ctx)
	sc := placement.ScopeFor(p)
	q := r.URL.Query()
	today := calendar.Today(s.Clock)

	show := q.Get("show")
	if show != "ended" && show != "all" {
		show = "current"
	}
	f := placement.ListFilter{Current: show == "current", Ended: show == "ended"}
	if after, err := strconv.ParseInt(q.Get("after"), 10, 64); err == nil && after > 0 {
		f.AfterID = after
	}

	v := pages.PlacementsView{Heading: "Placements", ShowSchool: sc.All || len(sc.Schools) != 1 || len(sc.Providers) > 0,
		ShowProvider: sc.All || len(sc.Providers) != 1}
	for _, o := range []struct{ value, label string }{{"current", "Current and starting soon"}, {"ended", "Ended"}, {"all", "All"}} {
		v.ShowOptions = append(v.ShowOptions, components.Option{Value: o.value, Label: o.label, Selected: show == o.value})
	}

	// The providers someone may pick: every one for CAP, their own for a provider's staff.
	chosen, _ := strconv.ParseInt(q.Get("provider"), 10, 64)
	var providers []components.Option
	switch {
	case sc.All:
		orgs, err := s.orgs.List(ctx)
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		providers = append(providers, components.Option{Value: "", Label: "Any provider"})
		for _, o := range orgs {
			if o.Kind == auth.Provider {
				providers = append(providers, components.Option{Value: itoa(o.ID), Label: o.Name, Selected: o.ID == chosen})
			}
		}
		if !slices.ContainsFunc(providers, func(o components.Option) bool { return o.Selected }) {
			chosen = 0
		}
	case len(sc.Providers) > 0:
		if !slices.Contains(sc.Providers, chosen) {
			chosen = sc.Providers[0]
		}
		if len(sc.Providers) > 1 {
			for _, m := range p.Memberships {
				if slices.Contains(sc.Providers, m.OrgID) && !slices.ContainsFunc(providers, func(o components.Option) bool { return o.Value == itoa(m.OrgID) }) {
					providers = append(providers, components.Option{Value: itoa(m.OrgID), Label: m.OrgName, Selected: m.OrgID == chosen})
				}
			}
		}
	default:
		chosen = 0
	}
	if len(providers) > 1 {
		v.ProviderOptions = providers
	}
	f.ProviderID = chosen

	list, more, err := s.placements.List(ctx, placementActor(r), f, placementPageSize)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	for _, pl := range list {
		status, _ := statusTag(pl, today)
		v.Rows = append(v.Rows, pages.PlacementRow{Href: placementHref(pl.ID), Student: pl.StudentName, School: pl.SchoolName,
			Provider: pl.ProviderName, Programme: pl.Programme, Start: pl.Start.Format(), Status: status})
	}
	switch {
	case sc.Empty():
		v.Empty = "You have no placements to see."
	case show == "ended":
		v.Empty = "No placements have ended."
	default:
		v.Empty = "There are no placements to show."
	}

	if chosen != 0 {
		from := today.AddDays(-365)
		if y, ok := calendar.LookupAcademicYear(calendar.AcademicYearCode(today)); ok {
			from = y.Start
		}
		att, err := s.placements.ProviderAttendance(ctx, placementActor(r), chosen, from)
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		name := ""
		for _, pl := range list {
			name = pl.ProviderName
		}
		for _, o := range providers {
			if o.Selected {
				name = o.Label
			}
		}
		heading := "Attendance this academic year"
		if name != "" {
			heading = "Attendance at " + name + " this academic year"
		}
		av := attendanceView("provider-attendance", heading, att)
		v.Attendance = &av
	}

	keep := url.Values{}
	if show != "current" {
		keep.Set("show", show)
	}
	if chosen != 0 && len(v.ProviderOptions) > 0 {
		keep.Set("provider", itoa(chosen))
	}
	k := keyset{Path: "/placements", Keep: keep, After: f.AfterID != 0, More: more}
	if len(list) > 0 {
		v.NextHref = k.nextOnly(len(list), url.Values{"after": {itoa(list[len(list)-1].ID)}})
	}
	if f.AfterID != 0 {
		v.FirstHref = k.href(nil)
	}
	s.render(w, r, http.StatusOK, pages.Placements(s.page(r, "Placements"), v))
}
