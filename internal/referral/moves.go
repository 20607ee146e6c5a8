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
	"github.com/coventry-cap/capportal/internal/notify"
	"github.com/coventry-cap/capportal/internal/pathway"
	"github.com/coventry-cap/capportal/internal/placement"
)

// change is one pathway move: the action, where it ends, why, and the action's own writes.
type change struct {
	action pathway.ActionID
	to     pathway.Step
	note   string
	// prepare runs in the transaction before the compare-and-set; it may add SET assignments (with
	// their arguments, numbered from $5) and change the destination.
	prepare func(ctx context.Context, tx pgx.Tx, now time.Time, c *change) error
	set     []string
	args    []any
	// after runs once the compare-and-set has succeeded.
	after func(ctx context.Context, tx pgx.Tx, now time.Time) error
}

// arg adds an argument for a SET assignment and returns its placeholder.
func (c *change) arg(v any) string {
	c.args = append(c.args, v)
	return fmt.Sprintf("$%d", 4+len(c.args))
}

// move performs a change in one transaction: the pathway's guard (role for this referral, the step the
// action follows, its checks), the compare-and-set on the current step — so that of two people
// pressing the same button exactly one succeeds — the action's writes, the event, the audit entry and
// the notifications to whoever must act next.
func (s Store) move(ctx context.Context, a Actor, r Referral, c change) (pathway.Step, error) {
	pw := r.Pathway()
	act, ok := pw.Action(c.action)
	if !ok {
		return "", fmt.Errorf("pathway %s has no action %q", pw.ID, c.action)
	}
	facts, err := s.Facts(ctx, r)
	if err != nil {
		return "", err
	}
	roles := RolesFor(a.Principal, r)
	if err := pw.Guard(act, roles, r.Step, facts); err != nil {
		return "", err
	}
	now := s.Clock.Now()
	from := r.Step
	err = db.InTx(ctx, s.DB, func(tx pgx.Tx) error {
		// The guard again, on the referral as it is now, locked: an answer saved or a document removed
		// since the page was read cannot slip past the checks, and two moves wait for each other.
		cur, err := get(ctx, tx, ScopeFor(a.Principal), r.Key(), true)
		if errors.Is(err, db.ErrNotFound) {
			return ErrMoved
		}
		if err != nil {
			return err
		}
		if cur.Step != from {
			return ErrMoved
		}
		facts, err := s.facts(ctx, tx, cur)
		if err != nil {
			return err
		}
		if err := pw.Guard(act, roles, from, facts); err != nil {
			return err
		}
		if c.prepare != nil {
			if err := c.prepare(ctx, tx, now, &c); err != nil {
				return err
			}
		}
		if !act.Leads(c.to) {
			return fmt.Errorf("action %s cannot lead to %s", act.ID, c.to)
		}
		sql := `UPDATE referrals SET step = $1, updated_at = $2,
			step_since = CASE WHEN step = $1 THEN step_since ELSE $2 END`
		for _, set := range c.set {
			sql += ", " + set
		}
		sql += ` WHERE id = $3 AND step = $4`
		tag, err := tx.Exec(ctx, sql, append([]any{string(c.to), now, r.ID, string(from)}, c.args...)...)
		if err != nil {
			return fmt.Errorf("move referral: %w", err)
		}
		if tag.RowsAffected() == 0 {
			return ErrMoved
		}
		if c.after != nil {
			if err := c.after(ctx, tx, now); err != nil {
				return err
			}
		}
		orgName := actingOrg(a.Principal, r, act)
		if _, err := tx.Exec(ctx, `INSERT INTO referral_events (referral_id, at, actor_id, actor_name, actor_org, action, from_step, to_step, note)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
			r.ID, now, a.userID(), a.Principal.Name, orgName, act.ID, string(from), string(c.to), c.note); err != nil {
			return fmt.Errorf("record event: %w", err)
		}
		var ref string
		if err := tx.QueryRow(ctx, `SELECT coalesce(reference, '') FROM referrals WHERE id = $1`, r.ID).Scan(&ref); err != nil {
			return fmt.Errorf("read reference: %w", err)
		}
		moved := r
		moved.Reference = ref
		if err := audit.On(tx).Write(ctx, audit.Entry{At: now, ActorUserID: ptr(a.userID()), ActorEmail: email(a),
			Action: ActionMoved, SubjectType: "referral", SubjectID: fmt.Sprint(r.ID),
			Summary: fmt.Sprintf("%s: %s", moved.Title(), act.Label),
			Details: map[string]any{"action": act.ID, "from": string(from), "to": string(c.to)}, RequestID: a.RequestID}); err != nil {
			return err
		}
		return s.notifyStep(ctx, tx, now, a, moved, pw, c.to)
	})
	if err != nil {
		return "", err
	}
	return c.to, nil
}

// actingOrg is the organisation the actor acted for, for the history: the school, the provider or CAP.
func actingOrg(p *auth.Principal, r Referral, act pathway.Action) string {
	for _, m := range p.Memberships {
		if !slices.Contains(act.By, m.Role) {
			continue
		}
		switch {
		case m.OrgKind == auth.LA, m.OrgID == r.SchoolID, m.OrgID == r.ProviderID:
			return m.OrgName
		}
	}
	return ""
}

// notifyStep tells the parties the destination step names that the referral has arrived there. The
// message carries the reference and the step, never the student's details.
func (s Store) notifyStep(ctx context.Context, tx pgx.Tx, now time.Time, a Actor, r Referral, pw pathway.Pathway, to pathway.Step) error {
	if s.Outbox == nil {
		return nil
	}
	info := pw.Info(to)
	msg := notify.Message{
		Kind:    "referral." + string(to),
		Subject: fmt.Sprintf("CAP referral %s: %s", r.Reference, lowerFirst(info.Title)),
		Body: fmt.Sprintf("Referral %s is now at “%s”. %s Sign in to CAP Portal to see the details and what you need to do.",
			r.Reference, info.Title, info.Next),
		Link: r.URL(),
	}
	for _, party := range info.Notify {
		var to notify.Audience
		switch party {
		case pathway.School:
			to = notify.RoleAt(r.SchoolID, auth.Coordinator)
		case pathway.CAP:
			to = notify.CAPRole(auth.CAPAdmin)
		case pathway.Provider, pathway.Academy:
			if r.ProviderID == 0 {
				continue
			}
			to = notify.RoleAt(r.ProviderID, auth.ProviderStaff)
		default:
			continue
		}
		if err := s.Outbox.Queue(ctx, tx, now, to, msg, a.userID()); err != nil {
			return fmt.Errorf("queue notifications: %w", err)
		}
	}
	return nil
}

// Submit sends the application to CAP: it gets its reference, its answers are frozen as version 1,
// the programme is recorded as it is today, and it starts its pathway. Submitting twice (a double
// click, the back button, a second tab) finds it already submitted: ErrMoved, nothing changed.
func (s Store) Submit(ctx context.Context, a Actor, r Referral) (Referral, error) {
	_, err := s.move(ctx, a, r, change{action: pathway.Submit, to: pathway.Submitted,
		prepare: func(ctx context.Context, tx pgx.Tx, now time.Time, c *change) error {
			year := calendar.AcademicYearCode(calendar.DateOf(now))
			var n int
			err := tx.QueryRow(ctx, `INSERT INTO referral_counters (academic_year, last_number) VALUES ($1, 1)
				ON CONFLICT (academic_year) DO UPDATE SET last_number = referral_counters.last_number + 1
				RETURNING last_number`, year).Scan(&n)
			if err != nil {
				return fmt.Errorf("number referral: %w", err)
			}
			snap, err := snapshot(ctx, tx, r.ProgrammeID)
			if err != nil {
				return err
			}
			c.set = append(c.set, "reference = "+c.arg(FormatReference(year, n)), "academic_year = "+c.arg(year),
				"submitted_at = "+c.arg(now), "submitted_by = "+c.arg(a.userID()), "version = 1",
				"programme_snapshot = "+c.arg(snap))
			return s.panelRoundSet(ctx, tx, r.Kind, c)
		},
		after: func(ctx context.Context, tx pgx.Tx, now time.Time) error {
			return freeze(ctx, tx, r.ID, 1, "Submitted", now, a.userID())
		},
	})
	if err != nil {
		return r, err
	}
	return s.reload(ctx, a, r)
}

// reload reads the referral again after a move (a draft's key changes when it gets its reference).
func (s Store) reload(ctx context.Context, a Actor, r Referral) (Referral, error) {
	var ref string
	if err := s.DB.QueryRow(ctx, `SELECT coalesce(reference, '') FROM referrals WHERE id = $1`, r.ID).Scan(&ref); err != nil {
		return r, fmt.Errorf("reload referral: %w", err)
	}
	key := ref
	if key == "" {
		key = fmt.Sprintf("draft-%d", r.ID)
	}
	got, err := s.Get(ctx, a, key)
	if errors.Is(err, db.ErrNotFound) {
		// The actor may no longer see it (a provider after a redirect): keep what they had.
		r.Reference = ref
		return r, nil
	}
	return got, err
}

// KeyOf returns the current key of a referral by ID (a draft's key changes when it is submitted).
func (s Store) KeyOf(ctx context.Context, id int64) (string, error) {
	var ref string
	err := s.DB.QueryRow(ctx, `SELECT coalesce(reference, '') FROM referrals WHERE id = $1`, id).Scan(&ref)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", db.ErrNotFound
	}
	if err != nil {
		return "", fmt.Errorf("find referral: %w", err)
	}
	if ref == "" {
		return fmt.Sprintf("draft-%d", id), nil
	}
	return ref, nil
}

func andList(items []string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}

func freeze(ctx context.Context, tx pgx.Tx, id int64, version int, reason string, now time.Time, by int64) error {
	_, err := tx.Exec(ctx, `INSERT INTO referral_versions (referral_id, version, answers, reason, created_at, created_by)
		SELECT id, $2, answers, $3, $4, $5 FROM referrals WHERE id = $1`, id, version, reason, now, by)
	if err != nil {
		return fmt.Errorf("freeze answers: %w", err)
	}
	return nil
}

func snapshot(ctx context.Context, q db.DBTX, programmeID int64) ([]byte, error) {
	p, err := directory.On(q).GetProgramme(ctx, programmeID)
	if err != nil {
		return nil, err
	}
	b, err := json.Marshal(Snapshot{Name: p.Name, Kind: p.Kind, Tier: p.Tier, ProviderID: p.ProviderID,
		ProviderName: p.ProviderName, Duration: p.Duration, Days: directory.DaysText(p.Days), Fee: p.FeeText(), Category: p.Category})
	if err != nil {
		return nil, fmt.Errorf("encode snapshot: %w", err)
	}
	return b, nil
}

// ReturnToSchool sends a submitted application back to the school with what is missing.
func (s Store) ReturnToSchool(ctx context.Context, a Actor, r Referral, missing string) error {
	_, err := s.move(ctx, a, r, change{action: pathway.Return, to: pathway.ReturnedToSchool, note: missing})
	return err
}

// Resubmit sends a returned application to CAP again; the corrected answers become a new version
// with the school's reason.
func (s Store) Resubmit(ctx context.Context, a Actor, r Referral, reason string) error {
	_, err := s.move(ctx, a, r, change{action: pathway.Resubmit, to: pathway.Submitted, note: reason,
		prepare: func(ctx context.Context, tx pgx.Tx, now time.Time, c *change) error {
			c.set = append(c.set, "version = version + 1")
			return s.panelRoundSet(ctx, tx, r.Kind, c)
		},
		after: func(ctx context.Context, tx pgx.Tx, now time.Time) error {
			return freeze(ctx, tx, r.ID, r.Version+1, reason, now, a.userID())
		},
	})
	return err
}

// SendPack sends the application pack to the programme's training provider: from now its staff can
// see the referral and its documents.
func (s Store) SendPack(ctx context.Context, a Actor, r Referral) error {
	if r.ProviderID == 0 {
		return errors.New("this programme has no training provider to send a pack to")
	}
	_, err := s.move(ctx, a, r, change{action: pathway.SendPack, to: pathway.PackSent,
		after: func(ctx context.Context, tx pgx.Tx, now time.Time) error {
			_, err := tx.Exec(ctx, `INSERT INTO referral_packs (referral_id, provider_id, sent_at, sent_by) VALUES ($1, $2, $3, $4)`,
				r.ID, r.ProviderID, now, a.userID())
			if db.IsUniqueViolation(err, "referral_packs_open_key") {
				return ErrMoved
			}
			if err != nil {
				return fmt.Errorf("send pack: %w", err)
			}
			return nil
		}})
	return err
}

// RecordInterview records (or changes) the interview date, by the school or the provider.
func (s Store) RecordInterview(ctx context.Context, a Actor, r Referral, on calendar.Date, at string) error {
	note := "Interview on " + on.Format()
	if at != "" {
		note += " at " + at
	}
	_, err := s.move(ctx, a, r, change{action: pathway.Interview, to: pathway.InterviewArranged, note: note,
		prepare: func(ctx context.Context, tx pgx.Tx, now time.Time, c *change) error {
			c.set = append(c.set, "interview_on = "+c.arg(on), "interview_time = "+c.arg(at))
			return nil
		}})
	return err
}

// Respond records the provider's application response to its open pack.
func (s Store) Respond(ctx context.Context, a Actor, r Referral, in ResponseInput) error {
	note := "Accepted: starts " + in.StartDate.Format()
	if in.Decision == "decline" {
		note = "Declined: " + DeclineReasonLabel(in.DeclineReason)
	}
	_, err := s.move(ctx, a, r, change{action: pathway.Respond, to: pathway.ResponseReceived, note: note,
		after: func(ctx context.Context, tx pgx.Tx, now time.Time) error {
			var reason *string
			days := isoDays(in.Days)
			start := in.StartDate
			if in.Decision == "decline" {
				reason = &in.DeclineReason
				days, start = []int32{}, calendar.Date{}
			}
			_, err := tx.Exec(ctx, `INSERT INTO application_responses (referral_id, pack_id, provider_id, receipt_acknowledged,
				can_meet_needs, can_manage_risk, decision, start_date, days, decline_reason, decline_detail, notes, submitted_at, submitted_by)
				SELECT $1, k.id, k.provider_id, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12
				FROM referral_packs k WHERE k.referral_id = $1 AND k.withdrawn_at IS NULL`,
				r.ID, in.ReceiptAcknowledged, in.CanMeetNeeds != nil && *in.CanMeetNeeds, in.CanManageRisk != nil && *in.CanManageRisk,
				in.Decision, start, days, reason, strings.TrimSpace(in.DeclineDetail), strings.TrimSpace(in.Notes), now, a.userID())
			if db.IsUniqueViolation(err, "") {
				return ErrMoved
			}
			if err != nil {
				return fmt.Errorf("record response: %w", err)
			}
			return nil
		}})
	return err
}

// ProcessResponse is CAP processing the provider's response: an acceptance confirms the start date to
// the school; a decline goes to CAP exploring alternatives. It returns where the referral went.
func (s Store) ProcessResponse(ctx context.Context, a Actor, r Referral) (pathway.Step, error) {
	var responseID int64
	return s.move(ctx, a, r, change{action: pathway.Process,
		prepare: func(ctx context.Context, tx pgx.Tx, now time.Time, c *change) error {
			var decision string
			err := tx.QueryRow(ctx, `SELECT a.id, a.decision FROM application_responses a JOIN referral_packs k ON k.id = a.pack_id
				WHERE a.referral_id = $1 AND k.withdrawn_at IS NULL AND a.processed_at IS NULL`, r.ID).Scan(&responseID, &decision)
			if errors.Is(err, pgx.ErrNoRows) {
				return &pathway.Refusal{Reason: "CAP cannot process this referral without the provider’s application response.",
					Do: "Wait for the provider to return it."}
			}
			if err != nil {
				return fmt.Errorf("load response: %w", err)
			}
			c.to = pathway.StartConfirmed
			c.note = "Start date confirmed to the school"
			if decision == "decline" {
				c.to = pathway.ExploringAlternatives
				c.note = "The provider declined: CAP is exploring alternatives with the school"
			}
			return nil
		},
		after: func(ctx context.Context, tx pgx.Tx, now time.Time) error {
			_, err := tx.Exec(ctx, `UPDATE application_responses SET processed_at = $2, processed_by = $3 WHERE id = $1`,
				responseID, now, a.userID())
			if err != nil {
				return fmt.Errorf("mark response processed: %w", err)
			}
			return nil
		}})
}

// SetUpPlacement sets up the training record from the accepted application response; qa says whether
// it uses one of the school's SLA quality-assured Tier 1 placements.
func (s Store) SetUpPlacement(ctx context.Context, a Actor, r Referral, qa bool) error {
	_, err := s.move(ctx, a, r, change{action: pathway.SetUpPlacement, to: pathway.PlacementActive,
		after: func(ctx context.Context, tx pgx.Tx, now time.Time) error {
			if qa {
				// The school's allowance is counted with the school locked, so two placements set up at
				// once cannot both take its last QA placement.
				if _, err := tx.Exec(ctx, `SELECT 1 FROM organisations WHERE id = $1 FOR UPDATE`, r.SchoolID); err != nil {
					return fmt.Errorf("lock school: %w", err)
				}
				choice, err := On(tx).QAChoiceFor(ctx, r)
				if err != nil {
					return err
				}
				if !choice.Offered {
					return &pathway.Refusal{Reason: "This placement cannot count as a quality-assured placement.",
						Checks: []string{choice.Hint}, Do: "Set it up without counting it against the SLA."}
				}
			}
			var placementID int64
			err := tx.QueryRow(ctx, `INSERT INTO placements (referral_id, application_response_id, student_id, school_id, provider_id,
				programme_id, academic_year, start_date, days, qa_placement, created_at, created_by)
				SELECT r.id, a.id, r.student_id, r.school_id, a.provider_id, r.programme_id, r.academic_year, a.start_date, a.days, $2, $3, $4
				FROM referrals r
				JOIN application_responses a ON a.referral_id = r.id AND a.decision = 'accept' AND a.processed_at IS NOT NULL
				JOIN referral_packs k ON k.id = a.pack_id AND k.withdrawn_at IS NULL
				WHERE r.id = $1
				RETURNING id`, r.ID, qa, now, a.userID()).Scan(&placementID)
			if db.IsUniqueViolation(err, "") {
				return ErrMoved
			}
			if errors.Is(err, pgx.ErrNoRows) {
				return &pathway.Refusal{Reason: "No placement can be set up without an accepted application response.",
					Do: "Process the provider’s application response first."}
			}
			if err != nil {
				return fmt.Errorf("set up placement: %w", err)
			}
			return placement.SetUpPlan(ctx, tx, placementID)
		}})
	return err
}

// Redirect moves a referral CAP is exploring alternatives for to another programme (and so provider),
// keeping every answer and document: nothing is retyped. The old provider's pack is withdrawn, so it
// no longer sees the referral; the referral starts its new pathway at CAP's review — or with the
// school, when the new programme asks questions the application has not answered.
func (s Store) Redirect(ctx context.Context, a Actor, r Referral, programmeID int64, note string) (pathway.Step, error) {
	p, err := directory.On(s.DB).GetProgramme(ctx, programmeID)
	if err != nil {
		return "", err
	}
	if programmeID == r.ProgrammeID {
		return "", fmt.Errorf("%w: %w", ErrProgrammeRefused,
			&pathway.Refusal{Reason: "The referral is already for " + p.Name + ".", Do: "Choose another programme or provider."})
	}
	problems, err := s.eligibilityProblems(ctx, s.DB, r, programmeID)
	if err != nil {
		return "", err
	}
	dup, err := alreadyReferred(ctx, s.DB, r, programmeID, p.Name)
	if err != nil {
		return "", err
	}
	if dup != "" {
		problems = append(problems, dup)
	}
	if len(problems) > 0 {
		return "", fmt.Errorf("%w: %w", ErrProgrammeRefused,
			&pathway.Refusal{Reason: "The referral cannot move to " + p.Name + ".", Checks: problems, Do: "Choose another programme or provider."})
	}
	pw, ok := pathway.For(p.Kind)
	if !ok {
		return "", fmt.Errorf("no pathway for programme kind %q", p.Kind)
	}
	text := fmt.Sprintf("Redirected from %s to %s", r.Programme, p.Name)
	if p.ProviderName != "" {
		text += " at " + p.ProviderName
	}
	if strings.TrimSpace(note) != "" {
		text += ": " + strings.TrimSpace(note)
	}
	var provider *int64
	if p.ProviderID != 0 {
		provider = &p.ProviderID
	}
	// Every answer moves with the referral; a programme of another kind may ask questions the school
	// has not answered, and then the referral goes to the school for those before CAP sends it on.
	to := pathway.Submitted
	var missing []string
	for _, sec := range Sections(p.Kind) {
		if sec.ID != SectionDocuments && r.SectionStatus(sec, s.today()) != Completed {
			missing = append(missing, lowerFirst(sec.Title))
		}
	}
	if len(missing) > 0 {
		to = pathway.ReturnedToSchool
		text += ". " + p.Name + " asks questions the application has not answered yet: the school completes " +
			andList(missing) + ", then resubmits"
	}
	return s.move(ctx, a, r, change{action: pathway.Redirect, to: to, note: text,
		prepare: func(ctx context.Context, tx pgx.Tx, now time.Time, c *change) error {
			snap, err := snapshot(ctx, tx, programmeID)
			if err != nil {
				return err
			}
			c.set = append(c.set, "programme_id = "+c.arg(programmeID), "provider_id = "+c.arg(provider),
				"pathway = "+c.arg(pw.ID), "programme_snapshot = "+c.arg(snap), "interview_on = NULL", "interview_time = ''")
			return s.panelRoundSet(ctx, tx, p.Kind, c)
		},
		after: func(ctx context.Context, tx pgx.Tx, now time.Time) error {
			_, err := tx.Exec(ctx, `UPDATE referral_packs SET withdrawn_at = $2 WHERE referral_id = $1 AND withdrawn_at IS NULL`, r.ID, now)
			if err != nil {
				return fmt.Errorf("withdraw pack: %w", err)
			}
			return nil
		}})
}
