package student

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/coventry-cap/capportal/internal/audit"
	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/db"
	"github.com/coventry-cap/capportal/internal/input"
)

// ActionImportPreviewed is written when a coordinator uploads a file, before anything is imported.
const ActionImportPreviewed = "student.import_previewed"

// ErrAlreadyApplied is returned when an import is confirmed a second time; nothing more is written.
var ErrAlreadyApplied = errors.New("this import has already been applied")

// RowStatus is what importing a row would do.
type RowStatus string

// The row statuses of a preview.
const (
	RowNew       RowStatus = "new"       // adds a student
	RowUpdate    RowStatus = "update"    // changes a student already at this school
	RowUnchanged RowStatus = "unchanged" // the student is already here with these details
	RowError     RowStatus = "error"     // cannot be imported; the reasons say why
)

// changedMeanwhile is why a previewed row was skipped when a student with its UPN was added between
// the preview and the confirm. Whose student it is is not said: uploading again gives the row's
// answer in the preview, worded as any preview is.
const changedMeanwhile = "The portal changed after the preview: upload the file again to see what importing this row would do"

// ImportRow is one student row of an import file.
type ImportRow struct {
	Line     int       `json:"line"` // the row number in the file, counting the header as row 1
	UPN      string    `json:"upn"`
	Name     string    `json:"name"`
	Record   Record    `json:"record"`
	Status   RowStatus `json:"status,omitempty"`
	Changes  []string  `json:"changes,omitempty"`
	Problems []string  `json:"problems,omitempty"`
}

// Counts are how many rows of an import have each status.
type Counts struct {
	New, Update, Unchanged, Error int
}

// Applicable is how many rows confirming would write.
func (c Counts) Applicable() int { return c.New + c.Update }

// Import is an uploaded file with what importing each row would do.
type Import struct {
	ID         int64
	SchoolID   int64
	FileName   string
	UploadedAt time.Time
	Applied    bool
	Present    []string // keys of the columns the file has
	Ignored    []string // headers the portal does not use
	Rows       []ImportRow
	Counts     Counts
	// SameFileAppliedAt is when this same file was last imported for the school, or zero.
	SameFileAppliedAt time.Time
}

// Result is what confirming an import did.
type Result struct {
	Created   int    `json:"created"`
	Updated   int    `json:"updated"`
	Unchanged int    `json:"unchanged"`
	Errors    int    `json:"errors"`  // rows the preview showed as errors, not imported
	Skipped   []Skip `json:"skipped"` // rows that could no longer be applied when confirmed
}

// Skip is a previewed row that was not applied because the portal changed in between.
type Skip struct {
	Line   int    `json:"line"`
	Reason string `json:"reason"`
}

type storedFile struct {
	Present []string    `json:"present"`
	Ignored []string    `json:"ignored"`
	Rows    []ImportRow `json:"rows"`
}

// existing is a stored student as an import compares them: details and first contact.
type existing struct {
	ID         int64
	SchoolID   int64
	SchoolName string
	Record     Record
}

// loadExisting reads the students with the UPNs, at any school, in two queries; lock holds them
// until the transaction ends.
func loadExisting(ctx context.Context, q db.DBTX, upns []string, lock bool) (map[string]*existing, error) {
	out := map[string]*existing{}
	if len(upns) == 0 {
		return out, nil
	}
	sql := `SELECT s.id, s.school_id, o.name, s.upn, s.legal_first_name, s.legal_last_name, s.preferred_first_name,
		s.preferred_last_name, s.date_of_birth, s.sex, s.year_group, s.sen_status, s.fsm, s.looked_after,
		s.cp_cin_status, s.ethnicity, s.address, s.postcode, s.created_at, s.updated_at
		FROM students s JOIN organisations o ON o.id = s.school_id WHERE s.upn = ANY($1)`
	if lock {
		// In UPN order, so two imports touching the same students lock them in the same order.
		sql += " ORDER BY s.upn FOR UPDATE OF s"
	}
	rows, err := q.Query(ctx, sql, upns)
	if err != nil {
		return nil, fmt.Errorf("find students by UPN: %w", err)
	}
	list, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (Student, error) { return scanStudent(row) })
	if err != nil {
		return nil, fmt.Errorf("find students by UPN: %w", err)
	}
	byID := map[int64]*existing{}
	ids := make([]int64, 0, len(list))
	for _, st := range list {
		e := &existing{ID: st.ID, SchoolID: st.SchoolID, SchoolName: st.SchoolName, Record: Record{Details: st.Details}}
		out[st.UPN] = e
		byID[st.ID] = e
		ids = append(ids, st.ID)
	}
	rows, err = q.Query(ctx, `
		SELECT student_id, name, relationship, phone, email, address, parental_responsibility
		FROM student_contacts WHERE student_id = ANY($1) AND priority = 1`, ids)
	if err != nil {
		return nil, fmt.Errorf("find first contacts: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var c Contact
		if err := rows.Scan(&id, &c.Name, &c.Relationship, &c.Phone, &c.Email, &c.Address, &c.ParentalResponsibility); err != nil {
			return nil, fmt.Errorf("find first contacts: %w", err)
		}
		byID[id].Record.Contacts = []Contact{c}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("find first contacts: %w", err)
	}
	return out, nil
}

// merge is the student as they would be after importing the row: the file's value for every column it
// has, the stored value for every column it leaves out. A row without a contact leaves the contact as
// it is.
func merge(old Record, row Record, present []string) Record {
	m := Record{Details: old.Details}
	if len(old.Contacts) > 0 {
		m.Contacts = []Contact{old.Contacts[0]}
	}
	has := func(k string) bool { return slices.Contains(present, k) }
	d, n := &m.Details, row.Details
	d.UPN, d.LegalFirstName, d.LegalLastName = n.UPN, n.LegalFirstName, n.LegalLastName
	d.DateOfBirth, d.Sex, d.YearGroup = n.DateOfBirth, n.Sex, n.YearGroup
	set := func(k string, apply func()) {
		if has(k) {
			apply()
		}
	}
	set(colPreferredFirst, func() { d.PreferredFirstName = n.PreferredFirstName })
	set(colPreferredLast, func() { d.PreferredLastName = n.PreferredLastName })
	set(colSEN, func() { d.SEN = n.SEN })
	set(colFSM, func() { d.FSM = n.FSM })
	set(colLookedAfter, func() { d.LookedAfter = n.LookedAfter })
	set(colCPCIN, func() { d.CPCIN = n.CPCIN })
	set(colEthnicity, func() { d.Ethnicity = n.Ethnicity })
	set(colAddress, func() { d.Address = n.Address })
	set(colPostcode, func() { d.Postcode = n.Postcode })
	if len(row.Contacts) > 0 && row.Contacts[0].Name != "" {
		var c Contact
		if len(m.Contacts) > 0 {
			c = m.Contacts[0]
		}
		nc := row.Contacts[0]
		c.Name = nc.Name
		set(colC1Relationship, func() { c.Relationship = nc.Relationship })
		set(colC1Phone, func() { c.Phone = nc.Phone })
		set(colC1Email, func() { c.Email = nc.Email })
		set(colC1PR, func() { c.ParentalResponsibility = nc.ParentalResponsibility })
		m.Contacts = []Contact{c}
	}
	return m
}

// classify decides what importing a row into the school would do, given the stored student with its
// UPN (nil when there is none), and returns the student as they would be.
func classify(row ImportRow, ex *existing, schoolID int64, present []string) (RowStatus, []string, Record) {
	switch {
	case len(row.Problems) > 0:
		return RowError, nil, Record{}
	case ex == nil:
		return RowNew, nil, row.Record
	case ex.SchoolID != schoolID:
		return RowError, nil, Record{}
	}
	merged := merge(ex.Record, row.Record, present)
	changes := Changes(ex.Record, merged)
	for i, c := range changes {
		if c == "parents and carers" {
			changes[i] = "contact 1"
		}
	}
	if len(changes) == 0 {
		return RowUnchanged, nil, merged
	}
	return RowUpdate, changes, merged
}

// Preview reads an uploaded file for a school the actor coordinates, works out what importing each
// row would do, and keeps it until it is confirmed. Nothing about any student changes. A problem with
// the file as a whole is a FileError.
func (s Store) Preview(ctx context.Context, a Actor, schoolID int64, fileName string, data []byte) (Import, error) {
	if !ManageScope(a.Principal).Includes(schoolID) {
		return Import{}, db.ErrNotFound
	}
	now := s.Clock.Now()
	// The file's name is shown with the preview: a right-to-left override in it could disguise it.
	fileName = strings.TrimSpace(input.Line(fileName))
	pf, err := ParseCSV(data, calendar.DateOf(now))
	if err != nil {
		return Import{}, err
	}
	sum := sha256.Sum256(data)
	im := Import{SchoolID: schoolID, FileName: fileName, UploadedAt: now, Present: pf.Present, Ignored: pf.Ignored, Rows: pf.Rows}
	var upns []string
	for _, r := range pf.Rows {
		if len(r.Problems) == 0 {
			upns = append(upns, r.UPN)
		}
	}
	err = db.InTx(ctx, s.DB, func(tx pgx.Tx) error {
		found, err := loadExisting(ctx, tx, upns, false)
		if err != nil {
			return err
		}
		for i := range im.Rows {
			r := &im.Rows[i]
			ex := found[r.UPN]
			r.Status, r.Changes, _ = classify(*r, ex, schoolID, pf.Present)
			if r.Status == RowError && len(r.Problems) == 0 {
				// Another school has the student: say no more than the actor may know.
				r.Problems = []string{UPNProblem(a, ex.SchoolID, ex.SchoolName)}
			}
			im.Counts.add(r.Status)
		}
		var last *time.Time
		if err := tx.QueryRow(ctx, `
			SELECT max(applied_at) FROM student_imports WHERE school_id = $1 AND file_sha256 = $2 AND status = 'applied'`,
			schoolID, hex.EncodeToString(sum[:])).Scan(&last); err != nil {
			return fmt.Errorf("find earlier imports: %w", err)
		}
		if last != nil {
			im.SameFileAppliedAt = *last
		}
		stored, err := json.Marshal(storedFile{Present: im.Present, Ignored: im.Ignored, Rows: im.Rows})
		if err != nil {
			return fmt.Errorf("store import: %w", err)
		}
		if err := tx.QueryRow(ctx, `
			INSERT INTO student_imports (school_id, uploaded_by, uploaded_at, file_name, file_sha256, rows)
			VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
			schoolID, a.Principal.UserID, now, fileName, hex.EncodeToString(sum[:]), stored).Scan(&im.ID); err != nil {
			return fmt.Errorf("store import: %w", err)
		}
		return audit.On(tx).Write(ctx, audit.Entry{
			At: now, ActorUserID: a.userID(), ActorEmail: a.email(), RequestID: a.RequestID,
			Action: ActionImportPreviewed, SubjectType: "student_import", SubjectID: fmt.Sprint(im.ID),
			Summary: fmt.Sprintf("Uploaded a file of %d students to preview: %d new, %d to update, %d unchanged, %d with errors",
				len(im.Rows), im.Counts.New, im.Counts.Update, im.Counts.Unchanged, im.Counts.Error),
			Details: map[string]any{"school_id": schoolID, "file_sha256": hex.EncodeToString(sum[:]), "counts": im.Counts},
		})
	})
	if err != nil {
		return Import{}, err
	}
	return im, nil
}

func (c *Counts) add(s RowStatus) {
	switch s {
	case RowNew:
		c.New++
	case RowUpdate:
		c.Update++
	case RowUnchanged:
		c.Unchanged++
	case RowError:
		c.Error++
	}
}

// Confirm applies a previewed import for a school the actor coordinates, in one transaction: the rows
// previewed as new or to update are written as they were previewed; rows with errors are left out, and
// never stop the others. A second confirm writes nothing and returns the first one's result with
// ErrAlreadyApplied.
func (s Store) Confirm(ctx context.Context, a Actor, importID int64) (Result, error) {
	var res Result
	now := s.Clock.Now()
	err := db.InTx(ctx, s.DB, func(tx pgx.Tx) error {
		cond, args := ManageScope(a.Principal).where("school_id", 2)
		var schoolID int64
		var raw, stored []byte
		var status string
		// The row lock makes two confirms of one import take turns; the second then sees it applied.
		err := tx.QueryRow(ctx, `SELECT school_id, rows, status, result FROM student_imports WHERE id = $1 AND `+cond+` FOR UPDATE`,
			append([]any{importID}, args...)...).Scan(&schoolID, &raw, &status, &stored)
		if errors.Is(err, pgx.ErrNoRows) {
			return db.ErrNotFound
		}
		if err != nil {
			return fmt.Errorf("load import: %w", err)
		}
		if status == "applied" {
			if err := json.Unmarshal(stored, &res); err != nil {
				return fmt.Errorf("read import result: %w", err)
			}
			return ErrAlreadyApplied
		}
		var file storedFile
		if err := json.Unmarshal(raw, &file); err != nil {
			return fmt.Errorf("read import rows: %w", err)
		}
		var upns []string
		for _, r := range file.Rows {
			switch r.Status {
			case RowNew, RowUpdate:
				upns = append(upns, r.UPN)
			case RowUnchanged:
				res.Unchanged++
			default:
				res.Errors++
			}
		}
		slices.Sort(upns)
		found, err := loadExisting(ctx, tx, upns, true)
		if err != nil {
			return err
		}
		var created, updated []int64
		for _, r := range file.Rows {
			if r.Status != RowNew && r.Status != RowUpdate {
				continue
			}
			ex := found[r.UPN]
			status, _, rec := classify(r, ex, schoolID, file.Present)
			switch status {
			case RowError:
				res.Skipped = append(res.Skipped, Skip{Line: r.Line, Reason: UPNProblem(a, ex.SchoolID, ex.SchoolName)})
			case RowUnchanged:
				res.Unchanged++
			case RowNew:
				id, err := insertImported(ctx, tx, schoolID, rec, now, a.userID())
				if err != nil {
					return err
				}
				if id == 0 {
					res.Skipped = append(res.Skipped, Skip{Line: r.Line, Reason: changedMeanwhile})
					continue
				}
				created = append(created, id)
			case RowUpdate:
				if err := updateStudent(ctx, tx, ex.ID, rec.Details, now, a.userID()); err != nil {
					return err
				}
				if !slices.Equal(ex.Record.Contacts, rec.Contacts) {
					if err := upsertFirstContact(ctx, tx, ex.ID, rec.Contacts[0]); err != nil {
						return err
					}
				}
				updated = append(updated, ex.ID)
			}
		}
		res.Created, res.Updated = len(created), len(updated)
		if res.Skipped == nil {
			res.Skipped = []Skip{}
		}
		result, err := json.Marshal(res)
		if err != nil {
			return fmt.Errorf("store import result: %w", err)
		}
		// Only a pending import is marked applied: should two confirms ever both get this far, the
		// second finds nothing to mark and everything it did is rolled back.
		tag, err := tx.Exec(ctx, `
			UPDATE student_imports SET status = 'applied', applied_at = $2, applied_by = $3, result = $4
			WHERE id = $1 AND status = 'pending'`,
			importID, now, a.userID(), result)
		if err != nil {
			return fmt.Errorf("mark import applied: %w", err)
		}
		if tag.RowsAffected() == 0 {
			return ErrAlreadyApplied
		}
		return audit.On(tx).Write(ctx, audit.Entry{
			At: now, ActorUserID: a.userID(), ActorEmail: a.email(), RequestID: a.RequestID,
			Action: ActionImported, SubjectType: "student_import", SubjectID: fmt.Sprint(importID),
			Summary: fmt.Sprintf("Imported students: %d added, %d updated, %d unchanged, %d rows with errors left out, %d skipped",
				res.Created, res.Updated, res.Unchanged, res.Errors, len(res.Skipped)),
			Details: map[string]any{"school_id": schoolID, "created": created, "updated": updated,
				"unchanged": res.Unchanged, "errors": res.Errors, "skipped": len(res.Skipped)},
		})
	})
	return res, err
}

// insertImported adds a student from an import with their first contact; id is 0 when another
// request added the UPN meanwhile, which skips the row rather than failing the whole import.
func insertImported(ctx context.Context, tx pgx.Tx, schoolID int64, rec Record, now time.Time, by *int64) (int64, error) {
	d := rec.Details
	var id int64
	err := tx.QueryRow(ctx, `
		INSERT INTO students (school_id, upn, legal_first_name, legal_last_name, preferred_first_name, preferred_last_name,
		                      date_of_birth, sex, year_group, sen_status, fsm, looked_after, cp_cin_status, ethnicity,
		                      address, postcode, created_at, updated_at, created_by, updated_by)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $17, $18, $18)
		ON CONFLICT (upn) DO NOTHING
		RETURNING id`,
		schoolID, d.UPN, d.LegalFirstName, d.LegalLastName, d.PreferredFirstName, d.PreferredLastName,
		d.DateOfBirth, d.Sex, d.YearGroup, d.SEN, d.FSM, d.LookedAfter, d.CPCIN, d.Ethnicity,
		d.Address, d.Postcode, now, by).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("import student: %w", err)
	}
	if len(rec.Contacts) > 0 && rec.Contacts[0].Name != "" {
		if err := upsertFirstContact(ctx, tx, id, rec.Contacts[0]); err != nil {
			return 0, err
		}
	}
	return id, nil
}

// upsertFirstContact writes a student's first parent or carer, leaving any others as they are.
func upsertFirstContact(ctx context.Context, tx pgx.Tx, studentID int64, c Contact) error {
	_, err := tx.Exec(ctx, `
		INSERT INTO student_contacts (student_id, priority, name, relationship, phone, email, address, parental_responsibility)
		VALUES ($1, 1, $2, $3, $4, $5, $6, $7)
		ON CONFLICT (student_id, priority) DO UPDATE SET name = EXCLUDED.name, relationship = EXCLUDED.relationship,
			phone = EXCLUDED.phone, email = EXCLUDED.email, address = EXCLUDED.address,
			parental_responsibility = EXCLUDED.parental_responsibility`,
		studentID, c.Name, c.Relationship, c.Phone, c.Email, c.Address, c.ParentalResponsibility)
	if err != nil {
		return fmt.Errorf("write first contact: %w", err)
	}
	return nil
}
