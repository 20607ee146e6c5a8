package ui

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"github.com/coventry-cap/capportal/internal/auth"
	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/web/components"
	"github.com/coventry-cap/capportal/web/pages"
)

// registerProviders are the providers whose registers the principal takes, by name, and whether
// they may pick any provider (CAP standing in).
func (s *Server) registerProviders(ctx context.Context, p *auth.Principal) ([]components.Option, bool, error) {
	var out []components.Option
	if p.HasAny(auth.CAPAdmin, auth.MonitoringOfficer) {
		orgs, err := s.orgs.List(ctx)
		if err != nil {
			return nil, false, err
		}
		for _, o := range orgs {
			if o.Kind == auth.Provider {
				out = append(out, components.Option{Value: itoa(o.ID), Label: o.Name})
			}
		}
		return out, true, nil
	}
	for _, m := range p.OrgsWith(auth.ProviderStaff) {
		if !slices.ContainsFunc(out, func(o components.Option) bool { return o.Value == itoa(m.OrgID) }) {
			out = append(out, components.Option{Value: itoa(m.OrgID), Label: m.OrgName})
		}
	}
	return out, false, nil
}

// registerList is a provider's registers on a day (today unless another day is asked for): the
// morning and the afternoon, how many learners each expects and whether it was taken. CAP picks the
// provider; a provider's staff see their own.
func (s *Server) registerList(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p := auth.FromContext(ctx)
	q := r.URL.Query()
	today := calendar.Today(s.Clock)
	v := pages.RegistersView{Heading: "Registers"}

	day := today
	if d, err := calendar.ParseDate(q.Get("date")); err == nil {
		day = d
	}
	dd, dm, dy := q.Get("day-day"), q.Get("day-month"), q.Get("day-year")
	if dd != "" || dm != "" || dy != "" {
		d, msg, parts := stepDate("The date", dd, dm, dy)
		switch {
		case msg != "":
			v.Errors.AddAt("day", "day-"+firstOr(parts, "day"), msg)
			v.DateParts = parts
		case d.After(today):
			v.Errors.AddAt("day", "day-day", "The date must be today or in the past")
		default:
			day = d
		}
	}
	if day.After(today) {
		day = today
	}
	v.Day, v.Date = weekdayDate(day), day.String()
	v.DateDay, v.DateMonth, v.DateYear = panelDateParts(day)
	if v.Errors.Any() {
		v.DateDay, v.DateMonth, v.DateYear = dd, dm, dy
	}

	options, any, err := s.registerProviders(ctx, p)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	chosen, _ := strconv.ParseInt(q.Get("provider"), 10, 64)
	if !slices.ContainsFunc(options, func(o components.Option) bool { return o.Value == itoa(chosen) }) {
		chosen = 0
		if !any && len(options) > 0 {
			chosen, _ = strconv.ParseInt(options[0].Value, 10, 64)
		}
	}
	if any || len(options) > 1 {
		v.ProviderOptions = append([]components.Option{{Value: "", Label: "Choose a provider"}}, options...)
		for i := range v.ProviderOptions {
			v.ProviderOptions[i].Selected = v.ProviderOptions[i].Value == itoa(chosen)
		}
	}
	name := ""
	for _, o := range options {
		if o.Value == itoa(chosen) {
			name = o.Label
		}
	}
	if chosen == 0 {
		v.Closed = "Choose a training provider to see its registers."
		s.renderRegisters(w, r, v)
		return
	}
	v.Provider = itoa(chosen)
	v.Heading = "Registers: " + name

	sd, err := s.calendar.SchoolDays(ctx)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	dayHref := func(d calendar.Date) string {
		u := url.Values{"date": {d.String()}}
		if len(v.ProviderOptions) > 0 {
			u.Set("provider", itoa(chosen))
		}
		return "/registers?" + u.Encode()
	}
	if prev := schoolDayFrom(sd, day, -1); !prev.IsZero() {
		v.PrevHref, v.PrevText = dayHref(prev), weekdayDate(prev)
	}
	if next := schoolDayFrom(sd, day, 1); !next.IsZero() && !next.After(today) {
		v.NextHref, v.NextText = dayHref(next), weekdayDate(next)
	}
	if !sd.IsSchoolDay(day) {
		v.Closed = "There are no registers on " + weekdayDate(day) + ": it is not a school day."
		s.renderRegisters(w, r, v)
		return
	}
	sessions, err := s.placements.Day(ctx, placementActor(r), chosen, day)
	if s.failed(w, r, err) {
		return
	}
	for _, ss := range sessions {
		row := pages.RegisterSessionRow{Session: ss.Session.Label(), Href: registerHref(chosen, day, ss.Session), Learners: learnersText(ss.Learners)}
		switch {
		case ss.Learners == 0:
			row.Status, row.Colour, row.Href = "Nobody expected", "grey", ""
		case !ss.Taken():
			row.Status, row.Colour = "Not taken", "red"
		case ss.Marked < ss.Learners:
			row.Status, row.Colour = fmt.Sprintf("Taken: %d not yet marked", ss.Learners-ss.Marked), "orange"
		default:
			row.Status, row.Colour = "Taken", "green"
		}
		if ss.Taken() {
			row.Taken = "By " + ss.TakenBy + " on " + components.FormatDateTime(ss.TakenAt)
		}
		v.Sessions = append(v.Sessions, row)
	}
	s.renderRegisters(w, r, v)
}

func (s *Server) renderRegisters(w http.ResponseWriter, r *http.Request, v pages.RegistersView) {
	lp := s.page(r, v.Heading)
	status := http.StatusOK
	if v.Errors.Any() {
		lp.HasErrors, status = true, http.StatusUnprocessableEntity
	}
	s.render(w, r, status, pages.Registers(lp, v))
}

// schoolDayFrom is the nearest school day before (step -1) or after (step 1) day, within a term's
// holidays; the zero Date when there is none within six weeks.
func schoolDayFrom(sd calendar.SchoolDays, day calendar.Date, step int) calendar.Date {
	for d, i := day.AddDays(step), 0; i < 42; d, i = d.AddDays(step), i+1 {
		if sd.IsSchoolDay(d) {
			return d
		}
	}
	return calendar.Date{}
}

func learnersText(n int) string {
	if n == 1 {
		return "1 learner"
	}
	return strconv.Itoa(n) + " learners"
}
