package ui_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/coventry-cap/capportal/internal/auth"
	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/document"
	"github.com/coventry-cap/capportal/internal/pathway"
	"github.com/coventry-cap/capportal/internal/referral"
	"github.com/coventry-cap/capportal/internal/school"
	"github.com/coventry-cap/capportal/internal/testapp"
)

const (
	pwCoordinator      = "coordinator@whitmore.school.example"
	pwAdmin            = "admin@cap.example"
	pwRidgeway         = "staff@ridgeway.provider.example"
	pwPistonWorks      = "staff@pistonworks.provider.example"
	pwOtherCoordinator = "coordinator@canleybrook.school.example"
	pwKaiUPN           = "C331290115001" // Kai Adeyemi-Brown, Year 10 at Whitmore Park Academy
	pwAmeliaUPN        = "331290115002"  // Amelia Barker, Year 10 at Whitmore (the UPN’s last characters)
)

// pwPDF is a tiny PDF the upload checks accept.
var pwPDF = []byte("%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")

func pwStore(a *testapp.App) referral.Store {
	return referral.Store{DB: a.Pool, Clock: a.Clock, Outbox: a.Server.Outbox}
}

// pwActor is a demo user acting through the store.
func pwActor(t *testing.T, a *testapp.App, email string) referral.Actor {
	t.Helper()
	ctx := context.Background()
	var id int64
	if err := a.Pool.QueryRow(ctx, `SELECT id FROM users WHERE email = $1`, email).Scan(&id); err != nil {
		t.Fatalf("user %s: %v", email, err)
	}
	p, err := auth.On(a.Pool).LoadPrincipal(ctx, id)
	if err != nil {
		t.Fatalf("principal %s: %v", email, err)
	}
	return referral.Actor{Principal: p, RequestID: "test"}
}

func pwInt(t *testing.T, a *testapp.App, sql string, args ...any) int64 {
	t.Helper()
	var n int64
	if err := a.Pool.QueryRow(context.Background(), sql, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	return n
}

// pwProgramme is a demo programme by its provider's slug and its name.
func pwProgramme(t *testing.T, a *testapp.App, provider, name string) int64 {
	t.Helper()
	return pwInt(t, a, `SELECT p.id FROM programmes p JOIN organisations o ON o.id = p.organisation_id
		WHERE o.slug = $1 AND p.name = $2`, provider, name)
}

func pwMotorVehicle(t *testing.T, a *testapp.App) int64 {
	return pwProgramme(t, a, "ridgeway", "Motor Vehicle Maintenance")
}

// pwAnswers are complete answers to every section of a kind's application.
func pwAnswers(r referral.Referral, today calendar.Date) referral.Answers {
	ans := referral.Answers{}
	for _, sec := range referral.Sections(r.Kind) {
		for _, f := range sec.Fields {
			switch f.Type {
			case referral.FromRecord:
				continue
			case referral.Parental:
				ans[f.Name] = r.Record.Parental[0]
			case referral.YesNo, referral.Confirm:
				ans[f.Name] = "yes"
			case referral.Percent:
				ans[f.Name] = "91.5"
			case referral.DateOf:
				ans[f.Name] = today.AddDays(-10).String()
			default:
				ans[f.Name] = "An answer about " + f.Short
			}
		}
	}
	return ans
}

// pwSubmitted creates a submitted referral for the Whitmore student with the UPN (or its last
// characters) to the programme, through the store: start, every section answered, a risk assessment
// completed today, submit.
func pwSubmitted(t *testing.T, a *testapp.App, upn string, programmeID int64) referral.Referral {
	t.Helper()
	ctx := context.Background()
	store := pwStore(a)
	coord := pwActor(t, a, pwCoordinator)
	studentID := pwInt(t, a, `SELECT id FROM students WHERE upn LIKE '%' || $1`, upn)
	schoolID := pwInt(t, a, `SELECT school_id FROM students WHERE id = $1`, studentID)
	token := make([]byte, 8)
	_, _ = rand.Read(token)
	draft, _, err := store.Start(ctx, coord, referral.StartInput{SchoolID: schoolID, StudentID: studentID, ProgrammeID: programmeID, Token: hex.EncodeToString(token)})
	if err != nil {
		t.Fatalf("start: %v", err)
	}
	today := calendar.Today(a.Clock)
	noCommissioning := true
	if err := store.SaveAnswers(ctx, coord, draft, pwAnswers(draft, today), &noCommissioning); err != nil {
		t.Fatalf("save answers: %v", err)
	}
	checked, err := document.Validate("risk-assessment.pdf", pwPDF)
	if err != nil {
		t.Fatalf("validate the risk assessment: %v", err)
	}
	if _, err := store.AddDocument(ctx, coord, draft, document.Upload{Kind: document.RiskAssessment, Checked: checked, Data: pwPDF,
		CompletedOn: today, Template: document.CAPTemplate}); err != nil {
		t.Fatalf("add the risk assessment: %v", err)
	}
	draft, err = store.Get(ctx, coord, draft.Key())
	if err != nil {
		t.Fatal(err)
	}
	ref, err := store.Submit(ctx, coord, draft)
	if err != nil {
		t.Fatalf("submit: %v", err)
	}
	if ref.Step != pathway.Submitted || ref.Reference == "" {
		t.Fatalf("submitted referral is at %s with reference %q", ref.Step, ref.Reference)
	}
	return ref
}

// pwGet reloads a referral as CAP sees it.
func pwGet(t *testing.T, a *testapp.App, ref referral.Referral) referral.Referral {
	t.Helper()
	got, err := pwStore(a).Get(context.Background(), pwActor(t, a, pwAdmin), ref.Reference)
	if err != nil {
		t.Fatalf("reload %s: %v", ref.Reference, err)
	}
	return got
}

// pwMove moves a referral on through the store and returns it reloaded.
func pwMove(t *testing.T, a *testapp.App, ref referral.Referral, email string, move func(referral.Store, context.Context, referral.Actor, referral.Referral) error) referral.Referral {
	t.Helper()
	ref = pwGet(t, a, ref)
	if err := move(pwStore(a), context.Background(), pwActor(t, a, email), ref); err != nil {
		t.Fatalf("move %s from %s as %s: %v", ref.Reference, ref.Step, email, err)
	}
	return pwGet(t, a, ref)
}

func pwSendPack(s referral.Store, ctx context.Context, a referral.Actor, r referral.Referral) error {
	return s.SendPack(ctx, a, r)
}

func pwInterview(s referral.Store, ctx context.Context, a referral.Actor, r referral.Referral) error {
	return s.RecordInterview(ctx, a, r, calendar.NewDate(2026, time.November, 23), "10am")
}

func pwDecline(s referral.Store, ctx context.Context, a referral.Actor, r referral.Referral) error {
	yes, no := true, false
	return s.Respond(ctx, a, r, referral.ResponseInput{ReceiptAcknowledged: true, CanMeetNeeds: &yes, CanManageRisk: &no,
		Decision: "decline", DeclineReason: "risk", DeclineDetail: "We cannot staff the workshop for this level of risk."})
}

func pwAccept(s referral.Store, ctx context.Context, a referral.Actor, r referral.Referral) error {
	yes := true
	return s.Respond(ctx, a, r, referral.ResponseInput{ReceiptAcknowledged: true, CanMeetNeeds: &yes, CanManageRisk: &yes,
		Decision: "accept", StartDate: calendar.NewDate(2027, time.January, 4), Days: []time.Weekday{time.Monday, time.Wednesday}})
}

func pwProcess(s referral.Store, ctx context.Context, a referral.Actor, r referral.Referral) error {
	_, err := s.ProcessResponse(ctx, a, r)
	return err
}

func pwSignedIn(t *testing.T, a *testapp.App, email string) *testapp.Client {
	t.Helper()
	c := a.Client(t)
	c.SignIn(email)
	return c
}

// pwText is the text of the selection with a space between elements, so "Start date" and
// "4 January 2027" in a summary list read as "Start date 4 January 2027".
func pwText(sel *goquery.Selection) string {
	var parts []string
	var walk func(s *goquery.Selection)
	walk = func(s *goquery.Selection) {
		s.Contents().Each(func(_ int, c *goquery.Selection) {
			if goquery.NodeName(c) == "#text" {
				parts = append(parts, c.Text())
			} else {
				walk(c)
			}
		})
	}
	walk(sel)
	return strings.Join(strings.Fields(strings.Join(parts, " ")), " ")
}

// pwState is what a refused move must leave alone: the step, the events, the packs, the responses and
// the placements.
func pwState(t *testing.T, a *testapp.App, ref referral.Referral) string {
	t.Helper()
	var step string
	var events, packs, responses, placements int
	err := a.Pool.QueryRow(context.Background(), `SELECT r.step,
		(SELECT count(*) FROM referral_events WHERE referral_id = r.id),
		(SELECT count(*) FROM referral_packs WHERE referral_id = r.id),
		(SELECT count(*) FROM application_responses WHERE referral_id = r.id),
		(SELECT count(*) FROM placements WHERE referral_id = r.id)
		FROM referrals r WHERE r.id = $1`, ref.ID).Scan(&step, &events, &packs, &responses, &placements)
	if err != nil {
		t.Fatal(err)
	}
	return strings.Join([]string{step, strconv.Itoa(events), strconv.Itoa(packs), strconv.Itoa(responses), strconv.Itoa(placements)}, "/")
}

// pwRespondForm is a complete acceptance as the respond form posts it.
func pwRespondForm() url.Values {
	return url.Values{"receipt": {"yes"}, "can_meet_needs": {"yes"}, "can_manage_risk": {"yes"}, "decision": {"accept"},
		"start-day": {"4"}, "start-month": {"1"}, "start-year": {"2027"}, "days": {"1", "3"}}
}

func TestReferralTier1JourneyFromSubmissionToActivePlacementOverHTTP(t *testing.T) {
	a := testapp.New(t)
	ref := pwSubmitted(t, a, pwKaiUPN, pwMotorVehicle(t, a))
	path := ref.URL()
	coord, admin, provider := pwSignedIn(t, a, pwCoordinator), pwSignedIn(t, a, pwAdmin), pwSignedIn(t, a, pwRidgeway)

	// The school sees where it is and who it waits on, and has nothing to do.
	r := coord.Get(path)
	if r.StatusCode != http.StatusOK {
		t.Fatalf("coordinator's referral page: %d", r.StatusCode)
	}
	doc := r.Doc(t)
	if got := pwText(doc.Find(`[data-testid="referral-now"]`)); !strings.Contains(got, "CAP reviews the application pack") || !strings.Contains(got, "Waiting on the CAP admin team") {
		t.Errorf("where it is now: %q", got)
	}
	if doc.Find(`[data-testid="referral-actions"] a`).Length() != 0 {
		t.Errorf("the coordinator is offered actions at CAP's review: %q", pwText(doc.Find(`[data-testid="referral-actions"]`)))
	}
	for _, want := range []string{ref.Reference, "Kai Adeyemi-Brown", "Whitmore Park Academy", "Motor Vehicle Maintenance", "Ridgeway Motor Skills"} {
		if !strings.Contains(pwText(doc.Find(`[data-testid="referral-details"]`)), want) {
			t.Errorf("details lack %q", want)
		}
	}
	if got := pwText(doc.Find(`[data-testid="referral-progress"] li`).First()); !strings.Contains(got, "Now") {
		t.Errorf("first progress step: %q", got)
	}
	if doc.Find(`[data-testid="referral-documents"] a[href^="`+path+`/documents/"]`).Length() != 1 {
		t.Errorf("no download link for the risk assessment")
	}

	// CAP is offered exactly its actions at this step.
	doc = admin.Get(path).Doc(t)
	var hrefs []string
	doc.Find(`[data-testid="referral-actions"] a`).Each(func(_ int, s *goquery.Selection) { hrefs = append(hrefs, s.AttrOr("href", "")) })
	if strings.Join(hrefs, " ") != path+"/send-pack "+path+"/return" {
		t.Errorf("CAP's actions at review: %v", hrefs)
	}
	r = admin.Get(path + "/send-pack")
	if r.StatusCode != http.StatusOK {
		t.Fatalf("send-pack page: %d", r.StatusCode)
	}
	if got := pwText(r.Doc(t).Find(`[data-testid="pack-checks"]`)); strings.Contains(got, "Not done") || !strings.Contains(got, "confirmed it is submitting without") {
		t.Errorf("pack checks: %q", got)
	}
	if !strings.Contains(r.Body, "Ridgeway Motor Skills’ staff can see") || strings.Contains(r.Body, "Skills’s") {
		t.Error("the send-pack page does not put Ridgeway Motor Skills in the possessive as a plural")
	}
	if r = admin.Post(path+"/send-pack", url.Values{}); r.StatusCode != http.StatusSeeOther || r.Location() != path {
		t.Fatalf("send pack: %d to %q: %s", r.StatusCode, r.Location(), pwText(r.Doc(t).Find("main")))
	}
	if got := pwText(admin.Get(path).Doc(t).Find(".govuk-notification-banner")); !strings.Contains(got, "sent to Ridgeway Motor Skills") {
		t.Errorf("flash after sending: %q", got)
	}

	// The provider records the interview and accepts.
	r = provider.Get(path)
	if r.StatusCode != http.StatusOK {
		t.Fatalf("provider's referral page after the pack: %d", r.StatusCode)
	}
	if provider.Get(path+"/interview").StatusCode != http.StatusOK {
		t.Fatalf("provider's interview page")
	}
	r = provider.Post(path+"/interview", url.Values{"interview-day": {"30"}, "interview-month": {"11"}, "interview-year": {"2026"}, "time": {"2.30 pm"}})
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("record interview: %d: %s", r.StatusCode, pwText(r.Doc(t).Find(".govuk-error-summary")))
	}
	if got := pwText(coord.Get(path).Doc(t).Find(`[data-testid="referral-details"]`)); !strings.Contains(got, "Interview 30 November 2026 at 2:30pm") {
		t.Errorf("interview on the page: %q", got)
	}
	// The interview is held, then the response is sent: before 30 November the provider is told to wait.
	if r := provider.Get(path + "/respond"); r.StatusCode != http.StatusConflict || !strings.Contains(r.Body, "return the application response after it has been held") {
		t.Fatalf("respond page before the interview: %d", r.StatusCode)
	}
	a.Clock.Set(time.Date(2026, time.November, 30, 16, 0, 0, 0, calendar.London()))
	coord, admin, provider = pwSignedIn(t, a, pwCoordinator), pwSignedIn(t, a, pwAdmin), pwSignedIn(t, a, pwRidgeway)
	if provider.Get(path+"/respond").StatusCode != http.StatusOK {
		t.Fatalf("respond page")
	}
	if r = provider.Post(path+"/respond", pwRespondForm()); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("respond: %d: %s", r.StatusCode, pwText(r.Doc(t).Find(".govuk-error-summary")))
	}

	// CAP processes the acceptance and sets up the training record, counted as a QA placement.
	r = admin.Get(path + "/process")
	if got := pwText(r.Doc(t).Find(`[data-testid="process-response"]`)); !strings.Contains(got, "Decision Accepted") || !strings.Contains(got, "Start date 4 January 2027") {
		t.Errorf("process page shows: %q", got)
	}
	if r = admin.Post(path+"/process", url.Values{}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("process: %d", r.StatusCode)
	}
	// The start and the days are the first thing the coordinator reads once they are confirmed.
	if got := pwText(coord.Get(path).Doc(t).Find(`[data-testid="referral-now"] [data-testid="referral-starts"]`)); got != "Starts Monday 4 January 2027, Mondays and Wednesdays" {
		t.Errorf("the start at the top: %q", got)
	}
	doc = admin.Get(path + "/placement").Doc(t)
	if _, checked := doc.Find(`input[name="qa"]`).Attr("checked"); !checked {
		t.Errorf("a Tier 1 course at a school with a signed SLA should count as a QA placement by default: %q", pwText(doc.Find("form")))
	}
	if r = admin.Post(path+"/placement", url.Values{"qa": {"yes"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("placement: %d: %s", r.StatusCode, pwText(r.Doc(t).Find("main")))
	}

	// The school reads the referral: placement active, with the start date and days.
	doc = coord.Get(path).Doc(t)
	if got := pwText(doc.Find(`[data-testid="referral-now"]`)); !strings.Contains(got, "Placement active") {
		t.Errorf("after set-up: %q", got)
	}
	if got := pwText(doc.Find(`[data-testid="referral-placement"]`)); !strings.Contains(got, "Start date 4 January 2027") || !strings.Contains(got, "Monday and Wednesday") ||
		!strings.Contains(got, "Status Starts on Monday 4 January 2027") || strings.Contains(got, "Active") {
		t.Errorf("placement before its first day: %q", got)
	}
	if got := pwText(doc.Find(`[data-testid="referral-timeline"]`)); !strings.Contains(got, "Training record set up") || !strings.Contains(got, "Pack sent to the provider") {
		t.Errorf("timeline: %q", got)
	}
	if got := pwText(doc.Find(`[data-testid="referral-progress"]`)); strings.Contains(got, "To come") {
		t.Errorf("steps still to come after the placement: %q", got)
	}
	used, err := school.On(a.Pool).UsedQAPlacements(context.Background(), ref.SchoolID, ref.AcademicYear)
	if err != nil || used != 1 {
		t.Errorf("QA placements used = %d, %v; want 1", used, err)
	}

	// No email of the whole journey carries the student's name.
	emails := a.WaitForEmails(t, 5)
	for _, e := range emails {
		for _, name := range []string{"Kai", "Adeyemi", "Brown"} {
			if strings.Contains(e.Subject+e.Body, name) {
				t.Errorf("email to %s (%s) contains %q: %s %s", e.To, e.Kind, name, e.Subject, e.Body)
			}
		}
	}
	toProvider := false
	for _, e := range emails {
		if strings.HasSuffix(e.To, "@ridgeway.provider.example") && strings.Contains(e.Body, ref.Reference) {
			toProvider = true
		}
	}
	if !toProvider {
		t.Errorf("the provider was not emailed about the pack")
	}
}

func TestReferralStepsAreRefusedToTheWrongRoles(t *testing.T) {
	a := testapp.New(t)
	ref := pwSubmitted(t, a, pwKaiUPN, pwMotorVehicle(t, a))
	path := ref.URL()
	before := pwState(t, a, ref)
	coord := pwSignedIn(t, a, pwCoordinator)

	// A coordinator cannot send the pack or return the application: a 403 page.
	for _, step := range []string{"send-pack", "return", "process", "placement"} {
		for _, r := range []testapp.Response{coord.Get(path + "/" + step), coord.Post(path+"/"+step, url.Values{"missing": {"x"}})} {
			if r.StatusCode != http.StatusForbidden {
				t.Errorf("coordinator %s %s: %d, want 403", r.Request.Method, step, r.StatusCode)
			}
		}
	}
	// Provider staff, before the pack and of another provider, do not see the referral at all.
	for _, email := range []string{pwRidgeway, pwPistonWorks} {
		c := pwSignedIn(t, a, email)
		for _, step := range []string{"respond", "interview"} {
			if r := c.Post(path+"/"+step, pwRespondForm()); r.StatusCode != http.StatusNotFound {
				t.Errorf("%s posting %s before the pack: %d, want 404", email, step, r.StatusCode)
			}
		}
		if r := c.Post(path+"/send-pack", url.Values{}); r.StatusCode != http.StatusForbidden {
			t.Errorf("%s sending the pack: %d, want 403", email, r.StatusCode)
		}
	}
	// Another school's coordinator may take the redirect and interview steps somewhere, but not here.
	other := pwSignedIn(t, a, pwOtherCoordinator)
	if r := other.Post(path+"/interview", url.Values{}); r.StatusCode != http.StatusNotFound {
		t.Errorf("another school's coordinator: %d, want 404", r.StatusCode)
	}
	if got := pwState(t, a, ref); got != before {
		t.Fatalf("refused steps changed the referral: %s, was %s", got, before)
	}

	// Once the pack is sent, Ridgeway may act, Piston Works still may not, and CAP may not respond.
	ref = pwMove(t, a, ref, pwAdmin, pwSendPack)
	if r := pwSignedIn(t, a, pwRidgeway).Get(path + "/interview"); r.StatusCode != http.StatusOK {
		t.Errorf("Ridgeway's interview page after the pack: %d", r.StatusCode)
	}
	if r := pwSignedIn(t, a, pwPistonWorks).Get(path + "/interview"); r.StatusCode != http.StatusNotFound {
		t.Errorf("Piston Works' interview page: %d, want 404", r.StatusCode)
	}
	admin := pwSignedIn(t, a, pwAdmin)
	if r := admin.Post(path+"/respond", pwRespondForm()); r.StatusCode != http.StatusForbidden {
		t.Errorf("CAP admin responding for the provider: %d, want 403", r.StatusCode)
	}
	// The headteacher sees the referral but does not record interviews; the store agrees with the route.
	if r := pwSignedIn(t, a, "headteacher@whitmore.school.example").Post(path+"/interview", url.Values{}); r.StatusCode != http.StatusForbidden {
		t.Errorf("headteacher recording the interview: %d, want 403", r.StatusCode)
	}
	err := pwStore(a).RecordInterview(context.Background(), pwActor(t, a, "headteacher@whitmore.school.example"), ref, calendar.NewDate(2026, 11, 30), "")
	var refusal *pathway.Refusal
	if !errors.As(err, &refusal) {
		t.Errorf("the store let a headteacher record the interview: %v", err)
	}
}

func TestReferralOutOfOrderStepsAreRefusedAndChangeNothing(t *testing.T) {
	a := testapp.New(t)
	ref := pwSubmitted(t, a, pwKaiUPN, pwMotorVehicle(t, a))
	path := ref.URL()
	admin, coord := pwSignedIn(t, a, pwAdmin), pwSignedIn(t, a, pwCoordinator)

	refused := func(c *testapp.Client, step string, form url.Values) {
		t.Helper()
		before := pwState(t, a, ref)
		r := c.Post(path+"/"+step, form)
		if r.StatusCode != http.StatusConflict {
			t.Errorf("%s at %s: %d, want 409 refusal", step, before, r.StatusCode)
		} else if reason := pwText(r.Doc(t).Find(`[data-testid="refusal-reason"]`)); reason == "" {
			t.Errorf("%s refused without a reason", step)
		}
		if got := pwState(t, a, ref); got != before {
			t.Errorf("refused %s changed %s to %s", step, before, got)
		}
	}
	// At CAP's review: no processing, no placement, no redirect, no interview.
	refused(admin, "process", nil)
	refused(admin, "placement", url.Values{"qa": {"yes"}})
	refused(admin, "redirect", url.Values{"programme": {strconv.Itoa(int(pwProgramme(t, a, "pistonworks", "Motorcycle Maintenance")))}})
	refused(coord, "interview", url.Values{"interview-day": {"30"}, "interview-month": {"11"}, "interview-year": {"2026"}})

	// Pack sent: not sent twice, no response before the interview, no processing before a response.
	ref = pwMove(t, a, ref, pwAdmin, pwSendPack)
	refused(admin, "send-pack", nil)
	refused(admin, "return", url.Values{"missing": {"Too late"}})
	refused(pwSignedIn(t, a, pwRidgeway), "respond", pwRespondForm())
	refused(admin, "process", nil)

	// Interview arranged: still nothing to process, no placement.
	ref = pwMove(t, a, ref, pwRidgeway, pwInterview)
	refused(admin, "process", nil)
	refused(admin, "placement", nil)

	// Response received: no placement before CAP processes it, no second response.
	ref = pwMove(t, a, ref, pwRidgeway, pwAccept)
	refused(admin, "placement", nil)
	refused(pwSignedIn(t, a, pwRidgeway), "respond", pwRespondForm())

	// The store refuses the same moves on its own, whatever page was used.
	ctx := context.Background()
	if err := pwStore(a).SetUpPlacement(ctx, pwActor(t, a, pwAdmin), pwGet(t, a, ref), true); err == nil {
		t.Errorf("the store set up a placement before the response was processed")
	}
	if err := pwStore(a).SendPack(ctx, pwActor(t, a, pwAdmin), pwGet(t, a, ref)); err == nil {
		t.Errorf("the store sent the pack twice")
	}
}

func TestReferralSendPackPressedManyTimesAtOnceSendsOnePack(t *testing.T) {
	a := testapp.New(t)
	programme := pwMotorVehicle(t, a)
	const n = 20

	// Through the store: exactly one of twenty moves from the same step succeeds.
	ref := pwSubmitted(t, a, pwKaiUPN, programme)
	store, actor := pwStore(a), pwActor(t, a, pwAdmin)
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = store.SendPack(context.Background(), actor, ref)
		}()
	}
	wg.Wait()
	won := 0
	for _, err := range errs {
		switch {
		case err == nil:
			won++
		case !errors.Is(err, referral.ErrMoved):
			t.Errorf("a losing SendPack failed with %v, want ErrMoved", err)
		}
	}
	if won != 1 {
		t.Errorf("%d SendPack calls succeeded, want 1", won)
	}
	if got := pwState(t, a, ref); got != "pack_sent/2/1/0/0" {
		t.Errorf("after the race: %s, want pack_sent with 2 events (submit, send) and 1 pack", got)
	}

	// Through the pages: twenty POSTs at once, one 303, the others a refusal page.
	ref = pwSubmitted(t, a, pwAmeliaUPN, programme)
	admin := pwSignedIn(t, a, pwAdmin)
	statuses := make([]int, n)
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			req, err := http.NewRequest(http.MethodPost, a.URL+ref.URL()+"/send-pack", strings.NewReader(""))
			if err != nil {
				return
			}
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("Sec-Fetch-Site", "same-origin")
			resp, err := admin.HTTP.Do(req)
			if err != nil {
				return
			}
			statuses[i] = resp.StatusCode
			resp.Body.Close()
		}()
	}
	close(start)
	wg.Wait()
	counts := map[int]int{}
	for _, s := range statuses {
		counts[s]++
	}
	if counts[http.StatusSeeOther] != 1 || counts[http.StatusConflict] != n-1 {
		t.Errorf("statuses of %d simultaneous sends: %v, want one 303 and %d 409s", n, counts, n-1)
	}
	if got := pwState(t, a, ref); got != "pack_sent/2/1/0/0" {
		t.Errorf("after the page race: %s", got)
	}
}

func TestReferralIsHiddenFromProvidersUntilTheirPackIsSent(t *testing.T) {
	a := testapp.New(t)
	ref := pwSubmitted(t, a, pwKaiUPN, pwMotorVehicle(t, a))
	path := ref.URL()
	docID := pwInt(t, a, `SELECT id FROM referral_documents WHERE referral_id = $1`, ref.ID)
	ridgeway, piston := pwSignedIn(t, a, pwRidgeway), pwSignedIn(t, a, pwPistonWorks)
	addresses := []string{path, path + "/documents/" + strconv.Itoa(int(docID)), path + "/pack.pdf"}
	listed := func(c *testapp.Client) bool {
		return strings.Contains(c.Get("/referrals").Body, ref.Reference)
	}

	for _, p := range addresses {
		for _, c := range []*testapp.Client{ridgeway, piston} {
			if r := c.Get(p); r.StatusCode != http.StatusNotFound {
				t.Errorf("before the pack, a provider got %d for %s", r.StatusCode, p)
			}
		}
	}
	if listed(ridgeway) || listed(piston) {
		t.Errorf("a provider's list shows the referral before its pack is sent")
	}

	pwMove(t, a, ref, pwAdmin, pwSendPack)
	for _, p := range addresses {
		if r := ridgeway.Get(p); r.StatusCode != http.StatusOK {
			t.Errorf("after the pack, Ridgeway got %d for %s", r.StatusCode, p)
		}
		if r := piston.Get(p); r.StatusCode != http.StatusNotFound {
			t.Errorf("Piston Works got %d for %s", r.StatusCode, p)
		}
	}
	if !listed(ridgeway) || listed(piston) {
		t.Errorf("lists: Ridgeway shows it %v (want true), Piston Works %v (want false)", listed(ridgeway), listed(piston))
	}
	// A document of another referral through this referral's address is not found.
	other := pwSubmitted(t, a, pwAmeliaUPN, pwMotorVehicle(t, a))
	otherDoc := pwInt(t, a, `SELECT id FROM referral_documents WHERE referral_id = $1`, other.ID)
	if r := ridgeway.Get(path + "/documents/" + strconv.Itoa(int(otherDoc))); r.StatusCode != http.StatusNotFound {
		t.Errorf("another referral's document through this one: %d", r.StatusCode)
	}
	// Every view and download by the provider is in the audit log.
	views := pwInt(t, a, `SELECT count(*) FROM audit_log l JOIN users u ON u.id = l.actor_user_id
		WHERE u.email = $1 AND l.subject_type = 'referral' AND l.subject_id = $2 AND l.action IN ('referral.viewed', 'referral.document')`,
		pwRidgeway, strconv.Itoa(int(ref.ID)))
	if views < 3 {
		t.Errorf("audited views and downloads by Ridgeway: %d, want at least 3", views)
	}
}

func TestReferralPackPDFHoldsTheApplicationAndItsDocuments(t *testing.T) {
	a := testapp.New(t)
	ref := pwSubmitted(t, a, pwKaiUPN, pwMotorVehicle(t, a))
	pwMove(t, a, ref, pwAdmin, pwSendPack)
	r := pwSignedIn(t, a, pwRidgeway).Get(ref.URL() + "/pack.pdf")
	if r.StatusCode != http.StatusOK {
		t.Fatalf("pack: %d", r.StatusCode)
	}
	if ct := r.Header.Get("Content-Type"); ct != "application/pdf" {
		t.Errorf("content type %q", ct)
	}
	if cd := r.Header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment;") || !strings.Contains(cd, `filename="`+ref.Reference+`-pack.pdf"`) {
		t.Errorf("content disposition %q", cd)
	}
	if !strings.HasPrefix(r.Body, "%PDF-") || !strings.Contains(r.Body, "/EmbeddedFile") {
		t.Errorf("the pack is not a PDF with the risk assessment embedded (%d bytes)", len(r.Body))
	}
	n := pwInt(t, a, `SELECT count(*) FROM audit_log WHERE subject_id = $1 AND summary LIKE '%application pack%'`, strconv.Itoa(int(ref.ID)))
	if n != 1 {
		t.Errorf("pack downloads audited: %d, want 1", n)
	}
}

func TestReferralDeclineIsProcessedAndRedirectedToAnotherProvider(t *testing.T) {
	a := testapp.New(t)
	ref := pwSubmitted(t, a, pwKaiUPN, pwMotorVehicle(t, a))
	path := ref.URL()
	ref = pwMove(t, a, ref, pwAdmin, pwSendPack)
	ref = pwMove(t, a, ref, pwRidgeway, pwInterview)
	ridgeway := pwSignedIn(t, a, pwRidgeway)

	// The provider declines through the form; a decline without a reason comes back with what was typed.
	r := ridgeway.Post(path+"/respond", url.Values{"receipt": {"yes"}, "can_meet_needs": {"yes"}, "can_manage_risk": {"no"},
		"decision": {"decline"}, "decline_detail": {"Our workshop cannot manage this risk."}})
	if r.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("decline without a reason code: %d", r.StatusCode)
	}
	doc := r.Doc(t)
	if !strings.Contains(pwText(doc.Find(".govuk-error-summary")), "Select why you are declining") {
		t.Errorf("errors: %q", pwText(doc.Find(".govuk-error-summary")))
	}
	if doc.Find(`textarea[name="decline_detail"]`).Text() != "Our workshop cannot manage this risk." {
		t.Errorf("the explanation was not kept")
	}
	if _, ok := doc.Find(`input[name="decision"][value="decline"]`).Attr("checked"); !ok {
		t.Errorf("the decision was not kept")
	}
	r = ridgeway.Post(path+"/respond", url.Values{"receipt": {"yes"}, "can_meet_needs": {"yes"}, "can_manage_risk": {"no"},
		"decision": {"decline"}, "decline_reason": {"risk"}, "decline_detail": {"Our workshop cannot manage this risk."}})
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("decline: %d: %s", r.StatusCode, pwText(r.Doc(t).Find(".govuk-error-summary")))
	}

	// CAP processes it: exploring alternatives. No placement can be set up from a decline.
	admin := pwSignedIn(t, a, pwAdmin)
	if got := pwText(admin.Get(path + "/process").Doc(t).Find(`[data-testid="process-response"]`)); !strings.Contains(got, "cannot manage the student’s risk level") {
		t.Errorf("process page: %q", got)
	}
	if r = admin.Post(path+"/process", nil); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("process: %d", r.StatusCode)
	}
	ref = pwGet(t, a, ref)
	if ref.Step != pathway.ExploringAlternatives {
		t.Fatalf("after processing the decline: %s", ref.Step)
	}
	if r = admin.Post(path+"/placement", url.Values{}); r.StatusCode != http.StatusConflict {
		t.Errorf("placement from a decline: %d, want 409", r.StatusCode)
	}
	if err := pwStore(a).SetUpPlacement(context.Background(), pwActor(t, a, pwAdmin), ref, false); err == nil {
		t.Errorf("the store set up a placement without an accepted response")
	}
	if n := pwInt(t, a, `SELECT count(*) FROM placements WHERE referral_id = $1`, ref.ID); n != 0 {
		t.Errorf("%d placements without an accepted response", n)
	}

	// The coordinator is offered the redirect; a programme the student cannot go to is refused with why.
	coord := pwSignedIn(t, a, pwCoordinator)
	doc = coord.Get(path).Doc(t)
	if doc.Find(`[data-testid="referral-actions"] a[href="`+path+`/redirect"]`).Length() != 1 {
		t.Errorf("the coordinator is not offered the redirect: %q", pwText(doc.Find(`[data-testid="referral-now"]`)))
	}
	if got := pwText(doc.Find(`[data-testid="referral-waiting"]`)); !strings.Contains(got, "the CAP admin team and the school") {
		t.Errorf("the page offers the coordinator the redirect but says it waits on %q", got)
	}
	// Before any search: why it is being redirected, and the likely alternatives first.
	rp := coord.Get(path + "/redirect").Doc(t)
	if got := pwText(rp.Find(".govuk-summary-list")); !strings.Contains(got, "Why it is being redirected Ridgeway Motor Skills declined: The provider cannot manage the student’s risk level. Our workshop cannot manage this risk.") {
		t.Errorf("the redirect page does not say why: %q", got)
	}
	if got := pwText(rp.Find("form[method=post] legend").First()); !strings.HasPrefix(got, "Likely alternatives: ") {
		t.Errorf("the first group of choices: %q", got)
	}
	if r = coord.Get(path + "/redirect?q=motorcycle"); r.StatusCode != http.StatusOK {
		t.Fatalf("redirect page: %d", r.StatusCode)
	}
	motorcycle := strconv.Itoa(int(pwProgramme(t, a, "pistonworks", "Motorcycle Maintenance")))
	if r.Doc(t).Find(`input[name="programme"][value="`+motorcycle+`"]`).Length() != 1 {
		t.Errorf("the search for motorcycle does not offer Motorcycle Maintenance: %q", pwText(r.Doc(t).Find("form[method=post]")))
	}
	year11 := strconv.Itoa(int(pwProgramme(t, a, "ridgeway", "Motor Vehicle Level 2 Progression")))
	r = coord.Post(path+"/redirect", url.Values{"programme": {year11}, "note": {"A Level 2 course instead"}})
	if r.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("redirect to a Year 11 course for a Year 10 student: %d", r.StatusCode)
	}
	if got := pwText(r.Doc(t).Find(`[data-testid="redirect-reason-list"]`)); got == "" {
		t.Errorf("no eligibility reasons for the refused redirect: %q", pwText(r.Doc(t).Find("main")))
	}
	if r.Doc(t).Find(`textarea[name="note"]`).Text() != "A Level 2 course instead" {
		t.Errorf("the note was not kept")
	}
	if got := pwGet(t, a, ref); got.Step != pathway.ExploringAlternatives || got.ProgrammeID != ref.ProgrammeID {
		t.Fatalf("the refused redirect moved the referral: %s, programme %d", got.Step, got.ProgrammeID)
	}
	r = coord.Post(path+"/redirect", url.Values{"programme": {motorcycle}, "note": {"Smaller groups at Piston Works"}})
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("redirect: %d: %s", r.StatusCode, pwText(r.Doc(t).Find("main")))
	}

	// Back with CAP for review at the new provider, with every answer and document kept.
	ref = pwGet(t, a, ref)
	if ref.Step != pathway.Submitted || ref.ProviderName != "Piston Works Motorcycle Project" || len(ref.Answers) == 0 {
		t.Fatalf("after the redirect: %s with %s and %d answers", ref.Step, ref.ProviderName, len(ref.Answers))
	}
	if n := pwInt(t, a, `SELECT count(*) FROM referral_documents WHERE referral_id = $1 AND removed_at IS NULL`, ref.ID); n != 1 {
		t.Errorf("documents after the redirect: %d", n)
	}
	if r = ridgeway.Get(path); r.StatusCode != http.StatusNotFound {
		t.Errorf("the old provider still sees the referral: %d", r.StatusCode)
	}
	if r = admin.Post(path+"/send-pack", nil); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("send the new pack: %d: %s", r.StatusCode, pwText(r.Doc(t).Find("main")))
	}
	piston := pwSignedIn(t, a, pwPistonWorks)
	if r = piston.Get(path); r.StatusCode != http.StatusOK {
		t.Errorf("the new provider cannot see the referral: %d", r.StatusCode)
	}
	if got := pwText(piston.Get(path).Doc(t).Find(`[data-testid="referral-timeline"]`)); !strings.Contains(got, "Redirected to another programme") || !strings.Contains(got, "Smaller groups at Piston Works") {
		t.Errorf("timeline after the redirect: %q", got)
	}
	// The old provider's response stays with CAP and the school, not with the new provider.
	if got := piston.Get(path).Body; strings.Contains(got, "Our workshop cannot manage this risk.") {
		t.Errorf("the new provider sees the old provider's response")
	}
	if got := coord.Get(path).Body; !strings.Contains(got, "Our workshop cannot manage this risk.") {
		t.Errorf("the school no longer sees the old provider's response")
	}
}

func TestReferralFormsExplainProblemsAndKeepWhatWasTyped(t *testing.T) {
	a := testapp.New(t)
	ref := pwSubmitted(t, a, pwKaiUPN, pwMotorVehicle(t, a))
	path := ref.URL()
	admin := pwSignedIn(t, a, pwAdmin)

	r := admin.Post(path+"/return", url.Values{"missing": {"   "}})
	if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(pwText(r.Doc(t).Find(".govuk-error-summary")), "Enter what is missing") {
		t.Errorf("return without a reason: %d %q", r.StatusCode, pwText(r.Doc(t).Find(".govuk-error-summary")))
	}
	if !strings.HasPrefix(r.Doc(t).Find("title").Text(), "Error: ") {
		t.Errorf("title of a page with errors: %q", r.Doc(t).Find("title").Text())
	}
	r = admin.Post(path+"/return", url.Values{"missing": {"The risk assessment does not cover travel.\nAdd the travel plan."}})
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("return: %d", r.StatusCode)
	}
	doc := pwSignedIn(t, a, pwCoordinator).Get(path).Doc(t)
	if got := pwText(doc.Find(`[data-testid="return-note"]`)); !strings.Contains(got, "does not cover travel. Add the travel plan.") {
		t.Errorf("the school does not see what to put right: %q", got)
	}
	if doc.Find(`a[href="`+path+`/application"]`).Length() != 1 {
		t.Errorf("the coordinator has no way back into the returned application")
	}

	// The interview date: real, not before submission, and a time people type.
	ref2 := pwSubmitted(t, a, pwAmeliaUPN, pwMotorVehicle(t, a))
	pwMove(t, a, ref2, pwAdmin, pwSendPack)
	coord := pwSignedIn(t, a, pwCoordinator)
	for _, tc := range []struct {
		form url.Values
		want string
	}{
		{url.Values{"interview-day": {"31"}, "interview-month": {"11"}, "interview-year": {"2026"}}, "must be a real date"},
		{url.Values{"interview-day": {"3"}, "interview-month": {""}, "interview-year": {"2026"}}, "must include a month"},
		{url.Values{"interview-day": {"1"}, "interview-month": {"11"}, "interview-year": {"2026"}}, "on or after 23 November 2026"},
		{url.Values{"interview-day": {"1"}, "interview-month": {"12"}, "interview-year": {"2026"}, "time": {"teatime"}}, "Enter the time"},
		{url.Values{}, "Enter the date of the interview"},
	} {
		r := coord.Post(ref2.URL()+"/interview", tc.form)
		if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(pwText(r.Doc(t).Find(".govuk-error-summary")), tc.want) {
			t.Errorf("interview %v: %d %q, want %q", tc.form, r.StatusCode, pwText(r.Doc(t).Find(".govuk-error-summary")), tc.want)
		}
		if got := r.Doc(t).Find("#interview-day").AttrOr("value", ""); got != tc.form.Get("interview-day") {
			t.Errorf("interview day not kept: %q", got)
		}
	}
	// The day of the referral itself is fine: the interview may already have happened.
	if r := coord.Post(ref2.URL()+"/interview", url.Values{"interview-day": {"23"}, "interview-month": {"11"}, "interview-year": {"2026"}}); r.StatusCode != http.StatusSeeOther {
		t.Errorf("interview today: %d", r.StatusCode)
	}

	// The response: an acceptance needs a weekday start, not in the past, and days.
	form := pwRespondForm()
	form.Set("start-day", "20")
	form.Set("start-month", "11")
	form.Set("start-year", "2026")
	form.Del("days")
	form.Set("notes", "Bring steel toe-capped boots")
	r = pwSignedIn(t, a, pwRidgeway).Post(ref2.URL()+"/respond", form)
	if r.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("response with a past start and no days: %d", r.StatusCode)
	}
	got := pwText(r.Doc(t).Find(".govuk-error-summary"))
	for _, want := range []string{"today or in the future", "Select the days"} {
		if !strings.Contains(got, want) {
			t.Errorf("response errors %q lack %q", got, want)
		}
	}
	if r.Doc(t).Find(`textarea[name="notes"]`).Text() != "Bring steel toe-capped boots" || r.Doc(t).Find("#start-day").AttrOr("value", "") != "20" {
		t.Errorf("the response form did not keep what was typed")
	}
}

func TestReferralListIsScopedFilteredAndPaged(t *testing.T) {
	a := testapp.New(t)
	programme := pwMotorVehicle(t, a)
	first := pwSubmitted(t, a, pwKaiUPN, programme)
	second := pwSubmitted(t, a, pwAmeliaUPN, programme)
	pwMove(t, a, second, pwAdmin, pwSendPack)
	// A draft: the school sees it, marked; CAP does not.
	store := pwStore(a)
	coordActor := pwActor(t, a, pwCoordinator)
	draft, _, err := store.Start(context.Background(), coordActor, referral.StartInput{SchoolID: first.SchoolID,
		StudentID: pwInt(t, a, `SELECT id FROM students WHERE upn LIKE '%15004'`), ProgrammeID: programme, Token: "list-draft"})
	if err != nil {
		t.Fatal(err)
	}

	rows := func(c *testapp.Client, query string) []string {
		t.Helper()
		r := c.Get("/referrals" + query)
		if r.StatusCode != http.StatusOK {
			t.Fatalf("list %s: %d", query, r.StatusCode)
		}
		return tableRows(r.Doc(t).Find(`[data-testid="referrals"]`))
	}
	coord, admin := pwSignedIn(t, a, pwCoordinator), pwSignedIn(t, a, pwAdmin)
	if got := rows(coord, ""); len(got) != 3 || !strings.Contains(strings.Join(got, "\n"), draft.Key()+" Draft") {
		t.Errorf("the school's list: %q", got)
	}
	if got := rows(admin, ""); len(got) != 2 || strings.Contains(strings.Join(got, "\n"), "draft-") {
		t.Errorf("CAP's list: %q", got)
	}
	if got := rows(admin, "?step=pack_sent"); len(got) != 1 || !strings.Contains(got[0], second.Reference) {
		t.Errorf("CAP's list at pack sent: %q", got)
	}
	if got := rows(pwSignedIn(t, a, pwOtherCoordinator), ""); len(got) != 0 {
		t.Errorf("another school sees: %q", got)
	}
	doc := admin.Get("/referrals?step=pack_sent&sort=oldest&tier=1").Doc(t)
	if doc.Find(`select[name="step"] option[selected]`).AttrOr("value", "") != "pack_sent" || doc.Find(`select[name="sort"] option[selected]`).AttrOr("value", "") != "oldest" ||
		doc.Find(`select[name="tier"] option[selected]`).AttrOr("value", "") != "1" {
		t.Errorf("the filters did not keep their values")
	}
	if got := rows(admin, "?sort=oldest"); len(got) != 2 || !strings.Contains(got[0], first.Reference) {
		t.Errorf("oldest first: %q", got)
	}

	// Age: neither has waited more than five working days today; both have, ten working days later,
	// except that sending the pack moved the second one on.
	if got := rows(admin, "?age=5"); len(got) != 0 {
		t.Errorf("waiting more than 5 working days today: %q", got)
	}
	a.Clock.Set(testapp.Start.AddDate(0, 0, 14))
	admin = pwSignedIn(t, a, pwAdmin) // sessions do not last two weeks
	coord = pwSignedIn(t, a, pwCoordinator)
	if got := rows(admin, "?age=5"); len(got) != 2 {
		t.Errorf("waiting more than 5 working days two weeks later: %q", got)
	}
	if got := rows(admin, "?age=10"); len(got) != 0 {
		t.Errorf("waiting more than 10 working days two weeks later: %q", got)
	}

	// Paging: fill a school's list past a page and walk it without gaps or repeats.
	ctx := context.Background()
	studentRows, err := a.Pool.Query(ctx, `SELECT id FROM students WHERE school_id = $1`, first.SchoolID)
	if err != nil {
		t.Fatal(err)
	}
	var students []int64
	for studentRows.Next() {
		var id int64
		if err := studentRows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		students = append(students, id)
	}
	studentRows.Close()
	progRows, err := a.Pool.Query(ctx, `SELECT id FROM programmes WHERE kind = 'course' AND active ORDER BY id LIMIT 5`)
	if err != nil {
		t.Fatal(err)
	}
	var programmes []int64
	for progRows.Next() {
		var id int64
		if err := progRows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		programmes = append(programmes, id)
	}
	progRows.Close()
	made := 0
	for _, st := range students {
		for _, pr := range programmes {
			if _, _, err := store.Start(ctx, coordActor, referral.StartInput{SchoolID: first.SchoolID, StudentID: st, ProgrammeID: pr,
				Token: "page-" + strconv.Itoa(int(st)) + "-" + strconv.Itoa(int(pr))}); err != nil {
				t.Fatal(err)
			}
			made++
		}
	}
	total := pwInt(t, a, `SELECT count(*) FROM referrals WHERE school_id = $1`, first.SchoolID)
	if total <= 50 {
		t.Fatalf("only %d referrals (%d started) to page through", total, made)
	}
	seen := map[string]bool{}
	next := "/referrals?sort=oldest"
	pages := 0
	for next != "" {
		doc := coord.Get(next).Doc(t)
		doc.Find(`[data-testid="referral-row"] th a`).Each(func(_ int, s *goquery.Selection) {
			if seen[s.Text()] {
				t.Errorf("%s listed twice", s.Text())
			}
			seen[s.Text()] = true
		})
		next = doc.Find(`.govuk-pagination__next a`).AttrOr("href", "")
		if next != "" && !strings.Contains(next, "sort=oldest") {
			t.Errorf("the next page lost the sort: %s", next)
		}
		pages++
		if pages > 5 {
			t.Fatal("too many pages")
		}
	}
	if int64(len(seen)) != total || pages != 2 {
		t.Errorf("paged through %d referrals on %d pages, want %d on 2", len(seen), pages, total)
	}
}

func TestReferralWorkQueuesOnTheDashboards(t *testing.T) {
	a := testapp.New(t)
	programme := pwMotorVehicle(t, a)
	pwSubmitted(t, a, pwKaiUPN, programme)
	sent := pwSubmitted(t, a, pwAmeliaUPN, programme)
	pwMove(t, a, sent, pwAdmin, pwSendPack)
	a.Clock.Set(testapp.Start.AddDate(0, 0, 7)) // a week later: five working days

	doc := pwSignedIn(t, a, pwAdmin).Get("/").Doc(t)
	tiles := pwText(doc.Find(`[data-testid="tile"]`))
	for _, want := range []string{"1 referral waiting for review", "1 pack waiting for a provider’s response", "0 responses to process", "0 declines to resolve", "0 training records to set up"} {
		if !strings.Contains(tiles, want) {
			t.Errorf("CAP's tiles %q lack %q", tiles, want)
		}
	}
	if got := pwText(doc.Find("main")); !strings.Contains(got, sent.Reference) || !strings.Contains(got, "waiting 5 working days") {
		t.Errorf("CAP's queue does not show the pack waiting 5 working days: %q", got)
	}

	doc = pwSignedIn(t, a, pwRidgeway).Get("/").Doc(t)
	if got := pwText(doc.Find("main")); !strings.Contains(got, "1 application pack is waiting for your response") || !strings.Contains(got, sent.Reference) {
		t.Errorf("provider's dashboard: %q", got)
	}
	if got := pwText(pwSignedIn(t, a, pwPistonWorks).Get("/").Doc(t).Find("main")); !strings.Contains(got, "No application packs are waiting") {
		t.Errorf("another provider's dashboard: %q", got)
	}

	doc = pwSignedIn(t, a, pwCoordinator).Get("/").Doc(t)
	if got := pwText(doc.Find(`[data-testid="tile"]`)); !strings.Contains(got, "2 open referrals") || !strings.Contains(got, "0 draft referrals") {
		t.Errorf("coordinator's tiles: %q", got)
	}
	if doc.Find(`a[href="/referrals/new"]`).Length() == 0 {
		t.Errorf("the coordinator is not offered to refer a student")
	}
}

func TestProgrammePageOffersACoordinatorToReferWhenTheSchoolMay(t *testing.T) {
	a := testapp.New(t)
	programme := strconv.Itoa(int(pwMotorVehicle(t, a)))
	doc := pwSignedIn(t, a, pwCoordinator).Get("/directory/programmes/" + programme).Doc(t)
	if got := doc.Find(`[data-testid="refer-from-programme"] a`).AttrOr("href", ""); got != "/referrals/new?programme="+programme {
		t.Errorf("refer link: %q", got)
	}
	// Tier 3 is only for SLA schools: a school without the SLA is told why, with no button.
	refocus := strconv.Itoa(int(pwInt(t, a, `SELECT id FROM programmes WHERE kind = 'refocus' AND active ORDER BY id LIMIT 1`)))
	doc = pwSignedIn(t, a, "coordinator@allesleyvale.school.example").Get("/directory/programmes/" + refocus).Doc(t)
	if doc.Find(`[data-testid="refer-from-programme"]`).Length() != 0 {
		t.Errorf("a school without the SLA is offered to refer to Refocus")
	}
	if doc := pwSignedIn(t, a, pwAdmin).Get("/directory/programmes/" + programme).Doc(t); doc.Find(`[data-testid="refer-from-programme"]`).Length() != 0 {
		t.Errorf("a CAP admin is offered to refer")
	}
}
