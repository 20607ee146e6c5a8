package ui_test

import (
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/placement/placementtest"
	"github.com/coventry-cap/capportal/internal/student"
	"github.com/coventry-cap/capportal/internal/testapp"
)

// No personal data in logs (issue 14): a student with marker values for name, date of birth and UPN
// is added, edited, imported (with a refused row), searched for, referred along the Tier 1 pathway to
// an active placement and to Flourish onto a panel's agenda, marked on a register and monitored
// (reviews, an incident, a meeting, a change of day, a withdrawal, the name typed into their notes),
// and the pages are opened by every kind of person, some of whom may not see the student; then no log line holds any of the markers, nor the date of birth in any of its
// common spellings.
func TestNoStudentDataInTheLogs(t *testing.T) {
	a := testapp.New(t) // Monday 23 November 2026
	const first, last = "Quorvalintha", "Brisklemarrow"
	rest := "331290112345"
	letter, ok := student.CheckLetter(rest)
	if !ok {
		t.Fatal("no check letter")
	}
	upn := string(letter) + rest
	rest2 := "331290112346"
	letter2, _ := student.CheckLetter(rest2)
	upn2 := string(letter2) + rest2
	markers := []string{first, last, upn, rest, upn2, rest2,
		// 7 March 2012, as people and programs write it.
		"2012-03-07", "07/03/2012", "7/3/2012", "07-03-2012", "7 March 2012", "07 March 2012", "7 Mar 2012", "20120307", "03/07/2012", "2012-03-07T"}

	coord := pwSignedIn(t, a, pwCoordinator)
	admin := pwSignedIn(t, a, pwAdmin)
	provider := pwSignedIn(t, a, pwRidgeway)
	officer := pwSignedIn(t, a, "monitoring@cap.example")
	others := []*testapp.Client{pwSignedIn(t, a, pwOtherCoordinator), pwSignedIn(t, a, "staff@lumen.provider.example"),
		pwSignedIn(t, a, "panel@cap.example"), pwSignedIn(t, a, "dsl@ridgeway.provider.example")}
	everyone := append([]*testapp.Client{coord, admin, provider, officer, pwSignedIn(t, a, "dsl@whitmore.school.example"),
		pwSignedIn(t, a, "safeguarding@cap.example"), pwSignedIn(t, a, "lead@cap.example")}, others...)
	must := func(what string, r testapp.Response, want int) testapp.Response {
		t.Helper()
		if r.StatusCode != want {
			t.Fatalf("%s: %d, want %d: %s", what, r.StatusCode, want, strings.Join(strings.Fields(r.Doc(t).Find(".govuk-error-summary, main h1").Text()), " "))
		}
		return r
	}

	// Added with a mistake first (the form comes back with what was typed), then saved.
	form := studentValidForm()
	form.Set("upn", upn)
	form.Set("legal_first_name", first)
	form.Set("legal_last_name", last)
	form.Set("dob-day", "31")
	form.Set("dob-month", "2")
	form.Set("dob-year", "2012")
	form.Set("year_group", "10")
	must("a student with a date that does not exist", coord.Post("/students", form), http.StatusUnprocessableEntity)
	form.Set("dob-day", "7")
	form.Set("dob-month", "3")
	r := must("add the student", coord.Post("/students", form), http.StatusSeeOther)
	studentPath := r.Location()
	studentID := strings.TrimPrefix(studentPath, "/students/")
	must("the same form again", coord.Post("/students", form), http.StatusSeeOther)
	again := maps.Clone(form)
	again.Set("legal_first_name", "Another")
	if r := coord.Post("/students", again); r.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("another student with the same UPN: %d, want 422", r.StatusCode)
	}
	must("the student's page", coord.Get(studentPath), http.StatusOK)
	edit := studentFormFromPage(must("the edit form", coord.Get(studentPath+"/edit"), http.StatusOK).Doc(t))
	edit.Set("contact1_phone", "07700 900999")
	must("edit the student", coord.Post(studentPath, edit), http.StatusSeeOther)
	edit.Set("dob-month", "13")
	must("edit with a bad date", coord.Post(studentPath, edit), http.StatusUnprocessableEntity)

	// Searched for by every marker, and opened, by everyone; some may not see the student.
	for _, c := range everyone {
		for _, m := range markers[:4] {
			c.Get("/students?q=" + url.QueryEscape(m))
			c.Get("/directory?q=" + url.QueryEscape(m))
			c.Get("/admin/audit?subject=" + url.QueryEscape(m))
		}
		c.Get(studentPath)
		c.Get(studentPath + "/hours")
		c.Get(studentPath + "/destination")
	}

	// A second student with the same surname and date of birth comes in from the school's MIS export,
	// with a row the import refuses (a date that does not exist) naming them too.
	header := "UPN,Legal forename,Legal surname,Preferred forename,Preferred surname,DOB,Sex,Year,SEN,FSM,Looked after,CP/CIN,Ethnicity,Address,Postcode," +
		"Contact 1 name,Contact 1 relationship,Contact 1 phone,Contact 1 email,Contact 1 parental responsibility\n"
	csv := header + upn2 + ",Tamsin," + last + ",,,07/03/2012,F,10,N,N,N,N,White British,\"1 Hen Lane, Coventry\",CV6 4LD,Dawn " + last + ",Mother,07700 900341,,Y\n" +
		"Z331290112347," + first + "," + last + ",,,31/02/2012,F,10,N,N,N,N,,,,,,,,\n"
	preview := must("the import's preview", studentPostFile(t, coord, a, last+".csv", []byte(csv), nil), http.StatusOK)
	action := preview.Doc(t).Find("#confirm-import").Closest("form").AttrOr("action", "")
	must("confirm the import", coord.Post(action, url.Values{}), http.StatusSeeOther)

	// Referred to Ridgeway's course through the application's pages, then along the pathway.
	key := appStart(t, coord, studentID, appCourseID(t, a))
	appFillAll(t, coord, key, "course")
	must("the risk assessment", appUpload(t, a, coord, key, appRiskAssessment("20", "11", "2026"), first+"-"+last+"-risk-assessment.pdf", appPDF), http.StatusSeeOther)
	must("no commissioning agreement", coord.Post("/referrals/"+key+"/documents", url.Values{"intent": {"no_commissioning"}, "no_commissioning": {"yes"}}), http.StatusSeeOther)
	must("check answers", coord.Get("/referrals/"+key+"/check"), http.StatusOK)
	must("submit", coord.Post("/referrals/"+key+"/submit", nil), http.StatusSeeOther)
	ref := "/referrals/" + mxString(t, a, `SELECT reference FROM referrals WHERE id = $1`, strings.TrimPrefix(key, "draft-"))
	for _, c := range everyone {
		c.Get(ref)
		c.Get(ref + "/pack.pdf")
		c.Get("/referrals")
	}
	must("the send-pack page", admin.Get(ref+"/send-pack"), http.StatusOK)
	must("send the pack", admin.Post(ref+"/send-pack", url.Values{}), http.StatusSeeOther)
	must("the pack", provider.Get(ref+"/pack.pdf"), http.StatusOK)
	must("record the interview", provider.Post(ref+"/interview", url.Values{"interview-day": {"30"}, "interview-month": {"11"}, "interview-year": {"2026"}, "time": {"2.30 pm"}}), http.StatusSeeOther)

	// A placement already running on other days, marked on its registers and monitored.
	placementID := formatInt(placementtest.Create(t, a.Pool, placementtest.Spec{StudentID: pwInt(t, a, `SELECT id FROM students WHERE upn = $1`, upn),
		Provider: "ridgeway", Start: calendar.NewDate(2026, time.November, 3), Days: []int32{2, 4}}))
	register := "/registers/" + mxString(t, a, `SELECT id::text FROM organisations WHERE slug = 'ridgeway'`) + "/2026-11-19/am"
	must("the register", provider.Get(register), http.StatusOK)
	provider.Post(register, url.Values{"mark-" + placementID: {"absent"}, "reason-" + placementID: {first}}) // refused or saved: either way logged
	must("take the register", provider.Post(register, url.Values{"mark-" + placementID: {"present"}}), http.StatusSeeOther)
	mark := mxString(t, a, `SELECT max(id)::text FROM attendance_marks WHERE placement_id = $1`, placementID)
	must("the mark's correction form", provider.Get("/marks/"+mark+"/correct"), http.StatusOK)
	ids := plantMonitoring(t, a, pwRidgeway, placementID, first+" "+last)
	for _, c := range everyone {
		for _, p := range []string{"/placements/" + placementID, "/placements/" + placementID + "/monitoring", "/meetings/" + ids[meetingRec],
			"/changes/" + ids[changeRec], "/withdrawals/" + ids[withdrawalRec], "/placements", "/registers", register, "/changes", "/withdrawals",
			"/", "/notifications", "/census", "/census.csv?year=2026%2F27", "/neet-risk"} {
			c.Get(p)
		}
	}

	// The student is also referred to Flourish, whose application joins the panel's agenda: the panel
	// members and CAP open it and the agenda.
	flourish := paOnAgenda(t, a, pwCoordinator, pwInt(t, a, `SELECT id FROM students WHERE upn = $1`, upn), paFlourish(t, a))
	agenda := "/panels/rounds/" + formatInt(flourish.PanelRoundID) + "/review"
	if r := pwSignedIn(t, a, "panel@cap.example").Get(agenda); r.StatusCode != http.StatusOK || !strings.Contains(r.Body, first) {
		t.Fatalf("the panel's agenda: %d, names the student: %v", r.StatusCode, strings.Contains(r.Body, first))
	}
	for _, c := range []*testapp.Client{admin, pwSignedIn(t, a, "panel@cap.example"), pwSignedIn(t, a, "headteacher@whitmore.school.example"), coord} {
		c.Get(flourish.URL())
		c.Get(agenda)
		c.Get("/panels/rounds/" + formatInt(flourish.PanelRoundID))
		c.Get(flourish.URL() + "/pack.pdf")
	}

	// A week on, the provider accepts; CAP processes it and sets the placement up.
	a.Clock.Set(time.Date(2026, time.November, 30, 16, 0, 0, 0, calendar.London()))
	admin, provider = pwSignedIn(t, a, pwAdmin), pwSignedIn(t, a, pwRidgeway)
	must("respond", provider.Post(ref+"/respond", pwRespondForm()), http.StatusSeeOther)
	must("process", admin.Post(ref+"/process", url.Values{}), http.StatusSeeOther)
	must("set up the placement", admin.Post(ref+"/placement", url.Values{"qa": {"yes"}}), http.StatusSeeOther)
	for _, c := range []*testapp.Client{admin, provider} {
		c.Get(ref)
		c.Get(studentPath)
		c.Get("/placements")
	}
	a.WaitForEmails(t, 1)

	logs := a.LogText()
	lines := strings.Split(strings.TrimSpace(logs), "\n")
	if len(lines) < 200 || !strings.Contains(logs, `"msg":"request"`) {
		t.Fatalf("only %d log lines: the journeys did not run through the logged handler", len(lines))
	}
	found := 0
	lower := strings.ToLower
	for _, line := range lines {
		for _, m := range markers {
			if strings.Contains(lower(line), lower(m)) {
				found++
				t.Errorf("a log line holds the student's %q: %s", m, line)
				break
			}
		}
	}
	fmt.Printf("VERIFY|logs: marker values found in log lines|%d|0\n", found)
	t.Logf("%d log lines searched for %d marker values", len(lines), len(markers))
}
