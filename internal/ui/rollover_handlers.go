package ui

import (
	"errors"
	"net/http"

	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/rollover"
	"github.com/coventry-cap/capportal/web/pages"
)

func (s *Server) rolloverShow(w http.ResponseWriter, r *http.Request) {
	st, err := s.rollovers.Load(r.Context())
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	v := pages.RolloverView{From: rolloverYear(st.From)}
	if st.To != nil {
		to := rolloverYear(*st.To)
		v.To = &to
		windows, err := s.directory.ListWindows(r.Context(), st.To.Code)
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		for _, win := range windows {
			name := win.ProgrammeName
			if win.ProviderName != "" {
				name += " (" + win.ProviderName + ")"
			}
			v.Windows = append(v.Windows, pages.RolloverWindow{Programme: name, Label: win.Label, Dates: win.Opens.Format() + " to " + win.Closes.Format(), Draft: win.Draft})
		}
	}
	s.render(w, r, http.StatusOK, pages.Rollover(s.page(r, "Academic-year rollover"), v))
}

func rolloverYear(y rollover.Year) pages.RolloverYear {
	out := pages.RolloverYear{Code: y.Code, Draft: y.Draft, Dates: y.Start.Format() + " to " + y.End.Format()}
	work := calendar.EnglandWalesWorkingDays()
	for _, t := range y.Terms {
		// Moving a date to the same weekday can land it on a bank holiday: say so before it is confirmed.
		for _, d := range []struct {
			what string
			day  calendar.Date
		}{{"starts", t.Start}, {"ends", t.End}} {
			if y.Draft && !work.IsWorkingDay(d.day) {
				out.Warnings = append(out.Warnings, "The "+t.Name+" term "+d.what+" on "+d.day.Weekday().String()+" "+d.day.Format()+", which is not a working day.")
			}
		}
		out.Terms = append(out.Terms, pages.RolloverTerm{
			Name:     t.Name,
			Dates:    t.Start.Format() + " to " + t.End.Format(),
			HalfTerm: t.HalfTermStart.Format() + " to " + t.HalfTermEnd.Format(),
		})
	}
	return out
}

func (s *Server) rolloverCopy(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	if !s.parseForm(w, r) {
		return
	}
	a := actor(r)
	sum, err := s.rollovers.Copy(ctx, s.Clock.Now(), rollover.Actor{UserID: a.UserID, Email: a.Email, RequestID: a.RequestID}, r.PostForm.Get("from"))
	switch {
	case errors.Is(err, rollover.ErrNoSourceYear):
		s.flashError(ctx, "That academic year is not in the portal. Reload the page and try again.")
	case errors.Is(err, rollover.ErrAlreadyConfirmed):
		s.flashError(ctx, sum.Year+" has already been confirmed, so it cannot be copied into again.")
	case errors.Is(err, rollover.ErrOutOfOrder):
		s.flashError(ctx, "Years are rolled over one at a time, from the latest confirmed year. Reload this page and use its button.")
	case err != nil:
		s.serverError(w, r, err)
		return
	case sum.Empty():
		s.flash(ctx, sum.Year+" was already drafted: nothing new to copy")
	default:
		s.flash(ctx, sum.Year+" drafted: check the dates below, then confirm")
	}
	http.Redirect(w, r, "/admin/rollover", http.StatusSeeOther)
}

func (s *Server) rolloverConfirm(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	if !s.parseForm(w, r) {
		return
	}
	a := actor(r)
	year := r.PostForm.Get("year")
	_, err := s.rollovers.Confirm(ctx, s.Clock.Now(), rollover.Actor{UserID: a.UserID, Email: a.Email, RequestID: a.RequestID}, year)
	switch {
	case errors.Is(err, rollover.ErrOutOfOrder), errors.Is(err, rollover.ErrNothingToConfirm), errors.Is(err, rollover.ErrNoSourceYear):
		s.flashError(ctx, "There is no drafted year "+year+" to confirm. Reload this page: it shows the year waiting to be confirmed, if there is one.")
	case err != nil:
		s.serverError(w, r, err)
		return
	default:
		s.flash(ctx, year+" confirmed")
	}
	http.Redirect(w, r, "/admin/rollover", http.StatusSeeOther)
}
