package notify_test

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"io"
	"math/big"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/coventry-cap/capportal/internal/auth"
	"github.com/coventry-cap/capportal/internal/notify"
)

// received is one message an SMTP server in a test accepted.
type received struct {
	From   string
	To     []string
	Data   []byte
	Authed string // the username that signed in, if any
	TLS    bool
}

// smtpServer is a real SMTP server (emersion/go-smtp) on a loopback port.
type smtpServer struct {
	mu       sync.Mutex
	messages []received
	host     string
	port     int
	// rejectRcpt, when set, refuses every recipient with a reply naming the address, as real
	// servers do.
	rejectRcpt bool
	user, pass string // required credentials; empty: no sign-in needed
}

func startSMTP(t *testing.T, tlsConfig *tls.Config, configure func(*smtpServer)) *smtpServer {
	t.Helper()
	s := &smtpServer{}
	if configure != nil {
		configure(s)
	}
	srv := smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) {
		return &smtpSession{srv: s, conn: c}, nil
	}))
	srv.Domain = "localhost"
	srv.TLSConfig = tlsConfig
	srv.ReadTimeout, srv.WriteTimeout = 10*time.Second, 10*time.Second
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().(*net.TCPAddr)
	s.host, s.port = "127.0.0.1", addr.Port
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	return s
}

func (s *smtpServer) received() []received {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]received(nil), s.messages...)
}

type smtpSession struct {
	srv    *smtpServer
	conn   *smtp.Conn
	msg    received
	authed bool
}

func (s *smtpSession) AuthMechanisms() []string {
	if s.srv.user == "" {
		return nil
	}
	return []string{sasl.Plain}
}

func (s *smtpSession) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, username, password string) error {
		if username != s.srv.user || password != s.srv.pass {
			return errors.New("invalid credentials")
		}
		s.authed, s.msg.Authed = true, username
		return nil
	}), nil
}

func (s *smtpSession) Mail(from string, _ *smtp.MailOptions) error {
	if s.srv.user != "" && !s.authed {
		return smtp.ErrAuthRequired
	}
	s.msg.From = from
	return nil
}

func (s *smtpSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	if s.srv.rejectRcpt {
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "<" + to + "> no such mailbox"}
	}
	s.msg.To = append(s.msg.To, to)
	return nil
}

func (s *smtpSession) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	_, s.msg.TLS = s.conn.TLSConnectionState()
	s.msg.Data = b
	s.srv.mu.Lock()
	s.srv.messages = append(s.srv.messages, s.msg)
	s.srv.mu.Unlock()
	return nil
}

func (s *smtpSession) Reset()        { s.msg = received{Authed: s.msg.Authed} }
func (s *smtpSession) Logout() error { return nil }

// selfSignedTLS returns a server certificate for 127.0.0.1 and a client configuration that trusts it.
func selfSignedTLS(t *testing.T) (server, client *tls.Config) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "test SMTP server"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		IPAddresses:  []net.IP{net.ParseIP("127.0.0.1")},
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	roots := x509.NewCertPool()
	roots.AddCert(cert)
	return &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}, MinVersion: tls.VersionTLS12},
		&tls.Config{RootCAs: roots, MinVersion: tls.VersionTLS12}
}

// parse reads a received message as an email, decoding its body.
func parse(t *testing.T, data []byte) (*mail.Message, string) {
	t.Helper()
	m, err := mail.ReadMessage(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("received message is not an email: %v\n%s", err, data)
	}
	body, err := io.ReadAll(m.Body)
	if err != nil {
		t.Fatal(err)
	}
	if strings.EqualFold(m.Header.Get("Content-Transfer-Encoding"), "quoted-printable") {
		if body, err = io.ReadAll(quotedprintable.NewReader(bytes.NewReader(body))); err != nil {
			t.Fatal(err)
		}
	}
	return m, strings.ReplaceAll(string(body), "\r\n", "\n")
}

func testEmail() notify.Email {
	return notify.ComposeEmail("coord@whitmore.school.example",
		notify.Notification{Kind: msg.Kind, Subject: msg.Subject, Body: msg.Body, Link: msg.Link}, base)
}

func checkDelivered(t *testing.T, got received, e notify.Email) {
	t.Helper()
	if got.From != "cap-portal@coventry.example" || len(got.To) != 1 || got.To[0] != e.To {
		t.Errorf("envelope from %q to %v, want cap-portal@coventry.example to %s", got.From, got.To, e.To)
	}
	m, body := parse(t, got.Data)
	dec := new(mime.WordDecoder)
	subject, err := dec.DecodeHeader(m.Header.Get("Subject"))
	if err != nil {
		t.Fatal(err)
	}
	if subject != e.Subject {
		t.Errorf("subject %q, want %q", subject, e.Subject)
	}
	if m.Header.Get("To") != "<"+e.To+">" && m.Header.Get("To") != e.To {
		t.Errorf("To header %q", m.Header.Get("To"))
	}
	if !strings.Contains(m.Header.Get("From"), "cap-portal@coventry.example") {
		t.Errorf("From header %q", m.Header.Get("From"))
	}
	if strings.TrimSpace(body) != strings.TrimSpace(e.Body) {
		t.Errorf("body as received:\n%s\nwant exactly:\n%s", body, e.Body)
	}
	if !strings.Contains(body, msg.Body) || !strings.Contains(body, "https://cap.example/referrals/42") {
		t.Errorf("body lacks the message or the link:\n%s", body)
	}
}

func TestSMTPMailerSendsARealMessageWithoutTLS(t *testing.T) {
	srv := startSMTP(t, nil, nil)
	m, err := notify.NewSMTPMailer(notify.SMTPConfig{Host: srv.host, Port: srv.port, From: "CAP Portal <cap-portal@coventry.example>", TLS: notify.NoTLS, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	e := testEmail()
	if err := m.Send(context.Background(), e); err != nil {
		t.Fatalf("send: %v", err)
	}
	got := srv.received()
	if len(got) != 1 {
		t.Fatalf("server received %d messages, want 1", len(got))
	}
	checkDelivered(t, got[0], e)
}

func TestSMTPMailerSignsInOverSTARTTLS(t *testing.T) {
	serverTLS, clientTLS := selfSignedTLS(t)
	srv := startSMTP(t, serverTLS, func(s *smtpServer) { s.user, s.pass = "cap-portal", "s3cret pass" })
	cfg := notify.SMTPConfig{
		Host: srv.host, Port: srv.port, From: "cap-portal@coventry.example", TLS: notify.StartTLS,
		Username: "cap-portal", Password: "s3cret pass", TLSConfig: clientTLS, Timeout: 5 * time.Second,
	}
	m, err := notify.NewSMTPMailer(cfg)
	if err != nil {
		t.Fatal(err)
	}
	e := testEmail()
	if err := m.Send(context.Background(), e); err != nil {
		t.Fatalf("send: %v", err)
	}
	got := srv.received()
	if len(got) != 1 {
		t.Fatalf("server received %d messages, want 1", len(got))
	}
	if !got[0].TLS || got[0].Authed != "cap-portal" {
		t.Errorf("message arrived with TLS=%v signed in as %q, want TLS and cap-portal", got[0].TLS, got[0].Authed)
	}
	checkDelivered(t, got[0], e)

	// A wrong password is an error, and nothing is delivered.
	cfg.Password = "wrong"
	m, _ = notify.NewSMTPMailer(cfg)
	if err := m.Send(context.Background(), e); err == nil {
		t.Error("sent with a wrong password")
	}
	if n := len(srv.received()); n != 1 {
		t.Errorf("server has %d messages after the failed sign-in, want still 1", n)
	}
}

func TestSMTPMailerWillNotSendThePasswordUnencrypted(t *testing.T) {
	// The server offers no TLS but asks for a password: go-mail must refuse rather than send it in
	// the clear.
	srv := startSMTP(t, nil, func(s *smtpServer) { s.user, s.pass = "cap-portal", "secret" })
	m, err := notify.NewSMTPMailer(notify.SMTPConfig{Host: srv.host, Port: srv.port, From: "cap-portal@coventry.example", TLS: notify.StartTLS, Username: "cap-portal", Password: "secret", Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Send(context.Background(), testEmail()); err == nil {
		t.Error("sent over a server without STARTTLS although TLS is mandatory")
	}
	if n := len(srv.received()); n != 0 {
		t.Errorf("server received %d messages", n)
	}
}

func TestSMTPMailerErrorsDoNotNameTheRecipient(t *testing.T) {
	srv := startSMTP(t, nil, func(s *smtpServer) { s.rejectRcpt = true })
	m, err := notify.NewSMTPMailer(notify.SMTPConfig{Host: srv.host, Port: srv.port, From: "cap-portal@coventry.example", TLS: notify.NoTLS, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	err = m.Send(context.Background(), testEmail())
	if err == nil {
		t.Fatal("a rejected recipient was not an error")
	}
	if strings.Contains(err.Error(), "coord@") {
		t.Errorf("error names the recipient (River logs and stores it): %v", err)
	}
	if !strings.Contains(err.Error(), "[recipient]") {
		t.Errorf("error %q does not say which part failed", err)
	}
}

func TestNewSMTPMailerChecksItsSettings(t *testing.T) {
	good := notify.SMTPConfig{Host: "smtp.example", Port: 587, From: "cap@coventry.example", TLS: notify.StartTLS}
	if _, err := notify.NewSMTPMailer(good); err != nil {
		t.Fatalf("good settings refused: %v", err)
	}
	for name, change := range map[string]func(*notify.SMTPConfig){
		"no host":    func(c *notify.SMTPConfig) { c.Host = "" },
		"port 0":     func(c *notify.SMTPConfig) { c.Port = 0 },
		"bad TLS":    func(c *notify.SMTPConfig) { c.TLS = "ssl" },
		"bad sender": func(c *notify.SMTPConfig) { c.From = "not an address" },
	} {
		c := good
		change(&c)
		if _, err := notify.NewSMTPMailer(c); err == nil {
			t.Errorf("%s: accepted %+v", name, c)
		}
	}
}

// failingMailer fails every send.
type failingMailer struct{}

func (failingMailer) Send(context.Context, notify.Email) error { return errors.New("mail server down") }

func TestEmailWorkerSendsTheNotificationThroughTheMailer(t *testing.T) {
	f := newFixture(t)
	mailer := &notify.MemoryMailer{}
	o, client := f.outbox(t, mailer)
	ctx := context.Background()
	if err := client.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		stopCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = client.Stop(stopCtx)
	})
	f.queue(t, o, notify.RoleAt(f.whitmore, auth.Coordinator), msg, f.users["coord-actor"])

	deadline := time.Now().Add(10 * time.Second)
	for len(mailer.Sent()) < 2 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	sent := mailer.Sent()
	if len(sent) != 2 {
		t.Fatalf("%d emails sent, want 2 (coord and head)", len(sent))
	}
	to := map[string]bool{}
	for _, e := range sent {
		to[e.To] = true
		want := notify.ComposeEmail(e.To, notify.Notification{Kind: msg.Kind, Subject: msg.Subject, Body: msg.Body, Link: msg.Link}, base)
		if e != want {
			t.Errorf("sent %+v\nwant exactly %+v", e, want)
		}
	}
	if !to["coord@people.example"] || !to["head@people.example"] {
		t.Errorf("emails went to %v", to)
	}
}

func TestEmailWorkerSkipsDeactivatedPeopleAndReportsMailerFailures(t *testing.T) {
	f := newFixture(t)
	o, _ := f.outbox(t, nil)
	ctx := context.Background()
	f.queue(t, o, notify.Users(f.users["coord"], f.users["head"]), msg)
	list := f.stored(t)
	if len(list) != 2 {
		t.Fatalf("%d notifications", len(list))
	}
	byUser := map[int64]int64{}
	for _, n := range list {
		byUser[n.UserID] = n.ID
	}
	job := func(id int64) *river.Job[notify.EmailArgs] {
		return &river.Job[notify.EmailArgs]{JobRow: &rivertype.JobRow{ID: 1}, Args: notify.EmailArgs{NotificationID: id}}
	}

	// Deactivated after the notification was queued: nothing is sent, and the job is done.
	if _, err := f.pool.Exec(ctx, `UPDATE users SET active = false WHERE id = $1`, f.users["head"]); err != nil {
		t.Fatal(err)
	}
	mem := &notify.MemoryMailer{}
	w := &notify.EmailWorker{DB: f.pool, Mailer: mem, BaseURL: base, Logger: discardLogger()}
	if err := w.Work(ctx, job(byUser[f.users["head"]])); err != nil {
		t.Errorf("work for a deactivated recipient: %v", err)
	}
	if n := len(mem.Sent()); n != 0 {
		t.Errorf("%d emails sent to a deactivated person", n)
	}
	// A notification that no longer exists is done too.
	if err := w.Work(ctx, job(999999)); err != nil {
		t.Errorf("work for a missing notification: %v", err)
	}

	// A mailer failure is returned, so River retries; the error names the notification, not the person.
	w.Mailer = failingMailer{}
	err := w.Work(ctx, job(byUser[f.users["coord"]]))
	if err == nil || !strings.Contains(err.Error(), "mail server down") || strings.Contains(err.Error(), "coord@") {
		t.Errorf("mailer failure surfaced as %v", err)
	}
}

func TestStaleImportsAreDeletedAfterSevenDays(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	insert := func(age time.Duration, status string) int64 {
		var id int64
		var appliedAt *time.Time
		var appliedBy *int64
		if status == "applied" {
			at := now.Add(-age)
			appliedAt, appliedBy = &at, ptr(f.users["coord"])
		}
		err := f.pool.QueryRow(ctx, `
			INSERT INTO student_imports (school_id, uploaded_by, uploaded_at, file_name, file_sha256, rows, status, applied_at, applied_by)
			VALUES ($1, $2, $3, 'export.csv', $4, '[]', $5, $6, $7) RETURNING id`,
			f.whitmore, f.users["coord"], now.Add(-age), strings.Repeat("a", 64), status, appliedAt, appliedBy).Scan(&id)
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	old := insert(8*24*time.Hour, "pending")
	recent := insert(6*24*time.Hour, "pending")
	applied := insert(30*24*time.Hour, "applied")

	n, err := notify.On(f.pool).DeleteStaleImports(ctx, now)
	if err != nil || n != 1 {
		t.Fatalf("deleted %d (%v), want 1", n, err)
	}
	rows, err := f.pool.Query(ctx, `SELECT id FROM student_imports ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	left, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		t.Fatal(err)
	}
	if len(left) != 2 || !slices.Contains(left, recent) || !slices.Contains(left, applied) {
		t.Errorf("imports left %v, want %d and %d (old pending %d deleted)", left, recent, applied, old)
	}
	var audited int
	if err := f.pool.QueryRow(ctx, `SELECT count(*) FROM audit_log WHERE action = $1 AND details->>'count' = '1'`, notify.ActionStaleImportsDeleted).Scan(&audited); err != nil {
		t.Fatal(err)
	}
	if audited != 1 {
		t.Errorf("%d audit entries for the deletion, want 1", audited)
	}
	// Nothing more to delete: no second audit entry.
	if n, err := notify.On(f.pool).DeleteStaleImports(ctx, now); err != nil || n != 0 {
		t.Errorf("second run deleted %d (%v)", n, err)
	}
}

func ptr[T any](v T) *T { return &v }
