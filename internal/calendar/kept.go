package calendar

import (
	"context"
	"fmt"
	"sync"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// The academic years, terms and bank holidays change a few times a year, and nearly every page reads
// them (a register, a dashboard, a referral's dates). They are reference data (migration 0030): any
// write to them moves reference_data_version on, and the portal reads that version with the
// signed-in person on every request. A store over a pool whose context carries the version keeps
// what it read under it, so a page reads the calendar only after a change, seen on the next request
// by every portal process. A store over a transaction always reads, in the transaction's snapshot.

type referenceVersionKey struct{}

// WithReferenceVersion carries the reference data's version read for this request.
func WithReferenceVersion(ctx context.Context, version int64) context.Context {
	return context.WithValue(ctx, referenceVersionKey{}, version)
}

func referenceVersion(ctx context.Context) int64 {
	v, _ := ctx.Value(referenceVersionKey{}).(int64)
	return v
}

// keptCalendar is the calendar as read at a version.
type keptCalendar struct {
	version  int64
	years    []yearSpan
	terms    []Term
	holidays []Holiday // in date order
	days     SchoolDays
}

type yearSpan struct {
	code       string
	start, end Date
}

// keptMax bounds the pools kept for (a test process opens many).
const keptMax = 32

var kept struct {
	sync.Mutex
	byPool map[*pgxpool.Pool]*keptCalendar
}

// keptFor returns the calendar kept for the request's version, reading it when the version moved
// on; nil when the store cannot keep one (a transaction, or no version in the context).
func (s Store) keptFor(ctx context.Context) (*keptCalendar, error) {
	pool, ok := s.DB.(*pgxpool.Pool)
	version := referenceVersion(ctx)
	if !ok || version <= 0 {
		return nil, nil
	}
	kept.Lock()
	k := kept.byPool[pool]
	kept.Unlock()
	if k != nil && k.version == version {
		return k, nil
	}
	if k != nil && k.version > version {
		return nil, nil // a request that started before the change: read afresh
	}
	k, err := s.readCalendar(ctx)
	if err != nil {
		return nil, err
	}
	k.version = version // read after the version was, so at least as new as it
	kept.Lock()
	defer kept.Unlock()
	if kept.byPool == nil || len(kept.byPool) >= keptMax {
		kept.byPool = map[*pgxpool.Pool]*keptCalendar{}
	}
	if old := kept.byPool[pool]; old == nil || old.version < version {
		kept.byPool[pool] = k
	}
	return k, nil
}

func (s Store) readCalendar(ctx context.Context) (*keptCalendar, error) {
	k := &keptCalendar{}
	rows, err := s.DB.Query(ctx, `SELECT code, starts_on, ends_on FROM academic_years ORDER BY starts_on`)
	if err != nil {
		return nil, fmt.Errorf("load academic years: %w", err)
	}
	if k.years, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (yearSpan, error) {
		var y yearSpan
		return y, r.Scan(&y.code, &y.start, &y.end)
	}); err != nil {
		return nil, fmt.Errorf("load academic years: %w", err)
	}
	if k.terms, err = s.readTerms(ctx); err != nil {
		return nil, err
	}
	rows, err = s.DB.Query(ctx, `SELECT day, name FROM bank_holidays ORDER BY day`)
	if err != nil {
		return nil, fmt.Errorf("load bank holidays: %w", err)
	}
	if k.holidays, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (Holiday, error) {
		var h Holiday
		return h, r.Scan(&h.Date, &h.Name)
	}); err != nil {
		return nil, fmt.Errorf("load bank holidays: %w", err)
	}
	days := make([]Date, len(k.holidays))
	for i, h := range k.holidays {
		days[i] = h.Date
	}
	k.days = NewSchoolDays(k.terms, days)
	return k, nil
}

// position is LoadPosition's answer from the kept calendar.
func (k *keptCalendar) position(day Date) Position {
	p := Position{Day: day}
	for _, y := range k.years {
		if !day.Before(y.start) && !day.After(y.end) {
			p.AcademicYear = y.code
			break
		}
	}
	for _, t := range k.terms {
		if !day.Before(t.Start) && !day.After(t.End) {
			t := t
			p.Term = &t
			break
		}
	}
	for _, h := range k.holidays {
		if !h.Date.Before(day) {
			h := h
			p.NextHoliday = &h
			break
		}
	}
	return p
}
