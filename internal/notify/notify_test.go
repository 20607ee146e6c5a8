package notify_test

import (
	"context"
	"errors"
	"log/slog"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"

	"github.com/coventry-cap/capportal/internal/auth"
	"github.com/coventry-cap/capportal/internal/db"
	"github.com/coventry-cap/capportal/internal/db/dbtest"
	"github.com/coventry-cap/capportal/internal/notify"
)

var (
	now  = time.Date(2026, time.November, 23, 9, 30, 0, 0, time.UTC)
	base = &url.URL{Scheme: "https", Host: "cap.example"}
	msg  = notify.Message{
		Kind:    "referral.submitted",
		Subject: "A referral is waiting for CAP review",
		Body:    "Whitmore School submitted a Tier 1 referral. Review the pack and send it to the provider.",
		Link:    "/referrals/42",
	}
)

func discardLogger() *slog.Logger { return slog.New(slog.DiscardHandler) }

// fixture is a small world of organisations and people, with fictional names.
type fixture struct {
	pool              *pgxpool.Pool
	la, whitmore, oak int64
	users             map[string]int64
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	pool, _ := dbtest.New(t)
	f := &fixture{pool: pool, users: map[string]int64{}}
	f.la = f.org(t, "la", "cap-test", "CAP")
	f.whitmore = f.org(t, "school", "whitmore-test", "Whitmore School")
	f.oak = f.org(t, "school", "oak-test", "Oak Academy")
	f.user(t, "admin", true, mem{f.la, auth.CAPAdmin})
	f.user(t, "admin-gone", false, mem{f.la, auth.CAPAdmin})
	f.user(t, "officer", true, mem{f.la, auth.MonitoringOfficer})
	f.user(t, "coord", true, mem{f.whitmore, auth.Coordinator})
	f.user(t, "coord-actor", true, mem{f.whitmore, auth.Coordinator})
	f.user(t, "head", true, mem{f.whitmore, auth.Headteacher}, mem{f.whitmore, auth.Coordinator})
	f.user(t, "dsl", true, mem{f.whitmore, auth.SchoolDSL})
	f.user(t, "oak-coord", true, mem{f.oak, auth.Coordinator})
	// A panel member who sits at the LA is not a CAP admin.
	f.user(t, "panel", true, mem{f.la, auth.PanelMember})
	return f
}

type mem struct {
	org  int64
	role auth.Role
}

func (f *fixture) org(t *testing.T, kind, slug, name string) int64 {
	t.Helper()
	var id int64
	if err := f.pool.QueryRow(context.Background(),
		`INSERT INTO organisations (kind, slug, name) VALUES ($1, $2, $3) RETURNING id`, kind, slug, name).Scan(&id); err != nil {
		t.Fatalf("organisation %s: %v", slug, err)
	}
	return id
}

func (f *fixture) user(t *testing.T, key string, active bool, ms ...mem) int64 {
	t.Helper()
	ctx := context.Background()
	var id int64
	if err := f.pool.QueryRow(ctx, `INSERT INTO users (email, name, password_hash, active) VALUES ($1, $2, 'x', $3) RETURNING id`,
		key+"@people.example", "Test "+key, active).Scan(&id); err != nil {
		t.Fatalf("user %s: %v", key, err)
	}
	for _, m := range ms {
		if _, err := f.pool.Exec(ctx, `INSERT INTO memberships (user_id, organisation_id, role) VALUES ($1, $2, $3)`, id, m.org, string(m.role)); err != nil {
			t.Fatalf("membership %s %s: %v", key, m.role, err)
		}
	}
	f.users[key] = id
	return id
}

func (f *fixture) ids(keys ...string) []int64 {
	out := make([]int64, len(keys))
	for i, k := range keys {
		out[i] = f.users[k]
	}
	slices.Sort(out)
	return out
}

// outbox is an outbox on an unstarted client: jobs are inserted, never worked.
func (f *fixture) outbox(t *testing.T, mailer notify.Mailer) (*notify.Outbox, *river.Client[pgx.Tx]) {
	t.Helper()
	if mailer == nil {
		mailer = &notify.MemoryMailer{}
	}
	client, err := notify.NewClient(f.pool, mailer, discardLogger(), notify.ClientOptions{BaseURL: base, TestOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	return notify.NewOutbox(client), client
}

func (f *fixture) queue(t *testing.T, o *notify.Outbox, to notify.Audience, m notify.Message, except ...int64) {
	t.Helper()
	err := db.InTx(context.Background(), f.pool, func(tx pgx.Tx) error {
		return o.Queue(context.Background(), tx, now, to, m, except...)
	})
	if err != nil {
		t.Fatalf("queue: %v", err)
	}
}

// stored returns every notification row, in ID order.
func (f *fixture) stored(t *testing.T) []notify.Notification {
	t.Helper()
	rows, err := f.pool.Query(context.Background(), `SELECT id, user_id, created_at, kind, subject, body, link, read_at FROM notifications ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	list, err := pgx.CollectRows(rows, pgx.RowToStructByPos[notify.Notification])
	if err != nil {
		t.Fatal(err)
	}
	return list
}

// emailJobs returns the notification IDs of the queued email jobs, sorted.
func (f *fixture) emailJobs(t *testing.T) []int64 {
	t.Helper()
	rows, err := f.pool.Query(context.Background(), `SELECT (args->>'notification_id')::bigint FROM river_job WHERE kind = $1 ORDER BY 1`, notify.EmailJobKind)
	if err != nil {
		t.Fatal(err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		t.Fatal(err)
	}
	return ids
}

func recipients(list []notify.Notification) []int64 {
	var out []int64
	for _, n := range list {
		out = append(out, n.UserID)
	}
	slices.Sort(out)
	return out
}

func TestQueueWritesOneNotificationAndOneEmailJobPerRecipient(t *testing.T) {
	f := newFixture(t)
	o, _ := f.outbox(t, nil)
	// The school's coordinators and headteacher, CAP's admins, and two named people, one of them
	// deactivated; the head is in two of the audiences and the actor is excluded.
	to := notify.Union(
		notify.RoleAt(f.whitmore, auth.Coordinator, auth.Headteacher),
		notify.CAPRole(auth.CAPAdmin),
		notify.Users(f.users["head"], f.users["admin-gone"]),
	)
	f.queue(t, o, to, msg, f.users["coord-actor"])

	list := f.stored(t)
	if got, want := recipients(list), f.ids("admin", "coord", "head"); !slices.Equal(got, want) {
		t.Fatalf("notified users %v, want %v (admin, coord, head)", got, want)
	}
	var ids []int64
	for _, n := range list {
		ids = append(ids, n.ID)
		if n.Kind != msg.Kind || n.Subject != msg.Subject || n.Body != msg.Body || n.Link != msg.Link {
			t.Errorf("notification stored as %+v, want the message as given %+v", n, msg)
		}
		if !n.CreatedAt.Equal(now) || n.ReadAt != nil {
			t.Errorf("notification created %v read %v, want created %v and unread", n.CreatedAt, n.ReadAt, now)
		}
	}
	if got := f.emailJobs(t); !slices.Equal(got, ids) {
		t.Errorf("email jobs for notifications %v, want one for each of %v", got, ids)
	}
}

func TestAudiencesSkipOtherRolesOrganisationsAndDeactivatedPeople(t *testing.T) {
	f := newFixture(t)
	o, _ := f.outbox(t, nil)
	cases := []struct {
		name string
		to   notify.Audience
		want []string
	}{
		{"a role at a school", notify.RoleAt(f.whitmore, auth.Coordinator), []string{"coord", "coord-actor", "head"}},
		{"a role at another school", notify.RoleAt(f.oak, auth.Coordinator, auth.Headteacher), []string{"oak-coord"}},
		{"a deactivated CAP admin is skipped", notify.CAPRole(auth.CAPAdmin), []string{"admin"}},
		{"two CAP roles", notify.CAPRole(auth.CAPAdmin, auth.MonitoringOfficer), []string{"admin", "officer"}},
		{"a school role is not a CAP role", notify.CAPRole(auth.Coordinator), nil},
		{"named people, active only", notify.Users(f.users["dsl"], f.users["admin-gone"], f.users["oak-coord"]), []string{"dsl", "oak-coord"}},
		{"no roles", notify.CAPRole(), nil},
		{"nobody named", notify.Users(), nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := f.pool.Exec(context.Background(), `DELETE FROM notifications`); err != nil {
				t.Fatal(err)
			}
			f.queue(t, o, tc.to, msg)
			if got, want := recipients(f.stored(t)), f.ids(tc.want...); !slices.Equal(got, want) {
				t.Errorf("notified %v, want %v (%v)", got, want, tc.want)
			}
		})
	}
}

func TestQueueRolledBackLeavesNoNotificationAndNoEmail(t *testing.T) {
	f := newFixture(t)
	o, _ := f.outbox(t, nil)
	failure := errors.New("the change failed after queueing")
	err := db.InTx(context.Background(), f.pool, func(tx pgx.Tx) error {
		if err := o.Queue(context.Background(), tx, now, notify.CAPRole(auth.CAPAdmin, auth.MonitoringOfficer), msg); err != nil {
			return err
		}
		return failure
	})
	if !errors.Is(err, failure) {
		t.Fatalf("InTx returned %v", err)
	}
	if n := len(f.stored(t)); n != 0 {
		t.Errorf("%d notifications survived the rollback", n)
	}
	if n := len(f.emailJobs(t)); n != 0 {
		t.Errorf("%d email jobs survived the rollback", n)
	}
}

func TestQueueWithNobodyToTellWritesNothing(t *testing.T) {
	f := newFixture(t)
	o, _ := f.outbox(t, nil)
	f.queue(t, o, notify.Users(f.users["coord-actor"]), msg, f.users["coord-actor"])
	if n := len(f.stored(t)); n != 0 {
		t.Errorf("the actor alone was excluded, yet %d notifications were written", n)
	}
}

func TestQueueRefusesMessagesThatCouldMislead(t *testing.T) {
	f := newFixture(t)
	o, _ := f.outbox(t, nil)
	with := func(change func(*notify.Message)) notify.Message {
		m := msg
		change(&m)
		return m
	}
	cases := map[string]notify.Message{
		"absolute link":          with(func(m *notify.Message) { m.Link = "https://evil.example/x" }),
		"protocol-relative link": with(func(m *notify.Message) { m.Link = "//evil.example/x" }),
		"backslash link":         with(func(m *notify.Message) { m.Link = `/\evil.example` }),
		"link with a space":      with(func(m *notify.Message) { m.Link = "/referrals/1 2" }),
		"empty link":             with(func(m *notify.Message) { m.Link = "" }),
		"empty subject":          with(func(m *notify.Message) { m.Subject = "  " }),
		"subject with a newline": with(func(m *notify.Message) { m.Subject = "Hi\r\nBcc: someone@evil.example" }),
		"long subject":           with(func(m *notify.Message) { m.Subject = strings.Repeat("x", notify.MaxSubjectLen+1) }),
		"empty kind":             with(func(m *notify.Message) { m.Kind = "" }),
		"kind with capitals":     with(func(m *notify.Message) { m.Kind = "Referral" }),
	}
	for name, m := range cases {
		t.Run(name, func(t *testing.T) {
			err := db.InTx(context.Background(), f.pool, func(tx pgx.Tx) error {
				return o.Queue(context.Background(), tx, now, notify.CAPRole(auth.CAPAdmin), m)
			})
			if err == nil {
				t.Errorf("queued %+v", m)
			}
		})
	}
	if n := len(f.stored(t)); n != 0 {
		t.Errorf("%d notifications written for refused messages", n)
	}
}

func TestInAppListReadAndCount(t *testing.T) {
	f := newFixture(t)
	o, _ := f.outbox(t, nil)
	ctx := context.Background()
	coord, head := f.users["coord"], f.users["head"]
	for i := range 5 {
		m := msg
		m.Subject = "Event " + string(rune('A'+i))
		f.queue(t, o, notify.Users(coord), m)
	}
	f.queue(t, o, notify.Users(head), msg)

	first, more, err := notify.On(f.pool).List(ctx, coord, 0, 3)
	if err != nil {
		t.Fatal(err)
	}
	if subjects(first) != "Event E,Event D,Event C" || !more {
		t.Fatalf("first page %q more=%v, want the newest three and more", subjects(first), more)
	}
	rest, more, err := notify.On(f.pool).List(ctx, coord, first[2].ID, 3)
	if err != nil {
		t.Fatal(err)
	}
	if subjects(rest) != "Event B,Event A" || more {
		t.Fatalf("second page %q more=%v, want the oldest two and no more", subjects(rest), more)
	}

	if n, err := notify.On(f.pool).UnreadCount(ctx, coord); err != nil || n != 5 {
		t.Fatalf("unread %d %v, want 5", n, err)
	}
	read, err := notify.On(f.pool).MarkRead(ctx, coord, first[0].ID, now.Add(time.Hour))
	if err != nil || read.ReadAt == nil || !read.ReadAt.Equal(now.Add(time.Hour)) || read.Link != msg.Link {
		t.Fatalf("MarkRead: %+v %v", read, err)
	}
	// Reading it again keeps the first time it was read.
	again, err := notify.On(f.pool).MarkRead(ctx, coord, first[0].ID, now.Add(2*time.Hour))
	if err != nil || !again.ReadAt.Equal(now.Add(time.Hour)) {
		t.Errorf("second MarkRead moved read_at to %v (%v)", again.ReadAt, err)
	}
	if n, _ := notify.On(f.pool).UnreadCount(ctx, coord); n != 4 {
		t.Errorf("unread after reading one: %d, want 4", n)
	}

	// Someone else's notification is not found, and stays unread.
	headList, _, _ := notify.On(f.pool).List(ctx, head, 0, 10)
	if len(headList) != 1 {
		t.Fatalf("head has %d notifications, want 1", len(headList))
	}
	if _, err := notify.On(f.pool).MarkRead(ctx, coord, headList[0].ID, now); !errors.Is(err, db.ErrNotFound) {
		t.Errorf("marking another person's notification: %v, want db.ErrNotFound", err)
	}
	if _, err := notify.On(f.pool).Get(ctx, coord, headList[0].ID); !errors.Is(err, db.ErrNotFound) {
		t.Errorf("getting another person's notification: %v, want db.ErrNotFound", err)
	}

	n, err := notify.On(f.pool).MarkAllRead(ctx, coord, now)
	if err != nil || n != 4 {
		t.Errorf("MarkAllRead marked %d (%v), want 4", n, err)
	}
	if n, _ := notify.On(f.pool).UnreadCount(ctx, coord); n != 0 {
		t.Errorf("unread after marking all: %d", n)
	}
	if n, _ := notify.On(f.pool).UnreadCount(ctx, head); n != 1 {
		t.Errorf("marking all of coord's read changed head's unread count to %d", n)
	}
}

func TestUnreadCountStopsAtTheCap(t *testing.T) {
	f := newFixture(t)
	coord := f.users["coord"]
	if _, err := f.pool.Exec(context.Background(), `
		INSERT INTO notifications (user_id, created_at, kind, subject, link)
		SELECT $1, $2, 'test', 'Event', '/' FROM generate_series(1, 150)`, coord, now); err != nil {
		t.Fatal(err)
	}
	if n, err := notify.On(f.pool).UnreadCount(context.Background(), coord); err != nil || n != notify.UnreadCap+1 {
		t.Errorf("unread count %d (%v), want it capped at %d", n, err, notify.UnreadCap+1)
	}
}

func subjects(list []notify.Notification) string {
	var s []string
	for _, n := range list {
		s = append(s, n.Subject)
	}
	return strings.Join(s, ",")
}

func TestComposeEmailIsTheMessageAndTheLinkAndNothingElse(t *testing.T) {
	n := notify.Notification{Kind: msg.Kind, Subject: msg.Subject, Body: msg.Body, Link: msg.Link}
	for _, b := range []string{"https://cap.example", "https://cap.example/", "https://council.example/cap"} {
		u, _ := url.Parse(b)
		e := notify.ComposeEmail("coord@people.example", n, u)
		wantLink := strings.TrimSuffix(b, "/") + "/referrals/42"
		if e.Link != wantLink {
			t.Errorf("base %s: link %q, want %q", b, e.Link, wantLink)
		}
		if e.To != "coord@people.example" || e.Subject != msg.Subject || e.Kind != msg.Kind {
			t.Errorf("email %+v does not carry the notification's recipient, subject and kind", e)
		}
		// The body is the message's body, the link and a fixed footer: nothing from anywhere else.
		rest, ok := strings.CutPrefix(e.Body, msg.Body+"\n\n"+wantLink+"\n\n")
		if !ok {
			t.Fatalf("body does not start with the message and the link:\n%s", e.Body)
		}
		if strings.Contains(rest, "/") || strings.ContainsAny(rest, "0123456789") {
			t.Errorf("footer carries more than a fixed sentence: %q", rest)
		}
	}
}

func TestLogMailerLogsNoAddress(t *testing.T) {
	var buf strings.Builder
	m := notify.LogMailer{Logger: slog.New(slog.NewJSONHandler(&buf, nil))}
	e := notify.ComposeEmail("priya.example-person@whitmore.school.example", notify.Notification{Kind: msg.Kind, Subject: msg.Subject, Body: msg.Body, Link: msg.Link}, base)
	if err := m.Send(context.Background(), e); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if strings.Contains(out, "priya") {
		t.Errorf("the log names the recipient: %s", out)
	}
	for _, want := range []string{`"msg":"email"`, msg.Subject, "https://cap.example/referrals/42", "whitmore.school.example", msg.Kind} {
		if !strings.Contains(out, want) {
			t.Errorf("log lacks %q: %s", want, out)
		}
	}
}
