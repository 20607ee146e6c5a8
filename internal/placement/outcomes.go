package placement

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

	"github.com/coventry-cap/capportal/internal/audit"
	"github.com/coventry-cap/capportal/internal/auth"
	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/db"
	"github.com/coventry-cap/capportal/internal/input"
)

// Audit actions for outcomes and destinations.
const (
	ActionOutcome        = "placement.outcome"
	ActionQualification  = "placement.qualification"
	ActionDestination    = "student.post16_destination"
	ActionNEETDate       = "placement.neet_check_date"
	ActionNEETListed     = "placement.neet_risk_listed"
	ActionDestinationSee = "student.post16_destination_viewed"
)

// Outcome is how a placement ended.
type Outcome string

// The outcomes of a placement.
const (
	Completed   Outcome = "completed"
	Withdrawn   Outcome = "withdrawn"
	Transferred Outcome = "transferred"
)

// Outcomes are the outcomes in the order a form offers them.
var Outcomes = []Outcome{Completed, Withdrawn, Transferred}

// Label names the outcome.
func (o Outcome) Label() string {
	switch o {
	case Completed:
		return "Completed"
	case Withdrawn:
		return "Withdrawn"
	case Transferred:
		return "Transferred"
	}
	return string(o)
}

// Valid reports whether o is an outcome.
func (o Outcome) Valid() bool { return slices.Contains(Outcomes, o) }

// Qualification is a qualification or award achieved on a placement.
type Qualification struct {
	ID           int64
	Name         string
	Level        string
	AwardingBody string
	Recorded     Signed
}

// Ending is how a placement ended and what the student achieved on it.
type Ending struct {
	Outcome        Outcome // "" until recorded
	Notes          string
	Recorded       Signed
	Qualifications []Qualification
}

// EndingOf is the placement's outcome and qualifications, if the actor may see the placement. It
// records nothing: the page that shows it has audited the placement (View).
func (s Store) EndingOf(ctx context.Context, a Actor, placementID int64) (Ending, error) {
	var e Ending
	p, err := s.Get(ctx, a, placementID)
	if err != nil {
		return e, err
	}
	var outcome string
	err = s.DB.QueryRow(ctx, `SELECT o.outcome, o.notes, o.recorded_at, u.name FROM placement_outcomes o JOIN users u ON u.id = o.recorded_by
		WHERE o.placement_id = $1`, p.ID).Scan(&outcome, &e.Notes, &e.Recorded.At, &e.Recorded.By)
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return e, fmt.Errorf("read outcome: %w", err)
	}
	e.Outcome = Outcome(outcome)
	rows, err := s.DB.Query(ctx, `SELECT q.id, q.name, q.level, q.awarding_body, q.recorded_at, u.name FROM placement_qualifications q
		JOIN users u ON u.id = q.recorded_by WHERE q.placement_id = $1 ORDER BY q.id`, p.ID)
	if err != nil {
		return e, fmt.Errorf("read qualifications: %w", err)
	}
	e.Qualifications, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (Qualification, error) {
		var q Qualification
		err := row.Scan(&q.ID, &q.Name, &q.Level, &q.AwardingBody, &q.Recorded.At, &q.Recorded.By)
		return q, err
	})
	if err != nil {
		return e, fmt.Errorf("read qualifications: %w", err)
	}
	return e, nil
}

// OutcomeInput is how a placement ended: the outcome, the last day (for a placement not yet
// ended) and notes.
type OutcomeInput struct {
	Outcome Outcome
	LastDay calendar.Date
	Notes   string
}

// MayRecordOutcome reports whether the principal records placements' outcomes: CAP's admins.
func MayRecordOutcome(p *auth.Principal) bool { return IsCAPAdmin(p) }

// RecordOutcome records how a placement ended. A placement still running ends after the last day
// given (not before a session already marked); one already ended keeps its last day. Recording it
// again replaces the outcome.
func (s Store) RecordOutcome(ctx context.Context, a Actor, placementID int64, in OutcomeInput) error {
	now := s.Clock.Now()
	return db.InTx(ctx, s.DB, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT 1 FROM placements WHERE id = $1 FOR UPDATE`, placementID); err != nil {
			return fmt.Errorf("lock placement: %w", err)
		}
		p, err := Store{DB: tx, Clock: s.Clock}.Get(ctx, a, placementID)
		if err != nil {
			return err
		}
		if !MayRecordOutcome(a.Principal) {
			return forbidden("CAP’s admins record how a placement ended.", "Tell CAP how the placement ended.")
		}
		var ps input.Problems
		if !in.Outcome.Valid() {
			ps = append(ps, input.FieldProblem{Field: "outcome", Message: "Select how the placement ended"})
		}
		ending := p.EndedOn.IsZero()
		if ending {
			var lastMarked calendar.Date
			if err := tx.QueryRow(ctx, `SELECT max(on_date) FROM attendance_marks WHERE placement_id = $1`, p.ID).Scan(&lastMarked); err != nil {
				return fmt.Errorf("read last mark: %w", err)
			}
			switch {
			case in.LastDay.IsZero():
				ps = append(ps, input.FieldProblem{Field: "last", Message: "Enter the student’s last day on the placement"})
			case !lastMarked.IsZero() && in.LastDay.Before(lastMarked):
				ps = append(ps, input.FieldProblem{Field: "last", Message: "The last day cannot be before " + lastMarked.Format() +
					", when the student was last marked in a register"})
			case in.LastDay.Before(p.Start):
				ps = append(ps, input.FieldProblem{Field: "last", Message: "The last day must be on or after " + p.Start.Format() + ", when the placement started"})
			}
		}
		checkText(&ps, "notes", in.Notes, "", "The notes")
		if len(ps) > 0 {
			return ps
		}
		if ending {
			if _, err := tx.Exec(ctx, `UPDATE placements SET ended_on = $2, status = 'ended' WHERE id = $1`, p.ID, in.LastDay); err != nil {
				return fmt.Errorf("end placement: %w", err)
			}
		}
		if _, err := tx.Exec(ctx, `INSERT INTO placement_outcomes (placement_id, outcome, notes, recorded_at, recorded_by) VALUES ($1, $2, $3, $4, $5)
			ON CONFLICT (placement_id) DO UPDATE SET outcome = EXCLUDED.outcome, notes = EXCLUDED.notes, recorded_at = EXCLUDED.recorded_at,
				recorded_by = EXCLUDED.recorded_by`, p.ID, string(in.Outcome), strings.TrimSpace(in.Notes), now, a.userID()); err != nil {
			return fmt.Errorf("record outcome: %w", err)
		}
		summary := "Recorded the outcome: " + in.Outcome.Label()
		if ending {
			summary += ", last day " + in.LastDay.Format()
		}
		return audit.On(tx).Write(ctx, audit.Entry{At: now, ActorUserID: a.userIDPtr(), ActorEmail: a.email(),
			Action: ActionOutcome, SubjectType: "placement", SubjectID: fmt.Sprint(p.ID), Summary: summary, RequestID: a.RequestID})
	})
}

// QualificationInput is a qualification or award achieved.
type QualificationInput struct {
	Name         string
	Level        string
	AwardingBody string
}

// Problems says what is wrong: a name is required; the level and awarding body are short.
func (in QualificationInput) Problems() input.Problems {
	var ps input.Problems
	add := func(field, msg string) { ps = append(ps, input.FieldProblem{Field: field, Message: msg}) }
	if strings.TrimSpace(in.Name) == "" {
		add("name", "Enter the name of the qualification or award")
	} else if utf8.RuneCountInString(strings.TrimSpace(in.Name)) > 200 {
		add("name", "The name must be 200 characters or fewer")
	}
	if utf8.RuneCountInString(strings.TrimSpace(in.Level)) > 100 {
		add("level", "The level must be 100 characters or fewer")
	}
	if utf8.RuneCountInString(strings.TrimSpace(in.AwardingBody)) > 200 {
		add("awarding_body", "The awarding body must be 200 characters or fewer")
	}
	return ps
}

// MayAddQualification reports whether the principal records what a learner of the placement
// achieved: CAP's admins and Monitoring Officers, and the provider's staff.
func MayAddQualification(p *auth.Principal, pl Placement) bool {
	return p != nil && (p.HasAny(auth.CAPAdmin, auth.MonitoringOfficer) || ActsFor(p, pl, ProviderSide))
}

// AddQualification records a qualification or award the student achieved on the placement.
func (s Store) AddQualification(ctx context.Context, a Actor, placementID int64, in QualificationInput) error {
	now := s.Clock.Now()
	return db.InTx(ctx, s.DB, func(tx pgx.Tx) error {
		p, err := Store{DB: tx, Clock: s.Clock}.Get(ctx, a, placementID)
		if err != nil {
			return err
		}
		if !MayAddQualification(a.Principal, p) {
			return forbidden("The provider or CAP records qualifications achieved on a placement.", "Tell the provider or CAP.")
		}
		if ps := in.Problems(); len(ps) > 0 {
			return ps
		}
		if _, err := tx.Exec(ctx, `INSERT INTO placement_qualifications (placement_id, name, level, awarding_body, recorded_at, recorded_by)
			VALUES ($1, $2, $3, $4, $5, $6)`, p.ID, strings.TrimSpace(in.Name), strings.TrimSpace(in.Level), strings.TrimSpace(in.AwardingBody),
			now, a.userID()); err != nil {
			return fmt.Errorf("record qualification: %w", err)
		}
		return audit.On(tx).Write(ctx, audit.Entry{At: now, ActorUserID: a.userIDPtr(), ActorEmail: a.email(),
			Action: ActionQualification, SubjectType: "placement", SubjectID: fmt.Sprint(p.ID),
			Summary: "Recorded a qualification: " + strings.TrimSpace(in.Name), RequestID: a.RequestID})
	})
}

// Destination is a Year 11 student's post-16 destination.
type Destination string

// The post-16 destinations.
const (
	FurtherEducation       Destination = "further_education"
	Apprenticeship         Destination = "apprenticeship"
	EmploymentWithTraining Destination = "employment_with_training"
	Training               Destination = "training"
	OtherDestination       Destination = "other"
	NEET                   Destination = "neet"
	NotKnown               Destination = "not_known"
)

// Destinations are the destinations in the order a form offers them.
var Destinations = []Destination{FurtherEducation, Apprenticeship, EmploymentWithTraining, Training, OtherDestination, NEET, NotKnown}

// Label names the destination.
func (d Destination) Label() string {
	switch d {
	case FurtherEducation:
		return "Further education"
	case Apprenticeship:
		return "Apprenticeship"
	case EmploymentWithTraining:
		return "Employment with training"
	case Training:
		return "Training"
	case OtherDestination:
		return "Other"
	case NEET:
		return "Not in education, employment or training (NEET)"
	case NotKnown:
		return "Not known"
	}
	return string(d)
}

// Valid reports whether d is a destination.
func (d Destination) Valid() bool { return slices.Contains(Destinations, d) }

// StudentDestination is a student's post-16 destination recorded for an academic year.
type StudentDestination struct {
	StudentID    int64
	AcademicYear string
	Destination  Destination // "" when none is recorded
	Detail       string
	ConfirmedOn  calendar.Date // zero for "not known"
	Recorded     Signed
}

// Confirmed reports whether a destination has been confirmed (any but "not known").
func (d StudentDestination) Confirmed() bool { return d.Destination != "" && d.Destination != NotKnown }

// DestinationInput is a post-16 destination as the school or CAP records it.
type DestinationInput struct {
	Destination Destination
	ConfirmedOn calendar.Date
	Detail      string
}

// Problems says what is wrong: a destination, and the date it was confirmed (today or before)
// unless it is not known.
func (in DestinationInput) Problems(today calendar.Date) input.Problems {
	var ps input.Problems
	add := func(field, msg string) { ps = append(ps, input.FieldProblem{Field: field, Message: msg}) }
	if !in.Destination.Valid() {
		add("destination", "Select the student’s post-16 destination")
	}
	switch {
	case in.Destination == NotKnown || !in.Destination.Valid():
	case in.ConfirmedOn.IsZero():
		add("confirmed", "Enter the date the destination was confirmed")
	case in.ConfirmedOn.After(today):
		add("confirmed", "The date confirmed must be today or in the past")
	}
	checkText(&ps, "detail", in.Detail, "", "The detail")
	return ps
}

// studentScope reads the student's school and year group if the actor may see the student's
// destination: CAP's staff, the student's school, or a provider with a placement of the student.
func studentScope(ctx context.Context, q db.DBTX, a Actor, studentID int64) (schoolID int64, year int, err error) {
	sc := ScopeFor(a.Principal)
	if sc.Empty() {
		return 0, 0, db.ErrNotFound
	}
	err = q.QueryRow(ctx, `SELECT st.school_id, st.year_group FROM students st WHERE st.id = $1
		AND ($2::boolean OR st.school_id = ANY($3) OR EXISTS (SELECT 1 FROM placements p WHERE p.student_id = st.id AND p.provider_id = ANY($4)))`,
		studentID, sc.All, nonNil(sc.Schools), nonNil(sc.Providers)).Scan(&schoolID, &year)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, 0, db.ErrNotFound
	}
	if err != nil {
		return 0, 0, fmt.Errorf("read student: %w", err)
	}
	return schoolID, year, nil
}

// DestinationOf is the student's post-16 destination for the academic year, if the actor may see
// the student (db.ErrNotFound otherwise). Destination is "" when none is recorded. It records
// nothing: the page that shows it audits the student.
func (s Store) DestinationOf(ctx context.Context, a Actor, studentID int64, year string) (StudentDestination, error) {
	d := StudentDestination{StudentID: studentID, AcademicYear: year}
	if _, _, err := studentScope(ctx, s.DB, a, studentID); err != nil {
		return d, err
	}
	var dest string
	var confirmed calendar.Date
	err := s.DB.QueryRow(ctx, `SELECT d.destination, d.detail, d.confirmed_on, d.recorded_at, u.name FROM post16_destinations d
		JOIN users u ON u.id = d.recorded_by WHERE d.student_id = $1 AND d.academic_year = $2`, studentID, year).
		Scan(&dest, &d.Detail, &confirmed, &d.Recorded.At, &d.Recorded.By)
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return d, fmt.Errorf("read destination: %w", err)
	}
	d.Destination, d.ConfirmedOn = Destination(dest), confirmed
	return d, nil
}

// ErrNotYear11 is returned for a post-16 destination of a student not in Year 11.
var ErrNotYear11 = errors.New("post-16 destinations are recorded for Year 11 students")

// MayRecordDestination reports whether the principal records a student's post-16 destination:
// CAP's admins and Monitoring Officers, and the student's school (coordinators and headteachers).
func MayRecordDestination(p *auth.Principal, schoolID int64) bool {
	return p != nil && (p.HasAny(auth.CAPAdmin, auth.MonitoringOfficer) ||
		slices.Contains(p.OrgIDsWith(auth.Coordinator), schoolID) || slices.Contains(p.OrgIDsWith(auth.Headteacher), schoolID))
}

// RecordDestination records a Year 11 student's post-16 destination for the current academic year
// (replacing any recorded before).
func (s Store) RecordDestination(ctx context.Context, a Actor, studentID int64, in DestinationInput) error {
	now := s.Clock.Now()
	today := calendar.DateOf(now)
	year := calendar.AcademicYearCode(today)
	return db.InTx(ctx, s.DB, func(tx pgx.Tx) error {
		schoolID, yearGroup, err := studentScope(ctx, tx, a, studentID)
		if err != nil {
			return err
		}
		if !MayRecordDestination(a.Principal, schoolID) {
			return forbidden("The student’s school or CAP records a post-16 destination.", "Tell the school or CAP.")
		}
		if yearGroup != 11 {
			return ErrNotYear11
		}
		if ps := in.Problems(today); len(ps) > 0 {
			return ps
		}
		var confirmed any
		if in.Destination != NotKnown {
			confirmed = in.ConfirmedOn
		}
		if _, err := tx.Exec(ctx, `INSERT INTO post16_destinations (student_id, academic_year, destination, detail, confirmed_on, recorded_at, recorded_by)
			VALUES ($1, $2, $3, $4, $5, $6, $7)
			ON CONFLICT (student_id, academic_year) DO UPDATE SET destination = EXCLUDED.destination, detail = EXCLUDED.detail,
				confirmed_on = EXCLUDED.confirmed_on, recorded_at = EXCLUDED.recorded_at, recorded_by = EXCLUDED.recorded_by`,
			studentID, year, string(in.Destination), strings.TrimSpace(in.Detail), confirmed, now, a.userID()); err != nil {
			return fmt.Errorf("record destination: %w", err)
		}
		return audit.On(tx).Write(ctx, audit.Entry{At: now, ActorUserID: a.userIDPtr(), ActorEmail: a.email(),
			Action: ActionDestination, SubjectType: "student", SubjectID: fmt.Sprint(studentID),
			Summary: "Recorded the post-16 destination: " + in.Destination.Label(), Details: map[string]any{"year": year}, RequestID: a.RequestID})
	})
}

// NEETCheckDate is the date CAP set for the academic year by which every Year 11 student should
// have a confirmed destination; zero when none is set.
func (s Store) NEETCheckDate(ctx context.Context, year string) (calendar.Date, error) {
	var d calendar.Date
	err := s.DB.QueryRow(ctx, `SELECT check_on FROM neet_check_dates WHERE academic_year = $1`, year).Scan(&d)
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return d, fmt.Errorf("read NEET check date: %w", err)
	}
	return d, nil
}

// SetNEETCheckDate is CAP setting the date for an academic year (within it).
func (s Store) SetNEETCheckDate(ctx context.Context, a Actor, year string, on calendar.Date) error {
	if !IsCAPAdmin(a.Principal) {
		return forbidden("CAP’s admins set the date destinations are checked by.", "Ask CAP to set it.")
	}
	y, ok := calendar.LookupAcademicYear(year)
	switch {
	case !ok:
		return input.Problems{{Field: "check", Message: "Choose an academic year the portal knows"}}
	case on.IsZero():
		return input.Problems{{Field: "check", Message: "Enter the date every Year 11 student should have a confirmed destination by"}}
	case !y.Contains(on):
		return input.Problems{{Field: "check", Message: fmt.Sprintf("The date must be in the %s academic year, between %s and %s", year, y.Start.Format(), y.End.Format())}}
	}
	now := s.Clock.Now()
	return db.InTx(ctx, s.DB, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO neet_check_dates (academic_year, check_on, set_at, set_by) VALUES ($1, $2, $3, $4)
			ON CONFLICT (academic_year) DO UPDATE SET check_on = EXCLUDED.check_on, set_at = EXCLUDED.set_at, set_by = EXCLUDED.set_by`,
			year, on, now, a.userID()); err != nil {
			return fmt.Errorf("set NEET check date: %w", err)
		}
		return audit.On(tx).Write(ctx, audit.Entry{At: now, ActorUserID: a.userIDPtr(), ActorEmail: a.email(),
			Action: ActionNEETDate, SubjectType: "academic_year", SubjectID: year,
			Summary: "Set the date Year 11 destinations are checked by: " + on.Format(), RequestID: a.RequestID})
	})
}

// NEETRow is a Year 11 student without a confirmed post-16 destination (or confirmed NEET).
type NEETRow struct {
	StudentID   int64
	StudentName string
	SchoolID    int64
	SchoolName  string
	Destination StudentDestination // Destination "" when none is recorded
}

// NEETList is the Year 11 students at risk of becoming NEET for an academic year.
type NEETList struct {
	Year    string
	CheckOn calendar.Date // the date CAP set; zero when none
	// AtRisk is true once the date has come: the students listed are then at risk of NEET, not just
	// waiting for a destination.
	AtRisk bool
	Rows   []NEETRow
	More   bool // more students than the list shows
}

// NEETRisk lists the Year 11 students with a placement in the academic year who have no confirmed
// post-16 destination (none recorded, or "not known"), and those confirmed NEET, in school and name
// order: every one for CAP, its own students for a school, none for a provider. It names students,
// so it is recorded in the audit log.
func (s Store) NEETRisk(ctx context.Context, a Actor, year string, limit int) (NEETList, error) {
	l := NEETList{Year: year}
	var err error
	if l.CheckOn, err = s.NEETCheckDate(ctx, year); err != nil {
		return l, err
	}
	l.AtRisk = !l.CheckOn.IsZero() && !calendar.DateOf(s.Clock.Now()).Before(l.CheckOn)
	sc := ScopeFor(a.Principal)
	if !sc.All && len(sc.Schools) == 0 {
		return l, nil
	}
	rows, err := s.DB.Query(ctx, `
		SELECT st.id, coalesce(nullif(btrim(st.preferred_first_name), ''), st.legal_first_name) || ' ' || coalesce(nullif(btrim(st.preferred_last_name), ''), st.legal_last_name),
		       st.school_id, sc.name, coalesce(d.destination, ''), coalesce(d.detail, ''), d.confirmed_on, d.recorded_at, coalesce(u.name, '')
		FROM students st
		JOIN organisations sc ON sc.id = st.school_id
		LEFT JOIN post16_destinations d ON d.student_id = st.id AND d.academic_year = $1
		LEFT JOIN users u ON u.id = d.recorded_by
		WHERE st.year_group = 11 AND ($2::boolean OR st.school_id = ANY($3))
		  AND EXISTS (SELECT 1 FROM placements p WHERE p.student_id = st.id AND p.academic_year = $1)
		  AND (d.destination IS NULL OR d.destination IN ('not_known', 'neet'))
		ORDER BY sc.name, lower(st.legal_last_name), lower(st.legal_first_name), st.id
		LIMIT `+strconv.Itoa(max(limit, 0)+1), year, sc.All, nonNil(sc.Schools))
	if err != nil {
		return l, fmt.Errorf("list NEET risk: %w", err)
	}
	l.Rows, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (NEETRow, error) {
		var r NEETRow
		var dest string
		var at *time.Time
		err := row.Scan(&r.StudentID, &r.StudentName, &r.SchoolID, &r.SchoolName, &dest, &r.Destination.Detail, &r.Destination.ConfirmedOn,
			&at, &r.Destination.Recorded.By)
		r.Destination.StudentID, r.Destination.AcademicYear, r.Destination.Destination = r.StudentID, year, Destination(dest)
		r.Destination.Recorded.At = timeOrZero(at)
		return r, err
	})
	if err != nil {
		return l, fmt.Errorf("list NEET risk: %w", err)
	}
	if len(l.Rows) > limit {
		l.Rows, l.More = l.Rows[:limit], true
	}
	if len(l.Rows) > 0 {
		ids := make([]int64, len(l.Rows))
		for i, r := range l.Rows {
			ids[i] = r.StudentID
		}
		if err := audit.On(s.DB).Write(ctx, audit.Entry{At: s.Clock.Now(), ActorUserID: a.userIDPtr(), ActorEmail: a.email(),
			Action: ActionNEETListed, SubjectType: "student", Summary: fmt.Sprintf("Shown %d Year 11 students without a confirmed destination", len(l.Rows)),
			Details: map[string]any{"shown": ids, "year": year}, RequestID: a.RequestID}); err != nil {
			return l, fmt.Errorf("audit NEET list: %w", err)
		}
	}
	return l, nil
}
