package directory

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/coventry-cap/capportal/internal/audit"
	"github.com/coventry-cap/capportal/internal/db"
)

// ErrProviderUnavailable is returned when a programme names a provider that is not a current
// training provider.
var ErrProviderUnavailable = errors.New("not a current training provider")

// programmeColumns is what scanProgramme reads, from programmes aliased p.
const programmeColumns = `p.id, coalesce(p.slug, ''), p.tier, p.kind, p.name, coalesce(p.organisation_id, 0), p.provider_name,
	coalesce(p.category, ''), p.description, p.qualifications, p.duration, coalesce(p.duration_weeks, 0), p.days_per_week,
	p.days_offered, p.fee_pence, coalesce(p.fee_basis, ''), p.year_groups, coalesce(p.capacity_per_cohort, 0),
	p.goes_to_panel, p.active, p.retired_at, p.created_at, p.updated_at`

// scanProgramme reads programmeColumns, then any extra destinations.
func scanProgramme(row pgx.Row, extra ...any) (Programme, error) {
	var p Programme
	var days []int32
	var years []int32
	dest := []any{&p.ID, &p.Slug, &p.Tier, &p.Kind, &p.Name, &p.ProviderID, &p.ProviderName,
		&p.Category, &p.Description, &p.Qualifications, &p.Duration, &p.DurationWeeks, &p.DaysPerWeek,
		&days, &p.FeePence, &p.FeeBasis, &years, &p.CapacityPerCohort,
		&p.GoesToPanel, &p.Active, &p.RetiredAt, &p.CreatedAt, &p.UpdatedAt}
	if err := row.Scan(append(dest, extra...)...); err != nil {
		return p, err
	}
	p.Days = make([]time.Weekday, len(days))
	for i, d := range days {
		p.Days[i] = time.Weekday(d)
	}
	slices.Sort(p.Days)
	p.YearGroups = make([]int, len(years))
	for i, y := range years {
		p.YearGroups[i] = int(y)
	}
	slices.Sort(p.YearGroups)
	return p, nil
}

// GetProgramme returns a programme, current or retired, with its referral windows.
func (s Store) GetProgramme(ctx context.Context, id int64) (Programme, error) {
	p, err := scanProgramme(s.DB.QueryRow(ctx, "SELECT "+programmeColumns+" FROM programmes p WHERE p.id = $1", id))
	if errors.Is(err, pgx.ErrNoRows) {
		return p, db.ErrNotFound
	}
	if err != nil {
		return p, fmt.Errorf("get programme: %w", err)
	}
	p.Windows, err = programmeWindows(ctx, s.DB, id)
	return p, err
}

func programmeWindows(ctx context.Context, q db.DBTX, id int64) ([]Window, error) {
	rows, err := q.Query(ctx, `
		SELECT id, academic_year, opens_on, closes_on, label, draft FROM programme_windows
		WHERE programme_id = $1 ORDER BY opens_on, id`, id)
	if err != nil {
		return nil, fmt.Errorf("programme windows: %w", err)
	}
	ws, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (Window, error) {
		var w Window
		err := row.Scan(&w.ID, &w.AcademicYear, &w.Opens, &w.Closes, &w.Label, &w.Draft)
		return w, err
	})
	if err != nil {
		return nil, fmt.Errorf("programme windows: %w", err)
	}
	return ws, nil
}

func int32s[T ~int](xs []T) []int32 {
	out := make([]int32, len(xs))
	for i, x := range xs {
		out[i] = int32(x)
	}
	return out
}

func weekdays32(days []time.Weekday) []int32 {
	out := make([]int32, len(days))
	for i, d := range days {
		out[i] = int32(d)
	}
	return out
}

func nullInt(n int) *int {
	if n == 0 {
		return nil
	}
	return &n
}

func nullString(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func nullID(id int64) *int64 {
	if id == 0 {
		return nil
	}
	return &id
}

// requireProvider checks, under a share lock so it cannot be retired meanwhile, that the provider is current.
func requireProvider(ctx context.Context, tx pgx.Tx, id int64) error {
	if id == 0 {
		return nil
	}
	var ok bool
	err := tx.QueryRow(ctx, `SELECT active FROM organisations WHERE id = $1 AND kind = 'provider' FOR SHARE`, id).Scan(&ok)
	if errors.Is(err, pgx.ErrNoRows) || (err == nil && !ok) {
		return ErrProviderUnavailable
	}
	if err != nil {
		return fmt.Errorf("check provider: %w", err)
	}
	return nil
}

// duplicateProgramme finds the current programme of the provider with the name.
func duplicateProgramme(ctx context.Context, tx pgx.Tx, providerID int64, name string, except int64) (int64, error) {
	var id int64
	err := tx.QueryRow(ctx, `
		SELECT id FROM programmes
		WHERE coalesce(organisation_id, 0) = $1 AND lower(name) = lower($2) AND active AND id <> $3`,
		providerID, name, except).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, nil
	}
	return id, err
}

// CreateProgramme adds a programme with its referral windows. The tier and whether it goes to a
// panel follow from its kind. When the provider already runs a current programme of that name, it
// returns ErrDuplicate with that programme, so a form sent twice adds one.
func (s Store) CreateProgramme(ctx context.Context, actor Actor, in ProgrammeInput) (int64, error) {
	now := s.Clock.Now()
	var id int64
	err := db.InTx(ctx, s.DB, func(tx pgx.Tx) error {
		if err := requireProvider(ctx, tx, in.ProviderID); err != nil {
			return err
		}
		if existing, err := duplicateProgramme(ctx, tx, in.ProviderID, in.Name, 0); err != nil || existing != 0 {
			if err != nil {
				return fmt.Errorf("create programme: %w", err)
			}
			return createDuplicate(ctx, tx, existing, in)
		}
		err := tx.QueryRow(ctx, `
			INSERT INTO programmes (tier, kind, name, organisation_id, category, description, qualifications, duration,
			    duration_weeks, days_per_week, days_offered, fee_pence, fee_basis, year_groups, capacity_per_cohort,
			    goes_to_panel, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $17)
			RETURNING id`,
			in.Kind.Tier(), in.Kind, in.Name, nullID(in.ProviderID), nullString(in.Category), in.Description, in.Qualifications,
			in.Duration, nullInt(in.DurationWeeks), in.DaysPerWeek, weekdays32(in.Days), in.FeePence, nullString(in.FeeBasis),
			int32s(in.YearGroups), nullInt(in.CapacityPerCohort), in.Kind.GoesToPanel(), now).Scan(&id)
		if db.IsUniqueViolation(err, "programmes_provider_name_key") {
			return ErrDuplicate{} // added meanwhile by someone else: found after the rollback
		}
		if err != nil {
			return fmt.Errorf("create programme: %w", err)
		}
		for _, w := range in.Windows {
			if err := insertWindow(ctx, tx, id, w, now); err != nil {
				return err
			}
		}
		return audit.On(tx).Write(ctx, audit.Entry{
			At: now, ActorUserID: actor.UserID, ActorEmail: actor.Email, RequestID: actor.RequestID,
			Action: ProgrammeCreated, SubjectType: "programme", SubjectID: fmt.Sprint(id),
			Summary: "Added " + in.Name + " to the CAP Directory",
			Details: map[string]any{"kind": in.Kind, "tier": in.Kind.Tier(), "provider_id": in.ProviderID, "windows": len(in.Windows)},
		})
	})
	if dup, ok := errors.AsType[ErrDuplicate](err); ok && dup.ID == 0 {
		// Two sends of one form at the same moment land here, so this one compares too.
		return 0, s.raceDuplicate(ctx, in, 0, true)
	}
	return id, err
}

// createDuplicate is the ErrDuplicate for adding a programme that exists as id: Same when it has every
// detail submitted, windows in any order.
func createDuplicate(ctx context.Context, q db.DBTX, id int64, in ProgrammeInput) error {
	old, err := On(q).GetProgramme(ctx, id)
	if err != nil {
		return fmt.Errorf("find duplicate programme: %w", err)
	}
	same := len(programmeChanges(old, in)) == 0 && len(old.Windows) == len(in.Windows)
	have := map[WindowInput]int{}
	for _, w := range old.Windows {
		have[WindowInput{AcademicYear: w.AcademicYear, Opens: w.Opens, Closes: w.Closes, Label: w.Label}]++
	}
	for _, w := range in.Windows {
		k := WindowInput{AcademicYear: w.AcademicYear, Opens: w.Opens, Closes: w.Closes, Label: w.Label}
		if have[k] == 0 {
			same = false
			break
		}
		have[k]--
	}
	return ErrDuplicate{ID: id, Same: same}
}

// raceDuplicate finds the programme that a concurrent save added first, after the unique index
// refused ours (the refused transaction cannot look for it); adding, it also compares the two.
func (s Store) raceDuplicate(ctx context.Context, in ProgrammeInput, except int64, adding bool) error {
	var dup error
	err := db.InTx(ctx, s.DB, func(tx pgx.Tx) error {
		id, err := duplicateProgramme(ctx, tx, in.ProviderID, in.Name, except)
		if err != nil || id == 0 || !adding {
			dup = ErrDuplicate{ID: id}
			return err
		}
		dup = createDuplicate(ctx, tx, id, in)
		if _, ok := errors.AsType[ErrDuplicate](dup); !ok {
			return dup
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("find duplicate programme: %w", err)
	}
	return dup
}

func insertWindow(ctx context.Context, tx pgx.Tx, programmeID int64, w WindowInput, now time.Time) error {
	_, err := tx.Exec(ctx, `
		INSERT INTO programme_windows (programme_id, academic_year, opens_on, closes_on, label, created_at)
		VALUES ($1, $2, $3, $4, $5, $6)`, programmeID, w.AcademicYear, w.Opens, w.Closes, w.Label, now)
	if err != nil {
		return fmt.Errorf("add referral window: %w", err)
	}
	return nil
}

// UpdateProgramme saves a programme's new details and referral windows: windows with an ID are
// changed, new ones added and those left out removed. It reports whether anything changed; a
// retired programme is refused with ErrRetired.
func (s Store) UpdateProgramme(ctx context.Context, actor Actor, id int64, in ProgrammeInput) (bool, error) {
	now := s.Clock.Now()
	changedAny := false
	err := db.InTx(ctx, s.DB, func(tx pgx.Tx) error {
		old, err := scanProgramme(tx.QueryRow(ctx, "SELECT "+programmeColumns+" FROM programmes p WHERE p.id = $1 FOR UPDATE", id))
		if errors.Is(err, pgx.ErrNoRows) {
			return db.ErrNotFound
		}
		if err != nil {
			return fmt.Errorf("update programme: %w", err)
		}
		if !old.Active {
			return ErrRetired
		}
		if in.ProviderID != old.ProviderID {
			if err := requireProvider(ctx, tx, in.ProviderID); err != nil {
				return err
			}
		}
		changed := programmeChanges(old, in)
		if len(changed) > 0 {
			if existing, err := duplicateProgramme(ctx, tx, in.ProviderID, in.Name, id); err != nil || existing != 0 {
				if err != nil {
					return fmt.Errorf("update programme: %w", err)
				}
				return ErrDuplicate{ID: existing}
			}
			_, err = tx.Exec(ctx, `
				UPDATE programmes SET tier = $2, kind = $3, name = $4, organisation_id = $5, category = $6, description = $7,
				    qualifications = $8, duration = $9, duration_weeks = $10, days_per_week = $11, days_offered = $12,
				    fee_pence = $13, fee_basis = $14, year_groups = $15, capacity_per_cohort = $16, goes_to_panel = $17,
				    updated_at = $18
				WHERE id = $1`,
				id, in.Kind.Tier(), in.Kind, in.Name, nullID(in.ProviderID), nullString(in.Category), in.Description, in.Qualifications,
				in.Duration, nullInt(in.DurationWeeks), in.DaysPerWeek, weekdays32(in.Days), in.FeePence, nullString(in.FeeBasis),
				int32s(in.YearGroups), nullInt(in.CapacityPerCohort), in.Kind.GoesToPanel(), now)
			if db.IsUniqueViolation(err, "programmes_provider_name_key") {
				return ErrDuplicate{}
			}
			if err != nil {
				return fmt.Errorf("update programme: %w", err)
			}
		}
		windowsChanged, err := syncWindows(ctx, tx, id, in.Windows, now)
		if err != nil {
			return err
		}
		if windowsChanged {
			changed = append(changed, "windows")
		}
		if len(changed) == 0 {
			return nil
		}
		changedAny = true
		return audit.On(tx).Write(ctx, audit.Entry{
			At: now, ActorUserID: actor.UserID, ActorEmail: actor.Email, RequestID: actor.RequestID,
			Action: ProgrammeUpdated, SubjectType: "programme", SubjectID: fmt.Sprint(id),
			Summary: "Changed " + in.Name + " in the CAP Directory",
			Details: map[string]any{"changed": changed},
		})
	})
	if dup, ok := errors.AsType[ErrDuplicate](err); ok && dup.ID == 0 {
		return false, s.raceDuplicate(ctx, in, id, false)
	}
	return changedAny, err
}

// programmeChanges names the fields that differ between the saved programme and the input.
func programmeChanges(old Programme, in ProgrammeInput) []string {
	var out []string
	diff := func(name string, same bool) {
		if !same {
			out = append(out, name)
		}
	}
	diff("kind", old.Kind == in.Kind)
	diff("name", old.Name == in.Name)
	diff("provider", old.ProviderID == in.ProviderID)
	diff("category", old.Category == in.Category)
	diff("description", old.Description == in.Description)
	diff("qualifications", old.Qualifications == in.Qualifications)
	diff("duration", old.Duration == in.Duration && old.DurationWeeks == in.DurationWeeks)
	diff("days", old.DaysPerWeek == in.DaysPerWeek && slices.Equal(old.Days, in.Days))
	sameFee := (old.FeePence == nil) == (in.FeePence == nil) && (old.FeePence == nil || *old.FeePence == *in.FeePence) && old.FeeBasis == in.FeeBasis
	diff("fee", sameFee)
	diff("year_groups", slices.Equal(old.YearGroups, in.YearGroups))
	diff("capacity", old.CapacityPerCohort == in.CapacityPerCohort)
	return out
}

// syncWindows makes the programme's windows those given, keeping each kept window's draft mark and
// rollover link.
func syncWindows(ctx context.Context, tx pgx.Tx, programmeID int64, want []WindowInput, now time.Time) (bool, error) {
	have, err := programmeWindows(ctx, tx, programmeID)
	if err != nil {
		return false, err
	}
	byID := map[int64]Window{}
	for _, w := range have {
		byID[w.ID] = w
	}
	changed := false
	kept := map[int64]bool{}
	for _, w := range want {
		old, ok := byID[w.ID]
		if !ok || kept[w.ID] {
			// New, or an ID that is not this programme's: add it as a new window.
			if err := insertWindow(ctx, tx, programmeID, w, now); err != nil {
				return false, err
			}
			changed = true
			continue
		}
		kept[w.ID] = true
		if old.AcademicYear == w.AcademicYear && old.Opens == w.Opens && old.Closes == w.Closes && old.Label == w.Label {
			continue
		}
		if _, err := tx.Exec(ctx, `
			UPDATE programme_windows SET academic_year = $2, opens_on = $3, closes_on = $4, label = $5 WHERE id = $1`,
			w.ID, w.AcademicYear, w.Opens, w.Closes, w.Label); err != nil {
			return false, fmt.Errorf("change referral window: %w", err)
		}
		changed = true
	}
	for _, w := range have {
		if kept[w.ID] {
			continue
		}
		if _, err := tx.Exec(ctx, `DELETE FROM programme_windows WHERE id = $1`, w.ID); err != nil {
			return false, fmt.Errorf("remove referral window: %w", err)
		}
		changed = true
	}
	return changed, nil
}

// RetireProgramme takes a programme out of the directory's search and stops new referrals to it,
// keeping the row so that referrals still show what they were for. It reports whether it retired it
// now; retiring a retired programme changes nothing.
func (s Store) RetireProgramme(ctx context.Context, actor Actor, id int64) (bool, error) {
	now := s.Clock.Now()
	retired := false
	err := db.InTx(ctx, s.DB, func(tx pgx.Tx) error {
		var name string
		err := tx.QueryRow(ctx, `
			UPDATE programmes SET active = false, retired_at = $2, updated_at = $2
			WHERE id = $1 AND active RETURNING name`, id, now).Scan(&name)
		if errors.Is(err, pgx.ErrNoRows) {
			var exists bool
			if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM programmes WHERE id = $1)`, id).Scan(&exists); err != nil {
				return fmt.Errorf("retire programme: %w", err)
			}
			if !exists {
				return db.ErrNotFound
			}
			return nil
		}
		if err != nil {
			return fmt.Errorf("retire programme: %w", err)
		}
		retired = true
		return audit.On(tx).Write(ctx, audit.Entry{
			At: now, ActorUserID: actor.UserID, ActorEmail: actor.Email, RequestID: actor.RequestID,
			Action: ProgrammeRetired, SubjectType: "programme", SubjectID: fmt.Sprint(id),
			Summary: "Retired " + name + " from the CAP Directory",
		})
	})
	return retired, err
}
