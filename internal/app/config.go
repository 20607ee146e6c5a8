// Package app wires the portal together: configuration, the database pool, sessions, the HTTP server
// and its lifecycle.
package app

import (
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/mail"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/coventry-cap/capportal/internal/notify"
	"github.com/coventry-cap/capportal/internal/placement"
	"github.com/coventry-cap/capportal/internal/ui"
)

// Config is everything the portal reads from its environment.
type Config struct {
	DatabaseURL    string        // DATABASE_URL: the portal's own connection, as a member of capportal_app
	Addr           string        // CAP_ADDR, default ":8080"
	BaseURL        *url.URL      // CAP_BASE_URL, default http://localhost:8080
	Env            string        // CAP_ENV: development or production
	LogLevel       slog.Level    // CAP_LOG_LEVEL: debug, info, warn, error
	MigrateOnStart bool          // CAP_MIGRATE_ON_START, default true
	TLSCertFile    string        // CAP_TLS_CERT_FILE, with CAP_TLS_KEY_FILE: serve HTTPS directly
	TLSKeyFile     string        // CAP_TLS_KEY_FILE
	ShutdownGrace  time.Duration // CAP_SHUTDOWN_GRACE, default 30s
	// MigrateDatabaseURL is the connection of the role that owns the schema, which runs the
	// migrations, the demo seed, backups and restores: CAP_MIGRATE_DATABASE_URL, default DATABASE_URL.
	MigrateDatabaseURL string
	// SMTP is where email goes (CAP_SMTP_*); nil when CAP_SMTP_HOST is unset, and email is written
	// to the log instead.
	SMTP *notify.SMTPConfig
	// RegisterCutoffs are the times a session's register must be taken by before the provider and
	// CAP are alerted: CAP_REGISTER_CUTOFF_AM (default 10:00) and CAP_REGISTER_CUTOFF_PM (14:00).
	RegisterCutoffs placement.Cutoffs
	// SecondFactor is CAP_SECOND_FACTOR (required, the default, or optional for a demo; production
	// refuses optional) and CAP_SECOND_FACTOR_KEY (64 hex digits that seal the TOTP keys; required
	// in production, a public development key otherwise).
	SecondFactor ui.SecondFactorSettings
}

// Secure reports whether people reach the portal over HTTPS, which turns on Secure and __Host- cookies
// and HSTS.
func (c Config) Secure() bool { return c.BaseURL.Scheme == "https" }

// LoadConfig reads the environment and reports every problem at once, each in a sentence that says
// how to fix it.
func LoadConfig(getenv func(string) string) (Config, error) {
	var problems []string
	c := Config{
		DatabaseURL: strings.TrimSpace(getenv("DATABASE_URL")),
		Addr:        or(getenv("CAP_ADDR"), ":8080"),
		Env:         or(getenv("CAP_ENV"), "development"),
		TLSCertFile: getenv("CAP_TLS_CERT_FILE"),
		TLSKeyFile:  getenv("CAP_TLS_KEY_FILE"),
	}
	if c.DatabaseURL == "" {
		problems = append(problems, "DATABASE_URL is not set: give a PostgreSQL URL such as postgres://user:pass@localhost:5432/capportal (`make run` sets it for you)")
	} else if u, err := url.Parse(c.DatabaseURL); err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		problems = append(problems, "DATABASE_URL must be a postgres:// or postgresql:// URL")
	}
	c.MigrateDatabaseURL = strings.TrimSpace(getenv("CAP_MIGRATE_DATABASE_URL"))
	if c.MigrateDatabaseURL == "" {
		c.MigrateDatabaseURL = c.DatabaseURL
	} else if u, err := url.Parse(c.MigrateDatabaseURL); err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		problems = append(problems, "CAP_MIGRATE_DATABASE_URL must be a postgres:// or postgresql:// URL (the schema owner's connection; leave it unset to migrate over DATABASE_URL)")
	}
	if _, port, err := net.SplitHostPort(c.Addr); err != nil || port == "" {
		problems = append(problems, fmt.Sprintf("CAP_ADDR %q must be host:port or :port, such as :8080", c.Addr))
	}
	base := or(getenv("CAP_BASE_URL"), "http://localhost"+portSuffix(c.Addr))
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		problems = append(problems, fmt.Sprintf("CAP_BASE_URL %q must be an absolute http:// or https:// URL, such as https://cap.coventry.gov.uk", base))
		u = &url.URL{Scheme: "http", Host: "localhost:8080"}
	}
	c.BaseURL = u
	switch c.Env {
	case "development", "production":
	default:
		problems = append(problems, fmt.Sprintf("CAP_ENV %q must be development or production", c.Env))
	}
	if c.Env == "production" && c.BaseURL.Scheme != "https" {
		problems = append(problems, "CAP_BASE_URL must be https:// when CAP_ENV is production")
	}
	switch strings.ToLower(or(getenv("CAP_LOG_LEVEL"), "info")) {
	case "debug":
		c.LogLevel = slog.LevelDebug
	case "info":
		c.LogLevel = slog.LevelInfo
	case "warn":
		c.LogLevel = slog.LevelWarn
	case "error":
		c.LogLevel = slog.LevelError
	default:
		problems = append(problems, "CAP_LOG_LEVEL must be debug, info, warn or error")
	}
	c.MigrateOnStart = true
	if v := getenv("CAP_MIGRATE_ON_START"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			problems = append(problems, "CAP_MIGRATE_ON_START must be true or false")
		}
		c.MigrateOnStart = b
	}
	c.ShutdownGrace = 30 * time.Second
	if v := getenv("CAP_SHUTDOWN_GRACE"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			problems = append(problems, "CAP_SHUTDOWN_GRACE must be a positive duration such as 30s")
		}
		c.ShutdownGrace = d
	}
	if (c.TLSCertFile == "") != (c.TLSKeyFile == "") {
		problems = append(problems, "CAP_TLS_CERT_FILE and CAP_TLS_KEY_FILE must be set together")
	}
	for _, f := range []string{c.TLSCertFile, c.TLSKeyFile} {
		if f != "" {
			if _, err := os.Stat(f); err != nil {
				problems = append(problems, fmt.Sprintf("cannot read TLS file %s", f))
			}
		}
	}
	cutoffs, cutoffProblems := loadCutoffs(getenv)
	c.RegisterCutoffs = cutoffs
	problems = append(problems, cutoffProblems...)
	sf, sfProblems := loadSecondFactor(getenv, c.Env)
	c.SecondFactor = sf
	problems = append(problems, sfProblems...)
	smtp, smtpProblems := loadSMTP(getenv)
	c.SMTP = smtp
	problems = append(problems, smtpProblems...)
	if len(problems) > 0 {
		return c, errors.New("configuration problems:\n  - " + strings.Join(problems, "\n  - "))
	}
	return c, nil
}

// loadCutoffs reads CAP_REGISTER_CUTOFF_AM and CAP_REGISTER_CUTOFF_PM: times of day, the morning's
// before the afternoon's.
func loadCutoffs(getenv func(string) string) (placement.Cutoffs, []string) {
	var problems []string
	c := placement.DefaultCutoffs
	for _, v := range []struct {
		name string
		to   *time.Duration
	}{{"CAP_REGISTER_CUTOFF_AM", &c.Morning}, {"CAP_REGISTER_CUTOFF_PM", &c.Afternoon}} {
		raw := strings.TrimSpace(getenv(v.name))
		if raw == "" {
			continue
		}
		d, err := placement.ParseCutoff(raw)
		if err != nil {
			problems = append(problems, fmt.Sprintf("%s %q must be a time of day on the 24-hour clock, such as 10:00", v.name, raw))
			continue
		}
		*v.to = d
	}
	if len(problems) == 0 && c.Morning >= c.Afternoon {
		problems = append(problems, fmt.Sprintf("CAP_REGISTER_CUTOFF_AM (%s) must be before CAP_REGISTER_CUTOFF_PM (%s)",
			placement.FormatCutoff(c.Morning), placement.FormatCutoff(c.Afternoon)))
	}
	return c, problems
}

// loadSecondFactor reads CAP_SECOND_FACTOR and CAP_SECOND_FACTOR_KEY.
func loadSecondFactor(getenv func(string) string, env string) (ui.SecondFactorSettings, []string) {
	var problems []string
	var sf ui.SecondFactorSettings
	switch mode := strings.ToLower(or(getenv("CAP_SECOND_FACTOR"), "required")); mode {
	case "required":
	case "optional":
		sf.Optional = true
		if env == "production" {
			problems = append(problems, "CAP_SECOND_FACTOR=optional is for demonstrations only and is refused when CAP_ENV is production: unset CAP_SECOND_FACTOR (or set it to required) so CAP staff and DSLs must use a second factor")
		}
	default:
		problems = append(problems, fmt.Sprintf("CAP_SECOND_FACTOR %q must be required (the default) or optional (a demonstration only)", mode))
	}
	raw := strings.TrimSpace(getenv("CAP_SECOND_FACTOR_KEY"))
	switch {
	case raw != "":
		k, err := hex.DecodeString(raw)
		if err != nil || len(k) != 32 {
			problems = append(problems, "CAP_SECOND_FACTOR_KEY must be 64 hexadecimal digits (32 random bytes), such as the output of `openssl rand -hex 32`")
		}
		sf.Key = k
	case env == "production":
		problems = append(problems, "CAP_SECOND_FACTOR_KEY must be set when CAP_ENV is production: 64 hexadecimal digits that seal the second-factor keys, such as the output of `openssl rand -hex 32`; keep it secret and never change it, or everyone must set up their second factor again")
	}
	return sf, problems
}

// loadSMTP reads CAP_SMTP_*: the host turns sending on, and the rest only make sense with it.
func loadSMTP(getenv func(string) string) (*notify.SMTPConfig, []string) {
	var problems []string
	host := strings.TrimSpace(getenv("CAP_SMTP_HOST"))
	others := []string{"CAP_SMTP_PORT", "CAP_SMTP_USERNAME", "CAP_SMTP_PASSWORD", "CAP_SMTP_FROM", "CAP_SMTP_TLS"}
	if host == "" {
		for _, k := range others {
			if strings.TrimSpace(getenv(k)) != "" {
				problems = append(problems, fmt.Sprintf("%s is set but CAP_SMTP_HOST is not: set CAP_SMTP_HOST to send email, or unset %s to write email to the log", k, k))
			}
		}
		return nil, problems
	}
	c := &notify.SMTPConfig{
		Host:     host,
		Username: strings.TrimSpace(getenv("CAP_SMTP_USERNAME")),
		// A password is taken as given: spaces may be part of it.
		Password: getenv("CAP_SMTP_PASSWORD"),
		From:     strings.TrimSpace(getenv("CAP_SMTP_FROM")),
	}
	if strings.ContainsAny(host, "/: \t") {
		problems = append(problems, fmt.Sprintf("CAP_SMTP_HOST %q must be a host name such as smtp.coventry.gov.uk, without a scheme or port (the port goes in CAP_SMTP_PORT)", host))
	}
	port := 587
	switch mode := notify.TLSMode(strings.ToLower(or(getenv("CAP_SMTP_TLS"), string(notify.StartTLS)))); mode {
	case notify.StartTLS:
		c.TLS = mode
	case notify.TLS:
		c.TLS, port = mode, 465
	case notify.NoTLS:
		c.TLS, port = mode, 25
	default:
		problems = append(problems, fmt.Sprintf("CAP_SMTP_TLS %q must be starttls (the default), tls or none", string(mode)))
	}
	c.Port = port
	if v := strings.TrimSpace(getenv("CAP_SMTP_PORT")); v != "" {
		p, err := strconv.Atoi(v)
		if err != nil || p < 1 || p > 65535 {
			problems = append(problems, fmt.Sprintf("CAP_SMTP_PORT %q must be a port number from 1 to 65535, such as 587", v))
		}
		c.Port = p
	}
	if c.From == "" {
		problems = append(problems, "CAP_SMTP_FROM must be set when CAP_SMTP_HOST is: the sender, such as CAP Portal <cap-portal@coventry.gov.uk>")
	} else if _, err := mail.ParseAddress(c.From); err != nil {
		problems = append(problems, fmt.Sprintf("CAP_SMTP_FROM %q must be an email address, such as CAP Portal <cap-portal@coventry.gov.uk>", c.From))
	}
	if (c.Username == "") != (c.Password == "") {
		problems = append(problems, "CAP_SMTP_USERNAME and CAP_SMTP_PASSWORD must be set together")
	}
	if c.Username != "" && c.TLS == notify.NoTLS {
		problems = append(problems, "CAP_SMTP_TLS=none would send the SMTP password unencrypted: use starttls or tls, or unset CAP_SMTP_USERNAME and CAP_SMTP_PASSWORD for a relay that needs no sign-in")
	}
	return c, problems
}

func or(v, def string) string {
	if strings.TrimSpace(v) == "" {
		return def
	}
	return strings.TrimSpace(v)
}

func portSuffix(addr string) string {
	if _, port, err := net.SplitHostPort(addr); err == nil && port != "" && port != "80" {
		return ":" + port
	}
	return ""
}
