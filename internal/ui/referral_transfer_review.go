package ui

import (
	"context"
	"errors"
	"net/http"

	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/db"
	"github.com/coventry-cap/capportal/internal/pathway"
	"github.com/coventry-cap/capportal/internal/referral"
	"github.com/coventry-cap/capportal/web/components"
	"github.com/coventry-cap/capportal/web/pages"
)

// academyTransfer is the referral's transfer placement's rows, for the review and outcome pages.
func (s *Server) academyTransfer(ctx context.Context, ref referral.Referral) (referral.Transfer, []components.SummaryRow, error) {
	t, err := s.referrals.TransferOf(ctx, ref.ID)
	if errors.Is(err, db.ErrNotFound) {
		return t, nil, nil
	}
	if err != nil {
		return t, nil, err
	}
	return t, transferRows(t), nil
}

// referralTransferReviewShow asks CAP for the date and notes of the transfer placement's review.
func (s *Server) referralTransferReviewShow(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	ref := referralFrom(ctx)
	v := pages.TransferReviewView{StepPage: refStepPage(ref, "Record the placement review", pathway.ReviewTransfer)}
	var err error
	if _, v.Transfer, err = s.academyTransfer(ctx, ref); err != nil {
		s.serverError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, pages.ReferralTransferReview(s.stepLayout(r, v.StepPage), v))
}

// referralTransferReview records the review: a real date, not in the future and not before the
// placement started.
func (s *Server) referralTransferReview(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	ref := referralFrom(ctx)
	if !s.parseForm(w, r) {
		return
	}
	f := r.PostForm
	v := pages.TransferReviewView{StepPage: refStepPage(ref, "Record the placement review", pathway.ReviewTransfer),
		Day: f.Get("review-day"), Month: f.Get("review-month"), Year: f.Get("review-year"), Notes: f.Get("notes")}
	t, rows, err := s.academyTransfer(ctx, ref)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	v.Transfer = rows
	today := calendar.Today(s.Clock)
	on, msg, parts := stepDate("The review date", v.Day, v.Month, v.Year)
	switch {
	case msg != "":
		v.Errors.AddAt("review", "review-"+firstOr(parts, "day"), msg)
		v.DateParts = parts
	case on.IsZero():
		v.Errors.AddAt("review", "review-day", "Enter the date of the review")
	case on.After(today):
		v.Errors.AddAt("review", "review-day", "The review date must be today or in the past")
	case !t.Starts.IsZero() && on.Before(t.Starts):
		v.Errors.AddAt("review", "review-day", "The review date must be on or after "+t.Starts.Format()+", when the placement started")
	}
	if len(v.Notes) > 5000 {
		v.Errors.Add("notes", "Notes must be 5,000 characters or fewer")
	}
	if v.Errors.Any() {
		s.render(w, r, http.StatusUnprocessableEntity, pages.ReferralTransferReview(s.stepLayout(r, v.StepPage), v))
		return
	}
	if err := s.referrals.ReviewTransfer(ctx, referralActor(r), ref, on, v.Notes); err != nil {
		s.refuse(w, r, ref, err)
		return
	}
	s.flash(ctx, "Placement review recorded: "+on.Format())
	http.Redirect(w, r, ref.URL(), http.StatusSeeOther)
}
