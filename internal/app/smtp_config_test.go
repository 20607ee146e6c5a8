package app

import (
	"strings"
	"testing"

	"github.com/coventry-cap/capportal/internal/notify"
)

func TestWithoutSMTPHostEmailGoesToTheLog(t *testing.T) {
	c, err := LoadConfig(env(map[string]string{"DATABASE_URL": testDBURL}))
	if err != nil {
		t.Fatal(err)
	}
	if c.SMTP != nil {
		t.Errorf("SMTP configured without CAP_SMTP_HOST: %+v", c.SMTP)
	}
}

func TestLoadConfigReadsTheSMTPSettings(t *testing.T) {
	c, err := LoadConfig(env(map[string]string{
		"DATABASE_URL":      testDBURL,
		"CAP_SMTP_HOST":     " smtp.coventry.example ",
		"CAP_SMTP_PORT":     "2525",
		"CAP_SMTP_USERNAME": "cap-portal",
		"CAP_SMTP_PASSWORD": " pass with spaces ",
		"CAP_SMTP_FROM":     "CAP Portal <cap-portal@coventry.example>",
		"CAP_SMTP_TLS":      "TLS",
	}))
	if err != nil {
		t.Fatalf("complete SMTP settings refused: %v", err)
	}
	want := notify.SMTPConfig{Host: "smtp.coventry.example", Port: 2525, Username: "cap-portal", Password: " pass with spaces ",
		From: "CAP Portal <cap-portal@coventry.example>", TLS: notify.TLS}
	if c.SMTP == nil || *c.SMTP != want {
		t.Errorf("SMTP = %+v, want %+v", c.SMTP, want)
	}
}

func TestSMTPPortDefaultsFollowTheTLSMode(t *testing.T) {
	for mode, port := range map[string]int{"": 587, "starttls": 587, "tls": 465, "none": 25} {
		c, err := LoadConfig(env(map[string]string{
			"DATABASE_URL": testDBURL, "CAP_SMTP_HOST": "relay.internal", "CAP_SMTP_FROM": "cap@coventry.example", "CAP_SMTP_TLS": mode,
		}))
		if err != nil {
			t.Fatalf("CAP_SMTP_TLS=%q: %v", mode, err)
		}
		wantMode := notify.TLSMode(mode)
		if mode == "" {
			wantMode = notify.StartTLS
		}
		if c.SMTP.Port != port || c.SMTP.TLS != wantMode {
			t.Errorf("CAP_SMTP_TLS=%q: port %d mode %q, want %d %q", mode, c.SMTP.Port, c.SMTP.TLS, port, wantMode)
		}
	}
}

func TestLoadConfigRejectsBadSMTPSettings(t *testing.T) {
	host := map[string]string{"CAP_SMTP_HOST": "smtp.coventry.example", "CAP_SMTP_FROM": "cap@coventry.example"}
	with := func(extra map[string]string) map[string]string {
		out := map[string]string{}
		for k, v := range host {
			out[k] = v
		}
		for k, v := range extra {
			out[k] = v
		}
		return out
	}
	cases := []struct {
		name string
		env  map[string]string
		want string
	}{
		{"settings without a host", map[string]string{"CAP_SMTP_FROM": "cap@coventry.example"}, "CAP_SMTP_FROM is set but CAP_SMTP_HOST is not"},
		{"host with a port", with(map[string]string{"CAP_SMTP_HOST": "smtp.example:587"}), `CAP_SMTP_HOST "smtp.example:587" must be a host name`},
		{"host as a URL", with(map[string]string{"CAP_SMTP_HOST": "smtp://smtp.example"}), `CAP_SMTP_HOST "smtp://smtp.example" must be a host name`},
		{"port not a number", with(map[string]string{"CAP_SMTP_PORT": "smtp"}), `CAP_SMTP_PORT "smtp" must be a port number`},
		{"port out of range", with(map[string]string{"CAP_SMTP_PORT": "70000"}), `CAP_SMTP_PORT "70000" must be a port number`},
		{"unknown TLS mode", with(map[string]string{"CAP_SMTP_TLS": "ssl"}), `CAP_SMTP_TLS "ssl" must be starttls (the default), tls or none`},
		{"no sender", map[string]string{"CAP_SMTP_HOST": "smtp.coventry.example"}, "CAP_SMTP_FROM must be set when CAP_SMTP_HOST is"},
		{"sender not an address", with(map[string]string{"CAP_SMTP_FROM": "CAP Portal"}), `CAP_SMTP_FROM "CAP Portal" must be an email address`},
		{"username without password", with(map[string]string{"CAP_SMTP_USERNAME": "cap"}), "CAP_SMTP_USERNAME and CAP_SMTP_PASSWORD must be set together"},
		{"password without username", with(map[string]string{"CAP_SMTP_PASSWORD": "secret"}), "CAP_SMTP_USERNAME and CAP_SMTP_PASSWORD must be set together"},
		{"password over an unencrypted connection", with(map[string]string{"CAP_SMTP_TLS": "none", "CAP_SMTP_USERNAME": "cap", "CAP_SMTP_PASSWORD": "secret"}), "CAP_SMTP_TLS=none would send the SMTP password unencrypted"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := map[string]string{"DATABASE_URL": testDBURL}
			for k, v := range tc.env {
				e[k] = v
			}
			_, err := LoadConfig(env(e))
			if err == nil {
				t.Fatalf("accepted %v", tc.env)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q lacks %q", err, tc.want)
			}
			if strings.Contains(err.Error(), "secret") {
				t.Errorf("error shows the password: %q", err)
			}
		})
	}
}
