package placement

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
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

// Audit actions for the monitoring records.
const (
	ActionReviewed        = "placement.review_recorded"
	ActionIncident        = "placement.incident_recorded"
	ActionMeeting         = "placement.meeting_recorded"
	ActionMeetingActionDo = "placement.meeting_action_done"
)

// MaxText is the longest answer a monitoring record keeps in one box (progress, concerns, what happened).
const MaxText = 10000

// MaxShort is the longest short answer (who took part, who attended, an action, who was told).
const MaxShort = 1000

// ErrNotRecorder is returned when the person may see the placement but not record this about it.
var ErrNotRecorder = errors.New("only the provider's staff, or CAP, record this")

// RecordsProgress reports whether the principal records progress reviews and behaviour incidents for
// the provider's learners: its staff, or a CAP admin or monitoring officer. The school reads them.
func RecordsProgress(p *auth.Principal, providerID int64) bool { return TakesRegisters(p, providerID) }

// ObjectiveList is the placement's objectives, one a line, without blank lines or list marks.
func (p Placement) ObjectiveList() []string {
	var out []string
	for _, line := range strings.Split(p.Objectives, "\n") {
		line = strings.TrimSpace(strings.TrimLeft(strings.TrimSpace(line), "-•*"))
		if line != "" {
			out = append(out, line)
		}
	}
	return out
}

// OverallProgress is what the one progress box of a review is about when the placement has no objectives.
const OverallProgress = "Overall progress"

// ReviewObjectives are the headings of a review's progress boxes: the placement's objectives, or one
// overall box when none were agreed.
func (p Placement) ReviewObjectives() []string {
	if list := p.ObjectiveList(); len(list) > 0 {
		return list
	}
	return []string{OverallProgress}
}

// ObjectiveProgress is the progress made against one objective.
type ObjectiveProgress struct {
	Objective string `json:"objective"`
	Progress  string `json:"progress"`
}

// Review is a progress review as recorded.
type Review struct {
	ID           int64
	PlacementID  int64
	HeldOn       calendar.Date
	Participants string
	Progress     []ObjectiveProgress
	Targets      string
	NextReview   calendar.Date // zero when none was set
	RecordedAt   time.Time
	RecordedBy   string
}

// ReviewInput is a progress review as the form gives it. Progress is one answer for each of the
// placement's ReviewObjectives, in order.
type ReviewInput struct {
	HeldOn       calendar.Date
	Participants string
	Progress     []string
	Targets      string
	NextReview   calendar.Date
	// Token is the form's one-time token: the same form sent twice records one review.
	Token string
}

// ProgressField is the form field of the progress against the i-th objective (from 0): "progress-1".
func ProgressField(i int) string { return "progress-" + strconv.Itoa(i+1) }

// tooLong reports whether text, trimmed, is longer than n characters.
func tooLong(text string, n int) bool { return utf8.RuneCountInString(strings.TrimSpace(text)) > n }

// recordDate checks the day a record is about: given, not after today, not before the placement began.
func recordDate(ps *input.Problems, field, what string, day calendar.Date, p Placement, today calendar.Date) {
	switch {
	case day.IsZero():
		*ps = append(*ps, input.FieldProblem{Field: field, Message: "Enter the date of the " + what})
	case day.After(today):
		*ps = append(*ps, input.FieldProblem{Field: field, Message: "The date of the " + what + " must be today or in the past"})
	case day.Before(p.Start):
		*ps = append(*ps, input.FieldProblem{Field: field, Message: "The date of the " + what + " must be on or after the placement started, " + p.Start.Format()})
	}
}

// Problems says what is wrong with the review of the placement, in the form's order: the day it was
// held (today or before, not before the placement); who took part; the progress against each
// objective; the next review after this one.
func (in ReviewInput) Problems(p Placement, today calendar.Date) input.Problems {
	var ps input.Problems
	add := func(field, msg string) { ps = append(ps, input.FieldProblem{Field: field, Message: msg}) }
	recordDate(&ps, "held", "review", in.HeldOn, p, today)
	switch {
	case strings.TrimSpace(in.Participants) == "":
		add("participants", "Enter who took part in the review")
	case tooLong(in.Participants, MaxShort):
		add("participants", fmt.Sprintf("Who took part must be %d characters or fewer", MaxShort))
	}
	objectives := p.ReviewObjectives()
	if len(in.Progress) != len(objectives) {
		add(ProgressField(0), "The placement’s objectives have changed since the form was opened: check the progress against each one and send it again")
	} else {
		for i, text := range in.Progress {
			what := "the progress against objective " + strconv.Itoa(i+1)
			if len(objectives) == 1 {
				what = "the progress made"
				if objectives[0] != OverallProgress {
					what = "the progress against the objective"
				}
			}
			switch {
			case strings.TrimSpace(text) == "":
				add(ProgressField(i), "Enter "+what)
			case tooLong(text, MaxText):
				add(ProgressField(i), fmt.Sprintf("%s must be %d characters or fewer", upperFirst(what), MaxText))
			}
		}
	}
	if tooLong(in.Targets, MaxText) {
		add("targets", fmt.Sprintf("The targets must be %d characters or fewer", MaxText))
	}
	if !in.NextReview.IsZero() && !in.HeldOn.IsZero() && !in.NextReview.After(in.HeldOn) {
		add("next", "The next review must be after this one, "+in.HeldOn.Format())
	}
	return ps
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// loadForRecord reads the placement inside tx, scoped to the actor: db.ErrNotFound when they may not
// see it, ErrNotRecorder when they may see it but allowed(principal, placement) is false.
func (s Store) loadForRecord(ctx context.Context, tx pgx.Tx, a Actor, placementID int64, allowed func(*auth.Principal, Placement) bool) (Placement, error) {
	p, err := Store{DB: tx, Clock: s.Clock}.Get(ctx, a, placementID)
	if err != nil {
		return p, err
	}
	if !allowed(a.Principal, p) {
		return p, ErrNotRecorder
	}
	return p, nil
}

func tokenArg(token string) *string {
	if token = strings.TrimSpace(token); token == "" {
		return nil
	}
	return &token
}

// RecordReview records a progress review of the placement by its provider's staff, a monitoring
// officer or a CAP admin, and adds its next review date to the placement's review dates. The same
// form (its Token) sent twice records one review: created is false the second time, with the review
// the first recorded. Problems with what was given are returned as input.Problems.
func (s Store) RecordReview(ctx context.Context, a Actor, placementID int64, in ReviewInput) (Review, bool, error) {
	var out Review
	var created bool
	now := s.Clock.Now()
	err := db.InTx(ctx, s.DB, func(tx pgx.Tx) error {
		p, err := s.loadForRecord(ctx, tx, a, placementID, func(pr *auth.Principal, p Placement) bool { return RecordsProgress(pr, p.ProviderID) })
		if err != nil {
			return err
		}
		if ps := in.Problems(p, calendar.DateOf(now)); len(ps) > 0 {
			return ps
		}
		objectives := p.ReviewObjectives()
		progress := make([]ObjectiveProgress, len(objectives))
		for i, o := range objectives {
			progress[i] = ObjectiveProgress{Objective: o, Progress: strings.TrimSpace(in.Progress[i])}
		}
		body, err := json.Marshal(progress)
		if err != nil {
			return fmt.Errorf("progress: %w", err)
		}
		var next *calendar.Date
		if !in.NextReview.IsZero() {
			next = &in.NextReview
		}
		var id int64
		err = tx.QueryRow(ctx, `INSERT INTO progress_reviews (placement_id, held_on, participants, progress, targets, next_review,
				recorded_at, recorded_by, form_token)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (form_token) DO NOTHING RETURNING id`,
			p.ID, in.HeldOn, strings.TrimSpace(in.Participants), body, strings.TrimSpace(in.Targets), next, now, a.userID(), tokenArg(in.Token)).Scan(&id)
		if errors.Is(err, pgx.ErrNoRows) {
			// This form was sent before: answer with what it recorded then.
			list, err := collectReviews(tx.Query(ctx, selectReview+` WHERE v.form_token = $1 AND v.placement_id = $2`, tokenArg(in.Token), p.ID))
			if err != nil {
				return err
			}
			if len(list) == 0 {
				return ErrTokenUsed
			}
			out = list[0]
			return nil
		}
		if err != nil {
			return fmt.Errorf("record review: %w", err)
		}
		if next != nil {
			if _, err := tx.Exec(ctx, `INSERT INTO placement_review_dates (placement_id, due_on) VALUES ($1, $2) ON CONFLICT DO NOTHING`,
				p.ID, *next); err != nil {
				return fmt.Errorf("add the next review date: %w", err)
			}
		}
		summary := "Recorded the progress review of " + in.HeldOn.Format()
		if next != nil {
			summary += "; next review " + next.Format()
		}
		if err := audit.On(tx).Write(ctx, audit.Entry{At: now, ActorUserID: a.userIDPtr(), ActorEmail: a.email(),
			Action: ActionReviewed, SubjectType: "placement", SubjectID: fmt.Sprint(p.ID), Summary: summary,
			Details: map[string]any{"review": id, "referral": p.Reference}, RequestID: a.RequestID}); err != nil {
			return err
		}
		list, err := collectReviews(tx.Query(ctx, selectReview+` WHERE v.id = $1`, id))
		if err != nil {
			return err
		}
		out, created = list[0], true
		return nil
	})
	return out, created, err
}

// ErrTokenUsed is returned for a form whose one-time token already recorded something else.
var ErrTokenUsed = errors.New("this form was already used: open it again")

const selectReview = `SELECT v.id, v.placement_id, v.held_on, v.participants, v.progress, v.targets, v.next_review,
	v.recorded_at, u.name FROM progress_reviews v JOIN users u ON u.id = v.recorded_by`

func collectReviews(rows pgx.Rows, err error) ([]Review, error) {
	if err != nil {
		return nil, fmt.Errorf("read reviews: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (Review, error) {
		var v Review
		var next *calendar.Date
		var progress []byte
		if err := row.Scan(&v.ID, &v.PlacementID, &v.HeldOn, &v.Participants, &progress, &v.Targets, &next, &v.RecordedAt, &v.RecordedBy); err != nil {
			return v, err
		}
		if next != nil {
			v.NextReview = *next
		}
		if err := json.Unmarshal(progress, &v.Progress); err != nil {
			return v, fmt.Errorf("review %d progress: %w", v.ID, err)
		}
		return v, nil
	})
	if err != nil {
		return nil, fmt.Errorf("read reviews: %w", err)
	}
	return out, nil
}

// reviewsOf are the placement's reviews, newest first.
func reviewsOf(ctx context.Context, q db.DBTX, placementID int64) ([]Review, error) {
	return collectReviews(q.Query(ctx, selectReview+` WHERE v.placement_id = $1 ORDER BY v.held_on DESC, v.id DESC`, placementID))
}

// NextReviewDue is the placement's first review date on or after day; zero when none is set.
func (p Placement) NextReviewDue(day calendar.Date) calendar.Date {
	dates := slices.Clone(p.ReviewDates)
	slices.SortFunc(dates, func(a, b calendar.Date) int { return a.Compare(b) })
	for _, d := range dates {
		if !d.Before(day) {
			return d
		}
	}
	return calendar.Date{}
}
