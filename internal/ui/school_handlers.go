package ui

import (
	"net/http"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/coventry-cap/capportal/internal/calendar"
)

// The schools and SLA pages: school_list.go, school_show.go, sla_show.go and sla_save.go. What they
// share is here.

// slaYearParam reads an academic year from the URL, where it is written "2026-27" because a slash
// cannot sit inside one path segment; ok is false when it is not a year code.
func slaYearParam(r *http.Request) (string, bool) {
	code := strings.Replace(chi.URLParam(r, "year"), "-", "/", 1)
	if _, err := calendar.ParseAcademicYearCode(code); err != nil {
		return "", false
	}
	return code, true
}

// slaHref is the address of a school's SLA page for the year.
func slaHref(schoolID int64, year string) string {
	return "/schools/" + itoa(schoolID) + "/sla/" + strings.Replace(year, "/", "-", 1)
}

// slaStatus names an SLA's status and its tag colour.
func slaStatus(signed bool) (string, string) {
	if signed {
		return "Signed", "green"
	}
	return "Not signed", "grey"
}
