package student

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/coventry-cap/capportal/internal/audit"
	"github.com/coventry-cap/capportal/internal/auth"
	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/db"
)

// Audit actions for students.
const (
	ActionCreated  = "student.created"
	ActionUpdated  = "student.updated"
	ActionViewed   = "student.viewed"
	ActionListed   = "student.listed"
	ActionImported = "student.imported"
)

// ErrUPNTaken is returned when a student at a school the actor coordinates already has the UPN:
// theirs to know, so the form may say so.
var ErrUPNTaken = errors.New("a student at your school already has this UPN")

// ErrUPNRefused is returned when the portal will not use the UPN for the actor's school for a reason
// they may not be told: another school has the student. It says only that CAP must be asked.
var ErrUPNRefused = errors.New(UPNContactCAP)

// UPNContactCAP is all a coordinator is told about a UPN the portal will not add to their school when
// the reason is another school's student: not which school, nor that one has it. The create and edit
// forms and the import preview all say exactly this.
const UPNContactCAP = "Contact CAP about this UPN: it cannot be added to your school’s students"

// errUPNInUse is the database's unique UPN refusing a write; upnClash turns it into what the actor may
// be told.
var errUPNInUse = errors.New("the UPN is already in use")

// upnClash says why the UPN cannot be used, as far as the actor may know: ErrUPNTaken when the
// student who has it is at a school they coordinate, ErrUPNRefused otherwise.
func (s Store) upnClash(ctx context.Context, a Actor, upn string) error {
	_, err := s.FindManagedByUPN(ctx, a, upn)
	switch {
	case errors.Is(err, db.ErrNotFound):
		return ErrUPNRefused
	case err != nil:
		return err
	}
	return ErrUPNTaken
}

// UPNOnRoll is what a coordinator is told when a student at a school they coordinate has the UPN.
func UPNOnRoll(schoolName string) string {
	return "A student at " + schoolName + " already has this UPN"
}

// UPNProblem is what the actor is told when the student at the holder's school has the UPN: the
// school's name when they coordinate it, and otherwise only UPNContactCAP.
func UPNProblem(a Actor, holderSchoolID int64, holderSchoolName string) string {
	if ManageScope(a.Principal).Includes(holderSchoolID) {
		return UPNOnRoll(holderSchoolName)
	}
	return UPNContactCAP
}

// ErrInvalid is returned when a record that has not passed Problems reaches the store.
var ErrInvalid = errors.New("the student's details are not valid")

// Actor is the signed-in person asking: their principal decides what they may see and change, and
// the request ID goes into the audit log.
type Actor struct {
	Principal *auth.Principal
	RequestID string
}

func (a Actor) userID() *int64 {
	if a.Principal == nil {
		return nil
	}
	return &a.Principal.UserID
}

func (a Actor) email() string {
	if a.Principal == nil {
		return ""
	}
	return a.Principal.Email
}

// Scope is which schools' students someone may see or change.
type Scope struct {
	All       bool    // every school's (CAP staff)
	SchoolIDs []int64 // otherwise only these schools'
}

// Includes reports whether the scope covers the school.
func (s Scope) Includes(schoolID int64) bool { return s.All || slices.Contains(s.SchoolIDs, schoolID) }

// ViewScope is whose students a principal may see: CAP staff see every school's, a school's staff see
// their own school's, and everyone else sees none.
func ViewScope(p *auth.Principal) Scope {
	if p.HasAny(auth.CAPAdmin, auth.MonitoringOfficer, auth.CAPDSL, auth.ServiceLead) {
		return Scope{All: true}
	}
	var s Scope
	for _, r := range []auth.Role{auth.Coordinator, auth.Headteacher, auth.SchoolDSL} {
		for _, m := range p.OrgsWith(r) {
			if !slices.Contains(s.SchoolIDs, m.OrgID) {
				s.SchoolIDs = append(s.SchoolIDs, m.OrgID)
			}
		}
	}
	return s
}

// ManageScope is whose students a principal may add, change and import: a coordinator's own school's.
func ManageScope(p *auth.Principal) Scope {
	var s Scope
	for _, m := range p.OrgsWith(auth.Coordinator) {
		s.SchoolIDs = append(s.SchoolIDs, m.OrgID)
	}
	return s
}

// where returns the SQL condition limiting the column to the scope, with its argument.
func (s Scope) where(column string, argN int) (string, []any) {
	if s.All {
		return "true", nil
	}
	ids := s.SchoolIDs
	if ids == nil {
		ids = []int64{}
	}
	return fmt.Sprintf("%s = ANY($%d)", column, argN), []any{ids}
}

// Store reads and changes students.
type Store struct {
	DB    db.DBTX
	Clock calendar.Clock
}

// On is the store over a pool or a transaction, for reads inside a caller's transaction.
func On(conn db.DBTX) Store { return Store{DB: conn} }

// Summary is one line of the students list.
type Summary struct {
	ID                 int64
	SchoolID           int64
	SchoolName         string
	UPN                string
	LegalFirstName     string
	LegalLastName      string
	PreferredFirstName string
	PreferredLastName  string
	DateOfBirth        calendar.Date
	YearGroup          int
}

// Details returns the summary's fields as Details, for its name helpers.
func (s Summary) Details() Details {
	return Details{UPN: s.UPN, LegalFirstName: s.LegalFirstName, LegalLastName: s.LegalLastName,
		PreferredFirstName: s.PreferredFirstName, PreferredLastName: s.PreferredLastName, DateOfBirth: s.DateOfBirth, YearGroup: s.YearGroup}
}

// ListFilter narrows the students list. Empty fields match everyone in scope.
type ListFilter struct {
	// Query is part of a name (legal or preferred) or UPN; every word must match.
	Query string
	// SchoolID limits the list to one school in scope.
	SchoolID int64
	// Keyset: students after the one with AfterID in surname order, or, for the page before, students
	// before the one with BeforeID. IDs rather than names go in URLs, so names never reach a log.
	AfterID  int64
	BeforeID int64
}

// List returns up to limit students in surname order, and whether there are more in the direction of
// travel: after the page, or before it when paging back with BeforeID.
//
// The list shows students by name, so it is recorded in the audit log with the students it showed.
func (s Store) List(ctx context.Context, a Actor, f ListFilter, limit int) ([]Summary, bool, error) {
	list, more, err := s.list(ctx, a, f, limit)
	if err != nil || len(list) == 0 {
		return list, more, err
	}
	ids := make([]int64, len(list))
	for i, st := range list {
		ids[i] = st.ID
	}
	err = audit.On(s.DB).Write(ctx, audit.Entry{
		At: s.Clock.Now(), ActorUserID: a.userID(), ActorEmail: a.email(), RequestID: a.RequestID,
		Action: ActionListed, SubjectType: "student", Summary: fmt.Sprintf("Shown %d students in a list", len(list)),
		Details: map[string]any{"shown": ids, "query": f.Query != ""},
	})
	if err != nil {
		return nil, false, fmt.Errorf("audit student list: %w", err)
	}
	return list, more, nil
}

func (s Store) list(ctx context.Context, a Actor, f ListFilter, limit int) ([]Summary, bool, error) {
	var where []string
	var args []any
	add := func(cond string, vals ...any) {
		for _, v := range vals {
			args = append(args, v)
			cond = strings.Replace(cond, "?", fmt.Sprintf("$%d", len(args)), 1)
		}
		where = append(where, cond)
	}
	scope := ViewScope(a.Principal)
	switch {
	case scope.All:
	case len(scope.SchoolIDs) == 1:
		// Equality rather than ANY, so the school's name index returns the page already in order.
		add("s.school_id = ?", scope.SchoolIDs[0])
	default:
		add("s.school_id = ANY(?)", nonNil(scope.SchoolIDs))
	}
	if f.SchoolID != 0 {
		add("s.school_id = ?", f.SchoolID)
	}
	for _, word := range strings.Fields(strings.ToLower(f.Query)) {
		if u := NormaliseUPN(word); len(u) == 13 {
			word = strings.ToLower(u)
		}
		add("s.search_text LIKE ?", "%"+escapeLike(word)+"%")
	}
	key := "(lower(s.legal_last_name), lower(s.legal_first_name), s.id)"
	order := "lower(s.legal_last_name), lower(s.legal_first_name), s.id"
	// The cursor is looked up in the viewer's scope too: otherwise another school's student ID in the
	// URL would show where that student sorts among the viewer's own. One out of scope is no cursor.
	switch {
	case f.BeforeID != 0:
		last, first, ok, err := s.cursor(ctx, scope, f.BeforeID)
		if err != nil {
			return nil, false, err
		}
		if !ok {
			f.BeforeID = 0
			break
		}
		add(key+" < (?, ?, ?)", last, first, f.BeforeID)
		order = "lower(s.legal_last_name) DESC, lower(s.legal_first_name) DESC, s.id DESC"
	case f.AfterID != 0:
		last, first, ok, err := s.cursor(ctx, scope, f.AfterID)
		if err != nil {
			return nil, false, err
		}
		if ok {
			add(key+" > (?, ?, ?)", last, first, f.AfterID)
		}
	}
	sql := `SELECT s.id, s.school_id, o.name, s.upn, s.legal_first_name, s.legal_last_name, s.preferred_first_name,
	               s.preferred_last_name, s.date_of_birth, s.year_group
	        FROM students s JOIN organisations o ON o.id = s.school_id`
	if len(where) > 0 {
		sql += " WHERE " + strings.Join(where, " AND ")
	}
	sql += fmt.Sprintf(" ORDER BY %s LIMIT %d", order, max(limit, 0)+1)
	rows, err := s.DB.Query(ctx, sql, args...)
	if err != nil {
		return nil, false, fmt.Errorf("list students: %w", err)
	}
	list, err := pgx.CollectRows(rows, pgx.RowToStructByPos[Summary])
	if err != nil {
		return nil, false, fmt.Errorf("list students: %w", err)
	}
	more := len(list) > limit
	if more {
		list = list[:limit]
	}
	if f.BeforeID != 0 {
		slices.Reverse(list)
	}
	return list, more, nil
}

// cursor returns the sort key of the student a page starts after or ends before, if they are in scope.
func (s Store) cursor(ctx context.Context, scope Scope, id int64) (last, first string, ok bool, err error) {
	cond, args := scope.where("c.school_id", 2)
	err = s.DB.QueryRow(ctx, `SELECT lower(c.legal_last_name), lower(c.legal_first_name) FROM students c WHERE c.id = $1 AND `+cond,
		append([]any{id}, args...)...).Scan(&last, &first)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", "", false, nil
	}
	if err != nil {
		return "", "", false, fmt.Errorf("list students: find the page's cursor: %w", err)
	}
	return last, first, true, nil
}

func nonNil(ids []int64) []int64 {
	if ids == nil {
		return []int64{}
	}
	return ids
}

func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

const studentColumns = `s.id, s.school_id, o.name, s.upn, s.legal_first_name, s.legal_last_name, s.preferred_first_name,
	s.preferred_last_name, s.date_of_birth, s.sex, s.year_group, s.sen_status, s.fsm, s.looked_after,
	s.cp_cin_status, s.ethnicity, s.address, s.postcode, s.created_at, s.updated_at`

func scanStudent(row pgx.Row) (Student, error) {
	var st Student
	d := &st.Details
	err := row.Scan(&st.ID, &st.SchoolID, &st.SchoolName, &d.UPN, &d.LegalFirstName, &d.LegalLastName, &d.PreferredFirstName,
		&d.PreferredLastName, &d.DateOfBirth, &d.Sex, &d.YearGroup, &d.SEN, &d.FSM, &d.LookedAfter,
		&d.CPCIN, &d.Ethnicity, &d.Address, &d.Postcode, &st.CreatedAt, &st.UpdatedAt)
	return st, err
}

// get reads one student in scope, with contacts and professionals; forUpdate locks the row.
func get(ctx context.Context, q db.DBTX, scope Scope, id int64, forUpdate bool) (Student, error) {
	cond, args := scope.where("s.school_id", 2)
	sql := `SELECT ` + studentColumns + ` FROM students s JOIN organisations o ON o.id = s.school_id
		WHERE s.id = $1 AND ` + cond
	if forUpdate {
		sql += " FOR UPDATE OF s"
	}
	// The student, their contacts and their professionals go to the server as one batch (one round
	// trip, not three); the people read for a student out of scope are thrown away unseen.
	var st Student
	var found bool
	var contacts []Contact
	var professionals []Professional
	b := &pgx.Batch{}
	b.Queue(sql, append([]any{id}, args...)...).QueryRow(func(row pgx.Row) error {
		var err error
		st, err = scanStudent(row)
		switch {
		case errors.Is(err, pgx.ErrNoRows):
			return nil
		case err != nil:
			return fmt.Errorf("get student: %w", err)
		}
		found = true
		return nil
	})
	b.Queue(contactsSQL, id).Query(func(rows pgx.Rows) error {
		var err error
		if contacts, err = pgx.CollectRows(rows, pgx.RowToStructByPos[Contact]); err != nil {
			return fmt.Errorf("load contacts: %w", err)
		}
		return nil
	})
	b.Queue(professionalsSQL, id).Query(func(rows pgx.Rows) error {
		var err error
		if professionals, err = pgx.CollectRows(rows, pgx.RowToStructByPos[Professional]); err != nil {
			return fmt.Errorf("load professionals: %w", err)
		}
		return nil
	})
	if err := db.SendBatch(ctx, q, b); err != nil {
		return Student{}, err
	}
	if !found {
		return Student{}, db.ErrNotFound
	}
	st.Contacts, st.Professionals = contacts, professionals
	return st, nil
}

const (
	contactsSQL = `
		SELECT name, relationship, phone, email, address, parental_responsibility
		FROM student_contacts WHERE student_id = $1 ORDER BY priority`
	professionalsSQL = `
		SELECT name, role, agency, phone, email
		FROM student_professionals WHERE student_id = $1 ORDER BY position`
)

// Get returns one student the actor may see, without recording a view: for forms and checks. A
// student outside the actor's scope is db.ErrNotFound, so that its existence is not revealed.
func (s Store) Get(ctx context.Context, a Actor, id int64) (Student, error) {
	return get(ctx, s.DB, ViewScope(a.Principal), id, false)
}

// View returns one student the actor may see and records in the audit log that they saw it (what
// they looked at, e.g. "details" or "edit form"). Nothing is shown unless the view is recorded.
func (s Store) View(ctx context.Context, a Actor, id int64, what string) (Student, error) {
	return s.view(ctx, a, ViewScope(a.Principal), id, what)
}

// ViewManaged is View for a student the actor may change (at a school they coordinate), for the
// edit form: anyone else's is db.ErrNotFound.
func (s Store) ViewManaged(ctx context.Context, a Actor, id int64, what string) (Student, error) {
	return s.view(ctx, a, ManageScope(a.Principal), id, what)
}

// GetManaged is Get for a student the actor may change, without recording a view.
func (s Store) GetManaged(ctx context.Context, a Actor, id int64) (Student, error) {
	return get(ctx, s.DB, ManageScope(a.Principal), id, false)
}

func (s Store) view(ctx context.Context, a Actor, scope Scope, id int64, what string) (Student, error) {
	// No transaction: the reads need none, and the student is returned only once the view is written.
	st, err := get(ctx, s.DB, scope, id, false)
	if err != nil {
		return Student{}, err
	}
	if err := audit.On(s.DB).Write(ctx, audit.Entry{
		At: s.Clock.Now(), ActorUserID: a.userID(), ActorEmail: a.email(), RequestID: a.RequestID,
		Action: ActionViewed, SubjectType: "student", SubjectID: fmt.Sprint(id),
		Summary: "Viewed the student’s " + what, Details: map[string]any{"school_id": st.SchoolID, "page": what},
	}); err != nil {
		return Student{}, err
	}
	return st, nil
}

// FindManagedByUPN returns the student with the UPN if the actor manages their school, else
// db.ErrNotFound (whether or not another school has them).
func (s Store) FindManagedByUPN(ctx context.Context, a Actor, upn string) (Student, error) {
	cond, args := ManageScope(a.Principal).where("s.school_id", 2)
	var id int64
	err := s.DB.QueryRow(ctx, `SELECT s.id FROM students s WHERE s.upn = $1 AND `+cond,
		append([]any{NormaliseUPN(upn)}, args...)...).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		return Student{}, db.ErrNotFound
	}
	if err != nil {
		return Student{}, fmt.Errorf("find student by UPN: %w", err)
	}
	return get(ctx, s.DB, ManageScope(a.Principal), id, false)
}

// Resubmits reports whether adding rec at the school would add nothing the stored student does not
// already have: the same form sent twice, rather than a different student with the same UPN.
func (st Student) Resubmits(schoolID int64, rec Record) bool {
	rec.Contacts, rec.Professionals = slices.Clone(rec.Contacts), slices.Clone(rec.Professionals)
	rec.Normalise()
	rec.trimBlanks()
	return st.SchoolID == schoolID && len(Changes(st.Record, rec)) == 0
}

// Create adds a student to a school the actor coordinates. The record must have passed Problems. A
// UPN another student has is ErrUPNTaken or ErrUPNRefused (see upnClash).
func (s Store) Create(ctx context.Context, a Actor, schoolID int64, rec Record) (int64, error) {
	if !ManageScope(a.Principal).Includes(schoolID) {
		return 0, db.ErrNotFound
	}
	rec.Normalise()
	now := s.Clock.Now()
	if len(rec.Problems(calendar.DateOf(now))) > 0 {
		return 0, ErrInvalid
	}
	rec.trimBlanks()
	var id int64
	err := db.InTx(ctx, s.DB, func(tx pgx.Tx) error {
		var err error
		id, err = insertStudent(ctx, tx, schoolID, rec.Details, now, a.userID())
		if err != nil {
			return err
		}
		if err := replacePeople(ctx, tx, id, rec, true, true); err != nil {
			return err
		}
		return audit.On(tx).Write(ctx, audit.Entry{
			At: now, ActorUserID: a.userID(), ActorEmail: a.email(), RequestID: a.RequestID,
			Action: ActionCreated, SubjectType: "student", SubjectID: fmt.Sprint(id),
			Summary: "Added a student", Details: map[string]any{"school_id": schoolID},
		})
	})
	if errors.Is(err, errUPNInUse) {
		return 0, s.upnClash(ctx, a, rec.UPN)
	}
	return id, err
}

// insertStudent adds the student row; a UPN already in the portal is errUPNInUse.
func insertStudent(ctx context.Context, tx pgx.Tx, schoolID int64, d Details, now time.Time, by *int64) (int64, error) {
	var id int64
	err := tx.QueryRow(ctx, `
		INSERT INTO students (school_id, upn, legal_first_name, legal_last_name, preferred_first_name, preferred_last_name,
		                      date_of_birth, sex, year_group, sen_status, fsm, looked_after, cp_cin_status, ethnicity,
		                      address, postcode, created_at, updated_at, created_by, updated_by)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $17, $18, $18)
		RETURNING id`,
		schoolID, d.UPN, d.LegalFirstName, d.LegalLastName, d.PreferredFirstName, d.PreferredLastName,
		d.DateOfBirth, d.Sex, d.YearGroup, d.SEN, d.FSM, d.LookedAfter, d.CPCIN, d.Ethnicity,
		d.Address, d.Postcode, now, by).Scan(&id)
	if db.IsUniqueViolation(err, "students_upn_key") {
		return 0, errUPNInUse
	}
	if err != nil {
		return 0, fmt.Errorf("add student: %w", err)
	}
	return id, nil
}

// updateStudent rewrites the student row's details.
func updateStudent(ctx context.Context, tx pgx.Tx, id int64, d Details, now time.Time, by *int64) error {
	_, err := tx.Exec(ctx, `
		UPDATE students SET upn = $2, legal_first_name = $3, legal_last_name = $4, preferred_first_name = $5,
		       preferred_last_name = $6, date_of_birth = $7, sex = $8, year_group = $9, sen_status = $10, fsm = $11,
		       looked_after = $12, cp_cin_status = $13, ethnicity = $14, address = $15, postcode = $16,
		       updated_at = $17, updated_by = $18
		WHERE id = $1`,
		id, d.UPN, d.LegalFirstName, d.LegalLastName, d.PreferredFirstName, d.PreferredLastName,
		d.DateOfBirth, d.Sex, d.YearGroup, d.SEN, d.FSM, d.LookedAfter, d.CPCIN, d.Ethnicity,
		d.Address, d.Postcode, now, by)
	if db.IsUniqueViolation(err, "students_upn_key") {
		return errUPNInUse
	}
	if err != nil {
		return fmt.Errorf("update student: %w", err)
	}
	return nil
}

// replacePeople rewrites a student's contacts and/or professionals from the record.
func replacePeople(ctx context.Context, tx pgx.Tx, id int64, rec Record, contacts, professionals bool) error {
	if contacts {
		if _, err := tx.Exec(ctx, `DELETE FROM student_contacts WHERE student_id = $1`, id); err != nil {
			return fmt.Errorf("replace contacts: %w", err)
		}
		for i, c := range rec.Contacts {
			if _, err := tx.Exec(ctx, `
				INSERT INTO student_contacts (student_id, priority, name, relationship, phone, email, address, parental_responsibility)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
				id, i+1, c.Name, c.Relationship, c.Phone, c.Email, c.Address, c.ParentalResponsibility); err != nil {
				return fmt.Errorf("add contact: %w", err)
			}
		}
	}
	if professionals {
		if _, err := tx.Exec(ctx, `DELETE FROM student_professionals WHERE student_id = $1`, id); err != nil {
			return fmt.Errorf("replace professionals: %w", err)
		}
		for i, p := range rec.Professionals {
			if _, err := tx.Exec(ctx, `
				INSERT INTO student_professionals (student_id, position, name, role, agency, phone, email)
				VALUES ($1, $2, $3, $4, $5, $6, $7)`,
				id, i+1, p.Name, p.Role, p.Agency, p.Phone, p.Email); err != nil {
				return fmt.Errorf("add professional: %w", err)
			}
		}
	}
	return nil
}

// Update changes a student at a school the actor coordinates, and returns what changed (nothing
// when the record is as stored, in which case nothing is written). The record must have passed Problems.
// A UPN another student has is ErrUPNTaken or ErrUPNRefused, as for Create.
func (s Store) Update(ctx context.Context, a Actor, id int64, rec Record) ([]string, error) {
	rec.Normalise()
	now := s.Clock.Now()
	if len(rec.Problems(calendar.DateOf(now))) > 0 {
		return nil, ErrInvalid
	}
	rec.trimBlanks()
	var changed []string
	err := db.InTx(ctx, s.DB, func(tx pgx.Tx) error {
		old, err := get(ctx, tx, ManageScope(a.Principal), id, true)
		if err != nil {
			return err
		}
		changed = Changes(old.Record, rec)
		if len(changed) == 0 {
			return nil
		}
		if err := updateStudent(ctx, tx, id, rec.Details, now, a.userID()); err != nil {
			return err
		}
		contactsChanged := !slices.Equal(old.Contacts, rec.Contacts)
		profsChanged := !slices.Equal(old.Professionals, rec.Professionals)
		if err := replacePeople(ctx, tx, id, rec, contactsChanged, profsChanged); err != nil {
			return err
		}
		return audit.On(tx).Write(ctx, audit.Entry{
			At: now, ActorUserID: a.userID(), ActorEmail: a.email(), RequestID: a.RequestID,
			Action: ActionUpdated, SubjectType: "student", SubjectID: fmt.Sprint(id),
			Summary: "Changed the student’s " + strings.Join(changed, ", "),
			Details: map[string]any{"school_id": old.SchoolID, "changed": changed},
		})
	})
	if errors.Is(err, errUPNInUse) {
		return nil, s.upnClash(ctx, a, rec.UPN)
	}
	if err != nil {
		return nil, err
	}
	return changed, nil
}

// Changes names what differs between two records, as people would say it, in form order.
func Changes(old, new Record) []string {
	var out []string
	o, n := old.Details, new.Details
	check := func(differs bool, label string) {
		if differs {
			out = append(out, label)
		}
	}
	check(o.UPN != n.UPN, "UPN")
	check(o.LegalFirstName != n.LegalFirstName, "legal first name")
	check(o.LegalLastName != n.LegalLastName, "legal last name")
	check(o.PreferredFirstName != n.PreferredFirstName, "preferred first name")
	check(o.PreferredLastName != n.PreferredLastName, "preferred last name")
	check(o.DateOfBirth != n.DateOfBirth, "date of birth")
	check(o.Sex != n.Sex, "sex")
	check(o.YearGroup != n.YearGroup, "year group")
	check(o.SEN != n.SEN, "SEN")
	check(o.FSM != n.FSM, "free school meals")
	check(o.LookedAfter != n.LookedAfter, "looked after")
	check(o.CPCIN != n.CPCIN, "CP or CIN status")
	check(o.Ethnicity != n.Ethnicity, "ethnicity")
	check(o.Address != n.Address, "address")
	check(o.Postcode != n.Postcode, "postcode")
	check(!slices.Equal(old.Contacts, new.Contacts), "parents and carers")
	check(!slices.Equal(old.Professionals, new.Professionals), "professionals")
	return out
}

// CountAtSchool counts a school's students, for its dashboard. It is bounded by one school and
// answered from the school's index.
func (s Store) CountAtSchool(ctx context.Context, schoolID int64) (int, error) {
	var n int
	if err := s.DB.QueryRow(ctx, `SELECT count(*) FROM students WHERE school_id = $1`, schoolID).Scan(&n); err != nil {
		return 0, fmt.Errorf("count students: %w", err)
	}
	return n, nil
}
