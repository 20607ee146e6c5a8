package safeguarding

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/coventry-cap/capportal/internal/audit"
	"github.com/coventry-cap/capportal/internal/auth"
	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/db"
	"github.com/coventry-cap/capportal/internal/notify"
)

// Store reads and adds safeguarding records. Outbox may be nil (no alerts), as in store tests.
type Store struct {
	DB     db.DBTX
	Clock  calendar.Clock
	Outbox *notify.Outbox
}

// ErrNotAllowed is returned for an entry that cannot be added to that record (an MASH referral on a
// CE tool record, say, or a correction of an entry in another record).
var ErrNotAllowed = errors.New("that entry cannot be added to this record")

// Student is the student a chronology is about.
type Student struct {
	ID         int64
	Name       string
	SchoolID   int64
	SchoolName string
}

// Entry is one entry in the chronology.
type Entry struct {
	ID         int64
	StudentID  int64
	Kind       Kind
	ParentID   int64 // the record it was added to; 0 for a record
	CorrectsID int64 // a correction's entry it corrects
	OrgName    string
	AuthorName string
	RecordedAt time.Time
	Body       Body
}

// Told is an organisation that was told of a record, and when.
type Told struct {
	OrgName string
	At      time.Time
}

// Record is a concern, CE tool record or FIB submission, with everything added to it in order.
type Record struct {
	Entry
	Added []Entry
	Told  []Told
}

// Chronology is a student's records the person may see, oldest first.
type Chronology struct {
	Student Student
	Records []Record
}

const studentName = `coalesce(nullif(btrim(s.preferred_first_name), ''), s.legal_first_name) || ' ' || coalesce(nullif(btrim(s.preferred_last_name), ''), s.legal_last_name)`

// studentVisible is the condition on students s that the scope may see their chronology.
const studentVisible = `(@all OR s.school_id = ANY(@schools) OR EXISTS (
	SELECT 1 FROM placements pl WHERE pl.student_id = s.id AND pl.provider_id = ANY(@providers)))`

// recordVisible is the condition on a record r (of students s) that the scope may see it: the school's
// DSL and CAP's team see all the student's records, a provider's DSL only those their provider made
// or was told of, about a learner placed with it.
const recordVisible = `(@all OR s.school_id = ANY(@schools) OR EXISTS (
	SELECT 1 FROM safeguarding_told t JOIN placements pl ON pl.provider_id = t.org_id AND pl.student_id = r.student_id
	WHERE t.entry_id = r.id AND t.org_id = ANY(@providers)))`

func (sc scope) args(more pgx.NamedArgs) pgx.NamedArgs {
	a := pgx.NamedArgs{"all": sc.All, "schools": sc.Schools, "providers": sc.Providers}
	for k, v := range more {
		a[k] = v
	}
	return a
}

func (s Store) audit(ctx context.Context, q db.DBTX, a Actor, action, subjectType, subjectID, summary string, details map[string]any) error {
	return audit.On(q).Write(ctx, audit.Entry{At: s.Clock.Now(), ActorUserID: a.userID(), ActorEmail: a.email(), RequestID: a.RequestID,
		Action: action, SubjectType: subjectType, SubjectID: subjectID, Summary: summary, Details: details})
}

func student(ctx context.Context, q db.DBTX, sc scope, id int64) (Student, error) {
	var st Student
	if sc.none() {
		return st, db.ErrNotFound
	}
	err := q.QueryRow(ctx, `SELECT s.id, `+studentName+`, s.school_id, sc.name FROM students s JOIN organisations sc ON sc.id = s.school_id
		WHERE s.id = @id AND `+studentVisible, sc.args(pgx.NamedArgs{"id": id})).Scan(&st.ID, &st.Name, &st.SchoolID, &st.SchoolName)
	if errors.Is(err, pgx.ErrNoRows) {
		return st, db.ErrNotFound
	}
	if err != nil {
		return st, fmt.Errorf("read safeguarding student: %w", err)
	}
	return st, nil
}

// MaySee reports whether the person may open the student's chronology, without recording a view:
// for the student page's link, which shows nothing of what the chronology holds.
func (s Store) MaySee(ctx context.Context, p *auth.Principal, studentID int64) (bool, error) {
	_, err := student(ctx, s.DB, scopeOf(p), studentID)
	if errors.Is(err, db.ErrNotFound) {
		return false, nil
	}
	return err == nil, err
}

// Chronology is the student's chronology as the person may see it, and the view is audited; a
// student whose chronology they may not see is db.ErrNotFound.
func (s Store) Chronology(ctx context.Context, a Actor, studentID int64) (Chronology, error) {
	var c Chronology
	sc := scopeOf(a.Principal)
	err := db.InTx(ctx, s.DB, func(tx pgx.Tx) error {
		var err error
		if c.Student, err = student(ctx, tx, sc, studentID); err != nil {
			return err
		}
		if c.Records, err = records(ctx, tx, sc, "r.student_id = @student", pgx.NamedArgs{"student": studentID}); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, ActionChronologyViewed, "student", strconv.FormatInt(studentID, 10),
			"Viewed the student’s safeguarding chronology", map[string]any{"school_id": c.Student.SchoolID, "records": len(c.Records)})
	})
	return c, err
}

// Record is one record with what was added to it, and the student it is about; the view is audited.
// A record the person may not see, or an ID that is not a record's, is db.ErrNotFound.
func (s Store) Record(ctx context.Context, a Actor, id int64) (Student, Record, error) {
	var st Student
	var rec Record
	sc := scopeOf(a.Principal)
	if sc.none() {
		return st, rec, db.ErrNotFound
	}
	err := db.InTx(ctx, s.DB, func(tx pgx.Tx) error {
		rs, err := records(ctx, tx, sc, "r.id = @id", pgx.NamedArgs{"id": id})
		if err != nil {
			return err
		}
		if len(rs) == 0 {
			return db.ErrNotFound
		}
		rec = rs[0]
		if st, err = student(ctx, tx, sc, rec.StudentID); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, ActionRecordViewed, "safeguarding_record", strconv.FormatInt(id, 10),
			"Viewed a safeguarding record", map[string]any{"student_id": rec.StudentID, "kind": string(rec.Kind)})
	})
	return st, rec, err
}

// records reads the visible records matching cond (on records r) with everything added to each.
func records(ctx context.Context, q db.DBTX, sc scope, cond string, args pgx.NamedArgs) ([]Record, error) {
	rows, err := q.Query(ctx, `
		SELECT e.id, e.student_id, e.kind, coalesce(e.parent_id, 0), coalesce(e.corrects_id, 0), o.name, u.name, e.recorded_at, e.body
		FROM safeguarding_entries r
		JOIN students s ON s.id = r.student_id
		JOIN safeguarding_entries e ON e.id = r.id OR e.parent_id = r.id
		JOIN organisations o ON o.id = e.org_id
		JOIN users u ON u.id = e.author_id
		WHERE r.parent_id IS NULL AND `+cond+` AND `+recordVisible+`
		ORDER BY r.recorded_at, r.id, e.recorded_at, e.id`, sc.args(args))
	if err != nil {
		return nil, fmt.Errorf("read safeguarding records: %w", err)
	}
	entries, err := pgx.CollectRows(rows, scanEntry)
	if err != nil {
		return nil, fmt.Errorf("read safeguarding records: %w", err)
	}
	var out []Record
	at := map[int64]int{}
	for _, e := range entries {
		if e.ParentID == 0 {
			at[e.ID] = len(out)
			out = append(out, Record{Entry: e})
			continue
		}
		i := at[e.ParentID]
		out[i].Added = append(out[i].Added, e)
	}
	if len(out) == 0 {
		return out, nil
	}
	ids := make([]int64, len(out))
	for i, r := range out {
		ids[i] = r.ID
	}
	rows, err = q.Query(ctx, `SELECT t.entry_id, o.name, t.told_at FROM safeguarding_told t JOIN organisations o ON o.id = t.org_id
		WHERE t.entry_id = ANY($1) ORDER BY t.told_at, o.name`, ids)
	if err != nil {
		return nil, fmt.Errorf("read who was told: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var t Told
		if err := rows.Scan(&id, &t.OrgName, &t.At); err != nil {
			return nil, fmt.Errorf("read who was told: %w", err)
		}
		out[at[id]].Told = append(out[at[id]].Told, t)
	}
	return out, rows.Err()
}

func scanEntry(row pgx.CollectableRow) (Entry, error) {
	var e Entry
	var kind string
	var body []byte
	if err := row.Scan(&e.ID, &e.StudentID, &kind, &e.ParentID, &e.CorrectsID, &e.OrgName, &e.AuthorName, &e.RecordedAt, &body); err != nil {
		return e, err
	}
	e.Kind = Kind(kind)
	return e, json.Unmarshal(body, &e.Body)
}

// Listed is a record in the list of recent records.
type Listed struct {
	ID          int64
	Kind        Kind
	StudentID   int64
	StudentName string
	SchoolName  string
	OrgName     string
	RecordedAt  time.Time
}

// Recent lists the newest records the person may see, before the record beforeID when it is not 0,
// up to limit, and whether there are more. The view is audited.
func (s Store) Recent(ctx context.Context, a Actor, beforeID int64, limit int) ([]Listed, bool, error) {
	sc := scopeOf(a.Principal)
	if sc.none() {
		return nil, false, db.ErrNotFound
	}
	var out []Listed
	err := db.InTx(ctx, s.DB, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `
			SELECT r.id, r.kind, s.id, `+studentName+`, sc.name, o.name, r.recorded_at
			FROM safeguarding_entries r
			JOIN students s ON s.id = r.student_id
			JOIN organisations sc ON sc.id = s.school_id
			JOIN organisations o ON o.id = r.org_id
			WHERE r.parent_id IS NULL AND (@before = 0 OR r.id < @before) AND `+recordVisible+`
			ORDER BY r.id DESC LIMIT @limit`, sc.args(pgx.NamedArgs{"before": beforeID, "limit": limit + 1}))
		if err != nil {
			return fmt.Errorf("list safeguarding records: %w", err)
		}
		out, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (Listed, error) {
			var l Listed
			var kind string
			err := row.Scan(&l.ID, &kind, &l.StudentID, &l.StudentName, &l.SchoolName, &l.OrgName, &l.RecordedAt)
			l.Kind = Kind(kind)
			return l, err
		})
		if err != nil {
			return fmt.Errorf("list safeguarding records: %w", err)
		}
		return s.audit(ctx, tx, a, ActionListViewed, "safeguarding_list", "", "Viewed the list of safeguarding records", nil)
	})
	more := len(out) > limit
	if more {
		out = out[:limit]
	}
	return out, more, err
}

// Learner is a student placed with a provider whose DSL may open their chronology.
type Learner struct {
	StudentID  int64
	Name       string
	SchoolName string
	Active     bool
}

// Learners are the learners placed, now or before, with the providers the person is a DSL at, so a
// provider's DSL can open a chronology (they do not see the student pages).
func (s Store) Learners(ctx context.Context, a Actor) ([]Learner, error) {
	providers := a.Principal.OrgIDsWith(auth.ProviderDSL)
	if len(providers) == 0 {
		return nil, nil
	}
	rows, err := s.DB.Query(ctx, `
		SELECT s.id, `+studentName+`, sc.name, bool_or(pl.status = 'active')
		FROM placements pl JOIN students s ON s.id = pl.student_id JOIN organisations sc ON sc.id = s.school_id
		WHERE pl.provider_id = ANY($1)
		GROUP BY s.id, sc.name ORDER BY bool_or(pl.status = 'active') DESC, 2 LIMIT 500`, providers)
	if err != nil {
		return nil, fmt.Errorf("list learners: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (Learner, error) {
		var l Learner
		return l, row.Scan(&l.StudentID, &l.Name, &l.SchoolName, &l.Active)
	})
	if err != nil {
		return nil, fmt.Errorf("list learners: %w", err)
	}
	return out, nil
}

// authorOrg is the organisation the person records for about the student: their school, the
// provider the student is (or was) placed with, or CAP.
func authorOrg(ctx context.Context, q db.DBTX, p *auth.Principal, st Student) (int64, error) {
	if slices.Contains(p.OrgIDsWith(auth.SchoolDSL), st.SchoolID) {
		return st.SchoolID, nil
	}
	if ps := p.OrgIDsWith(auth.ProviderDSL); len(ps) > 0 {
		var id int64
		err := q.QueryRow(ctx, `SELECT provider_id FROM placements WHERE student_id = $1 AND provider_id = ANY($2)
			ORDER BY (status = 'active') DESC, start_date DESC LIMIT 1`, st.ID, ps).Scan(&id)
		if err == nil {
			return id, nil
		}
		if !errors.Is(err, pgx.ErrNoRows) {
			return 0, fmt.Errorf("find the provider: %w", err)
		}
	}
	if la := p.OrgIDsWith(auth.CAPDSL); len(la) > 0 {
		return la[0], nil
	}
	return 0, db.ErrNotFound
}

// Raise records a concern, a CE tool record or an FIB submission about the student, tells the
// provider the student is placed with (its DSL will see it), and, for a concern, alerts at once the
// school's DSLs, the CAP safeguarding team and the provider's DSLs, without a word of what it says.
// The same token twice records once: created is false and the first record is returned.
func (s Store) Raise(ctx context.Context, a Actor, studentID int64, kind Kind, b Body, token string) (int64, bool, error) {
	if !kind.IsRecord() {
		return 0, false, ErrNotAllowed
	}
	now := s.Clock.Now()
	if ps := b.Problems(kind, now); len(ps) > 0 {
		return 0, false, ps
	}
	sc := scopeOf(a.Principal)
	var id int64
	created := false
	err := db.InTx(ctx, s.DB, func(tx pgx.Tx) error {
		st, err := student(ctx, tx, sc, studentID)
		if err != nil {
			return err
		}
		org, err := authorOrg(ctx, tx, a.Principal, st)
		if err != nil {
			return err
		}
		id, created, err = insertEntry(ctx, tx, a, st.ID, kind, 0, 0, org, now, b, token)
		if err != nil || !created {
			return err
		}
		placedWith, err := activeProviders(ctx, tx, st.ID)
		if err != nil {
			return err
		}
		for _, o := range append([]int64{org}, placedWith...) {
			if _, err := tx.Exec(ctx, `INSERT INTO safeguarding_told (entry_id, org_id, told_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, id, o, now); err != nil {
				return fmt.Errorf("record who was told: %w", err)
			}
		}
		if err := s.audit(ctx, tx, a, ActionRecorded, "safeguarding_record", strconv.FormatInt(id, 10),
			"Recorded a safeguarding record", map[string]any{"student_id": st.ID, "kind": string(kind)}); err != nil {
			return err
		}
		if kind != Concern || s.Outbox == nil {
			return nil
		}
		var orgName string
		if err := tx.QueryRow(ctx, `SELECT name FROM organisations WHERE id = $1`, org).Scan(&orgName); err != nil {
			return fmt.Errorf("read organisation: %w", err)
		}
		to := []notify.Audience{notify.RoleAt(st.SchoolID, auth.SchoolDSL), notify.CAPRole(auth.CAPDSL)}
		for _, p := range placedWith {
			to = append(to, notify.RoleAt(p, auth.ProviderDSL))
		}
		return s.Outbox.Queue(ctx, tx, now, notify.Union(to...), ConcernAlert(orgName, id), a.Principal.UserID)
	})
	return id, created, err
}

// RecordPath is a record's page.
func RecordPath(id int64) string { return "/safeguarding/records/" + strconv.FormatInt(id, 10) }

// ChronologyPath is a student's chronology.
func ChronologyPath(studentID int64) string {
	return "/students/" + strconv.FormatInt(studentID, 10) + "/safeguarding"
}

// ConcernAlert is the alert of a new concern: who recorded it and where to read it, nothing else (not
// even the student's name: email leaves the portal's access controls).
func ConcernAlert(orgName string, id int64) notify.Message {
	return notify.Message{
		Kind:    KindConcernRaised,
		Subject: "A new safeguarding concern has been recorded",
		Body: orgName + " has recorded a safeguarding concern about a student you are responsible for. " +
			"Open the link and confirm your second factor to read it. Act on it today.",
		Link: RecordPath(id),
	}
}

func activeProviders(ctx context.Context, q db.DBTX, studentID int64) ([]int64, error) {
	rows, err := q.Query(ctx, `SELECT DISTINCT provider_id FROM placements WHERE student_id = $1 AND status = 'active' ORDER BY 1`, studentID)
	if err != nil {
		return nil, fmt.Errorf("read the student's placements: %w", err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return nil, fmt.Errorf("read the student's placements: %w", err)
	}
	return ids, nil
}

func insertEntry(ctx context.Context, tx pgx.Tx, a Actor, studentID int64, kind Kind, parent, corrects, org int64, now time.Time, b Body, token string) (int64, bool, error) {
	body, err := json.Marshal(b)
	if err != nil {
		return 0, false, fmt.Errorf("safeguarding entry: %w", err)
	}
	var id int64
	err = tx.QueryRow(ctx, `
		INSERT INTO safeguarding_entries (student_id, kind, parent_id, corrects_id, org_id, author_id, recorded_at, body, token)
		VALUES ($1, $2, nullif($3, 0::bigint), nullif($4, 0::bigint), $5, $6, $7, $8, $9)
		ON CONFLICT (token) DO NOTHING RETURNING id`,
		studentID, string(kind), parent, corrects, org, a.Principal.UserID, now, body, token).Scan(&id)
	if err == nil {
		return id, true, nil
	}
	if !errors.Is(err, pgx.ErrNoRows) {
		return 0, false, fmt.Errorf("add safeguarding entry: %w", err)
	}
	// The same form again: the entry it made, if it was this person's.
	err = tx.QueryRow(ctx, `SELECT coalesce(parent_id, id) FROM safeguarding_entries WHERE token = $1 AND author_id = $2`, token, a.Principal.UserID).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, false, ErrNotAllowed
	}
	if err != nil {
		return 0, false, fmt.Errorf("find safeguarding entry: %w", err)
	}
	return id, false, nil
}

// Addable are the kinds of entry that may be added to a record of the kind.
func Addable(record Kind) []Kind {
	switch record {
	case Concern:
		return []Kind{Update, MASH, CPOMS, Police, Correction}
	case CETool:
		return []Kind{Update, Correction}
	case FIB:
		return []Kind{Correction}
	}
	return nil
}

// Add adds an entry to the record: an action or update, a MASH referral, a CPOMS reference, police
// involvement, or a correction of one of the record's entries (corrects), which changes nothing
// already written. The same token twice adds once.
func (s Store) Add(ctx context.Context, a Actor, recordID int64, kind Kind, corrects int64, b Body, token string) (bool, error) {
	now := s.Clock.Now()
	sc := scopeOf(a.Principal)
	if sc.none() {
		return false, db.ErrNotFound
	}
	created := false
	err := db.InTx(ctx, s.DB, func(tx pgx.Tx) error {
		rs, err := records(ctx, tx, sc, "r.id = @id", pgx.NamedArgs{"id": recordID})
		if err != nil {
			return err
		}
		if len(rs) == 0 {
			return db.ErrNotFound
		}
		rec := rs[0]
		if !slices.Contains(Addable(rec.Kind), kind) {
			return ErrNotAllowed
		}
		if kind == Correction {
			if corrects != rec.ID && !slices.ContainsFunc(rec.Added, func(e Entry) bool { return e.ID == corrects }) {
				return ErrNotAllowed
			}
		} else {
			corrects = 0
		}
		if ps := b.Problems(kind, now); len(ps) > 0 {
			return ps
		}
		st, err := student(ctx, tx, sc, rec.StudentID)
		if err != nil {
			return err
		}
		org, err := authorOrg(ctx, tx, a.Principal, st)
		if err != nil {
			return err
		}
		var id int64
		if id, created, err = insertEntry(ctx, tx, a, st.ID, kind, rec.ID, corrects, org, now, b, token); err != nil || !created {
			return err
		}
		return s.audit(ctx, tx, a, ActionRecorded, "safeguarding_record", strconv.FormatInt(rec.ID, 10),
			"Added to a safeguarding record", map[string]any{"student_id": st.ID, "kind": string(kind), "entry_id": id})
	})
	return created, err
}

// TeamMember is one of the CAP safeguarding team.
type TeamMember struct {
	Name, Email string
}

// Team is the CAP safeguarding team (the active people with the role) and CAP's phone number.
type Team struct {
	Members []TeamMember
	Phone   string
}

// Team reads who the CAP safeguarding team are and how to reach them. It holds no records, so
// anyone signed in may read it.
func (s Store) Team(ctx context.Context) (Team, error) {
	var t Team
	rows, err := s.DB.Query(ctx, `SELECT DISTINCT u.name, u.email FROM users u JOIN memberships m ON m.user_id = u.id
		JOIN organisations o ON o.id = m.organisation_id
		WHERE m.role = $1 AND o.kind = 'la' AND u.active ORDER BY u.name, u.email`, string(auth.CAPDSL))
	if err != nil {
		return t, fmt.Errorf("read the safeguarding team: %w", err)
	}
	t.Members, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (TeamMember, error) {
		var m TeamMember
		return m, row.Scan(&m.Name, &m.Email)
	})
	if err != nil {
		return t, fmt.Errorf("read the safeguarding team: %w", err)
	}
	err = s.DB.QueryRow(ctx, `SELECT coalesce(phone, '') FROM organisations WHERE kind = 'la' ORDER BY id LIMIT 1`).Scan(&t.Phone)
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return t, fmt.Errorf("read CAP's phone: %w", err)
	}
	return t, nil
}
