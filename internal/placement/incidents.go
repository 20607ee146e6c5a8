package placement

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/coventry-cap/capportal/internal/audit"
	"github.com/coventry-cap/capportal/internal/auth"
	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/db"
	"github.com/coventry-cap/capportal/internal/input"
)

// MaxCPOMSRef is the longest CPOMS reference an incident keeps.
const MaxCPOMSRef = 50

// Incident is a behaviour incident as recorded.
type Incident struct {
	ID          int64
	PlacementID int64
	OccurredAt  time.Time
	What        string
	ActionTaken string
	WhoTold     string
	CPOMSRef    string
	RecordedAt  time.Time
	RecordedBy  string
	// MeetingID is the behaviour meeting arranged about it; 0 when none yet.
	MeetingID int64
}

// When says when it happened, for people: "20 November 2026 at 11:15am".
func (i Incident) When() string {
	t := i.OccurredAt.In(calendar.London())
	return calendar.DateOf(t).Format() + " at " + ClockTime(t)
}

// ClockTime writes a time of day the way the portal shows it: "10am", "2:30pm".
func ClockTime(t time.Time) string {
	if t.Minute() == 0 {
		return t.Format("3pm")
	}
	return t.Format("3:04pm")
}

// ParseTimeOfDay reads a time of day the ways people type it: "2:30pm", "2.30pm", "2pm", "14:30", "1430".
func ParseTimeOfDay(s string) (hour, minute int, ok bool) {
	s = strings.ToLower(strings.ReplaceAll(strings.TrimSpace(s), " ", ""))
	s = strings.ReplaceAll(s, ".", ":")
	if s == "" {
		return 0, 0, false
	}
	for _, layout := range []string{"3pm", "3:04pm", "15:04", "1504"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.Hour(), t.Minute(), true
		}
	}
	return 0, 0, false
}

// IncidentInput is a behaviour incident as the form gives it: the day, and the time as typed.
type IncidentInput struct {
	Date        calendar.Date
	Time        string
	What        string
	ActionTaken string
	WhoTold     string
	CPOMSRef    string
	// Token is the form's one-time token: the same form sent twice records one incident.
	Token string
}

// OccurredAt is when the incident happened, in London time; ok is false when the day or time is missing.
func (in IncidentInput) OccurredAt() (time.Time, bool) {
	h, m, ok := ParseTimeOfDay(in.Time)
	if !ok || in.Date.IsZero() {
		return time.Time{}, false
	}
	return time.Date(in.Date.Year, in.Date.Month, in.Date.Day, h, m, 0, 0, calendar.London()), true
}

// Problems says what is wrong with the incident, in the form's order: the day (not before the
// placement) and time, not in the future; what happened and the action taken; the short answers'
// lengths.
func (in IncidentInput) Problems(p Placement, now time.Time) input.Problems {
	var ps input.Problems
	add := func(field, msg string) { ps = append(ps, input.FieldProblem{Field: field, Message: msg}) }
	recordDate(&ps, "when", "incident", in.Date, p, calendar.DateOf(now))
	if strings.TrimSpace(in.Time) == "" {
		add("time", "Enter the time of the incident, for example 2:30pm")
	} else if _, _, ok := ParseTimeOfDay(in.Time); !ok {
		add("time", "Enter the time of the incident like 2:30pm or 14:30")
	} else if at, ok := in.OccurredAt(); ok && at.After(now) && !in.Date.After(calendar.DateOf(now)) {
		add("time", "The time of the incident must be in the past")
	}
	switch {
	case strings.TrimSpace(in.What) == "":
		add("what", "Enter what happened")
	case tooLong(in.What, MaxText):
		add("what", fmt.Sprintf("What happened must be %d characters or fewer", MaxText))
	}
	switch {
	case strings.TrimSpace(in.ActionTaken) == "":
		add("action", "Enter the action taken")
	case tooLong(in.ActionTaken, MaxText):
		add("action", fmt.Sprintf("The action taken must be %d characters or fewer", MaxText))
	}
	if tooLong(in.WhoTold, MaxShort) {
		add("told", fmt.Sprintf("Who was told must be %d characters or fewer", MaxShort))
	}
	if tooLong(in.CPOMSRef, MaxCPOMSRef) {
		add("cpoms", fmt.Sprintf("The CPOMS reference must be %d characters or fewer", MaxCPOMSRef))
	}
	return ps
}

// RecordIncident records a behaviour incident of the placement by its provider's staff, or CAP (a
// CAP admin or monitoring officer). The same form (its Token) sent twice records one incident:
// created is false the second time. Problems are returned as input.Problems.
func (s Store) RecordIncident(ctx context.Context, a Actor, placementID int64, in IncidentInput) (Incident, bool, error) {
	var out Incident
	var created bool
	now := s.Clock.Now()
	err := db.InTx(ctx, s.DB, func(tx pgx.Tx) error {
		p, err := s.loadForRecord(ctx, tx, a, placementID, func(pr *auth.Principal, p Placement) bool { return RecordsProgress(pr, p.ProviderID) })
		if err != nil {
			return err
		}
		if ps := in.Problems(p, now); len(ps) > 0 {
			return ps
		}
		at, _ := in.OccurredAt()
		var id int64
		err = tx.QueryRow(ctx, `INSERT INTO behaviour_incidents (placement_id, occurred_at, what, action_taken, who_told, cpoms_ref,
				recorded_at, recorded_by, form_token)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (form_token) DO NOTHING RETURNING id`,
			p.ID, at, strings.TrimSpace(in.What), strings.TrimSpace(in.ActionTaken), strings.TrimSpace(in.WhoTold),
			strings.TrimSpace(in.CPOMSRef), now, a.userID(), tokenArg(in.Token)).Scan(&id)
		if errors.Is(err, pgx.ErrNoRows) {
			list, err := collectIncidents(tx.Query(ctx, selectIncident+` WHERE i.form_token = $1 AND i.placement_id = $2`, tokenArg(in.Token), p.ID))
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
			return fmt.Errorf("record incident: %w", err)
		}
		inc := Incident{OccurredAt: at}
		if err := audit.On(tx).Write(ctx, audit.Entry{At: now, ActorUserID: a.userIDPtr(), ActorEmail: a.email(),
			Action: ActionIncident, SubjectType: "placement", SubjectID: fmt.Sprint(p.ID),
			Summary: "Recorded a behaviour incident of " + inc.When(),
			Details: map[string]any{"incident": id, "referral": p.Reference, "cpoms": strings.TrimSpace(in.CPOMSRef)}, RequestID: a.RequestID}); err != nil {
			return err
		}
		list, err := collectIncidents(tx.Query(ctx, selectIncident+` WHERE i.id = $1`, id))
		if err != nil {
			return err
		}
		out, created = list[0], true
		return nil
	})
	return out, created, err
}

const selectIncident = `SELECT i.id, i.placement_id, i.occurred_at, i.what, i.action_taken, i.who_told, i.cpoms_ref,
	i.recorded_at, u.name,
	coalesce((SELECT min(m.id) FROM monitoring_meetings m WHERE m.incident_id = i.id), 0)
	FROM behaviour_incidents i JOIN users u ON u.id = i.recorded_by`

func collectIncidents(rows pgx.Rows, err error) ([]Incident, error) {
	if err != nil {
		return nil, fmt.Errorf("read incidents: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (Incident, error) {
		var i Incident
		err := row.Scan(&i.ID, &i.PlacementID, &i.OccurredAt, &i.What, &i.ActionTaken, &i.WhoTold, &i.CPOMSRef, &i.RecordedAt, &i.RecordedBy, &i.MeetingID)
		return i, err
	})
	if err != nil {
		return nil, fmt.Errorf("read incidents: %w", err)
	}
	return out, nil
}

// incidentsOf are the placement's incidents, newest first.
func incidentsOf(ctx context.Context, q db.DBTX, placementID int64) ([]Incident, error) {
	return collectIncidents(q.Query(ctx, selectIncident+` WHERE i.placement_id = $1 ORDER BY i.occurred_at DESC, i.id DESC`, placementID))
}

// Incident returns one of the placement's incidents, if the actor may see the placement; db.ErrNotFound
// otherwise, or when the incident is another placement's. It records nothing: the page that shows it
// records its view of the placement.
func (s Store) Incident(ctx context.Context, a Actor, placementID, incidentID int64) (Incident, error) {
	if _, err := s.Get(ctx, a, placementID); err != nil {
		return Incident{}, err
	}
	list, err := collectIncidents(s.DB.Query(ctx, selectIncident+` WHERE i.id = $1 AND i.placement_id = $2`, incidentID, placementID))
	if err != nil {
		return Incident{}, err
	}
	if len(list) == 0 {
		return Incident{}, db.ErrNotFound
	}
	return list[0], nil
}
