package ui

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/coventry-cap/capportal/internal/auth"
	"github.com/coventry-cap/capportal/internal/db"
	"github.com/coventry-cap/capportal/internal/directory"
	"github.com/coventry-cap/capportal/internal/panel"
)

// panelsOfRound are the panels a round holds: the Review and Authorisation Panel always, the
// Multi-Agency Panel for Refocus and Focus 11, the Headteacher Placement Meeting for Supported Transfer.
func panelsOfRound(rd panel.Round) []string {
	out := []string{panel.ReviewPanel}
	if rd.Covers(directory.Refocus) || rd.Covers(directory.Focus11) {
		out = append(out, panel.MultiAgencyPanel)
	}
	if rd.Covers(directory.SupportedTransfer) {
		out = append(out, panel.HeadteacherPanel)
	}
	return out
}

func panelRoundHref(id int64) string { return "/panels/rounds/" + itoa(id) }

func panelAgendaHref(roundID int64, p string) string { return panelRoundHref(roundID) + "/" + p }

func panelMeetingHref(roundID int64, p string) string {
	return panelAgendaHref(roundID, p) + "/meeting"
}

func panelCohortHref(id int64) string { return "/panels/cohorts/" + itoa(id) }

// panelRoundCaption names a round for the caption of its pages: "Round 4 of 2026/27".
func panelRoundCaption(rd panel.Round) string {
	return fmt.Sprintf("Round %d of %s", rd.Position, rd.AcademicYear)
}

func panelActorOf(r *http.Request) panel.Actor { return panel.Actor(actor(r)) }

// panelRoundFor loads the {id} round; a draft is shown to CAP admins only, as on the calendar.
func (s *Server) panelRoundFor(w http.ResponseWriter, r *http.Request) (panel.Round, bool) {
	rd, ok := s.panelRoundLoad(w, r)
	if !ok {
		return rd, false
	}
	if rd.Draft && !auth.FromContext(r.Context()).Has(auth.CAPAdmin) {
		s.notFound(w, r)
		return rd, false
	}
	return rd, true
}

// panelOfRound reads the {panel} of the address: one the round holds, or a 404.
func (s *Server) panelOfRound(w http.ResponseWriter, r *http.Request, rd panel.Round) (string, bool) {
	p := chi.URLParam(r, "panel")
	if !slices.Contains(panelsOfRound(rd), p) {
		s.notFound(w, r)
		return "", false
	}
	return p, true
}

// panelMeetingOf is the round's meeting of the panel, and whether it is scheduled.
func (s *Server) panelMeetingOf(ctx context.Context, roundID int64, p string) (panel.Meeting, bool, error) {
	m, err := s.panels.GetMeeting(ctx, roundID, p)
	if errors.Is(err, db.ErrNotFound) {
		return m, false, nil
	}
	return m, err == nil, err
}

// meetingOthersCount counts the other attendees, one a line.
func meetingOthersCount(others string) int {
	n := 0
	for _, l := range strings.Split(others, "\n") {
		if strings.TrimSpace(l) != "" {
			n++
		}
	}
	return n
}

// meetingAttending says how many attended: "3 panel members and 1 other attendee".
func meetingAttending(m panel.Meeting) string {
	t := panelCount(len(m.Attendees), "panel member", "panel members")
	if n := meetingOthersCount(m.Others); n > 0 {
		t += " and " + panelCount(n, "other attendee", "other attendees")
	}
	return t
}

func panelCount(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

// undecidableCases says which cases nobody attending the meeting can decide: "CAP-2627-00008, from
// Whitmore School".
func undecidableCases(m panel.Meeting, cases []panel.Case) []string {
	var out []string
	for _, c := range m.Undecidable(cases) {
		out = append(out, c.Reference+", from "+c.SchoolName)
	}
	return out
}
