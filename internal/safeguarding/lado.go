package safeguarding

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/db"
	"github.com/coventry-cap/capportal/internal/input"
)

// LADO reports: an allegation that an adult who works with children abused their position of trust
// goes to the CAP Service Lead, who gathers the initial information and refers to the LADO. Only the
// Service Lead sees them; for anyone else every report is db.ErrNotFound.

// LADOKind is what an entry added to a LADO report is.
type LADOKind string

// The kinds of entry on a LADO report.
const (
	LADOReferral   LADOKind = "referral"
	LADODecision   LADOKind = "decision"
	LADOOutcome    LADOKind = "outcome"
	LADOUpdate     LADOKind = "update"
	LADOCorrection LADOKind = "correction"
)

// LADOKinds are the kinds in the order the form offers them.
var LADOKinds = []LADOKind{LADOReferral, LADODecision, LADOOutcome, LADOUpdate, LADOCorrection}

// Label names the kind.
func (k LADOKind) Label() string {
	switch k {
	case LADOReferral:
		return "LADO referral"
	case LADODecision:
		return "Decision"
	case LADOOutcome:
		return "Outcome"
	case LADOUpdate:
		return "Update"
	case LADOCorrection:
		return "Correction"
	}
	return string(k)
}

// LADOBody is what a report or an entry on it records.
type LADOBody struct {
	// The report.
	Allegation  string        `json:"allegation,omitempty"`
	PersonRole  string        `json:"person_role,omitempty"`
	PersonOrg   string        `json:"person_org,omitempty"`
	ReportedBy  string        `json:"reported_by,omitempty"`
	ReceivedOn  calendar.Date `json:"received_on,omitzero"`
	InitialInfo string        `json:"initial_info,omitempty"`
	// An entry: what was referred, decided or found, and, for a referral, when and the reference.
	Text      string        `json:"text,omitempty"`
	On        calendar.Date `json:"on,omitzero"`
	Reference string        `json:"reference,omitempty"`
	Reason    string        `json:"reason,omitempty"` // a decision's or a correction's reason
}

// ReportProblems says what is wrong with a new report.
func (b LADOBody) ReportProblems(now time.Time) input.Problems {
	var ps input.Problems
	need := func(f, v, m string) {
		if strings.TrimSpace(v) == "" {
			ps = append(ps, input.FieldProblem{Field: f, Message: m})
		}
	}
	long := func(f, v, label string, max int) {
		if utf8.RuneCountInString(v) > max {
			ps = append(ps, input.FieldProblem{Field: f, Message: label + " must be " + itoa(max) + " characters or fewer"})
		}
	}
	need("allegation", b.Allegation, "Enter the allegation")
	long("allegation", b.Allegation, "The allegation", MaxText)
	need("person_role", b.PersonRole, "Enter the role of the adult it concerns")
	long("person_role", b.PersonRole, "Their role", MaxLine)
	need("person_org", b.PersonOrg, "Enter the organisation the adult works or volunteers for")
	long("person_org", b.PersonOrg, "Their organisation", MaxLine)
	need("reported_by", b.ReportedBy, "Enter who reported it")
	long("reported_by", b.ReportedBy, "Who reported it", MaxLine)
	switch {
	case b.ReceivedOn.IsZero():
		ps = append(ps, input.FieldProblem{Field: "received", Message: "Enter the date the report was received"})
	case b.ReceivedOn.After(calendar.DateOf(now)):
		ps = append(ps, input.FieldProblem{Field: "received", Message: "The date received must be today or in the past"})
	}
	long("initial_info", b.InitialInfo, "The initial information", MaxText)
	return ps
}

// EntryProblems says what is wrong with an entry of the kind.
func (b LADOBody) EntryProblems(k LADOKind, now time.Time) input.Problems {
	var ps input.Problems
	if strings.TrimSpace(b.Text) == "" {
		msg := map[LADOKind]string{LADOReferral: "Enter what was referred to the LADO", LADODecision: "Enter the decision",
			LADOOutcome: "Enter the outcome", LADOUpdate: "Enter the update", LADOCorrection: "Enter the corrected information"}[k]
		ps = append(ps, input.FieldProblem{Field: "text", Message: msg})
	}
	if utf8.RuneCountInString(b.Text) > MaxText {
		ps = append(ps, input.FieldProblem{Field: "text", Message: "The text must be " + itoa(MaxText) + " characters or fewer"})
	}
	if k == LADOReferral {
		switch {
		case b.On.IsZero():
			ps = append(ps, input.FieldProblem{Field: "on", Message: "Enter the date of the LADO referral"})
		case b.On.After(calendar.DateOf(now)):
			ps = append(ps, input.FieldProblem{Field: "on", Message: "The date of the referral must be today or in the past"})
		}
	}
	if (k == LADODecision || k == LADOCorrection) && strings.TrimSpace(b.Reason) == "" {
		ps = append(ps, input.FieldProblem{Field: "reason", Message: map[LADOKind]string{LADODecision: "Enter the reason for the decision", LADOCorrection: "Enter why it is being corrected"}[k]})
	}
	if utf8.RuneCountInString(b.Reason) > MaxText {
		ps = append(ps, input.FieldProblem{Field: "reason", Message: "The reason must be " + itoa(MaxText) + " characters or fewer"})
	}
	if utf8.RuneCountInString(b.Reference) > MaxLine {
		ps = append(ps, input.FieldProblem{Field: "reference", Message: "The reference must be " + itoa(MaxLine) + " characters or fewer"})
	}
	return ps
}

// LADOEntry is an entry on a report.
type LADOEntry struct {
	ID         int64
	Kind       LADOKind
	AuthorName string
	RecordedAt time.Time
	Body       LADOBody
}

// LADOReport is a report and its entries, oldest first.
type LADOReport struct {
	ID         int64
	AuthorName string
	RecordedAt time.Time
	Body       LADOBody
	Entries    []LADOEntry
}

// LADOPath is a report's page.
func LADOPath(id int64) string { return "/safeguarding/lado/" + strconv.FormatInt(id, 10) }

// LADOReports lists the reports, newest first (the Service Lead's only); the view is audited.
func (s Store) LADOReports(ctx context.Context, a Actor) ([]LADOReport, error) {
	if !ReadsLADO(a.Principal) {
		return nil, db.ErrNotFound
	}
	var out []LADOReport
	err := db.InTx(ctx, s.DB, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `SELECT l.id, u.name, l.recorded_at, l.body FROM lado_reports l JOIN users u ON u.id = l.author_id
			ORDER BY l.id DESC LIMIT 200`)
		if err != nil {
			return fmt.Errorf("list LADO reports: %w", err)
		}
		out, err = pgx.CollectRows(rows, scanLADO)
		if err != nil {
			return fmt.Errorf("list LADO reports: %w", err)
		}
		return s.audit(ctx, tx, a, ActionLADOViewed, "lado_list", "", "Viewed the list of LADO reports", nil)
	})
	return out, err
}

func scanLADO(row pgx.CollectableRow) (LADOReport, error) {
	var r LADOReport
	var body []byte
	if err := row.Scan(&r.ID, &r.AuthorName, &r.RecordedAt, &body); err != nil {
		return r, err
	}
	return r, json.Unmarshal(body, &r.Body)
}

// LADOReportOf is one report with its entries; the view is audited.
func (s Store) LADOReportOf(ctx context.Context, a Actor, id int64) (LADOReport, error) {
	var r LADOReport
	if !ReadsLADO(a.Principal) {
		return r, db.ErrNotFound
	}
	err := db.InTx(ctx, s.DB, func(tx pgx.Tx) error {
		var err error
		if r, err = ladoReport(ctx, tx, id); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, ActionLADOViewed, "lado_report", strconv.FormatInt(id, 10), "Viewed a LADO report", nil)
	})
	return r, err
}

func ladoReport(ctx context.Context, q db.DBTX, id int64) (LADOReport, error) {
	rows, err := q.Query(ctx, `SELECT l.id, u.name, l.recorded_at, l.body FROM lado_reports l JOIN users u ON u.id = l.author_id WHERE l.id = $1`, id)
	if err != nil {
		return LADOReport{}, fmt.Errorf("read LADO report: %w", err)
	}
	r, err := pgx.CollectExactlyOneRow(rows, scanLADO)
	if errors.Is(err, pgx.ErrNoRows) {
		return r, db.ErrNotFound
	}
	if err != nil {
		return r, fmt.Errorf("read LADO report: %w", err)
	}
	rows, err = q.Query(ctx, `SELECT e.id, e.kind, u.name, e.recorded_at, e.body FROM lado_entries e JOIN users u ON u.id = e.author_id
		WHERE e.report_id = $1 ORDER BY e.recorded_at, e.id`, id)
	if err != nil {
		return r, fmt.Errorf("read LADO entries: %w", err)
	}
	r.Entries, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (LADOEntry, error) {
		var e LADOEntry
		var kind string
		var body []byte
		if err := row.Scan(&e.ID, &kind, &e.AuthorName, &e.RecordedAt, &body); err != nil {
			return e, err
		}
		e.Kind = LADOKind(kind)
		return e, json.Unmarshal(body, &e.Body)
	})
	if err != nil {
		return r, fmt.Errorf("read LADO entries: %w", err)
	}
	return r, nil
}

// ReportLADO records a new LADO report; the same token twice records once.
func (s Store) ReportLADO(ctx context.Context, a Actor, b LADOBody, token string) (int64, bool, error) {
	if !ReadsLADO(a.Principal) {
		return 0, false, db.ErrNotFound
	}
	now := s.Clock.Now()
	if ps := b.ReportProblems(now); len(ps) > 0 {
		return 0, false, ps
	}
	body, err := json.Marshal(b)
	if err != nil {
		return 0, false, err
	}
	var id int64
	created := false
	err = db.InTx(ctx, s.DB, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `INSERT INTO lado_reports (author_id, recorded_at, body, token) VALUES ($1, $2, $3, $4)
			ON CONFLICT (token) DO NOTHING RETURNING id`, a.Principal.UserID, now, body, token).Scan(&id)
		if errors.Is(err, pgx.ErrNoRows) {
			err = tx.QueryRow(ctx, `SELECT id FROM lado_reports WHERE token = $1`, token).Scan(&id)
			return err
		}
		if err != nil {
			return fmt.Errorf("add LADO report: %w", err)
		}
		created = true
		return s.audit(ctx, tx, a, ActionLADORecorded, "lado_report", strconv.FormatInt(id, 10), "Recorded a LADO report", nil)
	})
	return id, created, err
}

// AddLADO adds an entry to a report; the same token twice adds once.
func (s Store) AddLADO(ctx context.Context, a Actor, id int64, k LADOKind, b LADOBody, token string) (bool, error) {
	if !ReadsLADO(a.Principal) {
		return false, db.ErrNotFound
	}
	now := s.Clock.Now()
	created := false
	err := db.InTx(ctx, s.DB, func(tx pgx.Tx) error {
		if _, err := ladoReport(ctx, tx, id); err != nil {
			return err
		}
		if ps := b.EntryProblems(k, now); len(ps) > 0 {
			return ps
		}
		body, err := json.Marshal(b)
		if err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, `INSERT INTO lado_entries (report_id, kind, author_id, recorded_at, body, token) VALUES ($1, $2, $3, $4, $5, $6)
			ON CONFLICT (token) DO NOTHING`, id, string(k), a.Principal.UserID, now, body, token)
		if err != nil {
			return fmt.Errorf("add LADO entry: %w", err)
		}
		if tag.RowsAffected() == 0 {
			return nil
		}
		created = true
		return s.audit(ctx, tx, a, ActionLADORecorded, "lado_report", strconv.FormatInt(id, 10), "Added to a LADO report", map[string]any{"kind": string(k)})
	})
	return created, err
}
