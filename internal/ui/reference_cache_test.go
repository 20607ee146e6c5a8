package ui_test

import (
	"context"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/coventry-cap/capportal/internal/testapp"
)

// The organisations a list's filter offers are read once and kept under the reference data's
// version (migration 0030): a change to organisations, made by any process, moves the version on
// and is offered on the next request; until then the kept options are used. The middle step
// changes a name with the version's trigger off, so the page shows whether the options were kept.
func TestTheFilterOptionsAreKeptUntilAnOrganisationChanges(t *testing.T) {
	a := testapp.New(t)
	ctx := context.Background()
	admin := pwSignedIn(t, a, pwAdmin)
	options := func() map[string]bool {
		t.Helper()
		got := map[string]bool{}
		admin.Get("/referrals").Doc(t).Find(`select[name="school"] option`).Each(func(_ int, o *goquery.Selection) {
			got[o.Text()] = true
		})
		if len(got) < 2 {
			t.Fatalf("the school filter offers %d options", len(got))
		}
		return got
	}
	exec := func(sql string) {
		t.Helper()
		if _, err := a.Pool.Exec(ctx, sql); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
	options()
	exec(`INSERT INTO organisations (kind, slug, name) VALUES ('school', 'newly-opened', 'Newly Opened Academy')`)
	if !options()["Newly Opened Academy"] {
		t.Fatalf("a school added by another process is not offered on the next request")
	}
	exec(`ALTER TABLE organisations DISABLE TRIGGER organisations_reference_data`)
	exec(`UPDATE organisations SET name = 'Renamed Unseen Academy' WHERE slug = 'newly-opened'`)
	if got := options(); !got["Newly Opened Academy"] || got["Renamed Unseen Academy"] {
		t.Errorf("with the version unchanged the filter read the organisations again (the options were not kept)")
	}
	exec(`ALTER TABLE organisations ENABLE TRIGGER organisations_reference_data`)
	exec(`UPDATE organisations SET name = 'Renamed Seen Academy' WHERE slug = 'newly-opened'`)
	if got := options(); !got["Renamed Seen Academy"] || got["Newly Opened Academy"] {
		t.Errorf("a renamed school is not offered under its new name on the next request")
	}
}
