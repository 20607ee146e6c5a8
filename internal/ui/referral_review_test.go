package ui_test

// Tests for the outside review of the referral pages: the provider's start date and days, drafts
// only for coordinators, honest "waiting since" wording, contacts for each side, one open referral per
// student and programme, and the small things (reference case, a bad cursor, the age filter, an empty
// start form).

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/pathway"
	"github.com/coventry-cap/capportal/internal/referral"
	"github.com/coventry-cap/capportal/internal/testapp"
)

const (
	rvHeadteacher = "headteacher@whitmore.school.example"
	rvSchoolDSL   = "dsl@whitmore.school.example"
)

// rvBodyRepair is Ridgeway's Vehicle Body Repair, which runs on Tuesday and Wednesday.
func rvBodyRepair(t *testing.T, a *testapp.App) int64 {
	return pwProgramme(t, a, "ridgeway", "Vehicle Body Repair")
}

// rvAt sets when the referral reached its current step.
func rvAt(t *testing.T, a *testapp.App, ref referral.Referral, at time.Time) {
	t.Helper()
	if _, err := a.Pool.Exec(context.Background(), `UPDATE referrals SET step_since = $2 WHERE id = $1`, ref.ID, at); err != nil {
		t.Fatal(err)
	}
}

func itoa64(n int64) string { return strconv.FormatInt(n, 10) }

func rvLondon(y int, m time.Month, d, hour int) time.Time {
	return time.Date(y, m, d, hour, 0, 0, 0, calendar.London())
}

func TestReferralResponseStartDateMustBeASchoolDayOnTheStudentsDaysAndTheProgrammes(t *testing.T) {
	a := testapp.New(t)
	programme := rvBodyRepair(t, a)
	var days string
	if err := a.Pool.QueryRow(context.Background(), `SELECT days_offered::text FROM programmes WHERE id = $1`, programme).Scan(&days); err != nil || days != "{2,3}" {
		t.Fatalf("Vehicle Body Repair runs on %s (%v); the test needs Tuesday and Wednesday", days, err)
	}
	ref := pwMove(t, a, pwMove(t, a, pwSubmitted(t, a, pwKaiUPN, programme), pwAdmin, pwSendPack), pwRidgeway, pwInterview)
	provider := pwSignedIn(t, a, pwRidgeway)

	// The form offers only the days the programme runs on, and says so.
	doc := provider.Get(ref.URL() + "/respond").Doc(t)
	var offered []string
	doc.Find(`input[name="days"]`).Each(func(_ int, s *goquery.Selection) { offered = append(offered, s.AttrOr("value", "")) })
	if strings.Join(offered, ",") != "2,3" {
		t.Errorf("days offered: %v, want Tuesday and Wednesday only", offered)
	}
	if got := pwText(doc.Find(`#days-hint`)); !strings.Contains(got, "Vehicle Body Repair runs on Tuesday and Wednesday") {
		t.Errorf("days hint: %q", got)
	}

	accept := func(day, month, year string, days ...string) url.Values {
		f := pwRespondForm()
		f.Set("start-day", day)
		f.Set("start-month", month)
		f.Set("start-year", year)
		f["days"] = days
		return f
	}
	for _, tc := range []struct {
		name string
		form url.Values
		want string
	}{
		{"Christmas Day", accept("25", "12", "2026", "2"), "cannot be a bank holiday: 25 December 2026 is Christmas Day"},
		{"Boxing Day's substitute", accept("28", "12", "2026", "2"), "28 December 2026 is Boxing Day (substitute day)"},
		{"the Easter holidays", accept("30", "3", "2027", "2"), "30 March 2027 is in the school holidays"},
		{"half term", accept("16", "2", "2027", "2"), "16 February 2027 is in the spring half term (15 February 2027 to 19 February 2027)"},
		{"more than a year ahead", accept("24", "11", "2027", "3"), "no more than a year from today, by 23 November 2027"},
		{"a year with no term dates", accept("7", "9", "2027", "2"), "the portal has no term dates for 7 September 2027"},
		{"days the programme does not run", accept("6", "1", "2027", "3", "5"), "Vehicle Body Repair runs on Tuesday and Wednesday only: Friday is not one of its days"},
		{"a start on a day not chosen", accept("4", "1", "2027", "2"), "The start date is a Monday, which is not one of the days the student will attend"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := provider.Post(ref.URL()+"/respond", tc.form)
			if r.StatusCode != http.StatusUnprocessableEntity {
				t.Fatalf("%d, want 422", r.StatusCode)
			}
			doc := r.Doc(t)
			if got := pwText(doc.Find(".govuk-error-summary")); !strings.Contains(got, tc.want) {
				t.Errorf("errors %q lack %q", got, tc.want)
			}
			if got := doc.Find("#start-day").AttrOr("value", ""); got != tc.form.Get("start-day") {
				t.Errorf("start day not kept: %q", got)
			}
		})
	}
	if n := pwInt(t, a, `SELECT count(*) FROM application_responses`); n != 0 {
		t.Fatalf("%d responses recorded from refused forms", n)
	}

	// Tuesday 5 January 2027, the first Tuesday of the spring term, on Tuesdays and Wednesdays.
	if r := provider.Post(ref.URL()+"/respond", accept("5", "1", "2027", "2", "3")); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("a good acceptance: %d %s", r.StatusCode, pwText(r.Doc(t).Find(".govuk-error-summary")))
	}
	doc = pwSignedIn(t, a, pwAdmin).Get(ref.URL() + "/process").Doc(t)
	got := pwText(doc.Find(`[data-testid="process-dates"]`))
	for _, want := range []string{"Start date Tuesday 5 January 2027", "Days the student will attend Tuesday and Wednesday",
		"Vehicle Body Repair runs on Tuesday and Wednesday"} {
		if !strings.Contains(got, want) {
			t.Errorf("process page dates %q lack %q", got, want)
		}
	}
	if doc.Find(`[data-testid="process-problems"]`).Length() != 0 {
		t.Errorf("problems shown for a good acceptance: %q", pwText(doc.Find(`[data-testid="process-problems"]`)))
	}
}

func TestReferralResponseToAProgrammeWithoutDaysTakesAnyWeekdayAndCAPSeesProblemsOfOlderResponses(t *testing.T) {
	a := testapp.New(t)
	ctx := context.Background()
	// The directory insists on days, so a programme without them is only possible in data from
	// elsewhere; the rule still takes any weekday for one.
	today := calendar.Today(a.Clock)
	friday := calendar.NewDate(2027, time.January, 8)
	if ps, err := referral.On(a.Pool).CheckAcceptance(ctx, today, friday, []time.Weekday{time.Friday}, "A course", nil); err != nil || len(ps) != 0 {
		t.Errorf("a Friday for a programme that names no days: %v %v", ps, err)
	}
	if ps, err := referral.On(a.Pool).CheckAcceptance(ctx, today, friday, []time.Weekday{time.Friday}, "A course", []time.Weekday{time.Monday}); err != nil || len(ps) != 1 || ps[0].Field != "days" {
		t.Errorf("a Friday for a programme on Mondays: %v %v", ps, err)
	}

	// A response recorded without the form's checks (as the demo data does): CAP's page says what is wrong.
	amelia := pwMove(t, a, pwMove(t, a, pwSubmitted(t, a, pwAmeliaUPN, rvBodyRepair(t, a)), pwAdmin, pwSendPack), pwRidgeway, pwInterview)
	pwMove(t, a, amelia, pwRidgeway, func(s referral.Store, ctx context.Context, ac referral.Actor, r referral.Referral) error {
		yes := true
		return s.Respond(ctx, ac, r, referral.ResponseInput{ReceiptAcknowledged: true, CanMeetNeeds: &yes, CanManageRisk: &yes,
			Decision: "accept", StartDate: calendar.NewDate(2027, time.January, 4), Days: []time.Weekday{time.Tuesday, time.Friday}})
	})
	doc := pwSignedIn(t, a, pwAdmin).Get(amelia.URL() + "/process").Doc(t)
	if got := pwText(doc.Find(`[data-testid="process-dates"]`)); !strings.Contains(got, "Start date Monday 4 January 2027") {
		t.Errorf("process page dates: %q", got)
	}
	problems := pwText(doc.Find(`[data-testid="process-problems"]`))
	for _, want := range []string{"The start date is a Monday", "Friday is not one of its days"} {
		if !strings.Contains(problems, want) {
			t.Errorf("process page problems %q lack %q", problems, want)
		}
	}
}

func TestReferralDraftsAreListedAndCountedOnlyForCoordinators(t *testing.T) {
	a := testapp.New(t)
	programme := pwMotorVehicle(t, a)
	submitted := pwSubmitted(t, a, pwKaiUPN, programme)
	draft, _, err := pwStore(a).Start(context.Background(), pwActor(t, a, pwCoordinator), referral.StartInput{SchoolID: submitted.SchoolID,
		StudentID: pwInt(t, a, `SELECT id FROM students WHERE upn LIKE '%15004'`), ProgrammeID: programme, Token: "drafts-for-coordinators"})
	if err != nil {
		t.Fatal(err)
	}

	coord := pwSignedIn(t, a, pwCoordinator)
	if got := strings.Join(tableRows(coord.Get("/referrals").Doc(t).Find(`[data-testid="referrals"]`)), "\n"); !strings.Contains(got, draft.Key()) {
		t.Errorf("the coordinator's list lacks the draft: %q", got)
	}
	if got := pwText(coord.Get("/").Doc(t).Find(`[data-testid="tile"]`)); !strings.Contains(got, "1 draft referral ") {
		t.Errorf("the coordinator's tiles: %q", got)
	}
	for _, email := range []string{rvHeadteacher, rvSchoolDSL} {
		c := pwSignedIn(t, a, email)
		for _, q := range []string{"", "?step=draft"} {
			got := tableRows(c.Get("/referrals" + q).Doc(t).Find(`[data-testid="referrals"]`))
			if len(got) != 1 || !strings.Contains(got[0], submitted.Reference) {
				t.Errorf("%s's list%s: %q, want only %s", email, q, got, submitted.Reference)
			}
		}
		doc := c.Get("/").Doc(t)
		if got := pwText(doc.Find(`[data-testid="tile"]`)); strings.Contains(got, "draft") || !strings.Contains(got, "1 open referral ") {
			t.Errorf("%s's tiles: %q", email, got)
		}
		if doc.Find(`select[name="step"] option[value="draft"]`).Length() != 0 {
			t.Errorf("%s is offered a draft filter", email)
		}
	}
}

func TestReferralWaitingSinceSaysTodayOnlyOnTheDayAndDashboardCountsReadWell(t *testing.T) {
	a := testapp.New(t)
	programme := pwMotorVehicle(t, a)
	review := pwSubmitted(t, a, pwKaiUPN, programme)
	sent := pwMove(t, a, pwSubmitted(t, a, pwAmeliaUPN, programme), pwAdmin, pwSendPack)
	interview := pwMove(t, a, pwMove(t, a, pwSubmitted(t, a, "15004", programme), pwAdmin, pwSendPack), pwRidgeway, pwInterview)
	if interview.Step != pathway.InterviewArranged {
		t.Fatalf("third referral at %s", interview.Step)
	}
	friday := rvLondon(2026, time.November, 20, 10)
	for _, ref := range []referral.Referral{review, sent, interview} {
		rvAt(t, a, ref, friday)
	}
	since := func(c *testapp.Client, ref referral.Referral) string {
		t.Helper()
		for _, row := range tableRows(c.Get("/referrals").Doc(t).Find(`[data-testid="referrals"]`)) {
			if strings.Contains(row, ref.Reference) {
				return row
			}
		}
		t.Fatalf("%s not listed", ref.Reference)
		return ""
	}
	for _, tc := range []struct {
		now  time.Time
		want string
	}{
		{rvLondon(2026, time.November, 20, 16), "20 November 2026 (today)"},
		{rvLondon(2026, time.November, 22, 12), "20 November 2026 (less than a working day)"},
		{rvLondon(2026, time.November, 23, 12), "20 November 2026 (1 working day)"},
		{rvLondon(2026, time.November, 25, 12), "20 November 2026 (3 working days)"},
	} {
		a.Clock.Set(tc.now)
		if got := since(pwSignedIn(t, a, pwCoordinator), review); !strings.Contains(got, tc.want) {
			t.Errorf("on %s the row reads %q, want %q", tc.now.Format(time.DateOnly), got, tc.want)
		}
	}

	// The weekend after: CAP's queue does not say "since today".
	a.Clock.Set(rvLondon(2026, time.November, 22, 12))
	admin := pwSignedIn(t, a, pwAdmin)
	doc := admin.Get("/").Doc(t)
	main := pwText(doc.Find("main"))
	if strings.Contains(main, "since today") || !strings.Contains(main, review.Reference) || !strings.Contains(main, "waiting less than a working day") {
		t.Errorf("CAP's queue at the weekend: %q", main)
	}
	tiles := pwText(doc.Find(`[data-testid="tile"]`))
	for _, want := range []string{"1 referral waiting for review", "2 packs waiting for a provider’s response", "0 responses to process"} {
		if !strings.Contains(tiles, want) {
			t.Errorf("CAP's tiles %q lack %q", tiles, want)
		}
	}
	// The packs tile lists what it counts: both steps of waiting for the provider.
	href := doc.Find(`[data-testid="tile"] a:contains("packs waiting")`).AttrOr("href", "")
	list := admin.Get(href).Doc(t)
	rows := strings.Join(tableRows(list.Find(`[data-testid="referrals"]`)), "\n")
	if !strings.Contains(rows, sent.Reference) || !strings.Contains(rows, interview.Reference) || strings.Contains(rows, review.Reference) {
		t.Errorf("the packs tile (%s) lists %q", href, rows)
	}
	if got := pwText(list.Find(`select[name="step"] option[selected]`)); !strings.Contains(got, "Waiting for the provider’s response") {
		t.Errorf("the list's step filter shows %q", got)
	}
	if got := pwText(pwSignedIn(t, a, pwCoordinator).Get("/").Doc(t).Find(`[data-testid="tile"]`)); !strings.Contains(got, "3 open referrals") || !strings.Contains(got, "0 draft referrals") {
		t.Errorf("the coordinator's tiles: %q", got)
	}
}

func TestReferralPageShowsTheProviderToTheSchoolAndTheSchoolToTheProvider(t *testing.T) {
	a := testapp.New(t)
	ctx := context.Background()
	if _, err := a.Pool.Exec(ctx, `UPDATE organisations SET phone = '024 7600 1111', email = 'office@ridgeway.provider.example' WHERE slug = 'ridgeway'`); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Pool.Exec(ctx, `UPDATE provider_details SET dsl_name = 'Morgan Ellery', dsl_email = 'dsl@ridgeway.provider.example', dsl_phone = '024 7600 2222'
		WHERE organisation_id = (SELECT id FROM organisations WHERE slug = 'ridgeway')`); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Pool.Exec(ctx, `UPDATE organisations SET phone = '024 7600 3333' WHERE slug = 'whitmore'`); err != nil {
		t.Fatal(err)
	}
	var coordName string
	if err := a.Pool.QueryRow(ctx, `SELECT name FROM users WHERE email = $1`, pwCoordinator).Scan(&coordName); err != nil {
		t.Fatal(err)
	}
	ref := pwMove(t, a, pwSubmitted(t, a, pwKaiUPN, pwMotorVehicle(t, a)), pwAdmin, pwSendPack)

	providerDetails := []string{"024 7600 1111", "office@ridgeway.provider.example", "Morgan Ellery", "024 7600 2222"}
	schoolDetails := []string{coordName, pwCoordinator, "024 7600 3333"}
	for _, tc := range []struct {
		email            string
		provider, school bool
	}{
		{pwCoordinator, true, false},
		{pwAdmin, true, true},
		{pwRidgeway, false, true},
	} {
		doc := pwSignedIn(t, a, tc.email).Get(ref.URL()).Doc(t)
		got := pwText(doc.Find(`[data-testid="referral-contacts"]`))
		for _, want := range providerDetails {
			if strings.Contains(got, want) != tc.provider {
				t.Errorf("%s: contacts %q, provider's %q shown: %v, want %v", tc.email, got, want, !tc.provider, tc.provider)
			}
		}
		for _, want := range schoolDetails {
			if strings.Contains(got, want) != tc.school {
				t.Errorf("%s: contacts %q, school's %q shown: %v, want %v", tc.email, got, want, !tc.school, tc.school)
			}
		}
		if tc.provider && doc.Find(`[data-testid="referral-contacts"] a[href="mailto:office@ridgeway.provider.example"]`).Length() != 1 {
			t.Errorf("%s: the provider's email is not a link", tc.email)
		}
	}
}

func TestReferralToAProgrammeTheStudentIsStillReferredToIsRefused(t *testing.T) {
	a := testapp.New(t)
	programme := pwMotorVehicle(t, a)
	kai := pwSubmitted(t, a, pwKaiUPN, programme)
	for _, move := range []func(referral.Store, context.Context, referral.Actor, referral.Referral) error{pwSendPack, pwInterview, pwAccept, pwProcess} {
		who := pwAdmin
		if n := pwGet(t, a, kai).Step; n == pathway.PackSent || n == pathway.InterviewArranged {
			who = pwRidgeway
		}
		kai = pwMove(t, a, kai, who, move)
	}
	kai = pwMove(t, a, kai, pwAdmin, func(s referral.Store, ctx context.Context, ac referral.Actor, r referral.Referral) error {
		return s.SetUpPlacement(ctx, ac, r, false)
	})
	if kai.Step != pathway.PlacementActive {
		t.Fatalf("Kai's referral is at %s", kai.Step)
	}
	student := itoa64(kai.StudentID)
	start := "/referrals/new?student=" + student + "&programme=" + itoa64(programme)
	coord := pwSignedIn(t, a, pwCoordinator)

	doc := coord.Get(start).Doc(t)
	want := "Kai Adeyemi-Brown already has a referral to this programme: " + kai.Reference + " (Placement active)."
	if got := pwText(doc.Find(`[data-testid="existing-referral"]`)); got != want {
		t.Errorf("existing referral: %q, want %q", got, want)
	}
	if doc.Find(`[data-testid="existing-referral"] a[href="/referrals/`+kai.Reference+`"]`).Length() != 1 {
		t.Errorf("no link to the existing referral")
	}
	if doc.Find(`form[data-testid="start"]`).Length() != 0 {
		t.Errorf("the coordinator is offered to start a second referral")
	}
	before := pwInt(t, a, `SELECT count(*) FROM referrals`)
	r := coord.Post("/referrals", url.Values{"student": {student}, "programme": {itoa64(programme)}, "start_token": {"0123456789abcdef0123456789abcdef"}})
	if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(pwText(r.Doc(t).Find(`[data-testid="existing-referral"]`)), kai.Reference) {
		t.Errorf("starting a second referral: %d %q", r.StatusCode, pwText(r.Doc(t).Find("main")))
	}
	if after := pwInt(t, a, `SELECT count(*) FROM referrals`); after != before {
		t.Errorf("%d referrals after a refused start, want %d", after, before)
	}

	// A referral that was declined and is with CAP exploring alternatives no longer stands in the way.
	amelia := pwSubmitted(t, a, pwAmeliaUPN, programme)
	ctx := context.Background()
	if _, _, found, err := referral.On(a.Pool).OpenReferralTo(ctx, amelia.StudentID, programme); err != nil || !found {
		t.Fatalf("Amelia's submitted referral is not open: %v %v", found, err)
	}
	amelia = pwMove(t, a, amelia, pwAdmin, pwSendPack)
	amelia = pwMove(t, a, amelia, pwRidgeway, pwInterview)
	amelia = pwMove(t, a, amelia, pwRidgeway, pwDecline)
	amelia = pwMove(t, a, amelia, pwAdmin, pwProcess)
	if amelia.Step != pathway.ExploringAlternatives {
		t.Fatalf("Amelia's referral is at %s", amelia.Step)
	}
	if ref, _, found, err := referral.On(a.Pool).OpenReferralTo(ctx, amelia.StudentID, programme); err != nil || found {
		t.Errorf("a referral exploring alternatives counts as open: %q %v", ref, err)
	}
	doc = coord.Get("/referrals/new?student=" + itoa64(amelia.StudentID) + "&programme=" + itoa64(programme)).Doc(t)
	if doc.Find(`form[data-testid="start"]`).Length() != 1 || doc.Find(`[data-testid="existing-referral"]`).Length() != 0 {
		t.Errorf("Amelia cannot be referred again: %q", pwText(doc.Find(`[data-testid="eligibility"]`)))
	}
}

func TestReferralAddressesAndFiltersForgiveWhatPeopleType(t *testing.T) {
	a := testapp.New(t)
	programme := pwMotorVehicle(t, a)
	first := pwSubmitted(t, a, pwKaiUPN, programme)
	second := pwSubmitted(t, a, pwAmeliaUPN, programme)
	admin := pwSignedIn(t, a, pwAdmin)

	// A reference in lower case leads to the referral.
	lower := strings.ToLower(first.Reference)
	for path, want := range map[string]string{
		"/referrals/" + lower:                "/referrals/" + first.Reference,
		"/referrals/" + lower + "/send-pack": "/referrals/" + first.Reference + "/send-pack",
	} {
		if r := admin.Get(path); r.StatusCode != http.StatusMovedPermanently || r.Location() != want {
			t.Errorf("%s: %d to %q, want 301 to %q", path, r.StatusCode, r.Location(), want)
		}
	}
	if r := admin.Get("/referrals/" + first.Reference); r.StatusCode != http.StatusOK {
		t.Errorf("the referral itself: %d", r.StatusCode)
	}

	// A mangled cursor shows the first page.
	r := admin.Get("/referrals?after=garbage")
	if got := tableRows(r.Doc(t).Find(`[data-testid="referrals"]`)); r.StatusCode != http.StatusOK || len(got) != 2 {
		t.Errorf("a bad cursor: %d %q", r.StatusCode, got)
	}

	// "More than 5 working days" means more: on a Sunday, a referral that reached its step on the
	// Friday nine days before has waited 5 working days, the Thursday before it 6.
	rvAt(t, a, first, rvLondon(2026, time.November, 20, 10))
	rvAt(t, a, second, rvLondon(2026, time.November, 19, 10))
	a.Clock.Set(rvLondon(2026, time.November, 29, 12))
	admin = pwSignedIn(t, a, pwAdmin)
	got := tableRows(admin.Get("/referrals?age=5").Doc(t).Find(`[data-testid="referrals"]`))
	if len(got) != 1 || !strings.Contains(got[0], second.Reference) || !strings.Contains(got[0], "6 working days") {
		t.Errorf("waiting more than 5 working days: %q, want only %s", got, second.Reference)
	}

	// The start form sent with nothing chosen says what to choose.
	r = pwSignedIn(t, a, pwCoordinator).Get("/referrals/new?student=&programme=")
	summary := pwText(r.Doc(t).Find(".govuk-error-summary"))
	if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(summary, "Select a student") || !strings.Contains(summary, "Select a programme") {
		t.Errorf("an empty start form: %d %q", r.StatusCode, summary)
	}
}
