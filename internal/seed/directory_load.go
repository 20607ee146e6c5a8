package seed

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/coventry-cap/capportal/internal/directory"
)

// loadDirectory adds the CAP Directory: each demo provider's DSL contact and sites, and the demo
// programmes with their referral windows. It only adds what is missing: a programme is found by its
// slug, so one CAP has renamed, changed or retired stays as CAP left it, and a provider's sites are
// only added along with its details, so sites CAP has removed stay removed.
func loadDirectory(ctx context.Context, tx pgx.Tx, now time.Time, orgIDs map[string]int64) error {
	sitesOf := map[string][]DemoSite{}
	for _, s := range demoSites {
		sitesOf[s.Provider] = append(sitesOf[s.Provider], s)
	}
	for _, p := range DemoProviders {
		id, ok := orgIDs[p.Key]
		if !ok {
			return fmt.Errorf("seed provider details %s: unknown organisation", p.Key)
		}
		tag, err := tx.Exec(ctx, `
			INSERT INTO provider_details (organisation_id, dsl_name, dsl_email, dsl_phone, updated_at)
			VALUES ($1, $2, $3, $4, $5) ON CONFLICT (organisation_id) DO NOTHING`,
			id, p.DSLName, p.DSLEmail, p.DSLPhone, now)
		if err != nil {
			return fmt.Errorf("seed provider details %s: %w", p.Key, err)
		}
		if tag.RowsAffected() == 0 {
			continue
		}
		for _, s := range sitesOf[p.Key] {
			if _, err := tx.Exec(ctx, `
				INSERT INTO provider_sites (organisation_id, name, address, postcode, created_at, updated_at)
				VALUES ($1, $2, $3, $4, $5, $5) ON CONFLICT DO NOTHING`,
				id, s.Name, s.Address, s.Postcode, now); err != nil {
				return fmt.Errorf("seed site %s of %s: %w", s.Name, p.Key, err)
			}
		}
	}
	for _, p := range DemoProgrammes() {
		var providerID *int64
		if p.Provider != "" {
			id, ok := orgIDs[p.Provider]
			if !ok {
				return fmt.Errorf("seed programme %s: unknown provider %q", p.Slug, p.Provider)
			}
			providerID = &id
		}
		kind := directory.Kind(p.Kind)
		days := make([]int32, len(p.Days))
		for i, d := range p.Days {
			days[i] = int32(d)
		}
		years := make([]int32, len(p.YearGroups))
		for i, y := range p.YearGroups {
			years[i] = int32(y)
		}
		var fee *int
		var basis *string
		if p.FeeBasis != "" {
			fee, basis = &p.FeePence, &p.FeeBasis
		}
		var category, weeks, capacity any
		if p.Category != "" {
			category = p.Category
		}
		if p.Weeks != 0 {
			weeks = p.Weeks
		}
		if p.Capacity != 0 {
			capacity = p.Capacity
		}
		var id int64
		err := tx.QueryRow(ctx, `
			INSERT INTO programmes (slug, tier, kind, name, organisation_id, category, description, qualifications, duration,
			    duration_weeks, days_per_week, days_offered, fee_pence, fee_basis, year_groups, capacity_per_cohort,
			    goes_to_panel, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $18)
			ON CONFLICT (slug) DO NOTHING
			RETURNING id`,
			p.Slug, kind.Tier(), p.Kind, p.Name, providerID, category, p.Description, p.Qualifications, p.Duration,
			weeks, p.DaysPerWeek, days, fee, basis, years, capacity, kind.GoesToPanel(), now).Scan(&id)
		if err == pgx.ErrNoRows {
			continue // already there: keep whatever CAP has changed since
		}
		if err != nil {
			return fmt.Errorf("seed programme %s: %w", p.Slug, err)
		}
		for _, w := range p.Windows {
			if _, err := tx.Exec(ctx, `
				INSERT INTO programme_windows (programme_id, academic_year, opens_on, closes_on, label, created_at)
				VALUES ($1, $2, $3, $4, $5, $6)`, id, w.AcademicYear, w.Opens, w.Closes, w.Label, now); err != nil {
				return fmt.Errorf("seed window of %s: %w", p.Slug, err)
			}
		}
	}
	return nil
}
