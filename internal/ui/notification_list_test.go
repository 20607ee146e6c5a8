package ui_test

import (
	"context"
	"net/http"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/jackc/pgx/v5"

	"github.com/coventry-cap/capportal/internal/browsertest"
	"github.com/coventry-cap/capportal/internal/db"
	"github.com/coventry-cap/capportal/internal/notify"
	"github.com/coventry-cap/capportal/internal/testapp"
)

const (
	notifyCoordinator = "coordinator@whitmore.school.example"
	notifyAdmin       = "admin@cap.example"
)

func userIDByEmail(t *testing.T, a *testapp.App, email string) int64 {
	t.Helper()
	var id int64
	if err := a.Pool.QueryRow(context.Background(), `SELECT id FROM users WHERE email = $1`, email).Scan(&id); err != nil {
		t.Fatalf("user %s: %v", email, err)
	}
	return id
}

// notifyUser queues a notification for one person the way a domain package does: in a transaction.
func notifyUser(t *testing.T, a *testapp.App, userID int64, subject, link string) {
	t.Helper()
	m := notify.Message{Kind: "test.event", Subject: subject, Body: "Something happened that needs you.", Link: link}
	err := db.InTx(context.Background(), a.Pool, func(tx pgx.Tx) error {
		return a.Server.Outbox.Queue(context.Background(), tx, a.Clock.Now(), notify.Users(userID), m)
	})
	if err != nil {
		t.Fatalf("queue notification: %v", err)
	}
}

type listedNotification struct {
	ID      string
	Subject string
	Unread  bool
}

func listedNotifications(doc *goquery.Document) []listedNotification {
	var out []listedNotification
	doc.Find(`[data-testid="notification"]`).Each(func(_ int, s *goquery.Selection) {
		id, _ := s.Attr("data-id")
		unread, _ := s.Attr("data-unread")
		out = append(out, listedNotification{
			ID:      id,
			Subject: strings.TrimSpace(s.Find("th a, th button").First().Text()),
			Unread:  unread == "true",
		})
	})
	return out
}

func notificationsNavText(doc *goquery.Document) string {
	return strings.Join(strings.Fields(doc.Find(`.govuk-service-navigation__link[href="/notifications"]`).Text()), " ")
}

func TestNotificationsListReadAndReadAll(t *testing.T) {
	a := testapp.New(t)
	coordID, adminID := userIDByEmail(t, a, notifyCoordinator), userIDByEmail(t, a, notifyAdmin)
	notifyUser(t, a, coordID, "First thing to do", "/students")
	notifyUser(t, a, coordID, "Second thing to do", "/directory")
	notifyUser(t, a, adminID, "For the admin only", "/admin/users")

	c := a.Client(t)
	// Signed out, the page asks for sign-in.
	if r := c.Get("/notifications"); r.StatusCode != http.StatusSeeOther || !strings.HasPrefix(r.Location(), "/login") {
		t.Fatalf("signed out: %d to %q, want a redirect to sign in", r.StatusCode, r.Location())
	}
	c.SignIn(notifyCoordinator)

	if got := notificationsNavText(mustGet(t, c, "/")); got != "Notifications (2 unread)" {
		t.Errorf("navigation shows %q, want Notifications (2 unread)", got)
	}
	doc := mustGet(t, c, "/notifications")
	list := listedNotifications(doc)
	if len(list) != 2 || list[0].Subject != "Second thing to do" || list[1].Subject != "First thing to do" || !list[0].Unread || !list[1].Unread {
		t.Fatalf("listed %+v, want both of the coordinator's, newest first, unread", list)
	}
	if doc.Find(`form[action="/notifications/read-all"] button`).Length() != 1 {
		t.Error("no Mark all as read button while two are unread")
	}
	if strings.Contains(doc.Text(), "For the admin only") {
		t.Error("the coordinator sees the admin's notification")
	}

	// Opening one marks it read and follows its link.
	r := c.Post("/notifications/"+list[1].ID+"/read", nil)
	if r.StatusCode != http.StatusSeeOther || r.Location() != "/students" {
		t.Fatalf("open: %d to %q, want 303 to /students", r.StatusCode, r.Location())
	}
	doc = mustGet(t, c, "/notifications")
	list = listedNotifications(doc)
	if len(list) != 2 || !list[0].Unread || list[1].Unread {
		t.Fatalf("after opening the first: %+v, want only the second unread", list)
	}
	if href, _ := doc.Find(`[data-id="` + list[1].ID + `"] th a`).Attr("href"); href != "/students" {
		t.Errorf("a read notification links to %q, want /students", href)
	}
	if got := notificationsNavText(doc); got != "Notifications (1 unread)" {
		t.Errorf("navigation shows %q after reading one", got)
	}

	// Someone else's notification is not found, and stays unread.
	var adminNote string
	if err := a.Pool.QueryRow(context.Background(), `SELECT id::text FROM notifications WHERE user_id = $1`, adminID).Scan(&adminNote); err != nil {
		t.Fatal(err)
	}
	if r := c.Post("/notifications/"+adminNote+"/read", nil); r.StatusCode != http.StatusNotFound {
		t.Errorf("opening another person's notification: %d, want 404", r.StatusCode)
	}
	for _, bad := range []string{"0", "x", "999999999"} {
		if r := c.Post("/notifications/"+bad+"/read", nil); r.StatusCode != http.StatusNotFound {
			t.Errorf("opening notification %q: %d, want 404", bad, r.StatusCode)
		}
	}
	if n, _ := notify.On(a.Pool).UnreadCount(context.Background(), adminID); n != 1 {
		t.Errorf("the admin's notification was marked read by the coordinator (unread %d)", n)
	}

	// Mark all as read.
	r = c.Post("/notifications/read-all", nil)
	if r.StatusCode != http.StatusSeeOther || r.Location() != "/notifications" {
		t.Fatalf("read all: %d to %q", r.StatusCode, r.Location())
	}
	doc = mustGet(t, c, "/notifications")
	if text, ok := banner(doc); !ok || !strings.Contains(text, "marked as read") {
		t.Errorf("banner after read all: %q success=%v", text, ok)
	}
	for _, n := range listedNotifications(doc) {
		if n.Unread {
			t.Errorf("%q still unread after Mark all as read", n.Subject)
		}
	}
	if got := notificationsNavText(doc); got != "Notifications" {
		t.Errorf("navigation shows %q with nothing unread", got)
	}
	if doc.Find(`form[action="/notifications/read-all"]`).Length() != 0 {
		t.Error("Mark all as read offered with nothing unread")
	}
	// A GET cannot mark anything read.
	if r := c.Get("/notifications/read-all"); r.StatusCode != http.StatusMethodNotAllowed && r.StatusCode != http.StatusNotFound {
		t.Errorf("GET /notifications/read-all: %d", r.StatusCode)
	}

	// Each queued notification was emailed to its person, with the link made absolute and nothing
	// more than the message.
	emails := a.WaitForEmails(t, 3)
	if len(emails) != 3 {
		t.Fatalf("%d emails, want 3", len(emails))
	}
	for _, e := range emails {
		if !strings.HasPrefix(e.Link, a.URL+"/") || !strings.Contains(e.Body, e.Link) {
			t.Errorf("email %q links to %q, want a link on %s in the body", e.Subject, e.Link, a.URL)
		}
		if e.To == notifyAdmin && e.Subject != "For the admin only" {
			t.Errorf("the admin was emailed %q", e.Subject)
		}
	}
}

func TestNotificationsPageWithNothingAndOlderPages(t *testing.T) {
	a := testapp.New(t)
	c := a.Client(t)
	c.SignIn(notifyCoordinator)
	doc := mustGet(t, c, "/notifications")
	if doc.Find(`[data-testid="no-notifications"]`).Length() != 1 {
		t.Error("an empty list does not say there are no notifications")
	}

	coordID := userIDByEmail(t, a, notifyCoordinator)
	for i := range 30 {
		notifyUser(t, a, coordID, "Event "+strconv.Itoa(i+1), "/students")
	}
	doc = mustGet(t, c, "/notifications")
	list := listedNotifications(doc)
	if len(list) != 25 || list[0].Subject != "Event 30" {
		t.Fatalf("first page has %d, starting %+v; want 25 starting with Event 30", len(list), list[0])
	}
	next, _ := doc.Find(".govuk-pagination__next a").Attr("href")
	if next == "" {
		t.Fatal("no link to older notifications")
	}
	doc = mustGet(t, c, next)
	list = listedNotifications(doc)
	if len(list) != 5 || list[0].Subject != "Event 5" || list[4].Subject != "Event 1" {
		t.Errorf("older page %+v, want Event 5 to Event 1", list)
	}
	if doc.Find(".govuk-pagination__next").Length() != 0 {
		t.Error("the last page offers older notifications")
	}
	if prev, _ := doc.Find(".govuk-pagination__prev a").Attr("href"); prev != "/notifications" {
		t.Errorf("older page links back to %q, want /notifications", prev)
	}
	// Anything unread anywhere can be marked read from an older page too.
	if doc.Find(`form[action="/notifications/read-all"]`).Length() != 1 {
		t.Error("no Mark all as read on the older page")
	}
}

// In a real browser with axe: the list, opening a notification, and marking all read.
func TestNotificationsPageWorksInABrowserAndPassesAxe(t *testing.T) {
	a := testapp.New(t)
	b := browsertest.New(t)
	if os.Getenv("CAP_SCREENSHOTS") == "" {
		b.ScreenshotDir = t.TempDir()
	}
	coordID := userIDByEmail(t, a, notifyCoordinator)
	notifyUser(t, a, coordID, "A referral needs your answer", "/students")
	notifyUser(t, a, coordID, "A placement starts on Monday", "/directory")
	b.Visit(a.URL + "/login")
	b.Fill("#email", notifyCoordinator)
	b.Fill("#password", testapp.Password)
	b.Submit("form[action='/login'] button")

	b.Visit(a.URL + "/notifications")
	b.Screenshot("notifications")
	if got := b.Text(".govuk-service-navigation__list"); !strings.Contains(got, "2 unread") {
		t.Errorf("navigation %q lacks the unread count", got)
	}
	b.Submit(`[data-testid="notification"] form`)
	if !strings.HasSuffix(b.URL(), "/directory") {
		t.Errorf("opening the newest notification went to %s, want /directory", b.URL())
	}
	b.Visit(a.URL + "/notifications")
	b.Submit(`form[action="/notifications/read-all"]`)
	if !strings.Contains(b.Text(".govuk-notification-banner"), "marked as read") {
		t.Errorf("banner: %q", b.Text(".govuk-notification-banner"))
	}
	if strings.Contains(b.Text("#main-content"), "Unread") {
		t.Error("a notification is still unread after marking all read")
	}
}
