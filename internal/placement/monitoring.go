package placement

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/db"
)

// Monitoring is everything recorded about how a placement is going, beyond its registers: its
// progress reviews, behaviour incidents and meetings, each newest first.
type Monitoring struct {
	Placement Placement
	Reviews   []Review
	Incidents []Incident
	Meetings  []Meeting
}

// Monitoring returns the placement's reviews, incidents and meetings (with their actions), if the
// actor may see the placement, and records the view in the audit log. A placement's records are a few
// a half term, so the page shows them all.
func (s Store) Monitoring(ctx context.Context, a Actor, placementID int64) (Monitoring, error) {
	var out Monitoring
	p, err := s.View(ctx, a, placementID, "monitoring")
	if err != nil {
		return out, err
	}
	out.Placement = p
	if out.Reviews, err = reviewsOf(ctx, s.DB, p.ID); err != nil {
		return out, err
	}
	if out.Incidents, err = incidentsOf(ctx, s.DB, p.ID); err != nil {
		return out, err
	}
	if out.Meetings, err = meetingsWhere(ctx, s.DB, `m.placement_id = $1`, p.ID); err != nil {
		return out, err
	}
	return out, nil
}

// OpenMeeting is a meeting with actions still to do.
type OpenMeeting struct {
	ID      int64
	Kind    MeetingKind
	HeldOn  calendar.Date
	Open    int
	Overdue int
}

// Summary is the monitoring at a glance, for the placement's page: the latest review, the next
// review date, how many incidents, and the meetings with actions still open.
type Summary struct {
	LatestReview  *Review
	NextReviewDue calendar.Date // zero when no review date is set from today on
	Incidents     int
	Meetings      int
	OpenMeetings  []OpenMeeting
}

// Summary sums up the placement's monitoring on today. The caller has read the placement for the
// actor (and recorded the view): Summary checks the actor's scope again and records nothing.
func (s Store) Summary(ctx context.Context, a Actor, p Placement, today calendar.Date) (Summary, error) {
	var out Summary
	if !ScopeFor(a.Principal).Sees(p.SchoolID, p.ProviderID) {
		return out, db.ErrNotFound
	}
	out.NextReviewDue = p.NextReviewDue(today)
	latest, err := collectReviews(s.DB.Query(ctx, selectReview+` WHERE v.placement_id = $1 ORDER BY v.held_on DESC, v.id DESC LIMIT 1`, p.ID))
	if err != nil {
		return out, err
	}
	if len(latest) > 0 {
		out.LatestReview = &latest[0]
	}
	if err := s.DB.QueryRow(ctx, `SELECT (SELECT count(*) FROM behaviour_incidents WHERE placement_id = $1),
		(SELECT count(*) FROM monitoring_meetings WHERE placement_id = $1)`, p.ID).Scan(&out.Incidents, &out.Meetings); err != nil {
		return out, fmt.Errorf("count incidents and meetings: %w", err)
	}
	rows, err := s.DB.Query(ctx, `SELECT m.id, m.kind, m.held_on, count(*), count(*) FILTER (WHERE a.due_on < $2)
		FROM monitoring_meetings m JOIN meeting_actions a ON a.meeting_id = m.id AND a.done_at IS NULL
		WHERE m.placement_id = $1 GROUP BY m.id ORDER BY m.held_on DESC, m.id DESC`, p.ID, today)
	if err != nil {
		return out, fmt.Errorf("open meetings: %w", err)
	}
	out.OpenMeetings, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (OpenMeeting, error) {
		var m OpenMeeting
		var kind string
		err := row.Scan(&m.ID, &kind, &m.HeldOn, &m.Open, &m.Overdue)
		m.Kind = MeetingKind(kind)
		return m, err
	})
	if err != nil {
		return out, fmt.Errorf("open meetings: %w", err)
	}
	return out, nil
}
