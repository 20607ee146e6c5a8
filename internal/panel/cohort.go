package panel

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/coventry-cap/capportal/internal/audit"
	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/db"
)

// Place statuses.
const (
	Placed  = "placed"
	Waiting = "waiting"
	Moved   = "moved"
)

// ErrNoCapacity is returned when a start has no capacity to give places from (a directory.Flourish start date).
var ErrNoCapacity = errors.New("this start has no cohort places")

// Place is a case's place, or its waiting-list entry, in a cohort.
type Place struct {
	ID          int64
	StartID     int64
	ReferralID  int64
	Status      string
	Priority    int
	RequestedAt time.Time
	PlacedAt    *time.Time
}

// Occupancy is how full a cohort is.
type Occupancy struct {
	Capacity, Placed, Waiting int
}

// Free is the number of places left.
func (o Occupancy) Free() int { return max(o.Capacity-o.Placed, 0) }

// Allocate gives an approved case a place in the cohort, or a place on its waiting list when the
// cohort is full. The cohort's row is locked for the decision, so however many admins approve at the
// same moment the cohort never holds more than its capacity. Allocating a case twice returns the
// place it already has.
func (s Store) Allocate(ctx context.Context, startID, referralID int64, priority int, now time.Time) (Place, error) {
	var p Place
	err := db.InTx(ctx, s.DB, func(tx pgx.Tx) error {
		var err error
		p, err = AllocateTx(ctx, tx, startID, referralID, priority, now)
		return err
	})
	return p, err
}

// AllocateTx is Allocate inside the caller's transaction (a Multi-Agency Panel approval).
func AllocateTx(ctx context.Context, tx pgx.Tx, startID, referralID int64, priority int, now time.Time) (Place, error) {
	var capacity *int
	err := tx.QueryRow(ctx, `SELECT capacity FROM panel_starts WHERE id = $1 FOR UPDATE`, startID).Scan(&capacity)
	if errors.Is(err, pgx.ErrNoRows) {
		return Place{}, db.ErrNotFound
	}
	if err != nil {
		return Place{}, fmt.Errorf("lock cohort: %w", err)
	}
	if capacity == nil {
		return Place{}, ErrNoCapacity
	}
	if p, err := livePlace(ctx, tx, referralID); err == nil {
		return p, nil
	} else if !errors.Is(err, db.ErrNotFound) {
		return Place{}, err
	}
	var placed int
	if err := tx.QueryRow(ctx, `SELECT count(*) FROM cohort_places WHERE start_id = $1 AND status = 'placed'`, startID).Scan(&placed); err != nil {
		return Place{}, fmt.Errorf("count places: %w", err)
	}
	status, placedAt := Waiting, (*time.Time)(nil)
	if placed < *capacity {
		status, placedAt = Placed, &now
	}
	p := Place{StartID: startID, ReferralID: referralID, Status: status, Priority: priority, RequestedAt: now, PlacedAt: placedAt}
	err = tx.QueryRow(ctx, `INSERT INTO cohort_places (start_id, referral_id, status, priority, requested_at, placed_at)
		VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`, startID, referralID, status, priority, now, placedAt).Scan(&p.ID)
	if err != nil {
		return Place{}, fmt.Errorf("allocate place: %w", err)
	}
	return p, nil
}

// livePlace is the referral's current place or waiting-list entry.
func livePlace(ctx context.Context, q db.DBTX, referralID int64) (Place, error) {
	var p Place
	err := q.QueryRow(ctx, `SELECT id, start_id, referral_id, status, priority, requested_at, placed_at FROM cohort_places
		WHERE referral_id = $1 AND status IN ('placed', 'waiting')`, referralID).
		Scan(&p.ID, &p.StartID, &p.ReferralID, &p.Status, &p.Priority, &p.RequestedAt, &p.PlacedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return p, db.ErrNotFound
	}
	if err != nil {
		return p, fmt.Errorf("load place: %w", err)
	}
	return p, nil
}

// PlaceOf returns the referral's place or waiting-list entry, or db.ErrNotFound.
func (s Store) PlaceOf(ctx context.Context, referralID int64) (Place, error) {
	return livePlace(ctx, s.DB, referralID)
}

// OccupancyOf counts a cohort's places and waiting list.
func (s Store) OccupancyOf(ctx context.Context, startID int64) (Occupancy, error) {
	var o Occupancy
	var capacity *int
	err := s.DB.QueryRow(ctx, `SELECT s.capacity,
		(SELECT count(*) FROM cohort_places WHERE start_id = s.id AND status = 'placed'),
		(SELECT count(*) FROM cohort_places WHERE start_id = s.id AND status = 'waiting')
		FROM panel_starts s WHERE s.id = $1`, startID).Scan(&capacity, &o.Placed, &o.Waiting)
	if errors.Is(err, pgx.ErrNoRows) {
		return o, db.ErrNotFound
	}
	if err != nil {
		return o, fmt.Errorf("count cohort: %w", err)
	}
	if capacity != nil {
		o.Capacity = *capacity
	}
	return o, nil
}

// WaitingList returns a cohort's waiting list in the order places are offered: priority first (SLA
// schools' cases), then who waited longest.
func (s Store) WaitingList(ctx context.Context, startID int64) ([]Place, error) {
	rows, err := s.DB.Query(ctx, `SELECT id, start_id, referral_id, status, priority, requested_at, placed_at FROM cohort_places
		WHERE start_id = $1 AND status = 'waiting' ORDER BY priority DESC, requested_at, id`, startID)
	if err != nil {
		return nil, fmt.Errorf("load waiting list: %w", err)
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (Place, error) {
		var p Place
		err := row.Scan(&p.ID, &p.StartID, &p.ReferralID, &p.Status, &p.Priority, &p.RequestedAt, &p.PlacedAt)
		return p, err
	})
}

// Offer is what offering a waiting list places in a later cohort did.
type Offer struct {
	Placed  int // given a place in the later cohort
	Waiting int // still waiting, on the later cohort's waiting list
}

// OfferNext moves a cohort's waiting list, in order, into a later cohort: each case is given a place
// there while it has room, and waits there (keeping its priority and its original request time) when
// it has none. The offer is audited.
func (s Store) OfferNext(ctx context.Context, now time.Time, actor Actor, fromStartID, toStartID int64) (Offer, error) {
	var o Offer
	err := db.InTx(ctx, s.DB, func(tx pgx.Tx) error {
		// Lock both cohorts in id order so two offers cannot deadlock.
		if _, err := tx.Exec(ctx, `SELECT id FROM panel_starts WHERE id = ANY($1) ORDER BY id FOR UPDATE`,
			[]int64{fromStartID, toStartID}); err != nil {
			return fmt.Errorf("lock cohorts: %w", err)
		}
		waiting, err := On(tx).WaitingList(ctx, fromStartID)
		if err != nil {
			return err
		}
		for _, w := range waiting {
			if _, err := tx.Exec(ctx, `UPDATE cohort_places SET status = 'moved' WHERE id = $1`, w.ID); err != nil {
				return fmt.Errorf("move off the waiting list: %w", err)
			}
			p, err := AllocateTx(ctx, tx, toStartID, w.ReferralID, w.Priority, now)
			if err != nil {
				return err
			}
			if p.Status == Waiting {
				// Keep its place in the queue: it has waited since it was first approved.
				if _, err := tx.Exec(ctx, `UPDATE cohort_places SET requested_at = $2 WHERE id = $1`, p.ID, w.RequestedAt); err != nil {
					return fmt.Errorf("keep waiting time: %w", err)
				}
				o.Waiting++
			} else {
				o.Placed++
			}
			if _, err := tx.Exec(ctx, `UPDATE cohort_places SET moved_to = $2 WHERE id = $1`, w.ID, p.ID); err != nil {
				return fmt.Errorf("link moved place: %w", err)
			}
		}
		return audit.On(tx).Write(ctx, audit.Entry{At: now, ActorUserID: actor.UserID, ActorEmail: actor.Email,
			Action: ActionCohort, SubjectType: "panel_start", SubjectID: fmt.Sprint(fromStartID),
			Summary:   fmt.Sprintf("Offered the waiting list places in a later cohort: %d placed, %d still waiting", o.Placed, o.Waiting),
			RequestID: actor.RequestID})
	})
	return o, err
}

// LaterCohorts are the cohorts of the same programme after this one, in its academic year and the
// next, that have places and are published.
func (s Store) LaterCohorts(ctx context.Context, c Start) ([]Start, error) {
	var out []Start
	for _, year := range []string{c.AcademicYear, calendar.NextAcademicYearCode(c.AcademicYear)} {
		starts, err := s.Starts(ctx, year)
		if err != nil {
			return nil, err
		}
		for _, st := range starts {
			if st.Kind == c.Kind && st.Capacity > 0 && !st.Draft && st.ID != c.ID && st.Starts.After(c.Starts) {
				out = append(out, st)
			}
		}
	}
	return out, nil
}

// CohortPlace is a place or waiting-list entry with whose it is.
type CohortPlace struct {
	ID          int64
	Status      string
	Reference   string
	StudentName string
	SchoolName  string
}

// CohortPlaces are the cohort's places and waiting-list entries with the referral, student and
// school, in the order they were given, for the cohort's page: they name students, so the view is
// recorded in the audit log.
func (s Store) CohortPlaces(ctx context.Context, now time.Time, actor Actor, startID int64) ([]CohortPlace, error) {
	rows, err := s.DB.Query(ctx, `SELECT cp.id, cp.status, coalesce(r.reference, ''),
			coalesce(nullif(btrim(st.preferred_first_name), ''), st.legal_first_name) || ' ' || coalesce(nullif(btrim(st.preferred_last_name), ''), st.legal_last_name),
			sc.name
		FROM cohort_places cp
		JOIN referrals r ON r.id = cp.referral_id
		JOIN students st ON st.id = r.student_id
		JOIN organisations sc ON sc.id = r.school_id
		WHERE cp.start_id = $1 AND cp.status IN ('placed', 'waiting')
		ORDER BY cp.placed_at, cp.id`, startID)
	if err != nil {
		return nil, fmt.Errorf("cohort places: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (CohortPlace, error) {
		var p CohortPlace
		err := row.Scan(&p.ID, &p.Status, &p.Reference, &p.StudentName, &p.SchoolName)
		return p, err
	})
	if err != nil {
		return nil, fmt.Errorf("cohort places: %w", err)
	}
	if len(out) == 0 {
		return out, nil
	}
	refs := make([]string, len(out))
	for i, p := range out {
		refs[i] = p.Reference
	}
	err = audit.On(s.DB).Write(ctx, audit.Entry{At: now, ActorUserID: actor.UserID, ActorEmail: actor.Email,
		Action: ActionViewed, SubjectType: "panel_start", SubjectID: fmt.Sprint(startID),
		Summary: fmt.Sprintf("Viewed a cohort's places and waiting list (%d students)", len(out)),
		Details: map[string]any{"shown": refs}, RequestID: actor.RequestID})
	if err != nil {
		return nil, fmt.Errorf("audit cohort view: %w", err)
	}
	return out, nil
}
