package e2e_test

import (
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/coventry-cap/capportal/internal/auth"
	"github.com/coventry-cap/capportal/internal/browsertest"
	"github.com/coventry-cap/capportal/internal/seed"
	"github.com/coventry-cap/capportal/internal/testapp"
	"github.com/coventry-cap/capportal/internal/ui"
)

// newBrowser starts chromium for a journey. Screenshots go to docs/screenshots only when
// CAP_SCREENSHOTS is set (`make screenshots`), so an ordinary test run leaves the tree unchanged.
func newBrowser(t *testing.T) *browsertest.Browser {
	b := browsertest.New(t)
	if os.Getenv("CAP_SCREENSHOTS") == "" {
		b.ScreenshotDir = t.TempDir()
	}
	return b
}

func signIn(b *browsertest.Browser, base, email string) {
	b.T().Helper()
	b.Visit(base + "/login")
	b.Fill("#email", email)
	b.Fill("#password", testapp.Password)
	b.Submit("form[action='/login'] button")
	if got := b.URL(); !strings.HasSuffix(got, "/") {
		b.T().Fatalf("after signing in as %s the browser is at %s", email, got)
	}
}

func signOut(b *browsertest.Browser) {
	b.T().Helper()
	b.Submit("[data-testid=sign-out]")
	if !strings.Contains(b.URL(), "/login") {
		b.T().Fatalf("after signing out the browser is at %s", b.URL())
	}
	if !strings.Contains(b.Text(".govuk-notification-banner"), "You have signed out") {
		b.T().Errorf("no sign-out confirmation")
	}
}

func TestCoordinatorJourney(t *testing.T) {
	a := testapp.New(t)
	b := newBrowser(t)

	b.Visit(a.URL + "/login")
	b.Screenshot("sign-in")
	// A wrong password keeps the email and explains the problem.
	b.Fill("#email", "coordinator@whitmore.school.example")
	b.Fill("#password", "not my password")
	b.Submit("form[action='/login'] button")
	if !strings.Contains(b.Text(".govuk-error-summary"), "Enter a correct email address and password") {
		t.Fatalf("no error summary after a wrong password")
	}
	if b.Value("#email") != "coordinator@whitmore.school.example" {
		t.Errorf("email not kept after an error")
	}
	b.Screenshot("sign-in-error")

	signIn(b, a.URL, "coordinator@whitmore.school.example")
	if !strings.Contains(b.Text("h1"), "Welcome, Hannah Okafor") {
		t.Errorf("dashboard heading: %q", b.Text("h1"))
	}
	body := b.Text("main")
	for _, want := range []string{"Whitmore Park Academy", "CAP SLA 2026/27", "Autumn term", "CAP coordinator"} {
		if !strings.Contains(body, want) {
			t.Errorf("coordinator dashboard lacks %q", want)
		}
	}
	if b.Exists("a[href='/admin/users']") {
		t.Errorf("coordinator is offered the users page")
	}
	b.Screenshot("dashboard-coordinator")

	for _, page := range []string{"/account/password", "/accessibility", "/privacy"} {
		b.Visit(a.URL + page)
		if b.Status() != 200 {
			t.Errorf("%s: %d", page, b.Status())
		}
	}
	// The password form keeps its errors in GOV.UK markup.
	b.Visit(a.URL + "/account/password")
	b.Submit("form[action='/account/password'] button")
	if !strings.Contains(b.Text(".govuk-error-summary"), "Enter your current password") {
		t.Errorf("password form errors missing")
	}

	b.Visit(a.URL + "/admin/users")
	if b.Status() != 403 || !strings.Contains(b.Text("h1"), "You do not have access") {
		t.Errorf("coordinator on /admin/users: %d %q", b.Status(), b.Text("h1"))
	}
	b.Visit(a.URL + "/no-such-page")
	if b.Status() != 404 {
		t.Errorf("unknown page: %d", b.Status())
	}
	b.Screenshot("not-found")
	signOut(b)
}

func TestCAPAdminJourney(t *testing.T) {
	a := testapp.New(t)
	b := newBrowser(t)
	signIn(b, a.URL, "admin@cap.example")
	if !strings.Contains(b.Text("main"), "active users") {
		t.Errorf("admin dashboard lacks the users tile")
	}
	b.Screenshot("dashboard-cap-admin")

	b.ClickAndWait("a.govuk-service-navigation__link[href='/admin/users']")
	if n := browsertest.Eval[int](b, `document.querySelectorAll("[data-testid=users] tbody tr").length`); n != 25 {
		t.Errorf("first page of users has %d rows, want 25", n)
	}
	b.ClickAndWait(".govuk-pagination__next a")
	if !strings.Contains(b.URL(), "after=") {
		t.Errorf("next page link did not page: %s", b.URL())
	}
	b.Fill("#q", "whitmore")
	b.Submit("form.app-filter button")
	if !strings.Contains(b.URL(), "q=whitmore") {
		t.Errorf("search not in the URL: %s", b.URL())
	}
	if !strings.Contains(b.Text("[data-testid=users]"), "Hannah Okafor") {
		t.Errorf("search for whitmore lacks the Whitmore coordinator")
	}
	b.Screenshot("users")

	b.Visit(a.URL + "/admin/users/new")
	b.Fill("#name", "Priya Ellison")
	b.Fill("#email", "not-an-email")
	b.Submit("form[action='/admin/users'] button")
	summary := b.Text(".govuk-error-summary")
	for _, want := range []string{"correct format", "Choose the organisation", "Choose at least one role", "at least 12 characters"} {
		if !strings.Contains(summary, want) {
			t.Errorf("error summary lacks %q: %q", want, summary)
		}
	}
	if b.Value("#name") != "Priya Ellison" {
		t.Errorf("name not kept after errors")
	}
	b.Screenshot("user-new-errors")
	b.Fill("#email", "priya.ellison@whitmore.school.example")
	b.Select("#org", "Whitmore Park Academy (School)")
	b.SetChecked("input[name=roles][value=dsl]", true)
	b.Fill("#password", "a long first password")
	b.Submit("form[action='/admin/users'] button")
	if !strings.Contains(b.Text(".govuk-notification-banner"), "User Priya Ellison added") {
		t.Fatalf("no confirmation after adding a user; at %s", b.URL())
	}
	b.Select("#role", "Panel member")
	b.Select("#grant-org", "Whitmore Park Academy (School)")
	b.Submit("form[action$='/roles'] button")
	if !strings.Contains(b.Text("main table"), "Panel member") {
		t.Errorf("granted role not shown")
	}
	b.Screenshot("user")

	b.ClickAndWait("a.govuk-service-navigation__link[href='/admin/audit']")
	if !strings.Contains(b.Text("[data-testid=audit]"), "role.granted") {
		t.Errorf("audit log lacks the role grant")
	}
	b.Screenshot("audit-log")
	b.Fill("#from-day", "31")
	b.Fill("#from-month", "2")
	b.Fill("#from-year", "2026")
	b.Submit("form[action='/admin/audit'] button")
	if !strings.Contains(b.Text(".govuk-error-summary"), "real ‘from’ date") {
		t.Errorf("impossible date not reported")
	}
	b.Visit(a.URL + "/account/password")
	signOut(b)
}

func TestEveryDemoRoleSignsInToItsDashboard(t *testing.T) {
	a := testapp.New(t, testapp.Options{ExtraRoutes: func(rt *ui.Routes) {
		rt.Handle(http.MethodGet, "/test/panic", auth.Public(), func(http.ResponseWriter, *http.Request) { panic("journey test") })
	}})
	b := newBrowser(t)
	roles := seed.DemoLoginRoles()
	for i, u := range seed.DemoRoleLogins() {
		signIn(b, a.URL, u.Email)
		if !strings.Contains(b.Text("h1"), "Welcome, "+u.Name) {
			t.Errorf("%s: dashboard heading %q", u.Email, b.Text("h1"))
		}
		label := auth.Role(roles[i]).Label()
		if !strings.Contains(b.Text("main"), label) {
			t.Errorf("%s: dashboard does not list the role %q", u.Email, label)
		}
		admin := roles[i] == "cap_admin"
		if got := b.Exists("a.govuk-service-navigation__link[href='/admin/users']"); got != admin {
			t.Errorf("%s: users link shown=%v, want %v", u.Email, got, admin)
		}
		signOut(b)
	}
	// The 500 page, as a person would see it.
	b.Visit(a.URL + "/test/panic")
	if b.Status() != 500 || !strings.Contains(b.Text("h1"), "Sorry, there is a problem with the service") {
		t.Errorf("500 page: %d %q", b.Status(), b.Text("h1"))
	}
	if b.Text("[data-testid=error-reference]") == "" {
		t.Errorf("500 page without a reference")
	}
}
