package app

import (
	"context"
	"io"
	"log/slog"
	"net"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
	"github.com/jackc/pgx/v5"

	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/db"
	"github.com/coventry-cap/capportal/internal/db/dbtest"
	"github.com/coventry-cap/capportal/internal/notify"
)

// inbox is a real SMTP server on loopback that keeps what it is sent.
type inbox struct {
	mu   sync.Mutex
	data []string
	rcpt []string
}

func (b *inbox) messages() ([]string, []string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]string(nil), b.data...), append([]string(nil), b.rcpt...)
}

type inboxSession struct{ b *inbox }

func (s inboxSession) Mail(string, *smtp.MailOptions) error { return nil }
func (s inboxSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.b.mu.Lock()
	defer s.b.mu.Unlock()
	s.b.rcpt = append(s.b.rcpt, to)
	return nil
}
func (s inboxSession) Data(r io.Reader) error {
	d, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.b.mu.Lock()
	defer s.b.mu.Unlock()
	s.b.data = append(s.b.data, string(d))
	return nil
}
func (s inboxSession) Reset()        {}
func (s inboxSession) Logout() error { return nil }

func startInbox(t *testing.T) (*inbox, int) {
	t.Helper()
	b := &inbox{}
	srv := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return inboxSession{b}, nil }))
	srv.Domain = "localhost"
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	return b, ln.Addr().(*net.TCPAddr).Port
}

type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// Serve starts River beside the web server and sends queued notifications through the configured
// SMTP server, with links on the configured base URL; shutting down stops it cleanly.
func TestServeSendsQueuedNotificationsThroughSMTP(t *testing.T) {
	pool, dbURL := dbtest.New(t)
	box, port := startInbox(t)
	cfg, err := LoadConfig(env(map[string]string{
		"DATABASE_URL":  dbURL,
		"CAP_ADDR":      "127.0.0.1:0",
		"CAP_BASE_URL":  "https://cap.coventry.example",
		"CAP_SMTP_HOST": "127.0.0.1",
		"CAP_SMTP_PORT": strconv.Itoa(port),
		"CAP_SMTP_TLS":  "none",
		"CAP_SMTP_FROM": "CAP Portal <cap-portal@coventry.example>",
	}))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	var userID int64
	if err := pool.QueryRow(ctx, `INSERT INTO users (email, name, password_hash) VALUES ('jo.tester@school.example', 'Jo Tester', 'x') RETURNING id`).Scan(&userID); err != nil {
		t.Fatal(err)
	}

	logs := &syncBuffer{}
	logger := slog.New(slog.NewJSONHandler(logs, nil))
	serveCtx, stop := context.WithCancel(ctx)
	defer stop()
	ready := make(chan string, 1)
	done := make(chan error, 1)
	go func() { done <- Serve(serveCtx, cfg, logger, calendar.System{}, func(addr string) { ready <- addr }) }()
	select {
	case <-ready:
	case err := <-done:
		t.Fatalf("serve stopped at once: %v", err)
	case <-time.After(15 * time.Second):
		t.Fatal("serve did not start")
	}

	// Another process (here, an unstarted client) queues a notification; the serving one sends it.
	client, err := notify.NewClient(pool, &notify.MemoryMailer{}, slog.New(slog.DiscardHandler), notify.ClientOptions{BaseURL: cfg.BaseURL})
	if err != nil {
		t.Fatal(err)
	}
	m := notify.Message{Kind: "test.event", Subject: "Something needs you", Body: "A thing happened.", Link: "/referrals/7"}
	if err := db.InTx(ctx, pool, func(tx pgx.Tx) error {
		return notify.NewOutbox(client).Queue(ctx, tx, time.Now(), notify.Users(userID), m)
	}); err != nil {
		t.Fatal(err)
	}

	deadline := time.Now().Add(15 * time.Second)
	var data, rcpt []string
	for time.Now().Before(deadline) {
		if data, rcpt = box.messages(); len(data) > 0 {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if len(data) != 1 || len(rcpt) != 1 || rcpt[0] != "jo.tester@school.example" {
		t.Fatalf("SMTP server got %d messages to %v, want one to jo.tester@school.example", len(data), rcpt)
	}
	if !strings.Contains(data[0], "Subject: Something needs you") || !strings.Contains(data[0], "https://cap.coventry.example/referrals/7") {
		t.Errorf("message lacks the subject or the absolute link:\n%s", data[0])
	}

	stop()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve returned %v on shutdown", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not stop")
	}
	if strings.Contains(logs.String(), "jo.tester") {
		t.Errorf("the log names the recipient:\n%s", logs.String())
	}
	if !strings.Contains(logs.String(), `"msg":"email sent"`) {
		t.Errorf("the log does not record the email being sent:\n%s", logs.String())
	}
}
