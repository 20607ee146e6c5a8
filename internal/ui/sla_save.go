package ui

import (
	"errors"
	"net/http"
	"strings"

	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/db"
	"github.com/coventry-cap/capportal/internal/school"
	"github.com/coventry-cap/capportal/web/pages"
)

// slaSave records whether a school has signed the SLA for the year in the URL, and when.
func (s *Server) slaSave(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	id, ok := idParam(r, "id")
	year, yok := slaYearParam(r)
	if !ok || !yok {
		s.notFound(w, r)
		return
	}
	if !s.parseForm(w, r) {
		return
	}
	v := pages.SLAView{
		FormSigned: r.PostForm.Get("signed"),
		FormDay:    strings.TrimSpace(r.PostForm.Get("signed-on-day")),
		FormMonth:  strings.TrimSpace(r.PostForm.Get("signed-on-month")),
		FormYear:   strings.TrimSpace(r.PostForm.Get("signed-on-year")),
	}
	signed := v.FormSigned == "yes"
	if v.FormSigned != "yes" && v.FormSigned != "no" {
		v.Errors.Add("signed", "Select whether the school has signed the SLA for "+year)
	}
	signedOn, isDate := parseDateParts(v.FormDay, v.FormMonth, v.FormYear)
	if signed {
		// With "No" the date is ignored, as it would be if the date question only showed after "Yes".
		switch {
		case !isDate:
			v.Errors.AddAt("signed-on", "signed-on-day", "Date signed must be a real date, like 1 7 2026")
		case signedOn.IsZero():
			v.Errors.AddAt("signed-on", "signed-on-day", "Enter the date the SLA was signed")
		case signedOn.After(calendar.Today(s.Clock)):
			v.Errors.AddAt("signed-on", "signed-on-day", "Date signed must be today or in the past")
		case tooEarly(year, signedOn):
			v.Errors.AddAt("signed-on", "signed-on-day", signedTooEarlyMessage(year))
		}
	}
	if !v.Errors.Any() {
		// A second identical submit (a double click) changes nothing, so it gets the same answer.
		_, err := s.schools.RecordSLA(ctx, actor(r), id, year, signed, signedOn)
		switch {
		case errors.Is(err, db.ErrNotFound):
			s.notFound(w, r)
			return
		case errors.Is(err, school.ErrSignedOnMissing):
			v.Errors.AddAt("signed-on", "signed-on-day", "Enter the date the SLA was signed")
		case errors.Is(err, school.ErrSignedOnInFuture):
			v.Errors.AddAt("signed-on", "signed-on-day", "Date signed must be today or in the past")
		case errors.Is(err, school.ErrSignedOnTooEarly):
			v.Errors.AddAt("signed-on", "signed-on-day", signedTooEarlyMessage(year))
		case err != nil:
			s.serverError(w, r, err)
			return
		default:
			msg := "SLA for " + year + " recorded as not signed"
			if signed {
				msg = "SLA for " + year + " recorded as signed on " + signedOn.Format()
			}
			s.flash(ctx, msg)
			http.Redirect(w, r, slaHref(id, year), http.StatusSeeOther)
			return
		}
	}
	s.renderSLA(w, r, http.StatusUnprocessableEntity, v, false)
}

// tooEarly reports whether an SLA for the year cannot have been signed on the date.
func tooEarly(year string, signedOn calendar.Date) bool {
	earliest, ok := school.EarliestSignedOn(year)
	return ok && signedOn.Before(earliest)
}

func signedTooEarlyMessage(year string) string {
	earliest, _ := school.EarliestSignedOn(year)
	return "Date signed must be on or after " + earliest.Format() + ": schools sign the SLA for " + year + " in the months before the year starts"
}
