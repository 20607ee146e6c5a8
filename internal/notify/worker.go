package notify

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"

	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/db"
)

// EmailArgs is the River job that emails one notification. It carries only the notification's ID:
// the address is read when the email is sent, so River's job table holds no personal data and a
// person deactivated in the meantime gets nothing.
type EmailArgs struct {
	NotificationID int64 `json:"notification_id"`
}

// EmailJobKind is the River kind of the email job.
const EmailJobKind = "notify_email"

// Kind names the job in River's table.
func (EmailArgs) Kind() string { return EmailJobKind }

// InsertOpts bounds the retries: River's backoff grows with each attempt, so ten attempts cover
// about a day of a mail server being down.
func (EmailArgs) InsertOpts() river.InsertOpts { return river.InsertOpts{MaxAttempts: 10} }

// EmailWorker sends a notification's email through the Mailer.
type EmailWorker struct {
	river.WorkerDefaults[EmailArgs]
	DB      db.DBTX
	Mailer  Mailer
	BaseURL *url.URL
	Logger  *slog.Logger
}

// Work sends the email. A notification that is gone, or whose recipient was deactivated, is
// skipped; a mailer error is returned so River retries.
func (w *EmailWorker) Work(ctx context.Context, job *river.Job[EmailArgs]) error {
	id := job.Args.NotificationID
	var (
		n      Notification
		to     string
		active bool
	)
	err := w.DB.QueryRow(ctx, `
		SELECT n.id, n.user_id, n.kind, n.subject, n.body, n.link, u.email, u.active
		FROM notifications n JOIN users u ON u.id = n.user_id WHERE n.id = $1`, id).
		Scan(&n.ID, &n.UserID, &n.Kind, &n.Subject, &n.Body, &n.Link, &to, &active)
	if errors.Is(err, pgx.ErrNoRows) {
		w.Logger.LogAttrs(ctx, slog.LevelWarn, "email skipped: notification not found", slog.Int64("notification_id", id))
		return nil
	}
	if err != nil {
		return fmt.Errorf("load notification %d: %w", id, err)
	}
	if !active {
		w.Logger.LogAttrs(ctx, slog.LevelInfo, "email skipped: recipient deactivated", slog.Int64("notification_id", id), slog.String("kind", n.Kind))
		return nil
	}
	if err := w.Mailer.Send(ctx, ComposeEmail(to, n, w.BaseURL)); err != nil {
		return fmt.Errorf("email notification %d: %w", id, err)
	}
	w.Logger.LogAttrs(ctx, slog.LevelInfo, "email sent", slog.Int64("notification_id", id), slog.String("kind", n.Kind))
	return nil
}

// ClientOptions configure the River client.
type ClientOptions struct {
	// BaseURL makes the links in emails absolute; required.
	BaseURL *url.URL
	// Clock is "now" for the retention job; the system clock when nil.
	Clock calendar.Clock
	// Workers is how many jobs run at once; 4 when zero.
	Workers int
	// Retention runs the periodic clean-up of stale student imports (see StaleImportWorker).
	Retention bool
	// TestOnly starts and stops River without its production start-up jitter.
	TestOnly bool
	// AddWorkers register the workers of the domain packages' jobs (the placement alerts, say), which
	// this package cannot import: they import it for the outbox.
	AddWorkers []func(*river.Workers) error
	// PeriodicJobs are the domain packages' periodic jobs, run beside the retention job.
	PeriodicJobs []*river.PeriodicJob
}

// NewClient returns the River client that works the portal's jobs on the same database: the email
// worker, the retention job when asked for, and the workers and periodic jobs of the options. Start
// it to work jobs; stop it before closing the pool. An unstarted client can still insert jobs for
// another process to work.
func NewClient(pool *pgxpool.Pool, mailer Mailer, logger *slog.Logger, o ClientOptions) (*river.Client[pgx.Tx], error) {
	if o.BaseURL == nil || !o.BaseURL.IsAbs() {
		return nil, errors.New("notify: the base URL for email links must be an absolute URL")
	}
	if mailer == nil {
		return nil, errors.New("notify: no mailer")
	}
	if o.Clock == nil {
		o.Clock = systemClock{}
	}
	if o.Workers <= 0 {
		o.Workers = 4
	}
	workers := river.NewWorkers()
	if err := river.AddWorkerSafely(workers, &EmailWorker{DB: pool, Mailer: mailer, BaseURL: o.BaseURL, Logger: logger}); err != nil {
		return nil, fmt.Errorf("register email worker: %w", err)
	}
	if err := river.AddWorkerSafely(workers, &StaleImportWorker{Pool: pool, Clock: o.Clock, Logger: logger}); err != nil {
		return nil, fmt.Errorf("register retention worker: %w", err)
	}
	for _, add := range o.AddWorkers {
		if err := add(workers); err != nil {
			return nil, err
		}
	}
	cfg := &river.Config{
		Logger:   logger.With(slog.String("component", "river")),
		Queues:   map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: o.Workers}},
		Workers:  workers,
		TestOnly: o.TestOnly,
		// River's nightly REINDEX needs to own the indexes, and the portal's role owns nothing (issue
		// 14): reindexing is maintenance for the schema's owner.
		ReindexerIndexNames: []string{},
	}
	if o.Retention {
		cfg.PeriodicJobs = append(cfg.PeriodicJobs, river.NewPeriodicJob(
			river.PeriodicInterval(RetentionInterval),
			func() (river.JobArgs, *river.InsertOpts) { return StaleImportArgs{}, nil },
			&river.PeriodicJobOpts{RunOnStart: true},
		))
	}
	cfg.PeriodicJobs = append(cfg.PeriodicJobs, o.PeriodicJobs...)
	client, err := river.NewClient(riverpgxv5.New(pool), cfg)
	if err != nil {
		return nil, fmt.Errorf("river client: %w", err)
	}
	return client, nil
}

type systemClock struct{}

func (systemClock) Now() time.Time { return time.Now() }
