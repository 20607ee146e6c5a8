package app

import (
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// env is a fake environment for LoadConfig.
func env(kv map[string]string) func(string) string {
	return func(k string) string { return kv[k] }
}

const testDBURL = "postgres://cap:secret@localhost:5432/capportal"

func TestLoadConfigDefaults(t *testing.T) {
	c, err := LoadConfig(env(map[string]string{"DATABASE_URL": testDBURL}))
	if err != nil {
		t.Fatalf("only DATABASE_URL set: %v", err)
	}
	if c.DatabaseURL != testDBURL {
		t.Errorf("DatabaseURL = %q", c.DatabaseURL)
	}
	if c.Addr != ":8080" {
		t.Errorf("Addr = %q, want :8080", c.Addr)
	}
	if c.BaseURL.String() != "http://localhost:8080" {
		t.Errorf("BaseURL = %q, want http://localhost:8080", c.BaseURL)
	}
	if c.Env != "development" {
		t.Errorf("Env = %q, want development", c.Env)
	}
	if c.LogLevel != slog.LevelInfo {
		t.Errorf("LogLevel = %v, want info", c.LogLevel)
	}
	if !c.MigrateOnStart {
		t.Error("MigrateOnStart is off by default")
	}
	if c.ShutdownGrace != 30*time.Second {
		t.Errorf("ShutdownGrace = %v, want 30s", c.ShutdownGrace)
	}
	if c.TLSCertFile != "" || c.TLSKeyFile != "" {
		t.Errorf("TLS files set by default: %q %q", c.TLSCertFile, c.TLSKeyFile)
	}
	if c.Secure() {
		t.Error("Secure() for the default http:// base URL")
	}
}

func TestLoadConfigReadsEveryVariable(t *testing.T) {
	dir := t.TempDir()
	cert, key := filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	for _, f := range []string{cert, key} {
		if err := os.WriteFile(f, []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	c, err := LoadConfig(env(map[string]string{
		"DATABASE_URL":          "  postgresql://cap@db/capportal  ",
		"CAP_ADDR":              "127.0.0.1:9000",
		"CAP_BASE_URL":          "https://cap.coventry.gov.uk",
		"CAP_ENV":               "production",
		"CAP_LOG_LEVEL":         "WARN",
		"CAP_MIGRATE_ON_START":  "false",
		"CAP_TLS_CERT_FILE":     cert,
		"CAP_TLS_KEY_FILE":      key,
		"CAP_SHUTDOWN_GRACE":    "5s",
		"CAP_SECOND_FACTOR_KEY": "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",
	}))
	if err != nil {
		t.Fatalf("a complete production configuration was refused: %v", err)
	}
	if c.DatabaseURL != "postgresql://cap@db/capportal" || c.Addr != "127.0.0.1:9000" || c.Env != "production" ||
		c.LogLevel != slog.LevelWarn || c.MigrateOnStart || c.ShutdownGrace != 5*time.Second ||
		c.TLSCertFile != cert || c.TLSKeyFile != key || c.BaseURL.Host != "cap.coventry.gov.uk" {
		t.Errorf("config not read as given: %+v", c)
	}
	if !c.Secure() {
		t.Error("Secure() is false for an https:// base URL")
	}
}

func TestLoadConfigDefaultBaseURLFollowsThePort(t *testing.T) {
	c, err := LoadConfig(env(map[string]string{"DATABASE_URL": testDBURL, "CAP_ADDR": ":9090"}))
	if err != nil {
		t.Fatal(err)
	}
	if c.BaseURL.String() != "http://localhost:9090" {
		t.Errorf("BaseURL = %q, want http://localhost:9090", c.BaseURL)
	}
}

func TestLoadConfigReportsEveryProblemAtOnce(t *testing.T) {
	dir := t.TempDir()
	cert := filepath.Join(dir, "cert.pem")
	if err := os.WriteFile(cert, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := LoadConfig(env(map[string]string{
		"CAP_ADDR":              "8080", // no colon
		"CAP_BASE_URL":          "cap.coventry.gov.uk",
		"CAP_ENV":               "production",
		"CAP_LOG_LEVEL":         "loud",
		"CAP_MIGRATE_ON_START":  "perhaps",
		"CAP_SHUTDOWN_GRACE":    "soon",
		"CAP_TLS_CERT_FILE":     cert, // without the key
		"CAP_SECOND_FACTOR_KEY": "00",
	}))
	if err == nil {
		t.Fatal("a configuration with nine problems was accepted")
	}
	msg := err.Error()
	for _, want := range []string{
		"DATABASE_URL is not set",
		`CAP_ADDR "8080" must be host:port or :port`,
		`CAP_BASE_URL "cap.coventry.gov.uk" must be an absolute http:// or https:// URL`,
		"CAP_BASE_URL must be https:// when CAP_ENV is production",
		"CAP_LOG_LEVEL must be debug, info, warn or error",
		"CAP_MIGRATE_ON_START must be true or false",
		"CAP_SHUTDOWN_GRACE must be a positive duration",
		"CAP_TLS_CERT_FILE and CAP_TLS_KEY_FILE must be set together",
		"CAP_SECOND_FACTOR_KEY must be 64 hexadecimal digits",
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("error lacks %q:\n%s", want, msg)
		}
	}
	if got := strings.Count(msg, "\n  - "); got != 9 {
		t.Errorf("error lists %d problems, want 9:\n%s", got, msg)
	}
}

func TestLoadConfigRejectsEachBadValueWithAClearMessage(t *testing.T) {
	cases := []struct {
		name string
		env  map[string]string
		want string
	}{
		{"missing DATABASE_URL", map[string]string{}, "DATABASE_URL is not set"},
		{"blank DATABASE_URL", map[string]string{"DATABASE_URL": "   "}, "DATABASE_URL is not set"},
		{"DATABASE_URL of another kind", map[string]string{"DATABASE_URL": "mysql://cap@db/capportal"}, "DATABASE_URL must be a postgres:// or postgresql:// URL"},
		{"CAP_ADDR without port", map[string]string{"CAP_ADDR": "localhost"}, `CAP_ADDR "localhost" must be host:port`},
		{"CAP_ADDR with empty port", map[string]string{"CAP_ADDR": "localhost:"}, `CAP_ADDR "localhost:" must be host:port`},
		{"CAP_BASE_URL relative", map[string]string{"CAP_BASE_URL": "/cap"}, `CAP_BASE_URL "/cap" must be an absolute`},
		{"CAP_BASE_URL ftp", map[string]string{"CAP_BASE_URL": "ftp://cap.example"}, `CAP_BASE_URL "ftp://cap.example" must be an absolute`},
		{"production over http", map[string]string{"CAP_ENV": "production", "CAP_BASE_URL": "http://cap.example"}, "CAP_BASE_URL must be https:// when CAP_ENV is production"},
		{"unknown CAP_ENV", map[string]string{"CAP_ENV": "staging"}, `CAP_ENV "staging" must be development or production`},
		{"bad log level", map[string]string{"CAP_LOG_LEVEL": "verbose"}, "CAP_LOG_LEVEL must be debug, info, warn or error"},
		{"bad bool", map[string]string{"CAP_MIGRATE_ON_START": "yes please"}, "CAP_MIGRATE_ON_START must be true or false"},
		{"negative grace", map[string]string{"CAP_SHUTDOWN_GRACE": "-5s"}, "CAP_SHUTDOWN_GRACE must be a positive duration"},
		{"only the TLS key", map[string]string{"CAP_TLS_KEY_FILE": "/nonexistent/key.pem"}, "CAP_TLS_CERT_FILE and CAP_TLS_KEY_FILE must be set together"},
		{"unreadable TLS files", map[string]string{"CAP_TLS_CERT_FILE": "/nonexistent/cert.pem", "CAP_TLS_KEY_FILE": "/nonexistent/key.pem"}, "cannot read TLS file /nonexistent/cert.pem"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := map[string]string{"DATABASE_URL": testDBURL}
			for k, v := range tc.env {
				e[k] = v
			}
			if tc.name == "missing DATABASE_URL" {
				delete(e, "DATABASE_URL")
			}
			_, err := LoadConfig(env(e))
			if err == nil {
				t.Fatalf("accepted %v", tc.env)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q lacks %q", err, tc.want)
			}
			if !strings.HasPrefix(err.Error(), "configuration problems:") {
				t.Errorf("error %q does not say it is about the configuration", err)
			}
		})
	}
}

func TestLoadConfigAcceptsEveryLogLevelAndBool(t *testing.T) {
	levels := map[string]slog.Level{"debug": slog.LevelDebug, "info": slog.LevelInfo, "Warn": slog.LevelWarn, "ERROR": slog.LevelError}
	for in, want := range levels {
		c, err := LoadConfig(env(map[string]string{"DATABASE_URL": testDBURL, "CAP_LOG_LEVEL": in}))
		if err != nil || c.LogLevel != want {
			t.Errorf("CAP_LOG_LEVEL=%s: level %v err %v, want %v", in, c.LogLevel, err, want)
		}
	}
	bools := map[string]bool{"true": true, "1": true, "false": false, "0": false, "FALSE": false}
	for in, want := range bools {
		c, err := LoadConfig(env(map[string]string{"DATABASE_URL": testDBURL, "CAP_MIGRATE_ON_START": in}))
		if err != nil || c.MigrateOnStart != want {
			t.Errorf("CAP_MIGRATE_ON_START=%s: %v err %v, want %v", in, c.MigrateOnStart, err, want)
		}
	}
}

func TestSecureIsTrueOnlyForHTTPSBaseURL(t *testing.T) {
	for base, want := range map[string]bool{
		"https://cap.coventry.gov.uk": true,
		"http://cap.coventry.gov.uk":  false,
		"http://localhost:8080":       false,
	} {
		c, err := LoadConfig(env(map[string]string{"DATABASE_URL": testDBURL, "CAP_BASE_URL": base}))
		if err != nil {
			t.Fatalf("%s: %v", base, err)
		}
		if c.Secure() != want {
			t.Errorf("Secure() for %s = %v, want %v", base, c.Secure(), want)
		}
	}
}
