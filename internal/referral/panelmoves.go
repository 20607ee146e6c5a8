package referral

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/coventry-cap/capportal/internal/auth"
	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/db"
	"github.com/coventry-cap/capportal/internal/directory"
	"github.com/coventry-cap/capportal/internal/notify"
	"github.com/coventry-cap/capportal/internal/panel"
	"github.com/coventry-cap/capportal/internal/pathway"
	"github.com/coventry-cap/capportal/internal/placement"
	"github.com/coventry-cap/capportal/internal/school"
)

// The Tier 2 and Tier 3 pathways' moves: joining a panel round's agenda, the panels' decisions, the
// outcome letters, the Academy's onboarding into a cohort and the Supported Transfer placement.

var panelDays = calendar.EnglandWalesWorkingDays()

// GoesToPanel reports whether the referral's programme is decided by the panels.
func (r Referral) GoesToPanel() bool { return directory.Kind(r.Kind).GoesToPanel() }

// PanelPlan is the panel round a referral submitted on a day would join, for the school to see before
// and after it submits.
type PanelPlan struct {
	Round panel.Round
	Late  []string
	// None explains why no round takes it (the next year's calendar is not published yet).
	None string
}

// PlanPanel returns the round a referral of this kind submitted today joins.
func (s Store) PlanPanel(ctx context.Context, kind directory.Kind) (PanelPlan, error) {
	r, late, err := panel.On(s.DB).NextRound(ctx, kind, s.today())
	if errors.Is(err, panel.ErrNoRound) {
		return PanelPlan{None: "No panel round on the calendar takes " + kind.Label() +
			" referrals yet: CAP will add this referral to the first round of the next calendar."}, nil
	}
	if err != nil {
		return PanelPlan{}, err
	}
	return PanelPlan{Round: r, Late: late}, nil
}

// panelRoundSet adds the SET assignments recording the round the referral joins today (none for a
// programme that does not go to panel).
func (s Store) panelRoundSet(ctx context.Context, tx pgx.Tx, kind directory.Kind, c *change) error {
	var round *int64
	reason := ""
	if directory.Kind(kind).GoesToPanel() {
		plan, err := s.in(tx).PlanPanel(ctx, kind)
		if err != nil {
			return err
		}
		if plan.Round.ID != 0 {
			round = &plan.Round.ID
			reason = strings.Join(plan.Late, " ")
		} else {
			reason = plan.None
		}
	}
	c.set = append(c.set, "panel_round_id = "+c.arg(round), "panel_late_reason = "+c.arg(reason))
	return nil
}

// slaPriority: an SLA school's Tier 2 case comes before others' on the agenda.
func slaPriority(ctx context.Context, q db.DBTX, r Referral) (bool, error) {
	if r.Tier != 2 {
		return false, nil
	}
	sla, err := school.On(q).SLAOf(ctx, r.SchoolID, r.AcademicYear)
	return sla.Signed, err
}

// AddToAgenda is CAP adding a checked application to the Review and Authorisation Panel's agenda of
// the round it joined at submission (or, when none was on the calendar then, the next one now).
func (s Store) AddToAgenda(ctx context.Context, a Actor, r Referral) error {
	_, err := s.move(ctx, a, r, change{action: pathway.JoinAgenda, to: pathway.ReviewPanel,
		prepare: func(ctx context.Context, tx pgx.Tx, now time.Time, c *change) error {
			roundID := r.PanelRoundID
			if roundID == 0 {
				round, _, err := panel.On(tx).NextRound(ctx, r.Kind, s.today())
				if errors.Is(err, panel.ErrNoRound) {
					return &pathway.Refusal{Reason: "No panel round on the calendar takes " + r.Kind.Label() + " referrals yet.",
						Do: "Publish the next panel calendar on the panel dates page, then add the referral to its agenda."}
				}
				if err != nil {
					return err
				}
				roundID = round.ID
				c.set = append(c.set, "panel_round_id = "+c.arg(roundID))
			}
			round, err := panel.On(tx).GetRound(ctx, roundID)
			if err != nil {
				return err
			}
			c.note = fmt.Sprintf("On the %s agenda of round %d (deadline %s)", panel.PanelName(panel.ReviewPanel), round.Position, round.Deadline.Format())
			return nil
		},
		after: func(ctx context.Context, tx pgx.Tx, now time.Time) error {
			var roundID int64
			if err := tx.QueryRow(ctx, `SELECT panel_round_id FROM referrals WHERE id = $1`, r.ID).Scan(&roundID); err != nil {
				return fmt.Errorf("read round: %w", err)
			}
			pri, err := slaPriority(ctx, tx, r)
			if err != nil {
				return err
			}
			_, err = panel.AddCase(ctx, tx, roundID, panel.ReviewPanel, r.ID, pri, 0, now, a.userID())
			return err
		}})
	return err
}

// panelAction is the pathway action that records the decision of the panel a referral waits on.
func panelAction(step pathway.Step) (action pathway.ActionID, panelKind string, ok bool) {
	switch step {
	case pathway.ReviewPanel:
		return pathway.Decide, panel.ReviewPanel, true
	case pathway.MultiAgencyPanel:
		return pathway.DecideMAP, panel.MultiAgencyPanel, true
	case pathway.HeadteacherPanel:
		return pathway.Allocate, panel.HeadteacherPanel, true
	}
	return "", "", false
}

// CaseAction is the pathway action that records a panel's decision: decide, map or allocate.
func CaseAction(panelKind string) pathway.ActionID {
	for _, step := range []pathway.Step{pathway.ReviewPanel, pathway.MultiAgencyPanel, pathway.HeadteacherPanel} {
		if action, p, _ := panelAction(step); p == panelKind {
			return action
		}
	}
	return ""
}

// CaseContext is the case a referral waits on, its meeting (zero when not scheduled) and whether the
// person may record its decision, with the reason when not.
type CaseContext struct {
	Case    panel.Case
	Meeting panel.Meeting
	Round   panel.Round
	// Refusal says why this person cannot record the decision now; nil when they can.
	Refusal *pathway.Refusal
}

// OpenCase is the case the referral waits on, with whether the actor may record its decision.
func (s Store) OpenCase(ctx context.Context, a Actor, r Referral) (CaseContext, error) {
	return s.openCase(ctx, s.DB, a, r)
}

func (s Store) openCase(ctx context.Context, q db.DBTX, a Actor, r Referral) (CaseContext, error) {
	var cc CaseContext
	c, err := panel.On(q).OpenCase(ctx, r.ID)
	if err != nil {
		return cc, err
	}
	cc.Case = c
	if cc.Round, err = panel.On(q).GetRound(ctx, c.RoundID); err != nil {
		return cc, err
	}
	m, err := panel.On(q).GetMeeting(ctx, c.RoundID, c.Panel)
	switch {
	case errors.Is(err, db.ErrNotFound):
		cc.Refusal = &pathway.Refusal{Reason: "The " + panel.PanelName(c.Panel) + " for this round has not been scheduled yet.",
			Do: "A CAP admin schedules the meeting and records who attended; the chair then records the decision."}
		return cc, nil
	case err != nil:
		return cc, err
	}
	cc.Meeting = m
	cc.Refusal = decisionRefusal(a.Principal, r, m, s.today())
	return cc, nil
}

// decisionRefusal is why the principal cannot record the decision on the referral's case at the
// meeting: the meeting is still to come, they did not attend, they are from the referring school, or
// the meeting has a chair who records its decisions.
func decisionRefusal(p *auth.Principal, r Referral, m panel.Meeting, today calendar.Date) *pathway.Refusal {
	if p == nil || !p.HasAny(auth.PanelMember) {
		return &pathway.Refusal{Reason: "Only the panel’s chair records its decisions.", Forbidden: true}
	}
	if m.HeldOn.After(today) {
		return &pathway.Refusal{Reason: fmt.Sprintf("The %s meets on %s %s: its decisions are recorded at or after the meeting.",
			panel.PanelName(m.Panel), m.HeldOn.Weekday(), m.HeldOn.Format()), Do: "Come back on the day of the meeting."}
	}
	for _, mem := range p.Memberships {
		if mem.OrgID == r.SchoolID {
			return &pathway.Refusal{Reason: "You cannot take part in this decision: you work at " + r.SchoolName +
				", the referring school (a conflict of interest).",
				Do: "Another panel member who attended chairs this case and records the decision.", Forbidden: true}
		}
	}
	if !m.Attended(p.UserID) {
		return &pathway.Refusal{Reason: "Only a panel member who attended the meeting can record its decisions, and you are not on its attendance list.",
			Do: "Ask a CAP admin to record the meeting’s attendance.", Forbidden: true}
	}
	if m.ChairID != 0 && m.ChairID != p.UserID {
		// The chair records the decisions, unless they work at the referring school.
		if chair, ok := m.Attendee(m.ChairID); !ok || !chair.From(r.SchoolID) {
			return &pathway.Refusal{Reason: "The meeting’s chair, " + m.ChairName + ", records its decisions.",
				Do: "Ask the chair to record the decision.", Forbidden: true}
		}
	}
	return nil
}

// DecideInput is the chair's record of a case.
type DecideInput = panel.Decision

// Decide records the decision of the panel the referral waits on and moves it on its pathway:
//   - Review and Authorisation Panel: approved → outcome shared (Flourish), the Headteacher Placement
//     Meeting (Supported Transfer) or the Multi-Agency Panel (Refocus, Focus 11) of the same round;
//   - Multi-Agency Panel: approved → outcome shared with the school and the Academy, with a place in the
//     cohort the round feeds or on its waiting list;
//   - Headteacher Placement Meeting: approved → the transfer placement at the allocated school.
//
// Not approved → CAP explores alternatives with the school; deferred → the same panel's agenda in the
// next round. Every decision has an outcome letter due three working days after the meeting.
func (s Store) Decide(ctx context.Context, a Actor, r Referral, in DecideInput) (pathway.Step, error) {
	action, panelKind, ok := panelAction(r.Step)
	if !ok {
		// Not waiting on a panel: the pathway's guard gives the refusal.
		action = pathway.Decide
	}
	pw := r.Pathway()
	return s.move(ctx, a, r, change{action: action,
		prepare: func(ctx context.Context, tx pgx.Tx, now time.Time, c *change) error {
			cc, err := s.openCase(ctx, tx, a, r)
			if errors.Is(err, db.ErrNotFound) {
				return &pathway.Refusal{Reason: "This referral is not on a panel’s agenda.", Do: "CAP adds it to the agenda first."}
			}
			if err != nil {
				return err
			}
			if (in.CaseID != 0 && in.CaseID != cc.Case.ID) || cc.Case.Panel != panelKind {
				return ErrMoved
			}
			if cc.Refusal != nil {
				return cc.Refusal
			}
			tookPart, excluded := []int64{}, []int64{}
			for _, m := range cc.Meeting.Attendees {
				if m.From(r.SchoolID) {
					excluded = append(excluded, m.UserID)
				} else {
					tookPart = append(tookPart, m.UserID)
				}
			}
			due := panel.LetterDue(panelDays, cc.Meeting.HeldOn)
			c.to, c.note = decisionDestination(pw, r.Step, panelKind, in)
			var next func(ctx context.Context, tx pgx.Tx, now time.Time) error
			switch {
			case in.Decision == panel.Deferred:
				nextRound, err := panel.On(tx).RoundAfter(ctx, cc.Round, r.Kind)
				if errors.Is(err, panel.ErrNoRound) {
					return &pathway.Refusal{Reason: "There is no later round on the calendar to defer this case to.",
						Do: "Publish the next panel calendar first, or record another decision."}
				}
				if err != nil {
					return err
				}
				c.note = fmt.Sprintf("Deferred by the %s to round %d (deadline %s)", panel.PanelName(panelKind), nextRound.Position, nextRound.Deadline.Format())
				next = func(ctx context.Context, tx pgx.Tx, now time.Time) error {
					return s.carryForward(ctx, tx, a, r, cc.Case, nextRound, now)
				}
			case in.Decision == panel.Approved && (c.to == pathway.MultiAgencyPanel || c.to == pathway.HeadteacherPanel):
				_, nextPanel, _ := panelAction(c.to)
				next = func(ctx context.Context, tx pgx.Tx, now time.Time) error {
					_, err := panel.AddCase(ctx, tx, cc.Round.ID, nextPanel, r.ID, false, 0, now, a.userID())
					return err
				}
			case in.Decision == panel.Approved && panelKind == panel.MultiAgencyPanel:
				next = func(ctx context.Context, tx pgx.Tx, now time.Time) error {
					return s.approveForAcademy(ctx, tx, a, r, cc, in, now)
				}
			case in.Decision == panel.Approved && panelKind == panel.HeadteacherPanel:
				next = func(ctx context.Context, tx pgx.Tx, now time.Time) error {
					return s.startTransfer(ctx, tx, a, r, cc, in, now)
				}
			}
			c.after = func(ctx context.Context, tx pgx.Tx, now time.Time) error {
				if err := panel.RecordDecision(ctx, tx, cc.Case.ID, in, a.userID(), tookPart, excluded, due, now); err != nil {
					if errors.Is(err, panel.ErrDecided) {
						return ErrMoved
					}
					return err
				}
				if next != nil {
					return next(ctx, tx, now)
				}
				return nil
			}
			return nil
		}})
}

// decisionDestination is where a decision takes the referral, and the history's note.
func decisionDestination(pw pathway.Pathway, at pathway.Step, panelKind string, in DecideInput) (pathway.Step, string) {
	label := panel.PanelName(panelKind)
	switch in.Decision {
	case panel.NotApproved:
		return pathway.ExploringAlternatives, "Not approved by the " + label + ": CAP explores alternatives with the school"
	case panel.Deferred:
		return at, "" // the caller writes the note with the round it goes to
	}
	switch panelKind {
	case panel.ReviewPanel:
		switch pw.ID {
		case pathway.SupportedTransfer.ID:
			return pathway.HeadteacherPanel, "Approved by the " + label + ": to the Supported Transfer Headteacher Placement Meeting"
		case pathway.Refocus.ID, pathway.Focus11.ID:
			return pathway.MultiAgencyPanel, "Approved by the " + label + ": outcome prepared for the Multi-Agency Panel"
		}
		return pathway.OutcomeShared, "Approved by the " + label
	case panel.MultiAgencyPanel:
		return pathway.OutcomeShared, "Agreed by the Multi-Agency Panel: Coventry AP Academy starts onboarding"
	}
	return pathway.TransferPlacement, "Receiving school allocated at the Headteacher Placement Meeting"
}

// approveForAcademy gives the Academy the referral (an open pack) and the case a place in the cohort
// the round feeds, or a place on its waiting list.
func (s Store) approveForAcademy(ctx context.Context, tx pgx.Tx, a Actor, r Referral, cc CaseContext, in DecideInput, now time.Time) error {
	if r.ProviderID != 0 {
		_, err := tx.Exec(ctx, `INSERT INTO referral_packs (referral_id, provider_id, sent_at, sent_by) VALUES ($1, $2, $3, $4)
			ON CONFLICT DO NOTHING`, r.ID, r.ProviderID, now, a.userID())
		if err != nil {
			return fmt.Errorf("share with the Academy: %w", err)
		}
	}
	cohort, err := panel.On(tx).CohortFedBy(ctx, cc.Round.ID)
	if errors.Is(err, db.ErrNotFound) {
		return nil // the Academy places the student in a cohort at onboarding
	}
	if err != nil {
		return err
	}
	_, err = panel.AllocateTx(ctx, tx, cohort.ID, r.ID, in.Priority, now)
	return err
}

// carryForward puts a deferred case on the same panel's agenda in the round it was deferred to.
func (s Store) carryForward(ctx context.Context, tx pgx.Tx, a Actor, r Referral, from panel.Case, to panel.Round, now time.Time) error {
	pri, err := slaPriority(ctx, tx, r)
	if err != nil {
		return err
	}
	_, err = panel.AddCase(ctx, tx, to.ID, from.Panel, r.ID, pri, from.ID, now, a.userID())
	return err
}

// FlourishStartProblem says why a Flourish start date is too early: a Flourish placement starts in
// the Flourish start its panel round leads to, not before it. "" when the date is fine or the
// referral is not a Flourish one decided in a round.
func (s Store) FlourishStartProblem(ctx context.Context, r Referral, start calendar.Date) (string, error) {
	if r.Kind != directory.Flourish || r.PanelRoundID == 0 || start.IsZero() {
		return "", nil
	}
	st, err := panel.On(s.DB).StartFedBy(ctx, r.PanelRoundID, directory.Flourish)
	if errors.Is(err, db.ErrNotFound) || (err == nil && !start.Before(st.Starts)) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	round, err := panel.On(s.DB).GetRound(ctx, r.PanelRoundID)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("This referral was decided in panel round %d, which leads to the Flourish %s on %s: choose that day or later",
		round.Position, st.Name, WeekdayDate(st.Starts)), nil
}

// TransferWeeks is how long a Supported Transfer placement lasts before its review.
const TransferWeeks = 12

// startTransfer records the receiving school and the twelve-week transfer placement.
func (s Store) startTransfer(ctx context.Context, tx pgx.Tx, a Actor, r Referral, cc CaseContext, in DecideInput, now time.Time) error {
	_, err := tx.Exec(ctx, `INSERT INTO transfers (referral_id, case_id, home_school_id, receiving_school_id, starts_on, ends_on, created_at, created_by)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
		r.ID, cc.Case.ID, r.SchoolID, in.ReceivingSchoolID, in.TransferStart, in.TransferStart.AddDays(7*TransferWeeks), now, a.userID())
	if err != nil {
		return fmt.Errorf("start transfer: %w", err)
	}
	return nil
}

// ShareLetter records that CAP shared the case's outcome letter with the school and tells the school's
// coordinators it is on the referral's page.
func (s Store) ShareLetter(ctx context.Context, a Actor, r Referral, caseID int64) error {
	return db.InTx(ctx, s.DB, func(tx pgx.Tx) error {
		c, err := panel.On(tx).GetCase(ctx, caseID)
		if err != nil {
			return err
		}
		if c.ReferralID != r.ID {
			return db.ErrNotFound
		}
		now := s.Clock.Now()
		if err := panel.ShareLetter(ctx, tx, now, panelActor(a), caseID); err != nil {
			return err
		}
		if s.Outbox == nil {
			return nil
		}
		msg := notify.Message{
			Kind:    "referral.letter",
			Subject: fmt.Sprintf("CAP referral %s: panel outcome letter", r.Reference),
			Body: fmt.Sprintf("The outcome letter of the %s for referral %s is ready. Sign in to CAP Portal to read it on the referral’s page.",
				panel.PanelName(c.Panel), r.Reference),
			Link: r.URL(),
		}
		return s.Outbox.Queue(ctx, tx, now, notify.RoleAt(r.SchoolID, auth.Coordinator), msg, a.userID())
	})
}

func panelActor(a Actor) panel.Actor {
	return panel.Actor{UserID: ptr(a.userID()), Email: email(a), RequestID: a.RequestID}
}

// LetterVisible reports whether the person may read the case's outcome letter: CAP staff and panel
// members once it is decided, the school once CAP has shared it.
func LetterVisible(p *auth.Principal, r Referral, c panel.Case) bool {
	if !c.Decided() || p == nil {
		return false
	}
	roles := RolesFor(p, r)
	if slices.ContainsFunc(roles, func(x auth.Role) bool {
		return x == auth.CAPAdmin || x == auth.ServiceLead || x == auth.MonitoringOfficer || x == auth.CAPDSL || x == auth.PanelMember
	}) {
		return true
	}
	return c.LetterSharedAt != nil && slices.ContainsFunc(roles, func(x auth.Role) bool {
		return x == auth.Coordinator || x == auth.Headteacher || x == auth.SchoolDSL
	})
}

// Onboard is Coventry AP Academy (or CAP) starting the student's onboarding after the outcome was shared.
func (s Store) Onboard(ctx context.Context, a Actor, r Referral) error {
	_, err := s.move(ctx, a, r, change{action: pathway.Onboard, to: pathway.Onboarding, note: "Coventry AP Academy started onboarding"})
	return err
}

// AcademyDays are the days a Refocus student attends the Academy in the first seven weeks: Tuesday to
// Friday, with Mondays at the home school.
var AcademyDays = []int32{2, 3, 4, 5}

// PlaceInCohort is the Academy placing an onboarded student in the cohort place the case holds: the
// placement starts on the cohort's first day. A case on a waiting list cannot be placed until it has
// a place.
func (s Store) PlaceInCohort(ctx context.Context, a Actor, r Referral) error {
	_, err := s.move(ctx, a, r, change{action: pathway.PlaceInCohort, to: pathway.PlacementActive,
		prepare: func(ctx context.Context, tx pgx.Tx, now time.Time, c *change) error {
			place, err := panel.On(tx).PlaceOf(ctx, r.ID)
			if errors.Is(err, db.ErrNotFound) {
				return &pathway.Refusal{Reason: "The student has no place in a cohort yet.",
					Do: "Give the student a place in a cohort on the cohort’s page."}
			}
			if err != nil {
				return err
			}
			start, err := panel.On(tx).GetStart(ctx, place.StartID)
			if err != nil {
				return err
			}
			if place.Status != panel.Placed {
				return &pathway.Refusal{Reason: "The student is on the waiting list of " + start.Title() + ", which is full.",
					Do: "Offer the waiting list places in the next cohort on the cohort’s page."}
			}
			c.note = "Placed in " + start.Title() + ", starting " + start.Starts.Format()
			c.after = func(ctx context.Context, tx pgx.Tx, now time.Time) error {
				var placementID int64
				err := tx.QueryRow(ctx, `INSERT INTO placements (referral_id, cohort_place_id, student_id, school_id, provider_id,
					programme_id, academic_year, start_date, days, created_at, created_by)
					SELECT r.id, $2, r.student_id, r.school_id, r.provider_id, r.programme_id, $3, $4, $5, $6, $7
					FROM referrals r WHERE r.id = $1
					RETURNING id`,
					r.ID, place.ID, start.AcademicYear, start.Starts, AcademyDays, now, a.userID()).Scan(&placementID)
				if db.IsUniqueViolation(err, "") {
					return ErrMoved
				}
				if err != nil {
					return fmt.Errorf("set up placement: %w", err)
				}
				return placement.SetUpPlan(ctx, tx, placementID)
			}
			return nil
		}})
	return err
}

// Transfer is a Supported Transfer placement.
type Transfer struct {
	ReceivingSchoolID   int64
	ReceivingSchoolName string
	Starts, Ends        calendar.Date
	ReviewOn            calendar.Date
	ReviewNotes         string
	Outcome             string // "stays", "returns" or ""
	OutcomeNotes        string
}

// TransferOf is the referral's Supported Transfer placement, or db.ErrNotFound.
func (s Store) TransferOf(ctx context.Context, referralID int64) (Transfer, error) {
	var t Transfer
	var review *calendar.Date
	err := s.DB.QueryRow(ctx, `SELECT t.receiving_school_id, o.name, t.starts_on, t.ends_on, t.review_on, t.review_notes,
			coalesce(t.outcome, ''), t.outcome_notes
		FROM transfers t JOIN organisations o ON o.id = t.receiving_school_id WHERE t.referral_id = $1`, referralID).
		Scan(&t.ReceivingSchoolID, &t.ReceivingSchoolName, &t.Starts, &t.Ends, &review, &t.ReviewNotes, &t.Outcome, &t.OutcomeNotes)
	if errors.Is(err, pgx.ErrNoRows) {
		return t, db.ErrNotFound
	}
	if err != nil {
		return t, fmt.Errorf("transfer: %w", err)
	}
	if review != nil {
		t.ReviewOn = *review
	}
	return t, nil
}

// ReviewTransfer records the transfer placement's review.
func (s Store) ReviewTransfer(ctx context.Context, a Actor, r Referral, on calendar.Date, notes string) error {
	_, err := s.move(ctx, a, r, change{action: pathway.ReviewTransfer, to: pathway.TransferReview, note: "Placement reviewed on " + on.Format(),
		after: func(ctx context.Context, tx pgx.Tx, now time.Time) error {
			_, err := tx.Exec(ctx, `UPDATE transfers SET review_on = $2, review_notes = $3 WHERE referral_id = $1`, r.ID, on, strings.TrimSpace(notes))
			if err != nil {
				return fmt.Errorf("record review: %w", err)
			}
			return nil
		}})
	return err
}

// TransferOutcomeLabel names a transfer's outcome.
func TransferOutcomeLabel(o string) string {
	switch o {
	case "stays":
		return "Stays at the receiving school"
	case "returns":
		return "Returns to the home school"
	}
	return ""
}

// RecordTransferOutcome records whether the student stays at the receiving school or returns home.
func (s Store) RecordTransferOutcome(ctx context.Context, a Actor, r Referral, outcome, notes string) error {
	if outcome != "stays" && outcome != "returns" {
		return fmt.Errorf("unknown transfer outcome %q", outcome)
	}
	_, err := s.move(ctx, a, r, change{action: pathway.RecordOutcome, to: pathway.TransferOutcome, note: TransferOutcomeLabel(outcome),
		after: func(ctx context.Context, tx pgx.Tx, now time.Time) error {
			_, err := tx.Exec(ctx, `UPDATE transfers SET outcome = $2, outcome_notes = $3, outcome_at = $4 WHERE referral_id = $1`,
				r.ID, outcome, strings.TrimSpace(notes), now)
			if err != nil {
				return fmt.Errorf("record outcome: %w", err)
			}
			return nil
		}})
	return err
}

// DeferCase is CAP moving the case a panel has not decided yet to the same panel's agenda in the next
// round that takes the programme, with the reason. The referral stays at the panel.
func (s Store) DeferCase(ctx context.Context, a Actor, r Referral, caseID int64, reason string) error {
	_, err := s.move(ctx, a, r, change{action: pathway.Defer, to: r.Step,
		prepare: func(ctx context.Context, tx pgx.Tx, now time.Time, c *change) error {
			open, err := panel.On(tx).OpenCase(ctx, r.ID)
			if errors.Is(err, db.ErrNotFound) {
				return &pathway.Refusal{Reason: "This referral is not on a panel’s agenda.", Do: "Add it to the agenda first."}
			}
			if err != nil {
				return err
			}
			if caseID != 0 && open.ID != caseID {
				return ErrMoved
			}
			round, err := panel.On(tx).GetRound(ctx, open.RoundID)
			if err != nil {
				return err
			}
			next, err := panel.On(tx).RoundAfter(ctx, round, r.Kind)
			if errors.Is(err, panel.ErrNoRound) {
				return &pathway.Refusal{Reason: "There is no later round on the calendar to defer this case to.",
					Do: "Publish the next panel calendar on the panel dates page first."}
			}
			if err != nil {
				return err
			}
			c.note = fmt.Sprintf("Deferred by CAP from round %d to round %d (deadline %s)", round.Position, next.Position, next.Deadline.Format())
			if strings.TrimSpace(reason) != "" {
				c.note += ": " + strings.TrimSpace(reason)
			}
			c.after = func(ctx context.Context, tx pgx.Tx, now time.Time) error {
				// The school is told by a letter like any panel decision's, due three working days from today.
				err := panel.RecordDecision(ctx, tx, open.ID, panel.Decision{Decision: panel.Deferred, Minutes: open.Minutes,
					Rationale: strings.TrimSpace("Deferred by CAP before the meeting. " + strings.TrimSpace(reason))},
					a.userID(), nil, nil, panel.LetterDue(panelDays, calendar.DateOf(now)), now)
				if errors.Is(err, panel.ErrDecided) {
					return ErrMoved
				}
				if err != nil {
					return err
				}
				return s.carryForward(ctx, tx, a, r, open, next, now)
			}
			return nil
		}})
	return err
}
