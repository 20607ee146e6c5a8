package ui

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/coventry-cap/capportal/internal/auth"
	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/db"
	"github.com/coventry-cap/capportal/internal/directory"
	"github.com/coventry-cap/capportal/internal/panel"
	"github.com/coventry-cap/capportal/internal/referral"
	"github.com/coventry-cap/capportal/web/pages"
)

// panelCalendar is an academic year's panel calendar, the current one unless ?year= names another on
// file: deadlines still to come first, then those gone by, with the starts each round leads to. CAP
// admins also see drafts, every weekday that disagrees with its date, and a link to change each round.
func (s *Server) panelCalendar(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	today := calendar.Today(s.Clock)
	year := calendar.AcademicYearCode(today)
	admin := auth.FromContext(ctx).Has(auth.CAPAdmin)
	years, err := s.panels.Years(ctx, admin)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	if asked := r.URL.Query().Get("year"); asked != "" && asked != year {
		if !slices.Contains(years, asked) {
			s.notFound(w, r)
			return
		}
		year = asked
	}
	// CAP's staff and the panel members open each round's panels and each cohort.
	opens := panelViewers.Allows(auth.FromContext(ctx))
	rounds, err := s.panels.Rounds(ctx, year)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	starts, err := s.panels.Starts(ctx, year)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	meetings, err := s.panels.MeetingDays(ctx, year)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	v := pages.PanelsView{Year: year, CanEdit: admin}
	for _, y := range years {
		if y != year {
			v.OtherYears = append(v.OtherYears, pages.Link{Text: y, Href: "/panels?year=" + url.QueryEscape(y)})
		}
	}
	if admin {
		v.Mismatches = panel.Mismatches(rounds, starts)
	} else {
		// A draft is not in effect until a CAP admin confirms it, so schools do not see it.
		rounds = slices.DeleteFunc(rounds, func(r panel.Round) bool { return r.Draft })
		starts = slices.DeleteFunc(starts, func(s panel.Start) bool { return s.Draft })
	}
	byID := map[int64]panel.Round{}
	for _, rd := range rounds {
		byID[rd.ID] = rd
	}
	for _, rd := range rounds {
		row := panelRoundRow(rd, starts)
		row.Meetings = panelMeetingDays(rd, meetings[rd.ID])
		if opens {
			row.Href = panelRoundHref(rd.ID)
		}
		if rd.Deadline.Before(today) {
			v.Past = append(v.Past, row)
		} else {
			v.Upcoming = append(v.Upcoming, row)
		}
	}
	slices.Reverse(v.Past) // the most recent deadline first
	providerRuns := map[directory.Kind]bool{}
	for _, st := range starts {
		row := pages.PanelStartRow{Title: st.Title(), Dates: stated(st.StartsWeekday, st.Starts), Places: "Not limited"}
		if !st.Ends.IsZero() {
			row.Dates += " to " + stated(st.EndsWeekday, st.Ends)
		}
		if st.Note != "" {
			row.Dates += " (" + st.Note + ")"
		}
		if st.Capacity > 0 {
			row.Places = strconv.Itoa(st.Capacity)
			runs, known := providerRuns[st.Kind]
			if !opens && !known {
				// Provider staff open the cohorts of a programme their provider runs (the Academy's).
				if runs, err = s.directory.ProviderRunsKind(ctx, auth.FromContext(ctx).OrgIDsWith(auth.ProviderStaff), st.Kind); err != nil {
					s.serverError(w, r, err)
					return
				}
				providerRuns[st.Kind] = runs
			}
			if opens || runs {
				row.Href = panelCohortHref(st.ID)
			}
		}
		feeder, ok := byID[st.FedBy]
		if !ok && st.FedBy != 0 { // a round of the year before
			if feeder, err = s.panels.GetRound(ctx, st.FedBy); err != nil && !errors.Is(err, db.ErrNotFound) {
				s.serverError(w, r, err)
				return
			}
			ok = err == nil
		}
		row.FollowOn = "Referrals approved before this year’s calendar"
		if ok {
			row.FollowOn = "The " + stated(feeder.DeadlineWeekday, feeder.Deadline) + " deadline"
		}
		v.Starts = append(v.Starts, row)
	}
	s.render(w, r, http.StatusOK, pages.Panels(s.page(r, "Panel dates"), v))
}

func panelRoundRow(rd panel.Round, starts []panel.Start) pages.PanelRoundRow {
	row := pages.PanelRoundRow{Position: strconv.Itoa(rd.Position), Deadline: stated(rd.DeadlineWeekday, rd.Deadline),
		Meeting: "Not held", Leads: "–", Draft: rd.Draft, EditHref: fmt.Sprintf("/panels/rounds/%d/edit", rd.ID)}
	var names []string
	for _, k := range directory.PanelKinds {
		if rd.Covers(k) {
			names = append(names, k.Label())
		}
	}
	row.Programmes = strings.Join(names, ", ")
	if !rd.Meeting.IsZero() {
		row.Meeting = stated(rd.MeetingWeekday, rd.Meeting)
	}
	var leads []string
	for _, st := range starts {
		if st.FedBy == rd.ID {
			leads = append(leads, st.Title()+" from "+st.Starts.Format())
		}
	}
	if len(leads) > 0 {
		row.Leads = strings.Join(leads, "; ")
	}
	return row
}

// stated writes a date with the weekday the calendar gives for it, as published: a wrong weekday is
// shown as it stands (and to CAP admins as a mismatch), never quietly replaced.
func stated(weekday string, d calendar.Date) string {
	return strings.TrimSpace(weekday + " " + d.Format())
}

// panelRoundForm prepares the edit form of a round, with the mismatches it would correct.
func panelRoundForm(rd panel.Round) pages.PanelRoundEditView {
	return pages.PanelRoundEditView{
		Heading:    fmt.Sprintf("Change round %d of %s", rd.Position, rd.AcademicYear),
		Action:     fmt.Sprintf("/panels/rounds/%d/edit", rd.ID),
		Mismatches: panel.Mismatches([]panel.Round{rd}, nil),
	}
}

func (s *Server) panelRoundLoad(w http.ResponseWriter, r *http.Request) (panel.Round, bool) {
	id, ok := idParam(r, "id")
	if !ok {
		s.notFound(w, r)
		return panel.Round{}, false
	}
	rd, err := s.panels.GetRound(r.Context(), id)
	if s.failed(w, r, err) {
		return rd, false
	}
	return rd, true
}

// panelRoundEdit shows a round's dates for a CAP admin to change.
func (s *Server) panelRoundEdit(w http.ResponseWriter, r *http.Request) {
	rd, ok := s.panelRoundLoad(w, r)
	if !ok {
		return
	}
	v := panelRoundForm(rd)
	v.DeadlineDay, v.DeadlineMonth, v.DeadlineYear = strconv.Itoa(rd.Deadline.Day), strconv.Itoa(int(rd.Deadline.Month)), strconv.Itoa(rd.Deadline.Year)
	if !rd.Meeting.IsZero() {
		v.MeetingDay, v.MeetingMonth, v.MeetingYear = strconv.Itoa(rd.Meeting.Day), strconv.Itoa(int(rd.Meeting.Month)), strconv.Itoa(rd.Meeting.Year)
	}
	s.render(w, r, http.StatusOK, pages.PanelRoundEdit(s.page(r, v.Heading), v))
}

// panelRoundUpdate saves a round's dates, or shows the form again with what was typed and why it
// cannot be saved.
func (s *Server) panelRoundUpdate(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	rd, ok := s.panelRoundLoad(w, r)
	if !ok {
		return
	}
	if !s.parseForm(w, r) {
		return
	}
	f := r.PostForm
	v := panelRoundForm(rd)
	v.DeadlineDay, v.DeadlineMonth, v.DeadlineYear = f.Get("deadline-day"), f.Get("deadline-month"), f.Get("deadline-year")
	v.MeetingDay, v.MeetingMonth, v.MeetingYear = f.Get("meeting-day"), f.Get("meeting-month"), f.Get("meeting-year")
	deadline, msg, parts := stepDate("The referral deadline", v.DeadlineDay, v.DeadlineMonth, v.DeadlineYear)
	switch {
	case msg != "":
		v.Errors.AddAt("deadline", "deadline-"+firstOr(parts, "day"), msg)
		v.DeadlineParts = parts
	case deadline.IsZero():
		v.Errors.AddAt("deadline", "deadline-day", "Enter the referral deadline")
	}
	meeting, msg, parts := stepDate("The meeting date", v.MeetingDay, v.MeetingMonth, v.MeetingYear)
	if msg != "" {
		v.Errors.AddAt("meeting", "meeting-"+firstOr(parts, "day"), msg)
		v.MeetingParts = parts
	}
	if !v.Errors.Any() {
		_, err := s.panels.UpdateRound(ctx, s.Clock.Now(), panelActorOf(r), rd.ID,
			panel.Dates{Deadline: deadline, Meeting: meeting})
		switch {
		case errors.Is(err, panel.ErrDeadlineOutsideYear):
			v.Errors.AddAt("deadline", "deadline-day", "The referral deadline must be in "+rd.AcademicYear)
		case errors.Is(err, panel.ErrMeetingBeforeDeadline):
			v.Errors.AddAt("meeting", "meeting-day", "The meeting must be on or after the referral deadline")
		case errors.Is(err, panel.ErrDeadlineOutOfOrder):
			v.Errors.AddAt("deadline", "deadline-day", "The referral deadline must be after the previous round’s and before the next round’s, so the rounds stay in order")
		case errors.Is(err, panel.ErrDeadlineAfterMeeting):
			v.Errors.AddAt("deadline", "deadline-day", "The referral deadline must be on or before the day the round’s panels meet: change the meetings first")
		case s.failed(w, r, err):
			return
		default:
			s.flash(ctx, fmt.Sprintf("Round %d of %s saved: referral deadline %s", rd.Position, rd.AcademicYear, stated(deadline.Weekday().String(), deadline)))
			http.Redirect(w, r, "/panels", http.StatusSeeOther)
			return
		}
	}
	lp := s.page(r, v.Heading)
	lp.HasErrors = true
	s.render(w, r, http.StatusUnprocessableEntity, pages.PanelRoundEdit(lp, v))
}

// panelMeetingDays says when each of the round's panels meets: the day CAP scheduled, the Headteacher
// Placement Meeting's published day until then, or that it is not scheduled yet.
func panelMeetingDays(rd panel.Round, scheduled map[string]calendar.Date) []string {
	var out []string
	for _, p := range panelsOfRound(rd) {
		day, ok := scheduled[p]
		switch {
		case ok:
			out = append(out, panel.PanelName(p)+": "+referral.WeekdayDate(day))
		case p == panel.HeadteacherPanel && !rd.Meeting.IsZero():
			out = append(out, panel.PanelName(p)+": "+stated(rd.MeetingWeekday, rd.Meeting))
		default:
			out = append(out, panel.PanelName(p)+": not scheduled yet")
		}
	}
	return out
}
