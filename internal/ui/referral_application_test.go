package ui_test

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/coventry-cap/capportal/internal/auth"
	"github.com/coventry-cap/capportal/internal/directory"
	"github.com/coventry-cap/capportal/internal/referral"
	"github.com/coventry-cap/capportal/internal/testapp"
)

const (
	appCoordinator = "coordinator@whitmore.school.example"
	appKaiUPN      = "C331290115001" // Kai Adeyemi-Brown, Year 10 at Whitmore Park Academy, SEN support
)

// appPDF is a small real PDF.
var appPDF = []byte("%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")

func appQueryString(t *testing.T, a *testapp.App, sql string, args ...any) string {
	t.Helper()
	var s string
	if err := a.Pool.QueryRow(context.Background(), sql, args...).Scan(&s); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	return s
}

func appCount(t *testing.T, a *testapp.App, sql string, args ...any) int {
	t.Helper()
	var n int
	if err := a.Pool.QueryRow(context.Background(), sql, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	return n
}

// appStudentID is the ID of a Whitmore student by the last characters of their UPN.
func appStudentID(t *testing.T, a *testapp.App, upnSuffix string) string {
	t.Helper()
	return appQueryString(t, a, `SELECT id::text FROM students WHERE upn LIKE '%' || $1`, upnSuffix)
}

// appCourseID is Ridgeway Motor Skills' Tier 1 motor vehicle course.
func appCourseID(t *testing.T, a *testapp.App) string {
	t.Helper()
	return appQueryString(t, a, `SELECT p.id::text FROM programmes p JOIN organisations o ON o.id = p.organisation_id
		WHERE o.slug = 'ridgeway' AND p.name = 'Motor Vehicle Maintenance'`)
}

func appProgrammeOfKind(t *testing.T, a *testapp.App, kind string) string {
	t.Helper()
	return appQueryString(t, a, `SELECT id::text FROM programmes WHERE kind = $1 AND active ORDER BY id LIMIT 1`, kind)
}

func appSignedIn(t *testing.T, a *testapp.App, email string) *testapp.Client {
	t.Helper()
	c := a.Client(t)
	c.SignIn(email)
	return c
}

// appStartForm opens the start page for the student and programme and returns the start form's values.
func appStartForm(t *testing.T, c *testapp.Client, studentID, programmeID string) url.Values {
	t.Helper()
	r := c.Get("/referrals/new?student=" + studentID + "&programme=" + programmeID)
	if r.StatusCode != http.StatusOK {
		t.Fatalf("start page: %d", r.StatusCode)
	}
	form := r.Doc(t).Find(`form[data-testid="start"]`)
	if form.Length() != 1 {
		t.Fatalf("no start form; the page says %q", strings.Join(strings.Fields(r.Doc(t).Find("main").Text()), " "))
	}
	vals := url.Values{}
	form.Find("input[type=hidden]").Each(func(_ int, in *goquery.Selection) {
		vals.Set(in.AttrOr("name", ""), in.AttrOr("value", ""))
	})
	return vals
}

var appDraftPath = regexp.MustCompile(`^/referrals/(draft-[0-9]+)/application$`)

// appStart starts an application and returns its key (draft-N).
func appStart(t *testing.T, c *testapp.Client, studentID, programmeID string) string {
	t.Helper()
	r := c.Post("/referrals", appStartForm(t, c, studentID, programmeID))
	m := appDraftPath.FindStringSubmatch(r.Location())
	if r.StatusCode != http.StatusSeeOther || m == nil {
		t.Fatalf("start: %d to %q", r.StatusCode, r.Location())
	}
	return m[1]
}

// appSectionAnswers are complete answers to a section as its form posts them.
func appSectionAnswers(sec referral.Section, parental string) url.Values {
	v := url.Values{"action": {"continue"}}
	for _, f := range sec.Fields {
		switch f.Type {
		case referral.FromRecord:
			continue
		case referral.Parental:
			v.Set(f.Name, parental)
		case referral.YesNo:
			v.Set(f.Name, "no")
		case referral.Confirm:
			v.Set(f.Name, "yes")
		case referral.DateOf:
			v.Set(f.Name+"-day", "2")
			v.Set(f.Name+"-month", "11")
			v.Set(f.Name+"-year", "2026")
		case referral.Percent:
			v.Set(f.Name, "84.5")
		default:
			v.Set(f.Name, "An answer to: "+f.Short)
		}
	}
	return v
}

// appFillAll completes every section but the documents.
func appFillAll(t *testing.T, c *testapp.Client, key string, kind directory.Kind) {
	t.Helper()
	for _, sec := range referral.Sections(kind) {
		if sec.ID == referral.SectionDocuments {
			continue
		}
		// Consent was given by the first person with parental responsibility on the student's record.
		parental := c.Get("/referrals/"+key+"/sections/"+referral.SectionConsents).Doc(t).Find(`input[name="consent_name"]`).First().AttrOr("value", "")
		r := c.Post("/referrals/"+key+"/sections/"+sec.ID, appSectionAnswers(sec, parental))
		if r.StatusCode != http.StatusSeeOther || r.Location() != "/referrals/"+key+"/application" {
			t.Fatalf("section %s: %d to %q: %s", sec.ID, r.StatusCode, r.Location(), r.Doc(t).Find(".govuk-error-summary").Text())
		}
	}
}

// appUpload posts the upload form with a file.
func appUpload(t *testing.T, a *testapp.App, c *testapp.Client, key string, fields url.Values, name string, data []byte) testapp.Response {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, vs := range fields {
		for _, v := range vs {
			if err := mw.WriteField(k, v); err != nil {
				t.Fatal(err)
			}
		}
	}
	fw, err := mw.CreateFormFile("file", name)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fw.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := mw.Close(); err != nil {
		t.Fatal(err)
	}
	req, err := http.NewRequest(http.MethodPost, a.URL+"/referrals/"+key+"/documents", &body)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	return c.Do(req)
}

// appRiskAssessment is the upload form for a risk assessment on the CAP template completed on the date.
func appRiskAssessment(day, month, year string) url.Values {
	return url.Values{"intent": {"upload"}, "kind": {"risk_assessment"}, "template": {"cap"},
		"completed-day": {day}, "completed-month": {month}, "completed-year": {year}, "description": {"Reviewed with the family"}}
}

func appErrorSummary(t *testing.T, r testapp.Response) string {
	t.Helper()
	return strings.Join(strings.Fields(r.Doc(t).Find(".govuk-error-summary").Text()), " ")
}

func TestReferralApplicationGoesFromStartToSubmittedWithAReference(t *testing.T) {
	a := testapp.New(t)
	c := appSignedIn(t, a, appCoordinator)
	kai, course := appStudentID(t, a, "15001"), appCourseID(t, a)

	// The start page offers the school's students and the directory by tier, and says yes.
	page := c.Get("/referrals/new?programme=" + course).Doc(t)
	if page.Find(`select#student option`).Length() < 15 || !strings.Contains(page.Find("select#student").Text(), "Kai Adeyemi-Brown") {
		t.Errorf("the student list: %q", page.Find("select#student").Text())
	}
	if page.Find(`select#programme optgroup[label="Tier 1: Universal support"] option[selected]`).Length() != 1 {
		t.Error("the course arriving from its page is not selected under Tier 1")
	}
	if page.Find(`form[data-testid="start"]`).Length() != 0 {
		t.Error("a start button is offered before a student is chosen")
	}

	// The same start form sent twice opens one draft.
	form := appStartForm(t, c, kai, course)
	first, second := c.Post("/referrals", form), c.Post("/referrals", form)
	if first.StatusCode != http.StatusSeeOther || first.Location() != second.Location() || !appDraftPath.MatchString(first.Location()) {
		t.Fatalf("start twice: %d %q, then %d %q", first.StatusCode, first.Location(), second.StatusCode, second.Location())
	}
	key := appDraftPath.FindStringSubmatch(first.Location())[1]
	if n := appCount(t, a, `SELECT count(*) FROM referrals`); n != 1 {
		t.Fatalf("%d referrals after starting twice, want 1", n)
	}

	tasks := c.Get("/referrals/" + key + "/application")
	doc := tasks.Doc(t)
	if tasks.StatusCode != http.StatusOK {
		t.Fatalf("task list: %d", tasks.StatusCode)
	}
	student := summaryRows(doc.Find(`[data-testid="student-summary"]`))
	for _, want := range []string{"Name: Kai Adeyemi-Brown", "UPN: " + appKaiUPN, "Year group: Year 10", "Date of birth: 14 October 2011", "Special educational needs: SEN support"} {
		if !strings.Contains(student, want) {
			t.Errorf("student summary lacks %q:\n%s", want, student)
		}
	}
	if got := summaryRows(doc.Find(`[data-testid="programme-summary"]`)); !strings.Contains(got, "Provider: Ridgeway Motor Skills") {
		t.Errorf("programme summary: %s", got)
	}
	if n := doc.Find(".govuk-task-list__item").Length(); n != 7 {
		t.Errorf("%d tasks, want 7", n)
	}
	if doc.Find(`a[href="/referrals/`+key+`/check"]`).Length() != 0 {
		t.Error("check your answers is offered before the sections are complete")
	}

	appFillAll(t, c, key, "course")
	if r := appUpload(t, a, c, key, appRiskAssessment("2", "11", "2026"), "risk assessment.pdf", appPDF); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("upload the risk assessment: %d %s", r.StatusCode, appErrorSummary(t, r))
	}
	doc = c.Get("/referrals/" + key + "/application").Doc(t)
	if got := strings.Join(strings.Fields(doc.Find(`[data-testid="tasks"]`).Text()), " "); strings.Contains(got, "progress") || strings.Contains(got, "Not yet started") {
		t.Errorf("tasks after filling everything in: %s", got)
	}
	if doc.Find(`a[href="/referrals/`+key+`/check"]`).Length() != 1 {
		t.Fatal("no check-your-answers link once every section is complete")
	}

	// Tier 1: without a commissioning agreement the coordinator must say so first.
	check := c.Get("/referrals/" + key + "/check").Doc(t)
	problems := check.Find(`[data-testid="problems"]`)
	if !strings.Contains(problems.Text(), "commissioning agreement") || problems.Find(`a[href="/referrals/`+key+`/documents"]`).Length() != 1 {
		t.Errorf("problems before confirming: %q", problems.Text())
	}
	if check.Find(`form[data-testid="submit"]`).Length() != 0 {
		t.Error("the submit button is offered while a check fails")
	}
	if r := c.Post("/referrals/"+key+"/documents", url.Values{"intent": {"no_commissioning"}, "no_commissioning": {"yes"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("confirm no commissioning agreement: %d", r.StatusCode)
	}

	check = c.Get("/referrals/" + key + "/check").Doc(t)
	if check.Find(`[data-testid="problems"]`).Length() != 0 {
		t.Errorf("problems after confirming: %q", check.Find(`[data-testid="problems"]`).Text())
	}
	needs := summaryRows(check.Find(`[data-testid="card-needs"]`))
	if !strings.Contains(needs, "EHCP: No") || !strings.Contains(needs, "Attendance this year: 84.5%") || strings.Contains(needs, "How the provision meets the EHCP") {
		t.Errorf("needs answers (the EHCP follow-up hidden after No):\n%s", needs)
	}
	if !strings.Contains(summaryRows(check.Find(`[data-testid="card-consents"]`)), "Consent given on: 2 November 2026") {
		t.Errorf("consents: %s", summaryRows(check.Find(`[data-testid="card-consents"]`)))
	}
	if check.Find(`a[href="/referrals/`+key+`/sections/reasons#tried"]`).Length() != 1 {
		t.Error("no change link to the question")
	}
	if got := summaryRows(check.Find(`[data-testid="card-documents"]`)); !strings.Contains(got, "Risk assessment: risk assessment.pdf, completed on 2 November 2026") {
		t.Errorf("documents: %s", got)
	}
	if check.Find(`form[data-testid="submit"][action="/referrals/`+key+`/submit"]`).Length() != 1 {
		t.Fatal("no submit button")
	}

	r := c.Post("/referrals/"+key+"/submit", nil)
	if r.StatusCode != http.StatusSeeOther || r.Location() != "/referrals/CAP-2627-00001/confirmation" {
		t.Fatalf("submit: %d to %q", r.StatusCode, r.Location())
	}
	conf := c.Get(r.Location())
	if conf.StatusCode != http.StatusOK || conf.Doc(t).Find(`[data-testid="reference"]`).Text() != "CAP-2627-00001" ||
		!strings.Contains(conf.Doc(t).Find(".govuk-panel__title").Text(), "Application submitted") {
		t.Errorf("confirmation: %d %q", conf.StatusCode, conf.Doc(t).Find(".govuk-panel").Text())
	}
	if !strings.Contains(conf.Doc(t).Find(`[data-testid="next"]`).Text(), "CAP checks the pack is complete") {
		t.Errorf("what happens next: %q", conf.Doc(t).Find(`[data-testid="next"]`).Text())
	}
	if got := conf.Doc(t).Find(`[data-testid="confirmation-interview"]`).Text(); !strings.Contains(got, "contact Ridgeway Motor Skills to arrange the student’s interview") {
		t.Errorf("the confirmation does not say to arrange the interview with the provider: %q", got)
	}

	// Submitting again (a double click, the back button) lands on the same confirmation, and
	// nothing more is created.
	again := c.Post("/referrals/"+key+"/submit", nil)
	if again.StatusCode != http.StatusSeeOther || again.Location() != "/referrals/CAP-2627-00001/confirmation" {
		t.Errorf("second submit: %d to %q", again.StatusCode, again.Location())
	}
	if n := appCount(t, a, `SELECT count(*) FROM referrals`); n != 1 {
		t.Errorf("%d referrals after a double submit, want 1", n)
	}
	if n := appCount(t, a, `SELECT last_number FROM referral_counters`); n != 1 {
		t.Errorf("the reference counter reached %d, want 1", n)
	}
	if n := appCount(t, a, `SELECT count(*) FROM referral_versions`); n != 1 {
		t.Errorf("%d frozen versions, want 1", n)
	}
	if n := appCount(t, a, `SELECT count(*) FROM referral_events WHERE action = 'submit'`); n != 1 {
		t.Errorf("%d submit events, want 1", n)
	}
	// The old draft address of the application now leads to the referral; it can no longer be changed.
	if r := c.Get("/referrals/" + key + "/application"); r.StatusCode != http.StatusSeeOther || r.Location() != "/referrals/CAP-2627-00001/application" {
		t.Errorf("old draft address: %d to %q", r.StatusCode, r.Location())
	}
	if r := c.Get("/referrals/CAP-2627-00001/application"); r.StatusCode != http.StatusSeeOther || r.Location() != "/referrals/CAP-2627-00001" {
		t.Errorf("application after submission: %d to %q", r.StatusCode, r.Location())
	}
	if r := c.Post("/referrals/CAP-2627-00001/sections/needs", appSectionAnswers(referral.Sections("course")[1], "")); r.StatusCode != http.StatusConflict {
		t.Errorf("changing a submitted application: %d, want 409", r.StatusCode)
	}
	// The same start form once more: the draft it opened has been submitted, and the page leads to it.
	if r := c.Post("/referrals", form); r.StatusCode != http.StatusUnprocessableEntity ||
		r.Doc(t).Find(`[data-testid="existing-referral"] a[href="/referrals/CAP-2627-00001"]`).Length() != 1 {
		t.Errorf("reusing the start form after submission: %d to %q", r.StatusCode, r.Location())
	}
	if n := appCount(t, a, `SELECT count(*) FROM referrals`); n != 1 {
		t.Errorf("%d referrals after reusing the start form, want 1", n)
	}
}

func TestReferralSectionWithErrorsIsSavedAndShownAgainWithWhatWasTyped(t *testing.T) {
	a := testapp.New(t)
	c := appSignedIn(t, a, appCoordinator)
	// Tyler's record says he has an EHCP: the application does not ask again, and asks how the
	// provision meets it.
	key := appStart(t, c, appStudentID(t, a, "14003"), appCourseID(t, a))
	id := strings.TrimPrefix(key, "draft-")

	typed := "Finds large classes hard;\nleaves lessons when anxious."
	r := c.Post("/referrals/"+key+"/sections/needs", url.Values{"action": {"continue"},
		"needs": {typed}, "ehcp": {"no"}, "ehcp_provision": {""}, "medical": {""}, "attendance": {"lots"}})
	if r.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("needs with problems: %d, want 422", r.StatusCode)
	}
	doc := r.Doc(t)
	summary := appErrorSummary(t, r)
	for _, want := range []string{"Answer the question: How will this provision meet the requirements of the EHCP?", "Enter the attendance as a number between 0 and 100, like 85"} {
		if !strings.Contains(summary, want) {
			t.Errorf("error summary %q lacks %q", summary, want)
		}
	}
	if doc.Find(`.govuk-error-summary a[href="#ehcp_provision"]`).Length() != 1 || doc.Find(`.govuk-error-summary a[href="#attendance"]`).Length() != 1 {
		t.Error("the error summary does not link to the fields")
	}
	if got := doc.Find("textarea#needs").Text(); got != typed {
		t.Errorf("needs shown again as %q, want %q", got, typed)
	}
	if doc.Find("input#attendance").AttrOr("value", "") != "lots" {
		t.Error("the attendance typed is not kept")
	}
	if doc.Find(`input[name="ehcp"]`).Length() != 0 || !strings.Contains(doc.Find(`[data-testid="record-ehcp"]`).Text(), "The student’s record says they have an EHCP") ||
		doc.Find(`[data-testid="record-ehcp"] a[href$="/edit"]`).Length() != 1 {
		t.Errorf("the EHCP is asked again instead of taken from the record: %q", doc.Find(`[data-testid="record-ehcp"]`).Text())
	}
	if doc.Find(`textarea#ehcp_provision`).Length() != 1 {
		t.Error("the EHCP follow-up is not asked")
	}
	// Kai's record shows no EHCP: a posted "yes" changes nothing, and the follow-up is not asked.
	kai := appStart(t, c, appStudentID(t, a, "15001"), appCourseID(t, a))
	r = c.Post("/referrals/"+kai+"/sections/needs", url.Values{"action": {"continue"}, "needs": {"Needs."}, "ehcp": {"yes"}, "attendance": {"90"}})
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("Kai's needs: %d: %s", r.StatusCode, appErrorSummary(t, r))
	}
	if got := appQueryString(t, a, `SELECT coalesce(answers->>'ehcp', '') FROM referrals WHERE id = $1`, strings.TrimPrefix(kai, "draft-")); got != "" {
		t.Errorf("the record's fact was stored as an answer: %q", got)
	}
	if !strings.HasPrefix(doc.Find("title").Text(), "Error: ") {
		t.Errorf("title %q", doc.Find("title").Text())
	}
	// Nothing typed is lost: the draft has it.
	if got := appQueryString(t, a, `SELECT answers->>'needs' FROM referrals WHERE id = $1`, id); got != typed {
		t.Errorf("saved needs %q", got)
	}
	if got := appQueryString(t, a, `SELECT answers->>'attendance' FROM referrals WHERE id = $1`, id); got != "lots" {
		t.Errorf("saved attendance %q", got)
	}
	task := c.Get("/referrals/" + key + "/application").Doc(t).Find("#task-needs-status").Text()
	if !strings.Contains(task, "In progress") {
		t.Errorf("needs task status %q", task)
	}

	// A date that is not real comes back as typed, and so does a missing part.
	r = c.Post("/referrals/"+key+"/sections/consents", url.Values{"action": {"continue"}, "consent_parent": {"yes"},
		"consent_name": {"Tanya Brown"}, "consent_date-day": {"31"}, "consent_date-month": {"2"}, "consent_date-year": {"2026"}})
	doc = r.Doc(t)
	if r.StatusCode != http.StatusUnprocessableEntity || doc.Find("#consent_date-day").AttrOr("value", "") != "31" || doc.Find("#consent_date-month").AttrOr("value", "") != "2" {
		t.Errorf("bad date: %d, day %q", r.StatusCode, doc.Find("#consent_date-day").AttrOr("value", ""))
	}
	// "Tanya Brown" is not on Tyler's record (his mother, Donna Cooke, has parental responsibility).
	if s := appErrorSummary(t, r); !strings.Contains(s, "The date consent was given must be a real date") || !strings.Contains(s, "Confirm that they agree that CAP may share") ||
		!strings.Contains(s, "Choose who gave consent from the people with parental responsibility on the student’s record") {
		t.Errorf("consents summary: %q", s)
	}
	if got := doc.Find(`input[name="consent_name"]`).Map(func(_ int, x *goquery.Selection) string { return x.AttrOr("value", "") }); !slices.Equal(got, []string{"Donna Cooke (Mother)"}) {
		t.Errorf("consent is chosen from %q, want the record's Donna Cooke (Mother)", got)
	}
	if doc.Find(`input#consent_parent[checked]`).Length() != 1 || doc.Find(`input#consent_share[checked]`).Length() != 0 {
		t.Error("the confirmations ticked are not kept")
	}
	r = c.Post("/referrals/"+key+"/sections/consents", url.Values{"action": {"continue"}, "consent_date-day": {"3"}, "consent_date-year": {"2026"}})
	if s := appErrorSummary(t, r); !strings.Contains(s, "Consent given on must include a month") || r.Doc(t).Find(`.govuk-error-summary a[href="#consent_date-month"]`).Length() != 1 {
		t.Errorf("missing month: %q", s)
	}

	// Save and come back later keeps an unfinished section without complaint.
	r = c.Post("/referrals/"+key+"/sections/reasons", url.Values{"action": {"later"}, "reasons": {"Persistent absence"}})
	if r.StatusCode != http.StatusSeeOther || r.Location() != "/referrals/"+key+"/application" {
		t.Fatalf("save and come back later: %d to %q", r.StatusCode, r.Location())
	}
	if got := appQueryString(t, a, `SELECT answers->>'reasons' FROM referrals WHERE id = $1`, id); got != "Persistent absence" {
		t.Errorf("saved reasons %q", got)
	}
	if got := c.Get("/referrals/" + key + "/sections/reasons").Doc(t).Find("textarea#reasons").Text(); got != "Persistent absence" {
		t.Errorf("reasons shown again as %q", got)
	}
	if r := c.Get("/referrals/" + key + "/sections/nonsense"); r.StatusCode != http.StatusNotFound {
		t.Errorf("unknown section: %d", r.StatusCode)
	}
	if r := c.Post("/referrals/"+key+"/sections/nonsense", url.Values{}); r.StatusCode != http.StatusNotFound {
		t.Errorf("posting an unknown section: %d", r.StatusCode)
	}
}

func TestReferralRiskAssessmentMustBeAtMostThreeMonthsOld(t *testing.T) {
	a := testapp.New(t)
	c := appSignedIn(t, a, appCoordinator)
	key := appStart(t, c, appStudentID(t, a, "15001"), appCourseID(t, a))

	// Today is 23 November 2026: 22 August is three months and a day ago.
	r := appUpload(t, a, c, key, appRiskAssessment("22", "8", "2026"), "ra.pdf", appPDF)
	if r.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("an old risk assessment: %d, want 422", r.StatusCode)
	}
	if s := appErrorSummary(t, r); !strings.Contains(s, "The risk assessment was completed on 22 August 2026, more than three months before 23 November 2026") {
		t.Errorf("error summary %q", s)
	}
	doc := r.Doc(t)
	if doc.Find("#completed-day").AttrOr("value", "") != "22" || doc.Find(`input[name=template][value=cap][checked]`).Length() != 1 ||
		doc.Find(`input[name=kind][value=risk_assessment][checked]`).Length() != 1 || doc.Find("#description").AttrOr("value", "") != "Reviewed with the family" {
		t.Error("the other values typed are not kept")
	}
	if n := appCount(t, a, `SELECT count(*) FROM referral_documents`); n != 0 {
		t.Fatalf("%d documents stored after the refusal", n)
	}

	r = appUpload(t, a, c, key, appRiskAssessment("23", "8", "2026"), "ra.pdf", appPDF)
	if r.StatusCode != http.StatusSeeOther || r.Location() != "/referrals/"+key+"/documents" {
		t.Fatalf("a risk assessment exactly three months old: %d %s", r.StatusCode, appErrorSummary(t, r))
	}
	if got := appQueryString(t, a, `SELECT completed_on::text || ' ' || template FROM referral_documents`); got != "2026-08-23 cap" {
		t.Errorf("stored %q", got)
	}
	docs := c.Get("/referrals/" + key + "/documents").Doc(t)
	if got := tableRows(docs.Find(`[data-testid="documents"]`)); len(got) != 1 || !strings.Contains(got[0], "ra.pdf | Risk assessment") || !strings.Contains(got[0], "23 August 2026") || !strings.Contains(got[0], "Hannah Okafor") {
		t.Errorf("documents table: %q", got)
	}
	if docs.Find(`[data-testid="risk-assessment-status"]`).Length() != 0 {
		t.Errorf("a warning about an in-date risk assessment: %q", docs.Find(`[data-testid="risk-assessment-status"]`).Text())
	}
	if !strings.Contains(c.Get("/referrals/"+key+"/application").Doc(t).Find("#task-documents-status").Text(), "Completed") {
		t.Error("the documents task is not complete with an in-date risk assessment")
	}

	// Removing it takes it out of the application (it is kept, marked removed); twice is harmless.
	docID := appQueryString(t, a, `SELECT id::text FROM referral_documents`)
	for i := 0; i < 2; i++ {
		if r := c.Post("/referrals/"+key+"/documents/"+docID+"/remove", nil); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("remove: %d", r.StatusCode)
		}
	}
	if n := appCount(t, a, `SELECT count(*) FROM referral_documents WHERE removed_at IS NULL`); n != 0 {
		t.Errorf("%d documents still attached after removing", n)
	}
}

func TestReferralUploadsAreCheckedByContentSizeAndName(t *testing.T) {
	a := testapp.New(t)
	c := appSignedIn(t, a, appCoordinator)
	key := appStart(t, c, appStudentID(t, a, "15001"), appCourseID(t, a))
	other := url.Values{"intent": {"upload"}, "kind": {"other"}}

	exe := append([]byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00"), bytes.Repeat([]byte{0}, 200)...)
	r := appUpload(t, a, c, key, other, "report.pdf", exe)
	if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(appErrorSummary(t, r), "must be a PDF, Word document, or a PNG or JPEG image") {
		t.Errorf("a program named .pdf: %d %q", r.StatusCode, appErrorSummary(t, r))
	}

	big := append(append([]byte{}, appPDF...), bytes.Repeat([]byte("0"), 11<<20)...)
	r = appUpload(t, a, c, key, other, "big.pdf", big)
	if r.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(appErrorSummary(t, r), "The selected file must be smaller than 10 MB") {
		t.Errorf("an 11 MB file: %d %q", r.StatusCode, appErrorSummary(t, r))
	}
	// Just over 10 MB fits in the request but not in the rule.
	r = appUpload(t, a, c, key, other, "big.pdf", big[:10<<20+1])
	if r.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(appErrorSummary(t, r), "The selected file must be smaller than 10 MB") {
		t.Errorf("a file just over 10 MB: %d %q", r.StatusCode, appErrorSummary(t, r))
	}
	r = appUpload(t, a, c, key, url.Values{"intent": {"upload"}}, "", nil)
	if s := appErrorSummary(t, r); r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(s, "Select what the document is") || !strings.Contains(s, "Select a file") {
		t.Errorf("nothing chosen: %d %q", r.StatusCode, s)
	}
	if n := appCount(t, a, `SELECT count(*) FROM referral_documents`); n != 0 {
		t.Fatalf("%d documents stored from refused uploads", n)
	}

	r = appUpload(t, a, c, key, other, "../../etc/passwd.pdf", appPDF)
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("a ../ name: %d %q", r.StatusCode, appErrorSummary(t, r))
	}
	if got := appQueryString(t, a, `SELECT file_name FROM referral_documents`); got != "passwd.pdf" {
		t.Errorf("stored name %q, want passwd.pdf", got)
	}
	// The same file again (a double click on Upload) is not stored twice.
	if r := appUpload(t, a, c, key, other, "passwd.pdf", appPDF); r.StatusCode != http.StatusSeeOther {
		t.Errorf("the same file again: %d", r.StatusCode)
	}
	if n := appCount(t, a, `SELECT count(*) FROM referral_documents`); n != 1 {
		t.Errorf("%d documents after uploading the same file twice, want 1", n)
	}
}

func TestReferralDraftIsNotFoundForAnotherSchoolsCoordinator(t *testing.T) {
	a := testapp.New(t)
	key := appStart(t, appSignedIn(t, a, appCoordinator), appStudentID(t, a, "15001"), appCourseID(t, a))

	other := appSignedIn(t, a, "coordinator@canleybrook.school.example")
	for _, path := range []string{"/application", "/sections/needs", "/documents", "/check", "/confirmation"} {
		if r := other.Get("/referrals/" + key + path); r.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s: %d, want 404", path, r.StatusCode)
		}
	}
	if r := other.Post("/referrals/"+key+"/sections/needs", url.Values{"needs": {"x"}}); r.StatusCode != http.StatusNotFound {
		t.Errorf("saving a section: %d, want 404", r.StatusCode)
	}
	if r := other.Post("/referrals/"+key+"/submit", nil); r.StatusCode != http.StatusNotFound {
		t.Errorf("submitting: %d, want 404", r.StatusCode)
	}
	if r := appUpload(t, a, other, key, url.Values{"kind": {"other"}}, "x.pdf", appPDF); r.StatusCode != http.StatusNotFound {
		t.Errorf("uploading: %d, want 404", r.StatusCode)
	}
	if n := appCount(t, a, `SELECT count(*) FROM referral_documents`); n != 0 {
		t.Errorf("another school attached %d documents", n)
	}
	// Nor may another school's coordinator start one for Whitmore's student.
	form := appStartForm(t, appSignedIn(t, a, appCoordinator), appStudentID(t, a, "15002"), appCourseID(t, a))
	if r := other.Post("/referrals", form); r.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("starting for another school's student: %d, want 422", r.StatusCode)
	}
	if r := appSignedIn(t, a, "staff@ridgeway.provider.example").Get("/referrals/" + key + "/application"); r.StatusCode != http.StatusForbidden {
		t.Errorf("provider staff on the application: %d, want 403", r.StatusCode)
	}
}

func TestReferralToAnIneligibleProgrammeShowsWhyAndCannotStart(t *testing.T) {
	a := testapp.New(t)
	c := appSignedIn(t, a, appCoordinator)
	// Focus 11 took referrals in the autumn term of 2025/26 only; Tyler is in Year 11.
	tyler, focus11 := appStudentID(t, a, "14003"), appProgrammeOfKind(t, a, "focus11")
	r := c.Get("/referrals/new?student=" + tyler + "&programme=" + focus11)
	doc := r.Doc(t)
	if got := doc.Find(`[data-testid="eligibility-reasons"]`).Text(); !strings.Contains(got, "Focus 11") {
		t.Errorf("reasons: %q", got)
	}
	if doc.Find(`form[data-testid="start"]`).Length() != 0 {
		t.Error("a start button for an ineligible programme")
	}
	r = c.Post("/referrals", url.Values{"start_token": {"0123456789abcdef0123456789abcdef"}, "student": {tyler}, "programme": {focus11}})
	if r.StatusCode != http.StatusUnprocessableEntity || r.Doc(t).Find(`[data-testid="eligibility-reasons"] li`).Length() == 0 {
		t.Errorf("starting anyway: %d", r.StatusCode)
	}
	if n := appCount(t, a, `SELECT count(*) FROM referrals`); n != 0 {
		t.Errorf("%d referrals started for an ineligible programme", n)
	}

	// Tier 3 is only for schools with the SLA.
	refocus := appProgrammeOfKind(t, a, "refocus")
	doc = appSignedIn(t, a, "coordinator@sowebank.school.example").Get("/referrals/new?programme=" + refocus).Doc(t)
	if got := doc.Find(`[data-testid="eligibility-reasons"]`).Text(); !strings.Contains(got, "Tier 3 is only for schools with the CAP SLA") {
		t.Errorf("Tier 3 without the SLA: %q", got)
	}
}

func TestReferralReturnedToTheSchoolIsCorrectedAndResubmittedWithAReason(t *testing.T) {
	a := testapp.New(t)
	ctx := context.Background()
	c := appSignedIn(t, a, appCoordinator)
	key := appStart(t, c, appStudentID(t, a, "15001"), appCourseID(t, a))
	appFillAll(t, c, key, "course")
	if r := appUpload(t, a, c, key, appRiskAssessment("2", "11", "2026"), "ra.pdf", appPDF); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("upload: %d", r.StatusCode)
	}
	c.Post("/referrals/"+key+"/documents", url.Values{"intent": {"no_commissioning"}, "no_commissioning": {"yes"}})
	if r := c.Post("/referrals/"+key+"/submit", nil); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("submit: %d", r.StatusCode)
	}

	// CAP sends it back (its page is another handler's; the store does the move).
	var adminID int64
	if err := a.Pool.QueryRow(ctx, `SELECT id FROM users WHERE email = 'admin@cap.example'`).Scan(&adminID); err != nil {
		t.Fatal(err)
	}
	admin, err := auth.On(a.Pool).LoadPrincipal(ctx, adminID)
	if err != nil {
		t.Fatal(err)
	}
	store := referral.Store{DB: a.Pool, Clock: a.Clock}
	actor := referral.Actor{Principal: admin}
	ref, err := store.Get(ctx, actor, "CAP-2627-00001")
	if err != nil {
		t.Fatal(err)
	}
	if err := store.ReturnToSchool(ctx, actor, ref, "Please say what the school has tried this term."); err != nil {
		t.Fatal(err)
	}

	tasks := c.Get("/referrals/CAP-2627-00001/application").Doc(t)
	if got := tasks.Find(`[data-testid="returned-note"]`).Text(); !strings.Contains(got, "Please say what the school has tried this term.") {
		t.Errorf("CAP's note on the task list: %q", got)
	}
	tried := appSectionAnswers(referral.Sections("course")[2], "")
	tried.Set("tried", "A mentor twice a week since September")
	if r := c.Post("/referrals/CAP-2627-00001/sections/reasons", tried); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("correcting a returned application: %d", r.StatusCode)
	}
	check := c.Get("/referrals/CAP-2627-00001/check").Doc(t)
	if check.Find(`form[data-testid="resubmit"] textarea#reason`).Length() != 1 || check.Find(`form[data-testid="submit"]`).Length() != 0 {
		t.Fatal("the check page does not ask for the reason for the changes")
	}
	r := c.Post("/referrals/CAP-2627-00001/resubmit", url.Values{"reason": {"  "}})
	if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(appErrorSummary(t, r), "Enter what you have changed and why") {
		t.Errorf("resubmitting without a reason: %d %q", r.StatusCode, appErrorSummary(t, r))
	}
	r = c.Post("/referrals/CAP-2627-00001/resubmit", url.Values{"reason": {"Added what we tried this term"}})
	if r.StatusCode != http.StatusSeeOther || r.Location() != "/referrals/CAP-2627-00001" {
		t.Fatalf("resubmit: %d to %q", r.StatusCode, r.Location())
	}
	if got := appQueryString(t, a, `SELECT step || ' ' || version FROM referrals`); got != "submitted 2" {
		t.Errorf("after resubmitting: %q", got)
	}
	if got := appQueryString(t, a, `SELECT reason || ': ' || (answers->>'tried') FROM referral_versions WHERE version = 2`); got != "Added what we tried this term: A mentor twice a week since September" {
		t.Errorf("version 2: %q", got)
	}
}
