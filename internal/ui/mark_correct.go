package ui

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/coventry-cap/capportal/internal/input"
	"github.com/coventry-cap/capportal/internal/placement"
	"github.com/coventry-cap/capportal/web/components"
	"github.com/coventry-cap/capportal/web/pages"
)

// markForCorrection loads the mark for its correction form, audited; 404 for someone who does not
// take its provider's registers.
func (s *Server) markForCorrection(w http.ResponseWriter, r *http.Request) (placement.MarkToCorrect, bool) {
	return load(s, w, r, "id", func(ctx context.Context, id int64) (placement.MarkToCorrect, error) {
		return s.placements.MarkForCorrection(ctx, placementActor(r), id)
	})
}

// markCorrectView is the correction form: the mark now, what it replaced, the new mark and why.
func markCorrectView(mc placement.MarkToCorrect, typed url.Values) pages.MarkCorrectView {
	m, pl := mc.Mark, mc.Placement
	v := pages.MarkCorrectView{Caption: pl.StudentName + " at " + pl.ProviderName, Heading: "Correct a mark",
		Back:   registerHref(pl.ProviderID, m.Date, m.Session),
		Action: "/marks/" + itoa(m.ID) + "/correct",
		Current: []components.SummaryRow{
			{Key: "Session", Value: m.Session.Label() + ", " + weekdayDate(m.Date)},
			{Key: "Mark", Value: m.Text()},
			{Key: "DfE code", Value: m.Code + ": " + placement.CodeMeaning(m.Code)},
			{Key: "Recorded by", Value: m.RecordedBy + ", " + components.FormatDateTime(m.RecordedAt)},
		}}
	for _, h := range markRow(m, mc.History, false, "").History {
		v.History = append(v.History, h)
	}
	id := itoa(pl.ID)
	l := pages.RegisterLearner{ID: id, Legend: "The correct mark"}
	if typed != nil {
		l.Mark, l.Late, l.Reason, l.Note, l.NoSession = typed.Get("mark-"+id), typed.Get("late-"+id), typed.Get("reason-"+id), typed.Get("note-"+id), typed.Get("nosession-"+id)
		v.Why = typed.Get("why")
	} else {
		l.Mark, l.Reason = string(m.Status), string(m.Reason)
		if m.Status == placement.Late {
			l.Late = strconv.Itoa(m.LateMinutes)
		}
		if m.Status == placement.NoSession {
			l.NoSession = m.Note
		} else {
			l.Note = m.Note
		}
	}
	l.Reasons = []components.Option{{Value: "", Label: "Select a reason", Selected: l.Reason == ""}}
	for _, rs := range placement.Reasons {
		l.Reasons = append(l.Reasons, components.Option{Value: string(rs), Label: rs.Label(), Selected: l.Reason == string(rs)})
	}
	v.Learner = l
	return v
}

// markCorrectShow is the form that corrects a recorded mark.
func (s *Server) markCorrectShow(w http.ResponseWriter, r *http.Request) {
	mc, ok := s.markForCorrection(w, r)
	if !ok {
		return
	}
	v := markCorrectView(mc, nil)
	s.render(w, r, http.StatusOK, pages.MarkCorrect(s.page(r, v.Heading), v))
}

// markCorrect saves the correction through placement.Store.Correct, which keeps the original with
// who changed it, when and why; problems come back on the form with what was typed.
func (s *Server) markCorrect(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	mc, ok := s.markForCorrection(w, r)
	if !ok || !s.parseForm(w, r) {
		return
	}
	f := r.PostForm
	in := markInputOf(f, mc.Placement.ID)
	fixed, err := s.placements.Correct(ctx, placementActor(r), mc.Mark.ID, in, f.Get("why"))
	var ps input.Problems
	switch {
	case err == nil:
		if fixed.Version == mc.Mark.Version {
			s.flash(ctx, "The mark already said that: nothing was changed")
		} else {
			s.flash(ctx, "The "+strings.ToLower(mc.Mark.Session.Label())+" mark of "+mc.Placement.StudentName+" was corrected to "+fixed.Text())
		}
		http.Redirect(w, r, registerHref(mc.Placement.ProviderID, mc.Mark.Date, mc.Mark.Session), http.StatusSeeOther)
	case errors.As(err, &ps):
		v := markCorrectView(mc, f)
		v.Errors = markErrors(ps, func(string) placement.Status { return in.Status })
		lp := s.page(r, v.Heading)
		lp.HasErrors = true
		s.render(w, r, http.StatusUnprocessableEntity, pages.MarkCorrect(lp, v))
	default:
		s.failed(w, r, registerErr(err))
	}
}
