package ui

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/coventry-cap/capportal/internal/panel"
	"github.com/coventry-cap/capportal/internal/referral"
	"github.com/coventry-cap/capportal/web/pages"
)

// panelMeetingSave saves the meeting, or shows the form again with what was typed and what to fix:
// the date is required, real and not before the referral deadline; the chair attended.
func (s *Server) panelMeetingSave(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	rd, ok := s.panelRoundFor(w, r)
	if !ok {
		return
	}
	p, ok := s.panelOfRound(w, r, rd)
	if !ok {
		return
	}
	if !s.parseForm(w, r) {
		return
	}
	members, err := s.panels.Members(ctx)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	f := r.PostForm
	chair := strings.TrimSpace(f.Get("chair"))
	attending := f["attendees"]
	v := panelMeetingFormOf(rd, p, members, chair, attending)
	v.DateDay, v.DateMonth, v.DateYear, v.Others = f.Get("date-day"), f.Get("date-month"), f.Get("date-year"), f.Get("others")

	held, msg, parts := stepDate("The date of the meeting", v.DateDay, v.DateMonth, v.DateYear)
	switch {
	case msg != "":
		v.Errors.AddAt("date", "date-"+firstOr(parts, "day"), msg)
		v.DateParts = parts
	case held.IsZero():
		v.Errors.AddAt("date", "date-day", "Enter the date of the meeting")
	case held.Before(rd.Deadline):
		v.Errors.AddAt("date", "date-day", "The meeting must be on or after the referral deadline, "+referral.WeekdayDate(rd.Deadline))
	}
	known := map[string]int64{}
	for _, m := range members {
		known[itoa(m.UserID)] = m.UserID
	}
	var chairID int64
	if chair != "" {
		if chairID = known[chair]; chairID == 0 {
			v.Errors.Add("chair", "Choose the chair from the list of panel members")
		} else if !slices.Contains(attending, chair) {
			v.Errors.Add("chair", "The chair must be ticked as attending the meeting")
		}
	}
	var ids []int64
	for _, a := range attending {
		id, found := known[a]
		if !found {
			v.Errors.Add("attendees", "Choose who attended from the list of panel members")
			break
		}
		if !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	if utf8.RuneCountInString(v.Others) > referral.MaxAnswer {
		v.Errors.Add("others", "Other attendees must be 10000 characters or fewer")
	}
	if !v.Errors.Any() {
		_, err := s.panels.SaveMeeting(ctx, s.Clock.Now(), panelActorOf(r), rd.ID, p,
			panel.MeetingInput{HeldOn: held, ChairID: chairID, Attendees: ids, Others: v.Others})
		switch {
		case errors.Is(err, panel.ErrMeetingDecided):
			v.Errors.AddAt("date", "date-day", "The panel has recorded decisions at this meeting, so its day and attendance can no longer change")
		case errors.Is(err, panel.ErrMeetingDay):
			v.Errors.AddAt("date", "date-day", "The meeting must be on a working day (not a weekend or bank holiday) in the round’s academic year")
		case errors.Is(err, panel.ErrMeetingBeforeRoundDeadline):
			// The deadline was moved while the form was open.
			if rd, err = s.panels.GetRound(ctx, rd.ID); err != nil {
				s.serverError(w, r, err)
				return
			}
			v.Errors.AddAt("date", "date-day", "The meeting must be on or after the referral deadline, "+referral.WeekdayDate(rd.Deadline))
		case s.failed(w, r, err):
			return
		default:
			s.flash(ctx, fmt.Sprintf("%s of round %d saved: %s, %s", panel.PanelName(p), rd.Position, referral.WeekdayDate(held),
				panelCount(len(ids), "panel member attending", "panel members attending")))
			http.Redirect(w, r, panelRoundHref(rd.ID), http.StatusSeeOther)
			return
		}
	}
	lp := s.page(r, v.Heading)
	lp.HasErrors = true
	s.render(w, r, http.StatusUnprocessableEntity, pages.PanelMeetingForm(lp, v))
}
