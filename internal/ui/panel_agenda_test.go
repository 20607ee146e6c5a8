package ui_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/coventry-cap/capportal/internal/browsertest"
	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/document"
	"github.com/coventry-cap/capportal/internal/panel"
	"github.com/coventry-cap/capportal/internal/pathway"
	"github.com/coventry-cap/capportal/internal/referral"
	"github.com/coventry-cap/capportal/internal/testapp"
)

const (
	paPanelMember = "panel@cap.example"
	paLead        = "lead@cap.example"
	paCanleyBrook = "coordinator@canleybrook.school.example"
	paAcademy     = "staff@capa.provider.example"
)

// paRound is the id of a round of 2026/27 by its position in the published table.
func paRound(t *testing.T, a *testapp.App, position int) string {
	t.Helper()
	return itoa64(pwInt(t, a, `SELECT id FROM panel_rounds WHERE academic_year = '2026/27' AND position = $1`, position))
}

// paCohort is the id of a 2026/27 Refocus cohort by its name.
func paCohort(t *testing.T, a *testapp.App, name string) string {
	t.Helper()
	return itoa64(pwInt(t, a, `SELECT id FROM panel_starts WHERE academic_year = '2026/27' AND programme_kind = 'refocus' AND name = $1`, name))
}

func paProgramme(t *testing.T, a *testapp.App, slug string) int64 {
	t.Helper()
	return pwInt(t, a, `SELECT id FROM programmes WHERE slug = $1`, slug)
}

func paFlourish(t *testing.T, a *testapp.App) int64 {
	return paProgramme(t, a, "calmwaters-flourish-therapeutic-learning")
}

func paStudent(t *testing.T, a *testapp.App, first, last string) int64 {
	t.Helper()
	return pwInt(t, a, `SELECT id FROM students WHERE legal_first_name = $1 AND legal_last_name = $2`, first, last)
}

// paSubmitted submits a complete referral of the student to the programme as the school's
// coordinator, through the store (as pwSubmitted does for Whitmore).
func paSubmitted(t *testing.T, a *testapp.App, coordinator string, studentID, programmeID int64) referral.Referral {
	t.Helper()
	ctx := context.Background()
	store := pwStore(a)
	coord := pwActor(t, a, coordinator)
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
		t.Fatal(err)
	}
	if _, err := store.AddDocument(ctx, coord, draft, document.Upload{Kind: document.RiskAssessment, Checked: checked, Data: pwPDF,
		CompletedOn: today, Template: document.CAPTemplate}); err != nil {
		t.Fatalf("add the risk assessment: %v", err)
	}
	if draft, err = store.Get(ctx, coord, draft.Key()); err != nil {
		t.Fatal(err)
	}
	ref, err := store.Submit(ctx, coord, draft)
	if err != nil {
		t.Fatalf("submit: %v", err)
	}
	return ref
}

// paOnAgenda submits the referral and has CAP add it to its round's Review and Authorisation Panel agenda.
func paOnAgenda(t *testing.T, a *testapp.App, coordinator string, studentID, programmeID int64) referral.Referral {
	t.Helper()
	ref := paSubmitted(t, a, coordinator, studentID, programmeID)
	ref = pwMove(t, a, ref, pwAdmin, func(s referral.Store, ctx context.Context, ac referral.Actor, r referral.Referral) error {
		return s.AddToAgenda(ctx, ac, r)
	})
	if ref.Step != pathway.ReviewPanel {
		t.Fatalf("%s is at %s after joining the agenda", ref.Reference, ref.Step)
	}
	return ref
}

// paCard is a panel's card on the round page as "key: value" rows, and its links.
func paCard(doc *goquery.Document, p string) (rows []string, links []string) {
	card := doc.Find(`[data-testid="panel-` + p + `"]`)
	card.Find(".govuk-summary-list__row").Each(func(_ int, s *goquery.Selection) {
		rows = append(rows, pwText(s.Find("dt"))+": "+pwText(s.Find("dd")))
	})
	card.Find(".govuk-summary-card__actions a").Each(func(_ int, s *goquery.Selection) {
		href, _ := s.Attr("href")
		links = append(links, pwText(s)+" "+href)
	})
	return rows, links
}

func paPanels(doc *goquery.Document) []string {
	return doc.Find(".govuk-summary-card__title").Map(func(_ int, s *goquery.Selection) string { return pwText(s) })
}

// paAgenda is the agenda's references in order.
func paAgenda(doc *goquery.Document) []string {
	return doc.Find(`[data-testid="agenda-case"] th a`).Map(func(_ int, s *goquery.Selection) string { return pwText(s) })
}

// paRow is the agenda's row of the referral, cell by cell.
func paRow(doc *goquery.Document, ref string) []string {
	var out []string
	doc.Find(`[data-testid="agenda-case"]`).Each(func(_ int, row *goquery.Selection) {
		if pwText(row.Find("th")) == ref {
			out = row.Children().Map(func(_ int, c *goquery.Selection) string { return pwText(c) })
		}
	})
	return out
}

// Each round shows the panels it holds; CAP admins may schedule their meetings, panel members read them.
func TestPanelRoundPageShowsThePanelsEachRoundHolds(t *testing.T) {
	a := testapp.New(t)
	admin := signedInAdmin(t, a)
	r4 := paRound(t, a, 4)
	doc := mustGet(t, admin, "/panels/rounds/"+r4)
	if got := pwText(doc.Find(`[data-testid="round-summary"]`)); got != "Referral deadline Wednesday 2 December 2026 Programmes Flourish, Supported Transfer, Refocus Published Headteacher Placement Meeting Tuesday 15 December 2026" {
		t.Errorf("summary %q", got)
	}
	want := []string{"Review and Authorisation Panel", "Multi-Agency Panel", "Supported Transfer Headteacher Placement Meeting"}
	if got := paPanels(doc); !slices.Equal(got, want) {
		t.Errorf("round 4 panels %q", got)
	}
	rows, links := paCard(doc, panel.ReviewPanel)
	if !slices.Equal(rows, []string{"Meeting: Not scheduled", "Chair: –", "Attending: –", "Cases on the agenda: 0", "Not decided yet: 0"}) {
		t.Errorf("review card %q", rows)
	}
	if !slices.Equal(links, []string{"Agenda of the Review and Authorisation Panel /panels/rounds/" + r4 + "/review",
		"Schedule the meeting of the Review and Authorisation Panel /panels/rounds/" + r4 + "/review/meeting"}) {
		t.Errorf("review links %q", links)
	}
	for _, tc := range []struct {
		position int
		want     []string
	}{
		{2, []string{"Review and Authorisation Panel", "Supported Transfer Headteacher Placement Meeting"}},
		{1, []string{"Review and Authorisation Panel", "Multi-Agency Panel", "Supported Transfer Headteacher Placement Meeting"}},
		{10, []string{"Review and Authorisation Panel"}},
	} {
		if got := paPanels(mustGet(t, admin, "/panels/rounds/"+paRound(t, a, tc.position))); !slices.Equal(got, tc.want) {
			t.Errorf("round %d panels %q, want %q", tc.position, got, tc.want)
		}
	}
	// A panel member reads the round from the calendar, without the links to schedule.
	member := pwSignedIn(t, a, paPanelMember)
	cal := mustGet(t, member, "/panels")
	if cal.Find(`a[href="/panels/rounds/`+r4+`"]`).Length() != 1 || cal.Find(`a[href="/panels/cohorts/`+paCohort(t, a, "Cohort 2")+`"]`).Length() != 1 {
		t.Errorf("the calendar does not link a panel member to round 4 and Cohort 2")
	}
	if cal.Find(`a[href$="/edit"]`).Length() != 0 {
		t.Errorf("a panel member sees the links to change the calendar")
	}
	_, links = paCard(mustGet(t, member, "/panels/rounds/"+r4), panel.HeadteacherPanel)
	if !slices.Equal(links, []string{"Agenda of the Supported Transfer Headteacher Placement Meeting /panels/rounds/" + r4 + "/headteacher"}) {
		t.Errorf("panel member's links %q", links)
	}
	for _, path := range []string{"/panels/rounds/999999", "/panels/rounds/" + paRound(t, a, 10) + "/multi_agency", "/panels/rounds/" + r4 + "/nonsense"} {
		if r := admin.Get(path); r.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s: %d, want 404", path, r.StatusCode)
		}
	}
}

// The meeting form refuses a missing date, a date before the deadline and a chair who did not attend,
// keeping what was typed each time; then the meeting is saved and the round shows it.
func TestPanelMeetingFormRefusesBadInputKeepingItThenSaves(t *testing.T) {
	a := testapp.New(t)
	admin := signedInAdmin(t, a)
	r4 := paRound(t, a, 4)
	gareth := itoa64(pwInt(t, a, `SELECT id FROM users WHERE email = $1`, paPanelMember))
	fiona := itoa64(pwInt(t, a, `SELECT id FROM users WHERE email = $1`, paLead))
	rachel := itoa64(pwInt(t, a, `SELECT id FROM users WHERE email = 'headteacher@whitmore.school.example'`))

	head := mustGet(t, admin, "/panels/rounds/"+r4+"/headteacher/meeting")
	if d, m, y := head.Find("#date-day").AttrOr("value", ""), head.Find("#date-month").AttrOr("value", ""), head.Find("#date-year").AttrOr("value", ""); d+"/"+m+"/"+y != "15/12/2026" {
		t.Errorf("the Headteacher meeting starts on %s/%s/%s, want the published 15/12/2026", d, m, y)
	}
	path := "/panels/rounds/" + r4 + "/review/meeting"
	doc := mustGet(t, admin, path)
	if v := doc.Find("#date-day").AttrOr("value", ""); v != "" {
		t.Errorf("the review meeting has a default day %q", v)
	}
	members := doc.Find(`input[name="attendees"]`).Map(func(_ int, s *goquery.Selection) string { return s.AttrOr("value", "") })
	if !slices.Equal(members, []string{fiona, gareth, rachel}) {
		t.Errorf("attendance choices %q, want Fiona, Gareth, Rachel", members)
	}
	if hint := pwText(doc.Find(`label[for="attendees-3"] + .govuk-checkboxes__hint`)); hint != "Whitmore Park Academy" {
		t.Errorf("Rachel's organisation %q", hint)
	}

	cases := []struct {
		name    string
		form    []string
		summary []string
	}{
		{"no date", []string{"chair", gareth, "attendees", gareth, "others", "Priya Sandhu, social worker"},
			[]string{"#date-day Enter the date of the meeting"}},
		{"before the deadline", []string{"date-day", "1", "date-month", "12", "date-year", "2026", "chair", gareth, "attendees", gareth, "others", "Priya Sandhu, social worker"},
			[]string{"#date-day The meeting must be on or after the referral deadline, Wednesday 2 December 2026"}},
		{"chair not attending", []string{"date-day", "8", "date-month", "12", "date-year", "2026", "chair", gareth, "attendees", fiona, "others", "Priya Sandhu, social worker"},
			[]string{"#chair The chair must be ticked as attending the meeting"}},
		{"not a real date", []string{"date-day", "31", "date-month", "11", "date-year", "2026", "chair", gareth, "attendees", gareth},
			[]string{"#date-day The date of the meeting must be a real date"}},
	}
	for _, tc := range cases {
		r := admin.Post(path, form(tc.form...))
		if r.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("%s: %d, want 422", tc.name, r.StatusCode)
		}
		bad := r.Doc(t)
		if got := errorSummary(bad); !slices.Equal(got, tc.summary) {
			t.Errorf("%s: summary %q, want %q", tc.name, got, tc.summary)
		}
		if !strings.HasPrefix(bad.Find("title").Text(), "Error: ") {
			t.Errorf("%s: title %q", tc.name, bad.Find("title").Text())
		}
		f := form(tc.form...)
		if got := bad.Find("#date-day").AttrOr("value", ""); got != f.Get("date-day") {
			t.Errorf("%s: day %q not kept", tc.name, got)
		}
		if got := bad.Find(`#chair option[selected]`).AttrOr("value", ""); got != gareth {
			t.Errorf("%s: chair %q not kept", tc.name, got)
		}
		ticked := bad.Find(`input[name="attendees"][checked]`).Map(func(_ int, s *goquery.Selection) string { return s.AttrOr("value", "") })
		if !slices.Equal(ticked, f["attendees"]) {
			t.Errorf("%s: ticked %q, want %q", tc.name, ticked, f["attendees"])
		}
		if got := bad.Find("#others").Text(); got != f.Get("others") {
			t.Errorf("%s: others %q not kept", tc.name, got)
		}
	}
	if n := pwInt(t, a, `SELECT count(*) FROM panel_meetings`); n != 0 {
		t.Fatalf("%d meetings saved by refused forms", n)
	}

	r := admin.Post(path, form("date-day", "8", "date-month", "12", "date-year", "2026", "chair", gareth, "attendees", gareth, "attendees", rachel,
		"others", "Priya Sandhu, social worker\n"))
	if r.StatusCode != http.StatusSeeOther || r.Location() != "/panels/rounds/"+r4 {
		t.Fatalf("save: %d to %s", r.StatusCode, r.Location())
	}
	round := mustGet(t, admin, "/panels/rounds/"+r4)
	if msg, ok := banner(round); !ok || msg != "Review and Authorisation Panel of round 4 saved: Tuesday 8 December 2026, 2 panel members attending" {
		t.Errorf("banner %q", msg)
	}
	rows, links := paCard(round, panel.ReviewPanel)
	if !slices.Equal(rows, []string{"Meeting: Tuesday 8 December 2026", "Chair: Gareth Llewellyn", "Attending: 2 panel members and 1 other attendee",
		"Cases on the agenda: 0", "Not decided yet: 0"}) {
		t.Errorf("review card %q", rows)
	}
	if len(links) != 2 || !strings.HasPrefix(links[1], "Change the meeting") {
		t.Errorf("links %q, want a Change link", links)
	}
	again := mustGet(t, admin, path)
	if again.Find("#date-day").AttrOr("value", "") != "8" || again.Find(`#chair option[selected]`).AttrOr("value", "") != gareth {
		t.Errorf("the form does not show the saved meeting")
	}
	if n := auditCount(t, a, panel.ActionMeeting, itoa64(pwInt(t, a, `SELECT id FROM panel_meetings`))); n != 1 {
		t.Errorf("%d audit entries", n)
	}
}

// Cases are listed in agenda order: an SLA school's Tier 2 case added after another school's comes
// first; CAP admins move cases up and down and are told when a case cannot move further.
func TestPanelAgendaPutsSLASchoolsTier2CasesFirstAndAdminsReorderThem(t *testing.T) {
	a := testapp.New(t)
	if _, err := a.Pool.Exec(context.Background(), `UPDATE slas SET signed = false, signed_on = NULL
		WHERE academic_year = '2026/27' AND school_id = (SELECT id FROM organisations WHERE slug = 'canleybrook')`); err != nil {
		t.Fatal(err)
	}
	freya := paOnAgenda(t, a, paCanleyBrook, paStudent(t, a, "Freya", "Oakley"), paFlourish(t, a))
	kai := paOnAgenda(t, a, pwCoordinator, paStudent(t, a, "Kai", "Adeyemi-Brown"), paFlourish(t, a))
	r4 := paRound(t, a, 4)
	path := "/panels/rounds/" + r4 + "/review"
	admin := signedInAdmin(t, a)
	doc := mustGet(t, admin, path)
	if got := paAgenda(doc); !slices.Equal(got, []string{kai.Reference, freya.Reference}) {
		t.Fatalf("agenda %q, want the SLA school's case %s first", got, kai.Reference)
	}
	if got := pwText(doc.Find(`[data-testid="agenda-sla"]`)); !strings.Contains(got, "Tier 2 cases from schools with the SLA are placed before other schools’ Tier 2 cases") {
		t.Errorf("no explanation of the order: %q", got)
	}
	if got := pwText(doc.Find(`[data-testid="agenda-meeting"]`)); got != "Not scheduled yet Schedule the meeting" {
		t.Errorf("meeting line %q", got)
	}
	row := paRow(doc, kai.Reference)
	want := []string{"1", kai.Reference, "Kai Adeyemi-Brown", "Whitmore Park Academy SLA", "Flourish: Therapeutic Learning Programme", "2", "Not decided",
		"Move down " + kai.Reference + " Defer " + kai.Reference + " to the next round"}
	if !slices.Equal(row, want) {
		t.Errorf("Kai's row %q\nwant %q", row, want)
	}
	if row := paRow(doc, freya.Reference); len(row) < 4 || row[3] != "Canley Brook Academy" || !strings.HasPrefix(row[7], "Move up "+freya.Reference) {
		t.Errorf("Freya's row %q", row)
	}
	// The case page is the chair's: CAP admins who are not panel members open the referral.
	if href := doc.Find(`[data-testid="agenda-case"] th a`).First().AttrOr("href", ""); href != "/referrals/"+kai.Reference {
		t.Errorf("case link for a CAP admin %q", href)
	}
	if href := pwSignedIn(t, a, paPanelMember).Get(path).Doc(t).Find(`[data-testid="agenda-case"] th a`).First().AttrOr("href", ""); href != "/referrals/"+kai.Reference+"/decide" {
		t.Errorf("case link for a panel member %q", href)
	}
	kaiCase := pwInt(t, a, `SELECT id FROM panel_cases WHERE referral_id = $1`, kai.ID)
	move := "/panels/cases/" + itoa64(kaiCase) + "/move"
	if action := doc.Find(`form[action="` + move + `"] button`).Text(); action != "Move down "+kai.Reference {
		t.Errorf("move button %q", action)
	}

	r := admin.Post(move, form("direction", "down"))
	if r.StatusCode != http.StatusSeeOther || r.Location() != path {
		t.Fatalf("move down: %d to %s", r.StatusCode, r.Location())
	}
	doc = mustGet(t, admin, path)
	if msg, ok := banner(doc); !ok || msg != kai.Reference+" moved down the agenda" {
		t.Errorf("banner %q", msg)
	}
	if got := paAgenda(doc); !slices.Equal(got, []string{freya.Reference, kai.Reference}) {
		t.Errorf("after moving down %q", got)
	}
	r = admin.Post(move, form("direction", "down"))
	if r.StatusCode != http.StatusSeeOther || r.Location() != path {
		t.Fatalf("move the last down: %d to %s", r.StatusCode, r.Location())
	}
	doc = mustGet(t, admin, path)
	if msg, ok := banner(doc); ok || msg != kai.Reference+" is already last on the agenda, so it cannot move down" {
		t.Errorf("banner %q (success %v)", msg, ok)
	}
	if r := admin.Post(move, form("direction", "up")); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("move up: %d", r.StatusCode)
	}
	if got := paAgenda(mustGet(t, admin, path)); !slices.Equal(got, []string{kai.Reference, freya.Reference}) {
		t.Errorf("after moving up %q", got)
	}
	if n := auditCount(t, a, panel.ActionAgenda, itoa64(kaiCase)); n != 2 {
		t.Errorf("%d audit entries for the moves, want 2", n)
	}
	if r := admin.Post(move, form("direction", "sideways")); r.StatusCode != http.StatusBadRequest {
		t.Errorf("sideways: %d", r.StatusCode)
	}

	// The round counts the cases; a panel member reads the agenda without the controls.
	rows, _ := paCard(mustGet(t, admin, "/panels/rounds/"+r4), panel.ReviewPanel)
	if !slices.Contains(rows, "Cases on the agenda: 2") || !slices.Contains(rows, "Not decided yet: 2") {
		t.Errorf("round card %q", rows)
	}
	member := mustGet(t, pwSignedIn(t, a, paPanelMember), path)
	if got := paAgenda(member); !slices.Equal(got, []string{kai.Reference, freya.Reference}) {
		t.Errorf("panel member's agenda %q", got)
	}
	if member.Find(`form[action$="/move"]`).Length() != 0 || member.Find(`a[href$="/defer"]`).Length() != 0 || member.Find(`a[href$="/meeting"]`).Length() != 0 {
		t.Errorf("a panel member sees CAP's controls")
	}
	if r := pwSignedIn(t, a, paPanelMember).Post(move, form("direction", "down")); r.StatusCode != http.StatusForbidden {
		t.Errorf("a panel member moving a case: %d", r.StatusCode)
	}
}

// CAP defers a case: it leaves round 4's agenda decided as deferred and is carried to round 7's, and
// the referral's history says so. The same form sent again is refused as already moved.
func TestPanelDeferMovesTheCaseToTheNextRoundsAgenda(t *testing.T) {
	a := testapp.New(t)
	kai := paOnAgenda(t, a, pwCoordinator, paStudent(t, a, "Kai", "Adeyemi-Brown"), paFlourish(t, a))
	admin := signedInAdmin(t, a)
	r4, r7 := paRound(t, a, 4), paRound(t, a, 7)
	agenda := mustGet(t, admin, "/panels/rounds/"+r4+"/review")
	deferPath := "/referrals/" + kai.Reference + "/defer"
	if href := agenda.Find(`a[href="`+deferPath+`"]`).AttrOr("href", ""); href != deferPath {
		t.Fatalf("no Defer link to %s", deferPath)
	}
	doc := mustGet(t, admin, deferPath)
	if got := pwText(doc.Find(`[data-testid="step-summary"]`)); !strings.Contains(got, "On the agenda of Review and Authorisation Panel, round 4 (deadline Wednesday 2 December 2026)") ||
		!strings.Contains(got, "Goes to Review and Authorisation Panel, round 7 (deadline Wednesday 10 March 2027)") {
		t.Errorf("summary %q", got)
	}
	caseID := doc.Find(`input[name="case"]`).AttrOr("value", "")
	r := admin.Post(deferPath, form("case", caseID, "reason", "The school asked for time to add the Early Help assessment."))
	if r.StatusCode != http.StatusSeeOther || r.Location() != "/panels/rounds/"+r4+"/review" {
		t.Fatalf("defer: %d to %s", r.StatusCode, r.Location())
	}
	old := mustGet(t, admin, "/panels/rounds/"+r4+"/review")
	if msg, ok := banner(old); !ok || msg != kai.Reference+" deferred to the Review and Authorisation Panel of round 7 (deadline Wednesday 10 March 2027)" {
		t.Errorf("banner %q", msg)
	}
	if row := paRow(old, kai.Reference); len(row) != 8 || row[6] != "Deferred to the next round" || row[7] != "" {
		t.Errorf("round 4 row %q", row)
	}
	if href := old.Find(`[data-testid="agenda-case"] th a`).AttrOr("href", ""); href != "/referrals/"+kai.Reference {
		t.Errorf("a decided case links to %q, want the referral", href)
	}
	next := mustGet(t, admin, "/panels/rounds/"+r7+"/review")
	if row := paRow(next, kai.Reference); len(row) != 8 || row[6] != "Not decided Carried from round 4" {
		t.Errorf("round 7 row %q", row)
	}
	page := pwText(mustGet(t, admin, "/referrals/"+kai.Reference).Selection)
	if !strings.Contains(page, "Deferred by CAP from round 4 to round 7 (deadline 10 March 2027): The school asked for time to add the Early Help assessment.") {
		t.Errorf("the referral's history does not record the deferral")
	}
	if got := pwGet(t, a, kai).Step; got != pathway.ReviewPanel {
		t.Errorf("the referral is at %s, want still at the panel", got)
	}
	// The form sent again, for the case that has gone.
	again := admin.Post(deferPath, form("case", caseID))
	if again.StatusCode != http.StatusConflict || !strings.Contains(again.Body, "Someone else moved this referral on") {
		t.Errorf("deferring again: %d", again.StatusCode)
	}
	if n := pwInt(t, a, `SELECT count(*) FROM panel_cases WHERE referral_id = $1`, kai.ID); n != 2 {
		t.Errorf("%d cases, want 2", n)
	}
}

// Coordinators may not open agendas or meetings; panel members may read but not schedule; only the
// Academy's staff among providers see its cohorts.
func TestPanelPagesAreRefusedToThoseWhoMayNotUseThem(t *testing.T) {
	a := testapp.New(t)
	r4 := paRound(t, a, 4)
	cohort := "/panels/cohorts/" + paCohort(t, a, "Cohort 2")
	coordinator := pwSignedIn(t, a, pwCoordinator)
	for _, path := range []string{"/panels/rounds/" + r4, "/panels/rounds/" + r4 + "/review", "/panels/rounds/" + r4 + "/review/meeting", cohort} {
		if r := coordinator.Get(path); r.StatusCode != http.StatusForbidden {
			t.Errorf("coordinator GET %s: %d, want 403", path, r.StatusCode)
		}
	}
	if r := coordinator.Post("/panels/rounds/"+r4+"/review/meeting", form("date-day", "8", "date-month", "12", "date-year", "2026")); r.StatusCode != http.StatusForbidden {
		t.Errorf("coordinator saving a meeting: %d", r.StatusCode)
	}
	member := pwSignedIn(t, a, paPanelMember)
	if r := member.Get("/panels/rounds/" + r4 + "/review/meeting"); r.StatusCode != http.StatusForbidden {
		t.Errorf("panel member's meeting form: %d", r.StatusCode)
	}
	mustGet(t, member, "/panels/rounds/"+r4+"/review")
	mustGet(t, member, cohort)
	if r := pwSignedIn(t, a, pwRidgeway).Get(cohort); r.StatusCode != http.StatusForbidden {
		t.Errorf("another provider's staff: %d, want 403", r.StatusCode)
	}
	academy := mustGet(t, pwSignedIn(t, a, paAcademy), cohort)
	if academy.Find(`form[action$="/offer"]`).Length() != 0 {
		t.Errorf("the Academy's staff see CAP's offer form")
	}
	flourishStart := itoa64(pwInt(t, a, `SELECT id FROM panel_starts WHERE academic_year = '2026/27' AND programme_kind = 'flourish' AND name = 'January start'`))
	if r := signedInAdmin(t, a).Get("/panels/cohorts/" + flourishStart); r.StatusCode != http.StatusNotFound {
		t.Errorf("a start date without places: %d, want 404", r.StatusCode)
	}
}

// A cohort shows its places, who is placed and the waiting list in order; CAP offers the waiting list
// places in the next cohort.
func TestPanelCohortPageCountsPlacesAndOffersTheWaitingListTheNextCohort(t *testing.T) {
	a := testapp.New(t)
	ctx := context.Background()
	c2, c3 := paCohort(t, a, "Cohort 2"), paCohort(t, a, "Cohort 3")
	if _, err := a.Pool.Exec(ctx, `UPDATE panel_starts SET capacity = 1 WHERE id::text = ANY($1)`, []string{c2, c3}); err != nil {
		t.Fatal(err)
	}
	refocus := paProgramme(t, a, "capa-refocus")
	var refs []referral.Referral
	for _, name := range [][2]string{{"Kai", "Adeyemi-Brown"}, {"Amelia", "Barker"}, {"Zainab", "Darwish"}} {
		refs = append(refs, paSubmitted(t, a, pwCoordinator, paStudent(t, a, name[0], name[1]), refocus))
	}
	cohort2, _ := strconv.ParseInt(c2, 10, 64)
	// Kai gets the place; Amelia waits; Zainab waits with priority, so she is offered a place first.
	for i, pri := range []int{0, 0, 1} {
		if _, err := panel.On(a.Pool).Allocate(ctx, cohort2, refs[i].ID, pri, a.Clock.Now()); err != nil {
			t.Fatal(err)
		}
	}
	admin := signedInAdmin(t, a)
	doc := mustGet(t, admin, "/panels/cohorts/"+c2)
	if got := pwText(doc.Find(`[data-testid="cohort-summary"]`)); got != "Dates Monday 11 January 2027 to Friday 26 March 2027 (10 weeks) Places 1 Placed 1 Free places 0 Waiting list 2" {
		t.Errorf("summary %q", got)
	}
	placed := doc.Find(`[data-testid="cohort-placed"] tbody tr`).Map(func(_ int, s *goquery.Selection) string { return pwText(s) })
	if !slices.Equal(placed, []string{"1 " + refs[0].Reference + " Kai Adeyemi-Brown Whitmore Park Academy"}) {
		t.Errorf("placed %q", placed)
	}
	waiting := doc.Find(`[data-testid="cohort-waiting"] tbody tr`).Map(func(_ int, s *goquery.Selection) string { return pwText(s) })
	if !slices.Equal(waiting, []string{"1 " + refs[2].Reference + " Zainab Darwish Whitmore Park Academy", "2 " + refs[1].Reference + " Amelia Barker Whitmore Park Academy"}) {
		t.Errorf("waiting %q", waiting)
	}
	options := doc.Find(`#to option`).Map(func(_ int, s *goquery.Selection) string { return pwText(s) })
	if !slices.Equal(options, []string{"Choose a cohort", "Refocus Cohort 3 (2026/27), from Monday 26 April 2027"}) {
		t.Errorf("options %q", options)
	}
	r := admin.Post("/panels/cohorts/"+c2+"/offer", form("to", ""))
	if r.StatusCode != http.StatusUnprocessableEntity || !slices.Equal(errorSummary(r.Doc(t)), []string{"#to Choose the cohort to offer the places in"}) {
		t.Fatalf("no cohort chosen: %d %q", r.StatusCode, errorSummary(r.Doc(t)))
	}
	r = admin.Post("/panels/cohorts/"+c2+"/offer", form("to", c3))
	if r.StatusCode != http.StatusSeeOther || r.Location() != "/panels/cohorts/"+c2 {
		t.Fatalf("offer: %d to %s", r.StatusCode, r.Location())
	}
	doc = mustGet(t, admin, "/panels/cohorts/"+c2)
	if msg, ok := banner(doc); !ok || msg != "1 placed in Refocus Cohort 3, 1 still waiting" {
		t.Errorf("banner %q", msg)
	}
	if got := pwText(doc.Find(`[data-testid="cohort-summary"]`)); !strings.HasSuffix(got, "Placed 1 Free places 0 Waiting list 0") {
		t.Errorf("cohort 2 after the offer %q", got)
	}
	doc = mustGet(t, admin, "/panels/cohorts/"+c3)
	if got := pwText(doc.Find(`[data-testid="cohort-summary"]`)); !strings.HasSuffix(got, "Places 1 Placed 1 Free places 0 Waiting list 1") {
		t.Errorf("cohort 3 %q", got)
	}
	if got := pwText(doc.Find(`[data-testid="cohort-placed"] tbody tr`)); !strings.Contains(got, "Zainab Darwish") {
		t.Errorf("cohort 3 placed %q, want Zainab (priority)", got)
	}
	// The Academy reads its cohort.
	if got := pwText(mustGet(t, pwSignedIn(t, a, paAcademy), "/panels/cohorts/"+c3).Find(`[data-testid="cohort-waiting"]`)); !strings.Contains(got, "Amelia Barker") {
		t.Errorf("the Academy's view of the waiting list %q", got)
	}
}

// In a real browser with axe: the round page, the meeting form with an error, and an agenda with CAP's controls.
func TestPanelAgendaPagesPassAxeInABrowser(t *testing.T) {
	a := testapp.New(t)
	kai := paOnAgenda(t, a, pwCoordinator, paStudent(t, a, "Kai", "Adeyemi-Brown"), paFlourish(t, a))
	paOnAgenda(t, a, pwCoordinator, paStudent(t, a, "Amelia", "Barker"), paFlourish(t, a))
	r4 := paRound(t, a, 4)
	b := browsertest.New(t)
	b.ScreenshotDir = t.TempDir()
	b.Visit(a.URL + "/login")
	b.Fill("#email", pwAdmin)
	b.Fill("#password", testapp.Password)
	b.Submit("form[action='/login'] button")
	b.Visit(a.URL + "/panels/rounds/" + r4)
	if !strings.Contains(b.Text("[data-testid=panel-review]"), "Cases on the agenda") {
		t.Fatalf("round page %q", b.Text("main"))
	}
	b.Visit(a.URL + "/panels/rounds/" + r4 + "/review/meeting")
	b.Fill("#date-day", "1")
	b.Fill("#date-month", "12")
	b.Fill("#date-year", "2026")
	b.SetChecked("#attendees-2", true)
	b.Submit("#main-content form[method=post] button[type=submit]")
	if b.Status() != http.StatusUnprocessableEntity || !strings.Contains(b.Text(".govuk-error-summary"), "on or after the referral deadline") {
		t.Fatalf("status %d, summary %q", b.Status(), b.Text(".govuk-error-summary"))
	}
	b.Fill("#date-day", "8")
	b.Select("#chair", "Gareth Llewellyn")
	b.Submit("#main-content form[method=post] button[type=submit]")
	if !strings.Contains(b.Text(".govuk-notification-banner"), "Tuesday 8 December 2026") {
		t.Fatalf("after saving: %q", b.Text("main"))
	}
	b.Visit(a.URL + "/panels/rounds/" + r4 + "/review")
	if !strings.Contains(b.Text("[data-testid=agenda]"), kai.Reference) {
		t.Fatalf("agenda %q", b.Text("main"))
	}
	b.Submit(`form[action$="/move"] button`)
	if !strings.Contains(b.Text(".govuk-notification-banner"), "moved down the agenda") {
		t.Fatalf("after moving: %q", b.Text("main"))
	}
	b.Visit(a.URL + "/referrals/" + kai.Reference + "/defer")
	b.Visit(a.URL + "/panels/cohorts/" + paCohort(t, a, "Cohort 2"))
}

// When every panel member attending is from the referring school, nobody can decide the case: the
// agenda and the meeting page say so before the meeting, and stop saying so once someone from
// elsewhere attends.
func TestPanelAgendaWarnsWhenNobodyAttendingCanDecideACase(t *testing.T) {
	a := testapp.New(t)
	kai := paOnAgenda(t, a, pwCoordinator, paStudent(t, a, "Kai", "Adeyemi-Brown"), paFlourish(t, a))
	r4 := paRound(t, a, 4)
	admin := signedInAdmin(t, a)
	rachel := itoa64(pwInt(t, a, `SELECT id FROM users WHERE email = 'headteacher@whitmore.school.example'`))
	gareth := itoa64(pwInt(t, a, `SELECT id FROM users WHERE email = $1`, paPanelMember))
	meeting := "/panels/rounds/" + r4 + "/review/meeting"
	save := func(attendees ...string) {
		f := form("date-day", "8", "date-month", "12", "date-year", "2026")
		for _, id := range attendees {
			f.Add("attendees", id)
		}
		if r := admin.Post(meeting, f); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("save the meeting: %d", r.StatusCode)
		}
	}
	warning := func(path string) string {
		return pwText(mustGet(t, admin, path).Find(`[data-testid="agenda-undecidable"]`))
	}

	save(rachel)
	for _, path := range []string{"/panels/rounds/" + r4 + "/review", meeting} {
		if got := warning(path); !strings.Contains(got, kai.Reference+", from Whitmore Park Academy") ||
			!strings.Contains(got, "every panel member attending is from the referring school") {
			t.Errorf("%s: warning %q", path, got)
		}
	}
	// The meeting page warns that moving it affects the schools whose cases are on the agenda.
	if got := pwText(mustGet(t, admin, meeting).Find(`[data-testid="meeting-moving"]`)); !strings.Contains(got, "1 case is still to decide on this agenda, from Whitmore Park Academy") ||
		!strings.Contains(got, "Tuesday 8 December 2026") {
		t.Errorf("moving warning %q", got)
	}
	save(rachel, gareth)
	for _, path := range []string{"/panels/rounds/" + r4 + "/review", meeting} {
		if got := warning(path); got != "" {
			t.Errorf("%s still warns with someone from elsewhere attending: %q", path, got)
		}
	}
}
