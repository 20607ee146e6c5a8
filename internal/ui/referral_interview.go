package ui

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/pathway"
	"github.com/coventry-cap/capportal/web/pages"
)

// referralInterviewShow asks for the interview date, by the school or the provider.
func (s *Server) referralInterviewShow(w http.ResponseWriter, r *http.Request) {
	ref := referralFrom(r.Context())
	v := pages.InterviewView{StepPage: refStepPage(ref, "Record the interview date", pathway.Interview), Time: ref.InterviewTime}
	if !ref.InterviewOn.IsZero() {
		v.Current = ref.InterviewOn.Format()
		if ref.InterviewTime != "" {
			v.Current += " at " + ref.InterviewTime
		}
		v.Heading = "Change the interview date"
		v.Day, v.Month, v.Year = strconv.Itoa(ref.InterviewOn.Day), strconv.Itoa(int(ref.InterviewOn.Month)), strconv.Itoa(ref.InterviewOn.Year)
	}
	s.render(w, r, http.StatusOK, pages.ReferralInterview(s.stepLayout(r, v.StepPage), v))
}

// referralInterview records the interview date. It may be a day already past (the interview may
// have happened before anyone recorded it), but not before the referral was submitted, and not more
// than a year ahead.
func (s *Server) referralInterview(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	ref := referralFrom(ctx)
	if !s.parseForm(w, r) {
		return
	}
	f := r.PostForm
	v := pages.InterviewView{StepPage: refStepPage(ref, "Record the interview date", pathway.Interview),
		Day: f.Get("interview-day"), Month: f.Get("interview-month"), Year: f.Get("interview-year"), Time: strings.TrimSpace(f.Get("time"))}
	if !ref.InterviewOn.IsZero() {
		v.Heading = "Change the interview date"
	}
	today := calendar.Today(s.Clock)
	on, msg, parts := stepDate("The interview date", v.Day, v.Month, v.Year)
	switch {
	case msg != "":
		v.Errors.AddAt("interview", "interview-"+firstOr(parts, "day"), msg)
		v.DateParts = parts
	case on.IsZero():
		v.Errors.AddAt("interview", "interview-day", "Enter the date of the interview")
	case ref.SubmittedAt != nil && on.Before(calendar.DateOf(*ref.SubmittedAt)):
		v.Errors.AddAt("interview", "interview-day", "The interview date must be on or after "+calendar.DateOf(*ref.SubmittedAt).Format()+", when the referral was submitted")
	case on.After(today.AddDays(365)):
		v.Errors.AddAt("interview", "interview-day", "The interview date must be within a year from today")
	}
	at, ok := interviewTime(v.Time)
	if !ok {
		v.Errors.Add("time", "Enter the time like 10am, 2:30pm or 14:30, or leave it empty")
	}
	if v.Errors.Any() {
		s.render(w, r, http.StatusUnprocessableEntity, pages.ReferralInterview(s.stepLayout(r, v.StepPage), v))
		return
	}
	if err := s.referrals.RecordInterview(ctx, referralActor(r), ref, on, at); err != nil {
		s.refuse(w, r, ref, err)
		return
	}
	msg = "Interview date saved: " + on.Format()
	if at != "" {
		msg += " at " + at
	}
	s.flash(ctx, msg)
	http.Redirect(w, r, ref.URL(), http.StatusSeeOther)
}

// interviewTime reads an optional time of day the ways people type it, and writes it one way
// ("10am", "2:30pm"). An empty time is fine.
func interviewTime(s string) (string, bool) {
	s = strings.ToLower(strings.ReplaceAll(strings.TrimSpace(s), " ", ""))
	s = strings.ReplaceAll(s, ".", ":")
	if s == "" {
		return "", true
	}
	for _, layout := range []string{"3pm", "3:04pm", "15:04", "1504"} {
		t, err := time.Parse(layout, s)
		if err != nil {
			continue
		}
		if t.Minute() == 0 {
			return t.Format("3pm"), true
		}
		return t.Format("3:04pm"), true
	}
	return "", false
}

// stepDate reads a GOV.UK date input the GOV.UK way: all empty is a zero date with no message; a
// missing or impossible part gets a message naming it, and the parts to mark.
func stepDate(label, day, month, year string) (calendar.Date, string, []string) {
	day, month, year = strings.TrimSpace(day), strings.TrimSpace(month), strings.TrimSpace(year)
	var missing []string
	for _, p := range []struct{ name, v string }{{"day", day}, {"month", month}, {"year", year}} {
		if p.v == "" {
			missing = append(missing, p.name)
		}
	}
	switch len(missing) {
	case 3:
		return calendar.Date{}, "", nil
	case 2:
		return calendar.Date{}, label + " must include a " + missing[0] + " and " + missing[1], missing
	case 1:
		return calendar.Date{}, label + " must include a " + missing[0], missing
	}
	if len(year) != 4 {
		return calendar.Date{}, "Year must include 4 numbers", []string{"year"}
	}
	d, ok := parseDateParts(day, month, year)
	if !ok {
		return calendar.Date{}, label + " must be a real date", nil
	}
	return d, "", nil
}

func firstOr(parts []string, otherwise string) string {
	if len(parts) > 0 {
		return parts[0]
	}
	return otherwise
}
