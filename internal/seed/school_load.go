package seed

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/coventry-cap/capportal/internal/school"
)

// DemoSLAOffers are the CAP SLA offers for 2025/26, from the SLA document, and for 2026/27 on the same
// terms, both confirmed. The document sets no signing deadline, so none is invented.
var DemoSLAOffers = []school.Offer{
	{AcademicYear: "2025/26", Tier1QAPlacements: 15, WTACProgramme: true, CollaborativeLeadership: true, SEMHLPractitioner: true, NetworkEvents: true},
	{AcademicYear: "2026/27", Tier1QAPlacements: 15, WTACProgramme: true, CollaborativeLeadership: true, SEMHLPractitioner: true, NetworkEvents: true},
}

// loadSchools adds the SLA offers. Schools, their contacts (the users holding school roles) and their
// SLAs are loaded with the organisations; an offer already there is kept as CAP left it.
func loadSchools(ctx context.Context, tx pgx.Tx, now time.Time, orgIDs map[string]int64) error {
	for _, o := range DemoSLAOffers {
		if _, err := tx.Exec(ctx, `
			INSERT INTO sla_offers (academic_year, tier1_qa_placements, wtac_programme, collaborative_leadership,
			                        semhl_practitioner, network_events, signing_deadline, draft, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)
			ON CONFLICT (academic_year) DO NOTHING`,
			o.AcademicYear, o.Tier1QAPlacements, o.WTACProgramme, o.CollaborativeLeadership,
			o.SEMHLPractitioner, o.NetworkEvents, o.SigningDeadline, o.Draft, now); err != nil {
			return fmt.Errorf("seed SLA offer %s: %w", o.AcademicYear, err)
		}
	}
	return nil
}
