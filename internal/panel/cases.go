package panel

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
	"github.com/coventry-cap/capportal/internal/directory"
	"github.com/coventry-cap/capportal/internal/input"
)

// The panels a round holds.
const (
	ReviewPanel      = "review"
	MultiAgencyPanel = "multi_agency"
	HeadteacherPanel = "headteacher"
)

// Panels are the panels in the order a round holds them.
var Panels = []string{ReviewPanel, MultiAgencyPanel, HeadteacherPanel}

// PanelName is how people name a panel.
func PanelName(p string) string {
	switch p {
	case ReviewPanel:
		return "Review and Authorisation Panel"
	case MultiAgencyPanel:
		return "Multi-Agency Panel"
	case HeadteacherPanel:
		return "Supported Transfer Headteacher Placement Meeting"
	}
	return p
}

// ValidPanel reports whether p names one of the panels.
func ValidPanel(p string) bool { return slices.Contains(Panels, p) }

// Decisions a panel records.
const (
	Approved    = "approved"
	NotApproved = "not_approved"
	Deferred    = "deferred"
)

// DecisionLabel names a decision.
func DecisionLabel(d string) string {
	switch d {
	case Approved:
		return "Approved"
	case NotApproved:
		return "Not approved"
	case Deferred:
		return "Deferred to the next round"
	}
	return "Not decided yet"
}

// LetterWorkingDays is how long CAP has, in working days after the meeting, to share the outcome
// letter with the school.
const LetterWorkingDays = 3

// LetterDue is the last day the outcome letter of a meeting held on the day may be shared.
func LetterDue(wd *calendar.WorkingDays, meeting calendar.Date) calendar.Date {
	return wd.AddWorkingDays(meeting, LetterWorkingDays)
}

// Meeting is one panel of a round, on the day CAP scheduled it, with who attended.
type Meeting struct {
	ID        int64
	RoundID   int64
	Panel     string
	HeldOn    calendar.Date
	ChairID   int64
	ChairName string
	Others    string
	Attendees []Member
}

// Attended reports whether the user attended.
func (m Meeting) Attended(userID int64) bool {
	_, ok := m.Attendee(userID)
	return ok
}

// Attendee returns the attendee with the user ID.
func (m Meeting) Attendee(userID int64) (Member, bool) {
	i := slices.IndexFunc(m.Attendees, func(a Member) bool { return a.UserID == userID })
	if i < 0 {
		return Member{}, false
	}
	return m.Attendees[i], true
}

// Undecidable are the cases still to decide at the meeting that nobody attending can decide, because
// every panel member recorded as attending is from the case's referring school (a conflict of
// interest). With no attendance recorded yet there is nothing to say.
func (m Meeting) Undecidable(cases []Case) []Case {
	var out []Case
	for _, c := range cases {
		if c.Decided() || len(m.Attendees) == 0 {
			continue
		}
		if !slices.ContainsFunc(m.Attendees, func(a Member) bool { return !a.From(c.SchoolID) }) {
			out = append(out, c)
		}
	}
	return out
}

// Member is a panel member: a user holding the panel member role, with the organisations they belong to.
type Member struct {
	UserID int64
	Name   string
	Orgs   []int64
	// OrgNames lists the organisations, for the attendance list.
	OrgNames string
}

// From reports whether the member belongs to the organisation (the referring school: a conflict of interest).
func (m Member) From(orgID int64) bool { return slices.Contains(m.Orgs, orgID) }

// Case is a referral on a panel's agenda in a round, and what the panel decided.
type Case struct {
	ID          int64
	RoundID     int64
	Panel       string
	ReferralID  int64
	Reference   string
	StudentName string
	SchoolID    int64
	SchoolName  string
	SchoolSLA   bool
	Programme   string
	Kind        directory.Kind
	Tier        int
	Position    int
	SLAPriority bool
	AddedAt     time.Time
	CarriedFrom int64
	Minutes     string
	Decision    string
	Rationale   string
	Conditions  string
	// ReceivingSchool is the school a Headteacher Placement Meeting allocated.
	ReceivingSchoolID   int64
	ReceivingSchoolName string
	DecidedAt           *time.Time
	DecidedByName       string
	TookPart, Excluded  []int64
	LetterDue           calendar.Date
	LetterSharedAt      *time.Time
}

// Decided reports whether the panel has recorded its decision.
func (c Case) Decided() bool { return c.Decision != "" }

// LetterLate reports whether the outcome letter was, or is being, shared after its due day.
func (c Case) LetterLate(today calendar.Date) bool {
	if !c.Decided() {
		return false
	}
	if c.LetterSharedAt != nil {
		return calendar.DateOf(*c.LetterSharedAt).After(c.LetterDue)
	}
	return today.After(c.LetterDue)
}

const caseColumns = `c.id, c.round_id, c.panel, c.referral_id, coalesce(r.reference, ''),
	coalesce(nullif(btrim(st.preferred_first_name), ''), st.legal_first_name) || ' ' || coalesce(nullif(btrim(st.preferred_last_name), ''), st.legal_last_name),
	r.school_id, sc.name,
	EXISTS (SELECT 1 FROM slas l WHERE l.school_id = r.school_id AND l.academic_year = r.academic_year AND l.signed),
	p.name, p.kind, p.tier, c.position, c.sla_priority, c.added_at, coalesce(c.carried_from, 0), c.minutes,
	coalesce(c.decision, ''), c.rationale, c.conditions, coalesce(c.receiving_school_id, 0), coalesce(rs.name, ''),
	c.decided_at, coalesce(du.name, ''), c.took_part, c.excluded, c.letter_due, c.letter_shared_at`

const caseFrom = ` FROM panel_cases c
	JOIN referrals r ON r.id = c.referral_id
	JOIN students st ON st.id = r.student_id
	JOIN organisations sc ON sc.id = r.school_id
	JOIN programmes p ON p.id = r.programme_id
	LEFT JOIN organisations rs ON rs.id = c.receiving_school_id
	LEFT JOIN users du ON du.id = c.decided_by`

func scanCase(row pgx.Row) (Case, error) {
	var c Case
	var due *calendar.Date
	err := row.Scan(&c.ID, &c.RoundID, &c.Panel, &c.ReferralID, &c.Reference, &c.StudentName, &c.SchoolID, &c.SchoolName,
		&c.SchoolSLA, &c.Programme, &c.Kind, &c.Tier, &c.Position, &c.SLAPriority, &c.AddedAt, &c.CarriedFrom, &c.Minutes,
		&c.Decision, &c.Rationale, &c.Conditions, &c.ReceivingSchoolID, &c.ReceivingSchoolName,
		&c.DecidedAt, &c.DecidedByName, &c.TookPart, &c.Excluded, &due, &c.LetterSharedAt)
	if due != nil {
		c.LetterDue = *due
	}
	return c, err
}

func collectCases(rows pgx.Rows, err error) ([]Case, error) {
	if err != nil {
		return nil, fmt.Errorf("panel cases: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (Case, error) { return scanCase(row) })
	if err != nil {
		return nil, fmt.Errorf("panel cases: %w", err)
	}
	return out, nil
}

// Agenda is a panel's cases in a round, in the agenda's order.
func (s Store) Agenda(ctx context.Context, roundID int64, panel string) ([]Case, error) {
	return collectCases(s.DB.Query(ctx, `SELECT `+caseColumns+caseFrom+`
		WHERE c.round_id = $1 AND c.panel = $2 ORDER BY c.position, c.id`, roundID, panel))
}

// ViewAgenda is a panel's agenda for its page: the cases name their students, so the view is
// recorded in the audit log with the referrals it showed.
func (s Store) ViewAgenda(ctx context.Context, now time.Time, actor Actor, roundID int64, panel string) ([]Case, error) {
	cases, err := s.Agenda(ctx, roundID, panel)
	if err != nil || len(cases) == 0 {
		return cases, err
	}
	refs := make([]string, len(cases))
	for i, c := range cases {
		refs[i] = c.Reference
	}
	err = audit.On(s.DB).Write(ctx, audit.Entry{At: now, ActorUserID: actor.UserID, ActorEmail: actor.Email,
		Action: ActionViewed, SubjectType: "panel_round", SubjectID: fmt.Sprint(roundID),
		Summary: fmt.Sprintf("Viewed the %s agenda (%d cases)", PanelName(panel), len(cases)),
		Details: map[string]any{"panel": panel, "shown": refs}, RequestID: actor.RequestID})
	if err != nil {
		return nil, fmt.Errorf("audit agenda view: %w", err)
	}
	return cases, nil
}

// CasesOf is a referral's panel cases, oldest first.
func (s Store) CasesOf(ctx context.Context, referralID int64) ([]Case, error) {
	return collectCases(s.DB.Query(ctx, `SELECT `+caseColumns+caseFrom+`
		WHERE c.referral_id = $1 ORDER BY c.added_at, c.id`, referralID))
}

// GetCase returns one case, or db.ErrNotFound.
func (s Store) GetCase(ctx context.Context, id int64) (Case, error) {
	c, err := scanCase(s.DB.QueryRow(ctx, `SELECT `+caseColumns+caseFrom+` WHERE c.id = $1`, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return c, db.ErrNotFound
	}
	if err != nil {
		return c, fmt.Errorf("panel case %d: %w", id, err)
	}
	return c, nil
}

// OpenCase is the case a referral waits on, or db.ErrNotFound.
func (s Store) OpenCase(ctx context.Context, referralID int64) (Case, error) {
	c, err := scanCase(s.DB.QueryRow(ctx, `SELECT `+caseColumns+caseFrom+` WHERE c.referral_id = $1 AND c.decision IS NULL`, referralID))
	if errors.Is(err, pgx.ErrNoRows) {
		return c, db.ErrNotFound
	}
	if err != nil {
		return c, fmt.Errorf("open panel case: %w", err)
	}
	return c, nil
}

// LetterQueue is CAP's outcome letters waiting to be shared: the first few, earliest due first, and
// how many there are and how many are late.
type LetterQueue struct {
	Cases       []Case
	Total, Late int
}

// LettersToShare returns the first limit decided cases whose outcome letter has not been shared yet,
// the earliest due first, with the counts of all of them and of those past their due day.
func (s Store) LettersToShare(ctx context.Context, today calendar.Date, limit int) (LetterQueue, error) {
	var out LetterQueue
	if err := s.DB.QueryRow(ctx, `SELECT count(*), count(*) FILTER (WHERE letter_due < $1) FROM panel_cases
		WHERE decision IS NOT NULL AND letter_shared_at IS NULL`, today).Scan(&out.Total, &out.Late); err != nil {
		return out, fmt.Errorf("letters to share: %w", err)
	}
	var err error
	out.Cases, err = collectCases(s.DB.Query(ctx, `SELECT `+caseColumns+caseFrom+`
		WHERE c.decision IS NOT NULL AND c.letter_shared_at IS NULL ORDER BY c.letter_due, c.id LIMIT `+strconv.Itoa(max(limit, 0))))
	return out, err
}

// LettersSharedWith are the outcome letters CAP shared with the school since the moment, newest first:
// the letters for its coordinator to read.
func (s Store) LettersSharedWith(ctx context.Context, schoolID int64, since time.Time, limit int) ([]Case, error) {
	return collectCases(s.DB.Query(ctx, `SELECT `+caseColumns+caseFrom+`
		WHERE r.school_id = $1 AND c.letter_shared_at >= $2 ORDER BY c.letter_shared_at DESC, c.id DESC LIMIT `+strconv.Itoa(max(limit, 0)), schoolID, since))
}

// AddCase puts a referral on a panel's agenda in a round. An SLA school's Tier 2 case goes after the
// other SLA Tier 2 cases and before everyone else's, as the SLA promises; any other case goes last.
// The round's row is locked so that two cases added at once get distinct places. Adding a case that
// is already on that agenda returns it.
func AddCase(ctx context.Context, tx pgx.Tx, roundID int64, panel string, referralID int64, slaPriority bool,
	carriedFrom int64, now time.Time, by int64) (int64, error) {
	if _, err := tx.Exec(ctx, `SELECT 1 FROM panel_rounds WHERE id = $1 FOR UPDATE`, roundID); err != nil {
		return 0, fmt.Errorf("lock round: %w", err)
	}
	var existing int64
	err := tx.QueryRow(ctx, `SELECT id FROM panel_cases WHERE round_id = $1 AND panel = $2 AND referral_id = $3`,
		roundID, panel, referralID).Scan(&existing)
	if err == nil {
		return existing, nil
	}
	if !errors.Is(err, pgx.ErrNoRows) {
		return 0, fmt.Errorf("find case: %w", err)
	}
	var pos int
	if slaPriority {
		if err := tx.QueryRow(ctx, `SELECT coalesce(max(position), 0) + 1 FROM panel_cases
			WHERE round_id = $1 AND panel = $2 AND sla_priority`, roundID, panel).Scan(&pos); err != nil {
			return 0, fmt.Errorf("place case: %w", err)
		}
		if _, err := tx.Exec(ctx, `UPDATE panel_cases SET position = position + 1
			WHERE round_id = $1 AND panel = $2 AND position >= $3`, roundID, panel, pos); err != nil {
			return 0, fmt.Errorf("make room: %w", err)
		}
	} else if err := tx.QueryRow(ctx, `SELECT coalesce(max(position), 0) + 1 FROM panel_cases
			WHERE round_id = $1 AND panel = $2`, roundID, panel).Scan(&pos); err != nil {
		return 0, fmt.Errorf("place case: %w", err)
	}
	var from *int64
	if carriedFrom != 0 {
		from = &carriedFrom
	}
	var id int64
	err = tx.QueryRow(ctx, `INSERT INTO panel_cases (round_id, panel, referral_id, position, sla_priority, added_at, added_by, carried_from)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
		roundID, panel, referralID, pos, slaPriority, now, nullID(by), from).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("add case: %w", err)
	}
	return id, nil
}

// ErrCannotMove is returned when a case is already first (or last) on its agenda.
var ErrCannotMove = errors.New("the case cannot move further that way")

// MoveCase moves a case one place up (earlier) or down the agenda, swapping it with its neighbour.
func (s Store) MoveCase(ctx context.Context, now time.Time, actor Actor, caseID int64, up bool) error {
	return db.InTx(ctx, s.DB, func(tx pgx.Tx) error {
		var roundID int64
		var panel string
		if err := tx.QueryRow(ctx, `SELECT round_id, panel FROM panel_cases WHERE id = $1`, caseID).Scan(&roundID, &panel); err != nil {
			if errors.Is(err, pgx.ErrNoRows) {
				return db.ErrNotFound
			}
			return fmt.Errorf("find case: %w", err)
		}
		if _, err := tx.Exec(ctx, `SELECT 1 FROM panel_rounds WHERE id = $1 FOR UPDATE`, roundID); err != nil {
			return fmt.Errorf("lock round: %w", err)
		}
		rows, err := tx.Query(ctx, `SELECT id FROM panel_cases WHERE round_id = $1 AND panel = $2 ORDER BY position, id`, roundID, panel)
		if err != nil {
			return fmt.Errorf("agenda: %w", err)
		}
		ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
		if err != nil {
			return fmt.Errorf("agenda: %w", err)
		}
		i := -1
		for k, id := range ids {
			if id == caseID {
				i = k
			}
		}
		j := i + 1
		if up {
			j = i - 1
		}
		if i < 0 || j < 0 || j >= len(ids) {
			return ErrCannotMove
		}
		ids[i], ids[j] = ids[j], ids[i]
		// Renumber the whole agenda 1..n, so earlier ties and gaps disappear.
		if _, err := tx.Exec(ctx, `UPDATE panel_cases c SET position = o.n
			FROM unnest($1::bigint[]) WITH ORDINALITY AS o(id, n) WHERE c.id = o.id`, ids); err != nil {
			return fmt.Errorf("reorder: %w", err)
		}
		dir := "down"
		if up {
			dir = "up"
		}
		return audit.On(tx).Write(ctx, audit.Entry{At: now, ActorUserID: actor.UserID, ActorEmail: actor.Email,
			Action: ActionAgenda, SubjectType: "panel_case", SubjectID: fmt.Sprint(caseID),
			Summary: "Moved a case " + dir + " the " + PanelName(panel) + " agenda", RequestID: actor.RequestID})
	})
}

// Audit actions for panels.
const (
	ActionAgenda  = "panel.agenda"
	ActionMeeting = "panel.meeting"
	ActionLetter  = "panel.letter"
	ActionMinutes = "panel.minutes"
	ActionCohort  = "panel.cohort"
	ActionViewed  = "panel.viewed"
)

func nullID(id int64) *int64 {
	if id == 0 {
		return nil
	}
	return &id
}

// Members are the active users holding the panel member role, by name.
func (s Store) Members(ctx context.Context) ([]Member, error) {
	rows, err := s.DB.Query(ctx, `SELECT u.id, u.name,
			array_agg(DISTINCT m.organisation_id ORDER BY m.organisation_id),
			string_agg(DISTINCT o.name, ', ' ORDER BY o.name)
		FROM users u
		JOIN memberships m ON m.user_id = u.id
		JOIN organisations o ON o.id = m.organisation_id
		WHERE u.active AND EXISTS (
			SELECT 1 FROM memberships pm WHERE pm.user_id = u.id AND pm.role = 'panel_member')
		GROUP BY u.id, u.name ORDER BY u.name, u.id`)
	if err != nil {
		return nil, fmt.Errorf("panel members: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (Member, error) {
		var m Member
		err := row.Scan(&m.UserID, &m.Name, &m.Orgs, &m.OrgNames)
		return m, err
	})
	if err != nil {
		return nil, fmt.Errorf("panel members: %w", err)
	}
	return out, nil
}

// GetMeeting returns a round's meeting of a panel, or db.ErrNotFound when CAP has not scheduled it.
func (s Store) GetMeeting(ctx context.Context, roundID int64, panel string) (Meeting, error) {
	var m Meeting
	err := s.DB.QueryRow(ctx, `SELECT m.id, m.round_id, m.panel, m.held_on, coalesce(m.chair_id, 0), coalesce(u.name, ''), m.others
		FROM panel_meetings m LEFT JOIN users u ON u.id = m.chair_id WHERE m.round_id = $1 AND m.panel = $2`, roundID, panel).
		Scan(&m.ID, &m.RoundID, &m.Panel, &m.HeldOn, &m.ChairID, &m.ChairName, &m.Others)
	if errors.Is(err, pgx.ErrNoRows) {
		return m, db.ErrNotFound
	}
	if err != nil {
		return m, fmt.Errorf("panel meeting: %w", err)
	}
	rows, err := s.DB.Query(ctx, `SELECT u.id, u.name,
			coalesce(array_agg(DISTINCT ms.organisation_id) FILTER (WHERE ms.organisation_id IS NOT NULL), '{}'),
			coalesce(string_agg(DISTINCT o.name, ', '), '')
		FROM panel_attendance a JOIN users u ON u.id = a.user_id
		LEFT JOIN memberships ms ON ms.user_id = u.id
		LEFT JOIN organisations o ON o.id = ms.organisation_id
		WHERE a.meeting_id = $1 GROUP BY u.id, u.name ORDER BY u.name, u.id`, m.ID)
	if err != nil {
		return m, fmt.Errorf("attendance: %w", err)
	}
	m.Attendees, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (Member, error) {
		var a Member
		err := row.Scan(&a.UserID, &a.Name, &a.Orgs, &a.OrgNames)
		return a, err
	})
	if err != nil {
		return m, fmt.Errorf("attendance: %w", err)
	}
	return m, nil
}

// ErrMeetingBeforeRoundDeadline is returned when a meeting would be held before the round's referral deadline.
var ErrMeetingBeforeRoundDeadline = errors.New("a panel meets after the round's referral deadline")

// ErrChairAbsent is returned when the chair is not on the meeting's attendance list.
var ErrChairAbsent = errors.New("the chair must be one of the attendees")

// ErrMeetingDecided is returned when a meeting whose decisions are recorded would change.
var ErrMeetingDecided = errors.New("the panel has recorded decisions at this meeting")

// ErrMeetingDay is returned when a meeting would be on a weekend, a bank holiday or outside the round's year.
var ErrMeetingDay = errors.New("a panel meets on a working day in its round's academic year")

// MeetingInput is a meeting as CAP schedules it and records who attended.
type MeetingInput struct {
	HeldOn    calendar.Date
	ChairID   int64
	Attendees []int64
	Others    string
}

// SaveMeeting schedules a round's meeting of a panel, or changes its day, chair and attendance. The
// chair must be one of the attendees when attendance is recorded.
func (s Store) SaveMeeting(ctx context.Context, now time.Time, actor Actor, roundID int64, panel string, in MeetingInput) (Meeting, error) {
	if !ValidPanel(panel) {
		return Meeting{}, db.ErrNotFound
	}
	if in.ChairID != 0 && !slices.Contains(in.Attendees, in.ChairID) {
		return Meeting{}, ErrChairAbsent
	}
	err := db.InTx(ctx, s.DB, func(tx pgx.Tx) error {
		round, err := scanRound(tx.QueryRow(ctx, `SELECT `+roundColumns+` FROM panel_rounds WHERE id = $1 FOR UPDATE`, roundID))
		if errors.Is(err, pgx.ErrNoRows) {
			return db.ErrNotFound
		}
		if err != nil {
			return fmt.Errorf("panel round: %w", err)
		}
		if in.HeldOn.Before(round.Deadline) {
			return ErrMeetingBeforeRoundDeadline
		}
		var inYear bool
		if err := tx.QueryRow(ctx, `SELECT $2::date BETWEEN starts_on AND ends_on FROM academic_years WHERE code = $1`,
			round.AcademicYear, in.HeldOn).Scan(&inYear); err != nil {
			return fmt.Errorf("academic year %s: %w", round.AcademicYear, err)
		}
		if !inYear || !calendar.EnglandWalesWorkingDays().IsWorkingDay(in.HeldOn) {
			return ErrMeetingDay
		}
		// Decisions record who attended and date the outcome letters: once the panel has decided a case
		// at this meeting, its day and attendance stand.
		var decided bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM panel_cases
			WHERE round_id = $1 AND panel = $2 AND cardinality(took_part) > 0)`, roundID, panel).Scan(&decided); err != nil {
			return fmt.Errorf("decided cases: %w", err)
		}
		if decided {
			return ErrMeetingDecided
		}
		var id int64
		err = tx.QueryRow(ctx, `INSERT INTO panel_meetings (round_id, panel, held_on, chair_id, others, created_at, created_by, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $6)
			ON CONFLICT (round_id, panel) DO UPDATE SET held_on = EXCLUDED.held_on, chair_id = EXCLUDED.chair_id,
				others = EXCLUDED.others, updated_at = EXCLUDED.updated_at
			RETURNING id`, roundID, panel, in.HeldOn, nullID(in.ChairID), strings.TrimSpace(in.Others), now, actor.UserID).Scan(&id)
		if err != nil {
			return fmt.Errorf("save meeting: %w", err)
		}
		if _, err := tx.Exec(ctx, `DELETE FROM panel_attendance WHERE meeting_id = $1`, id); err != nil {
			return fmt.Errorf("attendance: %w", err)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO panel_attendance (meeting_id, user_id)
			SELECT $1, u FROM unnest($2::bigint[]) AS u ON CONFLICT DO NOTHING`, id, in.Attendees); err != nil {
			return fmt.Errorf("attendance: %w", err)
		}
		return audit.On(tx).Write(ctx, audit.Entry{At: now, ActorUserID: actor.UserID, ActorEmail: actor.Email,
			Action: ActionMeeting, SubjectType: "panel_meeting", SubjectID: fmt.Sprint(id),
			Summary:   fmt.Sprintf("%s of round %d on %s: %d attending", PanelName(panel), round.Position, in.HeldOn.Format(), len(in.Attendees)),
			RequestID: actor.RequestID})
	})
	if err != nil {
		return Meeting{}, err
	}
	return s.GetMeeting(ctx, roundID, panel)
}

// SaveMinutes records the minutes of a case before (or while) it is decided.
func (s Store) SaveMinutes(ctx context.Context, now time.Time, actor Actor, caseID int64, minutes string) error {
	return db.InTx(ctx, s.DB, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE panel_cases SET minutes = $2 WHERE id = $1`, caseID, strings.TrimSpace(minutes))
		if err != nil {
			return fmt.Errorf("save minutes: %w", err)
		}
		if tag.RowsAffected() == 0 {
			return db.ErrNotFound
		}
		return audit.On(tx).Write(ctx, audit.Entry{At: now, ActorUserID: actor.UserID, ActorEmail: actor.Email,
			Action: ActionMinutes, SubjectType: "panel_case", SubjectID: fmt.Sprint(caseID), Summary: "Saved a case's minutes",
			RequestID: actor.RequestID})
	})
}

// Decision is what the chair records for a case.
type Decision struct {
	// CaseID is the case the form was for: a decision posted for a case already decided is refused.
	CaseID            int64
	Decision          string
	Minutes           string
	Rationale         string
	Conditions        string
	ReceivingSchoolID int64
	// Priority on a cohort's waiting list (Multi-Agency Panel approvals): higher first.
	Priority int
	// TransferStart is the first day at the receiving school (Headteacher Placement Meeting).
	TransferStart calendar.Date
}

// MaxText is the longest minutes, rationale or conditions the portal keeps.
const MaxText = 10000

// Problems says what is wrong with the decision as the chair recorded it, in the form's order: the
// decision is one the panel can make; an approval or refusal gives its rationale (the outcome letter
// quotes it); nothing is longer than MaxText. The store refuses a decision with problems.
func (d Decision) Problems() input.Problems {
	var ps input.Problems
	switch d.Decision {
	case Approved, NotApproved, Deferred:
	default:
		ps = append(ps, input.FieldProblem{Field: "decision", Message: "Select the panel’s decision"})
	}
	long := func(field, what, text string) {
		if utf8.RuneCountInString(strings.TrimSpace(text)) > MaxText {
			ps = append(ps, input.FieldProblem{Field: field, Message: what + " must be 10000 characters or fewer"})
		}
	}
	long("minutes", "The minutes", d.Minutes)
	if strings.TrimSpace(d.Rationale) == "" && (d.Decision == Approved || d.Decision == NotApproved) {
		ps = append(ps, input.FieldProblem{Field: "rationale", Message: "Enter the rationale for the decision"})
	}
	long("rationale", "The rationale", d.Rationale)
	long("conditions", "The conditions", d.Conditions)
	return ps
}

// withDefaults gives a deferral without a rationale the one its letter states.
func (d Decision) withDefaults(panel string) Decision {
	if d.Decision == Deferred && strings.TrimSpace(d.Rationale) == "" {
		d.Rationale = "The " + PanelName(panel) + " deferred the case to its next round."
	}
	return d
}

// RecordDecision writes the decision on the open case inside the referral's move: who took part (the
// attendees not from the referring school), who could not, and the letter's due day.
func RecordDecision(ctx context.Context, tx pgx.Tx, caseID int64, d Decision, decidedBy int64, tookPart, excluded []int64,
	due calendar.Date, now time.Time) error {
	if ps := d.Problems(); len(ps) > 0 {
		return ps
	}
	var panel string
	err := tx.QueryRow(ctx, `SELECT panel FROM panel_cases WHERE id = $1`, caseID).Scan(&panel)
	if errors.Is(err, pgx.ErrNoRows) {
		return ErrDecided
	}
	if err != nil {
		return fmt.Errorf("record decision: %w", err)
	}
	d = d.withDefaults(panel)
	tag, err := tx.Exec(ctx, `UPDATE panel_cases SET decision = $2, minutes = $3, rationale = $4, conditions = $5,
			receiving_school_id = $6, decided_at = $7, decided_by = $8, took_part = $9, excluded = $10, letter_due = $11
		WHERE id = $1 AND decision IS NULL`,
		caseID, d.Decision, strings.TrimSpace(d.Minutes), strings.TrimSpace(d.Rationale), strings.TrimSpace(d.Conditions),
		nullID(d.ReceivingSchoolID), now, nullID(decidedBy), nonNilIDs(tookPart), nonNilIDs(excluded), due)
	if err != nil {
		return fmt.Errorf("record decision: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return ErrDecided
	}
	return nil
}

// ErrDecided is returned when a case's decision has already been recorded.
var ErrDecided = errors.New("the panel's decision on this case has already been recorded")

func nonNilIDs(ids []int64) []int64 {
	if ids == nil {
		return []int64{}
	}
	return ids
}

// ErrLetterShared is returned when the outcome letter has already been shared.
var ErrLetterShared = errors.New("the outcome letter has already been shared")

// ShareLetter records that CAP shared a decided case's outcome letter with the school.
func ShareLetter(ctx context.Context, tx pgx.Tx, now time.Time, actor Actor, caseID int64) error {
	var decided bool
	var shared *time.Time
	err := tx.QueryRow(ctx, `SELECT decision IS NOT NULL, letter_shared_at FROM panel_cases WHERE id = $1 FOR UPDATE`, caseID).
		Scan(&decided, &shared)
	if errors.Is(err, pgx.ErrNoRows) {
		return db.ErrNotFound
	}
	if err != nil {
		return fmt.Errorf("find case: %w", err)
	}
	if shared != nil {
		return ErrLetterShared
	}
	if !decided {
		return ErrNotDecided
	}
	if _, err := tx.Exec(ctx, `UPDATE panel_cases SET letter_shared_at = $2, letter_shared_by = $3 WHERE id = $1`,
		caseID, now, actor.UserID); err != nil {
		return fmt.Errorf("share letter: %w", err)
	}
	return audit.On(tx).Write(ctx, audit.Entry{At: now, ActorUserID: actor.UserID, ActorEmail: actor.Email,
		Action: ActionLetter, SubjectType: "panel_case", SubjectID: fmt.Sprint(caseID), Summary: "Shared an outcome letter with the school",
		RequestID: actor.RequestID})
}

// ErrNotDecided is returned when a letter is shared before the panel decided.
var ErrNotDecided = errors.New("the panel has not decided this case yet")

// RoundAfter is the first confirmed round after the given one whose panels cover the kind: where a
// deferred case goes.
func (s Store) RoundAfter(ctx context.Context, r Round, kind directory.Kind) (Round, error) {
	next, err := scanRound(s.DB.QueryRow(ctx, `SELECT `+roundColumns+` FROM panel_rounds
		WHERE NOT draft AND $2 = ANY (kinds) AND (referral_deadline, position) > ($1::date, $3::smallint)
		ORDER BY referral_deadline, position LIMIT 1`, r.Deadline, kind, r.Position))
	if errors.Is(err, pgx.ErrNoRows) {
		return next, ErrNoRound
	}
	if err != nil {
		return next, fmt.Errorf("next panel round: %w", err)
	}
	return next, nil
}

// MeetingSummary is a scheduled meeting with its round and how many of its cases are undecided.
type MeetingSummary struct {
	RoundID       int64
	RoundPosition int
	AcademicYear  string
	Panel         string
	HeldOn        calendar.Date
	Cases         int
	Undecided     int
}

// MeetingsFrom lists the scheduled meetings on or after the day, or earlier ones with undecided
// cases, soonest first.
func (s Store) MeetingsFrom(ctx context.Context, from calendar.Date, limit int) ([]MeetingSummary, error) {
	rows, err := s.DB.Query(ctx, `SELECT m.round_id, r.position, r.academic_year, m.panel, m.held_on,
			count(c.id), count(c.id) FILTER (WHERE c.decision IS NULL)
		FROM panel_meetings m
		JOIN panel_rounds r ON r.id = m.round_id
		LEFT JOIN panel_cases c ON c.round_id = m.round_id AND c.panel = m.panel
		GROUP BY m.id, r.position, r.academic_year
		HAVING m.held_on >= $1 OR count(c.id) FILTER (WHERE c.decision IS NULL) > 0
		ORDER BY m.held_on, r.position, m.panel LIMIT `+strconv.Itoa(max(limit, 0)), from)
	if err != nil {
		return nil, fmt.Errorf("panel meetings: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (MeetingSummary, error) {
		var m MeetingSummary
		err := row.Scan(&m.RoundID, &m.RoundPosition, &m.AcademicYear, &m.Panel, &m.HeldOn, &m.Cases, &m.Undecided)
		return m, err
	})
	if err != nil {
		return nil, fmt.Errorf("panel meetings: %w", err)
	}
	return out, nil
}

// CaseCount is how many cases a panel has in a round, and how many are still to decide.
type CaseCount struct {
	All, Undecided int
}

// CaseCounts counts each panel's cases in a round.
func (s Store) CaseCounts(ctx context.Context, roundID int64) (map[string]CaseCount, error) {
	rows, err := s.DB.Query(ctx, `SELECT panel, count(*), count(*) FILTER (WHERE decision IS NULL)
		FROM panel_cases WHERE round_id = $1 GROUP BY panel`, roundID)
	if err != nil {
		return nil, fmt.Errorf("count cases: %w", err)
	}
	out := map[string]CaseCount{}
	var p string
	var c CaseCount
	_, err = pgx.ForEachRow(rows, []any{&p, &c.All, &c.Undecided}, func() error {
		out[p] = c
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("count cases: %w", err)
	}
	return out, nil
}

// RoundRef names a round: its position and academic year.
type RoundRef struct {
	Position     int
	AcademicYear string
}

// CarriedFrom names the round each carried case came from, by the ID of the case it was carried from.
func (s Store) CarriedFrom(ctx context.Context, cases []Case) (map[int64]RoundRef, error) {
	var ids []int64
	for _, c := range cases {
		if c.CarriedFrom != 0 {
			ids = append(ids, c.CarriedFrom)
		}
	}
	out := map[int64]RoundRef{}
	if len(ids) == 0 {
		return out, nil
	}
	rows, err := s.DB.Query(ctx, `SELECT c.id, r.position, r.academic_year FROM panel_cases c
		JOIN panel_rounds r ON r.id = c.round_id WHERE c.id = ANY($1)`, ids)
	if err != nil {
		return nil, fmt.Errorf("carried cases: %w", err)
	}
	var id int64
	var ref RoundRef
	_, err = pgx.ForEachRow(rows, []any{&id, &ref.Position, &ref.AcademicYear}, func() error {
		out[id] = ref
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("carried cases: %w", err)
	}
	return out, nil
}

// MeetingDays are the days the year's panel meetings are scheduled, by round and panel.
func (s Store) MeetingDays(ctx context.Context, year string) (map[int64]map[string]calendar.Date, error) {
	rows, err := s.DB.Query(ctx, `SELECT m.round_id, m.panel, m.held_on FROM panel_meetings m
		JOIN panel_rounds r ON r.id = m.round_id WHERE r.academic_year = $1`, year)
	if err != nil {
		return nil, fmt.Errorf("meeting days: %w", err)
	}
	out := map[int64]map[string]calendar.Date{}
	var round int64
	var p string
	var day calendar.Date
	_, err = pgx.ForEachRow(rows, []any{&round, &p, &day}, func() error {
		if out[round] == nil {
			out[round] = map[string]calendar.Date{}
		}
		out[round][p] = day
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("meeting days: %w", err)
	}
	return out, nil
}
