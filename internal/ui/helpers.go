package ui

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/coventry-cap/capportal/internal/auth"
	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/input"
	"github.com/coventry-cap/capportal/internal/users"
)

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// idParam reads a numeric route parameter; ok is false when it is not a positive number.
func idParam(r *http.Request, name string) (int64, bool) {
	id, err := strconv.ParseInt(chi.URLParam(r, name), 10, 64)
	return id, err == nil && id > 0
}

// actor is the principal as the author of a change.
func actor(r *http.Request) users.Actor {
	p := auth.FromContext(r.Context())
	a := users.Actor{RequestID: RequestID(r.Context())}
	if p != nil {
		a.UserID, a.Email = &p.UserID, p.Email
	}
	return a
}

// The parts of a date input, read as any number field is (plain digits, so not "+4" or "1e3"); the
// message is the date's, not theirs.
var (
	dateDay   = input.Number{Min: 1, Max: 31}
	dateMonth = input.Number{Min: 1, Max: 12}
	dateYear  = input.Number{Min: 1900, Max: 2200}
)

// parseDateParts reads a GOV.UK date input. All empty is a zero date; ok is false when the parts
// do not make a real date.
func parseDateParts(day, month, year string) (calendar.Date, bool) {
	day, month, year = strings.TrimSpace(day), strings.TrimSpace(month), strings.TrimSpace(year)
	if day == "" && month == "" && year == "" {
		return calendar.Date{}, true
	}
	d, err1 := dateDay.Int(day)
	m, err2 := dateMonth.Int(month)
	y, err3 := dateYear.Int(year)
	if err1 != nil || err2 != nil || err3 != nil {
		return calendar.Date{}, false
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if t.Day() != d {
		return calendar.Date{}, false
	}
	return calendar.NewDate(y, time.Month(m), d), true
}
