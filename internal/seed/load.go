package seed

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/coventry-cap/capportal/internal/audit"
	"github.com/coventry-cap/capportal/internal/auth"
	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/db"
)

// DefaultDemoPassword is the one password every demo account starts with.
const DefaultDemoPassword = "cap-demo-2026"

// Result says what a demo load added.
type Result struct {
	Organisations int
	Users         int
	SLAs          int
}

// LoadDemo loads the academic calendar, organisations, SLAs and users. It only adds what is missing:
// a second run keeps everything people have changed since (passwords, roles, deactivations).
func LoadDemo(ctx context.Context, pool *pgxpool.Pool, clock calendar.Clock, password string) (Result, error) {
	var res Result
	hash, err := auth.HashPassword(password)
	if err != nil {
		return res, err
	}
	now := clock.Now()
	err = db.InTx(ctx, pool, func(tx pgx.Tx) error {
		if err := calendar.Seed(ctx, tx); err != nil {
			return err
		}
		orgIDs := map[string]int64{}
		addOrg := func(kind, key, name, urn, ukprn, setting, address, postcode, phone, email string, registered bool) error {
			tag, err := tx.Exec(ctx, `
				INSERT INTO organisations (kind, slug, name, urn, ukprn, setting_type, address, postcode, phone, email, registered, created_at, updated_at)
				VALUES ($1, $2, $3, NULLIF($4, ''), NULLIF($5, ''), NULLIF($6, ''), $7, $8, $9, $10, $11, $12, $12)
				ON CONFLICT (slug) DO NOTHING`,
				kind, key, name, urn, ukprn, setting, address, postcode, phone, email, registered, now)
			if err != nil {
				return fmt.Errorf("seed organisation %s: %w", key, err)
			}
			res.Organisations += int(tag.RowsAffected())
			var id int64
			if err := tx.QueryRow(ctx, `SELECT id FROM organisations WHERE slug = $1`, key).Scan(&id); err != nil {
				return fmt.Errorf("seed organisation %s: %w", key, err)
			}
			orgIDs[key] = id
			return nil
		}
		if err := addOrg("la", CAPOrgKey, CAPOrgName, "", "", "Local authority service", CAPAddress, CAPPostcode, CAPPhone, CAPEmail, true); err != nil {
			return err
		}
		for _, s := range DemoSchools {
			if err := addOrg("school", s.Key, s.Name, s.URN, "", "", s.Address, s.Postcode, s.Phone, s.Email, true); err != nil {
				return err
			}
			for year, has := range map[string]bool{"2025/26": s.SLA2526, "2026/27": s.SLA2627} {
				if !has {
					continue
				}
				signedOn := calendar.NewDate(2025, time.July, 1)
				if year == "2026/27" {
					signedOn = calendar.NewDate(2026, time.July, 1)
				}
				tag, err := tx.Exec(ctx, `INSERT INTO slas (school_id, academic_year, signed, signed_on) VALUES ($1, $2, true, $3) ON CONFLICT DO NOTHING`,
					orgIDs[s.Key], year, signedOn)
				if err != nil {
					return fmt.Errorf("seed SLA %s %s: %w", s.Key, year, err)
				}
				res.SLAs += int(tag.RowsAffected())
			}
		}
		for _, p := range DemoProviders {
			if err := addOrg("provider", p.Key, p.Name, p.URN, p.UKPRN, p.SettingType, p.Address, p.Postcode, p.Phone, p.Email, p.Registered); err != nil {
				return err
			}
		}
		for _, u := range DemoUsers {
			var id int64
			err := tx.QueryRow(ctx, `
				INSERT INTO users (email, name, password_hash, created_at, updated_at) VALUES ($1, $2, $3, $4, $4)
				ON CONFLICT (email) DO NOTHING RETURNING id`, u.Email, u.Name, hash, now).Scan(&id)
			if err == pgx.ErrNoRows {
				continue // already there: keep whatever has changed since
			}
			if err != nil {
				return fmt.Errorf("seed user %s: %w", u.Email, err)
			}
			res.Users++
			orgID, ok := orgIDs[u.OrgKey]
			if !ok {
				return fmt.Errorf("seed user %s: unknown organisation %q", u.Email, u.OrgKey)
			}
			for _, r := range u.Roles {
				if _, err := tx.Exec(ctx, `INSERT INTO memberships (user_id, organisation_id, role, granted_at) VALUES ($1, $2, $3, $4)`, id, orgID, r, now); err != nil {
					return fmt.Errorf("seed role %s for %s: %w", r, u.Email, err)
				}
			}
		}
		// Each area's demo records; each loader only adds what is missing.
		for _, load := range []func(context.Context, pgx.Tx, time.Time, map[string]int64) error{loadDirectory, loadSchools, loadStudents, loadPanels} {
			if err := load(ctx, tx, now, orgIDs); err != nil {
				return err
			}
		}
		if res.Organisations+res.Users+res.SLAs == 0 {
			return nil
		}
		return audit.On(tx).Write(ctx, audit.Entry{
			At: now, ActorEmail: "capportal seed demo", Action: "seed.demo", SubjectType: "service",
			Summary: fmt.Sprintf("Loaded demo data: %d organisations, %d users, %d SLAs", res.Organisations, res.Users, res.SLAs),
		})
	})
	return res, err
}
