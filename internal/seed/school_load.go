package seed

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
)

// loadSchools adds schools' details, contacts and SLA offers (written by the schools work).
func loadSchools(ctx context.Context, tx pgx.Tx, now time.Time, orgIDs map[string]int64) error {
	return nil
}
