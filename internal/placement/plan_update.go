package placement

import (
	"context"
	"errors"
	"fmt"
	"slices"
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

// The plan form's fields, as its problems name them.
const (
	FieldPlannedEnd        = "planned_end"
	FieldDays              = "days"
	FieldSessions          = "sessions"
	FieldHours             = "hours"
	FieldObjectives        = "objectives"
	FieldReintegration     = "reintegration"
	FieldReviewDates       = "review_dates"
	FieldMonitoringOfficer = "monitoring_officer"
)

// MaxPlanText is the longest the objectives or the reintegration plan may be.
const MaxPlanText = 5000

// MaxHoursPerWeek is the most hours a week a placement can take (the working week).
const MaxHoursPerWeek = 40

// PlanInput is a placement's plan as CAP changes it: everything agreed at the start that can change.
type PlanInput struct {
	PlannedEnd          calendar.Date // zero for none agreed
	Days                []time.Weekday
	Sessions            []Session
	HoursPerWeek        float64 // 0 for not recorded
	Objectives          string
	Reintegration       string
	ReviewDates         []calendar.Date
	MonitoringOfficerID int64 // 0: every monitoring officer follows it
}

// PlanInput is the placement's plan as it stands, to start a change from.
func (p Placement) PlanInput() PlanInput {
	return PlanInput{PlannedEnd: p.PlannedEnd, Days: slices.Clone(p.Days), Sessions: slices.Clone(p.Sessions),
		HoursPerWeek: p.HoursPerWeek, Objectives: p.Objectives, Reintegration: p.Reintegration,
		ReviewDates: slices.Clone(p.ReviewDates), MonitoringOfficerID: p.MonitoringOfficerID}
}

// Officer is a CAP monitoring officer a placement can be given to.
type Officer struct {
	ID   int64
	Name string
}

// PlanAccess is how much of a placement's plan someone may change.
type PlanAccess int

// What someone may change of a plan.
const (
	NoPlanAccess PlanAccess = iota
	// ObjectivesOnly: the provider's staff agree the objectives and the reintegration plan with the
	// school and keep them up to date; the rest of the plan is CAP's.
	ObjectivesOnly
	// WholePlan: a CAP admin, or the placement's monitoring officer (any monitoring officer while it
	// has none of its own).
	WholePlan
)

// PlanAccessOf is how much of the placement's plan the principal may change.
func PlanAccessOf(p *auth.Principal, pl Placement) PlanAccess {
	switch {
	case p == nil:
		return NoPlanAccess
	case p.Has(auth.CAPAdmin):
		return WholePlan
	case p.Has(auth.MonitoringOfficer) && (pl.MonitoringOfficerID == 0 || pl.MonitoringOfficerID == p.UserID):
		return WholePlan
	case slices.Contains(p.OrgIDsWith(auth.ProviderStaff), pl.ProviderID):
		return ObjectivesOnly
	}
	return NoPlanAccess
}

// ErrNoPlanAccess is returned when the person may not change the placement's plan.
var ErrNoPlanAccess = errors.New("only CAP, the placement's monitoring officer or its provider's staff change its plan")

// halfTerm is one half of a term: from the term's start to its half term, or from the half term to
// the term's end.
type halfTerm struct {
	Name       string
	Start, End calendar.Date
}

func halfTerms(terms []calendar.Term) []halfTerm {
	var out []halfTerm
	for _, t := range terms {
		name := strings.ToLower(t.Name)
		if t.HalfTermStart.IsZero() {
			out = append(out, halfTerm{"the " + name + " term", t.Start, t.End})
			continue
		}
		out = append(out, halfTerm{"the first half of the " + name + " term", t.Start, t.HalfTermStart.AddDays(-1)},
			halfTerm{"the second half of the " + name + " term", t.HalfTermEnd.AddDays(1), t.End})
	}
	return out
}

// reviewSpanEnd is the last day the plan needs reviews up to: its planned end (or actual end), or,
// with none, the end of the academic year it started in (as DefaultPlan reviews).
func reviewSpanEnd(p Placement, plannedEnd calendar.Date) calendar.Date {
	end := plannedEnd
	if end.IsZero() {
		if y, ok := calendar.LookupAcademicYear(calendar.AcademicYearCode(p.Start)); ok {
			end = y.End
		} else {
			end = p.Start.AddDays(365)
		}
	}
	if !p.EndedOn.IsZero() && p.EndedOn.Before(end) {
		end = p.EndedOn
	}
	return end
}

// Problems says what is wrong with the plan for the placement: a planned end on or after its start;
// at least one day (Monday to Friday) and one session; hours a week above 0 and at most 40, when
// given; objectives and a reintegration plan of at most MaxPlanText characters; review dates on
// school days within the placement, at least one in each half term it runs in (except a first half
// term it runs in for less than ten days, as DefaultPlan does); a monitoring officer who is one.
func (in PlanInput) Problems(p Placement, sd calendar.SchoolDays, terms []calendar.Term, officers []Officer) input.Problems {
	var ps input.Problems
	add := func(field, msg string) { ps = append(ps, input.FieldProblem{Field: field, Message: msg}) }
	if !in.PlannedEnd.IsZero() && in.PlannedEnd.Before(p.Start) {
		add(FieldPlannedEnd, "The planned end date must be on or after the start date, "+p.Start.Format())
	}
	if len(in.Days) == 0 {
		add(FieldDays, "Select the days of the week the student attends")
	}
	for _, d := range in.Days {
		if d < time.Monday || d > time.Friday {
			add(FieldDays, "Select days from Monday to Friday")
			break
		}
	}
	if len(in.Sessions) == 0 {
		add(FieldSessions, "Select the morning, the afternoon or both")
	}
	for _, s := range in.Sessions {
		if !s.Valid() {
			add(FieldSessions, "Select the morning, the afternoon or both")
			break
		}
	}
	if in.HoursPerWeek < 0 || in.HoursPerWeek > MaxHoursPerWeek {
		add(FieldHours, fmt.Sprintf("Enter the hours a week as a number from 0.5 to %d, or leave it blank", MaxHoursPerWeek))
	}
	if utf8.RuneCountInString(strings.TrimSpace(in.Objectives)) > MaxPlanText {
		add(FieldObjectives, fmt.Sprintf("The objectives must be %d characters or fewer", MaxPlanText))
	}
	if utf8.RuneCountInString(strings.TrimSpace(in.Reintegration)) > MaxPlanText {
		add(FieldReintegration, fmt.Sprintf("The reintegration plan must be %d characters or fewer", MaxPlanText))
	}
	if in.MonitoringOfficerID != 0 && !slices.ContainsFunc(officers, func(o Officer) bool { return o.ID == in.MonitoringOfficerID }) {
		add(FieldMonitoringOfficer, "Select a CAP monitoring officer, or nobody in particular")
	}
	ps = append(ps, in.reviewProblems(p, sd, terms)...)
	return ps
}

func (in PlanInput) reviewProblems(p Placement, sd calendar.SchoolDays, terms []calendar.Term) input.Problems {
	var ps input.Problems
	add := func(msg string) { ps = append(ps, input.FieldProblem{Field: FieldReviewDates, Message: msg}) }
	end := reviewSpanEnd(p, in.PlannedEnd)
	for _, d := range in.ReviewDates {
		switch {
		case d.Before(p.Start):
			add("Review date " + d.Format() + " is before the placement starts on " + p.Start.Format())
		case !in.PlannedEnd.IsZero() && d.After(in.PlannedEnd):
			add("Review date " + d.Format() + " is after the planned end, " + in.PlannedEnd.Format())
		case !sd.IsSchoolDay(d):
			add("Review date " + d.Format() + " is not a school day: choose a day in term, outside half term and bank holidays")
		}
	}
	if len(ps) > 0 {
		return ps
	}
	var missing []string
	for _, h := range halfTerms(terms) {
		lo, hi := h.Start, h.End
		if lo.Before(p.Start) {
			lo = p.Start
		}
		if hi.After(end) {
			hi = end
		}
		if hi.Before(lo) {
			continue
		}
		first, last := lo, hi
		for !sd.IsSchoolDay(first) && first.Before(hi) {
			first = first.AddDays(1)
		}
		for !sd.IsSchoolDay(last) && last.After(lo) {
			last = last.AddDays(-1)
		}
		if !sd.IsSchoolDay(last) {
			continue // no school day of the half falls in the placement
		}
		if !h.Start.After(p.Start) && p.Start.DaysUntil(last) < 10 {
			continue // it starts too near the half's end to review anything in it
		}
		if !slices.ContainsFunc(in.ReviewDates, func(d calendar.Date) bool { return !d.Before(lo) && !d.After(hi) }) {
			missing = append(missing, fmt.Sprintf("%s (%s to %s)", h.Name, first.Format(), last.Format()))
		}
	}
	switch {
	case len(missing) > 0:
		add("Add a review date in each half term the placement runs: none falls in " + strings.Join(missing, ", "))
	case len(in.ReviewDates) == 0:
		add("Add at least one review date")
	}
	return ps
}

// normalised tidies a plan before it is saved: text trimmed, days, sessions and review dates in
// order without repeats.
func (in PlanInput) normalised() PlanInput {
	in.Objectives, in.Reintegration = strings.TrimSpace(in.Objectives), strings.TrimSpace(in.Reintegration)
	in.Days = slices.Compact(slices.Sorted(slices.Values(in.Days)))
	var sessions []Session
	for _, s := range Sessions {
		if slices.Contains(in.Sessions, s) {
			sessions = append(sessions, s)
		}
	}
	in.Sessions = sessions
	in.ReviewDates = slices.CompactFunc(slices.SortedFunc(slices.Values(in.ReviewDates), func(a, b calendar.Date) int { return a.Compare(b) }),
		func(a, b calendar.Date) bool { return a == b })
	return in
}

// MonitoringOfficers are CAP's active monitoring officers, by name.
func (s Store) MonitoringOfficers(ctx context.Context) ([]Officer, error) {
	rows, err := s.DB.Query(ctx, `SELECT DISTINCT u.id, u.name FROM users u
		JOIN memberships m ON m.user_id = u.id JOIN organisations o ON o.id = m.organisation_id
		WHERE m.role = 'monitoring_officer' AND o.kind = 'la' AND u.active ORDER BY u.name, u.id`)
	if err != nil {
		return nil, fmt.Errorf("list monitoring officers: %w", err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowToStructByPos[Officer])
	if err != nil {
		return nil, fmt.Errorf("list monitoring officers: %w", err)
	}
	return out, nil
}

// UpdatePlan changes the placement's plan in one transaction, audited: the whole plan for a CAP
// admin or its monitoring officer, only the objectives and reintegration plan for its provider's
// staff (the rest of what they send is ignored). Problems come back as input.Problems; a placement
// the person may not see is db.ErrNotFound, one they may see but not change ErrNoPlanAccess.
func (s Store) UpdatePlan(ctx context.Context, a Actor, id int64, in PlanInput) (Placement, error) {
	var out Placement
	now := s.Clock.Now()
	err := db.InTx(ctx, s.DB, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT id FROM placements WHERE id = $1 FOR UPDATE`, id); err != nil {
			return fmt.Errorf("lock placement: %w", err)
		}
		txs := Store{DB: tx, Clock: s.Clock, Outbox: s.Outbox}
		p, err := txs.Get(ctx, a, id)
		if err != nil {
			return err
		}
		access := PlanAccessOf(a.Principal, p)
		switch access {
		case NoPlanAccess:
			return ErrNoPlanAccess
		case ObjectivesOnly:
			objectives, reintegration := in.Objectives, in.Reintegration
			in = p.PlanInput()
			in.Objectives, in.Reintegration = objectives, reintegration
		}
		sd, err := calendar.On(tx).SchoolDays(ctx)
		if err != nil {
			return err
		}
		terms, err := calendar.On(tx).Terms(ctx)
		if err != nil {
			return err
		}
		officers, err := txs.MonitoringOfficers(ctx)
		if err != nil {
			return err
		}
		ps := in.Problems(p, sd, terms, officers)
		if access == ObjectivesOnly {
			// The rest of the plan is CAP's: its provider is not held up by what it cannot change.
			ps = slices.DeleteFunc(ps, func(fp input.FieldProblem) bool {
				return fp.Field != FieldObjectives && fp.Field != FieldReintegration
			})
		}
		if len(ps) > 0 {
			return ps
		}
		in = in.normalised()
		changed := p.PlanInput().normalised().changes(in)
		if len(changed) == 0 {
			out = p
			return nil
		}
		days := make([]int16, len(in.Days))
		for i, d := range in.Days {
			days[i] = int16(d)
		}
		sessions := make([]string, len(in.Sessions))
		for i, s := range in.Sessions {
			sessions[i] = string(s)
		}
		var end *calendar.Date
		if !in.PlannedEnd.IsZero() {
			end = &in.PlannedEnd
		}
		var hours *float64
		if in.HoursPerWeek > 0 {
			hours = &in.HoursPerWeek
		}
		var officer *int64
		if in.MonitoringOfficerID != 0 {
			officer = &in.MonitoringOfficerID
		}
		if _, err := tx.Exec(ctx, `UPDATE placements SET planned_end_date = $2, days = $3, sessions = $4, hours_per_week = $5,
				objectives = $6, reintegration_plan = $7, monitoring_officer_id = $8 WHERE id = $1`,
			id, end, days, sessions, hours, in.Objectives, in.Reintegration, officer); err != nil {
			return fmt.Errorf("change the plan: %w", err)
		}
		if _, err := tx.Exec(ctx, `DELETE FROM placement_review_dates WHERE placement_id = $1 AND NOT (due_on = ANY($2))`, id, in.ReviewDates); err != nil {
			return fmt.Errorf("change review dates: %w", err)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO placement_review_dates (placement_id, due_on) SELECT $1, d FROM unnest($2::date[]) AS d
			ON CONFLICT DO NOTHING`, id, in.ReviewDates); err != nil {
			return fmt.Errorf("change review dates: %w", err)
		}
		if err := audit.On(tx).Write(ctx, audit.Entry{At: now, ActorUserID: a.userIDPtr(), ActorEmail: a.email(),
			Action: ActionPlan, SubjectType: "placement", SubjectID: fmt.Sprint(id),
			Summary: "Changed the placement’s " + strings.Join(changed, ", "),
			Details: map[string]any{"referral": p.Reference, "changed": changed}, RequestID: a.RequestID}); err != nil {
			return err
		}
		out, err = txs.Get(ctx, a, id)
		return err
	})
	return out, err
}

// changes names what differs between two normalised plans, in the form's order.
func (in PlanInput) changes(to PlanInput) []string {
	var out []string
	if in.PlannedEnd != to.PlannedEnd {
		out = append(out, "planned end")
	}
	if !slices.Equal(in.Days, to.Days) {
		out = append(out, "days")
	}
	if !slices.Equal(in.Sessions, to.Sessions) {
		out = append(out, "sessions")
	}
	if in.HoursPerWeek != to.HoursPerWeek {
		out = append(out, "hours a week")
	}
	if in.Objectives != to.Objectives {
		out = append(out, "objectives")
	}
	if in.Reintegration != to.Reintegration {
		out = append(out, "reintegration plan")
	}
	if !slices.Equal(in.ReviewDates, to.ReviewDates) {
		out = append(out, "review dates")
	}
	if in.MonitoringOfficerID != to.MonitoringOfficerID {
		out = append(out, "monitoring officer")
	}
	return out
}
