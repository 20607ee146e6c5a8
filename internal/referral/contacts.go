package referral

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/coventry-cap/capportal/internal/db"
)

// SchoolContact is who a provider or CAP gets in touch with at the referring school: the person who
// submitted the referral, and the school's own phone and email.
type SchoolContact struct {
	SchoolName    string
	SchoolPhone   string // "" when the school has none on record
	SchoolEmail   string
	ReferrerName  string
	ReferrerEmail string
}

// SchoolContactOf reads the school's contact for a referral already loaded within the viewer's
// scope. The referrer is the coordinator who submitted it (who started it, for a draft).
func (s Store) SchoolContactOf(ctx context.Context, r Referral) (SchoolContact, error) {
	var c SchoolContact
	err := s.DB.QueryRow(ctx, `
		SELECT o.name, o.phone, o.email, coalesce(u.name, ''), coalesce(u.email, '')
		FROM referrals r
		JOIN organisations o ON o.id = r.school_id
		LEFT JOIN users u ON u.id = coalesce(r.submitted_by, r.created_by)
		WHERE r.id = $1`, r.ID).Scan(&c.SchoolName, &c.SchoolPhone, &c.SchoolEmail, &c.ReferrerName, &c.ReferrerEmail)
	if errors.Is(err, pgx.ErrNoRows) {
		return c, db.ErrNotFound
	}
	if err != nil {
		return c, fmt.Errorf("school contact: %w", err)
	}
	return c, nil
}
