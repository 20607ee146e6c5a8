package ui_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/placement/placementtest"
	"github.com/coventry-cap/capportal/internal/testapp"
)

// With more providers than a select can sensibly offer (a national service has hundreds), the
// referral list's provider filter is a name to type: the page no longer grows with the directory,
// and a name that matches one, several or no providers says what it found.
func TestTheReferralListFiltersByATypedNameWhenProvidersAreMany(t *testing.T) {
	a := testapp.New(t)
	ctx := context.Background()
	programme := pwMotorVehicle(t, a)
	pwSubmitted(t, a, pwKaiUPN, programme)
	pwSubmitted(t, a, pwAmeliaUPN, programme)
	admin := pwSignedIn(t, a, pwAdmin)
	if doc := admin.Get("/referrals").Doc(t); doc.Find(`select[name="provider"]`).Length() != 1 || doc.Find(`input[name="provider_name"]`).Length() != 0 {
		t.Fatalf("with the demo's providers the filter is not a select")
	}
	var provider string
	var n int
	if err := a.Pool.QueryRow(ctx, `SELECT o.name, count(*) FROM referrals r JOIN organisations o ON o.id = r.provider_id
		WHERE r.step <> 'draft' GROUP BY o.name ORDER BY count(*) DESC, o.name LIMIT 1`).Scan(&provider, &n); err != nil {
		t.Fatalf("a provider with referrals: %v", err)
	}
	bulkOrganisations(t, a, "provider", 120)
	doc := admin.Get("/referrals").Doc(t)
	if doc.Find(`select[name="provider"]`).Length() != 0 || doc.Find(`input[name="provider_name"]`).Length() != 1 {
		t.Fatalf("with 120 more providers the filter is still a select")
	}
	if strings.Contains(doc.Find(`form[data-testid="referral-filters"]`).Text(), "Bulk Skills Centre") {
		t.Errorf("the filters still list the providers")
	}

	// Part of one provider's name, in any case: that provider's referrals only, and the name kept.
	part := strings.ToUpper(provider[:len(provider)/2])
	doc = admin.Get("/referrals?provider_name=" + strings.ReplaceAll(part, " ", "+")).Doc(t)
	rows := tableRows(doc.Find(`[data-testid="referrals"]`))
	if len(rows) == 0 || len(rows) > n {
		t.Errorf("%q: %d rows, want 1 to %d", part, len(rows), n)
	}
	for _, row := range rows {
		if !strings.Contains(row, provider) {
			t.Errorf("%q kept a referral of another provider: %s", part, row)
		}
	}
	if v, _ := doc.Find(`input[name="provider_name"]`).Attr("value"); v != part {
		t.Errorf("the typed name was not kept: %q", v)
	}

	// A name that matches nothing says so.
	doc = admin.Get("/referrals?provider_name=Nowhere+Such").Doc(t)
	if doc.Find(`[data-testid="referrals"] tbody tr`).Length() != 0 ||
		!strings.Contains(doc.Find(`[data-testid="filter-note"]`).Text(), "No training provider’s name contains “Nowhere Such”") {
		t.Errorf("a name matching nothing: %q", doc.Find(`main`).Text())
	}
	// One matching many says how many.
	doc = admin.Get("/referrals?provider_name=bulk+skills").Doc(t)
	if !strings.Contains(doc.Find(`[data-testid="filter-note"]`).Text(), "the 120 training providers whose names contain “bulk skills”") {
		t.Errorf("a name matching 120: %q", doc.Find(`[data-testid="filter-note"]`).Text())
	}

	// Schools likewise.
	bulkOrganisations(t, a, "school", 101)
	var school string
	if err := a.Pool.QueryRow(ctx, `SELECT o.name FROM referrals r JOIN organisations o ON o.id = r.school_id
		WHERE r.step <> 'draft' ORDER BY r.id LIMIT 1`).Scan(&school); err != nil {
		t.Fatal(err)
	}
	doc = admin.Get("/referrals?school_name=" + strings.ReplaceAll(strings.ToLower(school), " ", "+")).Doc(t)
	if doc.Find(`select[name="school"]`).Length() != 0 || doc.Find(`input[name="school_name"]`).Length() != 1 {
		t.Fatalf("with 101 more schools the school filter is still a select")
	}
	rows = tableRows(doc.Find(`[data-testid="referrals"]`))
	if len(rows) == 0 {
		t.Errorf("no referrals of %s", school)
	}
	for _, row := range rows {
		if !strings.Contains(row, school) {
			t.Errorf("%q kept a referral of another school: %s", school, row)
		}
	}
}

// In a real browser, with axe on every page: a CAP admin with a national directory types part of a
// provider's name, then a name that matches nothing; the monitoring officer's dashboard shows its
// overdue reviews.
func TestACAPAdminFiltersTheReferralsByATypedProviderNameInABrowser(t *testing.T) {
	a := testapp.New(t)
	programme := pwMotorVehicle(t, a)
	pwSubmitted(t, a, pwKaiUPN, programme)
	bulkOrganisations(t, a, "provider", 120)
	// Freya's placement began on 5 October; its first review, due on 23 October, was never held.
	placementtest.Create(t, a.Pool, placementtest.Spec{Student: "Freya", Provider: "ridgeway", Start: calendar.NewDate(2026, time.October, 5), Days: []int32{3}})
	b, as := chBrowser(t, a)
	as(pwAdmin)
	b.Visit(a.URL + "/referrals")
	b.Fill("#provider_name", "  ridgeway ")
	b.Submit(`form[data-testid="referral-filters"] button`)
	if rows := b.Text(`[data-testid="referrals"] tbody`); !strings.Contains(rows, "Ridgeway Motor Skills") || !strings.Contains(b.URL(), "provider_name=") {
		t.Errorf("filtered by a typed name: %q at %s", rows, b.URL())
	}
	if v := b.Value("#provider_name"); v != "ridgeway" {
		t.Errorf("the typed name was not kept: %q", v)
	}
	b.Screenshot("referrals-provider-name")
	b.Fill("#provider_name", "Nowhere Such")
	b.Submit(`form[data-testid="referral-filters"] button`)
	if note := b.Text(`[data-testid="filter-note"]`); !strings.Contains(note, "No training provider’s name contains “Nowhere Such”") {
		t.Errorf("a name matching nothing: %q", note)
	}
	b.Screenshot("referrals-provider-name-none")
	// The directory's provider filter, a name to type too.
	b.Visit(a.URL + "/directory")
	b.Fill("#provider_name", "ridgeway")
	b.Submit(`form[data-testid="directory-search"] button`)
	if rows := b.Text(`[data-testid="programmes"] tbody`); !strings.Contains(rows, "Ridgeway Motor Skills") || !strings.Contains(b.URL(), "provider_name=ridgeway") {
		t.Errorf("the directory filtered by a typed provider name: %q at %s", rows, b.URL())
	}
	b.Screenshot("directory-provider-name")
	as("monitoring@cap.example")
	b.Visit(a.URL + "/")
	if main := b.Text("main"); !strings.Contains(main, "1 review date has passed with no progress review recorded") ||
		!strings.Contains(main, "review due on Friday 23 October 2026") {
		t.Errorf("the monitoring dashboard does not show Freya's overdue review: %q", main)
	}
	b.Screenshot("monitoring-dashboard")
}

// The CAP Directory's provider filter likewise: a select while the providers are few, a name to
// type past a hundred, finding the programmes of every provider whose name contains it.
func TestTheDirectoryFiltersByATypedProviderNameWhenProvidersAreMany(t *testing.T) {
	a := testapp.New(t)
	ctx := context.Background()
	c := pwSignedIn(t, a, pwCoordinator)
	if doc := c.Get("/directory").Doc(t); doc.Find(`select[name="provider"]`).Length() != 1 || doc.Find(`input[name="provider_name"]`).Length() != 0 {
		t.Fatalf("with the demo's providers the directory's filter is not a select")
	}
	var want int
	if err := a.Pool.QueryRow(ctx, `SELECT count(*) FROM programmes p JOIN organisations o ON o.id = p.organisation_id
		WHERE p.active AND o.name ILIKE '%ridgeway%'`).Scan(&want); err != nil || want == 0 {
		t.Fatalf("Ridgeway's programmes: %d (%v)", want, err)
	}
	bulkOrganisations(t, a, "provider", 120)
	doc := c.Get("/directory").Doc(t)
	if doc.Find(`select[name="provider"]`).Length() != 0 || doc.Find(`input[name="provider_name"]`).Length() != 1 ||
		strings.Contains(doc.Find(`form[data-testid="directory-search"]`).Text(), "Bulk Skills Centre") {
		t.Fatalf("with 120 more providers the directory still lists them in a select")
	}
	doc = c.Get("/directory?provider_name=RIDGEWAY").Doc(t)
	rows := tableRows(doc.Find(`[data-testid="programmes"]`))
	if len(rows) != want {
		t.Errorf("Ridgeway's programmes by a typed name: %d rows, want %d", len(rows), want)
	}
	for _, row := range rows {
		if !strings.Contains(row, "Ridgeway") {
			t.Errorf("a programme of another provider: %s", row)
		}
	}
	if v, _ := doc.Find(`input[name="provider_name"]`).Attr("value"); v != "RIDGEWAY" {
		t.Errorf("the typed name was not kept: %q", v)
	}
	if doc.Find(`[data-testid="clear-filters"]`).Length() != 1 {
		t.Error("a typed provider name does not offer to clear the filters")
	}
	doc = c.Get("/directory?provider_name=Nowhere+Such").Doc(t)
	if doc.Find(`[data-testid="programmes"] tbody tr`).Length() != 0 ||
		!strings.Contains(doc.Find(`[data-testid="filter-note"]`).Text(), "No provider’s name contains “Nowhere Such”") {
		t.Errorf("a name matching nothing: %q", doc.Find(`main`).Text())
	}
	doc = c.Get("/directory?provider_name=bulk+skills").Doc(t)
	if !strings.Contains(doc.Find(`[data-testid="filter-note"]`).Text(), "Showing the programmes of the 120 providers whose names contain “bulk skills”") {
		t.Errorf("a name matching 120: %q", doc.Find(`[data-testid="filter-note"]`).Text())
	}
}

// bulkOrganisations adds n providers ("Bulk Skills Centre 1" …) or schools ("Bulk Community School
// 1" …): more than a filter offers as a select.
func bulkOrganisations(t *testing.T, a *testapp.App, kind string, n int) {
	t.Helper()
	name := map[string]string{"provider": "Bulk Skills Centre ", "school": "Bulk Community School "}[kind]
	if _, err := a.Pool.Exec(context.Background(), `INSERT INTO organisations (kind, slug, name)
		SELECT $1, 'bulk-' || $1 || '-' || g, $2 || g FROM generate_series(1, $3::int) g`, kind, name, n); err != nil {
		t.Fatal(err)
	}
}

// A provider or school in the link that is not one the filter offers (a mistyped or stale link) is
// not a hidden filter that empties the list: the list shows every referral, as the directory does.
func TestTheReferralListIgnoresAnOrganisationTheFilterDoesNotOffer(t *testing.T) {
	a := testapp.New(t)
	programme := pwMotorVehicle(t, a)
	pwSubmitted(t, a, pwKaiUPN, programme)
	admin := pwSignedIn(t, a, pwAdmin)
	all := admin.Get("/referrals").Doc(t).Find(`table tbody tr`).Length()
	if all == 0 {
		t.Fatalf("the referral list shows no referrals")
	}
	for _, q := range []string{"provider=987654321", "school=987654321"} {
		if got := admin.Get("/referrals?" + q).Doc(t).Find(`table tbody tr`).Length(); got != all {
			t.Errorf("/referrals?%s shows %d referrals, want all %d", q, got, all)
		}
	}
}
