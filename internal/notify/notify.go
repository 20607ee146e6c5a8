// Package notify tells people what happened and where they must act next: an in-app notification
// and an email for each recipient, written in the same transaction as the change they announce (a
// transactional outbox on River's job queue), and sent by a River worker through a Mailer.
//
// Neither an email nor an in-app notification carries a student's details: only what happened and
// a link to the page that shows the details to whoever may see them.
package notify

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"

	"github.com/coventry-cap/capportal/internal/auth"
	"github.com/coventry-cap/capportal/internal/db"
)

// Message is what happened and where to act. Subject and Body must never carry a student's details
// (no name, date of birth, UPN or anything else that identifies a child): email leaves the portal's
// access controls, so it says only what happened ("A referral was submitted by Whitmore School") and
// the Link leads to the page that shows the rest to those allowed to see it.
type Message struct {
	Kind    string // what kind of event: lower case, such as referral.submitted
	Subject string // one line, shown as the notification's title and the email's subject
	Body    string // plain text: what happened and what to do next
	Link    string // a path on this site, such as /referrals/42
}

// MaxSubjectLen bounds a subject so it fits an email subject line and a list row.
const MaxSubjectLen = 200

// Validate reports a message the outbox must refuse: these are mistakes in the calling code, never
// something a user typed.
func (m Message) Validate() error {
	switch {
	case !validKind(m.Kind):
		return fmt.Errorf("notification kind %q must be lower-case letters, digits, '_' and '.'", m.Kind)
	case strings.TrimSpace(m.Subject) == "":
		return errors.New("notification subject is empty")
	case len(m.Subject) > MaxSubjectLen:
		return fmt.Errorf("notification subject is longer than %d bytes", MaxSubjectLen)
	case strings.ContainsFunc(m.Subject, unicode.IsControl):
		// A line break in a subject would become a header injection in the email.
		return errors.New("notification subject contains a control character")
	case strings.ContainsRune(m.Body, 0):
		return errors.New("notification body contains a NUL byte")
	}
	return validLink(m.Link)
}

// validKind matches the database's check: a lower-case letter, then letters, digits, '_' and '.'.
func validKind(k string) bool {
	if k == "" || k[0] < 'a' || k[0] > 'z' {
		return false
	}
	for _, c := range k {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '.') {
			return false
		}
	}
	return true
}

// validLink accepts only a path on this site: an absolute URL or a protocol-relative one ("//evil")
// in an email would send people elsewhere.
func validLink(link string) error {
	if !strings.HasPrefix(link, "/") || strings.HasPrefix(link, "//") || strings.ContainsAny(link, "\\") ||
		strings.ContainsFunc(link, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) {
		return fmt.Errorf("notification link %q must be a path on this site, such as /referrals/42", link)
	}
	return nil
}

// Audience is who a notification goes to, resolved inside the transaction that queues it so it sees
// the same memberships the change did. Deactivated users never receive anything.
type Audience interface {
	userIDs(ctx context.Context, q db.DBTX) ([]int64, error)
}

type usersAudience []int64

// Users is the named people, if their accounts are active.
func Users(ids ...int64) Audience { return usersAudience(ids) }

func (a usersAudience) userIDs(ctx context.Context, q db.DBTX) ([]int64, error) {
	if len(a) == 0 {
		return nil, nil
	}
	return collectIDs(q.Query(ctx, `SELECT id FROM users WHERE id = ANY($1) AND active`, []int64(a)))
}

type roleAtAudience struct {
	orgID int64
	roles []auth.Role
}

// RoleAt is the active people who hold any of the roles at one organisation (a school's
// coordinators, a provider's staff).
func RoleAt(orgID int64, roles ...auth.Role) Audience {
	return roleAtAudience{orgID: orgID, roles: roles}
}

func (a roleAtAudience) userIDs(ctx context.Context, q db.DBTX) ([]int64, error) {
	if len(a.roles) == 0 {
		return nil, nil
	}
	return collectIDs(q.Query(ctx, `
		SELECT DISTINCT u.id FROM memberships m JOIN users u ON u.id = m.user_id
		WHERE m.organisation_id = $1 AND m.role = ANY($2) AND u.active`, a.orgID, roleStrings(a.roles)))
}

type capRoleAudience []auth.Role

// CAPRole is the active people who hold any of the roles at the local authority (CAP admins,
// monitoring officers…).
func CAPRole(roles ...auth.Role) Audience { return capRoleAudience(roles) }

func (a capRoleAudience) userIDs(ctx context.Context, q db.DBTX) ([]int64, error) {
	if len(a) == 0 {
		return nil, nil
	}
	return collectIDs(q.Query(ctx, `
		SELECT DISTINCT u.id FROM memberships m
		JOIN organisations o ON o.id = m.organisation_id
		JOIN users u ON u.id = m.user_id
		WHERE o.kind = 'la' AND m.role = ANY($1) AND u.active`, roleStrings(a)))
}

type unionAudience []Audience

// Union is everyone in any of the audiences; a person in several gets one notification.
func Union(audiences ...Audience) Audience { return unionAudience(audiences) }

func (a unionAudience) userIDs(ctx context.Context, q db.DBTX) ([]int64, error) {
	var all []int64
	for _, sub := range a {
		if sub == nil {
			continue
		}
		ids, err := sub.userIDs(ctx, q)
		if err != nil {
			return nil, err
		}
		all = append(all, ids...)
	}
	return all, nil
}

func roleStrings(roles []auth.Role) []string {
	out := make([]string, len(roles))
	for i, r := range roles {
		out[i] = string(r)
	}
	return out
}

func collectIDs(rows pgx.Rows, err error) ([]int64, error) {
	if err != nil {
		return nil, fmt.Errorf("resolve notification audience: %w", err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return nil, fmt.Errorf("resolve notification audience: %w", err)
	}
	return ids, nil
}

// Outbox queues notifications inside the caller's transaction: the in-app rows and the email jobs
// commit with the change they announce, or vanish with it on rollback.
type Outbox struct {
	river *river.Client[pgx.Tx]
}

// NewOutbox returns an outbox that inserts email jobs through the River client (which need not be
// started in this process: any started client on the same database works them).
func NewOutbox(client *river.Client[pgx.Tx]) *Outbox { return &Outbox{river: client} }

// Client is the River client the outbox inserts with, for the application to start and stop.
func (o *Outbox) Client() *river.Client[pgx.Tx] { return o.river }

// Queue notifies everyone in the audience except the people in except (the person who did the
// action needs no message about it): one in-app notification and one email job each, in tx.
// It does nothing when nobody is left to tell.
func (o *Outbox) Queue(ctx context.Context, tx pgx.Tx, now time.Time, to Audience, m Message, except ...int64) error {
	if err := m.Validate(); err != nil {
		return err
	}
	if to == nil {
		return errors.New("notification has no audience")
	}
	ids, err := to.userIDs(ctx, tx)
	if err != nil {
		return err
	}
	slices.Sort(ids)
	ids = slices.Compact(ids)
	ids = slices.DeleteFunc(ids, func(id int64) bool { return slices.Contains(except, id) })
	if len(ids) == 0 {
		return nil
	}
	rows, err := tx.Query(ctx, `
		INSERT INTO notifications (user_id, created_at, kind, subject, body, link)
		SELECT u, $2, $3, $4, $5, $6 FROM unnest($1::bigint[]) AS u
		RETURNING id`, ids, now, m.Kind, m.Subject, m.Body, m.Link)
	if err != nil {
		return fmt.Errorf("insert notifications: %w", err)
	}
	notificationIDs, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return fmt.Errorf("insert notifications: %w", err)
	}
	jobs := make([]river.InsertManyParams, len(notificationIDs))
	for i, id := range notificationIDs {
		jobs[i] = river.InsertManyParams{Args: EmailArgs{NotificationID: id}}
	}
	if _, err := o.river.InsertManyTx(ctx, tx, jobs); err != nil {
		return fmt.Errorf("queue notification emails: %w", err)
	}
	return nil
}
