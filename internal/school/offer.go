package school

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/jackc/pgx/v5"

	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/db"
)

// Offer is what the CAP SLA gives a school in one academic year, from the SLA document.
type Offer struct {
	AcademicYear            string
	Tier1QAPlacements       int  // paid-for quality-assured Tier 1 placements (course fees still apply)
	WTACProgramme           bool // a year's subscription to When The Adults Change
	CollaborativeLeadership bool
	SEMHLPractitioner       bool // in school half a day a week
	NetworkEvents           bool
	SigningDeadline         calendar.Date // zero when CAP has set none
	Draft                   bool          // copied by rollover and not yet confirmed
}

// Entitlement is what a signed SLA gives at one tier.
type Entitlement struct {
	Tier   string // "Tier 1"
	Access string // "Open access"
	Detail string
}

// Entitlements are the tiers the offer opens, in the SLA document's words.
func (o Offer) Entitlements() []Entitlement {
	return []Entitlement{
		{Tier: "Tier 1", Access: "Open access",
			Detail: "Courses, qualifications and awards from the CAP Directory, with " + strconv.Itoa(o.Tier1QAPlacements) +
				" paid-for quality-assured placements (course fees still apply)"},
		{Tier: "Tier 2", Access: "Priority access",
			Detail: "Unlimited Insight and Flourish placements, with priority over schools without the SLA (course fees still apply)"},
		{Tier: "Tier 3", Access: "Exclusive access",
			Detail: "Supported Transfer and Refocus at Coventry AP Academy are only for schools with the SLA"},
	}
}

// Services are the services the offer includes beyond the tiers, in the SLA document's words.
func (o Offer) Services() []string {
	var out []string
	if o.WTACProgramme {
		out = append(out, "A year’s subscription to the When The Adults Change Behaviour Programme")
	}
	if o.CollaborativeLeadership {
		out = append(out, "Collaborative leadership support")
	}
	if o.SEMHLPractitioner {
		out = append(out, "A SEMHL practitioner in school half a day a week")
	}
	if o.NetworkEvents {
		out = append(out, "Network and training events for behaviour leads, pastoral leads, SENDCos and CAP coordinators")
	}
	return out
}

const offerColumns = `academic_year, tier1_qa_placements, wtac_programme, collaborative_leadership, semhl_practitioner,
	network_events, signing_deadline, draft`

// OfferFor returns the SLA offer for the academic year; db.ErrNotFound when CAP has set none.
func (s Store) OfferFor(ctx context.Context, year string) (Offer, error) {
	rows, err := s.DB.Query(ctx, `SELECT `+offerColumns+` FROM sla_offers WHERE academic_year = $1`, year)
	if err != nil {
		return Offer{}, fmt.Errorf("load SLA offer: %w", err)
	}
	o, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByPos[Offer])
	if errors.Is(err, pgx.ErrNoRows) {
		return Offer{}, db.ErrNotFound
	}
	if err != nil {
		return Offer{}, fmt.Errorf("load SLA offer: %w", err)
	}
	return o, nil
}

// SaveOffer writes a year's offer, replacing what was there. Demo data and tests use it; rollover
// copies with CopyOffer.
func (s Store) SaveOffer(ctx context.Context, o Offer) error {
	_, err := s.DB.Exec(ctx, `
		INSERT INTO sla_offers (`+offerColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
		ON CONFLICT (academic_year) DO UPDATE SET
			tier1_qa_placements = EXCLUDED.tier1_qa_placements, wtac_programme = EXCLUDED.wtac_programme,
			collaborative_leadership = EXCLUDED.collaborative_leadership, semhl_practitioner = EXCLUDED.semhl_practitioner,
			network_events = EXCLUDED.network_events, signing_deadline = EXCLUDED.signing_deadline,
			draft = EXCLUDED.draft, updated_at = now()`,
		o.AcademicYear, o.Tier1QAPlacements, o.WTACProgramme, o.CollaborativeLeadership, o.SEMHLPractitioner,
		o.NetworkEvents, o.SigningDeadline, o.Draft)
	if err != nil {
		return fmt.Errorf("save SLA offer %s: %w", o.AcademicYear, err)
	}
	return nil
}

// CopyOffer copies one year's SLA offer into the next as a draft, moving the signing deadline to the
// same weekday of the same week a year on. It reports whether it copied: false, with no error, when
// fromYear has no offer or toYear already has one (which is never overwritten, so running rollover
// twice changes nothing). toYear must already be an academic year. The caller audits, in tx.
func CopyOffer(ctx context.Context, tx pgx.Tx, fromYear, toYear string) (bool, error) {
	o, err := On(tx).OfferFor(ctx, fromYear)
	if errors.Is(err, db.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	o.AcademicYear, o.Draft = toYear, true
	if !o.SigningDeadline.IsZero() {
		o.SigningDeadline = calendar.SameWeekdayNextYear(o.SigningDeadline)
	}
	tag, err := tx.Exec(ctx, `
		INSERT INTO sla_offers (`+offerColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
		ON CONFLICT (academic_year) DO NOTHING`,
		o.AcademicYear, o.Tier1QAPlacements, o.WTACProgramme, o.CollaborativeLeadership, o.SEMHLPractitioner,
		o.NetworkEvents, o.SigningDeadline, o.Draft)
	if err != nil {
		return false, fmt.Errorf("copy SLA offer %s to %s: %w", fromYear, toYear, err)
	}
	return tag.RowsAffected() == 1, nil
}

// ConfirmOffer takes a year's offer out of draft. A year with no offer, or one already confirmed, is
// left as it is. The caller audits, in tx.
func ConfirmOffer(ctx context.Context, tx pgx.Tx, year string) error {
	if _, err := tx.Exec(ctx, `UPDATE sla_offers SET draft = false, updated_at = now() WHERE academic_year = $1 AND draft`, year); err != nil {
		return fmt.Errorf("confirm SLA offer %s: %w", year, err)
	}
	return nil
}
