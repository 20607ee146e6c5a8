package placement

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"

	"github.com/coventry-cap/capportal/internal/auth"
	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/db"
	"github.com/coventry-cap/capportal/internal/notify"
)

// The same-day monitoring alerts. Each is sent once: the monitoring_alerts row for what it is about
// (a mark, a register, a review date) is written in the same transaction as the notifications, so a
// job that runs twice, or two jobs at once, alert once.

// Kinds of monitoring_alerts row.
const (
	alertAbsence         = "absence"
	alertRegisterMissing = "register_missing"
	alertReviewOverdue   = "review_overdue"
)

// Notification kinds of the alerts.
const (
	KindAbsenceUnexplained = "placement.absence_unexplained"
	KindRegisterMissing    = "placement.register_missing"
	KindReviewOverdue      = "placement.review_overdue"
)

// MonitoringInterval is how often the periodic job looks for missing registers and overdue reviews.
const MonitoringInterval = 5 * time.Minute

// ReviewEarlyDays is how many days before its due date a progress review may be held and still count
// for that date: a review the week before the end of a half term is that half term's review. A review
// held on or after the due date (late) counts too.
const ReviewEarlyDays = 7

// PlacementPath is the placement's page, where the people alerted act.
func PlacementPath(id int64) string { return "/placements/" + strconv.FormatInt(id, 10) }

// RegisterPath is the page of a provider's register for a day and session.
func RegisterPath(providerID int64, day calendar.Date, s Session) string {
	return "/registers/" + strconv.FormatInt(providerID, 10) + "/" + day.String() + "/" + string(s)
}

// AbsenceAlertArgs is the River job that alerts an unexplained absence: queued by TakeRegister and
// Correct in their own transaction. It carries only the mark's ID, so River's table holds no personal
// data.
type AbsenceAlertArgs struct {
	MarkID int64 `json:"mark_id"`
}

// AbsenceAlertJobKind is the River kind of the absence alert.
const AbsenceAlertJobKind = "placement_absence_alert"

// Kind names the job in River's table.
func (AbsenceAlertArgs) Kind() string { return AbsenceAlertJobKind }

// InsertOpts retries for about a day, as the email jobs do.
func (AbsenceAlertArgs) InsertOpts() river.InsertOpts { return river.InsertOpts{MaxAttempts: 10} }

// MonitoringArgs is the periodic River job that alerts registers not taken by their cut-off and
// progress reviews overdue.
type MonitoringArgs struct{}

// MonitoringJobKind is the River kind of the periodic monitoring job.
const MonitoringJobKind = "placement_monitoring"

// Kind names the job in River's table.
func (MonitoringArgs) Kind() string { return MonitoringJobKind }

// Alerts sends the monitoring alerts. It is built before the River client that works its jobs (the
// client needs its workers), so Outbox is set once the client exists.
type Alerts struct {
	DB      db.DBTX // the pool
	Clock   calendar.Clock
	Outbox  *notify.Outbox
	Cutoffs Cutoffs // DefaultCutoffs when zero
	Logger  *slog.Logger
}

// AddWorkers registers the alert workers with River.
func (al *Alerts) AddWorkers(ws *river.Workers) error {
	if err := river.AddWorkerSafely(ws, &AbsenceAlertWorker{Alerts: al}); err != nil {
		return fmt.Errorf("register absence alert worker: %w", err)
	}
	if err := river.AddWorkerSafely(ws, &MonitoringWorker{Alerts: al}); err != nil {
		return fmt.Errorf("register monitoring worker: %w", err)
	}
	return nil
}

// PeriodicJobs is the monitoring job, every MonitoringInterval and once when the client starts.
func (al *Alerts) PeriodicJobs() []*river.PeriodicJob {
	return []*river.PeriodicJob{river.NewPeriodicJob(
		river.PeriodicInterval(MonitoringInterval),
		func() (river.JobArgs, *river.InsertOpts) { return MonitoringArgs{}, nil },
		&river.PeriodicJobOpts{ID: MonitoringJobKind, RunOnStart: true},
	)}
}

// AbsenceAlertWorker alerts one unexplained absence.
type AbsenceAlertWorker struct {
	river.WorkerDefaults[AbsenceAlertArgs]
	Alerts *Alerts
}

// Work sends the alert, unless it was sent already or the mark is no longer an unexplained absence.
func (w *AbsenceAlertWorker) Work(ctx context.Context, job *river.Job[AbsenceAlertArgs]) error {
	_, err := w.Alerts.AlertAbsence(ctx, job.Args.MarkID)
	return err
}

// MonitoringWorker runs one look for missing registers and overdue reviews.
type MonitoringWorker struct {
	river.WorkerDefaults[MonitoringArgs]
	Alerts *Alerts
}

// Work raises what is due.
func (w *MonitoringWorker) Work(ctx context.Context, _ *river.Job[MonitoringArgs]) error {
	r, err := w.Alerts.RaiseDue(ctx)
	if err != nil {
		return err
	}
	if r.Registers+r.Reviews > 0 && w.Alerts.Logger != nil {
		w.Alerts.Logger.LogAttrs(ctx, slog.LevelInfo, "monitoring alerts sent",
			slog.Int("registers_missing", r.Registers), slog.Int("reviews_overdue", r.Reviews))
	}
	return nil
}

// queueAbsenceAlerts queues the alert job of each mark that is an unexplained absence, in tx. A store
// without an outbox (a test of the register alone) queues nothing.
func (s Store) queueAbsenceAlerts(ctx context.Context, tx pgx.Tx, marks []Mark) error {
	if s.Outbox == nil {
		return nil
	}
	var jobs []river.InsertManyParams
	for _, m := range marks {
		if m.Status == Absent && m.Reason.Unexplained() {
			jobs = append(jobs, river.InsertManyParams{Args: AbsenceAlertArgs{MarkID: m.ID}})
		}
	}
	if len(jobs) == 0 {
		return nil
	}
	if _, err := s.Outbox.Client().InsertManyTx(ctx, tx, jobs); err != nil {
		return fmt.Errorf("queue absence alerts: %w", err)
	}
	return nil
}

func registerSubject(reg RegisterDue) string {
	return fmt.Sprintf("%d/%s/%s", reg.ProviderID, reg.Date, reg.Session)
}

func reviewSubject(rv OverdueReview) string { return fmt.Sprintf("%d/%s", rv.PlacementID, rv.DueOn) }

// claimed returns which of the subjects an alert of the kind was already sent about (claim still
// decides, in the sending transaction, for the rest).
func claimed(ctx context.Context, q db.DBTX, kind string, subjects []string) (map[string]bool, error) {
	done := map[string]bool{}
	if len(subjects) == 0 {
		return done, nil
	}
	rows, err := q.Query(ctx, `SELECT subject FROM monitoring_alerts WHERE kind = $1 AND subject = ANY($2)`, kind, subjects)
	if err != nil {
		return nil, fmt.Errorf("read alerts sent: %w", err)
	}
	list, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("read alerts sent: %w", err)
	}
	for _, x := range list {
		done[x] = true
	}
	return done, nil
}

// claim records that the alert about subject is being sent, in tx; false when it was sent already
// (or another transaction is sending it and commits).
func claim(ctx context.Context, tx pgx.Tx, kind, subject string, now time.Time) (bool, error) {
	tag, err := tx.Exec(ctx, `INSERT INTO monitoring_alerts (kind, subject, sent_at) VALUES ($1, $2, $3)
		ON CONFLICT (kind, subject) DO NOTHING`, kind, subject, now)
	if err != nil {
		return false, fmt.Errorf("record %s alert: %w", kind, err)
	}
	return tag.RowsAffected() == 1, nil
}

// officers is the placement's monitoring officer, or every CAP monitoring officer when it has none
// (or theirs is no longer active).
func officers(ctx context.Context, q db.DBTX, officerID int64) (notify.Audience, error) {
	if officerID != 0 {
		var active bool
		err := q.QueryRow(ctx, `SELECT active FROM users WHERE id = $1`, officerID).Scan(&active)
		if err != nil && !errors.Is(err, pgx.ErrNoRows) {
			return nil, fmt.Errorf("read monitoring officer: %w", err)
		}
		if active {
			return notify.Users(officerID), nil
		}
	}
	return notify.CAPRole(auth.MonitoringOfficer), nil
}

// sessionWhen says when a session was, from today: "this morning", or "on the morning of Friday 20
// November 2026".
func sessionWhen(day, today calendar.Date, s Session) string {
	part := strings.ToLower(s.Label())
	if day == today {
		return "this " + part
	}
	return "on the " + part + " of " + day.Weekday().String() + " " + day.Format()
}

// AlertAbsence alerts the school's coordinators and the placement's monitoring officer (every
// monitoring officer when it has none) that the mark is an absence with no known reason: an in-app
// notification and an email each, neither naming the student, linking to the placement. It reports
// whether it sent the alert: not when it was sent before, or the mark has since been corrected to
// something else. The person who recorded the mark is not told.
func (al *Alerts) AlertAbsence(ctx context.Context, markID int64) (bool, error) {
	if al.Outbox == nil {
		return false, errors.New("placement alerts: no outbox")
	}
	now := al.Clock.Now()
	sent := false
	err := db.InTx(ctx, al.DB, func(tx pgx.Tx) error {
		var (
			status, reason, session, provider     string
			day                                   calendar.Date
			recordedBy, placementID, schoolID, mo int64
		)
		err := tx.QueryRow(ctx, `SELECT m.status, coalesce(m.absence_reason, ''), m.on_date, m.session, m.recorded_by,
				p.id, p.school_id, coalesce(p.monitoring_officer_id, 0), pv.name
			FROM attendance_marks m JOIN placements p ON p.id = m.placement_id JOIN organisations pv ON pv.id = p.provider_id
			WHERE m.id = $1`, markID).Scan(&status, &reason, &day, &session, &recordedBy, &placementID, &schoolID, &mo, &provider)
		if errors.Is(err, pgx.ErrNoRows) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("read mark %d: %w", markID, err)
		}
		if Status(status) != Absent || !Reason(reason).Unexplained() {
			return nil
		}
		ok, err := claim(ctx, tx, alertAbsence, "mark/"+strconv.FormatInt(markID, 10), now)
		if err != nil || !ok {
			return err
		}
		moTo, err := officers(ctx, tx, mo)
		if err != nil {
			return err
		}
		when := sessionWhen(day, calendar.DateOf(now), Session(session))
		msg := notify.Message{
			Kind:    KindAbsenceUnexplained,
			Subject: "An unexplained absence at " + provider + " " + when,
			Body: provider + " marked a learner absent " + when + " with no known reason (unauthorised, code O). " +
				"Open the link to see who it is, and follow it up today.",
			Link: PlacementPath(placementID),
		}
		if err := al.Outbox.Queue(ctx, tx, now, notify.Union(notify.RoleAt(schoolID, auth.Coordinator), moTo), msg, recordedBy); err != nil {
			return err
		}
		sent = true
		return nil
	})
	return sent, err
}

// Raised is what one run of the monitoring job alerted.
type Raised struct {
	Registers int // registers not taken by their cut-off
	Reviews   int // progress reviews overdue
}

// RaiseDue alerts, once each, today's registers not taken by their session's cut-off (to the
// provider's staff and CAP's monitoring officers) and progress reviews whose due date has passed
// with no review held (to the provider's staff and the placement's monitoring officer). Nothing is
// raised on a day schools are closed: registers are not expected, and an overdue review waits for the
// next school day.
func (al *Alerts) RaiseDue(ctx context.Context) (Raised, error) {
	var r Raised
	if al.Outbox == nil {
		return r, errors.New("placement alerts: no outbox")
	}
	now := al.Clock.Now()
	today := calendar.DateOf(now)
	sd, err := calendar.On(al.DB).SchoolDays(ctx)
	if err != nil {
		return r, err
	}
	if !sd.IsSchoolDay(today) {
		return r, nil
	}
	cut := al.Cutoffs.OrDefault()
	regs, _, err := expectedRegisters(ctx, al.DB, sd, today, registersWanted{Scope: Scope{All: true}, Missing: cut.PassedSessions(now)})
	if err != nil {
		return r, err
	}
	// What was alerted on an earlier run is left out in one statement, so that a run with nothing
	// new costs one read, not a transaction for every register and review already alerted.
	subjects := make([]string, len(regs))
	for i, reg := range regs {
		subjects[i] = registerSubject(reg)
	}
	done, err := claimed(ctx, al.DB, alertRegisterMissing, subjects)
	if err != nil {
		return r, err
	}
	for _, reg := range regs {
		if done[registerSubject(reg)] {
			continue
		}
		sent, err := al.alertMissingRegister(ctx, reg, cut, now)
		if err != nil {
			return r, err
		}
		if sent {
			r.Registers++
		}
	}
	reviews, err := overdueReviews(ctx, al.DB, today, Scope{All: true}, 0)
	if err != nil {
		return r, err
	}
	subjects = make([]string, len(reviews))
	for i, rv := range reviews {
		subjects[i] = reviewSubject(rv)
	}
	if done, err = claimed(ctx, al.DB, alertReviewOverdue, subjects); err != nil {
		return r, err
	}
	for _, rv := range reviews {
		if done[reviewSubject(rv)] {
			continue
		}
		sent, err := al.alertOverdueReview(ctx, rv, now)
		if err != nil {
			return r, err
		}
		if sent {
			r.Reviews++
		}
	}
	return r, nil
}

func (al *Alerts) alertMissingRegister(ctx context.Context, reg RegisterDue, cut Cutoffs, now time.Time) (bool, error) {
	sent := false
	err := db.InTx(ctx, al.DB, func(tx pgx.Tx) error {
		// Taken since the look began: nothing to say.
		var taken bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM registers WHERE provider_id = $1 AND on_date = $2 AND session = $3)`,
			reg.ProviderID, reg.Date, string(reg.Session)).Scan(&taken); err != nil {
			return fmt.Errorf("read register: %w", err)
		}
		if taken {
			return nil
		}
		ok, err := claim(ctx, tx, alertRegisterMissing, registerSubject(reg), now)
		if err != nil || !ok {
			return err
		}
		part := strings.ToLower(reg.Session.Label())
		learners := strconv.Itoa(reg.Expected) + " learners were"
		if reg.Expected == 1 {
			learners = "1 learner was"
		}
		msg := notify.Message{
			Kind:    KindRegisterMissing,
			Subject: "The " + part + " register at " + reg.ProviderName + " has not been taken",
			Body: learners + " expected at " + reg.ProviderName + " this " + part + " (" + reg.Date.Weekday().String() + " " + reg.Date.Format() +
				") and no register had been taken by " + cut.Label(reg.Session) + ". Open the link to take the register.",
			Link: RegisterPath(reg.ProviderID, reg.Date, reg.Session),
		}
		to := notify.Union(notify.RoleAt(reg.ProviderID, auth.ProviderStaff), notify.CAPRole(auth.MonitoringOfficer))
		if err := al.Outbox.Queue(ctx, tx, now, to, msg); err != nil {
			return err
		}
		sent = true
		return nil
	})
	return sent, err
}

func (al *Alerts) alertOverdueReview(ctx context.Context, rv OverdueReview, now time.Time) (bool, error) {
	sent := false
	err := db.InTx(ctx, al.DB, func(tx pgx.Tx) error {
		ok, err := claim(ctx, tx, alertReviewOverdue, reviewSubject(rv), now)
		if err != nil || !ok {
			return err
		}
		moTo, err := officers(ctx, tx, rv.MonitoringOfficerID)
		if err != nil {
			return err
		}
		msg := notify.Message{
			Kind:    KindReviewOverdue,
			Subject: "A progress review is overdue at " + rv.ProviderName,
			Body: "A placement’s progress review at " + rv.ProviderName + " was due on " + rv.DueOn.Weekday().String() + " " + rv.DueOn.Format() +
				" and none has been recorded. Open the link to see the placement and record its review.",
			Link: PlacementPath(rv.PlacementID),
		}
		if err := al.Outbox.Queue(ctx, tx, now, notify.Union(notify.RoleAt(rv.ProviderID, auth.ProviderStaff), moTo), msg); err != nil {
			return err
		}
		sent = true
		return nil
	})
	return sent, err
}
