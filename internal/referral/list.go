package referral

import (
	"cmp"
	"context"
	"encoding/base64"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/coventry-cap/capportal/internal/audit"
	"github.com/coventry-cap/capportal/internal/db"
	"github.com/coventry-cap/capportal/internal/directory"
	"github.com/coventry-cap/capportal/internal/pathway"
	"github.com/coventry-cap/capportal/internal/student"
)

// Sort orders of the referrals list.
const (
	SortNewest  = "newest"  // most recently started first
	SortOldest  = "oldest"  // longest ago first
	SortWaiting = "waiting" // longest at its current step first
)

// ListFilter narrows the referrals list. Zero values mean "any".
type ListFilter struct {
	Step pathway.Step
	// Steps keeps referrals at any of these steps (as well as Step, when both are set): packs
	// waiting for a provider's response are at pack sent or interview arranged.
	Steps      []pathway.Step
	Kind       directory.Kind
	Tier       int
	SchoolID   int64
	ProviderID int64
	// SchoolIDs and ProviderIDs, when not nil, keep the referrals of any of those schools or
	// providers (a name typed in the filter may match several); an empty, non-nil one keeps none.
	SchoolIDs, ProviderIDs []int64
	StudentID              int64
	// WaitingBefore keeps referrals that reached their step before this instant (the age filter).
	WaitingBefore time.Time
	// DraftSchools are the schools whose drafts are included: those the viewer coordinates, as
	// only coordinators can open a draft. Other referrals are listed from their submission.
	DraftSchools []int64
	Sort         string
	After        string // the cursor of the last row of the previous page
}

// Summary is one row of the referrals list.
type Summary struct {
	ID           int64
	Reference    string
	StudentName  string
	SchoolName   string
	Programme    string
	Kind         directory.Kind
	Tier         int
	ProviderName string
	PathwayID    string
	Step         pathway.Step
	StepSince    time.Time
	CreatedAt    time.Time
	Cursor       string
}

// Key is the row's referral key.
func (s Summary) Key() string {
	if s.Reference != "" {
		return s.Reference
	}
	return fmt.Sprintf("draft-%d", s.ID)
}

// StepTitle names the row's step as its pathway does.
func (s Summary) StepTitle() string {
	if p, ok := pathway.ByID(s.PathwayID); ok {
		return p.Info(s.Step).Title
	}
	return string(s.Step)
}

// List returns one page of the referrals the actor may see, and whether there are more. Pages are
// keyset-paged on the sort's own index order, so a page costs the same wherever it is.
//
// A list shows students by name, so it is recorded in the audit log with the referrals it showed.
func (s Store) List(ctx context.Context, a Actor, f ListFilter, limit int) ([]Summary, bool, error) {
	list, more, err := s.list(ctx, a, f, limit)
	if err != nil {
		return nil, false, err
	}
	if err := s.auditListed(ctx, a, "the referrals list", list); err != nil {
		return nil, false, err
	}
	return list, more, nil
}

// auditListed records that the actor was shown these referrals on a page.
func (s Store) auditListed(ctx context.Context, a Actor, page string, shown ...[]Summary) error {
	var refs []string
	for _, list := range shown {
		for _, x := range list {
			refs = append(refs, x.Key())
		}
	}
	if len(refs) == 0 {
		return nil
	}
	err := audit.On(s.DB).Write(ctx, audit.Entry{
		At: s.Clock.Now(), ActorUserID: ptr(a.userID()), ActorEmail: email(a), Action: ActionListed,
		SubjectType: "referral", Summary: fmt.Sprintf("Shown %d referrals on %s", len(refs), page),
		Details: map[string]any{"page": page, "shown": refs}, RequestID: a.RequestID,
	})
	if err != nil {
		return fmt.Errorf("audit list: %w", err)
	}
	return nil
}

// list is List without the audit entry, for lists put together from several (the work queue).
func (s Store) list(ctx context.Context, a Actor, f ListFilter, limit int) ([]Summary, bool, error) {
	sql, args, ok := listQuery(a, f, limit)
	if !ok {
		return nil, false, nil
	}
	rows, err := s.DB.Query(ctx, sql, args...)
	if err != nil {
		return nil, false, fmt.Errorf("list referrals: %w", err)
	}
	return readList(rows, limit)
}

// stepName is what a step's name is made of, so one can be written into a statement as it is.
var stepName = regexp.MustCompile(`^[a-z_]+$`)

// listQuery is the statement that reads one page of a list (limit+1 rows, to know whether there
// are more); ok is false when the actor may see nothing or the cursor is not one List wrote.
func listQuery(a Actor, f ListFilter, limit int) (string, []any, bool) {
	sc := ScopeFor(a.Principal)
	if sc.Empty() {
		return "", nil, false
	}
	where, args := scopeSQL(sc, 1)
	// One school's whole list (a coordinator's) is written with the school as an equality, so that
	// the generic plan walks referrals_school_idx in the list's order: "= ANY" of one school cannot
	// give that order (PostgreSQL 15), and the plan walked every school's newest referrals to find
	// the school's own (about 6,000 rows at scale factor 10, make bench). Lists of a step keep
	// scopeSQL's form: with the equality their generic plan hashes every student.
	if !sc.All && !sc.Panel && len(sc.Providers) == 0 && len(sc.Schools) == 1 && f.Step == "" && len(f.Steps) == 0 && f.Sort != SortWaiting {
		where, args = "r.school_id = $1", []any{sc.Schools[0]}
	}
	conds := []string{where}
	add := func(cond string, v any) {
		args = append(args, v)
		conds = append(conds, strings.ReplaceAll(cond, "?", "$"+strconv.Itoa(len(args))))
	}
	if len(f.DraftSchools) == 0 {
		conds = append(conds, "r.step <> 'draft'")
	} else {
		add("(r.step <> 'draft' OR r.school_id = ANY(?))", f.DraftSchools)
	}
	if f.Step != "" {
		add("r.step = ?", string(f.Step))
	}
	if len(f.Steps) > 0 {
		names := make([]string, len(f.Steps))
		literal := true
		for i, st := range f.Steps {
			names[i] = string(st)
			literal = literal && stepName.MatchString(names[i])
		}
		// Steps named in the code are written into the statement, so that its generic plan knows
		// them: then a school's steps in progress are read from referrals_school_open_idx (a
		// coordinator's "needs you now", make bench: 7 ms to 2 ms at scale factor 1), not from every
		// referral the school made.
		if literal {
			conds = append(conds, "r.step = ANY('{"+strings.Join(names, ",")+"}'::text[])")
		} else {
			add("r.step = ANY(?)", names)
		}
	}
	if f.Kind != "" {
		add("p.kind = ?", f.Kind)
	}
	if f.Tier != 0 {
		add("p.tier = ?", f.Tier)
	}
	if f.SchoolID != 0 {
		add("r.school_id = ?", f.SchoolID)
	}
	if f.ProviderID != 0 {
		add("r.provider_id = ?", f.ProviderID)
	}
	if f.SchoolIDs != nil {
		add("r.school_id = ANY(?)", f.SchoolIDs)
	}
	if f.ProviderIDs != nil {
		add("r.provider_id = ANY(?)", f.ProviderIDs)
	}
	if f.StudentID != 0 {
		add("r.student_id = ?", f.StudentID)
	}
	if !f.WaitingBefore.IsZero() {
		add("r.step_since < ?", f.WaitingBefore)
	}
	order := "r.id DESC"
	switch f.Sort {
	case SortOldest:
		order = "r.id ASC"
	case SortWaiting:
		order = "r.step_since ASC, r.id ASC"
	}
	if f.After != "" {
		at, id, ok := decodeCursor(f.After)
		if !ok {
			return "", nil, false
		}
		switch f.Sort {
		case SortOldest:
			add("r.id > ?", id)
		case SortWaiting:
			args = append(args, at, id)
			conds = append(conds, fmt.Sprintf("(r.step_since, r.id) > ($%d, $%d)", len(args)-1, len(args)))
		default:
			add("r.id < ?", id)
		}
	}
	// The limit is written into the statement, not passed as an argument: PostgreSQL plans a
	// statement with a parameter LIMIT as if it might return a tenth of the table, never reuses that
	// plan, and so plans the list afresh on every page (see db.go's note on plans).
	sql := `SELECT r.id, coalesce(r.reference, ''), st.legal_first_name, st.legal_last_name, st.preferred_first_name,
		st.preferred_last_name, sc.name, coalesce(r.programme_snapshot->>'name', p.name), p.kind, p.tier, coalesce(pv.name, ''),
		r.pathway, r.step, r.step_since, r.created_at
		FROM referrals r
		JOIN students st ON st.id = r.student_id
		JOIN organisations sc ON sc.id = r.school_id
		JOIN programmes p ON p.id = r.programme_id
		LEFT JOIN organisations pv ON pv.id = r.provider_id
		WHERE ` + strings.Join(conds, " AND ") + ` ORDER BY ` + order + fmt.Sprintf(` LIMIT %d`, max(limit, 0)+1)
	return sql, args, true
}

// readList reads a list's rows: the first limit, and whether there were more.
func readList(rows pgx.Rows, limit int) ([]Summary, bool, error) {
	list, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (Summary, error) {
		var x Summary
		var d student.Details
		var step string
		err := row.Scan(&x.ID, &x.Reference, &d.LegalFirstName, &d.LegalLastName, &d.PreferredFirstName, &d.PreferredLastName,
			&x.SchoolName, &x.Programme, &x.Kind, &x.Tier, &x.ProviderName, &x.PathwayID, &step, &x.StepSince, &x.CreatedAt)
		x.StudentName = d.Name()
		x.Step = pathway.Step(step)
		x.Cursor = encodeCursor(x.StepSince, x.ID)
		return x, err
	})
	if err != nil {
		return nil, false, fmt.Errorf("read referrals: %w", err)
	}
	more := len(list) > limit
	if more {
		list = list[:limit]
	}
	return list, more, nil
}

// CursorOK reports whether s is a cursor List can read, so a page can treat a mangled one as the
// first page rather than as an empty list.
func CursorOK(s string) bool {
	_, _, ok := decodeCursor(s)
	return ok
}

func encodeCursor(t time.Time, id int64) string {
	return base64.RawURLEncoding.EncodeToString([]byte(strconv.FormatInt(t.UnixMicro(), 10) + "." + strconv.FormatInt(id, 10)))
}

func decodeCursor(s string) (time.Time, int64, bool) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return time.Time{}, 0, false
	}
	ts, ids, ok := strings.Cut(string(b), ".")
	if !ok {
		return time.Time{}, 0, false
	}
	us, err1 := strconv.ParseInt(ts, 10, 64)
	id, err2 := strconv.ParseInt(ids, 10, 64)
	if err1 != nil || err2 != nil {
		return time.Time{}, 0, false
	}
	return time.UnixMicro(us), id, true
}

// Queue is CAP's work: referrals waiting for review, packs waiting for a response, responses to
// process, declines to resolve, and training records to set up.
type Queue struct {
	Review, AwaitingResponse, ToProcess, Declines, ToSetUp []Summary
	// Counts are at most QueueCountCap+1 a step: more than QueueCountCap means "at least that many".
	Counts map[pathway.Step]int
}

// QueueCountCap is the most referrals the work queue counts at a step ("99+" beyond it, as the
// navigation's unread count has it): the tile says there is a lot to do, and the step's list shows it.
const QueueCountCap = 99

// WorkQueue returns CAP's work queue: the counts of each step CAP acts on, and the oldest few of each.
func (s Store) WorkQueue(ctx context.Context, a Actor, perList int) (Queue, error) {
	q := Queue{Counts: map[pathway.Step]int{}}
	if !ScopeFor(a.Principal).All {
		return q, nil
	}
	steps := []pathway.Step{pathway.Submitted, pathway.PackSent, pathway.InterviewArranged, pathway.ResponseReceived,
		pathway.ExploringAlternatives, pathway.StartConfirmed}
	names := make([]string, len(steps))
	for i, st := range steps {
		names[i] = string(st)
	}
	// The counts and each step's oldest few go to the server as one batch (one round trip, not
	// seven). Each step's count stops at QueueCountCap+1 (the dashboard then says "99+"), so the
	// queue's cost does not grow with the number of referrals waiting. The oldest few are one query
	// a step, each on referrals_step_waiting_idx (step, step_since, id): a query for several steps
	// at once would walk every referral in waiting order to find a rare step's few.
	b := &pgx.Batch{}
	b.Queue(`SELECT s.step, (SELECT count(*) FROM (SELECT 1 FROM referrals r WHERE r.step = s.step LIMIT `+strconv.Itoa(QueueCountCap+1)+`) x)
		FROM unnest($1::text[]) AS s(step)`, names).Query(func(rows pgx.Rows) error {
		for rows.Next() {
			var st string
			var n int
			if err := rows.Scan(&st, &n); err != nil {
				return fmt.Errorf("read queue count: %w", err)
			}
			q.Counts[pathway.Step(st)] = n
		}
		return rows.Err()
	})
	oldest := map[pathway.Step][]Summary{}
	for _, st := range steps {
		sql, args, ok := listQuery(a, ListFilter{Step: st, Sort: SortWaiting}, perList)
		if !ok {
			continue
		}
		b.Queue(sql, args...).Query(func(rows pgx.Rows) error {
			list, _, err := readList(rows, perList)
			oldest[st] = list
			return err
		})
	}
	if err := db.SendBatch(ctx, s.DB, b); err != nil {
		return q, fmt.Errorf("work queue: %w", err)
	}
	// A pack waits on the provider until its response arrives, whether or not the interview date is
	// known yet: the two steps are one list, in waiting order.
	merge := func(steps ...pathway.Step) []Summary {
		var all []Summary
		for _, st := range steps {
			all = append(all, oldest[st]...)
		}
		slices.SortFunc(all, func(x, y Summary) int {
			if c := x.StepSince.Compare(y.StepSince); c != 0 {
				return c
			}
			return cmp.Compare(x.ID, y.ID)
		})
		return all[:min(len(all), perList)]
	}
	q.Review = merge(pathway.Submitted)
	q.AwaitingResponse = merge(pathway.PackSent, pathway.InterviewArranged)
	q.ToProcess = merge(pathway.ResponseReceived)
	q.Declines = merge(pathway.ExploringAlternatives)
	q.ToSetUp = merge(pathway.StartConfirmed)
	if err := s.auditListed(ctx, a, "CAP's work queues", q.Review, q.AwaitingResponse, q.ToProcess, q.Declines, q.ToSetUp); err != nil {
		return q, err
	}
	return q, nil
}

// CountForSchool counts a school's referrals in progress and its drafts, for its dashboard, from
// referrals_school_open_idx (the referrals not yet placed or closed, migration 0031).
func (s Store) CountForSchool(ctx context.Context, schoolID int64) (open int, drafts int, err error) {
	err = s.DB.QueryRow(ctx, `SELECT count(*) FILTER (WHERE step <> 'draft'), count(*) FILTER (WHERE step = 'draft')
		FROM referrals WHERE school_id = $1 AND step NOT IN ('placement_active', 'closed', 'transfer_outcome')`, schoolID).Scan(&open, &drafts)
	if err != nil {
		err = fmt.Errorf("count school referrals: %w", err)
	}
	return open, drafts, err
}
