package notify

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"sync"
	"time"

	mail "github.com/wneessen/go-mail"
)

// Email is one message to one person, exactly as it is sent.
type Email struct {
	To      string // the recipient's address
	Kind    string // the notification's kind, for the logs
	Subject string
	Body    string // plain text: the notification's body, then the link
	Link    string // the absolute link the body ends with
}

// Mailer sends an email. An error means it was not sent and the job will retry.
type Mailer interface {
	Send(ctx context.Context, e Email) error
}

// emailFooter says why the email came and where the details are, since the email itself has none.
const emailFooter = "You are getting this email because you use the Coventry Alternative Provision portal. " +
	"Sign in to see the details: this email does not include them."

// ComposeEmail builds the email for a notification: its subject, its body, and its link made
// absolute with the portal's base URL. Nothing else goes in, so an email carries no more than the
// in-app notification does.
func ComposeEmail(to string, n Notification, base *url.URL) Email {
	link := strings.TrimRight(base.String(), "/") + n.Link
	var b strings.Builder
	if body := strings.TrimSpace(n.Body); body != "" {
		b.WriteString(body)
		b.WriteString("\n\n")
	}
	b.WriteString(link)
	b.WriteString("\n\n")
	b.WriteString(emailFooter)
	b.WriteString("\n")
	return Email{To: to, Kind: n.Kind, Subject: n.Subject, Body: b.String(), Link: link}
}

// LogMailer writes each email to the log instead of sending it: the development default, when no
// SMTP server is configured. It logs the kind, subject and link, and only the domain of the
// address, so the log holds no personal data.
type LogMailer struct {
	Logger *slog.Logger
}

// Send logs the email.
func (m LogMailer) Send(ctx context.Context, e Email) error {
	m.Logger.LogAttrs(ctx, slog.LevelInfo, "email",
		slog.String("kind", e.Kind),
		slog.String("subject", e.Subject),
		slog.String("link", e.Link),
		slog.String("recipient_domain", addressDomain(e.To)))
	return nil
}

func addressDomain(addr string) string {
	if i := strings.LastIndexByte(addr, '@'); i >= 0 {
		return addr[i+1:]
	}
	return ""
}

// TLSMode is how the SMTP connection is encrypted.
type TLSMode string

// The TLS modes of CAP_SMTP_TLS.
const (
	StartTLS TLSMode = "starttls" // plain connection upgraded with STARTTLS, which must succeed (port 587)
	TLS      TLSMode = "tls"      // TLS from the first byte (port 465)
	NoTLS    TLSMode = "none"     // unencrypted: only for a relay on a trusted network
)

// SMTPConfig is where and how to send email.
type SMTPConfig struct {
	Host     string
	Port     int
	Username string // empty: the server needs no sign-in
	Password string
	From     string // the sender, such as "CAP Portal <cap-portal@coventry.gov.uk>"
	TLS      TLSMode
	// TLSConfig replaces the default TLS settings (a private CA, say); ServerName defaults to Host.
	TLSConfig *tls.Config
	// Timeout bounds connecting and each SMTP command; 30 seconds when zero.
	Timeout time.Duration
}

// SMTPMailer sends email through an SMTP server with go-mail, one connection per message (emails
// are few, and a fresh connection never goes stale between them).
type SMTPMailer struct {
	cfg SMTPConfig
}

// NewSMTPMailer checks the configuration and returns the mailer.
func NewSMTPMailer(cfg SMTPConfig) (*SMTPMailer, error) {
	if cfg.Host == "" {
		return nil, errors.New("SMTP host is empty")
	}
	if cfg.Port < 1 || cfg.Port > 65535 {
		return nil, fmt.Errorf("SMTP port %d is not between 1 and 65535", cfg.Port)
	}
	switch cfg.TLS {
	case StartTLS, TLS, NoTLS:
	case "":
		cfg.TLS = StartTLS
	default:
		return nil, fmt.Errorf("SMTP TLS mode %q must be starttls, tls or none", cfg.TLS)
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 30 * time.Second
	}
	// The sender is checked now rather than on the first email.
	if err := mail.NewMsg().From(cfg.From); err != nil {
		return nil, fmt.Errorf("SMTP sender %q: %w", cfg.From, err)
	}
	return &SMTPMailer{cfg: cfg}, nil
}

// Send delivers the email. Its error never contains the recipient's address, because River logs
// and stores job errors.
func (m *SMTPMailer) Send(ctx context.Context, e Email) error {
	msg := mail.NewMsg()
	if err := msg.From(m.cfg.From); err != nil {
		return fmt.Errorf("email sender: %w", err)
	}
	if err := msg.To(e.To); err != nil {
		return redact(fmt.Errorf("email recipient: %w", err), e.To)
	}
	msg.Subject(e.Subject)
	msg.SetDate()
	msg.SetMessageID()
	msg.SetBodyString(mail.TypeTextPlain, e.Body)

	opts := []mail.Option{mail.WithPort(m.cfg.Port), mail.WithTimeout(m.cfg.Timeout)}
	switch m.cfg.TLS {
	case TLS:
		opts = append(opts, mail.WithSSL())
	case NoTLS:
		opts = append(opts, mail.WithTLSPolicy(mail.NoTLS))
	default:
		opts = append(opts, mail.WithTLSPolicy(mail.TLSMandatory))
	}
	if m.cfg.TLSConfig != nil {
		tc := m.cfg.TLSConfig.Clone()
		if tc.ServerName == "" {
			tc.ServerName = m.cfg.Host
		}
		opts = append(opts, mail.WithTLSConfig(tc))
	}
	if m.cfg.Username != "" {
		// Auto-discovery picks the strongest mechanism the server offers and never sends a password
		// in the clear over an unencrypted connection.
		opts = append(opts, mail.WithSMTPAuth(mail.SMTPAuthAutoDiscover),
			mail.WithUsername(m.cfg.Username), mail.WithPassword(m.cfg.Password))
	}
	client, err := mail.NewClient(m.cfg.Host, opts...)
	if err != nil {
		return fmt.Errorf("SMTP client: %w", err)
	}
	if err := client.DialAndSendWithContext(ctx, msg); err != nil {
		return redact(fmt.Errorf("send email via %s:%d: %w", m.cfg.Host, m.cfg.Port, err), e.To)
	}
	return nil
}

// redactedError hides the recipient's address in an error's text (go-mail and SMTP servers name the
// affected recipients) while keeping the error chain for errors.Is and errors.As.
type redactedError struct {
	msg string
	err error
}

func (e *redactedError) Error() string { return e.msg }
func (e *redactedError) Unwrap() error { return e.err }

func redact(err error, addr string) error {
	if addr == "" {
		return err
	}
	return &redactedError{msg: strings.ReplaceAll(err.Error(), addr, "[recipient]"), err: err}
}

// MemoryMailer keeps the emails it is given, for tests to read.
type MemoryMailer struct {
	mu   sync.Mutex
	sent []Email
}

// Send records the email.
func (m *MemoryMailer) Send(_ context.Context, e Email) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.sent = append(m.sent, e)
	return nil
}

// Sent returns a copy of the emails sent so far, in the order they were sent.
func (m *MemoryMailer) Sent() []Email {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]Email(nil), m.sent...)
}
