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
	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/db"
	"github.com/coventry-cap/capportal/internal/input"
)

// MaxNote is the longest note a mark carries (the other reason, why there was no session).
const MaxNote = 500

// MaxLateMinutes is the latest a learner can arrive and still be marked late rather than absent.
const MaxLateMinutes = 300

// Mark is a learner's mark in a register, as it stands now.
type Mark struct {
	ID          int64
	PlacementID int64
	Date        calendar.Date
	Session     Session
	Status      Status
	LateMinutes int
	Reason      Reason
	Note        string
	Code        string // the DfE code for the school's register
	Version     int    // 1 for the mark as first recorded; each correction adds one
	RecordedAt  time.Time
	RecordedBy  string // who recorded it (or its latest correction)
}

// Text describes the mark for people: "Late (25 minutes)", "Absent: Illness".
func (m Mark) Text() string {
	switch m.Status {
	case Late:
		return fmt.Sprintf("Late (%d minutes)", m.LateMinutes)
	case Absent:
		t := "Absent: " + m.Reason.Label()
		if m.Note != "" {
			t += " (" + m.Note + ")"
		}
		return t
	case NoSession:
		if m.Note != "" {
			return "No session: " + m.Note
		}
		return "No session"
	}
	return m.Status.Label()
}

// MarkInput is a mark as the provider gives it.
type MarkInput struct {
	PlacementID int64
	Status      Status
	LateMinutes int
	Reason      Reason
	Note        string
}

// Field names of a learner's mark in the register form, by placement.
func fieldOf(what string, placementID int64) string {
	return what + "-" + strconv.FormatInt(placementID, 10)
}

// MarkField is the form field of a learner's mark in the register: "mark-12".
func MarkField(placementID int64) string { return fieldOf("mark", placementID) }

// LateField is the form field of the minutes late: "late-12".
func LateField(placementID int64) string { return fieldOf("late", placementID) }

// ReasonField is the form field of the absence's reason: "reason-12".
func ReasonField(placementID int64) string { return fieldOf("reason", placementID) }

// NoteField is the form field of the other reason or why there was no session: "note-12".
func NoteField(placementID int64) string { return fieldOf("note", placementID) }

// Problems says what is wrong with the mark, for a learner called name: a mark is chosen; late gives the
// minutes; absent gives a reason, and "other" says what it was; no session says why.
func (in MarkInput) Problems(name string) input.Problems {
	var ps input.Problems
	add := func(field, msg string) { ps = append(ps, input.FieldProblem{Field: field, Message: msg}) }
	switch in.Status {
	case Present:
	case Late:
		if in.LateMinutes < 1 || in.LateMinutes > MaxLateMinutes {
			add(LateField(in.PlacementID), fmt.Sprintf("Enter how many minutes late %s was, from 1 to %d", name, MaxLateMinutes))
		}
	case Absent:
		switch {
		case !in.Reason.Valid():
			add(ReasonField(in.PlacementID), "Select why "+name+" was absent")
		case in.Reason == OtherReason && strings.TrimSpace(in.Note) == "":
			add(NoteField(in.PlacementID), "Say why "+name+" was absent")
		}
	case NoSession:
		if strings.TrimSpace(in.Note) == "" {
			add(NoteField(in.PlacementID), "Say why there was no session for "+name)
		}
	default:
		add(MarkField(in.PlacementID), "Select a mark for "+name)
	}
	if utf8.RuneCountInString(strings.TrimSpace(in.Note)) > MaxNote {
		add(NoteField(in.PlacementID), fmt.Sprintf("The note for %s must be %d characters or fewer", name, MaxNote))
	}
	return ps
}

// normalised keeps only what the mark's status uses: minutes for late, a reason for absent, a note for
// an absence or a session that did not run.
func (in MarkInput) normalised() MarkInput {
	in.Note = strings.TrimSpace(in.Note)
	if in.Status != Late {
		in.LateMinutes = 0
	}
	if in.Status != Absent {
		in.Reason = ""
	}
	if in.Status == Present || in.Status == Late {
		in.Note = ""
	}
	return in
}

// same reports whether the mark already says what the input says.
func (m Mark) same(in MarkInput) bool {
	in = in.normalised()
	return m.Status == in.Status && m.LateMinutes == in.LateMinutes && m.Reason == in.Reason && m.Note == in.Note
}

// RegisterLine is a learner in a register: their placement and, once taken, their mark.
type RegisterLine struct {
	Placement Placement
	Mark      *Mark
}

// Register is a provider's register for a day and session: every learner expected then, in name order.
type Register struct {
	ProviderID int64
	Date       calendar.Date
	Session    Session
	TakenAt    time.Time // zero until taken
	TakenBy    string
	Lines      []RegisterLine
}

// Taken reports whether the register has been taken.
func (r Register) Taken() bool { return !r.TakenAt.IsZero() }

// Unmarked are the learners without a mark yet (all of them before the register is taken; a learner
// whose placement started after it was taken).
func (r Register) Unmarked() []RegisterLine {
	var out []RegisterLine
	for _, l := range r.Lines {
		if l.Mark == nil {
			out = append(out, l)
		}
	}
	return out
}

// ErrNotProviders is returned when the person does not take this provider's registers.
var ErrNotProviders = errors.New("only the provider's staff, or CAP, take its registers")

// ErrClosedDay is returned for a day the register cannot be taken: not a school day, or in the future.
var ErrClosedDay = errors.New("no register is taken on that day")

// ErrMarked is returned when a mark sent with the register differs from the one it already holds:
// a recorded mark is changed by a correction, which says why.
var ErrMarked = errors.New("a learner's mark was already recorded: correct it instead")

// ErrNotExpected is returned for a mark for a learner not expected in the register.
var ErrNotExpected = errors.New("that learner is not expected in this register")

// candidatesSQL reads the provider's placements that may be expected on a day ($2, weekday $3) in a
// session ($4), before the school-day and Refocus rules: the caller filters them with ExpectedOn.
const candidatesSQL = selectPlacement + `
		WHERE p.provider_id = $1 AND p.start_date <= $2
		  AND (p.planned_end_date IS NULL OR p.planned_end_date >= $2)
		  AND (p.ended_on IS NULL OR p.ended_on >= $2)
		  AND (p.status = 'active' OR p.ended_on IS NOT NULL)
		  AND (($3::smallint = ANY(p.days) AND $4::text = ANY(p.sessions))
		       -- Before a change of day, the days in force were others: ExpectedOn decides.
		       OR EXISTS (SELECT 1 FROM placement_day_changes c WHERE c.placement_id = p.id AND c.effective_from > $2))
		ORDER BY lower(st.legal_last_name), lower(st.legal_first_name), p.id`

// Register is the provider's register for the day and session: every learner expected then with their
// mark once taken, and any learner marked then who is no longer expected (a change since). Viewing it
// is recorded in the audit log, since it lists the learners by name.
func (s Store) Register(ctx context.Context, a Actor, providerID int64, day calendar.Date, session Session) (Register, error) {
	if !TakesRegisters(a.Principal, providerID) {
		return Register{}, ErrNotProviders
	}
	reg, err := s.register(ctx, s.DB, providerID, day, session)
	if err != nil {
		return reg, err
	}
	if len(reg.Lines) > 0 {
		err = audit.On(s.DB).Write(ctx, audit.Entry{At: s.Clock.Now(), ActorUserID: a.userIDPtr(), ActorEmail: a.email(),
			Action: ActionViewed, SubjectType: "register", SubjectID: fmt.Sprintf("%d/%s/%s", providerID, day, session),
			Summary:   fmt.Sprintf("Viewed the %s register of %s (%d learners)", strings.ToLower(session.Label()), day.Format(), len(reg.Lines)),
			RequestID: a.RequestID})
		if err != nil {
			return reg, fmt.Errorf("audit register view: %w", err)
		}
	}
	return reg, nil
}

func (s Store) register(ctx context.Context, q db.DBTX, providerID int64, day calendar.Date, session Session) (Register, error) {
	reg := Register{ProviderID: providerID, Date: day, Session: session}
	sd, err := calendar.On(q).SchoolDays(ctx)
	if err != nil {
		return reg, err
	}
	// The register if taken, the learners who may be expected and the register's marks: one batch,
	// one round trip.
	var cands []Placement
	var ms []Mark
	b := &pgx.Batch{}
	b.Queue(`SELECT g.id, g.taken_at, u.name FROM registers g JOIN users u ON u.id = g.taken_by
		WHERE g.provider_id = $1 AND g.on_date = $2 AND g.session = $3`, providerID, day, string(session)).QueryRow(func(row pgx.Row) error {
		var id int64
		if err := row.Scan(&id, &reg.TakenAt, &reg.TakenBy); err != nil && !errors.Is(err, pgx.ErrNoRows) {
			return fmt.Errorf("read register: %w", err)
		}
		return nil
	})
	b.Queue(candidatesSQL, providerID, day, int16(day.Weekday()), string(session)).Query(func(rows pgx.Rows) error {
		var err error
		cands, err = collectPlacements(rows, nil)
		return err
	})
	b.Queue(selectMark+` JOIN registers g ON g.id = m.register_id
		WHERE g.provider_id = $1 AND g.on_date = $2 AND g.session = $3`, providerID, day, string(session)).Query(func(rows pgx.Rows) error {
		var err error
		ms, err = collectMarks(rows, nil)
		return err
	})
	if err := db.SendBatch(ctx, q, b); err != nil {
		return reg, err
	}
	marks := map[int64]Mark{}
	for _, m := range ms {
		marks[m.PlacementID] = m
	}
	for _, p := range cands {
		m, marked := marks[p.ID]
		if !marked && !p.ExpectedOn(sd, day, session) {
			continue
		}
		line := RegisterLine{Placement: p}
		if marked {
			line.Mark = &m
			delete(marks, p.ID)
		}
		reg.Lines = append(reg.Lines, line)
	}
	// Marked, but not among today's candidates any more (its days were changed since): still shown.
	for _, m := range marks {
		p, err := scanPlacement(q.QueryRow(ctx, selectPlacement+` WHERE p.id = $1`, m.PlacementID))
		if err != nil {
			return reg, err
		}
		mm := m
		reg.Lines = append(reg.Lines, RegisterLine{Placement: p, Mark: &mm})
	}
	return reg, nil
}

const selectMark = `SELECT m.id, m.placement_id, m.on_date, m.session, m.status, coalesce(m.late_minutes, 0),
	coalesce(m.absence_reason, ''), m.note, m.code, m.version, m.recorded_at, u.name
	FROM attendance_marks m JOIN users u ON u.id = m.recorded_by`

func collectMarks(rows pgx.Rows, err error) ([]Mark, error) {
	if err != nil {
		return nil, fmt.Errorf("read marks: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (Mark, error) {
		var m Mark
		var session, status, reason string
		err := row.Scan(&m.ID, &m.PlacementID, &m.Date, &session, &status, &m.LateMinutes, &reason, &m.Note, &m.Code,
			&m.Version, &m.RecordedAt, &m.RecordedBy)
		m.Session, m.Status, m.Reason = Session(session), Status(status), Reason(reason)
		return m, err
	})
	if err != nil {
		return nil, fmt.Errorf("read marks: %w", err)
	}
	return out, nil
}

// Taken is what taking a register did: the marks now recorded, and those that were new.
type Taken struct {
	Register Register
	New      []Mark // the marks this request recorded (none when it repeated a register already taken)
}

// TakeRegister records the marks of a register in one transaction: a mark for every learner expected
// and not yet marked, each checked (see MarkInput.Problems, returned as input.Problems). Sending the
// same register twice records it once; a mark already recorded is changed only by Correct. The
// register is taken on a school day, today or before.
func (s Store) TakeRegister(ctx context.Context, a Actor, providerID int64, day calendar.Date, session Session, marks []MarkInput) (Taken, error) {
	var out Taken
	if !TakesRegisters(a.Principal, providerID) {
		return out, ErrNotProviders
	}
	if !session.Valid() || day.After(calendar.DateOf(s.Clock.Now())) {
		return out, ErrClosedDay
	}
	now := s.Clock.Now()
	err := db.InTx(ctx, s.DB, func(tx pgx.Tx) error {
		// One register at a time for a provider's session, so two people sending it both see the other's.
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtextextended($1, 11))`,
			fmt.Sprintf("register/%d/%s/%s", providerID, day, session)); err != nil {
			return err
		}
		sd, err := calendar.On(tx).SchoolDays(ctx)
		if err != nil {
			return err
		}
		if !sd.IsSchoolDay(day) {
			return ErrClosedDay
		}
		reg, err := s.register(ctx, tx, providerID, day, session)
		if err != nil {
			return err
		}
		byPlacement := map[int64]RegisterLine{}
		for _, l := range reg.Lines {
			byPlacement[l.Placement.ID] = l
		}
		given := map[int64]MarkInput{}
		for _, in := range marks {
			if _, ok := byPlacement[in.PlacementID]; !ok {
				return ErrNotExpected
			}
			given[in.PlacementID] = in.normalised()
		}
		var ps input.Problems
		var fresh []MarkInput
		for _, l := range reg.Lines {
			in, ok := given[l.Placement.ID]
			switch {
			case l.Mark != nil && ok && !l.Mark.same(in):
				return ErrMarked
			case l.Mark != nil:
				continue
			case !ok:
				in = MarkInput{PlacementID: l.Placement.ID}
			}
			if p := in.Problems(l.Placement.StudentName); len(p) > 0 {
				ps = append(ps, p...)
				continue
			}
			fresh = append(fresh, in)
		}
		if len(ps) > 0 {
			return ps
		}
		if len(fresh) == 0 {
			out.Register = reg
			return nil
		}
		var registerID int64
		err = tx.QueryRow(ctx, `INSERT INTO registers (provider_id, on_date, session, taken_at, taken_by) VALUES ($1, $2, $3, $4, $5)
			ON CONFLICT (provider_id, on_date, session) DO UPDATE SET provider_id = EXCLUDED.provider_id RETURNING id`,
			providerID, day, string(session), now, a.userID()).Scan(&registerID)
		if err != nil {
			return fmt.Errorf("record register: %w", err)
		}
		ids, statuses, lates, reasons, notes, codes := make([]int64, len(fresh)), make([]string, len(fresh)), make([]*int32, len(fresh)),
			make([]*string, len(fresh)), make([]string, len(fresh)), make([]string, len(fresh))
		for i, in := range fresh {
			ids[i], statuses[i], notes[i], codes[i] = in.PlacementID, string(in.Status), in.Note, Code(in.Status, in.Reason)
			if in.Status == Late {
				n := int32(in.LateMinutes)
				lates[i] = &n
			}
			if in.Status == Absent {
				r := string(in.Reason)
				reasons[i] = &r
			}
		}
		rows, err := tx.Query(ctx, `INSERT INTO attendance_marks (placement_id, register_id, on_date, session, status, late_minutes,
				absence_reason, note, code, recorded_at, recorded_by)
			SELECT u.placement_id, $2, $3, $4, u.status, u.late_minutes, u.absence_reason, u.note, u.code, $5, $6
			FROM unnest($1::bigint[], $7::text[], $8::int[], $9::text[], $10::text[], $11::text[])
				AS u(placement_id, status, late_minutes, absence_reason, note, code)
			RETURNING id`, ids, registerID, day, string(session), now, a.userID(), statuses, lates, reasons, notes, codes)
		if err != nil {
			return fmt.Errorf("record marks: %w", err)
		}
		if _, err := pgx.CollectRows(rows, pgx.RowTo[int64]); err != nil {
			return fmt.Errorf("record marks: %w", err)
		}
		if err := audit.On(tx).Write(ctx, audit.Entry{At: now, ActorUserID: a.userIDPtr(), ActorEmail: a.email(),
			Action: ActionRegister, SubjectType: "register", SubjectID: fmt.Sprintf("%d/%s/%s", providerID, day, session),
			Summary:   fmt.Sprintf("Took the %s register of %s: %d marks", strings.ToLower(session.Label()), day.Format(), len(fresh)),
			RequestID: a.RequestID}); err != nil {
			return err
		}
		if out.Register, err = s.register(ctx, tx, providerID, day, session); err != nil {
			return err
		}
		for _, l := range out.Register.Lines {
			if l.Mark != nil && slices.Contains(ids, l.Placement.ID) {
				out.New = append(out.New, *l.Mark)
			}
		}
		// An absence with no known reason alerts the school and CAP the same day (AlertAbsence).
		return s.queueAbsenceAlerts(ctx, tx, out.New)
	})
	return out, err
}

// Change is a mark as it was before a correction, and who replaced it, when and why.
type Change struct {
	Was        Mark
	ReplacedAt time.Time
	ReplacedBy string
	Reason     string
}

// ErrNoReason is returned for a correction without a reason.
var ErrNoReason = errors.New("a correction says why the mark was wrong")

// Correct changes a recorded mark, keeping what it replaced with who changed it, when and why.
func (s Store) Correct(ctx context.Context, a Actor, markID int64, in MarkInput, why string) (Mark, error) {
	var out Mark
	why = strings.TrimSpace(why)
	now := s.Clock.Now()
	err := db.InTx(ctx, s.DB, func(tx pgx.Tx) error {
		ms, err := collectMarks(tx.Query(ctx, selectMark+` WHERE m.id = $1 FOR UPDATE OF m`, markID))
		if err != nil {
			return err
		}
		if len(ms) == 0 {
			return db.ErrNotFound
		}
		m := ms[0]
		p, err := Store{DB: tx, Clock: s.Clock}.Get(ctx, a, m.PlacementID)
		if err != nil {
			return err
		}
		if !TakesRegisters(a.Principal, p.ProviderID) {
			return ErrNotProviders
		}
		in.PlacementID = p.ID
		in = in.normalised()
		var ps input.Problems
		ps = append(ps, in.Problems(p.StudentName)...)
		if why == "" {
			ps = append(ps, input.FieldProblem{Field: "why", Message: "Say why the mark is being corrected"})
		} else if utf8.RuneCountInString(why) > MaxNote {
			ps = append(ps, input.FieldProblem{Field: "why", Message: fmt.Sprintf("The reason must be %d characters or fewer", MaxNote)})
		}
		if len(ps) > 0 {
			return ps
		}
		if m.same(in) {
			out = m
			return nil
		}
		if _, err := tx.Exec(ctx, `INSERT INTO attendance_mark_history (mark_id, version, status, late_minutes, absence_reason, note,
				code, recorded_at, recorded_by, replaced_at, replaced_by, reason)
			SELECT id, version, status, late_minutes, absence_reason, note, code, recorded_at, recorded_by, $2, $3, $4
			FROM attendance_marks WHERE id = $1`, markID, now, a.userID(), why); err != nil {
			return fmt.Errorf("keep the original mark: %w", err)
		}
		var late *int32
		var reason *string
		if in.Status == Late {
			n := int32(in.LateMinutes)
			late = &n
		}
		if in.Status == Absent {
			r := string(in.Reason)
			reason = &r
		}
		if _, err := tx.Exec(ctx, `UPDATE attendance_marks SET status = $2, late_minutes = $3, absence_reason = $4, note = $5,
				code = $6, version = version + 1, recorded_at = $7, recorded_by = $8 WHERE id = $1`,
			markID, string(in.Status), late, reason, in.Note, Code(in.Status, in.Reason), now, a.userID()); err != nil {
			return fmt.Errorf("correct mark: %w", err)
		}
		if err := audit.On(tx).Write(ctx, audit.Entry{At: now, ActorUserID: a.userIDPtr(), ActorEmail: a.email(),
			Action: ActionCorrected, SubjectType: "placement", SubjectID: fmt.Sprint(p.ID),
			Summary: fmt.Sprintf("Corrected the %s mark of %s from %s to %s", strings.ToLower(m.Session.Label()), m.Date.Format(), m.Text(),
				Mark{Status: in.Status, LateMinutes: in.LateMinutes, Reason: in.Reason, Note: in.Note}.Text()),
			Details: map[string]any{"mark": markID, "reason": why}, RequestID: a.RequestID}); err != nil {
			return err
		}
		ms, err = collectMarks(tx.Query(ctx, selectMark+` WHERE m.id = $1`, markID))
		if err != nil {
			return err
		}
		out = ms[0]
		// A correction to an absence with no known reason alerts it, once for the mark however often it
		// is corrected.
		return s.queueAbsenceAlerts(ctx, tx, ms)
	})
	return out, err
}

// History is what a mark replaced, oldest first.
func (s Store) History(ctx context.Context, markID int64) ([]Change, error) {
	rows, err := s.DB.Query(ctx, `SELECT h.mark_id, h.version, h.status, coalesce(h.late_minutes, 0), coalesce(h.absence_reason, ''),
			h.note, h.code, h.recorded_at, ru.name, h.replaced_at, xu.name, h.reason
		FROM attendance_mark_history h JOIN users ru ON ru.id = h.recorded_by JOIN users xu ON xu.id = h.replaced_by
		WHERE h.mark_id = $1 ORDER BY h.version`, markID)
	if err != nil {
		return nil, fmt.Errorf("read mark history: %w", err)
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (Change, error) {
		var c Change
		var status, reason string
		err := row.Scan(&c.Was.ID, &c.Was.Version, &status, &c.Was.LateMinutes, &reason, &c.Was.Note, &c.Was.Code,
			&c.Was.RecordedAt, &c.Was.RecordedBy, &c.ReplacedAt, &c.ReplacedBy, &c.Reason)
		c.Was.Status, c.Was.Reason = Status(status), Reason(reason)
		return c, err
	})
}
