package placement

import (
	"context"

	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/db"
)

// OverdueReviewsForTest is the rule for overdue reviews as the alerts apply it, every running
// placement's dates, for comparing with what the dashboard reads.
func OverdueReviewsForTest(ctx context.Context, q db.DBTX, today calendar.Date) ([]OverdueReview, error) {
	return overdueReviews(ctx, q, today, Scope{All: true})
}
