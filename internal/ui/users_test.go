package ui_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/coventry-cap/capportal/internal/testapp"
)

// orgIDBySlug returns an organisation's ID as a form value.
func orgIDBySlug(t *testing.T, a *testapp.App, slug string) string {
	t.Helper()
	var id string
	if err := a.Pool.QueryRow(context.Background(), `SELECT id::text FROM organisations WHERE slug = $1`, slug).Scan(&id); err != nil {
		t.Fatalf("organisation %s: %v", slug, err)
	}
	return id
}

// listedNames returns the names in the users table, in page order.
func listedNames(doc *goquery.Document) []string {
	return doc.Find(`[data-testid="users"] tbody th a`).Map(func(_ int, s *goquery.Selection) string { return strings.TrimSpace(s.Text()) })
}

// listedEmails returns the emails in the users table, in page order.
func listedEmails(doc *goquery.Document) []string {
	return doc.Find(`[data-testid="users"] tbody tr`).Map(func(_ int, s *goquery.Selection) string {
		return strings.TrimSpace(s.Find("td").First().Text())
	})
}

// nextPage returns the pagination's Next link, or "".
func nextPage(doc *goquery.Document) string {
	href, _ := doc.Find(".govuk-pagination__next a").Attr("href")
	return href
}

// banner returns the notification banner's text and whether it is a success banner.
func banner(doc *goquery.Document) (string, bool) {
	b := doc.Find(".govuk-notification-banner")
	return strings.Join(strings.Fields(b.Find(".govuk-notification-banner__content").Text()), " "), b.HasClass("govuk-notification-banner--success")
}

// errorSummary returns the error summary's links as "href message".
func errorSummary(doc *goquery.Document) []string {
	return doc.Find(".govuk-error-summary a").Map(func(_ int, s *goquery.Selection) string {
		href, _ := s.Attr("href")
		return href + " " + strings.TrimSpace(s.Text())
	})
}

func navTexts(doc *goquery.Document) []string {
	return doc.Find(".govuk-service-navigation__link").Map(func(_ int, s *goquery.Selection) string { return strings.TrimSpace(s.Text()) })
}

// auditCount counts audit entries with the action about the subject.
func auditCount(t *testing.T, a *testapp.App, action, subjectID string) int {
	t.Helper()
	var n int
	if err := a.Pool.QueryRow(context.Background(), `SELECT count(*) FROM audit_log WHERE action = $1 AND subject_id = $2`, action, subjectID).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func countUsersWithEmail(t *testing.T, a *testapp.App, email string) int {
	t.Helper()
	var n int
	if err := a.Pool.QueryRow(context.Background(), `SELECT count(*) FROM users WHERE email = $1`, email).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func holdsRole(t *testing.T, a *testapp.App, userID, role string) bool {
	t.Helper()
	var n int
	if err := a.Pool.QueryRow(context.Background(), `SELECT count(*) FROM memberships WHERE user_id = $1::bigint AND role = $2`, userID, role).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n > 0
}

func signedInAdmin(t *testing.T, a *testapp.App) *testapp.Client {
	t.Helper()
	c := a.Client(t)
	c.SignIn("admin@cap.example")
	return c
}

func mustGet(t *testing.T, c *testapp.Client, path string) *goquery.Document {
	t.Helper()
	r := c.Get(path)
	if r.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d", path, r.StatusCode)
	}
	return r.Doc(t)
}

func TestUserListSearchesByNameOrEmail(t *testing.T) {
	a := testapp.New(t)
	admin := signedInAdmin(t, a)
	cases := []struct {
		q    string
		want []string
	}{
		{"okafor", []string{"Hannah Okafor"}},
		{"OKAFOR", []string{"Hannah Okafor"}},
		{"  Hannah Oka  ", []string{"Hannah Okafor"}},
		{"whitmore.school", []string{"Hannah Okafor", "Marcus Bennett", "Rachel Thornbury"}},
		{"Admin2@CAP", []string{"Yusuf Patel"}},
	}
	for _, tc := range cases {
		doc := mustGet(t, admin, "/admin/users?q="+url.QueryEscape(tc.q))
		if got := listedNames(doc); !slices.Equal(got, tc.want) {
			t.Errorf("q=%q: %v, want %v", tc.q, got, tc.want)
		}
		if v, _ := doc.Find("#q").Attr("value"); v != strings.TrimSpace(tc.q) {
			t.Errorf("q=%q: search box shows %q", tc.q, v)
		}
	}
	// LIKE wildcards typed by a person are literal characters, not patterns.
	for _, q := range []string{"zzzz", "_", "%", `\`} {
		doc := mustGet(t, admin, "/admin/users?q="+url.QueryEscape(q))
		if got := listedNames(doc); len(got) != 0 {
			t.Errorf("q=%q matched %v", q, got)
		}
		if doc.Find(`[data-testid="no-users"]`).Length() != 1 {
			t.Errorf("q=%q: no 'No users match' message", q)
		}
	}
}

func TestUserListFiltersByRoleAndOrganisation(t *testing.T) {
	a := testapp.New(t)
	admin := signedInAdmin(t, a)
	whitmore := orgIDBySlug(t, a, "whitmore")
	cases := []struct {
		query string
		want  []string
	}{
		{"role=cap_admin", []string{"Joanne Tranter", "Yusuf Patel"}},
		{"role=headteacher", []string{"Rachel Thornbury"}},
		{"org=" + whitmore, []string{"Hannah Okafor", "Marcus Bennett", "Rachel Thornbury"}},
		{"role=coordinator&org=" + whitmore, []string{"Hannah Okafor"}},
		{"role=panel_member&org=" + whitmore, []string{"Rachel Thornbury"}},
		{"role=cap_admin&org=" + whitmore, nil},
		{"role=cap_admin&q=yusuf", []string{"Yusuf Patel"}},
	}
	for _, tc := range cases {
		doc := mustGet(t, admin, "/admin/users?"+tc.query)
		if got := listedNames(doc); !slices.Equal(got, tc.want) {
			t.Errorf("%s: %v, want %v", tc.query, got, tc.want)
		}
	}
	doc := mustGet(t, admin, "/admin/users?role=coordinator&org="+whitmore)
	if v, _ := doc.Find("#role option[selected]").Attr("value"); v != "coordinator" {
		t.Errorf("role filter not kept: selected %q", v)
	}
	if v, _ := doc.Find("#org option[selected]").Attr("value"); v != whitmore {
		t.Errorf("organisation filter not kept: selected %q", v)
	}

	// Deactivated users only show when asked for.
	id := userID(t, a, "coordinator@whitmore.school.example")
	if r := admin.Post("/admin/users/"+id+"/deactivate", nil); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("deactivate: %d", r.StatusCode)
	}
	if got := listedNames(mustGet(t, admin, "/admin/users?org="+whitmore)); slices.Contains(got, "Hannah Okafor") {
		t.Errorf("a deactivated user is listed by default: %v", got)
	}
	doc = mustGet(t, admin, "/admin/users?inactive=1&org="+whitmore)
	if got := listedNames(doc); !slices.Contains(got, "Hannah Okafor") {
		t.Errorf("inactive=1 does not list the deactivated user: %v", got)
	}
	if !strings.Contains(doc.Find(`[data-testid="users"]`).Text(), "Deactivated") {
		t.Error("a deactivated user is not marked as such")
	}
}

// walkPages follows the Next links from path and returns the emails in order, and the pages' sizes.
func walkPages(t *testing.T, c *testapp.Client, path string) ([]string, []int) {
	t.Helper()
	var emails []string
	var sizes []int
	for i := 0; path != ""; i++ {
		if i > 20 {
			t.Fatalf("more than 20 pages: the Next link goes round in circles")
		}
		doc := mustGet(t, c, path)
		page := listedEmails(doc)
		emails = append(emails, page...)
		sizes = append(sizes, len(page))
		prev, _ := doc.Find(".govuk-pagination__prev a").Attr("href")
		if (i == 0) != (prev == "") {
			t.Errorf("page %d: Previous link %q", i+1, prev)
		}
		if i > 0 {
			if prev, _ := doc.Find(".govuk-pagination__prev a").Attr("href"); !strings.HasPrefix(prev, "/admin/users?") || strings.Contains(prev, "after") {
				t.Errorf("page %d: link back to the first page is %q", i+1, prev)
			}
		}
		path = nextPage(doc)
	}
	return emails, sizes
}

func TestUserListPagesThroughMoreThan25UsersWithoutOverlapOrGaps(t *testing.T) {
	a := testapp.New(t)
	admin := signedInAdmin(t, a)

	// Every provider's staff member: more than two pages' worth.
	rows, err := a.Pool.Query(context.Background(), `
		SELECT u.email FROM users u WHERE u.active AND EXISTS (SELECT 1 FROM memberships m WHERE m.user_id = u.id AND m.role = 'provider_staff')
		ORDER BY lower(u.name), u.id`)
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for rows.Next() {
		var e string
		if err := rows.Scan(&e); err != nil {
			t.Fatal(err)
		}
		want = append(want, e)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if len(want) <= 50 {
		t.Fatalf("only %d provider staff in the demo data: the test needs more than two pages", len(want))
	}
	first := mustGet(t, admin, "/admin/users?role=provider_staff")
	next := nextPage(first)
	if next == "" {
		t.Fatal("no Next link with more than 25 matching users")
	}
	if u, _ := url.Parse(next); u.Query().Get("role") != "provider_staff" {
		t.Errorf("Next link %q drops the role filter", next)
	}
	got, sizes := walkPages(t, admin, "/admin/users?role=provider_staff")
	if !slices.Equal(got, want) {
		t.Errorf("pages listed %d users, want %d in name order:\n got %v\nwant %v", len(got), len(want), got, want)
	}
	for i, n := range sizes[:len(sizes)-1] {
		if n != 25 {
			t.Errorf("page %d has %d users, want 25", i+1, n)
		}
	}
}

func TestUserListPreviousGoesBackExactlyOnePage(t *testing.T) {
	a := testapp.New(t)
	admin := signedInAdmin(t, a)
	var pages [][]string
	var docs []*goquery.Document
	for path := "/admin/users?role=provider_staff"; path != ""; {
		doc := mustGet(t, admin, path)
		docs = append(docs, doc)
		pages = append(pages, listedEmails(doc))
		path = nextPage(doc)
	}
	if len(pages) < 3 {
		t.Fatalf("need at least 3 pages, got %d", len(pages))
	}
	// From the last page, Previous walks back through the same pages, in the same order.
	doc := docs[len(docs)-1]
	for i := len(pages) - 2; i >= 0; i-- {
		prev, _ := doc.Find(".govuk-pagination__prev a").Attr("href")
		if prev == "" {
			t.Fatalf("no Previous link on page %d", i+2)
		}
		doc = mustGet(t, admin, prev)
		if got := listedEmails(doc); !slices.Equal(got, pages[i]) {
			t.Fatalf("Previous to page %d listed %v, want %v", i+1, got, pages[i])
		}
		if nextPage(doc) == "" {
			t.Errorf("page %d reached by Previous has no Next link", i+1)
		}
	}
	if prev, _ := doc.Find(".govuk-pagination__prev a").Attr("href"); prev != "" {
		t.Errorf("the first page, reached by Previous, offers Previous again: %q", prev)
	}
}

func TestUserListPagesThroughPeopleWithTheSameName(t *testing.T) {
	// Keyset paging on the name alone would skip or repeat people who share a name.
	a := testapp.New(t)
	admin := signedInAdmin(t, a)
	var want []string
	for i := range 31 {
		email := fmt.Sprintf("sam.same%02d@cap.example", i)
		want = append(want, email)
		if _, err := a.Pool.Exec(context.Background(), `INSERT INTO users (email, name, password_hash) VALUES ($1, $2, 'x')`, email, []string{"Sam Same", "SAM SAME", "sam same"}[i%3]); err != nil {
			t.Fatal(err)
		}
	}
	got, sizes := walkPages(t, admin, "/admin/users?q=sam+same")
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Errorf("pages listed %v, want each of the 31 people once: %v", got, want)
	}
	if !slices.Equal(sizes, []int{25, 6}) {
		t.Errorf("page sizes %v, want [25 6]", sizes)
	}
}

func createForm(name, email, org, password string, roles ...string) url.Values {
	v := url.Values{"name": {name}, "email": {email}, "org": {org}, "password": {password}}
	for _, r := range roles {
		v.Add("roles", r)
	}
	return v
}

func TestCreatingAUserRedirectsToTheirPageAuditsAndTheyCanSignIn(t *testing.T) {
	a := testapp.New(t)
	admin := signedInAdmin(t, a)
	adminID := userID(t, a, "admin@cap.example")
	if doc := mustGet(t, admin, "/admin/users/new"); doc.Find(`form[action="/admin/users"]`).Length() != 1 {
		t.Fatal("no add-a-user form")
	}
	r := admin.Post("/admin/users", createForm("Priya Shah", "Priya.Shah@Whitmore.School.Example", orgIDBySlug(t, a, "whitmore"), testapp.Password, "coordinator", "panel_member"))
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("create: %d, want 303\n%s", r.StatusCode, r.Body)
	}
	id := userID(t, a, "priya.shah@whitmore.school.example")
	if r.Location() != "/admin/users/"+id {
		t.Errorf("redirect to %q, want /admin/users/%s", r.Location(), id)
	}
	doc := mustGet(t, admin, r.Location())
	if msg, ok := banner(doc); msg != "User Priya Shah added" || !ok {
		t.Errorf("flash %q (success=%v), want the success banner 'User Priya Shah added'", msg, ok)
	}
	if h := strings.TrimSpace(doc.Find("h1").Text()); h != "Priya Shah" {
		t.Errorf("heading %q", h)
	}
	roles := doc.Find("table.govuk-table tbody").Text()
	for _, want := range []string{"CAP coordinator", "Panel member", "Whitmore Park Academy"} {
		if !strings.Contains(roles, want) {
			t.Errorf("roles table lacks %q: %s", want, strings.Join(strings.Fields(roles), " "))
		}
	}
	// The flash shows once.
	if msg, _ := banner(mustGet(t, admin, r.Location())); msg != "" {
		t.Errorf("flash shown twice: %q", msg)
	}

	if n := auditCount(t, a, "user.created", id); n != 1 {
		t.Errorf("%d user.created entries, want 1", n)
	}
	if n := auditCount(t, a, "role.granted", id); n != 2 {
		t.Errorf("%d role.granted entries, want 2", n)
	}
	var actorID, actorEmail, requestID string
	if err := a.Pool.QueryRow(context.Background(), `SELECT actor_user_id::text, actor_email, request_id FROM audit_log WHERE action = 'user.created' AND subject_id = $1`, id).Scan(&actorID, &actorEmail, &requestID); err != nil {
		t.Fatal(err)
	}
	if actorID != adminID || actorEmail != "admin@cap.example" || requestID != r.Header.Get("X-Request-Id") {
		t.Errorf("audit actor %s %s request %q, want %s admin@cap.example %q", actorID, actorEmail, requestID, adminID, r.Header.Get("X-Request-Id"))
	}

	priya := a.Client(t)
	priya.SignIn("Priya.Shah@whitmore.school.example")
	nav := navTexts(mustGet(t, priya, "/"))
	if !slices.Contains(nav, "Home") || slices.Contains(nav, "Users") {
		t.Errorf("new coordinator's navigation %v", nav)
	}
}

func TestCreateUserValidationErrorsKeepWhatWasTyped(t *testing.T) {
	a := testapp.New(t)
	admin := signedInAdmin(t, a)
	whitmore, ridgeway, capOrg := orgIDBySlug(t, a, "whitmore"), orgIDBySlug(t, a, "ridgeway"), orgIDBySlug(t, a, "cap")
	cases := []struct {
		name   string
		form   url.Values
		errors []string // "#anchor message-part", in summary order
	}{
		{"everything empty", createForm("", "", "", ""), []string{
			"#name Enter their full name", "#email Enter their email address", "#org Choose the organisation",
			"#roles Choose at least one role", "#password Enter a first password of at least 12 characters",
		}},
		{"spaces only", createForm("   ", "   ", whitmore, "            ", "coordinator"), []string{
			"#name Enter their full name", "#email Enter their email address",
		}},
		{"email without domain", createForm("Priya Shah", "priya@", whitmore, testapp.Password, "coordinator"), []string{"#email Enter an email address in the correct format"}},
		{"email without @", createForm("Priya Shah", "priya.whitmore.school.example", whitmore, testapp.Password, "coordinator"), []string{"#email Enter an email address in the correct format"}},
		{"email with a display name", createForm("Priya Shah", "Priya <priya@whitmore.school.example>", whitmore, testapp.Password, "coordinator"), []string{"#email Enter an email address in the correct format"}},
		{"short password", createForm("Priya Shah", "priya@whitmore.school.example", whitmore, "elevenchars", "coordinator"), []string{"#password Enter a first password of at least 12 characters"}},
		{"provider role at a school", createForm("Priya Shah", "priya@whitmore.school.example", whitmore, testapp.Password, "provider_staff"), []string{"#roles Provider staff cannot be held at Whitmore Park Academy"}},
		{"CAP role at a provider", createForm("Priya Shah", "priya@whitmore.school.example", ridgeway, testapp.Password, "panel_member", "cap_admin"), []string{"#roles CAP admin cannot be held at Ridgeway Motor Skills"}},
		{"school role at CAP", createForm("Priya Shah", "priya@whitmore.school.example", capOrg, testapp.Password, "headteacher"), []string{"#roles Headteacher cannot be held at Coventry Alternative Provision"}},
		{"unknown role only", createForm("Priya Shah", "priya@whitmore.school.example", whitmore, testapp.Password, "wizard"), []string{"#roles Choose at least one role"}},
		{"unknown organisation", createForm("Priya Shah", "priya@whitmore.school.example", "999999", testapp.Password, "coordinator"), []string{"#org Choose the organisation"}},
		{"organisation not a number", createForm("Priya Shah", "priya@whitmore.school.example", "whitmore", testapp.Password, "coordinator"), []string{"#org Choose the organisation"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := admin.Post("/admin/users", tc.form)
			if r.StatusCode != http.StatusUnprocessableEntity {
				t.Fatalf("status %d, want 422", r.StatusCode)
			}
			doc := r.Doc(t)
			if !strings.HasPrefix(doc.Find("title").Text(), "Error: ") {
				t.Errorf("title %q does not start with Error:", doc.Find("title").Text())
			}
			summary := errorSummary(doc)
			if len(summary) != len(tc.errors) {
				t.Fatalf("error summary %q, want %d errors %q", summary, len(tc.errors), tc.errors)
			}
			for i, want := range tc.errors {
				if !strings.HasPrefix(summary[i], want) {
					t.Errorf("error %d is %q, want it to start %q", i+1, summary[i], want)
				}
				anchor, msg, _ := strings.Cut(want, " ")
				field := strings.TrimPrefix(anchor, "#")
				if doc.Find(anchor).Length() == 0 {
					t.Errorf("the summary links to %s, which is not on the page", anchor)
				}
				if fe := doc.Find("#" + field + "-error").Text(); !strings.Contains(fe, msg) {
					t.Errorf("field error #%s-error is %q, want it to contain %q", field, strings.TrimSpace(fe), msg)
				}
			}
			// What was typed is kept, except the password.
			if v, _ := doc.Find("#name").Attr("value"); v != strings.TrimSpace(tc.form.Get("name")) {
				t.Errorf("name kept as %q, typed %q", v, tc.form.Get("name"))
			}
			if v, _ := doc.Find("#email").Attr("value"); v != strings.TrimSpace(tc.form.Get("email")) {
				t.Errorf("email kept as %q, typed %q", v, tc.form.Get("email"))
			}
			if _, has := doc.Find("#password").Attr("value"); has {
				t.Error("the password is sent back in the page")
			}
			if org := tc.form.Get("org"); org != "" && org != "999999" && org != "whitmore" {
				if v, _ := doc.Find("#org option[selected]").Attr("value"); v != org {
					t.Errorf("organisation kept as %q, chose %q", v, org)
				}
			}
			for _, role := range tc.form["roles"] {
				if role == "wizard" {
					continue
				}
				if doc.Find(`input[name="roles"][value="`+role+`"][checked]`).Length() != 1 {
					t.Errorf("role %s not kept ticked", role)
				}
			}
			if n := countUsersWithEmail(t, a, "priya@whitmore.school.example"); n != 0 {
				t.Errorf("an invalid form created a user")
			}
		})
	}
}

func TestCreatingAUserWithAnEmailAlreadyInUseIsRefused(t *testing.T) {
	a := testapp.New(t)
	admin := signedInAdmin(t, a)
	before := countUsersWithEmail(t, a, "coordinator@whitmore.school.example")
	for _, email := range []string{"coordinator@whitmore.school.example", "Coordinator@WHITMORE.school.example"} {
		r := admin.Post("/admin/users", createForm("Someone Else", email, orgIDBySlug(t, a, "whitmore"), testapp.Password, "dsl"))
		if r.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("%s: %d, want 422", email, r.StatusCode)
		}
		doc := r.Doc(t)
		if s := errorSummary(doc); len(s) != 1 || s[0] != "#email A user with this email address already exists" {
			t.Errorf("%s: error summary %q", email, s)
		}
		if v, _ := doc.Find("#name").Attr("value"); v != "Someone Else" {
			t.Errorf("name not kept: %q", v)
		}
	}
	if after := countUsersWithEmail(t, a, "coordinator@whitmore.school.example"); after != before {
		t.Errorf("%d accounts with the email, want %d", after, before)
	}
	var name string
	if err := a.Pool.QueryRow(context.Background(), `SELECT name FROM users WHERE email = 'coordinator@whitmore.school.example'`).Scan(&name); err != nil {
		t.Fatal(err)
	}
	if name != "Hannah Okafor" {
		t.Errorf("the existing account was changed: name %q", name)
	}
}

func TestSubmittingTheSameNewUserTwiceCreatesOneUser(t *testing.T) {
	a := testapp.New(t)
	admin := signedInAdmin(t, a)
	f := createForm("Priya Shah", "priya@whitmore.school.example", orgIDBySlug(t, a, "whitmore"), testapp.Password, "coordinator")
	first := admin.Post("/admin/users", f)
	second := admin.Post("/admin/users", f)
	if first.StatusCode != http.StatusSeeOther || second.StatusCode != http.StatusSeeOther {
		t.Fatalf("statuses %d, %d, want 303 both times", first.StatusCode, second.StatusCode)
	}
	if first.Location() != second.Location() {
		t.Errorf("the second submit goes to %q, the first to %q", second.Location(), first.Location())
	}
	if msg, _ := banner(mustGet(t, admin, second.Location())); !strings.Contains(msg, "already been added") {
		t.Errorf("second submit's flash %q", msg)
	}
	if n := countUsersWithEmail(t, a, "priya@whitmore.school.example"); n != 1 {
		t.Errorf("%d users after a double submit, want 1", n)
	}
	if n := auditCount(t, a, "user.created", userID(t, a, "priya@whitmore.school.example")); n != 1 {
		t.Errorf("%d user.created entries, want 1", n)
	}
}

func TestSubmittingTheSameNewUserManyTimesAtOnceCreatesOneUser(t *testing.T) {
	a := testapp.New(t)
	admin := signedInAdmin(t, a)
	body := createForm("Priya Shah", "priya@whitmore.school.example", orgIDBySlug(t, a, "whitmore"), testapp.Password, "coordinator").Encode()
	const n = 6
	statuses := make([]int, n)
	locations := make([]string, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req, err := http.NewRequest(http.MethodPost, a.URL+"/admin/users", strings.NewReader(body))
			if err != nil {
				errs[i] = err
				return
			}
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("Sec-Fetch-Site", "same-origin")
			resp, err := admin.HTTP.Do(req)
			if err != nil {
				errs[i] = err
				return
			}
			resp.Body.Close()
			statuses[i], locations[i] = resp.StatusCode, resp.Header.Get("Location")
		}()
	}
	wg.Wait()
	for i := range n {
		if errs[i] != nil {
			t.Fatalf("request %d: %v", i, errs[i])
		}
		if statuses[i] != http.StatusSeeOther || locations[i] != locations[0] {
			t.Errorf("request %d: %d to %q, want 303 to %q", i, statuses[i], locations[i], locations[0])
		}
	}
	if got := countUsersWithEmail(t, a, "priya@whitmore.school.example"); got != 1 {
		t.Errorf("%d users after %d simultaneous submits, want 1", got, n)
	}
	if got := auditCount(t, a, "user.created", userID(t, a, "priya@whitmore.school.example")); got != 1 {
		t.Errorf("%d user.created entries, want 1", got)
	}
}

func TestGrantingCAPAdminOpensTheUsersPagesAtTheirNextRequest(t *testing.T) {
	a := testapp.New(t)
	admin := signedInAdmin(t, a)
	panel := a.Client(t)
	panel.SignIn("panel@cap.example")
	if r := panel.Get("/admin/users"); r.StatusCode != http.StatusForbidden {
		t.Fatalf("before the grant: %d, want 403", r.StatusCode)
	}
	id := userID(t, a, "panel@cap.example")
	r := admin.Post("/admin/users/"+id+"/roles", form("role", "cap_admin", "org", orgIDBySlug(t, a, "cap")))
	if r.StatusCode != http.StatusSeeOther || r.Location() != "/admin/users/"+id {
		t.Fatalf("grant: %d to %q", r.StatusCode, r.Location())
	}
	if msg, ok := banner(mustGet(t, admin, r.Location())); msg != "Role granted: CAP admin" || !ok {
		t.Errorf("flash %q success=%v", msg, ok)
	}
	if n := auditCount(t, a, "role.granted", id); n != 1 {
		t.Errorf("%d role.granted entries, want 1", n)
	}
	var role string
	if err := a.Pool.QueryRow(context.Background(), `SELECT details->>'role' FROM audit_log WHERE action = 'role.granted' AND subject_id = $1`, id).Scan(&role); err != nil {
		t.Fatal(err)
	}
	if role != "cap_admin" {
		t.Errorf("audit details role %q", role)
	}

	// Without signing in again.
	if r := panel.Get("/admin/users"); r.StatusCode != http.StatusOK {
		t.Errorf("after the grant: /admin/users %d, want 200", r.StatusCode)
	}
	if nav := navTexts(mustGet(t, panel, "/")); !slices.Contains(nav, "Users") || !slices.Contains(nav, "Audit log") {
		t.Errorf("navigation after the grant %v lacks Users and Audit log", nav)
	}

	// Granting it again changes nothing.
	admin.Post("/admin/users/"+id+"/roles", form("role", "cap_admin", "org", orgIDBySlug(t, a, "cap")))
	if n := auditCount(t, a, "role.granted", id); n != 1 {
		t.Errorf("%d role.granted entries after granting twice, want 1", n)
	}
}

func TestGrantingARoleWithoutAChoiceOrInTheWrongOrganisationIsRefused(t *testing.T) {
	a := testapp.New(t)
	admin := signedInAdmin(t, a)
	id := userID(t, a, "panel@cap.example")
	capOrg := orgIDBySlug(t, a, "cap")
	cases := []struct {
		name    string
		form    url.Values
		summary []string
	}{
		{"nothing chosen", form("role", "", "org", ""), []string{"#role Choose a role", "#grant-org Choose an organisation"}},
		{"unknown role", form("role", "wizard", "org", capOrg), []string{"#role Choose a role"}},
		{"provider role at CAP", form("role", "provider_staff", "org", capOrg), []string{"#role Provider staff cannot be held in that organisation"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := admin.Post("/admin/users/"+id+"/roles", tc.form)
			if r.StatusCode != http.StatusUnprocessableEntity {
				t.Fatalf("status %d, want 422", r.StatusCode)
			}
			doc := r.Doc(t)
			s := errorSummary(doc)
			if len(s) != len(tc.summary) {
				t.Fatalf("error summary %q, want %q", s, tc.summary)
			}
			for i, want := range tc.summary {
				if !strings.HasPrefix(s[i], want) {
					t.Errorf("error %q, want %q", s[i], want)
				}
			}
			if tc.form.Get("org") != "" {
				if v, _ := doc.Find("#grant-org option[selected]").Attr("value"); v != tc.form.Get("org") {
					t.Errorf("organisation choice not kept: %q", v)
				}
			}
		})
	}
	if holdsRole(t, a, id, "provider_staff") {
		t.Error("a refused role was granted")
	}
	if n := auditCount(t, a, "role.granted", id); n != 0 {
		t.Errorf("%d role.granted entries for refused grants", n)
	}
}

func TestRevokedRoleIsGoneAtTheirNextRequest(t *testing.T) {
	a := testapp.New(t)
	admin := signedInAdmin(t, a)
	lead := a.Client(t)
	lead.SignIn("lead@cap.example")
	if r := lead.Get("/admin/audit"); r.StatusCode != http.StatusOK {
		t.Fatalf("before: %d", r.StatusCode)
	}
	id := userID(t, a, "lead@cap.example")
	r := admin.Post("/admin/users/"+id+"/roles/revoke", form("role", "service_lead", "org", orgIDBySlug(t, a, "cap")))
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("revoke: %d", r.StatusCode)
	}
	doc := mustGet(t, admin, r.Location())
	if msg, ok := banner(doc); msg != "Role revoked: Service lead" || !ok {
		t.Errorf("flash %q success=%v", msg, ok)
	}
	if strings.Contains(doc.Find("table.govuk-table tbody").Text(), "Service lead") {
		t.Error("the user's page still lists the revoked role")
	}
	if n := auditCount(t, a, "role.revoked", id); n != 1 {
		t.Errorf("%d role.revoked entries, want 1", n)
	}
	if r := lead.Get("/admin/audit"); r.StatusCode != http.StatusForbidden {
		t.Errorf("after the revoke: /admin/audit %d, want 403", r.StatusCode)
	}
	if nav := navTexts(mustGet(t, lead, "/")); slices.Contains(nav, "Audit log") {
		t.Errorf("navigation still offers the audit log: %v", nav)
	}
}

func TestTheLastCAPAdminRoleCannotBeRevoked(t *testing.T) {
	a := testapp.New(t)
	admin := signedInAdmin(t, a)
	capOrg := orgIDBySlug(t, a, "cap")
	other := userID(t, a, "admin2@cap.example")
	r := admin.Post("/admin/users/"+other+"/roles/revoke", form("role", "cap_admin", "org", capOrg))
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("revoking one of two admins: %d", r.StatusCode)
	}
	mustGet(t, admin, r.Location()) // as the browser would, showing the flash
	if holdsRole(t, a, other, "cap_admin") {
		t.Fatal("revoking one of two admins did not happen")
	}
	self := userID(t, a, "admin@cap.example")
	r = admin.Post("/admin/users/"+self+"/roles/revoke", form("role", "cap_admin", "org", capOrg))
	if r.StatusCode != http.StatusSeeOther || r.Location() != "/admin/users/"+self {
		t.Fatalf("revoking the last admin: %d to %q", r.StatusCode, r.Location())
	}
	doc := mustGet(t, admin, r.Location())
	if msg, ok := banner(doc); !strings.Contains(msg, "You cannot remove the last CAP admin role") || ok {
		t.Errorf("flash %q success=%v, want the refusal as an important (not success) banner", msg, ok)
	}
	if !holdsRole(t, a, self, "cap_admin") {
		t.Error("the last CAP admin role was revoked")
	}
	if n := auditCount(t, a, "role.revoked", self); n != 0 {
		t.Errorf("a refused revoke was audited as done")
	}
	if r := admin.Get("/admin/users"); r.StatusCode != http.StatusOK {
		t.Errorf("the last admin lost the users page: %d", r.StatusCode)
	}
}

func TestAnAdminCannotDeactivateThemselves(t *testing.T) {
	a := testapp.New(t)
	admin := signedInAdmin(t, a)
	self := userID(t, a, "admin@cap.example")
	page := mustGet(t, admin, "/admin/users/"+self)
	if page.Find(`form[action$="/deactivate"]`).Length() != 0 {
		t.Error("own page offers a deactivate button")
	}
	if !strings.Contains(page.Text(), "You cannot deactivate your own account") {
		t.Error("own page does not say why there is no deactivate button")
	}
	r := admin.Post("/admin/users/"+self+"/deactivate", nil)
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("status %d", r.StatusCode)
	}
	if msg, ok := banner(mustGet(t, admin, r.Location())); !strings.Contains(msg, "You cannot deactivate your own account") || ok {
		t.Errorf("flash %q success=%v", msg, ok)
	}
	var active bool
	if err := a.Pool.QueryRow(context.Background(), `SELECT active FROM users WHERE id = $1::bigint`, self).Scan(&active); err != nil {
		t.Fatal(err)
	}
	if !active {
		t.Error("the admin deactivated themselves")
	}
	if n := auditCount(t, a, "user.deactivated", self); n != 0 {
		t.Errorf("%d user.deactivated entries", n)
	}
	if r := admin.Get("/admin/users"); r.StatusCode != http.StatusOK {
		t.Errorf("admin signed out by a refused self-deactivation: %d", r.StatusCode)
	}
}

func TestADeactivatedUserCanBeReactivated(t *testing.T) {
	a := testapp.New(t)
	admin := signedInAdmin(t, a)
	id := userID(t, a, "coordinator@whitmore.school.example")
	r := admin.Post("/admin/users/"+id+"/deactivate", nil)
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("deactivate: %d", r.StatusCode)
	}
	doc := mustGet(t, admin, r.Location())
	if msg, ok := banner(doc); !strings.HasPrefix(msg, "User deactivated") || !ok {
		t.Errorf("flash %q", msg)
	}
	if doc.Find(`form[action="/admin/users/`+id+`/reactivate"]`).Length() != 1 {
		t.Error("a deactivated user's page has no reactivate button")
	}
	if r := a.Client(t).Post("/login", form("email", "coordinator@whitmore.school.example", "password", testapp.Password)); r.StatusCode == http.StatusSeeOther {
		t.Fatal("a deactivated user signed in")
	}

	r = admin.Post("/admin/users/"+id+"/reactivate", nil)
	if r.StatusCode != http.StatusSeeOther || r.Location() != "/admin/users/"+id {
		t.Fatalf("reactivate: %d to %q", r.StatusCode, r.Location())
	}
	doc = mustGet(t, admin, r.Location())
	if msg, ok := banner(doc); !strings.HasPrefix(msg, "User reactivated") || !ok {
		t.Errorf("flash %q", msg)
	}
	if doc.Find(`form[action="/admin/users/`+id+`/deactivate"]`).Length() != 1 {
		t.Error("a reactivated user's page has no deactivate button")
	}
	if auditCount(t, a, "user.deactivated", id) != 1 || auditCount(t, a, "user.reactivated", id) != 1 {
		t.Errorf("audit: %d deactivations, %d reactivations, want 1 and 1", auditCount(t, a, "user.deactivated", id), auditCount(t, a, "user.reactivated", id))
	}
	a.Client(t).SignIn("coordinator@whitmore.school.example")

	// Pressing reactivate again changes nothing.
	admin.Post("/admin/users/"+id+"/reactivate", nil)
	if n := auditCount(t, a, "user.reactivated", id); n != 1 {
		t.Errorf("%d user.reactivated entries after pressing twice", n)
	}
}

func TestUnknownOrNonNumericUserIDsAreNotFound(t *testing.T) {
	a := testapp.New(t)
	admin := signedInAdmin(t, a)
	capOrg := orgIDBySlug(t, a, "cap")
	for _, id := range []string{"999999", "abc", "0", "-3", "1.5", "1e3", "99999999999999999999"} {
		if r := admin.Get("/admin/users/" + id); r.StatusCode != http.StatusNotFound {
			t.Errorf("GET /admin/users/%s: %d, want 404", id, r.StatusCode)
		} else if !strings.Contains(r.Body, "Page not found") {
			t.Errorf("GET /admin/users/%s: not the styled 404 page", id)
		}
		posts := map[string]url.Values{
			"/roles":        form("role", "panel_member", "org", capOrg),
			"/roles/revoke": form("role", "panel_member", "org", capOrg),
			"/deactivate":   nil,
			"/reactivate":   nil,
		}
		for suffix, f := range posts {
			if r := admin.Post("/admin/users/"+id+suffix, f); r.StatusCode != http.StatusNotFound {
				t.Errorf("POST /admin/users/%s%s: %d, want 404", id, suffix, r.StatusCode)
			}
		}
	}
	var n int
	if err := a.Pool.QueryRow(context.Background(), `SELECT count(*) FROM audit_log WHERE subject_id = '999999'`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Errorf("%d audit entries about a user who does not exist", n)
	}
}

func TestOnlyCAPAdminsCanUseTheUsersPages(t *testing.T) {
	a := testapp.New(t)
	coord := a.Client(t)
	coord.SignIn("coordinator@whitmore.school.example")
	self := userID(t, a, "coordinator@whitmore.school.example")
	capOrg := orgIDBySlug(t, a, "cap")
	for _, path := range []string{"/admin/users", "/admin/users/new", "/admin/users/" + self} {
		if r := coord.Get(path); r.StatusCode != http.StatusForbidden {
			t.Errorf("coordinator GET %s: %d, want 403", path, r.StatusCode)
		}
	}
	// A coordinator cannot make themselves an admin or add people.
	if r := coord.Post("/admin/users/"+self+"/roles", form("role", "cap_admin", "org", capOrg)); r.StatusCode != http.StatusForbidden {
		t.Errorf("coordinator granting themselves cap_admin: %d, want 403", r.StatusCode)
	}
	if holdsRole(t, a, self, "cap_admin") {
		t.Fatal("a coordinator granted themselves CAP admin")
	}
	if r := coord.Post("/admin/users", createForm("Sneaky", "sneaky@cap.example", capOrg, testapp.Password, "cap_admin")); r.StatusCode != http.StatusForbidden {
		t.Errorf("coordinator creating a user: %d, want 403", r.StatusCode)
	}
	if countUsersWithEmail(t, a, "sneaky@cap.example") != 0 {
		t.Error("a coordinator created a user")
	}
	// Signed out: off to sign in, and back afterwards.
	r := a.Client(t).Get("/admin/users?role=cap_admin")
	if r.StatusCode != http.StatusSeeOther || r.Location() != "/login?next="+url.QueryEscape("/admin/users?role=cap_admin") {
		t.Errorf("signed out: %d to %q", r.StatusCode, r.Location())
	}
}
