package placement_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/notify"
	"github.com/coventry-cap/capportal/internal/placement"
	"github.com/coventry-cap/capportal/internal/placement/placementtest"
)

// withAlerts gives the fixture's store an outbox on an unstarted River client, and the alerts that
// client's workers send: the tests run the workers' Work themselves, twice where it matters.
func (f *fixture) withAlerts() *placement.Alerts {
	f.t.Helper()
	al := &placement.Alerts{DB: f.pool, Clock: f.clock, Logger: slog.New(slog.DiscardHandler)}
	client, err := notify.NewClient(f.pool, &notify.MemoryMailer{}, al.Logger, notify.ClientOptions{
		BaseURL: &url.URL{Scheme: "https", Host: "cap.example"}, TestOnly: true,
		AddWorkers: []func(*river.Workers) error{al.AddWorkers}, PeriodicJobs: al.PeriodicJobs(),
	})
	if err != nil {
		f.t.Fatal(err)
	}
	al.Outbox = notify.NewOutbox(client)
	f.store.Outbox = al.Outbox
	return al
}

// absenceJobs are the mark IDs of the absence alert jobs queued, in order.
func (f *fixture) absenceJobs() []int64 {
	f.t.Helper()
	rows, err := f.pool.Query(f.ctx, `SELECT (args->>'mark_id')::bigint FROM river_job WHERE kind = $1 ORDER BY id`, placement.AbsenceAlertJobKind)
	if err != nil {
		f.t.Fatal(err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		f.t.Fatal(err)
	}
	return ids
}

// workAbsenceJobs runs the worker on every queued absence alert job.
func (f *fixture) workAbsenceJobs(al *placement.Alerts) {
	f.t.Helper()
	w := &placement.AbsenceAlertWorker{Alerts: al}
	for _, id := range f.absenceJobs() {
		if err := w.Work(f.ctx, &river.Job[placement.AbsenceAlertArgs]{JobRow: &rivertype.JobRow{ID: 1}, Args: placement.AbsenceAlertArgs{MarkID: id}}); err != nil {
			f.t.Fatalf("work absence alert of mark %d: %v", id, err)
		}
	}
}

type sent struct {
	to      string
	subject string
	body    string
	link    string
}

// notified are the notifications of a kind, with their recipients' emails, by link then recipient.
func (f *fixture) notified(kind string) []sent {
	f.t.Helper()
	rows, err := f.pool.Query(f.ctx, `SELECT u.email, n.subject, n.body, n.link FROM notifications n JOIN users u ON u.id = n.user_id
		WHERE n.kind = $1 ORDER BY n.link, u.email`, kind)
	if err != nil {
		f.t.Fatal(err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (sent, error) {
		var s sent
		return s, r.Scan(&s.to, &s.subject, &s.body, &s.link)
	})
	if err != nil {
		f.t.Fatal(err)
	}
	return out
}

func recipients(list []sent, link string) []string {
	var out []string
	for _, s := range list {
		if s.link == link {
			out = append(out, s.to)
		}
	}
	return out
}

// studentDetails are every way the demo names or identifies its students: names and UPNs.
func (f *fixture) studentDetails() []string {
	f.t.Helper()
	rows, err := f.pool.Query(f.ctx, `SELECT legal_first_name, legal_last_name, coalesce(preferred_first_name, ''), upn FROM students`)
	if err != nil {
		f.t.Fatal(err)
	}
	var out []string
	for rows.Next() {
		var first, last, preferred, upn string
		if err := rows.Scan(&first, &last, &preferred, &upn); err != nil {
			f.t.Fatal(err)
		}
		for _, s := range []string{first, last, preferred, upn} {
			if len(s) > 2 {
				out = append(out, s)
			}
		}
	}
	if rows.Err() != nil || len(out) < 10 {
		f.t.Fatalf("student details: %d, %v", len(out), rows.Err())
	}
	return out
}

// noStudentIn fails when an alert's subject or email body carries a student's name or UPN.
func (f *fixture) noStudentIn(list []sent) {
	f.t.Helper()
	details := f.studentDetails()
	for _, s := range list {
		email := notify.ComposeEmail(s.to, notify.Notification{Subject: s.subject, Body: s.body, Link: s.link}, &url.URL{Scheme: "https", Host: "cap.example"})
		for _, d := range details {
			if strings.Contains(email.Subject, d) || strings.Contains(email.Body, d) {
				f.t.Errorf("the alert to %s carries the student detail %q: %q / %q", s.to, d, s.subject, s.body)
			}
		}
	}
}

func (f *fixture) addOfficer(email string) int64 {
	f.t.Helper()
	var id int64
	if err := f.pool.QueryRow(f.ctx, `INSERT INTO users (email, name, password_hash, active) VALUES ($1, 'Second Officer', 'x', true) RETURNING id`, email).Scan(&id); err != nil {
		f.t.Fatal(err)
	}
	if _, err := f.pool.Exec(f.ctx, `INSERT INTO memberships (user_id, organisation_id, role)
		SELECT $1, id, 'monitoring_officer' FROM organisations WHERE kind = 'la'`, id); err != nil {
		f.t.Fatal(err)
	}
	return id
}

// A morning register at Ridgeway with two unexplained absences, Kai's (Whitmore, no monitoring officer
// of his own) and Freya's (Canley Brook, followed by a second officer): each alerts its own school's
// coordinators and its monitoring officer (every officer when none is set), never the other school,
// not the person who took the register, once however often the job runs, and without the student's
// name or UPN.
func TestAnUnexplainedAbsenceAlertsTheSchoolAndTheMonitoringOfficerOnce(t *testing.T) {
	f := newFixture(t, time.Date(2026, time.November, 23, 9, 20, 0, 0, calendar.London()))
	al := f.withAlerts()
	kai := placementtest.Create(t, f.pool, placementtest.Spec{Student: "Kai", Provider: "ridgeway", Start: d(2026, time.November, 2), Days: []int32{1}})
	freya := placementtest.Create(t, f.pool, placementtest.Spec{Student: "Freya", Provider: "ridgeway", Start: d(2026, time.November, 2), Days: []int32{1}})
	amelia := placementtest.Create(t, f.pool, placementtest.Spec{Student: "Amelia", Provider: "ridgeway", Start: d(2026, time.November, 2), Days: []int32{1}})
	second := f.addOfficer("second.officer@cap.example")
	if _, err := f.pool.Exec(f.ctx, `UPDATE placements SET monitoring_officer_id = $2 WHERE id = $1`, freya, second); err != nil {
		t.Fatal(err)
	}
	_, err := f.store.TakeRegister(f.ctx, f.as(ridgewayStaff), f.providerID("ridgeway"), d(2026, time.November, 23), placement.Morning, []placement.MarkInput{
		{PlacementID: kai, Status: placement.Absent, Reason: placement.Unauthorised},
		{PlacementID: freya, Status: placement.Absent, Reason: placement.Unauthorised},
		{PlacementID: amelia, Status: placement.Absent, Reason: placement.Illness},
	})
	if err != nil {
		t.Fatal(err)
	}
	if jobs := f.absenceJobs(); len(jobs) != 2 {
		t.Fatalf("%d absence alert jobs queued with the register, want 2 (illness is not unexplained)", len(jobs))
	}
	// Nothing is sent until the job runs; then running it twice sends each alert once.
	if got := f.notified(placement.KindAbsenceUnexplained); len(got) != 0 {
		t.Fatalf("alerts before the job ran: %v", got)
	}
	f.workAbsenceJobs(al)
	f.workAbsenceJobs(al)

	got := f.notified(placement.KindAbsenceUnexplained)
	if want := []string{"coordinator@whitmore.school.example", "monitoring@cap.example", "second.officer@cap.example"}; !slices.Equal(recipients(got, placement.PlacementPath(kai)), want) {
		t.Errorf("Kai's absence told %v, want %v", recipients(got, placement.PlacementPath(kai)), want)
	}
	if want := []string{"coordinator@canleybrook.school.example", "second.officer@cap.example"}; !slices.Equal(recipients(got, placement.PlacementPath(freya)), want) {
		t.Errorf("Freya's absence told %v, want %v", recipients(got, placement.PlacementPath(freya)), want)
	}
	if len(got) != 5 {
		t.Errorf("%d alerts, want 5: %v", len(got), got)
	}
	for _, s := range got {
		if s.subject != "An unexplained absence at Ridgeway Motor Skills this morning" || !strings.Contains(s.body, "Open the link") {
			t.Errorf("alert %q / %q", s.subject, s.body)
		}
	}
	f.noStudentIn(got)
	// Each alert is an email too.
	var emails int
	if err := f.pool.QueryRow(f.ctx, `SELECT count(*) FROM river_job WHERE kind = $1`, notify.EmailJobKind).Scan(&emails); err != nil || emails != 5 {
		t.Errorf("%d email jobs, want 5 (%v)", emails, err)
	}
	var recorded int
	if err := f.pool.QueryRow(f.ctx, `SELECT count(*) FROM monitoring_alerts WHERE kind = 'absence'`).Scan(&recorded); err != nil || recorded != 2 {
		t.Errorf("%d absence alerts recorded, want 2 (%v)", recorded, err)
	}
}

// A correction that turns a mark into an unexplained absence alerts, once for the mark however often
// it is corrected; an absence corrected to a known reason before its job runs alerts nobody.
func TestACorrectionToAnUnexplainedAbsenceAlertsOnce(t *testing.T) {
	f := newFixture(t, time.Date(2026, time.November, 23, 9, 20, 0, 0, calendar.London()))
	al := f.withAlerts()
	kai := placementtest.Create(t, f.pool, placementtest.Spec{Student: "Kai", Provider: "ridgeway", Start: d(2026, time.November, 2), Days: []int32{1}})
	tyler := placementtest.Create(t, f.pool, placementtest.Spec{Student: "Tyler", Provider: "ridgeway", Start: d(2026, time.November, 2), Days: []int32{1}})
	staff := f.as(ridgewayStaff)
	taken, err := f.store.TakeRegister(f.ctx, staff, f.providerID("ridgeway"), d(2026, time.November, 23), placement.Morning, []placement.MarkInput{
		{PlacementID: kai, Status: placement.Present}, {PlacementID: tyler, Status: placement.Absent, Reason: placement.Unauthorised}})
	if err != nil {
		t.Fatal(err)
	}
	markOf := map[int64]int64{}
	for _, m := range taken.New {
		markOf[m.PlacementID] = m.ID
	}
	// Tyler's mother rings before the alert goes: corrected to illness, his alert is not sent.
	if _, err := f.store.Correct(f.ctx, staff, markOf[tyler], placement.MarkInput{Status: placement.Absent, Reason: placement.Illness}, "His mother rang"); err != nil {
		t.Fatal(err)
	}
	f.workAbsenceJobs(al)
	if got := f.notified(placement.KindAbsenceUnexplained); len(got) != 0 {
		t.Fatalf("an absence corrected to illness alerted %v", got)
	}
	// Kai was marked present by mistake: he is not there.
	f.clock.Advance(30 * time.Minute)
	if _, err := f.store.Correct(f.ctx, staff, markOf[kai], placement.MarkInput{Status: placement.Absent, Reason: placement.Unauthorised}, "Marked present in error"); err != nil {
		t.Fatal(err)
	}
	f.workAbsenceJobs(al)
	got := f.notified(placement.KindAbsenceUnexplained)
	if want := []string{"coordinator@whitmore.school.example", "monitoring@cap.example"}; !slices.Equal(recipients(got, placement.PlacementPath(kai)), want) || len(got) != 2 {
		t.Fatalf("the correction alerted %v, want %v", got, want)
	}
	// Corrected away and back again: still one alert for the mark.
	if _, err := f.store.Correct(f.ctx, staff, markOf[kai], placement.MarkInput{Status: placement.Absent, Reason: placement.Medical}, "Dentist"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.store.Correct(f.ctx, staff, markOf[kai], placement.MarkInput{Status: placement.Absent, Reason: placement.Unauthorised}, "No dentist appointment after all"); err != nil {
		t.Fatal(err)
	}
	f.workAbsenceJobs(al)
	if got := f.notified(placement.KindAbsenceUnexplained); len(got) != 2 {
		t.Errorf("%d alerts after correcting again, want still 2", len(got))
	}
}

// raise runs the monitoring job's Work at the given London time, twice.
func (f *fixture) raise(al *placement.Alerts, at time.Time) {
	f.t.Helper()
	f.clock.Set(at)
	w := &placement.MonitoringWorker{Alerts: al}
	for range 2 {
		if err := w.Work(context.Background(), &river.Job[placement.MonitoringArgs]{JobRow: &rivertype.JobRow{ID: 1}}); err != nil {
			f.t.Fatal(err)
		}
	}
}

func london(y int, m time.Month, day, h, min int) time.Time {
	return time.Date(y, m, day, h, min, 0, 0, calendar.London())
}

// A register not taken by its session's cut-off alerts the provider's staff and CAP's monitoring
// officers, once: nothing before 10:00, the morning's at 10:00, the afternoon's only after 14:00,
// nothing for a provider whose register was taken or who expects nobody, and nothing on a bank holiday
// or in half term.
func TestARegisterNotTakenByTheCutOffAlertsTheProviderAndCAPOnce(t *testing.T) {
	f := newFixture(t, london(2026, time.November, 23, 9, 0))
	al := f.withAlerts()
	// Kai at Ridgeway on Mondays and Tuesdays all day, with no planned end so he is expected in May;
	// Amelia at Ridgeway on Mondays; Tyler at Lumen on Monday mornings; JJ at the Academy on Refocus,
	// Tuesday to Friday (Mondays at the home school).
	kai := placementtest.Create(t, f.pool, placementtest.Spec{Student: "Kai", Provider: "ridgeway", Start: d(2026, time.October, 5), Days: []int32{1, 2}})
	placementtest.Create(t, f.pool, placementtest.Spec{Student: "Amelia", Provider: "ridgeway", Start: d(2026, time.November, 2), Days: []int32{1}})
	tyler := placementtest.Create(t, f.pool, placementtest.Spec{Student: "Tyler", Provider: "lumen", Start: d(2026, time.November, 2), Days: []int32{1}, Sessions: []string{"am"}})
	placementtest.Create(t, f.pool, placementtest.Spec{Student: "Jayden", Provider: "capa", Programme: "capa-refocus", Start: d(2026, time.November, 9), Days: []int32{2, 3, 4, 5}})
	if _, err := f.pool.Exec(f.ctx, `UPDATE placements SET planned_end_date = NULL WHERE id = $1`, kai); err != nil {
		t.Fatal(err)
	}
	ridgeway, lumen := f.providerID("ridgeway"), f.providerID("lumen")
	if _, err := f.store.TakeRegister(f.ctx, f.as("staff@lumen.provider.example"), lumen, d(2026, time.November, 23), placement.Morning,
		[]placement.MarkInput{{PlacementID: tyler, Status: placement.Present}}); err != nil {
		t.Fatal(err)
	}
	missing := func() []sent { return f.notified(placement.KindRegisterMissing) }

	f.raise(al, london(2026, time.November, 23, 9, 59))
	if got := missing(); len(got) != 0 {
		t.Fatalf("alerts before the cut-off: %v", got)
	}
	f.raise(al, london(2026, time.November, 23, 10, 0))
	am := placement.RegisterPath(ridgeway, d(2026, time.November, 23), placement.Morning)
	got := missing()
	if want := []string{"monitoring@cap.example", "staff@ridgeway.provider.example", "tutor@ridgeway.provider.example"}; !slices.Equal(recipients(got, am), want) || len(got) != 3 {
		t.Fatalf("at 10:00 the alerts went to %v, want %v for the morning at Ridgeway only", got, want)
	}
	for _, s := range got {
		if s.subject != "The morning register at Ridgeway Motor Skills has not been taken" ||
			!strings.HasPrefix(s.body, "2 learners were expected at Ridgeway Motor Skills this morning (Monday 23 November 2026)") ||
			!strings.Contains(s.body, "by 10:00") {
			t.Errorf("alert %q / %q", s.subject, s.body)
		}
	}
	f.noStudentIn(got)

	f.raise(al, london(2026, time.November, 23, 13, 59))
	if got := missing(); len(got) != 3 {
		t.Fatalf("%d alerts before the afternoon's cut-off, want still 3", len(got))
	}
	f.raise(al, london(2026, time.November, 23, 14, 5))
	pm := placement.RegisterPath(ridgeway, d(2026, time.November, 23), placement.Afternoon)
	if got := missing(); len(recipients(got, pm)) != 3 || len(got) != 6 {
		t.Fatalf("after 14:00: %v, want the afternoon at Ridgeway alerted once to 3 people", got)
	}

	// Closed days: half term (Tuesday 27 October) and the early May bank holiday (Monday 3 May 2027).
	for _, at := range []time.Time{london(2026, time.October, 27, 15, 0), london(2027, time.May, 3, 15, 0)} {
		f.raise(al, at)
		if got := missing(); len(got) != 6 {
			t.Errorf("%s: %d alerts, want none more on a closed day", at.Format(time.DateOnly), len(got)-6)
		}
	}
	// The Tuesday after the bank holiday is an ordinary day: Kai is expected and his registers alerted.
	f.raise(al, london(2027, time.May, 4, 15, 0))
	if got := missing(); len(got) != 12 {
		t.Errorf("on 4 May 2027: %d alerts in all, want 12 (both sessions at Ridgeway)", len(got))
	}
}

// A review date passed with no progress review held for it (from a week before) alerts the provider's
// staff and the placement's monitoring officer, once for that date.
func TestAnOverdueReviewAlertsTheProviderAndTheMonitoringOfficerOnce(t *testing.T) {
	f := newFixture(t, london(2026, time.November, 23, 8, 0))
	al := f.withAlerts()
	// Each started on 5 October: the first review is due on Friday 23 October, the last school day
	// before half term.
	start := d(2026, time.October, 5)
	none := placementtest.Create(t, f.pool, placementtest.Spec{Student: "Kai", Provider: "ridgeway", Start: start, Days: []int32{3}})
	early := placementtest.Create(t, f.pool, placementtest.Spec{Student: "Tyler", Provider: "ridgeway", Start: start, Days: []int32{3}})
	inWeek := placementtest.Create(t, f.pool, placementtest.Spec{Student: "Amelia", Provider: "ridgeway", Start: start, Days: []int32{3}})
	late := placementtest.Create(t, f.pool, placementtest.Spec{Student: "Freya", Provider: "lumen", Start: start, Days: []int32{3}})
	var adminID int64
	if err := f.pool.QueryRow(f.ctx, `SELECT id FROM users WHERE email = 'admin@cap.example'`).Scan(&adminID); err != nil {
		t.Fatal(err)
	}
	for id, held := range map[int64]calendar.Date{early: d(2026, time.October, 15), inWeek: d(2026, time.October, 19), late: d(2026, time.November, 4)} {
		if _, err := f.pool.Exec(f.ctx, `INSERT INTO progress_reviews (placement_id, held_on, participants, recorded_at, recorded_by)
			VALUES ($1, $2, 'Provider, school', now(), $3)`, id, held, adminID); err != nil {
			t.Fatal(err)
		}
	}
	var due calendar.Date
	if err := f.pool.QueryRow(f.ctx, `SELECT min(due_on) FROM placement_review_dates WHERE placement_id = $1`, none).Scan(&due); err != nil || due != d(2026, time.October, 23) {
		t.Fatalf("first review date %s, %v", due, err)
	}
	f.raise(al, london(2026, time.November, 23, 8, 0))
	got := f.notified(placement.KindReviewOverdue)
	want := []string{"monitoring@cap.example", "staff@ridgeway.provider.example", "tutor@ridgeway.provider.example"}
	if !slices.Equal(recipients(got, placement.PlacementPath(none)), want) || !slices.Equal(recipients(got, placement.PlacementPath(early)), want) || len(got) != 6 {
		t.Fatalf("overdue reviews alerted %v: want Kai's and Tyler's (a review held more than a week early does not count), each to %v", got, want)
	}
	for _, s := range got {
		if s.subject != "A progress review is overdue at Ridgeway Motor Skills" || !strings.Contains(s.body, "was due on Friday 23 October 2026") {
			t.Errorf("alert %q / %q", s.subject, s.body)
		}
	}
	f.noStudentIn(got)
	// The next run, the next day: nothing new.
	f.raise(al, london(2026, time.November, 24, 8, 0))
	if n := len(f.notified(placement.KindReviewOverdue)); n != 6 {
		t.Errorf("%d overdue alerts after running again, want still 6", n)
	}
}

// The dashboard reads the open review dates (migration 0027's flag, kept by triggers); the rule is
// the alerts' own query over every running placement's dates. Through a review held, moved, held
// too early and removed, and a placement ended, the two must agree at every step.
func TestTheOpenReviewDatesFollowTheReviewsAndThePlacement(t *testing.T) {
	f := newFixture(t, london(2026, time.November, 23, 8, 0))
	var early int
	if err := f.pool.QueryRow(f.ctx, `SELECT placement_review_early_days()`).Scan(&early); err != nil || early != placement.ReviewEarlyDays {
		t.Fatalf("the database counts a review held %d days early (%v); placement.ReviewEarlyDays is %d", early, err, placement.ReviewEarlyDays)
	}
	start := d(2026, time.October, 5)
	kai := placementtest.Create(t, f.pool, placementtest.Spec{Student: "Kai", Provider: "ridgeway", Start: start, Days: []int32{3}})
	freya := placementtest.Create(t, f.pool, placementtest.Spec{Student: "Freya", Provider: "lumen", Start: start, Days: []int32{3}})
	var adminID int64
	if err := f.pool.QueryRow(f.ctx, `SELECT id FROM users WHERE email = 'admin@cap.example'`).Scan(&adminID); err != nil {
		t.Fatal(err)
	}
	monitoring := "monitoring@cap.example"
	today := d(2026, time.November, 23)
	// The rule, written out here from its definition rather than read from the flag.
	rule := func() []string {
		rows, err := f.pool.Query(f.ctx, `SELECT d.placement_id || ' ' || d.due_on FROM placement_review_dates d
			JOIN placements p ON p.id = d.placement_id
			WHERE p.status = 'active' AND d.due_on < $1 AND d.due_on >= p.start_date
			  AND NOT EXISTS (SELECT 1 FROM progress_reviews r WHERE r.placement_id = d.placement_id AND r.held_on >= d.due_on - $2::int)
			ORDER BY 1`, today, placement.ReviewEarlyDays)
		if err != nil {
			t.Fatal(err)
		}
		out, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	check := func(step string, want ...int64) {
		t.Helper()
		w, err := f.store.Watch(f.ctx, f.as(monitoring), placement.WatchFor{OverdueReviews: true})
		if err != nil {
			t.Fatal(err)
		}
		var shown, ids []string
		for _, r := range w.OverdueReviews {
			shown = append(shown, fmt.Sprintf("%d %s", r.PlacementID, r.DueOn))
			if id := fmt.Sprint(r.PlacementID); !slices.Contains(ids, id) {
				ids = append(ids, id)
			}
		}
		var wantIDs []string
		for _, id := range want {
			wantIDs = append(wantIDs, fmt.Sprint(id))
		}
		slices.Sort(shown)
		slices.Sort(ids)
		slices.Sort(wantIDs)
		if ruled := rule(); !slices.Equal(shown, ruled) || !slices.Equal(ids, wantIDs) || w.OverdueReviewCount != len(shown) {
			t.Errorf("%s: the dashboard shows %v (count %d), the rule gives %v, want placements %v", step, shown, w.OverdueReviewCount, ruled, wantIDs)
		}
	}
	check("nothing held", kai, freya)
	var review int64
	if err := f.pool.QueryRow(f.ctx, `INSERT INTO progress_reviews (placement_id, held_on, participants, recorded_at, recorded_by)
		VALUES ($1, '2026-10-20', 'Provider, school', now(), $2) RETURNING id`, kai, adminID).Scan(&review); err != nil {
		t.Fatal(err)
	}
	check("Kai's held in the week before", freya)
	if _, err := f.pool.Exec(f.ctx, `UPDATE progress_reviews SET held_on = '2026-10-12' WHERE id = $1`, review); err != nil {
		t.Fatal(err)
	}
	check("Kai's corrected to more than a week early", kai, freya)
	if _, err := f.pool.Exec(f.ctx, `UPDATE progress_reviews SET held_on = '2026-10-23' WHERE id = $1`, review); err != nil {
		t.Fatal(err)
	}
	check("Kai's corrected to the day", freya)
	if _, err := f.pool.Exec(f.ctx, `DELETE FROM progress_reviews WHERE id = $1`, review); err != nil {
		t.Fatal(err)
	}
	check("Kai's removed", kai, freya)
	if _, err := f.pool.Exec(f.ctx, `UPDATE placements SET status = 'ended', ended_on = '2026-11-20' WHERE id = $1`, freya); err != nil {
		t.Fatal(err)
	}
	check("Freya's placement ended", kai)
	if _, err := f.pool.Exec(f.ctx, `UPDATE placements SET status = 'active', ended_on = NULL WHERE id = $1`, freya); err != nil {
		t.Fatal(err)
	}
	check("Freya's placement running again", kai, freya)
	if _, err := f.pool.Exec(f.ctx, `DELETE FROM placement_review_dates WHERE placement_id = $1`, kai); err != nil {
		t.Fatal(err)
	}
	if _, err := f.pool.Exec(f.ctx, `INSERT INTO placement_review_dates (placement_id, due_on) VALUES ($1, '2026-11-06')`, kai); err != nil {
		t.Fatal(err)
	}
	check("Kai's dates set again", kai, freya)
}

// A run of the monitoring job with nothing new to say costs the same however many registers it
// alerted on earlier runs: what was alerted is left out in one statement, not looked at again one
// transaction at a time (every five minutes, on a day with hundreds of registers missing).
func TestARunWithNothingNewDoesNotRevisitEachAlert(t *testing.T) {
	f := newFixture(t, london(2026, time.November, 23, 9, 0))
	al := f.withAlerts()
	at := london(2026, time.November, 23, 14, 5) // both sessions' cut-offs passed
	rerun := func() int {
		t.Helper()
		var n int
		counted := *al
		counted.DB = counting{DBTX: f.pool, n: &n}
		if _, err := counted.RaiseDue(f.ctx); err != nil {
			t.Fatal(err)
		}
		return n
	}
	placementtest.Create(t, f.pool, placementtest.Spec{Student: "Kai", Provider: "ridgeway", Start: d(2026, time.November, 2), Days: []int32{1}})
	f.raise(al, at)
	few := len(f.notified(placement.KindRegisterMissing))
	before := rerun()
	placementtest.Create(t, f.pool, placementtest.Spec{Student: "Tyler", Provider: "lumen", Start: d(2026, time.November, 2), Days: []int32{1}})
	placementtest.Create(t, f.pool, placementtest.Spec{Student: "Jayden", Provider: "capa", Programme: "capa-refocus", Start: d(2026, time.November, 9), Days: []int32{1, 2, 3, 4, 5}})
	f.raise(al, at)
	if more := len(f.notified(placement.KindRegisterMissing)); more <= few {
		t.Fatalf("the new learners' missing registers were not alerted (%d alerts, then %d)", few, more)
	}
	if after := rerun(); after != before {
		t.Errorf("a run with nothing new ran %d statements after more registers were alerted, %d before", after, before)
	}
}
