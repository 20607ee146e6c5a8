package ui_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/coventry-cap/capportal/internal/browsertest"
	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/directory"
	"github.com/coventry-cap/capportal/internal/panel"
	"github.com/coventry-cap/capportal/internal/referral"
	"github.com/coventry-cap/capportal/internal/testapp"
)

const (
	pdChair       = "panel@cap.example"                   // Gareth Llewellyn, Coventry CAP: chairs the meetings
	pdLead        = "lead@cap.example"                    // Fiona Castleton, Coventry CAP: a panel member
	pdHeadteacher = "headteacher@whitmore.school.example" // Rachel Thornbury: a panel member at the referring school
)

// The 2026/27 round a referral submitted on the test clock's first day joins (deadline Wednesday
// 2 December 2026), and the days its panels meet in these tests.
var (
	pdReviewDay      = calendar.NewDate(2026, time.December, 8)  // a Tuesday
	pdMAPDay         = calendar.NewDate(2026, time.December, 10) // a Thursday
	pdHeadteacherDay = calendar.NewDate(2026, time.December, 15) // the round's published Headteacher Placement Meeting
)

// pdUser is a demo user's ID.
func pdUser(t *testing.T, a *testapp.App, email string) int64 {
	t.Helper()
	return pwInt(t, a, `SELECT id FROM users WHERE email = $1`, email)
}

// pdOn puts the clock on the day, at ten in the morning.
func pdOn(a *testapp.App, d calendar.Date) {
	a.Clock.Set(time.Date(d.Year, d.Month, d.Day, 10, 0, 0, 0, calendar.London()))
}

// pdRefocus is Kai's Refocus referral at Coventry AP Academy, submitted.
func pdRefocus(t *testing.T, a *testapp.App) referral.Referral {
	t.Helper()
	return pwSubmitted(t, a, pwKaiUPN, pwProgramme(t, a, "capa", "Refocus"))
}

// pdTransfer is Kai's Supported Transfer referral, submitted.
func pdTransfer(t *testing.T, a *testapp.App) referral.Referral {
	t.Helper()
	return pwSubmitted(t, a, pwKaiUPN, pwInt(t, a, `SELECT id FROM programmes WHERE slug = 'supported-transfer'`))
}

func pdAgenda(s referral.Store, ctx context.Context, a referral.Actor, r referral.Referral) error {
	return s.AddToAgenda(ctx, a, r)
}

// pdMeeting schedules the referral's round's meeting of a panel on the day, chaired by panel@cap.example,
// with the attendees.
func pdMeeting(t *testing.T, a *testapp.App, ref referral.Referral, panelKind string, on calendar.Date, attendees ...string) {
	t.Helper()
	ids := make([]int64, 0, len(attendees))
	for _, e := range attendees {
		ids = append(ids, pdUser(t, a, e))
	}
	admin := pdUser(t, a, pwAdmin)
	_, err := panel.On(a.Pool).SaveMeeting(context.Background(), a.Clock.Now(), panel.Actor{UserID: &admin, Email: pwAdmin, RequestID: "test"},
		pwGet(t, a, ref).PanelRoundID, panelKind, panel.MeetingInput{HeldOn: on, ChairID: pdUser(t, a, pdChair), Attendees: ids})
	if err != nil {
		t.Fatalf("schedule the %s: %v", panelKind, err)
	}
}

// pdOnReviewPanel is a submitted referral on the Review and Authorisation Panel's agenda, its meeting
// scheduled with the chair and the Whitmore headteacher attending, and the clock on the meeting day.
func pdOnReviewPanel(t *testing.T, a *testapp.App, ref referral.Referral) referral.Referral {
	t.Helper()
	ref = pwMove(t, a, ref, pwAdmin, pdAgenda)
	pdMeeting(t, a, ref, panel.ReviewPanel, pdReviewDay, pdChair, pdHeadteacher)
	pdOn(a, pdReviewDay)
	return ref
}

// pdDecision is a complete decision as the case form posts it.
func pdDecision(caseID int64, decision string) url.Values {
	return url.Values{"case_id": {itoa64(caseID)}, "do": {"decide"}, "decision": {decision},
		"minutes": {"The panel discussed the school’s Early Help work."}, "rationale": {"The school has tried what it can; the student needs the Academy."}}
}

// pdOpenCase is the case the referral waits on.
func pdOpenCase(t *testing.T, a *testapp.App, ref referral.Referral) panel.Case {
	t.Helper()
	c, err := panel.On(a.Pool).OpenCase(context.Background(), ref.ID)
	if err != nil {
		t.Fatalf("open case of %s: %v", ref.Reference, err)
	}
	return c
}

// pdDecided counts the referral's decided cases.
func pdDecided(t *testing.T, a *testapp.App, ref referral.Referral) int64 {
	t.Helper()
	return pwInt(t, a, `SELECT count(*) FROM panel_cases WHERE referral_id = $1 AND decision IS NOT NULL`, ref.ID)
}

func pdFlash(t *testing.T, c *testapp.Client, path string) string {
	t.Helper()
	return pwText(c.Get(path).Doc(t).Find(".govuk-notification-banner"))
}

func TestPanelAgendaStepShowsTheRoundAndAddsTheReferralToTheReviewPanel(t *testing.T) {
	a := testapp.New(t)
	ref := pdRefocus(t, a)
	admin, coord := pwSignedIn(t, a, pwAdmin), pwSignedIn(t, a, pwCoordinator)
	path := ref.URL() + "/agenda"

	// The referral page offers CAP the step.
	if n := admin.Get(ref.URL()).Doc(t).Find(`[data-testid="referral-actions"] a[href="` + path + `"]`).Length(); n != 1 {
		t.Errorf("the referral page offers CAP the agenda step %d times", n)
	}
	r := admin.Get(path)
	if r.StatusCode != http.StatusOK {
		t.Fatalf("agenda page: %d", r.StatusCode)
	}
	doc := r.Doc(t)
	if h := pwText(doc.Find("h1")); h != "Add to the panel agenda" {
		t.Errorf("heading %q", h)
	}
	got := pwText(doc.Find(`[data-testid="agenda-round"]`))
	for _, want := range []string{"Round 4 of 2026/27: referral deadline Wednesday 2 December 2026",
		"The Review and Authorisation Panel meets after the deadline, on a day CAP has not scheduled yet"} {
		if !strings.Contains(got, want) {
			t.Errorf("round %q lacks %q", got, want)
		}
	}
	if doc.Find(`[data-testid="agenda-late"]`).Length() != 0 {
		t.Errorf("a referral in time is shown a late reason: %q", pwText(doc.Find(`[data-testid="agenda-late"]`)))
	}
	// Once CAP schedules the meeting, the page says when it meets.
	pdMeeting(t, a, ref, panel.ReviewPanel, pdReviewDay, pdChair)
	if got := pwText(admin.Get(path).Doc(t).Find(`[data-testid="agenda-round"]`)); !strings.Contains(got, "meets on Tuesday 8 December 2026") {
		t.Errorf("round with the meeting: %q", got)
	}

	// The school may not take the step.
	before := pwState(t, a, ref)
	if r := coord.Get(path); r.StatusCode != http.StatusForbidden {
		t.Errorf("coordinator's GET: %d", r.StatusCode)
	}
	if r := coord.Post(path, url.Values{}); r.StatusCode != http.StatusForbidden {
		t.Errorf("coordinator's POST: %d", r.StatusCode)
	}
	if after := pwState(t, a, ref); after != before {
		t.Errorf("refused POST changed %s to %s", before, after)
	}

	r = admin.Post(path, url.Values{})
	if r.StatusCode != http.StatusSeeOther || r.Location() != ref.URL() {
		t.Fatalf("add to agenda: %d to %q: %s", r.StatusCode, r.Location(), pwText(r.Doc(t).Find("main")))
	}
	if got := pdFlash(t, admin, ref.URL()); !strings.Contains(got, "was added to the Review and Authorisation Panel’s agenda") {
		t.Errorf("flash: %q", got)
	}
	if got := pwGet(t, a, ref).Step; got != "review_panel" {
		t.Errorf("step %s, want review_panel", got)
	}
	c := pdOpenCase(t, a, ref)
	if c.Panel != panel.ReviewPanel || c.RoundID != pwGet(t, a, ref).PanelRoundID {
		t.Errorf("case on %s of round %d", c.Panel, c.RoundID)
	}
	// Pressing it again is refused, and adds nothing.
	if r := admin.Post(path, url.Values{}); r.StatusCode != http.StatusConflict {
		t.Errorf("second POST: %d", r.StatusCode)
	}
	if n := pwInt(t, a, `SELECT count(*) FROM panel_cases WHERE referral_id = $1`, ref.ID); n != 1 {
		t.Errorf("%d cases, want 1", n)
	}
}

func TestPanelCasePageListsEachRefocusQuestionWithTheSchoolsAnswer(t *testing.T) {
	a := testapp.New(t)
	ref := pdOnReviewPanel(t, a, pdRefocus(t, a))
	// An answer lost from the application is marked, not shown as blank.
	if _, err := a.Pool.Exec(context.Background(), `UPDATE referrals SET answers = answers - 'consider_parents' WHERE id = $1`, ref.ID); err != nil {
		t.Fatal(err)
	}
	chair := pwSignedIn(t, a, pdChair)

	// A panel member finds the case from the referral page.
	if n := chair.Get(ref.URL()).Doc(t).Find(`[data-testid="referral-actions"] a[href="` + ref.URL() + `/decide"]`).Length(); n != 1 {
		t.Errorf("the referral page offers the chair the decision %d times", n)
	}
	r := chair.Get(ref.URL() + "/decide")
	if r.StatusCode != http.StatusOK {
		t.Fatalf("case page: %d: %s", r.StatusCode, pwText(r.Doc(t).Find("main")))
	}
	doc := r.Doc(t)
	// Every question the pack says the panel asks, in its order; four the application asks only once,
	// elsewhere, and the panel reads those answers there (the school is not asked twice).
	qs := referral.PanelQuestions("refocus")
	sec, _ := referral.SectionByID("refocus", referral.SectionConsiderations)
	rows := doc.Find(`[data-testid="panel-checklist"] .govuk-summary-list__row`)
	if rows.Length() != len(qs) || len(qs) != 8 || len(sec.Fields) != 4 {
		t.Fatalf("%d checklist rows for %d Refocus questions, %d asked in the considerations", rows.Length(), len(qs), len(sec.Fields))
	}
	rows.Each(func(i int, row *goquery.Selection) {
		q := qs[i]
		if got := pwText(row.Find("dt")); got != q.Text {
			t.Errorf("question %d: %q, want %q", i, got, q.Text)
		}
		answer := pwText(row.Find("dd"))
		if q.Answer == "consider_parents" {
			if answer != "Not answered" || row.Find(".govuk-tag--red").Length() != 1 {
				t.Errorf("the unanswered question reads %q", answer)
			}
			return
		}
		f, _ := referral.FieldByName("refocus", q.Answer)
		want := "An answer about " + f.Short
		if f.Type == referral.YesNo {
			want = "Yes"
		}
		if q.Elsewhere != "" {
			want += " From the application’s “" + q.Elsewhere + "” section"
		}
		if answer != want {
			t.Errorf("answer to %q: %q, want %q", q.Text, answer, want)
		}
	})
	if got := pwText(doc.Find(".govuk-warning-text")); !strings.Contains(got, "has not answered 1 of the panel’s questions") {
		t.Errorf("warning %q", got)
	}
	meeting := pwText(doc.Find(`[data-testid="case-meeting"]`))
	for _, want := range []string{"Review and Authorisation Panel", "Round 4 of 2026/27", "Tuesday 8 December 2026", "Chair Gareth Llewellyn",
		"Gareth Llewellyn (Coventry Alternative Provision)", "Rachel Thornbury (Whitmore Park Academy)"} {
		if !strings.Contains(meeting, want) {
			t.Errorf("meeting %q lacks %q", meeting, want)
		}
	}
	if got := pwText(doc.Find(`[data-testid="case-excluded"]`)); !strings.Contains(got, "Whitmore Park Academy, the referring school") || !strings.Contains(got, "Rachel Thornbury") || strings.Contains(got, "Gareth") {
		t.Errorf("who cannot take part: %q", got)
	}
	summary := pwText(doc.Find(`[data-testid="step-summary"]`))
	for _, want := range []string{ref.Reference, "Kai Adeyemi-Brown", "Year 10", "Whitmore Park Academy", "Refocus", "Tier 3"} {
		if !strings.Contains(summary, want) {
			t.Errorf("summary %q lacks %q", summary, want)
		}
	}
	if doc.Find(`a[href="`+ref.URL()+`/pack.pdf"]`).Length() != 1 || doc.Find(`[data-testid="case-referral-link"][href="`+ref.URL()+`"]`).Length() != 1 {
		t.Errorf("no links to the referral and its pack")
	}
	form := doc.Find(`form[data-testid="case-form"]`)
	if form.Length() != 1 || form.Find(`input[name="case_id"]`).AttrOr("value", "") != itoa64(pdOpenCase(t, a, ref).ID) {
		t.Fatalf("no decision form for the chair")
	}
	var decisions []string
	form.Find(`input[name="decision"]`).Each(func(_ int, s *goquery.Selection) { decisions = append(decisions, s.AttrOr("value", "")) })
	if strings.Join(decisions, " ") != "approved not_approved deferred" {
		t.Errorf("decisions %v", decisions)
	}
	if form.Find(`input[name="priority"]`).Length() != 0 || form.Find(`select[name="receiving_school"]`).Length() != 0 {
		t.Errorf("the review panel's form asks for a priority or a receiving school")
	}
	if doc.Find(`[data-testid="case-previous"]`).Length() != 0 {
		t.Errorf("earlier decisions shown before any")
	}
}

func TestPanelDecisionFormExplainsProblemsAndKeepsWhatWasTyped(t *testing.T) {
	a := testapp.New(t)
	ref := pdOnReviewPanel(t, a, pdRefocus(t, a))
	chair := pwSignedIn(t, a, pdChair)
	path := ref.URL() + "/decide"
	c := pdOpenCase(t, a, ref)
	before := pwState(t, a, ref)

	form := url.Values{"case_id": {itoa64(c.ID)}, "do": {"decide"}, "minutes": {"Long discussion\nof the plan."}, "conditions": {"Weekly review"}}
	r := chair.Post(path, form)
	if r.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("no decision: %d", r.StatusCode)
	}
	doc := r.Doc(t)
	if got := pwText(doc.Find(".govuk-error-summary")); !strings.Contains(got, "Select the panel’s decision") {
		t.Errorf("summary %q", got)
	}
	if doc.Find(`.govuk-error-summary a[href="#decision"]`).Length() != 1 || doc.Find("#decision").Length() != 1 {
		t.Errorf("the summary does not link to the decision")
	}
	if got := doc.Find("textarea#minutes").Text(); got != "Long discussion\nof the plan." {
		t.Errorf("minutes kept as %q", got)
	}
	if got := doc.Find("textarea#conditions").Text(); got != "Weekly review" {
		t.Errorf("conditions kept as %q", got)
	}
	if !strings.HasPrefix(doc.Find("title").Text(), "Error: ") {
		t.Errorf("title %q", doc.Find("title").Text())
	}

	form.Set("decision", panel.Approved)
	r = chair.Post(path, form)
	if r.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("approved without a rationale: %d", r.StatusCode)
	}
	doc = r.Doc(t)
	if got := pwText(doc.Find("#rationale-error")); !strings.Contains(got, "Enter the rationale for the decision") {
		t.Errorf("rationale error %q", got)
	}
	if _, ok := doc.Find(`input[name="decision"][value="approved"]`).Attr("checked"); !ok {
		t.Errorf("the decision chosen is not kept")
	}
	if doc.Find(`.govuk-error-summary a[href="#decision"]`).Length() != 0 {
		t.Errorf("the decision is reported missing once chosen")
	}
	if after := pwState(t, a, ref); after != before || pdDecided(t, a, ref) != 0 {
		t.Errorf("a form with problems changed %s to %s", before, after)
	}

	// A deferral needs no rationale.
	form.Set("decision", panel.Deferred)
	if r := chair.Post(path, form); r.StatusCode != http.StatusSeeOther {
		t.Errorf("deferral without a rationale: %d: %s", r.StatusCode, pwText(r.Doc(t).Find(".govuk-error-summary")))
	}
}

func TestPanelChairApprovesARefocusCaseToTheMultiAgencyPanelWhichGivesACohortPlace(t *testing.T) {
	a := testapp.New(t)
	ref := pdOnReviewPanel(t, a, pdRefocus(t, a))
	chair := pwSignedIn(t, a, pdChair)
	review := pdOpenCase(t, a, ref)

	r := chair.Post(ref.URL()+"/decide", pdDecision(review.ID, panel.Approved))
	want := "/panels/rounds/" + itoa64(review.RoundID) + "/review"
	if r.StatusCode != http.StatusSeeOther || r.Location() != want {
		t.Fatalf("approve: %d to %q, want %q: %s", r.StatusCode, r.Location(), want, pwText(r.Doc(t).Find("main")))
	}
	if got := pdFlash(t, chair, ref.URL()); !strings.Contains(got, "Approved: the case goes to the Multi-Agency Panel") {
		t.Errorf("flash %q", got)
	}
	if got := pwGet(t, a, ref).Step; got != "multi_agency_panel" {
		t.Fatalf("step %s, want multi_agency_panel", got)
	}
	decided, err := panel.On(a.Pool).GetCase(context.Background(), review.ID)
	if err != nil {
		t.Fatal(err)
	}
	if decided.Decision != panel.Approved || decided.Rationale == "" || decided.Minutes == "" || len(decided.TookPart) != 1 || len(decided.Excluded) != 1 {
		t.Errorf("recorded %+v", decided)
	}
	agenda, err := panel.On(a.Pool).Agenda(context.Background(), review.RoundID, panel.MultiAgencyPanel)
	if err != nil {
		t.Fatal(err)
	}
	if len(agenda) != 1 || agenda[0].ReferralID != ref.ID {
		t.Fatalf("Multi-Agency Panel agenda: %+v", agenda)
	}

	// The Multi-Agency Panel: the review's decision shows; an approval with high priority gives a place.
	pdMeeting(t, a, ref, panel.MultiAgencyPanel, pdMAPDay, pdChair, pdLead)
	pdOn(a, pdMAPDay)
	chair = pwSignedIn(t, a, pdChair) // the session ended with the days that passed
	if r := chair.Get(ref.URL() + "/decide"); r.StatusCode != http.StatusConflict {
		t.Errorf("the review's page after it decided: %d", r.StatusCode)
	}
	doc := chair.Get(ref.URL() + "/map").Doc(t)
	if h := pwText(doc.Find("h1")); h != "Record the Multi-Agency Panel’s outcome" {
		t.Errorf("heading %q", h)
	}
	if got := pwText(doc.Find(`[data-testid="case-previous"]`)); !strings.Contains(got, "Review and Authorisation Panel") || !strings.Contains(got, "Approved") {
		t.Errorf("earlier decisions %q", got)
	}
	if doc.Find(`input[name="priority"]`).Length() != 2 {
		t.Errorf("no priority for the cohort place")
	}
	mapCase := agenda[0]
	form := pdDecision(mapCase.ID, panel.Approved)
	form.Set("priority", "1")
	r = chair.Post(ref.URL()+"/map", form)
	if r.StatusCode != http.StatusSeeOther || r.Location() != "/panels/rounds/"+itoa64(review.RoundID)+"/multi_agency" {
		t.Fatalf("MAP approval: %d to %q: %s", r.StatusCode, r.Location(), pwText(r.Doc(t).Find("main")))
	}
	if got := pdFlash(t, chair, ref.URL()); !strings.Contains(got, "Approved: the outcome goes to the school and Coventry AP Academy starts onboarding, with a place in Refocus Cohort 2") {
		t.Errorf("flash %q", got)
	}
	if got := pwGet(t, a, ref).Step; got != "outcome_shared" {
		t.Errorf("step %s, want outcome_shared", got)
	}
	place, err := panel.On(a.Pool).PlaceOf(context.Background(), ref.ID)
	if err != nil || place.Status != panel.Placed || place.Priority != 1 {
		t.Errorf("place %+v, %v", place, err)
	}
}

func TestPanelMembersWhoMayNotDecideAreToldWhyAndNothingChanges(t *testing.T) {
	a := testapp.New(t)
	ref := pwMove(t, a, pdRefocus(t, a), pwAdmin, pdAgenda)
	pdMeeting(t, a, ref, panel.ReviewPanel, pdReviewDay, pdChair, pdHeadteacher)
	c := pdOpenCase(t, a, ref)
	path := ref.URL() + "/decide"
	before := pwState(t, a, ref)
	unchanged := func(who string) {
		t.Helper()
		if after := pwState(t, a, ref); after != before || pdDecided(t, a, ref) != 0 {
			t.Errorf("%s changed %s to %s", who, before, after)
		}
	}

	// Before the meeting day even the chair is told to come back.
	pdOn(a, pdReviewDay.AddDays(-1))
	chair := pwSignedIn(t, a, pdChair)
	doc := chair.Get(path).Doc(t)
	if got := pwText(doc.Find(`[data-testid="case-refusal"]`)); !strings.Contains(got, "meets on Tuesday 8 December 2026") || doc.Find("form[data-testid=case-form]").Length() != 0 {
		t.Errorf("chair before the meeting: %q", got)
	}
	r := chair.Post(path, pdDecision(c.ID, panel.Approved))
	if r.StatusCode != http.StatusConflict || !strings.Contains(pwText(r.Doc(t).Find(`[data-testid="refusal-reason"]`)), "meets on Tuesday 8 December 2026") {
		t.Errorf("decision before the meeting: %d %q", r.StatusCode, pwText(r.Doc(t).Find("main")))
	}
	unchanged("a decision before the meeting")

	pdOn(a, pdReviewDay)
	head, lead, coord := pwSignedIn(t, a, pdHeadteacher), pwSignedIn(t, a, pdLead), pwSignedIn(t, a, pwCoordinator)
	const conflict = "You cannot take part in this decision: you work at Whitmore Park Academy, the referring school (a conflict of interest)."
	r = head.Get(path)
	if r.StatusCode != http.StatusOK {
		t.Fatalf("headteacher's case page: %d", r.StatusCode)
	}
	doc = r.Doc(t)
	if got := pwText(doc.Find(`[data-testid="case-refusal"]`)); !strings.Contains(got, conflict) || doc.Find("form[data-testid=case-form]").Length() != 0 {
		t.Errorf("headteacher's case page: %q", got)
	}
	r = head.Post(path, pdDecision(c.ID, panel.Approved))
	if r.StatusCode != http.StatusForbidden || pwText(r.Doc(t).Find(`[data-testid="refusal-reason"]`)) != conflict {
		t.Errorf("headteacher's decision: %d %q", r.StatusCode, pwText(r.Doc(t).Find(`[data-testid="refusal-reason"]`)))
	}
	minutes := pdDecision(c.ID, "")
	minutes.Set("do", "minutes")
	if r := head.Post(path, minutes); r.StatusCode != http.StatusForbidden {
		t.Errorf("headteacher's minutes: %d", r.StatusCode)
	}
	unchanged("the headteacher from the referring school")

	doc = lead.Get(path).Doc(t)
	if got := pwText(doc.Find(`[data-testid="case-refusal"]`)); !strings.Contains(got, "you are not on its attendance list") || doc.Find("form[data-testid=case-form]").Length() != 0 {
		t.Errorf("absent member's case page: %q", got)
	}
	if r := lead.Post(path, pdDecision(c.ID, panel.Approved)); r.StatusCode != http.StatusForbidden {
		t.Errorf("absent member's decision: %d", r.StatusCode)
	}
	unchanged("a member who did not attend")

	for _, p := range []string{path, ref.URL() + "/map", ref.URL() + "/allocate"} {
		if r := coord.Get(p); r.StatusCode != http.StatusForbidden {
			t.Errorf("coordinator's GET %s: %d", p, r.StatusCode)
		}
		if r := coord.Post(p, pdDecision(c.ID, panel.Approved)); r.StatusCode != http.StatusForbidden {
			t.Errorf("coordinator's POST %s: %d", p, r.StatusCode)
		}
	}
	unchanged("the coordinator")
}

func TestPanelDecisionPostedTwiceAtOnceIsRecordedOnce(t *testing.T) {
	a := testapp.New(t)
	ref := pdOnReviewPanel(t, a, pdRefocus(t, a))
	chair := pwSignedIn(t, a, pdChair)
	c := pdOpenCase(t, a, ref)
	const n = 4
	codes := make([]int, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			codes[i] = chair.Post(ref.URL()+"/decide", pdDecision(c.ID, panel.Approved)).StatusCode
		}()
	}
	wg.Wait()
	ok := 0
	for _, code := range codes {
		switch code {
		case http.StatusSeeOther:
			ok++
		case http.StatusConflict:
		default:
			t.Errorf("status %d", code)
		}
	}
	if ok != 1 {
		t.Errorf("%d of %d POSTs succeeded: %v", ok, n, codes)
	}
	if got := pdDecided(t, a, ref); got != 1 {
		t.Errorf("%d decisions recorded", got)
	}
	if got := pwInt(t, a, `SELECT count(*) FROM referral_events WHERE referral_id = $1 AND action = 'decide'`, ref.ID); got != 1 {
		t.Errorf("%d decide events", got)
	}
	if got := pwInt(t, a, `SELECT count(*) FROM panel_cases WHERE referral_id = $1 AND panel = 'multi_agency'`, ref.ID); got != 1 {
		t.Errorf("%d Multi-Agency Panel cases", got)
	}
	// And afterwards, the same form again says someone moved it on.
	r := chair.Post(ref.URL()+"/decide", pdDecision(c.ID, panel.Approved))
	if r.StatusCode != http.StatusConflict {
		t.Errorf("again: %d", r.StatusCode)
	}
}

func TestPanelChairSavesMinutesDuringTheMeetingWithoutDeciding(t *testing.T) {
	a := testapp.New(t)
	ref := pdOnReviewPanel(t, a, pdRefocus(t, a))
	chair := pwSignedIn(t, a, pdChair)
	c := pdOpenCase(t, a, ref)
	path := ref.URL() + "/decide"
	form := url.Values{"case_id": {itoa64(c.ID)}, "do": {"minutes"}, "minutes": {"Early Help confirmed.\nSchool to attend reviews."},
		"decision": {panel.Approved}, "rationale": {"Half-typed rationale"}}
	r := chair.Post(path, form)
	if r.StatusCode != http.StatusOK {
		t.Fatalf("save minutes: %d", r.StatusCode)
	}
	// The page comes back with the banner and everything typed, the decision not yet recorded.
	doc := r.Doc(t)
	if got := pwText(doc.Find(".govuk-notification-banner")); !strings.Contains(got, "The minutes were saved") {
		t.Errorf("banner %q", got)
	}
	if got := doc.Find("textarea#rationale").Text(); got != "Half-typed rationale" {
		t.Errorf("rationale kept as %q", got)
	}
	if _, ok := doc.Find(`input[name="decision"][value="approved"]`).Attr("checked"); !ok {
		t.Errorf("the decision chosen is not kept")
	}
	if pdDecided(t, a, ref) != 0 || pwGet(t, a, ref).Step != "review_panel" {
		t.Errorf("saving the minutes decided the case")
	}
	// Opened again later, the case has its minutes.
	if got := chair.Get(path).Doc(t).Find("textarea#minutes").Text(); got != "Early Help confirmed.\nSchool to attend reviews." {
		t.Errorf("minutes on the page: %q", got)
	}
	if n := pwInt(t, a, `SELECT count(*) FROM audit_log WHERE action = 'panel.minutes' AND subject_id = $1`, itoa64(c.ID)); n != 1 {
		t.Errorf("%d audit entries for the minutes", n)
	}
	// Minutes too long come back with the problem and are not saved.
	form.Set("minutes", strings.Repeat("x", referral.MaxAnswer+1))
	if r := chair.Post(path, form); r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(pwText(r.Doc(t).Find(".govuk-error-summary")), "10000 characters or fewer") {
		t.Errorf("long minutes: %d", r.StatusCode)
	}
	if got := pdOpenCase(t, a, ref).Minutes; got != "Early Help confirmed.\nSchool to attend reviews." {
		t.Errorf("minutes stored: %q", got)
	}
}

func TestPanelNotApprovedSendsTheReferralToCAPsAlternatives(t *testing.T) {
	a := testapp.New(t)
	ref := pdOnReviewPanel(t, a, pdRefocus(t, a))
	chair := pwSignedIn(t, a, pdChair)
	c := pdOpenCase(t, a, ref)
	if r := chair.Post(ref.URL()+"/decide", pdDecision(c.ID, panel.NotApproved)); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("not approved: %d", r.StatusCode)
	}
	if got := pdFlash(t, chair, ref.URL()); !strings.Contains(got, "Not approved: CAP will explore alternatives with the school") {
		t.Errorf("flash %q", got)
	}
	if got := pwGet(t, a, ref).Step; got != "exploring_alternatives" {
		t.Errorf("step %s", got)
	}
}

func TestPanelDeferralPutsTheCaseOnTheNextRoundsAgenda(t *testing.T) {
	a := testapp.New(t)
	ref := pdOnReviewPanel(t, a, pdRefocus(t, a))
	chair := pwSignedIn(t, a, pdChair)
	c := pdOpenCase(t, a, ref)
	round, err := panel.On(a.Pool).GetRound(context.Background(), c.RoundID)
	if err != nil {
		t.Fatal(err)
	}
	next, err := panel.On(a.Pool).RoundAfter(context.Background(), round, directory.Refocus)
	if err != nil {
		t.Fatal(err)
	}
	form := pdDecision(c.ID, panel.Deferred)
	form.Del("rationale")
	if r := chair.Post(ref.URL()+"/decide", form); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("defer: %d: %s", r.StatusCode, pwText(r.Doc(t).Find("main")))
	}
	if got := pdFlash(t, chair, ref.URL()); !strings.Contains(got, "Deferred to round "+itoa64(int64(next.Position))) {
		t.Errorf("flash %q", got)
	}
	carried := pdOpenCase(t, a, ref)
	if carried.RoundID != next.ID || carried.Panel != panel.ReviewPanel || carried.CarriedFrom != c.ID {
		t.Errorf("carried case %+v, want round %d", carried, next.ID)
	}
	if got := pwGet(t, a, ref).Step; got != "review_panel" {
		t.Errorf("step %s", got)
	}
	// The old form is refused; the new case waits for its meeting.
	if r := chair.Post(ref.URL()+"/decide", pdDecision(c.ID, panel.Approved)); r.StatusCode != http.StatusConflict {
		t.Errorf("the old case's form: %d", r.StatusCode)
	}
	doc := chair.Get(ref.URL() + "/decide").Doc(t)
	if got := pwText(doc.Find(`[data-testid="case-refusal"]`)); !strings.Contains(got, "has not been scheduled yet") {
		t.Errorf("the carried case: %q", got)
	}
	if got := pwText(doc.Find(`[data-testid="case-previous"]`)); !strings.Contains(got, "Deferred to the next round") {
		t.Errorf("earlier decisions %q", got)
	}
}

func TestPanelHeadteacherMeetingAllocatesASupportedTransfer(t *testing.T) {
	a := testapp.New(t)
	ref := pdOnReviewPanel(t, a, pdTransfer(t, a))
	chair := pwSignedIn(t, a, pdChair)
	review := pdOpenCase(t, a, ref)
	if r := chair.Post(ref.URL()+"/decide", pdDecision(review.ID, panel.Approved)); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("review approval: %d: %s", r.StatusCode, pwText(r.Doc(t).Find("main")))
	}
	if got := pdFlash(t, chair, ref.URL()); !strings.Contains(got, "Approved: the case goes to the Supported Transfer Headteacher Placement Meeting") {
		t.Errorf("flash %q", got)
	}
	if got := pwGet(t, a, ref).Step; got != "headteacher_panel" {
		t.Fatalf("step %s", got)
	}
	pdMeeting(t, a, ref, panel.HeadteacherPanel, pdHeadteacherDay, pdChair, pdHeadteacher)
	pdOn(a, pdHeadteacherDay)
	chair = pwSignedIn(t, a, pdChair)
	path := ref.URL() + "/allocate"
	doc := chair.Get(path).Doc(t)
	var schools []string
	doc.Find(`select[name="receiving_school"] option`).Each(func(_ int, s *goquery.Selection) { schools = append(schools, s.Text()) })
	if len(schools) < 2 || schools[0] != "Choose a school" || strings.Contains(strings.Join(schools, "|"), "Whitmore Park Academy") ||
		!strings.Contains(strings.Join(schools, "|"), "Canley Brook Academy") {
		t.Errorf("receiving schools %v", schools)
	}
	c := pdOpenCase(t, a, ref)
	canley := pwInt(t, a, `SELECT id FROM organisations WHERE slug = 'canleybrook'`)
	whitmore := pwInt(t, a, `SELECT school_id FROM referrals WHERE id = $1`, ref.ID)

	form := pdDecision(c.ID, panel.Approved)
	form.Set("transfer_start-day", "9")
	form.Set("transfer_start-month", "1")
	form.Set("transfer_start-year", "2027") // a Saturday
	r := chair.Post(path, form)
	if r.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("without a receiving school: %d", r.StatusCode)
	}
	doc = r.Doc(t)
	summary := pwText(doc.Find(".govuk-error-summary"))
	for _, want := range []string{"Select the receiving school", "The first day at the receiving school must be a weekday"} {
		if !strings.Contains(summary, want) {
			t.Errorf("summary %q lacks %q", summary, want)
		}
	}
	if doc.Find("#transfer_start-day").AttrOr("value", "") != "9" || doc.Find("textarea#rationale").Text() == "" {
		t.Errorf("what was typed is not kept")
	}
	form.Set("receiving_school", itoa64(whitmore))
	form.Set("transfer_start-day", "14")
	form.Set("transfer_start-month", "12")
	form.Set("transfer_start-year", "2026") // yesterday
	summary = pwText(chair.Post(path, form).Doc(t).Find(".govuk-error-summary"))
	for _, want := range []string{"Select a school other than Whitmore Park Academy, the referring school", "must be today or in the future"} {
		if !strings.Contains(summary, want) {
			t.Errorf("summary %q lacks %q", summary, want)
		}
	}
	if pwGet(t, a, ref).Step != "headteacher_panel" || pdDecided(t, a, ref) != 1 {
		t.Errorf("a form with problems moved the referral")
	}

	form.Set("receiving_school", itoa64(canley))
	form.Set("transfer_start-day", "4")
	form.Set("transfer_start-month", "1")
	form.Set("transfer_start-year", "2027")
	r = chair.Post(path, form)
	if r.StatusCode != http.StatusSeeOther || r.Location() != "/panels/rounds/"+itoa64(c.RoundID)+"/headteacher" {
		t.Fatalf("allocate: %d to %q: %s", r.StatusCode, r.Location(), pwText(r.Doc(t).Find("main")))
	}
	if got := pdFlash(t, chair, ref.URL()); !strings.Contains(got, "Approved: the student transfers to Canley Brook Academy from Monday 4 January 2027") {
		t.Errorf("flash %q", got)
	}
	if got := pwGet(t, a, ref).Step; got != "transfer_placement" {
		t.Errorf("step %s", got)
	}
	tr, err := referral.On(a.Pool).TransferOf(context.Background(), ref.ID)
	if err != nil || tr.ReceivingSchoolID != canley || tr.Starts != calendar.NewDate(2027, time.January, 4) {
		t.Errorf("transfer %+v, %v", tr, err)
	}
}

// In a real browser with axe: CAP adds a referral to the agenda; the chair reads another case, is told
// what is missing, and records the decision.
func TestPanelAgendaCasePageAndDecisionPassAxeInABrowser(t *testing.T) {
	a := testapp.New(t)
	waiting := pwSubmitted(t, a, pwAmeliaUPN, pwProgramme(t, a, "capa", "Refocus"))
	ref := pdOnReviewPanel(t, a, pdRefocus(t, a))
	b := browsertest.New(t)
	b.ScreenshotDir = t.TempDir()
	signIn := func(email string) {
		b.Visit(a.URL + "/login")
		b.Fill("#email", email)
		b.Fill("#password", testapp.Password)
		b.Submit("form[action='/login'] button")
	}

	signIn(pwAdmin)
	b.Visit(a.URL + waiting.URL() + "/agenda")
	if got := b.Text(`[data-testid="agenda-round"]`); !strings.Contains(got, "Round 4 of 2026/27") {
		t.Fatalf("round %q", got)
	}
	b.Submit(`#main-content form[method=post] button`)
	if !strings.Contains(b.Text(".govuk-notification-banner"), "was added to the Review and Authorisation Panel’s agenda") {
		t.Errorf("after adding: %q", b.Text(".govuk-notification-banner"))
	}
	b.Submit(`form[action="/logout"] button`)

	signIn(pdChair)

	b.Visit(a.URL + ref.URL() + "/decide")
	if got := b.Text(`[data-testid="panel-checklist"]`); !strings.Contains(got, "Has the school engaged with EHAC") || !strings.Contains(got, "An answer about Student’s views") {
		t.Fatalf("checklist %q", got)
	}
	b.Fill("#minutes", "The panel read the Early Help plan.")
	b.Submit(`button[value="decide"]`)
	if b.Status() != http.StatusUnprocessableEntity || !strings.Contains(b.Text(".govuk-error-summary"), "Select the panel’s decision") {
		t.Fatalf("status %d, summary %q", b.Status(), b.Text(".govuk-error-summary"))
	}
	if b.Value("#minutes") != "The panel read the Early Help plan." {
		t.Errorf("minutes kept as %q", b.Value("#minutes"))
	}
	b.SetChecked("#decision", true)
	b.Fill("#rationale", "The school has done what it can.")
	b.Submit(`button[value="decide"]`)
	if !strings.Contains(b.URL(), "/panels/rounds/") || !strings.Contains(b.Text(".govuk-notification-banner"), "Approved: the case goes to the Multi-Agency Panel") {
		t.Errorf("after the decision: %s with %q", b.URL(), b.Text(".govuk-notification-banner"))
	}
	if got := pwGet(t, a, ref).Step; got != "multi_agency_panel" {
		t.Errorf("step %s", got)
	}
}
