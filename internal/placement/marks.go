package placement

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/coventry-cap/capportal/internal/audit"
	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/db"
)

// RecentMarks are the latest marks of the placements, newest first, at most limit. The placements
// are ones the caller has already read for the person (View, Get, OfStudent), so theirs to see.
func (s Store) RecentMarks(ctx context.Context, ps []Placement, limit int) ([]Mark, error) {
	if len(ps) == 0 {
		return nil, nil
	}
	ids := make([]int64, len(ps))
	for i, p := range ps {
		ids[i] = p.ID
	}
	return collectMarks(s.DB.Query(ctx, selectMark+` WHERE m.placement_id = ANY($1)
		ORDER BY m.on_date DESC, m.session DESC, m.id DESC LIMIT `+strconv.Itoa(max(limit, 0)), ids))
}

// Histories are what each of the marks replaced, oldest first, by mark: one query for them all.
func (s Store) Histories(ctx context.Context, marks []Mark) (map[int64][]Change, error) {
	out := map[int64][]Change{}
	var ids []int64
	for _, m := range marks {
		if m.Version > 1 {
			ids = append(ids, m.ID)
		}
	}
	if len(ids) == 0 {
		return out, nil
	}
	rows, err := s.DB.Query(ctx, `SELECT h.mark_id, h.version, h.status, coalesce(h.late_minutes, 0), coalesce(h.absence_reason, ''),
			h.note, h.code, h.recorded_at, ru.name, h.replaced_at, xu.name, h.reason
		FROM attendance_mark_history h JOIN users ru ON ru.id = h.recorded_by JOIN users xu ON xu.id = h.replaced_by
		WHERE h.mark_id = ANY($1) ORDER BY h.mark_id, h.version`, ids)
	if err != nil {
		return nil, fmt.Errorf("read mark history: %w", err)
	}
	changes, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (Change, error) {
		var c Change
		var status, reason string
		err := row.Scan(&c.Was.ID, &c.Was.Version, &status, &c.Was.LateMinutes, &reason, &c.Was.Note, &c.Was.Code,
			&c.Was.RecordedAt, &c.Was.RecordedBy, &c.ReplacedAt, &c.ReplacedBy, &c.Reason)
		c.Was.Status, c.Was.Reason = Status(status), Reason(reason)
		return c, err
	})
	if err != nil {
		return nil, fmt.Errorf("read mark history: %w", err)
	}
	for _, c := range changes {
		out[c.Was.ID] = append(out[c.Was.ID], c)
	}
	return out, nil
}

// MarkToCorrect is a mark with its placement and what it replaced, for the correction page.
type MarkToCorrect struct {
	Mark      Mark
	Placement Placement
	History   []Change
}

// MarkForCorrection reads a mark for someone who takes the registers of its placement's provider,
// and records the view in the audit log (the page names the learner). Anyone else gets
// db.ErrNotFound, so nobody learns that a mark they may not correct exists.
func (s Store) MarkForCorrection(ctx context.Context, a Actor, markID int64) (MarkToCorrect, error) {
	var out MarkToCorrect
	ms, err := collectMarks(s.DB.Query(ctx, selectMark+` WHERE m.id = $1`, markID))
	if err != nil {
		return out, err
	}
	if len(ms) == 0 {
		return out, db.ErrNotFound
	}
	p, err := s.Get(ctx, a, ms[0].PlacementID)
	if err != nil {
		return out, err
	}
	if !TakesRegisters(a.Principal, p.ProviderID) {
		return out, db.ErrNotFound
	}
	hs, err := s.Histories(ctx, ms)
	if err != nil {
		return out, err
	}
	m := ms[0]
	err = audit.On(s.DB).Write(ctx, audit.Entry{At: s.Clock.Now(), ActorUserID: a.userIDPtr(), ActorEmail: a.email(),
		Action: ActionViewed, SubjectType: "placement", SubjectID: fmt.Sprint(p.ID),
		Summary: fmt.Sprintf("Viewed the %s mark of %s to correct it", strings.ToLower(m.Session.Label()), m.Date.Format()),
		Details: map[string]any{"referral": p.Reference, "mark": m.ID, "page": "mark correction"}, RequestID: a.RequestID})
	if err != nil {
		return out, fmt.Errorf("audit mark view: %w", err)
	}
	return MarkToCorrect{Mark: m, Placement: p, History: hs[m.ID]}, nil
}

// SessionSummary is where a provider's register for a session stands: how many learners it has,
// how many are marked, and who took it when.
type SessionSummary struct {
	Session  Session
	Learners int
	Marked   int
	TakenAt  time.Time
	TakenBy  string
}

// Taken reports whether the register was taken.
func (ss SessionSummary) Taken() bool { return !ss.TakenAt.IsZero() }

// Day summarises the provider's morning and afternoon registers on day, without naming anyone (so it
// is not audited): for those who take its registers only (ErrNotProviders otherwise).
func (s Store) Day(ctx context.Context, a Actor, providerID int64, day calendar.Date) ([]SessionSummary, error) {
	if !TakesRegisters(a.Principal, providerID) {
		return nil, ErrNotProviders
	}
	var out []SessionSummary
	for _, session := range Sessions {
		reg, err := s.register(ctx, s.DB, providerID, day, session)
		if err != nil {
			return nil, err
		}
		ss := SessionSummary{Session: session, Learners: len(reg.Lines), TakenAt: reg.TakenAt, TakenBy: reg.TakenBy}
		for _, l := range reg.Lines {
			if l.Mark != nil {
				ss.Marked++
			}
		}
		out = append(out, ss)
	}
	return out, nil
}

// CohortName names the cohort a placement follows ("Cohort 1, starting 14 September 2026"); empty for
// a placement outside a cohort.
func (s Store) CohortName(ctx context.Context, p Placement) (string, error) {
	if p.CohortPlaceID == 0 {
		return "", nil
	}
	var name string
	var starts calendar.Date
	err := s.DB.QueryRow(ctx, `SELECT st.name, st.starts_on FROM cohort_places cp JOIN panel_starts st ON st.id = cp.start_id
		WHERE cp.id = $1`, p.CohortPlaceID).Scan(&name, &starts)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("read cohort: %w", err)
	}
	return name + ", starting " + starts.Format(), nil
}
