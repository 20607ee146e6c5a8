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

	"github.com/jackc/pgx/v5"

	"github.com/coventry-cap/capportal/internal/audit"
	"github.com/coventry-cap/capportal/internal/auth"
	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/db"
	"github.com/coventry-cap/capportal/internal/input"
	"github.com/coventry-cap/capportal/internal/notify"
)

// MeetingKind is an attendance meeting or a behaviour meeting: the reference pack's two meeting forms.
type MeetingKind string

// The two kinds of meeting.
const (
	AttendanceMeeting MeetingKind = "attendance"
	BehaviourMeeting  MeetingKind = "behaviour"
)

// Valid reports whether k is a kind of meeting.
func (k MeetingKind) Valid() bool { return k == AttendanceMeeting || k == BehaviourMeeting }

// Label names the kind: "Attendance meeting".
func (k MeetingKind) Label() string {
	if k == BehaviourMeeting {
		return "Behaviour meeting"
	}
	return "Attendance meeting"
}

// CompletedBy is who completed a meeting's record during the meeting. The reference pack: the CAP
// Monitoring Officer completes it; when no Monitoring Officer is present, the training provider does.
type CompletedBy string

// Who completes the record.
const (
	ByMonitoringOfficer CompletedBy = "monitoring_officer"
	ByProvider          CompletedBy = "provider"
)

// Label says who completed the record, for people.
func (c CompletedBy) Label() string {
	if c == ByProvider {
		return "The provider, as no CAP Monitoring Officer was present"
	}
	return "The CAP Monitoring Officer, during the meeting"
}

// RecordsMeetings reports whether the principal records attendance and behaviour meetings of the
// provider's learners: a CAP monitoring officer, or the provider's staff when no Monitoring Officer
// is present.
func RecordsMeetings(p *auth.Principal, providerID int64) bool {
	if p == nil {
		return false
	}
	return p.Has(auth.MonitoringOfficer) || slices.Contains(p.OrgIDsWith(auth.ProviderStaff), providerID)
}

// Attendees are who attended a meeting, for each party the pack says it is held with.
type Attendees struct {
	Provider string `json:"provider"`
	School   string `json:"school"`
	CAP      string `json:"cap"`
	Student  bool   `json:"student"`
	Parent   string `json:"parent"`
}

// Owner is someone who may own a meeting's action: the provider's staff, the school's coordinators,
// CAP's monitoring officers.
type Owner struct {
	UserID  int64
	Name    string
	Role    auth.Role
	OrgName string
}

// Label names the owner with their role and organisation: "Dana Price (Provider staff, Ridgeway Training)".
func (o Owner) Label() string { return o.Name + " (" + o.Role.Label() + ", " + o.OrgName + ")" }

// ActionOwners are the people who may own an action of a meeting about the placement, in the order
// the form lists them: the provider's staff, the school's coordinators, then CAP's monitoring officers.
func (s Store) ActionOwners(ctx context.Context, a Actor, placementID int64) ([]Owner, error) {
	p, err := s.Get(ctx, a, placementID)
	if err != nil {
		return nil, err
	}
	return actionOwners(ctx, s.DB, p)
}

func actionOwners(ctx context.Context, q db.DBTX, p Placement) ([]Owner, error) {
	rows, err := q.Query(ctx, `SELECT u.id, u.name, m.role, o.name
		FROM memberships m JOIN users u ON u.id = m.user_id JOIN organisations o ON o.id = m.organisation_id
		WHERE u.active AND ((m.role IN ('provider_staff', 'provider_dsl') AND m.organisation_id = $1)
			OR (m.role = 'coordinator' AND m.organisation_id = $2) OR m.role = 'monitoring_officer')
		ORDER BY CASE m.role WHEN 'provider_staff' THEN 0 WHEN 'provider_dsl' THEN 1 WHEN 'coordinator' THEN 2 ELSE 3 END,
			lower(u.name), u.id`, p.ProviderID, p.SchoolID)
	if err != nil {
		return nil, fmt.Errorf("action owners: %w", err)
	}
	list, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (Owner, error) {
		var o Owner
		var role string
		err := row.Scan(&o.UserID, &o.Name, &role, &o.OrgName)
		o.Role = auth.Role(role)
		return o, err
	})
	if err != nil {
		return nil, fmt.Errorf("action owners: %w", err)
	}
	// Someone with two of these roles is listed once, by the first.
	var out []Owner
	for _, o := range list {
		if !slices.ContainsFunc(out, func(x Owner) bool { return x.UserID == o.UserID }) {
			out = append(out, o)
		}
	}
	return out, nil
}

// ActionInput is one agreed action as the form gives it. Row numbers its fields (from 1).
type ActionInput struct {
	Row     int
	Action  string
	OwnerID int64
	Due     calendar.Date
}

// ActionField is the form field of what the action in the row is: "action-1".
func ActionField(row int) string { return "action-" + strconv.Itoa(row) }

// OwnerField is the form field of the action's owner: "owner-1".
func OwnerField(row int) string { return "owner-" + strconv.Itoa(row) }

// DueField is the date field of the action's due date: "due-1" (its parts "due-1-day" …).
func DueField(row int) string { return "due-" + strconv.Itoa(row) }

// MeetingInput is an attendance or behaviour meeting as the form gives it.
type MeetingInput struct {
	Kind MeetingKind
	// IncidentID is the behaviour incident the meeting is about; 0 for none.
	IncidentID int64
	HeldOn     calendar.Date
	Attendees  Attendees
	// StudentAttended is nil until the form says whether the student attended.
	StudentAttended *bool
	CompletedBy     CompletedBy
	Concerns        string
	Actions         []ActionInput
	NextMeeting     calendar.Date
	// Token is the form's one-time token: the same form sent twice records one meeting.
	Token string
}

// CompletedByFor is who completes the record when the principal records it: a monitoring officer
// completes it as the Monitoring Officer; provider staff say whether one was present, so there is no
// answer for them until they do.
func CompletedByFor(p *auth.Principal) CompletedBy {
	if p != nil && p.Has(auth.MonitoringOfficer) {
		return ByMonitoringOfficer
	}
	return ""
}

// Problems says what is wrong with the meeting recorded by the principal about the placement, in the
// form's order. A monitoring officer completes the record as the Monitoring Officer; provider staff
// complete it only when no Monitoring Officer was present, and say so. The person completing it
// attended. Each action says what, has an owner from owners and a due date on or after the meeting.
func (in MeetingInput) Problems(pr *auth.Principal, p Placement, owners []Owner, today calendar.Date) input.Problems {
	var ps input.Problems
	add := func(field, msg string) { ps = append(ps, input.FieldProblem{Field: field, Message: msg}) }
	if !in.Kind.Valid() {
		add("kind", "Choose an attendance meeting or a behaviour meeting")
	}
	recordDate(&ps, "held", "meeting", in.HeldOn, p, today)
	switch {
	case pr != nil && pr.Has(auth.MonitoringOfficer):
		if in.CompletedBy != ByMonitoringOfficer {
			add("completed_by", "A CAP Monitoring Officer recording the meeting completes its record as the Monitoring Officer")
		}
	case in.CompletedBy == ByProvider:
	case in.CompletedBy == ByMonitoringOfficer:
		add("completed_by", "When a CAP Monitoring Officer is at the meeting, they complete the record: ask them to record it. "+
			"The provider completes it only when no Monitoring Officer is present")
	default:
		add("completed_by", "Say whether a CAP Monitoring Officer was at the meeting")
	}
	for _, f := range []struct{ field, who, text string }{
		{"provider", "from the provider", in.Attendees.Provider}, {"school", "from the school", in.Attendees.School},
		{"cap", "from CAP", in.Attendees.CAP}, {"parent", "as the parent or carer", in.Attendees.Parent},
	} {
		if tooLong(f.text, MaxShort) {
			add(f.field, fmt.Sprintf("Who attended %s must be %d characters or fewer", f.who, MaxShort))
		}
	}
	if in.CompletedBy == ByProvider && strings.TrimSpace(in.Attendees.Provider) == "" {
		add("provider", "Enter who attended from the provider: the provider is completing the record")
	}
	if in.CompletedBy == ByMonitoringOfficer && strings.TrimSpace(in.Attendees.CAP) == "" {
		add("cap", "Enter the CAP Monitoring Officer who attended: they are completing the record")
	}
	if in.StudentAttended == nil {
		add("student", "Say whether the student attended")
	}
	switch {
	case strings.TrimSpace(in.Concerns) == "":
		add("concerns", "Enter the concerns discussed")
	case tooLong(in.Concerns, MaxText):
		add("concerns", fmt.Sprintf("The concerns must be %d characters or fewer", MaxText))
	}
	for _, ac := range in.Actions {
		n := strconv.Itoa(ac.Row)
		switch {
		case strings.TrimSpace(ac.Action) == "":
			add(ActionField(ac.Row), "Enter what action "+n+" is")
		case tooLong(ac.Action, MaxShort):
			add(ActionField(ac.Row), fmt.Sprintf("Action %s must be %d characters or fewer", n, MaxShort))
		}
		switch {
		case ac.OwnerID == 0:
			add(OwnerField(ac.Row), "Choose who owns action "+n)
		case !slices.ContainsFunc(owners, func(o Owner) bool { return o.UserID == ac.OwnerID }):
			add(OwnerField(ac.Row), "Choose the owner of action "+n+" from the list")
		}
		switch {
		case ac.Due.IsZero():
			add(DueField(ac.Row), "Enter the date action "+n+" is due")
		case !in.HeldOn.IsZero() && ac.Due.Before(in.HeldOn):
			add(DueField(ac.Row), "Action "+n+" must be due on or after the meeting, "+in.HeldOn.Format())
		}
	}
	if !in.NextMeeting.IsZero() && !in.HeldOn.IsZero() && !in.NextMeeting.After(in.HeldOn) {
		add("next", "The next meeting must be after this one, "+in.HeldOn.Format())
	}
	return ps
}

// ErrIncidentNotFound is returned for a meeting about an incident that is not the placement's, or a
// meeting about an incident that is not a behaviour meeting.
var ErrIncidentNotFound = errors.New("that incident is not one of the placement's")

// Action is one of a meeting's agreed actions.
type Action struct {
	ID        int64
	MeetingID int64
	Action    string
	OwnerID   int64
	OwnerName string
	Due       calendar.Date
	DoneAt    time.Time // zero while open
	DoneBy    string
}

// Done reports whether the owner has marked the action done.
func (a Action) Done() bool { return !a.DoneAt.IsZero() }

// Overdue reports whether the action is open after its due date.
func (a Action) Overdue(today calendar.Date) bool { return !a.Done() && a.Due.Before(today) }

// Meeting is an attendance or behaviour meeting as recorded, with its actions.
type Meeting struct {
	ID          int64
	PlacementID int64
	Kind        MeetingKind
	IncidentID  int64
	HeldOn      calendar.Date
	Attendees   Attendees
	CompletedBy CompletedBy
	Concerns    string
	NextMeeting calendar.Date
	RecordedAt  time.Time
	RecordedBy  string
	Actions     []Action
}

// Open counts the actions not done yet, and of those the overdue ones.
func (m Meeting) Open(today calendar.Date) (open, overdue int) {
	for _, a := range m.Actions {
		if !a.Done() {
			open++
			if a.Overdue(today) {
				overdue++
			}
		}
	}
	return open, overdue
}

// RecordMeeting records an attendance or behaviour meeting with its agreed actions, as completed
// during it by the CAP Monitoring Officer or by the provider when no Monitoring Officer was present
// (see MeetingInput.Problems). Each action's owner is told, without the student's details. The same
// form (its Token) sent twice records one meeting: created is false the second time.
func (s Store) RecordMeeting(ctx context.Context, a Actor, placementID int64, in MeetingInput) (Meeting, bool, error) {
	var out Meeting
	var created bool
	now := s.Clock.Now()
	err := db.InTx(ctx, s.DB, func(tx pgx.Tx) error {
		p, err := s.loadForRecord(ctx, tx, a, placementID, func(pr *auth.Principal, p Placement) bool { return RecordsMeetings(pr, p.ProviderID) })
		if err != nil {
			return err
		}
		if in.IncidentID != 0 {
			var found bool
			if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM behaviour_incidents WHERE id = $1 AND placement_id = $2)`,
				in.IncidentID, p.ID).Scan(&found); err != nil {
				return fmt.Errorf("read incident: %w", err)
			}
			if !found || in.Kind != BehaviourMeeting {
				return ErrIncidentNotFound
			}
		}
		owners, err := actionOwners(ctx, tx, p)
		if err != nil {
			return err
		}
		if ps := in.Problems(a.Principal, p, owners, calendar.DateOf(now)); len(ps) > 0 {
			return ps
		}
		att := in.Attendees
		att.Provider, att.School, att.CAP, att.Parent = strings.TrimSpace(att.Provider), strings.TrimSpace(att.School),
			strings.TrimSpace(att.CAP), strings.TrimSpace(att.Parent)
		att.Student = *in.StudentAttended
		body, err := json.Marshal(att)
		if err != nil {
			return fmt.Errorf("attendees: %w", err)
		}
		var incident *int64
		if in.IncidentID != 0 {
			incident = &in.IncidentID
		}
		var next *calendar.Date
		if !in.NextMeeting.IsZero() {
			next = &in.NextMeeting
		}
		var id int64
		err = tx.QueryRow(ctx, `INSERT INTO monitoring_meetings (placement_id, kind, incident_id, held_on, attendees, completed_by,
				concerns, next_meeting, recorded_at, recorded_by, form_token)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (form_token) DO NOTHING RETURNING id`,
			p.ID, string(in.Kind), incident, in.HeldOn, body, string(in.CompletedBy), strings.TrimSpace(in.Concerns), next,
			now, a.userID(), tokenArg(in.Token)).Scan(&id)
		if errors.Is(err, pgx.ErrNoRows) {
			list, err := meetingsWhere(ctx, tx, `m.form_token = $1 AND m.placement_id = $2`, tokenArg(in.Token), p.ID)
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
			return fmt.Errorf("record meeting: %w", err)
		}
		if len(in.Actions) > 0 {
			texts, ownerIDs, dues := make([]string, len(in.Actions)), make([]int64, len(in.Actions)), make([]calendar.Date, len(in.Actions))
			for i, ac := range in.Actions {
				texts[i], ownerIDs[i], dues[i] = strings.TrimSpace(ac.Action), ac.OwnerID, ac.Due
			}
			if _, err := tx.Exec(ctx, `INSERT INTO meeting_actions (meeting_id, action, owner_id, due_on)
				SELECT $1, u.action, u.owner_id, u.due_on FROM unnest($2::text[], $3::bigint[], $4::date[]) WITH ORDINALITY AS u(action, owner_id, due_on, n)
				ORDER BY u.n`, id, texts, ownerIDs, dues); err != nil {
				return fmt.Errorf("record actions: %w", err)
			}
		}
		if err := audit.On(tx).Write(ctx, audit.Entry{At: now, ActorUserID: a.userIDPtr(), ActorEmail: a.email(),
			Action: ActionMeeting, SubjectType: "placement", SubjectID: fmt.Sprint(p.ID),
			Summary: fmt.Sprintf("Recorded the %s of %s (completed by %s) with %d agreed actions", strings.ToLower(in.Kind.Label()),
				in.HeldOn.Format(), strings.ReplaceAll(string(in.CompletedBy), "_", " "), len(in.Actions)),
			Details: map[string]any{"meeting": id, "referral": p.Reference, "incident": in.IncidentID}, RequestID: a.RequestID}); err != nil {
			return err
		}
		list, err := meetingsWhere(ctx, tx, `m.id = $1`, id)
		if err != nil {
			return err
		}
		out, created = list[0], true
		if s.Outbox != nil {
			for _, ac := range out.Actions {
				// The email says what to do and when, never whose placement it is: the link shows that.
				msg := notify.Message{Kind: "placement.meeting_action",
					Subject: "An action from " + article(in.Kind) + " " + strings.ToLower(in.Kind.Label()) + " is yours, due " + ac.Due.Format(),
					Body: "You own an action agreed at " + article(in.Kind) + " " + strings.ToLower(in.Kind.Label()) + " on " + in.HeldOn.Format() +
						", due on " + ac.Due.Format() + ". Open the meeting in the portal to see it, and mark it done there when it is.",
					Link: MeetingURL(id)}
				if err := s.Outbox.Queue(ctx, tx, now, notify.Users(ac.OwnerID), msg, a.userID()); err != nil {
					return err
				}
			}
		}
		return nil
	})
	return out, created, err
}

func article(k MeetingKind) string {
	if k == AttendanceMeeting {
		return "an"
	}
	return "a"
}

// MeetingURL is where a meeting's page is.
func MeetingURL(id int64) string { return "/meetings/" + strconv.FormatInt(id, 10) }

const selectMeeting = `SELECT m.id, m.placement_id, m.kind, coalesce(m.incident_id, 0), m.held_on, m.attendees, m.completed_by,
	m.concerns, m.next_meeting, m.recorded_at, u.name FROM monitoring_meetings m JOIN users u ON u.id = m.recorded_by`

// meetingsWhere reads the meetings matching cond (alias m), newest first, with their actions.
func meetingsWhere(ctx context.Context, q db.DBTX, cond string, args ...any) ([]Meeting, error) {
	rows, err := q.Query(ctx, selectMeeting+` WHERE `+cond+` ORDER BY m.held_on DESC, m.id DESC`, args...)
	if err != nil {
		return nil, fmt.Errorf("read meetings: %w", err)
	}
	list, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (Meeting, error) {
		var m Meeting
		var kind, by string
		var attendees []byte
		var next *calendar.Date
		if err := row.Scan(&m.ID, &m.PlacementID, &kind, &m.IncidentID, &m.HeldOn, &attendees, &by, &m.Concerns, &next,
			&m.RecordedAt, &m.RecordedBy); err != nil {
			return m, err
		}
		m.Kind, m.CompletedBy = MeetingKind(kind), CompletedBy(by)
		if next != nil {
			m.NextMeeting = *next
		}
		if err := json.Unmarshal(attendees, &m.Attendees); err != nil {
			return m, fmt.Errorf("meeting %d attendees: %w", m.ID, err)
		}
		return m, nil
	})
	if err != nil {
		return nil, fmt.Errorf("read meetings: %w", err)
	}
	if len(list) == 0 {
		return list, nil
	}
	ids := make([]int64, len(list))
	at := map[int64]int{}
	for i, m := range list {
		ids[i], at[m.ID] = m.ID, i
	}
	actions, err := collectActions(q.Query(ctx, selectAction+` WHERE a.meeting_id = ANY($1) ORDER BY a.meeting_id, a.id`, ids))
	if err != nil {
		return nil, err
	}
	for _, ac := range actions {
		i := at[ac.MeetingID]
		list[i].Actions = append(list[i].Actions, ac)
	}
	return list, nil
}

const selectAction = `SELECT a.id, a.meeting_id, a.action, a.owner_id, o.name, a.due_on, a.done_at, coalesce(d.name, '')
	FROM meeting_actions a JOIN users o ON o.id = a.owner_id LEFT JOIN users d ON d.id = a.done_by`

func collectActions(rows pgx.Rows, err error) ([]Action, error) {
	if err != nil {
		return nil, fmt.Errorf("read actions: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (Action, error) {
		var a Action
		var done *time.Time
		err := row.Scan(&a.ID, &a.MeetingID, &a.Action, &a.OwnerID, &a.OwnerName, &a.Due, &done, &a.DoneBy)
		if done != nil {
			a.DoneAt = *done
		}
		return a, err
	})
	if err != nil {
		return nil, fmt.Errorf("read actions: %w", err)
	}
	return out, nil
}

// ViewMeeting returns a meeting with its actions and its placement, if the actor may see the
// placement (db.ErrNotFound otherwise), and records the view in the audit log: the page names the student.
func (s Store) ViewMeeting(ctx context.Context, a Actor, id int64) (Meeting, Placement, error) {
	var placementID int64
	var kind string
	var held calendar.Date
	err := s.DB.QueryRow(ctx, `SELECT placement_id, kind, held_on FROM monitoring_meetings WHERE id = $1`, id).Scan(&placementID, &kind, &held)
	if errors.Is(err, pgx.ErrNoRows) {
		return Meeting{}, Placement{}, db.ErrNotFound
	}
	if err != nil {
		return Meeting{}, Placement{}, fmt.Errorf("read meeting: %w", err)
	}
	p, err := s.View(ctx, a, placementID, fmt.Sprintf("%s of %s (meeting %d)", strings.ToLower(MeetingKind(kind).Label()), held.Format(), id))
	if err != nil {
		return Meeting{}, p, err
	}
	list, err := meetingsWhere(ctx, s.DB, `m.id = $1`, id)
	if err != nil {
		return Meeting{}, p, err
	}
	if len(list) == 0 {
		return Meeting{}, p, db.ErrNotFound
	}
	return list[0], p, nil
}

// ErrNotOwner is returned when someone other than an action's owner marks it done.
var ErrNotOwner = errors.New("only the action's owner marks it done")

// MarkActionDone marks the action done by its owner. Marking an action already done changes nothing.
// db.ErrNotFound when the actor may not see the meeting's placement.
func (s Store) MarkActionDone(ctx context.Context, a Actor, actionID int64) (Action, error) {
	var out Action
	now := s.Clock.Now()
	err := db.InTx(ctx, s.DB, func(tx pgx.Tx) error {
		var placementID int64
		err := tx.QueryRow(ctx, `SELECT m.placement_id FROM meeting_actions a JOIN monitoring_meetings m ON m.id = a.meeting_id
			WHERE a.id = $1 FOR UPDATE OF a`, actionID).Scan(&placementID)
		if errors.Is(err, pgx.ErrNoRows) {
			return db.ErrNotFound
		}
		if err != nil {
			return fmt.Errorf("read action: %w", err)
		}
		p, err := Store{DB: tx, Clock: s.Clock}.Get(ctx, a, placementID)
		if err != nil {
			return err
		}
		list, err := collectActions(tx.Query(ctx, selectAction+` WHERE a.id = $1`, actionID))
		if err != nil {
			return err
		}
		out = list[0]
		if out.OwnerID != a.userID() {
			return ErrNotOwner
		}
		if out.Done() {
			return nil
		}
		if _, err := tx.Exec(ctx, `UPDATE meeting_actions SET done_at = $2, done_by = $3 WHERE id = $1`, actionID, now, a.userID()); err != nil {
			return fmt.Errorf("mark action done: %w", err)
		}
		if err := audit.On(tx).Write(ctx, audit.Entry{At: now, ActorUserID: a.userIDPtr(), ActorEmail: a.email(),
			Action: ActionMeetingActionDo, SubjectType: "placement", SubjectID: fmt.Sprint(p.ID),
			Summary: "Marked done an action due " + out.Due.Format(),
			Details: map[string]any{"action": actionID, "meeting": out.MeetingID, "referral": p.Reference}, RequestID: a.RequestID}); err != nil {
			return err
		}
		list, err = collectActions(tx.Query(ctx, selectAction+` WHERE a.id = $1`, actionID))
		if err != nil {
			return err
		}
		out = list[0]
		return nil
	})
	return out, err
}
