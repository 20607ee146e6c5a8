package referral

import (
	"context"
	"encoding/json"
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
	"github.com/coventry-cap/capportal/internal/directory"
	"github.com/coventry-cap/capportal/internal/document"
	"github.com/coventry-cap/capportal/internal/eligibility"
	"github.com/coventry-cap/capportal/internal/notify"
	"github.com/coventry-cap/capportal/internal/pathway"
	"github.com/coventry-cap/capportal/internal/school"
	"github.com/coventry-cap/capportal/internal/student"
)

// Store reads and changes referrals.
type Store struct {
	DB     db.DBTX
	Clock  calendar.Clock
	Outbox *notify.Outbox
}

// On is the store over a pool or a transaction, for reads inside a caller's transaction.
func On(conn db.DBTX) Store { return Store{DB: conn} }

// in is the store inside the transaction.
func (s Store) in(tx pgx.Tx) Store {
	s.DB = tx
	return s
}

func (s Store) today() calendar.Date { return calendar.DateOf(s.Clock.Now()) }

const selectReferral = `
SELECT r.id, coalesce(r.reference, ''), r.academic_year, r.school_id, sc.name, r.student_id,
       st.legal_first_name, st.legal_last_name, st.preferred_first_name, st.preferred_last_name, st.upn,
       st.year_group, st.date_of_birth,
       r.programme_id, p.name, p.kind, p.tier, coalesce(r.provider_id, 0), coalesce(pv.name, ''),
       r.pathway, r.step, r.step_since, r.answers, r.no_commissioning_confirmed, r.version,
       r.interview_on, r.interview_time, r.created_at, r.created_by, r.updated_at, r.submitted_at,
       r.programme_snapshot, coalesce(r.panel_round_id, 0), r.panel_late_reason,
       EXISTS (SELECT 1 FROM panel_cases pc WHERE pc.referral_id = r.id),
       st.sen_status = 'ehcp',
       coalesce((SELECT array_agg(concat_ws(', ', sp.name, nullif(concat_ws(' ', nullif(sp.role, ''), CASE WHEN sp.agency <> '' THEN '(' || sp.agency || ')' END), '')) ORDER BY sp.position)
                 FROM student_professionals sp WHERE sp.student_id = st.id), '{}'),
       coalesce((SELECT array_agg(sc2.name || CASE WHEN sc2.relationship <> '' THEN ' (' || sc2.relationship || ')' ELSE '' END ORDER BY sc2.priority)
                 FROM student_contacts sc2 WHERE sc2.student_id = st.id AND sc2.parental_responsibility), '{}')
FROM referrals r
JOIN students st ON st.id = r.student_id
JOIN organisations sc ON sc.id = r.school_id
JOIN programmes p ON p.id = r.programme_id
LEFT JOIN organisations pv ON pv.id = r.provider_id`

// scopeSQL limits referrals (alias r) to the scope; its arguments start at $n. It writes only the
// conditions the scope has, so that each shape of scope is its own statement with its own plan: one
// statement with every condition switched on and off by arguments costs a fresh plan on every run
// and cannot use the indexes the shape needs.
func scopeSQL(sc Scope, n int) (string, []any) {
	var conds []string
	var args []any
	if sc.All {
		conds = append(conds, "r.step <> 'draft'")
	}
	if len(sc.Schools) > 0 {
		args = append(args, sc.Schools)
		conds = append(conds, fmt.Sprintf("r.school_id = ANY($%d)", n+len(args)-1))
	}
	if len(sc.Providers) > 0 {
		args = append(args, sc.Providers)
		// The provider's own referrals, gathered first (referral_packs_provider_idx) and then looked
		// up: a correlated EXISTS would be tried against every referral at a step, in list order.
		conds = append(conds, fmt.Sprintf(`r.id = ANY(ARRAY(SELECT k.referral_id FROM referral_packs k
			WHERE k.withdrawn_at IS NULL AND k.provider_id = ANY($%d)))`, n+len(args)-1))
	}
	if sc.Panel {
		conds = append(conds, "EXISTS (SELECT 1 FROM panel_cases pc WHERE pc.referral_id = r.id)")
	}
	if len(conds) == 0 {
		return "false", nil
	}
	return "(" + strings.Join(conds, " OR ") + ")", args
}

func nonNil(ids []int64) []int64 {
	if ids == nil {
		return []int64{}
	}
	return ids
}

func scanReferral(row pgx.Row) (Referral, error) {
	var r Referral
	var d student.Details
	var answers, snapshot []byte
	var step string
	err := row.Scan(&r.ID, &r.Reference, &r.AcademicYear, &r.SchoolID, &r.SchoolName, &r.StudentID,
		&d.LegalFirstName, &d.LegalLastName, &d.PreferredFirstName, &d.PreferredLastName, &r.StudentUPN,
		&r.YearGroup, &r.DateOfBirth,
		&r.ProgrammeID, &r.Programme, &r.Kind, &r.Tier, &r.ProviderID, &r.ProviderName,
		&r.PathwayID, &step, &r.StepSince, &answers, &r.NoCommissioningConfirmed, &r.Version,
		&r.InterviewOn, &r.InterviewTime, &r.CreatedAt, &r.CreatedBy, &r.UpdatedAt, &r.SubmittedAt, &snapshot,
		&r.PanelRoundID, &r.PanelLateReason, &r.OnPanel, &r.Record.EHCP, &r.Record.Professionals, &r.Record.Parental)
	if errors.Is(err, pgx.ErrNoRows) {
		return r, db.ErrNotFound
	}
	if err != nil {
		return r, fmt.Errorf("load referral: %w", err)
	}
	r.Step = pathway.Step(step)
	r.StudentName = d.Name()
	if err := json.Unmarshal(answers, &r.Answers); err != nil {
		return r, fmt.Errorf("read answers: %w", err)
	}
	r.Answers = withRecord(r.Kind, r.Answers, r.Record)
	if len(snapshot) > 0 {
		var sn Snapshot
		if err := json.Unmarshal(snapshot, &sn); err != nil {
			return r, fmt.Errorf("read programme snapshot: %w", err)
		}
		r.Snapshot = &sn
		r.Programme = sn.Name
	}
	return r, nil
}

// Get returns the referral with the key (a reference or draft-{id}) if the actor may see it;
// db.ErrNotFound otherwise, so nobody learns that a referral they may not see exists.
func (s Store) Get(ctx context.Context, a Actor, key string) (Referral, error) {
	return get(ctx, s.DB, ScopeFor(a.Principal), key, false)
}

func get(ctx context.Context, q db.DBTX, sc Scope, key string, lock bool) (Referral, error) {
	ref, id, ok := ParseKey(key)
	if !ok || sc.Empty() {
		return Referral{}, db.ErrNotFound
	}
	where, args := scopeSQL(sc, 1)
	sql := selectReferral + ` WHERE ` + where
	if ref != "" {
		sql += fmt.Sprintf(` AND r.reference = $%d`, len(args)+1)
		args = append(args, ref)
	} else {
		sql += fmt.Sprintf(` AND r.id = $%d AND r.reference IS NULL`, len(args)+1)
		args = append(args, id)
	}
	if lock {
		sql += ` FOR UPDATE OF r`
	}
	return scanReferral(q.QueryRow(ctx, sql, args...))
}

// View returns the referral for its page and records the view in the audit log: a referral is a
// student-level record, and providers' views of packs in particular must be accounted for.
func (s Store) View(ctx context.Context, a Actor, key, what string) (Referral, error) {
	r, err := s.Get(ctx, a, key)
	if err != nil {
		return r, err
	}
	err = audit.On(s.DB).Write(ctx, audit.Entry{
		At: s.Clock.Now(), ActorUserID: ptr(a.userID()), ActorEmail: email(a), Action: ActionViewed,
		SubjectType: "referral", SubjectID: fmt.Sprint(r.ID), Summary: "Viewed " + r.Title() + " (" + what + ")",
		RequestID: a.RequestID,
	})
	if err != nil {
		return r, fmt.Errorf("audit view: %w", err)
	}
	return r, nil
}

func ptr(id int64) *int64 {
	if id == 0 {
		return nil
	}
	return &id
}

func email(a Actor) string {
	if a.Principal == nil {
		return ""
	}
	return a.Principal.Email
}

// ErrStudentNotFound is returned when the student is not one of the school's.
var ErrStudentNotFound = errors.New("the student is not on the school's roll")

// StartInput is what starts a draft: the school acting, the student, the programme, and the form's
// one-time token (a second click of the same form finds the first draft).
type StartInput struct {
	SchoolID, StudentID, ProgrammeID int64
	Token                            string
}

// Start opens a draft referral, or returns the one this form (or an earlier start for the same student
// and programme) already opened. The caller has checked eligibility; Start checks the student belongs
// to the school and that the actor coordinates it.
func (s Store) Start(ctx context.Context, a Actor, in StartInput) (Referral, bool, error) {
	if !student.ManageScope(a.Principal).Includes(in.SchoolID) || !coordinates(a.Principal, in.SchoolID) {
		return Referral{}, false, ErrNotEditable
	}
	now := s.Clock.Now()
	var id int64
	created := false
	err := db.InTx(ctx, s.DB, func(tx pgx.Tx) error {
		var schoolID int64
		err := tx.QueryRow(ctx, `SELECT school_id FROM students WHERE id = $1 FOR SHARE`, in.StudentID).Scan(&schoolID)
		if errors.Is(err, pgx.ErrNoRows) || (err == nil && schoolID != in.SchoolID) {
			return ErrStudentNotFound
		}
		if err != nil {
			return fmt.Errorf("load student: %w", err)
		}
		p, err := directory.On(tx).GetProgramme(ctx, in.ProgrammeID)
		if err != nil {
			return err
		}
		pw, ok := pathway.For(p.Kind)
		if !ok {
			return fmt.Errorf("no pathway for programme kind %q", p.Kind)
		}
		// The same form sent twice, or a second start for the same student and programme while a
		// draft is open: carry on with the draft already there.
		err = tx.QueryRow(ctx, `SELECT id FROM referrals WHERE start_token = $1
			UNION ALL
			SELECT id FROM referrals WHERE student_id = $2 AND programme_id = $3 AND step = 'draft'
			LIMIT 1`, in.Token, in.StudentID, in.ProgrammeID).Scan(&id)
		if err == nil {
			return nil
		}
		if !errors.Is(err, pgx.ErrNoRows) {
			return fmt.Errorf("find draft: %w", err)
		}
		var provider *int64
		if p.ProviderID != 0 {
			provider = &p.ProviderID
		}
		err = tx.QueryRow(ctx, `INSERT INTO referrals (academic_year, school_id, student_id, programme_id, provider_id,
			pathway, step, step_since, start_token, created_at, created_by, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, 'draft', $7, $8, $7, $9, $7)
			ON CONFLICT DO NOTHING RETURNING id`,
			calendar.AcademicYearCode(calendar.DateOf(now)), in.SchoolID, in.StudentID, in.ProgrammeID, provider,
			pw.ID, now, in.Token, a.userID()).Scan(&id)
		if errors.Is(err, pgx.ErrNoRows) {
			// Another request with the same token, or for the same student and programme, won the race.
			return tx.QueryRow(ctx, `SELECT id FROM referrals WHERE start_token = $1
				UNION ALL
				SELECT id FROM referrals WHERE student_id = $2 AND programme_id = $3 AND step = 'draft'
				LIMIT 1`, in.Token, in.StudentID, in.ProgrammeID).Scan(&id)
		}
		if err != nil {
			return fmt.Errorf("start referral: %w", err)
		}
		created = true
		return audit.On(tx).Write(ctx, audit.Entry{At: now, ActorUserID: ptr(a.userID()), ActorEmail: email(a),
			Action: ActionStarted, SubjectType: "referral", SubjectID: fmt.Sprint(id),
			Summary: "Started a draft referral to " + p.Name, RequestID: a.RequestID})
	})
	if err != nil {
		return Referral{}, false, err
	}
	r, err := get(ctx, s.DB, ScopeFor(a.Principal), fmt.Sprintf("draft-%d", id), false)
	if errors.Is(err, db.ErrNotFound) {
		// The token was someone else's referral (or no longer a draft): start afresh is not possible.
		return Referral{}, false, ErrNotEditable
	}
	return r, created, err
}

func coordinates(p *auth.Principal, schoolID int64) bool {
	for _, m := range p.OrgsWith(auth.Coordinator) {
		if m.OrgID == schoolID {
			return true
		}
	}
	return false
}

// SaveAnswers merges answers into the application while the school may still edit it. Values are
// kept as typed, less the invisible characters CleanAnswers removes (validation is the caller's, and is
// repeated at submission), so nothing is lost on an error. noCommissioning, when not nil, records the Tier 1 confirmation.
func (s Store) SaveAnswers(ctx context.Context, a Actor, r Referral, values Answers, noCommissioning *bool) error {
	if !r.Editable() || !coordinates(a.Principal, r.SchoolID) {
		return ErrNotEditable
	}
	values = CleanAnswers(r.Kind, values)
	for _, sec := range Sections(r.Kind) {
		for _, f := range sec.Fields {
			if f.Type == FromRecord {
				delete(values, f.Name) // the record says it, every time the referral is read
			}
		}
	}
	b, err := json.Marshal(values)
	if err != nil {
		return fmt.Errorf("encode answers: %w", err)
	}
	now := s.Clock.Now()
	return db.InTx(ctx, s.DB, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE referrals SET answers = answers || $1::jsonb, updated_at = $2,
			no_commissioning_confirmed = coalesce($5, no_commissioning_confirmed)
			WHERE id = $3 AND step = $4`, b, now, r.ID, string(r.Step), noCommissioning)
		if err != nil {
			return fmt.Errorf("save answers: %w", err)
		}
		if tag.RowsAffected() == 0 {
			return ErrMoved
		}
		names := make([]string, 0, len(values))
		for k := range values {
			names = append(names, k)
		}
		slices.Sort(names)
		// The audit says which answers were saved, not what they say: the log is searched by staff
		// who need not read a student's application.
		return audit.On(tx).Write(ctx, audit.Entry{At: now, ActorUserID: ptr(a.userID()), ActorEmail: email(a),
			Action: ActionSaved, SubjectType: "referral", SubjectID: fmt.Sprint(r.ID),
			Summary: "Saved answers of " + r.Title(), Details: map[string]any{"fields": names}, RequestID: a.RequestID})
	})
}

// DeleteDraft deletes a draft started by mistake, with its documents: CAP has never seen it. A
// submitted referral is never deleted (ErrMoved when it was submitted meanwhile).
func (s Store) DeleteDraft(ctx context.Context, a Actor, r Referral) error {
	if r.Step != pathway.Draft || !coordinates(a.Principal, r.SchoolID) {
		return ErrNotEditable
	}
	now := s.Clock.Now()
	return db.InTx(ctx, s.DB, func(tx pgx.Tx) error {
		if err := lockAt(ctx, tx, r); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM referral_documents WHERE referral_id = $1`, r.ID); err != nil {
			return fmt.Errorf("delete draft documents: %w", err)
		}
		tag, err := tx.Exec(ctx, `DELETE FROM referrals WHERE id = $1 AND step = 'draft'`, r.ID)
		if err != nil {
			return fmt.Errorf("delete draft: %w", err)
		}
		if tag.RowsAffected() == 0 {
			return ErrMoved
		}
		return audit.On(tx).Write(ctx, audit.Entry{At: now, ActorUserID: ptr(a.userID()), ActorEmail: email(a),
			Action: ActionDeleted, SubjectType: "referral", SubjectID: fmt.Sprint(r.ID),
			Summary: "Deleted a draft referral to " + r.Programme, RequestID: a.RequestID})
	})
}

// Documents lists the referral's current documents.
func (s Store) Documents(ctx context.Context, r Referral) ([]document.Meta, error) {
	return document.On(s.DB).List(ctx, r.ID)
}

// Document returns one of the referral's documents with its content, and records the download.
func (s Store) Document(ctx context.Context, a Actor, r Referral, docID int64) (document.Doc, error) {
	d, err := document.On(s.DB).Get(ctx, r.ID, docID)
	if err != nil {
		return d, err
	}
	err = audit.On(s.DB).Write(ctx, audit.Entry{At: s.Clock.Now(), ActorUserID: ptr(a.userID()), ActorEmail: email(a),
		Action: ActionDocument, SubjectType: "referral", SubjectID: fmt.Sprint(r.ID),
		Summary: "Downloaded a document of " + r.Title(), Details: map[string]any{"document_id": docID}, RequestID: a.RequestID})
	return d, err
}

// AddDocument attaches an uploaded document while the school may edit the application.
func (s Store) AddDocument(ctx context.Context, a Actor, r Referral, up document.Upload) (int64, error) {
	if !r.Editable() || !coordinates(a.Principal, r.SchoolID) {
		return 0, ErrNotEditable
	}
	var id int64
	now := s.Clock.Now()
	err := db.InTx(ctx, s.DB, func(tx pgx.Tx) error {
		if err := lockAt(ctx, tx, r); err != nil {
			return err
		}
		// The same file sent twice (a double click) is stored once; the row lock above serialises
		// uploads to one referral, so two at the same moment cannot both pass this check.
		existing, same, err := document.On(tx).SameContent(ctx, r.ID, up.Kind, up.Checked)
		if err != nil {
			return err
		}
		if same {
			id = existing.ID
			return nil
		}
		id, err = document.On(tx).Insert(ctx, r.ID, a.userID(), now, up)
		if err != nil {
			return err
		}
		return audit.On(tx).Write(ctx, audit.Entry{At: now, ActorUserID: ptr(a.userID()), ActorEmail: email(a),
			Action: ActionDocument, SubjectType: "referral", SubjectID: fmt.Sprint(r.ID),
			Summary: "Attached a document to " + r.Title(), Details: map[string]any{"document_id": id, "kind": up.Kind}, RequestID: a.RequestID})
	})
	return id, err
}

// RemoveDocument takes a document out of an application the school may still edit (it is kept, marked
// removed).
func (s Store) RemoveDocument(ctx context.Context, a Actor, r Referral, docID int64) error {
	if !r.Editable() || !coordinates(a.Principal, r.SchoolID) {
		return ErrNotEditable
	}
	now := s.Clock.Now()
	return db.InTx(ctx, s.DB, func(tx pgx.Tx) error {
		if err := lockAt(ctx, tx, r); err != nil {
			return err
		}
		if err := document.On(tx).Remove(ctx, r.ID, docID, a.userID(), now); err != nil {
			return err
		}
		return audit.On(tx).Write(ctx, audit.Entry{At: now, ActorUserID: ptr(a.userID()), ActorEmail: email(a),
			Action: ActionDocument, SubjectType: "referral", SubjectID: fmt.Sprint(r.ID),
			Summary: "Removed a document from " + r.Title(), Details: map[string]any{"document_id": docID}, RequestID: a.RequestID})
	})
}

// lockAt locks the referral row and fails with ErrMoved when it is no longer at r's step.
func lockAt(ctx context.Context, tx pgx.Tx, r Referral) error {
	var step string
	err := tx.QueryRow(ctx, `SELECT step FROM referrals WHERE id = $1 FOR UPDATE`, r.ID).Scan(&step)
	if err != nil {
		return fmt.Errorf("lock referral: %w", err)
	}
	if pathway.Step(step) != r.Step {
		return ErrMoved
	}
	return nil
}

// Facts gathers what the pathway's checks look at.
func (s Store) Facts(ctx context.Context, r Referral) (pathway.Facts, error) {
	return s.facts(ctx, s.DB, r)
}

// facts reads the facts through q: the pool for a page, the move's transaction for the move itself.
func (s Store) facts(ctx context.Context, q db.DBTX, r Referral) (pathway.Facts, error) {
	today := s.today()
	f := pathway.Facts{CommissioningConfirmed: r.NoCommissioningConfirmed, Today: today, InterviewOn: r.InterviewOn}
	for _, sec := range r.Sections() {
		if sec.ID == SectionDocuments {
			continue
		}
		if r.SectionStatus(sec, today) != Completed {
			f.IncompleteSections = append(f.IncompleteSections, lowerFirst(sec.Title))
		}
	}
	// The risk assessment is judged against the day of submission: today for a draft or a returned
	// application, the submission day once CAP has it.
	submission := today
	if r.SubmittedAt != nil && !r.Editable() {
		submission = calendar.DateOf(*r.SubmittedAt)
	}
	rows, err := q.Query(ctx, `SELECT kind, completed_on FROM referral_documents
		WHERE referral_id = $1 AND removed_at IS NULL ORDER BY id`, r.ID)
	if err != nil {
		return f, fmt.Errorf("load documents: %w", err)
	}
	var newest calendar.Date
	for rows.Next() {
		var kind document.Kind
		var completed calendar.Date
		if err := rows.Scan(&kind, &completed); err != nil {
			rows.Close()
			return f, fmt.Errorf("read document: %w", err)
		}
		switch kind {
		case document.RiskAssessment:
			f.HasRiskAssessment = true
			if completed.After(newest) {
				newest = completed
			}
		case document.CommissioningAgreement:
			f.HasCommissioning = true
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return f, fmt.Errorf("read documents: %w", err)
	}
	if f.HasRiskAssessment {
		f.RiskAssessmentProblem = document.RiskAssessmentProblem(newest, submission)
	}
	if r.Editable() || r.Step == pathway.ExploringAlternatives {
		probs, err := s.eligibilityProblems(ctx, q, r, r.ProgrammeID)
		if err != nil {
			return f, err
		}
		// Another referral to the same programme may have been submitted since this draft was started.
		dup, err := alreadyReferred(ctx, q, r, r.ProgrammeID, r.Programme)
		if err != nil {
			return f, err
		}
		if dup != "" {
			probs = append(probs, dup)
		}
		f.EligibilityProblems = probs
	}
	err = q.QueryRow(ctx, `SELECT
		EXISTS (SELECT 1 FROM referral_packs WHERE referral_id = $1 AND withdrawn_at IS NULL),
		EXISTS (SELECT 1 FROM application_responses a JOIN referral_packs k ON k.id = a.pack_id
		        WHERE a.referral_id = $1 AND k.withdrawn_at IS NULL AND a.processed_at IS NULL),
		EXISTS (SELECT 1 FROM application_responses a JOIN referral_packs k ON k.id = a.pack_id
		        WHERE a.referral_id = $1 AND k.withdrawn_at IS NULL AND a.decision = 'accept'),
		EXISTS (SELECT 1 FROM placements WHERE referral_id = $1 AND status = 'active')`, r.ID).
		Scan(&f.HasOpenPack, &f.HasResponse, &f.ResponseAccepted, &f.HasPlacement)
	if err != nil {
		return f, fmt.Errorf("load pathway facts: %w", err)
	}
	return f, nil
}

// eligibilityProblems asks the eligibility rules whether the school may refer the student to the
// programme today.
func (s Store) eligibilityProblems(ctx context.Context, q db.DBTX, r Referral, programmeID int64) ([]string, error) {
	return On(q).EligibilityProblems(ctx, r.SchoolID, r.SchoolName, r.StudentName, r.YearGroup, programmeID, s.today())
}

// EligibilityProblems returns the reasons the school may not refer a student of the year group to the
// programme on the day, or none.
func (s Store) EligibilityProblems(ctx context.Context, schoolID int64, schoolName, studentName string, yearGroup int, programmeID int64, today calendar.Date) ([]string, error) {
	p, err := directory.On(s.DB).GetProgramme(ctx, programmeID)
	if err != nil {
		return nil, err
	}
	year := calendar.AcademicYearCode(today)
	sla, err := school.On(s.DB).SLAOf(ctx, schoolID, year)
	if err != nil {
		return nil, err
	}
	err = eligibility.Check(eligibility.Request{Programme: p.Eligibility(), SchoolName: schoolName, AcademicYear: year,
		SchoolHasSLA: sla.Signed, YearGroup: yearGroup, StudentName: studentName, Today: today})
	if err == nil {
		return nil, nil
	}
	if reasons := eligibility.Reasons(err); reasons != nil {
		return reasons, nil
	}
	return nil, err
}

// Events returns the referral's history, oldest first.
func (s Store) Events(ctx context.Context, r Referral) ([]Event, error) {
	rows, err := s.DB.Query(ctx, eventsSQL, r.ID)
	if err != nil {
		return nil, fmt.Errorf("load events: %w", err)
	}
	return readEvents(rows)
}

const eventsSQL = `SELECT id, at, actor_name, actor_org, action, from_step, to_step, note
		FROM referral_events WHERE referral_id = $1 ORDER BY id`

func readEvents(rows pgx.Rows) ([]Event, error) {
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (Event, error) {
		var e Event
		var from, to string
		err := row.Scan(&e.ID, &e.At, &e.ActorName, &e.ActorOrg, &e.Action, &from, &to, &e.Note)
		e.From, e.To = pathway.Step(from), pathway.Step(to)
		return e, err
	})
}

// Responses returns the application responses to the referral's packs, newest first. A provider sees
// only its own.
func (s Store) Responses(ctx context.Context, a Actor, r Referral) ([]Response, error) {
	rows, err := s.DB.Query(ctx, responsesSQL, responsesArgs(a, r)...)
	if err != nil {
		return nil, fmt.Errorf("load responses: %w", err)
	}
	return readResponses(rows)
}

const responsesSQL = `SELECT a.id, a.provider_id, o.name, a.receipt_acknowledged, a.can_meet_needs,
		a.can_manage_risk, a.decision = 'accept', a.start_date, a.days, coalesce(a.decline_reason, ''), a.decline_detail,
		a.notes, a.submitted_at, u.name, a.processed_at
		FROM application_responses a JOIN organisations o ON o.id = a.provider_id JOIN users u ON u.id = a.submitted_by
		WHERE a.referral_id = $1 AND ($2 OR $3::bigint = ANY($4) OR a.provider_id = ANY($5))
		ORDER BY a.id DESC`

func responsesArgs(a Actor, r Referral) []any {
	sc := ScopeFor(a.Principal)
	return []any{r.ID, sc.All, r.SchoolID, nonNil(sc.Schools), nonNil(sc.Providers)}
}

func readResponses(rows pgx.Rows) ([]Response, error) {
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (Response, error) {
		var x Response
		var days []int32
		err := row.Scan(&x.ID, &x.ProviderID, &x.ProviderName, &x.ReceiptAcknowledged, &x.CanMeetNeeds, &x.CanManageRisk,
			&x.Accept, &x.StartDate, &days, &x.DeclineReason, &x.DeclineDetail, &x.Notes, &x.SubmittedAt, &x.SubmittedBy, &x.ProcessedAt)
		x.Days = weekdays(days)
		return x, err
	})
}

// PageData is what a referral's page reads besides the referral itself.
type PageData struct {
	Events    []Event
	Documents []document.Meta
	Responses []Response
	Placement *Placement // the newest placement, nil when there is none
	Versions  []Version
}

// PageData reads what the referral's page shows of it, sent to the server as one batch (one round
// trip, not five); each part is what Events, Documents, Responses, Placement and Versions return.
func (s Store) PageData(ctx context.Context, a Actor, r Referral) (PageData, error) {
	var d PageData
	b := &pgx.Batch{}
	b.Queue(eventsSQL, r.ID).Query(func(rows pgx.Rows) error {
		var err error
		d.Events, err = readEvents(rows)
		return err
	})
	document.QueueList(b, r.ID, &d.Documents)
	b.Queue(responsesSQL, responsesArgs(a, r)...).Query(func(rows pgx.Rows) error {
		var err error
		d.Responses, err = readResponses(rows)
		return err
	})
	b.Queue(placementSQL, r.ID).QueryRow(func(row pgx.Row) error {
		p, err := readPlacement(row)
		switch {
		case err == nil:
			d.Placement = &p
		case errors.Is(err, db.ErrNotFound):
			err = nil
		}
		return err
	})
	b.Queue(versionsSQL, r.ID).Query(func(rows pgx.Rows) error {
		var err error
		d.Versions, err = pgx.CollectRows(rows, pgx.RowToStructByPos[Version])
		return err
	})
	if err := db.SendBatch(ctx, s.DB, b); err != nil {
		return d, fmt.Errorf("load the referral's page: %w", err)
	}
	return d, nil
}

func weekdays(days []int32) []time.Weekday {
	out := make([]time.Weekday, len(days))
	for i, d := range days {
		out[i] = time.Weekday(d % 7)
	}
	return out
}

func isoDays(days []time.Weekday) []int32 {
	out := make([]int32, len(days))
	for i, d := range days {
		n := int32(d)
		if n == 0 {
			n = 7
		}
		out[i] = n
	}
	return out
}

const placementSQL = `SELECT pl.id, o.name, pl.start_date, pl.days, pl.status, pl.qa_placement, pl.created_at
		FROM placements pl JOIN organisations o ON o.id = pl.provider_id
		WHERE pl.referral_id = $1 ORDER BY pl.id DESC LIMIT 1`

// readPlacement reads the referral's newest placement, or db.ErrNotFound.
func readPlacement(row pgx.Row) (Placement, error) {
	var p Placement
	var days []int32
	err := row.Scan(&p.ID, &p.ProviderName, &p.StartDate, &days, &p.Status, &p.QAPlacement, &p.CreatedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return p, db.ErrNotFound
	}
	if err != nil {
		return p, fmt.Errorf("load placement: %w", err)
	}
	p.Days = weekdays(days)
	return p, nil
}

const versionsSQL = `SELECT v.version, v.reason, v.created_at, u.name
		FROM referral_versions v JOIN users u ON u.id = v.created_by WHERE v.referral_id = $1 ORDER BY v.version DESC`

// Version is one frozen copy of the application's answers.
type Version struct {
	Number int
	Reason string
	At     time.Time
	By     string
}
