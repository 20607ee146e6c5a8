package ui_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/coventry-cap/capportal/internal/testapp"
)

func TestChangingYourPasswordEndsYourOtherSessions(t *testing.T) {
	a := testapp.New(t)
	const email = "coordinator@whitmore.school.example"
	here, elsewhere := a.Client(t), a.Client(t)
	here.SignIn(email)
	elsewhere.SignIn(email)

	r := here.Post("/account/password", form("current", "wrong password", "new", "a brand new passphrase", "confirm", "a brand new passphrase"))
	if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "Your current password is not correct") {
		t.Fatalf("wrong current password: %d", r.StatusCode)
	}
	r = here.Post("/account/password", form("current", testapp.Password, "new", "short", "confirm", "short"))
	if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "at least 12 characters") {
		t.Fatalf("short new password: %d", r.StatusCode)
	}
	r = here.Post("/account/password", form("current", testapp.Password, "new", "a brand new passphrase", "confirm", "a different passphrase"))
	if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "Enter the same new password twice") {
		t.Fatalf("mismatched confirmation: %d", r.StatusCode)
	}
	r = here.Post("/account/password", form("current", testapp.Password, "new", "a brand new passphrase", "confirm", "a brand new passphrase"))
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("change password: %d", r.StatusCode)
	}
	if r := here.Get("/"); r.StatusCode != http.StatusOK {
		t.Errorf("the session that changed the password was ended: %d", r.StatusCode)
	}
	if r := elsewhere.Get("/"); r.StatusCode != http.StatusSeeOther {
		t.Errorf("another session survived the password change: %d", r.StatusCode)
	}
	fresh := a.Client(t)
	if r := fresh.Post("/login", form("email", email, "password", testapp.Password)); r.StatusCode == http.StatusSeeOther {
		t.Errorf("the old password still works")
	}
	if r := fresh.Post("/login", form("email", email, "password", "a brand new passphrase")); r.StatusCode != http.StatusSeeOther {
		t.Errorf("the new password does not work: %d", r.StatusCode)
	}
	var changed, confirmed int
	if err := a.Pool.QueryRow(context.Background(), `
		SELECT count(*) FILTER (WHERE action = 'user.password_changed'), count(*) FILTER (WHERE action = 'user.password_confirmed')
		FROM audit_log WHERE actor_email = $1`, email).Scan(&changed, &confirmed); err != nil {
		t.Fatal(err)
	}
	if changed != 1 || confirmed != 3 {
		t.Errorf("audit: %d password changes and %d confirmations, want 1 and 3", changed, confirmed)
	}
}
