package ui_test

import (
	"context"
	"encoding/csv"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/coventry-cap/capportal/internal/auth"
	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/placement"
	"github.com/coventry-cap/capportal/internal/placement/placementtest"
	"github.com/coventry-cap/capportal/internal/testapp"
	"github.com/coventry-cap/capportal/internal/ui"
	"github.com/coventry-cap/capportal/web/pages"
)

const (
	chAdmin       = "admin@cap.example"
	chCoordinator = "coordinator@whitmore.school.example"
	chRidgeway    = "staff@ridgeway.provider.example"
	chAcademy     = "staff@capa.provider.example"
)

func chDay(y int, m time.Month, d int) calendar.Date { return calendar.NewDate(y, m, d) }

// chRequestID is the ID at the end of a request's address ("/changes/12").
func chRequestID(t *testing.T, loc string) string {
	t.Helper()
	i := strings.LastIndex(loc, "/")
	if _, err := strconv.Atoi(loc[i+1:]); err != nil {
		t.Fatalf("not a request's address: %q", loc)
	}
	return loc[i+1:]
}

// Through its pages: the provider starts a change of day (what was typed is kept when it is
// refused), the school's submission is refused until both sides have agreed, CAP's queue shows the due
// day, CAP applies it from a date, and both sides are told without the student's name.
func TestAChangeOfDayThroughItsPages(t *testing.T) {
	a := testapp.New(t) // Monday 23 November 2026
	kai := placementtest.Create(t, a.Pool, placementtest.Spec{Student: "Kai", Provider: "ridgeway", Start: chDay(2026, time.November, 2), Days: []int32{1, 2}})
	provider, school, admin := pwSignedIn(t, a, chRidgeway), pwSignedIn(t, a, chCoordinator), pwSignedIn(t, a, chAdmin)
	path := "/placements/" + strconv.FormatInt(kai, 10) + "/change-of-day"

	doc := provider.Get(path).Doc(t)
	if got := pwText(doc.Find(`[data-testid="placement-summary"]`)); !strings.Contains(got, "Days now Mondays and Tuesdays, mornings and afternoons") {
		t.Fatalf("the form's placement: %q", got)
	}
	r := provider.Post(path, url.Values{"days": {"3"}, "sessions": {"am"}, "reason": {"The Tuesday group moved"}})
	if r.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("without the impact: %d", r.StatusCode)
	}
	doc = r.Doc(t)
	if got := doc.Find(".govuk-error-summary").Text(); !strings.Contains(got, "Enter the impact you considered") {
		t.Errorf("error summary %q", got)
	}
	if v, _ := doc.Find("#reason").Html(); v != "The Tuesday group moved" {
		t.Errorf("the reason typed was not kept: %q", v)
	}
	if _, checked := doc.Find(`input[name="days"][value="3"]`).Attr("checked"); !checked {
		t.Error("the day ticked was not kept")
	}
	r = provider.Post(path, url.Values{"days": {"3", "4"}, "sessions": {"am"}, "reason": {"The Tuesday group moved"},
		"impact": {"He keeps English at school on Tuesdays."}})
	if r.StatusCode != http.StatusSeeOther || !strings.HasPrefix(r.Location(), "/changes/") {
		t.Fatalf("start: %d to %q", r.StatusCode, r.Location())
	}
	req := r.Location()
	id := chRequestID(t, req)
	// Another provider does not learn the request exists.
	academy := pwSignedIn(t, a, chAcademy)
	if r := academy.Get(req); r.StatusCode != http.StatusNotFound {
		t.Errorf("the Academy's staff see Ridgeway's request: %d", r.StatusCode)
	}
	if got := academy.Get("/changes").Doc(t).Find(`[data-testid="queue"]`).Length(); got != 0 {
		t.Error("the Academy's queue lists Ridgeway's request")
	}

	// Submitted before the agreements: refused on the page, with the rule.
	r = school.Post(req+"/submit", nil)
	if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.Doc(t).Find(".govuk-error-summary").Text(), "until the school and the provider have both agreed") {
		t.Fatalf("submitted without agreements: %d", r.StatusCode)
	}
	// The school agrees only for itself.
	if r := school.Post(req+"/agree", url.Values{"side": {"provider"}}); r.StatusCode != http.StatusForbidden {
		t.Errorf("the school agreeing for the provider: %d", r.StatusCode)
	}
	for c, side := range map[*testapp.Client]string{school: "school", provider: "provider"} {
		if r := c.Post(req+"/agree", url.Values{"side": {side}}); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("%s agrees: %d", side, r.StatusCode)
		}
	}
	if got := pwText(school.Get(req).Doc(t).Find(`[data-testid="agreements"]`)); !strings.Contains(got, "The school Agreed by Hannah Okafor on 23 November 2026") ||
		!strings.Contains(got, "The provider Agreed by Craig Holloway") {
		t.Errorf("agreements: %q", got)
	}
	if r := provider.Post(req+"/submit", nil); r.StatusCode != http.StatusForbidden {
		t.Errorf("the provider submitting: %d", r.StatusCode)
	}
	if r := school.Post(req+"/submit", nil); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("submit: %d", r.StatusCode)
	}
	// CAP's queue: due two working days later, Wednesday 25 November; late from the Thursday.
	row := pwText(admin.Get("/changes").Doc(t).Find(`[data-testid="queue"] tbody tr`))
	if !strings.Contains(row, "Kai Adeyemi-Brown") || !strings.Contains(row, "25 November 2026") || strings.Contains(row, "Late") {
		t.Errorf("CAP's queue on Monday: %q", row)
	}
	a.Clock.Set(time.Date(2026, time.November, 26, 9, 0, 0, 0, calendar.London()))
	admin, school = pwSignedIn(t, a, chAdmin), pwSignedIn(t, a, chCoordinator) // sessions end after a day idle
	if row := pwText(admin.Get("/changes").Doc(t).Find(`[data-testid="queue"] tbody tr`)); !strings.Contains(row, "Late") {
		t.Errorf("CAP's queue on Thursday: %q", row)
	}
	// CAP applies it from a date: not one in the past.
	r = admin.Post(req+"/apply", url.Values{"from-day": {"25"}, "from-month": {"11"}, "from-year": {"2026"}})
	if r.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("applied from yesterday: %d", r.StatusCode)
	}
	if v, _ := r.Doc(t).Find("#from-day").Attr("value"); v != "25" {
		t.Errorf("the day typed was not kept: %q", v)
	}
	r = admin.Post(req+"/apply", url.Values{"from-day": {"30"}, "from-month": {"11"}, "from-year": {"2026"}})
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("apply: %d", r.StatusCode)
	}
	doc = school.Get(req).Doc(t)
	if got := pwText(doc.Find(`[data-testid="request-steps"]`)); strings.Contains(got, "To do") {
		t.Errorf("steps after applying: %q", got)
	}
	if got := pwText(doc.Find(`[data-testid="request-summary"]`)); !strings.Contains(got, "New days from 30 November 2026") {
		t.Errorf("summary after applying: %q", got)
	}
	// Told, by notification and email, without the student's name.
	emails := a.WaitForEmails(t, 1)
	confirmed := 0
	for _, e := range emails {
		if strings.Contains(e.Subject+e.Body, "Kai") || strings.Contains(e.Subject+e.Body, "Adeyemi") {
			t.Errorf("an email names the student: %q", e.Subject)
		}
		if e.Kind == "placement.change_applied" {
			confirmed++
		}
	}
	if confirmed < 2 {
		t.Errorf("%d confirmation emails, want the school's and the provider's", confirmed)
	}
	if got := pwInt(t, a, `SELECT count(*) FROM audit_log WHERE action = $1 AND details->>'request' = $2`, placement.ActionChangeApplied, id); got != 1 {
		t.Errorf("%d audit rows for applying", got)
	}
}

// A provider's withdrawal cannot be submitted until the meeting with CAP and the school is recorded;
// then CAP ends the placement from the last day it chooses.
func TestAProvidersWithdrawalIsRefusedUntilTheMeetingIsRecorded(t *testing.T) {
	a := testapp.New(t)
	kai := placementtest.Create(t, a.Pool, placementtest.Spec{Student: "Kai", Provider: "ridgeway", Start: chDay(2026, time.November, 2), Days: []int32{1, 2}})
	provider, admin := pwSignedIn(t, a, chRidgeway), pwSignedIn(t, a, chAdmin)
	r := provider.Post("/placements/"+strconv.FormatInt(kai, 10)+"/withdraw", url.Values{"reason": {"Not attending"}, "impact": {"Considered with the school."}})
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("start: %d", r.StatusCode)
	}
	req := r.Location()
	r = provider.Post(req+"/submit", nil)
	if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.Doc(t).Find(".govuk-error-summary").Text(), "Record the meeting with CAP and the school before you submit") {
		t.Fatalf("submitted before the meeting: %d", r.StatusCode)
	}
	r = provider.Post(req+"/meeting", url.Values{"held-day": {"20"}, "held-month": {"11"}, "held-year": {"2026"}, "attendees": {""}, "notes": {"Agreed to withdraw"}})
	if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.Doc(t).Find(".govuk-error-summary").Text(), "Enter who attended") {
		t.Fatalf("a meeting without who attended: %d", r.StatusCode)
	}
	if r := provider.Post(req+"/meeting", url.Values{"held-day": {"20"}, "held-month": {"11"}, "held-year": {"2026"},
		"attendees": {"Craig Holloway, Hannah Okafor, a CAP Monitoring Officer"}, "notes": {"Agreed to withdraw"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("record the meeting: %d", r.StatusCode)
	}
	if r := provider.Post(req+"/submit", nil); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("submit after the meeting: %d", r.StatusCode)
	}
	doc := admin.Get(req).Doc(t)
	if doc.Find(`[data-testid="process-form"] input[name="placements"]`).Length() != 1 {
		t.Fatalf("CAP's choice of the course's placements: %q", pwText(doc.Find(`[data-testid="process-form"]`)))
	}
	if got := pwText(doc.Find(`[data-testid="request-summary"]`)); !strings.Contains(got, "CAP processes it by 30 November 2026") {
		t.Errorf("due day: %q", got)
	}
	if r := admin.Post(req+"/process", url.Values{"placements": {strconv.FormatInt(kai, 10)}, "last-day": {"27"}, "last-month": {"11"}, "last-year": {"2026"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("process: %d", r.StatusCode)
	}
	if got := pwText(admin.Get("/placements/" + strconv.FormatInt(kai, 10) + "/outcome").Doc(t).Find(`[data-testid="outcome"]`)); !strings.Contains(got, "Outcome Withdrawn") ||
		!strings.Contains(got, "Last day 27 November 2026") {
		t.Errorf("the outcome page: %q", got)
	}
}

// The census page and its download: a school's own placements, the reason and association it
// records, the CSV's header; a provider may not download it.
func TestTheCensusPageAndDownload(t *testing.T) {
	a := testapp.New(t)
	kai := placementtest.Create(t, a.Pool, placementtest.Spec{Student: "Kai", Provider: "ridgeway", Start: chDay(2026, time.November, 2), Days: []int32{1, 2}})
	placementtest.Create(t, a.Pool, placementtest.Spec{Student: "Harvey", Provider: "ridgeway", Start: chDay(2026, time.November, 2), Days: []int32{3}})
	school := pwSignedIn(t, a, chCoordinator)
	reason, association := placement.CensusReasonField(kai), placement.CensusAssociationField(kai)
	r := school.Post("/census", url.Values{"year": {"2026/27"}, reason: {"BEH"}, association: {""}})
	if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.Doc(t).Find(".govuk-error-summary").Text(), "Select the pupil’s association") {
		t.Fatalf("a reason without an association: %d", r.StatusCode)
	}
	if v, _ := r.Doc(t).Find("#" + reason + " option[selected]").Attr("value"); v != "BEH" {
		t.Errorf("the reason chosen was not kept: %q", v)
	}
	if r := school.Post("/census", url.Values{"year": {"2026/27"}, reason: {"BEH"}, association: {"SNG"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("save: %d", r.StatusCode)
	}
	r = school.Get("/census.csv?year=2026%2F27")
	if r.StatusCode != http.StatusOK || !strings.HasPrefix(r.Header.Get("Content-Type"), "text/csv") ||
		!strings.Contains(r.Header.Get("Content-Disposition"), "cap-ap-placements-2026-27-2026-11-23.csv") {
		t.Fatalf("download: %d %q %q", r.StatusCode, r.Header.Get("Content-Type"), r.Header.Get("Content-Disposition"))
	}
	records, err := csv.NewReader(strings.NewReader(r.Body)).ReadAll()
	if err != nil || len(records) != 2 || strings.Join(records[0], ",") != strings.Join(placement.CensusColumns, ",") {
		t.Fatalf("Whitmore's file: %q, %v", records, err)
	}
	if got := records[1]; got[2] != "Adeyemi-Brown" || got[12] != "BEH" || got[13] != "SNG" {
		t.Errorf("Kai's row: %q", got)
	}
	if n := pwInt(t, a, `SELECT count(*) FROM audit_log WHERE request_id = $1`, r.Header.Get("X-Request-Id")); n != 1 {
		t.Errorf("the download wrote %d audit rows", n)
	}
	if r := pwSignedIn(t, a, chRidgeway).Get("/census.csv"); r.StatusCode != http.StatusForbidden {
		t.Errorf("a provider downloading the census: %d", r.StatusCode)
	}
	if got := pwSignedIn(t, a, chAdmin).Get("/census.csv?year=2026%2F27").Body; strings.Count(got, "\n") != 3 {
		t.Errorf("CAP's file has %d lines, want a header and both schools' placements", strings.Count(got, "\n"))
	}
}

// The student's hours page flags a part-time timetable and asks for its review date; the NEET-risk
// page lists a Year 11 student until their destination is confirmed; the section builders the lead
// drops into the placement, student and school pages render.
func TestHoursDestinationsAndTheSections(t *testing.T) {
	var app *testapp.App
	a := testapp.New(t, testapp.Options{ExtraRoutes: func(rt *ui.Routes) {
		rt.Handle(http.MethodGet, "/test/sections/{placement}/{student}/{school}", auth.SignedIn(), func(w http.ResponseWriter, r *http.Request) {
			var ids [3]int64
			for i, s := range strings.Split(strings.TrimPrefix(r.URL.Path, "/test/sections/"), "/") {
				ids[i], _ = strconv.ParseInt(s, 10, 64)
			}
			p, err := placement.Store{DB: app.Pool, Clock: app.Clock}.Get(r.Context(), placement.Actor{Principal: auth.FromContext(r.Context())}, ids[0])
			if err != nil {
				http.Error(w, err.Error(), http.StatusInternalServerError)
				return
			}
			changes, err1 := app.Server.ChangesAndEndingsSection(r, p)
			hours, err2 := app.Server.StudentHoursSection(r, ids[1])
			partTime, err3 := app.Server.SchoolPartTimeSection(r, ids[2])
			for _, err := range []error{err1, err2, err3} {
				if err != nil {
					http.Error(w, err.Error(), http.StatusInternalServerError)
					return
				}
			}
			_ = pages.PlacementChangesAndEndings(changes).Render(r.Context(), w)
			_ = pages.StudentHours(hours).Render(r.Context(), w)
			_ = pages.SchoolPartTimeTimetables(partTime).Render(r.Context(), w)
		})
	}})
	app = a
	tyler := placementtest.Create(t, a.Pool, placementtest.Spec{Student: "Tyler", Provider: "ridgeway", Start: chDay(2026, time.November, 2), Days: []int32{1, 2}})
	var student, schoolID int64
	if err := a.Pool.QueryRow(context.Background(), `SELECT student_id, school_id FROM placements WHERE id = $1`, tyler).Scan(&student, &schoolID); err != nil {
		t.Fatal(err)
	}
	school := pwSignedIn(t, a, chCoordinator)
	hours := "/students/" + strconv.FormatInt(student, 10) + "/hours"
	doc := school.Get(hours).Doc(t)
	if got := pwText(doc.Find(`[data-testid="part-time"]`)); !strings.Contains(got, "Part-time timetable: 10 hours a week, 15 below full-time (25 hours for Year 11). A review date must be set.") {
		t.Errorf("Tyler's hours before the school records any: %q", got)
	}
	r := school.Post(hours, url.Values{"home": {"12.5"}})
	if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.Doc(t).Find(".govuk-error-summary").Text(), "Enter the date the part-time timetable will be reviewed") {
		t.Fatalf("part-time without a review date: %d", r.StatusCode)
	}
	if v, _ := r.Doc(t).Find("#home").Attr("value"); v != "12.5" {
		t.Errorf("the hours typed were not kept: %q", v)
	}
	if r := school.Post(hours, url.Values{"home": {"1e1"}}); r.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("hours typed as 1e1: %d", r.StatusCode)
	}
	if r := school.Post(hours, url.Values{"home": {"12.5"}, "review-day": {"8"}, "review-month": {"1"}, "review-year": {"2027"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("save the hours: %d", r.StatusCode)
	}
	// The sections as the lead will show them.
	body := school.Get("/test/sections/" + strconv.FormatInt(tyler, 10) + "/" + strconv.FormatInt(student, 10) + "/" + strconv.FormatInt(schoolID, 10)).Body
	for _, want := range []string{`data-testid="changes-and-endings"`, "Request a change of day", "Request a withdrawal",
		"Part-time timetable: 22.5 hours a week", "Tyler Cooke", "22.5 of 25", "8 January 2027"} {
		if !strings.Contains(body, want) {
			t.Errorf("the sections do not say %q", want)
		}
	}

	// The NEET-risk list: Tyler is listed until a destination is confirmed.
	neet := func() string { return pwText(school.Get("/neet-risk").Doc(t).Find(`[data-testid="neet-risk"]`)) }
	if got := neet(); !strings.Contains(got, "Tyler Cooke") || !strings.Contains(got, "None recorded") {
		t.Fatalf("the NEET-risk list: %q", got)
	}
	dest := "/students/" + strconv.FormatInt(student, 10) + "/destination"
	r = school.Post(dest, url.Values{"destination": {"apprenticeship"}})
	if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.Doc(t).Find(".govuk-error-summary").Text(), "Enter the date the destination was confirmed") {
		t.Fatalf("a destination without its date: %d", r.StatusCode)
	}
	if r := school.Post(dest, url.Values{"destination": {"apprenticeship"}, "confirmed-day": {"20"}, "confirmed-month": {"11"}, "confirmed-year": {"2026"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("record the destination: %d", r.StatusCode)
	}
	if got := neet(); strings.Contains(got, "Tyler") {
		t.Errorf("Tyler still listed after his apprenticeship was confirmed: %q", got)
	}
	// CAP sets the date.
	admin := pwSignedIn(t, a, chAdmin)
	if r := admin.Post("/neet-risk/date", url.Values{"check-day": {"28"}, "check-month": {"5"}, "check-year": {"2027"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("set the date: %d", r.StatusCode)
	}
	if got := pwText(school.Get("/neet-risk").Doc(t).Find(`[data-testid="neet-date"]`)); !strings.Contains(got, "by 28 May 2027") {
		t.Errorf("the date shown: %q", got)
	}
	if r := school.Post("/neet-risk/date", url.Values{"check-day": {"1"}, "check-month": {"5"}, "check-year": {"2027"}}); r.StatusCode != http.StatusForbidden {
		t.Errorf("a school setting the date: %d", r.StatusCode)
	}
}
