package notify

import (
	"context"
	"fmt"
	"log/slog"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"

	"github.com/coventry-cap/capportal/internal/audit"
	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/db"
	"github.com/coventry-cap/capportal/internal/formonce"
)

// The retention job lives here because this package builds the portal's one River client; it is the
// first of the periodic jobs (reminders and overdue alerts will join it).

// StaleImportAge is how long an uploaded student import may wait for its coordinator to confirm it.
// Its rows are a copy of pupils' details, so an abandoned upload is deleted rather than kept.
const StaleImportAge = 7 * 24 * time.Hour

// RetentionInterval is how often the retention job runs.
const RetentionInterval = 6 * time.Hour

// ActionStaleImportsDeleted is the audit action of the retention job.
const ActionStaleImportsDeleted = "student_import.expired"

// StaleImportArgs is the periodic River job that deletes stale student imports.
type StaleImportArgs struct{}

// Kind names the job in River's table.
func (StaleImportArgs) Kind() string { return "student_import_retention" }

// StaleImportWorker deletes pending student imports uploaded more than StaleImportAge ago, and
// records how many in the audit log.
type StaleImportWorker struct {
	river.WorkerDefaults[StaleImportArgs]
	Pool   *pgxpool.Pool
	Clock  calendar.Clock
	Logger *slog.Logger
}

// Work runs one clean-up.
func (w *StaleImportWorker) Work(ctx context.Context, _ *river.Job[StaleImportArgs]) error {
	n, err := On(w.Pool).DeleteStaleImports(ctx, w.Clock.Now())
	if err != nil {
		return err
	}
	// The one-time form tokens' claims are kept two days (internal/formonce).
	if _, err := (formonce.Store{DB: w.Pool}).Forget(ctx); err != nil {
		return err
	}
	if n > 0 {
		w.Logger.LogAttrs(ctx, slog.LevelInfo, "stale student imports deleted", slog.Int64("count", n))
	}
	return nil
}

// DeleteStaleImports deletes the pending imports uploaded more than StaleImportAge before now, with
// an audit entry in the same transaction, and returns how many it deleted.
func (s Store) DeleteStaleImports(ctx context.Context, now time.Time) (int64, error) {
	var n int64
	err := db.InTx(ctx, s.DB, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `DELETE FROM student_imports WHERE status = 'pending' AND uploaded_at < $1`, now.Add(-StaleImportAge))
		if err != nil {
			return fmt.Errorf("delete stale student imports: %w", err)
		}
		n = tag.RowsAffected()
		if n == 0 {
			return nil
		}
		return audit.On(tx).Write(ctx, audit.Entry{
			At:          now,
			ActorEmail:  "capportal retention job",
			Action:      ActionStaleImportsDeleted,
			SubjectType: "student_import",
			Summary:     "Deleted " + strconv.FormatInt(n, 10) + " student imports not confirmed within 7 days",
			Details:     map[string]any{"count": n},
		})
	})
	return n, err
}
