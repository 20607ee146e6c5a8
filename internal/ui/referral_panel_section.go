package ui

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"

	"github.com/coventry-cap/capportal/internal/auth"
	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/db"
	"github.com/coventry-cap/capportal/internal/directory"
	"github.com/coventry-cap/capportal/internal/panel"
	"github.com/coventry-cap/capportal/internal/referral"
	"github.com/coventry-cap/capportal/web/components"
	"github.com/coventry-cap/capportal/web/pages"
)

// academyPlaceInfo is a referral's place in an Academy cohort, or on its waiting list.
type academyPlaceInfo struct {
	found    bool
	place    panel.Place
	start    panel.Start
	position int // on the waiting list, 1 first; 0 with a place
}

// academyPlace looks up the referral's cohort place and, when it waits, its number on the list.
func (s *Server) academyPlace(ctx context.Context, referralID int64) (academyPlaceInfo, error) {
	var info academyPlaceInfo
	place, err := s.panels.PlaceOf(ctx, referralID)
	if errors.Is(err, db.ErrNotFound) {
		return info, nil
	}
	if err != nil {
		return info, err
	}
	info.found, info.place = true, place
	if info.start, err = s.panels.GetStart(ctx, place.StartID); err != nil {
		return info, err
	}
	if place.Status == panel.Waiting {
		list, err := s.panels.WaitingList(ctx, place.StartID)
		if err != nil {
			return info, err
		}
		info.position = slices.IndexFunc(list, func(p panel.Place) bool { return p.ID == place.ID }) + 1
	}
	return info, nil
}

// text is how the referral page says it: "Place in Refocus Cohort 2 from 11 January 2027".
func (p academyPlaceInfo) text() string {
	if p.place.Status == panel.Waiting {
		return "Waiting list of " + p.start.Title() + ", number " + strconv.Itoa(p.position)
	}
	return "Place in " + p.start.Title() + " from " + p.start.Starts.Format()
}

// academyIsCAPStaff reports whether the viewer is one of CAP's staff for this referral.
func academyIsCAPStaff(roles []auth.Role) bool {
	return slices.ContainsFunc(roles, func(r auth.Role) bool {
		return r == auth.CAPAdmin || r == auth.MonitoringOfficer || r == auth.CAPDSL || r == auth.ServiceLead
	})
}

// academyIsSchool reports whether the viewer sees the referral as the referring school's staff only.
func academyIsSchool(roles []auth.Role) bool {
	return slices.ContainsFunc(roles, func(r auth.Role) bool {
		return r == auth.Coordinator || r == auth.Headteacher || r == auth.SchoolDSL
	})
}

// refPanelSection is the referral page's Panel section: the round the referral joined and why, its
// cases with their decisions and outcome letters, and what the decisions led to. The school reads a
// decision in its outcome letter: until CAP shares it, the school sees that the case was decided.
func (s *Server) refPanelSection(ctx context.Context, a referral.Actor, ref referral.Referral) (*pages.RefPanelSection, error) {
	roles := referral.RolesFor(a.Principal, ref)
	capStaff := academyIsCAPStaff(roles)
	admin := slices.Contains(roles, auth.CAPAdmin)
	schoolOnly := academyIsSchool(roles) && !capStaff && !slices.Contains(roles, auth.PanelMember)
	today := calendar.DateOf(s.Clock.Now())
	sec := &pages.RefPanelSection{LateReason: ref.PanelLateReason}

	rounds := map[int64]panel.Round{}
	roundText := func(id int64) (string, error) {
		rd, ok := rounds[id]
		if !ok {
			var err error
			if rd, err = s.panels.GetRound(ctx, id); err != nil {
				return "", err
			}
			rounds[id] = rd
		}
		return fmt.Sprintf("Round %d, referral deadline %s", rd.Position, rd.Deadline.Format()), nil
	}
	switch {
	case ref.PanelRoundID != 0:
		t, err := roundText(ref.PanelRoundID)
		if err != nil {
			return nil, err
		}
		sec.Round = t
	default:
		sec.Round = "Not on a panel round yet"
	}

	cases, err := s.panels.CasesOf(ctx, ref.ID)
	if err != nil {
		return nil, err
	}
	for _, c := range cases {
		rt, err := roundText(c.RoundID)
		if err != nil {
			return nil, err
		}
		cv := pages.RefPanelCase{Heading: panel.PanelName(c.Panel), Rows: []components.SummaryRow{{Key: "Round", Value: rt}}}
		meeting := "Not scheduled yet"
		switch m, err := s.panels.GetMeeting(ctx, c.RoundID, c.Panel); {
		case err == nil:
			meeting = m.HeldOn.Weekday().String() + " " + m.HeldOn.Format()
		case !errors.Is(err, db.ErrNotFound):
			return nil, err
		}
		cv.Rows = append(cv.Rows, components.SummaryRow{Key: "Meeting", Value: meeting})
		visible := referral.LetterVisible(a.Principal, ref, c)
		switch {
		case !c.Decided():
			cv.Rows = append(cv.Rows, components.SummaryRow{Key: "Decision", Value: "Not decided yet"})
		case schoolOnly && !visible:
			cv.Rows = append(cv.Rows, components.SummaryRow{Key: "Decision",
				Value: "Decided. CAP shares the outcome letter with the school within " + strconv.Itoa(panel.LetterWorkingDays) + " working days of the meeting."})
		default:
			cv.Rows = append(cv.Rows,
				components.SummaryRow{Key: "Decision", Value: panel.DecisionLabel(c.Decision)},
				refMultiLineRow("Rationale", orText(c.Rationale, "None recorded")),
				refMultiLineRow("Conditions", orText(c.Conditions, "None")))
			if c.ReceivingSchoolName != "" {
				cv.Rows = append(cv.Rows, components.SummaryRow{Key: "Receiving school", Value: c.ReceivingSchoolName})
			}
		}
		if c.Decided() {
			lv := &pages.RefPanelLetter{PanelName: panel.PanelName(c.Panel)}
			if visible {
				lv.Href = letterURL(ref, c.ID)
			} else {
				lv.Pending = "Not shared with the school yet."
			}
			if capStaff {
				lv.Status = "Due by " + c.LetterDue.Format() + "."
				if c.LetterSharedAt != nil {
					lv.Status += " Shared on " + calendar.DateOf(*c.LetterSharedAt).Format() + "."
				} else {
					lv.Status += " Not shared with the school yet."
					if admin {
						lv.ShareAction = letterURL(ref, c.ID) + "/share"
					}
				}
				lv.Late = c.LetterLate(today)
			}
			cv.Letter = lv
		}
		sec.Cases = append(sec.Cases, cv)
	}

	switch ref.Kind {
	case directory.Refocus, directory.Focus11:
		place, err := s.academyPlace(ctx, ref.ID)
		if err != nil {
			return nil, err
		}
		if place.found {
			sec.Cohort = &pages.RefCohortPlace{Text: place.text()}
			if capStaff {
				sec.Cohort.Href, sec.Cohort.LinkText = "/panels/cohorts/"+itoa(place.start.ID), "See "+place.start.Title()
			}
		}
	case directory.SupportedTransfer:
		t, err := s.referrals.TransferOf(ctx, ref.ID)
		switch {
		case err == nil:
			sec.Transfer = transferRows(t)
		case !errors.Is(err, db.ErrNotFound):
			return nil, err
		}
	}
	return sec, nil
}

// transferRows describe a Supported Transfer placement: where, when, its review and its outcome.
func transferRows(t referral.Transfer) []components.SummaryRow {
	rows := []components.SummaryRow{
		{Key: "Receiving school", Value: t.ReceivingSchoolName},
		{Key: "Placement", Value: fmt.Sprintf("%d weeks, from %s to %s", referral.TransferWeeks, t.Starts.Format(), t.Ends.Format())},
	}
	review := "Not reviewed yet"
	if !t.ReviewOn.IsZero() {
		review = "Reviewed on " + t.ReviewOn.Format()
		if t.ReviewNotes != "" {
			review += "\n" + t.ReviewNotes
		}
	}
	rows = append(rows, refMultiLineRow("Review", review))
	outcome := "Not recorded yet"
	if t.Outcome != "" {
		outcome = referral.TransferOutcomeLabel(t.Outcome)
		if t.OutcomeNotes != "" {
			outcome += "\n" + t.OutcomeNotes
		}
	}
	return append(rows, refMultiLineRow("Outcome", outcome))
}
