package e2e_test

import (
	"strings"
	"testing"
	"time"

	"github.com/coventry-cap/capportal/internal/browsertest"
	"github.com/coventry-cap/capportal/internal/secondfactor"
	"github.com/coventry-cap/capportal/internal/testapp"
)

// A CAP admin who has not set up a second factor signs in, is sent to set one up, reads the key
// shown as text into their "app" (the code is worked out here, as an app would), keeps the
// recovery codes, signs out, and signs in again with a code. axe checks every page on the way.
func TestACAPAdminEnrolsASecondFactorAndSignsInWithACode(t *testing.T) {
	a := testapp.New(t, testapp.Options{SecondFactorRequired: true})
	b := newBrowser(t)

	b.Visit(a.URL + "/login")
	if b.Exists("[data-testid=second-factor-optional]") {
		t.Errorf("the sign-in page says the second factor is optional")
	}
	b.Fill("#email", "admin@cap.example")
	b.Fill("#password", testapp.Password)
	b.Submit("form[action='/login'] button")
	if !strings.Contains(b.URL(), "/account/second-factor") || !strings.Contains(b.Text("h1"), "Set up your second factor") {
		t.Fatalf("an unenrolled CAP admin is at %s", b.URL())
	}
	b.Screenshot("second-factor-set-up")
	key := strings.ReplaceAll(browsertest.Eval[string](b, `[...document.querySelectorAll('.govuk-summary-list__row')]
		.find(r => r.querySelector('.govuk-summary-list__key').innerText.trim() === 'Key')
		.querySelector('.govuk-summary-list__value').innerText`), " ", "")
	if len(key) < 32 {
		t.Fatalf("key shown as text: %q", key)
	}
	// A wrong code first: the GOV.UK error summary.
	b.Fill("#code", "000000")
	b.Submit("form[action='/account/second-factor'] button")
	if !strings.Contains(b.Text(".govuk-error-summary"), "The code is not correct") {
		t.Fatalf("no error for a wrong code")
	}
	code, err := secondfactor.CodeAt(key, a.Clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	b.Fill("#code", code)
	b.Submit("form[action='/account/second-factor'] button")
	if !strings.Contains(b.Text(".govuk-panel__title"), "Second factor set up") {
		t.Fatalf("enrolment did not complete: %s", b.Text("main"))
	}
	if n := browsertest.Eval[int](b, `document.querySelectorAll('[data-testid=recovery-codes] code').length`); n != 10 {
		t.Errorf("%d recovery codes shown", n)
	}
	b.Screenshot("second-factor-recovery-codes")
	b.ClickAndWait("main a.govuk-button")
	if !strings.Contains(b.Text("h1"), "Welcome") {
		t.Fatalf("after enrolling: %s", b.Text("h1"))
	}
	b.Visit(a.URL + "/account/second-factor")
	if !strings.Contains(b.Text("main"), "10 of 10") {
		t.Errorf("the status page: %s", b.Text("main"))
	}
	signOut(b)

	a.Clock.Advance(30 * time.Second)
	b.Fill("#email", "admin@cap.example")
	b.Fill("#password", testapp.Password)
	b.Submit("form[action='/login'] button")
	if !strings.Contains(b.URL(), "/login/second-factor") {
		t.Fatalf("after the password the browser is at %s", b.URL())
	}
	b.Screenshot("second-factor-sign-in")
	code, err = secondfactor.CodeAt(key, a.Clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	b.Fill("#code", code)
	b.Submit("form[action='/login/second-factor'] button")
	if !strings.Contains(b.Text("h1"), "Welcome") {
		t.Fatalf("signed in with a code, yet: %s at %s", b.Text("h1"), b.URL())
	}
}
