package e2e_test

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/coventry-cap/capportal/internal/auth"
	"github.com/coventry-cap/capportal/internal/browsertest"
	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/directory"
	"github.com/coventry-cap/capportal/internal/document"
	"github.com/coventry-cap/capportal/internal/referral"
	"github.com/coventry-cap/capportal/internal/testapp"
)

const (
	refCoordinator = "coordinator@whitmore.school.example"
	refAdmin       = "admin@cap.example"
	refRidgeway    = "staff@ridgeway.provider.example"
	refPistonWorks = "staff@pistonworks.provider.example"
)

// refPDF is a tiny PDF the upload checks accept.
var refPDF = []byte("%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")

func refID(t *testing.T, a *testapp.App, sql string, args ...any) int64 {
	t.Helper()
	var id int64
	if err := a.Pool.QueryRow(context.Background(), sql, args...).Scan(&id); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	return id
}

func refProgramme(t *testing.T, a *testapp.App, provider, name string) int64 {
	t.Helper()
	return refID(t, a, `SELECT p.id FROM programmes p JOIN organisations o ON o.id = p.organisation_id WHERE o.slug = $1 AND p.name = $2`, provider, name)
}

var refDraft = regexp.MustCompile(`/referrals/(draft-[0-9]+)/application$`)

// refSubmitInBrowser is the coordinator applying through the application pages: choose the student and
// the course, answer every section, attach the risk assessment, confirm there is no commissioning
// agreement, check the answers and submit. It returns the reference.
func refSubmitInBrowser(t *testing.T, a *testapp.App, b *browsertest.Browser, studentID, programmeID int64, beforeSubmit ...func()) string {
	t.Helper()
	var kind directory.Kind
	if err := a.Pool.QueryRow(context.Background(), `SELECT kind FROM programmes WHERE id = $1`, programmeID).Scan(&kind); err != nil {
		t.Fatal(err)
	}
	b.Visit(a.URL + "/referrals/new")
	b.Select("#student", strconv.FormatInt(studentID, 10))
	b.Select("#programme", strconv.FormatInt(programmeID, 10))
	b.Submit(`form[data-testid="choose"] button`)
	b.Submit(`form[data-testid="start"] button`)
	m := refDraft.FindStringSubmatch(b.URL())
	if m == nil {
		t.Fatalf("after starting the application: %s", b.URL())
	}
	base := "/referrals/" + m[1]
	for _, sec := range referral.Sections(kind) {
		if sec.ID == referral.SectionDocuments {
			continue
		}
		b.ClickAndWait(`a[href="` + base + `/sections/` + sec.ID + `"]`)
		for _, f := range sec.Fields {
			switch f.Type {
			case referral.FromRecord:
				continue // shown from the student's record, not asked
			case referral.Parental:
				b.SetChecked(`input[name="`+f.Name+`"]`, true)
			case referral.YesNo:
				b.SetChecked("#"+f.Name+"-no", true)
			case referral.Confirm:
				b.SetChecked("#"+f.Name, true)
			case referral.DateOf:
				b.Fill("#"+f.Name+"-day", "2")
				b.Fill("#"+f.Name+"-month", "11")
				b.Fill("#"+f.Name+"-year", "2026")
			case referral.Percent:
				b.Fill("#"+f.Name, "91")
			default:
				// A follow-up is there when its condition holds (the record's professionals, say).
				if f.RequiredIf == nil || b.Exists("#"+f.Name) {
					b.Fill("#"+f.Name, "About "+strings.ToLower(f.Short))
				}
			}
		}
		b.Submit(`button[value="continue"]`)
	}
	b.ClickAndWait(`a[href="` + base + `/documents"]`)
	file := filepath.Join(t.TempDir(), "risk-assessment.pdf")
	if err := os.WriteFile(file, refPDF, 0o600); err != nil {
		t.Fatal(err)
	}
	b.SetChecked("#kind", true)
	b.Fill("#completed-day", "2")
	b.Fill("#completed-month", "11")
	b.Fill("#completed-year", "2026")
	b.SetChecked("#template", true)
	b.Upload("#file", file)
	b.Submit(`form[data-testid="upload"] button[type=submit]`)
	if kind == "course" || kind == "insight" || kind == "year11_post16" { // Tier 1 asks for a commissioning agreement
		b.SetChecked("#no_commissioning", true)
		b.Submit(`form[data-testid="no-commissioning"] button`)
	}
	b.Visit(a.URL + base + "/check")
	for _, f := range beforeSubmit {
		f()
	}
	b.Submit(`form[data-testid="submit"] button`)
	ref := b.Text(`[data-testid="reference"]`)
	if !referral.ReferenceOK(ref) {
		t.Fatalf("no reference after submitting: %q", b.Text("main"))
	}
	return ref
}

// refSubmitted creates a submitted referral through the store, for a journey that starts later on.
func refSubmitted(t *testing.T, a *testapp.App, studentID, programmeID int64) referral.Referral {
	t.Helper()
	ctx := context.Background()
	store := referral.Store{DB: a.Pool, Clock: a.Clock, Outbox: a.Server.Outbox}
	coord := refActor(t, a, refCoordinator)
	schoolID := refID(t, a, `SELECT school_id FROM students WHERE id = $1`, studentID)
	draft, _, err := store.Start(ctx, coord, referral.StartInput{SchoolID: schoolID, StudentID: studentID, ProgrammeID: programmeID, Token: "e2e-" + t.Name()})
	if err != nil {
		t.Fatal(err)
	}
	today := calendar.Today(a.Clock)
	answers := referral.Answers{}
	for _, sec := range referral.Sections(draft.Kind) {
		for _, f := range sec.Fields {
			switch f.Type {
			case referral.FromRecord:
				continue
			case referral.Parental:
				answers[f.Name] = draft.Record.Parental[0]
			case referral.YesNo, referral.Confirm:
				answers[f.Name] = "yes"
			case referral.Percent:
				answers[f.Name] = "88"
			case referral.DateOf:
				answers[f.Name] = today.AddDays(-3).String()
			default:
				answers[f.Name] = "About " + strings.ToLower(f.Short)
			}
		}
	}
	yes := true
	if err := store.SaveAnswers(ctx, coord, draft, answers, &yes); err != nil {
		t.Fatal(err)
	}
	checked, err := document.Validate("risk-assessment.pdf", refPDF)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := store.AddDocument(ctx, coord, draft, document.Upload{Kind: document.RiskAssessment, Checked: checked, Data: refPDF,
		CompletedOn: today, Template: document.SchoolTemplate}); err != nil {
		t.Fatal(err)
	}
	if draft, err = store.Get(ctx, coord, draft.Key()); err != nil {
		t.Fatal(err)
	}
	ref, err := store.Submit(ctx, coord, draft)
	if err != nil {
		t.Fatal(err)
	}
	return ref
}

func refActor(t *testing.T, a *testapp.App, email string) referral.Actor {
	t.Helper()
	p, err := auth.On(a.Pool).LoadPrincipal(context.Background(), refID(t, a, `SELECT id FROM users WHERE email = $1`, email))
	if err != nil {
		t.Fatal(err)
	}
	return referral.Actor{Principal: p}
}

// Four people take a Tier 1 referral from submission to an active placement: the coordinator applies,
// a CAP admin sends the pack, the provider records the interview and accepts, the CAP admin processes
// the response and sets up the training record, and the coordinator reads the result.
func TestReferralFromSubmissionToActivePlacementWithFourPeople(t *testing.T) {
	a := testapp.New(t)
	b := newBrowser(t)
	kai := refID(t, a, `SELECT id FROM students WHERE upn = 'C331290115001'`)
	course := refProgramme(t, a, "ridgeway", "Motor Vehicle Maintenance")

	signIn(b, a.URL, refCoordinator)
	reference := refSubmitInBrowser(t, a, b, kai, course)
	path := a.URL + "/referrals/" + reference
	b.Visit(path)
	if got := b.Text(`[data-testid="referral-now"]`); !strings.Contains(got, "CAP reviews the application pack") {
		t.Errorf("after submitting: %q", got)
	}
	b.Screenshot("referral-submitted-page")
	b.Visit(a.URL + "/referrals")
	if !strings.Contains(b.Text(`[data-testid="referrals"]`), reference) {
		t.Errorf("the school's list lacks %s", reference)
	}
	b.Screenshot("referrals-school")
	signOut(b)

	signIn(b, a.URL, refAdmin)
	if got := b.Text("main"); !strings.Contains(got, "referral waiting for review") || !strings.Contains(got, reference) {
		t.Errorf("CAP's work queue: %q", got)
	}
	b.Screenshot("dashboard-cap-queue")
	b.Visit(a.URL + "/referrals?step=submitted&sort=waiting")
	b.ClickAndWait(`[data-testid="referrals"] a[href="/referrals/` + reference + `"]`)
	b.ClickAndWait(`[data-testid="referral-actions"] a[href$="/send-pack"]`)
	if strings.Contains(b.Text(`[data-testid="pack-checks"]`), "Not done") {
		t.Errorf("pack checks: %q", b.Text(`[data-testid="pack-checks"]`))
	}
	b.Screenshot("referral-send-pack")
	b.Submit(`main form[method="post"] button`)
	if got := b.Text(".govuk-notification-banner"); !strings.Contains(got, "sent to Ridgeway Motor Skills") {
		t.Errorf("after sending the pack: %q", got)
	}
	signOut(b)

	signIn(b, a.URL, refRidgeway)
	if !strings.Contains(b.Text("main"), reference) {
		t.Errorf("the provider's dashboard does not list the pack")
	}
	b.Visit(path)
	b.ClickAndWait(`[data-testid="referral-actions"] a[href$="/interview"]`)
	b.Fill("#interview-day", "30")
	b.Fill("#interview-month", "11")
	b.Fill("#interview-year", "2026")
	b.Fill("#time", "10am")
	b.Submit(`main form[method="post"] button`)
	if !strings.Contains(b.Text(`[data-testid="referral-details"]`), "30 November 2026 at 10am") {
		t.Errorf("interview not shown: %q", b.Text(`[data-testid="referral-details"]`))
	}
	// The response comes after the interview has been held.
	a.Clock.Set(time.Date(2026, time.November, 30, 14, 0, 0, 0, calendar.London()))
	signIn(b, a.URL, refRidgeway) // a week later, the session has ended
	b.Visit(path)
	b.ClickAndWait(`[data-testid="referral-actions"] a[href$="/respond"]`)
	// An acceptance without a start date or days is explained, on a page axe checks too.
	b.SetChecked("#receipt", true)
	b.SetChecked("#can_meet_needs", true)
	b.SetChecked("#can_manage_risk", true)
	// Until the provider decides, neither the acceptance's nor the decline's questions show; accepting
	// shows the start date and days only.
	shown := func(testid string) bool {
		return browsertest.Eval[bool](b, `!document.querySelector('[data-testid="`+testid+`"]').hidden`)
	}
	if shown("respond-accept") || shown("respond-decline") {
		t.Errorf("before a decision: accept shown %v, decline shown %v", shown("respond-accept"), shown("respond-decline"))
	}
	b.SetChecked("#decision", true)
	if !shown("respond-accept") || shown("respond-decline") {
		t.Errorf("after accepting: accept shown %v, decline shown %v", shown("respond-accept"), shown("respond-decline"))
	}
	b.Submit(`main form[method="post"] button`)
	if b.Status() != 422 || !strings.Contains(b.Text(".govuk-error-summary"), "Enter the start date") {
		t.Fatalf("acceptance without a start date: %d %q", b.Status(), b.Text("main"))
	}
	b.Screenshot("referral-respond-errors")
	b.Fill("#start-day", "4")
	b.Fill("#start-month", "1")
	b.Fill("#start-year", "2027")
	// The form offers the days the course runs on: Monday and Wednesday.
	b.SetChecked("#days", true)   // Monday
	b.SetChecked("#days-2", true) // Wednesday
	b.Submit(`main form[method="post"] button`)
	if got := b.Text(".govuk-notification-banner"); !strings.Contains(got, "4 January 2027") {
		t.Errorf("after responding: %q", got)
	}
	signOut(b)

	signIn(b, a.URL, refAdmin)
	b.Visit(path)
	b.ClickAndWait(`[data-testid="referral-actions"] a[href$="/process"]`)
	b.Screenshot("referral-process")
	b.Submit(`main form[method="post"] button`)
	b.ClickAndWait(`[data-testid="referral-actions"] a[href$="/placement"]`)
	b.Screenshot("referral-placement")
	b.Submit(`main form[method="post"] button`)
	if got := b.Text(".govuk-notification-banner"); !strings.Contains(got, "placement is active") {
		t.Errorf("after setting up the training record: %q", got)
	}
	signOut(b)

	signIn(b, a.URL, refCoordinator)
	b.Visit(path)
	if got := b.Text(`[data-testid="referral-now"]`); !strings.Contains(got, "Placement active") {
		t.Errorf("the coordinator reads: %q", got)
	}
	if got := b.Text(`[data-testid="referral-placement"]`); !strings.Contains(got, "4 January 2027") {
		t.Errorf("placement: %q", got)
	}
	b.Screenshot("referral-placement-active")
}

// The provider declines; CAP processes the decline; the coordinator moves the referral to another
// provider's course without retyping anything; CAP sends the new pack; the old provider no longer
// sees the referral and the new one does.
func TestReferralDeclinedAndRedirectedToAnotherProvider(t *testing.T) {
	a := testapp.New(t)
	b := newBrowser(t)
	amelia := refID(t, a, `SELECT id FROM students WHERE upn LIKE '%290115002'`)
	ref := refSubmitted(t, a, amelia, refProgramme(t, a, "ridgeway", "Motor Vehicle Maintenance"))
	store := referral.Store{DB: a.Pool, Clock: a.Clock, Outbox: a.Server.Outbox}
	ctx := context.Background()
	if err := store.SendPack(ctx, refActor(t, a, refAdmin), ref); err != nil {
		t.Fatal(err)
	}
	ref, err := store.Get(ctx, refActor(t, a, refAdmin), ref.Reference)
	if err != nil {
		t.Fatal(err)
	}
	if err := store.RecordInterview(ctx, refActor(t, a, refRidgeway), ref, calendar.NewDate(2026, time.November, 23), ""); err != nil {
		t.Fatal(err)
	}
	path := a.URL + ref.URL()

	signIn(b, a.URL, refRidgeway)
	b.Visit(path + "/respond")
	b.SetChecked("#receipt", true)
	b.SetChecked("#can_meet_needs", true)
	b.SetChecked("#can_manage_risk-2", true) // No
	b.SetChecked("#decision-2", true)        // Decline
	b.SetChecked("#decline_reason-3", true)  // No capacity
	b.Fill("#decline_detail", "Our Monday group is full until Easter.")
	b.Submit(`main form[method="post"] button`)
	if got := b.Text(".govuk-notification-banner"); !strings.Contains(got, "decline") {
		t.Errorf("after declining: %q", got)
	}
	signOut(b)

	signIn(b, a.URL, refAdmin)
	b.Visit(path + "/process")
	if !strings.Contains(b.Text(`[data-testid="process-response"]`), "no capacity") {
		t.Errorf("process page: %q", b.Text(`[data-testid="process-response"]`))
	}
	b.Submit(`main form[method="post"] button`)
	if got := b.Text(`[data-testid="referral-now"]`); !strings.Contains(got, "CAP exploring alternatives") {
		t.Fatalf("after processing the decline: %q", got)
	}
	signOut(b)

	signIn(b, a.URL, refCoordinator)
	b.Visit(path)
	b.ClickAndWait(`[data-testid="referral-actions"] a[href$="/redirect"]`)
	b.Fill("#q", "motorcycle")
	b.Submit(`form[data-testid="redirect-search"] button`)
	motorcycle := strconv.FormatInt(refProgramme(t, a, "pistonworks", "Motorcycle Maintenance"), 10)
	b.SetChecked(`input[name="programme"][value="`+motorcycle+`"]`, true)
	b.Fill("#note", "Smaller groups, and a Wednesday place is free")
	b.Screenshot("referral-redirect")
	b.Submit(`main form[method="post"] button`)
	if got := b.Text(`[data-testid="referral-details"]`); !strings.Contains(got, "Piston Works Motorcycle Project") {
		t.Errorf("after the redirect: %q", got)
	}
	signOut(b)

	signIn(b, a.URL, refAdmin)
	b.Visit(path + "/send-pack")
	b.Submit(`main form[method="post"] button`)
	signOut(b)

	signIn(b, a.URL, refRidgeway)
	b.Visit(path)
	if b.Status() != 404 {
		t.Errorf("the old provider still sees the referral: %d", b.Status())
	}
	signOut(b)
	signIn(b, a.URL, refPistonWorks)
	b.Visit(path)
	if b.Status() != 200 || !strings.Contains(b.Text(`[data-testid="referral-timeline"]`), "Redirected to another programme") {
		t.Errorf("the new provider's view: %d %q", b.Status(), b.Text("main"))
	}
	b.Screenshot("referral-redirected")
}
