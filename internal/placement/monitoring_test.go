package placement_test

import (
	"errors"
	"io"
	"log/slog"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/db"
	"github.com/coventry-cap/capportal/internal/input"
	"github.com/coventry-cap/capportal/internal/notify"
	"github.com/coventry-cap/capportal/internal/placement"
	"github.com/coventry-cap/capportal/internal/placement/placementtest"
)

const (
	canleyCoordinator = "coordinator@canleybrook.school.example"
	capAdmin          = "admin@cap.example"
	ridgewayTutor     = "tutor@ridgeway.provider.example"
)

// monitoringFixture stands on Monday 23 November 2026 at 10:00, with Kai at Ridgeway since 2 November
// (two objectives agreed) and Freya, of Canley Brook, at the Academy.
func monitoringFixture(t *testing.T) (*fixture, int64, int64) {
	f := newFixture(t, time.Date(2026, time.November, 23, 10, 0, 0, 0, calendar.London()))
	// Owners are told of their actions: an outbox on an unstarted client (jobs inserted, never worked).
	client, err := notify.NewClient(f.pool, &notify.MemoryMailer{}, slog.New(slog.NewTextHandler(io.Discard, nil)),
		notify.ClientOptions{BaseURL: &url.URL{Scheme: "http", Host: "portal.test"}, Clock: f.clock, TestOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	f.store.Outbox = notify.NewOutbox(client)
	kai := placementtest.Create(t, f.pool, placementtest.Spec{Student: "Kai", Provider: "ridgeway", Start: d(2026, time.November, 2), Days: []int32{1, 2}})
	freya := placementtest.Create(t, f.pool, placementtest.Spec{Student: "Freya", Provider: "capa", Start: d(2026, time.November, 2), Days: []int32{3}})
	if _, err := f.pool.Exec(f.ctx, `UPDATE placements SET objectives = $2 WHERE id = $1`, kai,
		"- Attend every session on time\n\n• Complete the Level 1 engine unit\n"); err != nil {
		t.Fatal(err)
	}
	return f, kai, freya
}

func (f *fixture) userID(email string) int64 {
	f.t.Helper()
	var id int64
	if err := f.pool.QueryRow(f.ctx, `SELECT id FROM users WHERE email = $1`, email).Scan(&id); err != nil {
		f.t.Fatal(err)
	}
	return id
}

func (f *fixture) count(sql string, args ...any) int {
	f.t.Helper()
	var n int
	if err := f.pool.QueryRow(f.ctx, sql, args...).Scan(&n); err != nil {
		f.t.Fatal(err)
	}
	return n
}

func fields(err error) []string {
	var ps input.Problems
	if !errors.As(err, &ps) {
		return nil
	}
	var out []string
	for _, p := range ps {
		out = append(out, p.Field)
	}
	return out
}

func yes() *bool { b := true; return &b }

// A review has a progress box for each of the placement's objectives (one line each, list marks and
// blank lines dropped), or one overall box when none were agreed; its next review date joins the
// placement's review dates; the same form sent twice records one review; the school reads but does
// not record, and another provider cannot touch it.
func TestAProgressReviewRecordsProgressAgainstEachObjective(t *testing.T) {
	f, kai, freya := monitoringFixture(t)
	staff := f.as(ridgewayStaff)
	p, err := f.store.Get(f.ctx, staff, kai)
	if err != nil {
		t.Fatal(err)
	}
	if got := p.ReviewObjectives(); !slices.Equal(got, []string{"Attend every session on time", "Complete the Level 1 engine unit"}) {
		t.Fatalf("objectives %q", got)
	}

	_, _, err = f.store.RecordReview(f.ctx, staff, kai, placement.ReviewInput{Progress: []string{"", ""}})
	if got := fields(err); !slices.Equal(got, []string{"held", "participants", "progress-1", "progress-2"}) {
		t.Fatalf("an empty review: %q (%v)", got, err)
	}
	_, _, err = f.store.RecordReview(f.ctx, staff, kai, placement.ReviewInput{HeldOn: d(2026, time.November, 24), Participants: "x", Progress: []string{"a", "b"}})
	if got := fields(err); !slices.Equal(got, []string{"held"}) {
		t.Fatalf("a review tomorrow: %q", got)
	}
	_, _, err = f.store.RecordReview(f.ctx, staff, kai, placement.ReviewInput{HeldOn: d(2026, time.November, 20), Participants: "x",
		Progress: []string{"a", "b"}, NextReview: d(2026, time.November, 20)})
	if got := fields(err); !slices.Equal(got, []string{"next"}) {
		t.Fatalf("the next review on the same day: %q", got)
	}

	in := placement.ReviewInput{HeldOn: d(2026, time.November, 20), Participants: "Craig Holloway (Ridgeway), Hannah Okafor (Whitmore), Kai",
		Progress: []string{"Present every session; late twice", "Half the unit done"}, Targets: "On time every day", NextReview: d(2026, time.December, 11),
		Token: "review-form-1"}
	v, created, err := f.store.RecordReview(f.ctx, staff, kai, in)
	if err != nil || !created {
		t.Fatalf("record: %v, created %v", err, created)
	}
	if len(v.Progress) != 2 || v.Progress[1] != (placement.ObjectiveProgress{Objective: "Complete the Level 1 engine unit", Progress: "Half the unit done"}) ||
		v.RecordedBy != "Craig Holloway" || v.NextReview != d(2026, time.December, 11) {
		t.Errorf("recorded %+v", v)
	}
	again, created, err := f.store.RecordReview(f.ctx, staff, kai, in)
	if err != nil || created || again.ID != v.ID {
		t.Fatalf("the same form again: %+v, created %v, %v", again, created, err)
	}
	if n := f.count(`SELECT count(*) FROM progress_reviews`); n != 1 {
		t.Errorf("%d reviews after sending the form twice", n)
	}
	if n := f.count(`SELECT count(*) FROM audit_log WHERE action = $1`, placement.ActionReviewed); n != 1 {
		t.Errorf("%d audit rows for one review", n)
	}
	p, _ = f.store.Get(f.ctx, staff, kai)
	if !slices.Contains(p.ReviewDates, d(2026, time.December, 11)) {
		t.Errorf("review dates %v lack the next review", p.ReviewDates)
	}
	if got := p.NextReviewDue(d(2026, time.November, 23)); got != d(2026, time.December, 11) {
		t.Errorf("next review due %s", got)
	}

	// No objectives: one overall box.
	q, _ := f.store.Get(f.ctx, f.as(academyStaff), freya)
	if got := q.ReviewObjectives(); !slices.Equal(got, []string{placement.OverallProgress}) {
		t.Errorf("no objectives: %q", got)
	}
	if _, _, err := f.store.RecordReview(f.ctx, f.as(academyStaff), freya, placement.ReviewInput{HeldOn: d(2026, time.November, 23),
		Participants: "Nathan Ellery", Progress: []string{"Settling in"}}); err != nil {
		t.Errorf("a review of a placement without objectives: %v", err)
	}
	// A monitoring officer and a CAP admin record reviews too; the school does not; another provider
	// does not learn the placement exists.
	for _, who := range []string{monitoring, capAdmin} {
		if _, _, err := f.store.RecordReview(f.ctx, f.as(who), kai, placement.ReviewInput{HeldOn: d(2026, time.November, 23), Participants: "x", Progress: []string{"a", "b"}}); err != nil {
			t.Errorf("%s recording a review: %v", who, err)
		}
	}
	if _, _, err := f.store.RecordReview(f.ctx, f.as(coordinator), kai, in); !errors.Is(err, placement.ErrNotRecorder) {
		t.Errorf("the school recording a review: %v", err)
	}
	if _, _, err := f.store.RecordReview(f.ctx, f.as(academyStaff), kai, in); !errors.Is(err, db.ErrNotFound) {
		t.Errorf("the Academy recording Ridgeway's review: %v", err)
	}
}

// An incident says when it happened (not in the future, not before the placement), what happened,
// the action taken, who was told and its CPOMS reference; recorded once however often it is sent.
func TestABehaviourIncidentIsRecordedOnce(t *testing.T) {
	f, kai, _ := monitoringFixture(t)
	staff := f.as(ridgewayStaff)
	_, _, err := f.store.RecordIncident(f.ctx, staff, kai, placement.IncidentInput{Time: "quarter past"})
	if got := fields(err); !slices.Equal(got, []string{"when", "time", "what", "action"}) {
		t.Fatalf("an empty incident: %q", got)
	}
	_, _, err = f.store.RecordIncident(f.ctx, staff, kai, placement.IncidentInput{Date: d(2026, time.November, 23), Time: "11am", What: "x", ActionTaken: "y"})
	if got := fields(err); !slices.Equal(got, []string{"time"}) {
		t.Fatalf("an incident later today: %q", got)
	}
	_, _, err = f.store.RecordIncident(f.ctx, staff, kai, placement.IncidentInput{Date: d(2026, time.October, 30), Time: "9am", What: "x", ActionTaken: "y",
		CPOMSRef: strings.Repeat("9", placement.MaxCPOMSRef+1)})
	if got := fields(err); !slices.Equal(got, []string{"when", "cpoms"}) {
		t.Fatalf("before the placement, a long reference: %q", got)
	}
	in := placement.IncidentInput{Date: d(2026, time.November, 17), Time: "2.30 pm", What: "Threw a spanner across the workshop",
		ActionTaken: "Removed from the workshop for the afternoon", WhoTold: "Mother by phone; school DSL", CPOMSRef: "CP-48213", Token: "incident-form-1"}
	inc, created, err := f.store.RecordIncident(f.ctx, staff, kai, in)
	if err != nil || !created {
		t.Fatalf("record: %v", err)
	}
	if inc.When() != "17 November 2026 at 2:30pm" || inc.CPOMSRef != "CP-48213" || inc.WhoTold != "Mother by phone; school DSL" {
		t.Errorf("recorded %+v (%s)", inc, inc.When())
	}
	if _, created, err := f.store.RecordIncident(f.ctx, staff, kai, in); err != nil || created {
		t.Fatalf("again: created %v, %v", created, err)
	}
	if n := f.count(`SELECT count(*) FROM behaviour_incidents`); n != 1 {
		t.Errorf("%d incidents after sending twice", n)
	}
	if _, _, err := f.store.RecordIncident(f.ctx, f.as(monitoring), kai, placement.IncidentInput{Date: d(2026, time.November, 18), Time: "10:15", What: "x", ActionTaken: "y"}); err != nil {
		t.Errorf("CAP recording an incident: %v", err)
	}
	if _, _, err := f.store.RecordIncident(f.ctx, f.as(coordinator), kai, in); !errors.Is(err, placement.ErrNotRecorder) {
		t.Errorf("the school recording an incident: %v", err)
	}
	if _, _, err := f.store.RecordIncident(f.ctx, f.as(academyStaff), kai, in); !errors.Is(err, db.ErrNotFound) {
		t.Errorf("another provider recording one: %v", err)
	}
	got, err := f.store.Incident(f.ctx, f.as(coordinator), kai, inc.ID)
	if err != nil || got.ID != inc.ID {
		t.Errorf("the school reading the incident: %+v, %v", got, err)
	}
}

func (f *fixture) meeting(who string, placementID int64, in placement.MeetingInput) (placement.Meeting, error) {
	f.t.Helper()
	m, _, err := f.store.RecordMeeting(f.ctx, f.as(who), placementID, in)
	return m, err
}

// Provider staff complete a meeting's record only when no Monitoring Officer was present, and the
// record says so; they cannot claim a Monitoring Officer completed it. A monitoring officer's record
// is completed by the Monitoring Officer. Neither the school nor a CAP admin records meetings.
func TestAMeetingRecordedByTheProviderSaysNoMonitoringOfficerWasPresent(t *testing.T) {
	f, kai, _ := monitoringFixture(t)
	base := placement.MeetingInput{Kind: placement.AttendanceMeeting, HeldOn: d(2026, time.November, 20),
		Attendees:       placement.Attendees{Provider: "Craig Holloway", School: "Hannah Okafor", Parent: "Tanya Brown (mother)"},
		StudentAttended: yes(), Concerns: "Kai has missed four of the last eight sessions."}

	unsaid := base
	if got := fields(f.mustFail(ridgewayStaff, kai, unsaid)); !slices.Equal(got, []string{"completed_by"}) {
		t.Errorf("provider staff not saying who completed it: %q", got)
	}
	claimed := base
	claimed.CompletedBy, claimed.Attendees.CAP = placement.ByMonitoringOfficer, "Dean Hargreaves"
	if got := fields(f.mustFail(ridgewayStaff, kai, claimed)); !slices.Equal(got, []string{"completed_by"}) {
		t.Errorf("provider staff claiming the Monitoring Officer completed it: %q", got)
	}
	byProvider := base
	byProvider.CompletedBy, byProvider.Attendees.Provider = placement.ByProvider, " "
	if got := fields(f.mustFail(ridgewayStaff, kai, byProvider)); !slices.Equal(got, []string{"provider"}) {
		t.Errorf("completed by the provider, nobody from the provider there: %q", got)
	}
	byProvider.Attendees.Provider = "Craig Holloway"
	m, err := f.meeting(ridgewayStaff, kai, byProvider)
	if err != nil {
		t.Fatal(err)
	}
	if m.CompletedBy != placement.ByProvider || m.Attendees.CAP != "" || !m.Attendees.Student || m.Attendees.Parent != "Tanya Brown (mother)" {
		t.Errorf("recorded %+v", m)
	}
	var stored string
	if err := f.pool.QueryRow(f.ctx, `SELECT completed_by FROM monitoring_meetings WHERE id = $1`, m.ID).Scan(&stored); err != nil || stored != "provider" {
		t.Errorf("completed_by %q, %v", stored, err)
	}
	if !strings.Contains(m.CompletedBy.Label(), "no CAP Monitoring Officer was present") {
		t.Errorf("the record says %q", m.CompletedBy.Label())
	}

	// The monitoring officer completes it as the Monitoring Officer, never as the provider.
	asProvider := base
	asProvider.CompletedBy, asProvider.Attendees.CAP = placement.ByProvider, "Dean Hargreaves"
	if got := fields(f.mustFail(monitoring, kai, asProvider)); !slices.Equal(got, []string{"completed_by"}) {
		t.Errorf("a monitoring officer saying the provider completed it: %q", got)
	}
	byMO := base
	byMO.CompletedBy = placement.CompletedByFor(f.as(monitoring).Principal)
	if got := fields(f.mustFail(monitoring, kai, byMO)); !slices.Equal(got, []string{"cap"}) {
		t.Errorf("completed by the Monitoring Officer, nobody from CAP there: %q", got)
	}
	byMO.Attendees.CAP = "Dean Hargreaves"
	if m, err := f.meeting(monitoring, kai, byMO); err != nil || m.CompletedBy != placement.ByMonitoringOfficer {
		t.Errorf("the monitoring officer's record: %+v, %v", m, err)
	}
	for _, who := range []string{coordinator, capAdmin} {
		if _, err := f.meeting(who, kai, byMO); !errors.Is(err, placement.ErrNotRecorder) {
			t.Errorf("%s recording a meeting: %v", who, err)
		}
	}
	if _, err := f.meeting(academyStaff, kai, byProvider); !errors.Is(err, db.ErrNotFound) {
		t.Errorf("another provider recording a meeting: %v", err)
	}
}

func (f *fixture) mustFail(who string, placementID int64, in placement.MeetingInput) error {
	f.t.Helper()
	_, _, err := f.store.RecordMeeting(f.ctx, f.as(who), placementID, in)
	if err == nil {
		f.t.Fatalf("%s recorded %+v", who, in)
	}
	return err
}

// Each agreed action has an owner chosen from the provider's staff, the school's coordinators and
// CAP's monitoring officers, and a due date on or after the meeting; each owner is told, without the
// student's details; a behaviour meeting can follow one of the placement's incidents; the same form
// sent twice records one meeting.
func TestAMeetingsActionsHaveOwnersAndDueDates(t *testing.T) {
	f, kai, freya := monitoringFixture(t)
	mo := f.as(monitoring)
	owners, err := f.store.ActionOwners(f.ctx, mo, kai)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, o := range owners {
		names = append(names, o.Name)
	}
	if want := []string{"Aisha Rahman", "Craig Holloway", "Beverley Stanton", "Hannah Okafor", "Dean Hargreaves"}; !slices.Equal(names, want) {
		t.Errorf("owners %q, want %q", names, want)
	}
	craig, hannah, nathan := f.userID(ridgewayStaff), f.userID(coordinator), f.userID(academyStaff)
	inc, _, err := f.store.RecordIncident(f.ctx, f.as(ridgewayStaff), kai, placement.IncidentInput{Date: d(2026, time.November, 17), Time: "2pm", What: "x", ActionTaken: "y"})
	if err != nil {
		t.Fatal(err)
	}
	in := placement.MeetingInput{Kind: placement.BehaviourMeeting, IncidentID: inc.ID, HeldOn: d(2026, time.November, 20), CompletedBy: placement.ByMonitoringOfficer,
		Attendees: placement.Attendees{Provider: "Craig Holloway", School: "Hannah Okafor", CAP: "Dean Hargreaves"}, StudentAttended: new(bool),
		Concerns: "The incident of 17 November", NextMeeting: d(2026, time.December, 4), Token: "meeting-form-1",
		Actions: []placement.ActionInput{
			{Row: 1, Action: "Agree a workshop safety contract with Kai", OwnerID: craig, Due: d(2026, time.November, 19)},
			{Row: 2, Action: "", OwnerID: nathan, Due: d(2026, time.November, 27)},
		}}
	if got := fields(f.mustFail(monitoring, kai, in)); !slices.Equal(got, []string{"due-1", "action-2", "owner-2"}) {
		t.Fatalf("a late due date, a blank action, an owner from another provider: %q", got)
	}
	in.Actions = []placement.ActionInput{
		{Row: 1, Action: "Agree a workshop safety contract with Kai", OwnerID: craig, Due: d(2026, time.November, 27)},
		{Row: 2, Action: "Share the contract with home", OwnerID: hannah, Due: d(2026, time.November, 20)},
	}
	m, created, err := f.store.RecordMeeting(f.ctx, mo, kai, in)
	if err != nil || !created {
		t.Fatalf("record: %v", err)
	}
	if m.IncidentID != inc.ID || len(m.Actions) != 2 || m.Actions[0].OwnerName != "Craig Holloway" || m.Actions[1].Due != d(2026, time.November, 20) ||
		m.NextMeeting != d(2026, time.December, 4) || m.Attendees.Student {
		t.Errorf("recorded %+v", m)
	}
	if open, overdue := m.Open(d(2026, time.November, 23)); open != 2 || overdue != 1 {
		t.Errorf("open %d, overdue %d", open, overdue)
	}
	if _, created, err := f.store.RecordMeeting(f.ctx, mo, kai, in); err != nil || created {
		t.Fatalf("the same form again: created %v, %v", created, err)
	}
	if n := f.count(`SELECT count(*) FROM monitoring_meetings`); n != 1 {
		t.Errorf("%d meetings", n)
	}
	if n := f.count(`SELECT count(*) FROM meeting_actions`); n != 2 {
		t.Errorf("%d actions", n)
	}
	// Each owner is told once; the notification names no student.
	rows, err := f.pool.Query(f.ctx, `SELECT user_id, subject || ' ' || body || ' ' || link FROM notifications WHERE kind = 'placement.meeting_action' ORDER BY user_id`)
	if err != nil {
		t.Fatal(err)
	}
	var told []int64
	for rows.Next() {
		var id int64
		var text string
		if err := rows.Scan(&id, &text); err != nil {
			t.Fatal(err)
		}
		told = append(told, id)
		if strings.Contains(text, "Kai") || strings.Contains(text, "Adeyemi") || !strings.Contains(text, placement.MeetingURL(m.ID)) {
			t.Errorf("notification %q", text)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	want := []int64{craig, hannah}
	slices.Sort(want)
	if !slices.Equal(told, want) {
		t.Errorf("told %v, want %v", told, want)
	}
	// The incident shows the meeting it led to.
	if got, _ := f.store.Incident(f.ctx, mo, kai, inc.ID); got.MeetingID != m.ID {
		t.Errorf("incident's meeting %d, want %d", got.MeetingID, m.ID)
	}
	// An incident leads to a behaviour meeting of its own placement only.
	other := in
	other.Token, other.Kind = "", placement.AttendanceMeeting
	if _, err := f.meeting(monitoring, kai, other); !errors.Is(err, placement.ErrIncidentNotFound) {
		t.Errorf("an attendance meeting about an incident: %v", err)
	}
	other.Kind = placement.BehaviourMeeting
	if _, err := f.meeting(monitoring, freya, other); !errors.Is(err, placement.ErrIncidentNotFound) {
		t.Errorf("a meeting about another placement's incident: %v", err)
	}
}

// Only an action's owner marks it done, once.
func TestOwnersMarkTheirActionsDone(t *testing.T) {
	f, kai, _ := monitoringFixture(t)
	craig, hannah := f.userID(ridgewayStaff), f.userID(coordinator)
	in := placement.MeetingInput{Kind: placement.AttendanceMeeting, HeldOn: d(2026, time.November, 16), CompletedBy: placement.ByMonitoringOfficer,
		Attendees: placement.Attendees{CAP: "Dean Hargreaves"}, StudentAttended: yes(), Concerns: "Absences",
		Actions: []placement.ActionInput{
			{Row: 1, Action: "Overdue one", OwnerID: craig, Due: d(2026, time.November, 20)},
			{Row: 2, Action: "Due this week", OwnerID: craig, Due: d(2026, time.November, 30)},
			{Row: 3, Action: "Due next month", OwnerID: craig, Due: d(2026, time.December, 14)},
			{Row: 4, Action: "The school's", OwnerID: hannah, Due: d(2026, time.November, 24)},
		}}
	m, err := f.meeting(monitoring, kai, in)
	if err != nil {
		t.Fatal(err)
	}
	first := m.Actions[0].ID
	if _, err := f.store.MarkActionDone(f.ctx, f.as(coordinator), first); !errors.Is(err, placement.ErrNotOwner) {
		t.Errorf("someone else marking it done: %v", err)
	}
	if _, err := f.store.MarkActionDone(f.ctx, f.as(academyStaff), first); !errors.Is(err, db.ErrNotFound) {
		t.Errorf("another provider marking it done: %v", err)
	}
	f.clock.Advance(time.Hour)
	done, err := f.store.MarkActionDone(f.ctx, f.as(ridgewayStaff), first)
	if err != nil || !done.Done() || done.DoneBy != "Craig Holloway" || !done.DoneAt.Equal(f.clock.Now()) {
		t.Fatalf("done: %+v, %v", done, err)
	}
	f.clock.Advance(time.Hour)
	again, err := f.store.MarkActionDone(f.ctx, f.as(ridgewayStaff), first)
	if err != nil || !again.DoneAt.Equal(done.DoneAt) {
		t.Errorf("marking it done again: %+v, %v", again, err)
	}
	if n := f.count(`SELECT count(*) FROM audit_log WHERE action = $1`, placement.ActionMeetingActionDo); n != 1 {
		t.Errorf("%d audit rows for marking one action done twice", n)
	}
}

// Another provider never sees a placement's reviews, incidents, meetings or their summary, and the
// school sees only its own students'; viewing them is recorded.
func TestAnotherProviderNeverSeesThePlacementsMonitoring(t *testing.T) {
	f, kai, _ := monitoringFixture(t)
	if _, _, err := f.store.RecordReview(f.ctx, f.as(ridgewayStaff), kai, placement.ReviewInput{HeldOn: d(2026, time.November, 20), Participants: "x", Progress: []string{"a", "b"}}); err != nil {
		t.Fatal(err)
	}
	inc, _, err := f.store.RecordIncident(f.ctx, f.as(ridgewayStaff), kai, placement.IncidentInput{Date: d(2026, time.November, 17), Time: "2pm", What: "x", ActionTaken: "y"})
	if err != nil {
		t.Fatal(err)
	}
	m, err := f.meeting(ridgewayStaff, kai, placement.MeetingInput{Kind: placement.AttendanceMeeting, HeldOn: d(2026, time.November, 20), CompletedBy: placement.ByProvider,
		Attendees: placement.Attendees{Provider: "Craig"}, StudentAttended: yes(), Concerns: "c",
		Actions: []placement.ActionInput{{Row: 1, Action: "a", OwnerID: f.userID(ridgewayTutor), Due: d(2026, time.November, 27)}}})
	if err != nil {
		t.Fatal(err)
	}
	for _, who := range []string{academyStaff, canleyCoordinator, "panel@cap.example"} {
		a := f.as(who)
		if _, err := f.store.Monitoring(f.ctx, a, kai); !errors.Is(err, db.ErrNotFound) {
			t.Errorf("%s: monitoring %v", who, err)
		}
		if _, _, err := f.store.ViewMeeting(f.ctx, a, m.ID); !errors.Is(err, db.ErrNotFound) {
			t.Errorf("%s: meeting %v", who, err)
		}
		if _, err := f.store.Incident(f.ctx, a, kai, inc.ID); !errors.Is(err, db.ErrNotFound) {
			t.Errorf("%s: incident %v", who, err)
		}
		if _, err := f.store.ActionOwners(f.ctx, a, kai); !errors.Is(err, db.ErrNotFound) {
			t.Errorf("%s: owners %v", who, err)
		}
		p, _ := f.store.Get(f.ctx, f.as(monitoring), kai)
		if _, err := f.store.Summary(f.ctx, a, p, d(2026, time.November, 23)); !errors.Is(err, db.ErrNotFound) {
			t.Errorf("%s: summary %v", who, err)
		}
	}
	before := f.count(`SELECT count(*) FROM audit_log WHERE action = $1`, placement.ActionViewed)
	for _, who := range []string{coordinator, ridgewayStaff, monitoring} {
		mon, err := f.store.Monitoring(f.ctx, f.as(who), kai)
		if err != nil || len(mon.Reviews) != 1 || len(mon.Incidents) != 1 || len(mon.Meetings) != 1 || len(mon.Meetings[0].Actions) != 1 {
			t.Errorf("%s: %+v, %v", who, mon, err)
		}
		if _, _, err := f.store.ViewMeeting(f.ctx, f.as(who), m.ID); err != nil {
			t.Errorf("%s: meeting %v", who, err)
		}
	}
	if after := f.count(`SELECT count(*) FROM audit_log WHERE action = $1`, placement.ActionViewed); after-before != 6 {
		t.Errorf("%d views recorded, want 6", after-before)
	}
	p, _ := f.store.Get(f.ctx, f.as(coordinator), kai)
	sum, err := f.store.Summary(f.ctx, f.as(coordinator), p, d(2026, time.November, 23))
	if err != nil || sum.LatestReview == nil || sum.Incidents != 1 || sum.Meetings != 1 || len(sum.OpenMeetings) != 1 || sum.OpenMeetings[0].Open != 1 {
		t.Errorf("summary %+v, %v", sum, err)
	}
}
