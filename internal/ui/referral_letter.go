package ui

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/coventry-cap/capportal/internal/audit"
	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/db"
	"github.com/coventry-cap/capportal/internal/panel"
	"github.com/coventry-cap/capportal/internal/pdfdoc"
	"github.com/coventry-cap/capportal/internal/referral"
)

// letterURL is where a case's outcome letter downloads.
func letterURL(ref referral.Referral, caseID int64) string {
	return ref.URL() + "/letters/" + itoa(caseID)
}

// letterCase reads the {case} of the URL: one of this referral's panel cases, or a 404 (a case of
// another referral is answered like one that does not exist). ok is false when the response has
// been written.
func (s *Server) letterCase(w http.ResponseWriter, r *http.Request, ref referral.Referral) (panel.Case, bool) {
	id, ok := idParam(r, "case")
	if !ok {
		s.notFound(w, r)
		return panel.Case{}, false
	}
	c, err := s.panels.GetCase(r.Context(), id)
	if errors.Is(err, db.ErrNotFound) || (err == nil && c.ReferralID != ref.ID) {
		s.notFound(w, r)
		return c, false
	}
	if err != nil {
		s.serverError(w, r, err)
		return c, false
	}
	return c, true
}

// referralLetter sends a decided case's outcome letter as a PDF: to CAP's staff and the panel
// members once it is decided, to the school once CAP has shared it; to anyone else it does not
// exist. The download is audited like the pack's.
func (s *Server) referralLetter(w http.ResponseWriter, r *http.Request) {
	ref, ok := s.loadReferral(w, r)
	if !ok {
		return
	}
	c, ok := s.letterCase(w, r, ref)
	if !ok {
		return
	}
	ctx := r.Context()
	a := referralActor(r)
	if !referral.LetterVisible(a.Principal, ref, c) {
		s.notFound(w, r)
		return
	}
	l, err := s.outcomeLetter(ctx, ref, c)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	now := s.Clock.Now()
	out, err := pdfdoc.Render(l.Doc(now))
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	// The route admits only people signed in, so there is a principal.
	err = s.audit.Write(ctx, audit.Entry{At: now, ActorUserID: &a.Principal.UserID, ActorEmail: a.Principal.Email, Action: referral.ActionViewed,
		SubjectType: "referral", SubjectID: itoa(ref.ID), RequestID: a.RequestID,
		Summary: "Viewed " + ref.Title() + " (outcome letter of the " + panel.PanelName(c.Panel) + ", downloaded as a PDF)"})
	if err != nil {
		s.serverError(w, r, fmt.Errorf("audit letter download: %w", err))
		return
	}
	writeAttachment(w, l.FileName(), "application/pdf", out)
}

// outcomeLetter gathers what the case's letter says: the meeting that decided it, the round, and
// what the decision led to (a cohort place, a transfer, the round a deferred case goes to).
func (s *Server) outcomeLetter(ctx context.Context, ref referral.Referral, c panel.Case) (panel.Letter, error) {
	l := panel.Letter{Case: c, Dated: calendar.Today(s.Clock), TransferWeeks: referral.TransferWeeks}
	if c.LetterSharedAt != nil {
		l.Dated = calendar.DateOf(*c.LetterSharedAt)
	}
	var err error
	if l.Round, err = s.panels.GetRound(ctx, c.RoundID); err != nil {
		return l, err
	}
	m, err := s.panels.GetMeeting(ctx, c.RoundID, c.Panel)
	switch {
	case errors.Is(err, db.ErrNotFound):
	case err != nil:
		return l, err
	// A case CAP deferred before its meeting was not decided there.
	case c.DecidedAt == nil || !calendar.DateOf(*c.DecidedAt).Before(m.HeldOn):
		l.Meeting = m
	}
	cases, err := s.panels.CasesOf(ctx, ref.ID)
	if err != nil {
		return l, err
	}
	for _, earlier := range cases {
		// The earlier panels' approvals (the Review and Authorisation Panel's conditions) carry on.
		if earlier.ID != c.ID && earlier.Panel != c.Panel && earlier.DecidedAt != nil && c.DecidedAt != nil && earlier.DecidedAt.Before(*c.DecidedAt) {
			l.Earlier = append(l.Earlier, earlier)
		}
	}
	switch {
	case c.Decision == panel.Deferred:
		for _, next := range cases {
			if next.CarriedFrom == c.ID {
				if l.NextRound, err = s.panels.GetRound(ctx, next.RoundID); err != nil {
					return l, err
				}
			}
		}
	case c.Decision == panel.Approved && c.Panel == panel.MultiAgencyPanel:
		place, err := s.academyPlace(ctx, ref.ID)
		if err != nil {
			return l, err
		}
		if place.found {
			l.Cohort, l.WaitingPosition = place.start, place.position
		}
	case c.Decision == panel.Approved && c.Panel == panel.HeadteacherPanel:
		t, err := s.referrals.TransferOf(ctx, ref.ID)
		switch {
		case errors.Is(err, db.ErrNotFound):
		case err != nil:
			return l, err
		default:
			l.TransferStart = t.Starts
		}
	}
	return l, nil
}
