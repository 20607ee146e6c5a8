package directory

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/coventry-cap/capportal/internal/audit"
	"github.com/coventry-cap/capportal/internal/db"
)

// ProviderOption is a provider as a choice in a list.
type ProviderOption struct {
	ID     int64
	Name   string
	Active bool
}

// ListProviders returns the training providers in name order: current ones, or every one.
func (s Store) ListProviders(ctx context.Context, includeRetired bool) ([]ProviderOption, error) {
	rows, err := s.DB.Query(ctx, `
		SELECT id, name, active FROM organisations
		WHERE kind = 'provider' AND (active OR $1)
		ORDER BY lower(name), id`, includeRetired)
	if err != nil {
		return nil, fmt.Errorf("list providers: %w", err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowToStructByPos[ProviderOption])
	if err != nil {
		return nil, fmt.Errorf("list providers: %w", err)
	}
	return out, nil
}

// GetProvider returns a training provider, current or retired, with its sites and programmes
// (current ones first, each in name order).
func (s Store) GetProvider(ctx context.Context, id int64) (Provider, error) {
	var p Provider
	err := s.DB.QueryRow(ctx, `
		SELECT o.id, o.slug, o.name, coalesce(o.ukprn, ''), coalesce(o.urn, ''), coalesce(o.setting_type, ''), o.registered,
		       o.address, o.postcode, o.phone, o.email,
		       coalesce(d.dsl_name, ''), coalesce(d.dsl_email, ''), coalesce(d.dsl_phone, ''), o.active, d.retired_at
		FROM organisations o LEFT JOIN provider_details d ON d.organisation_id = o.id
		WHERE o.id = $1 AND o.kind = 'provider'`, id).Scan(
		&p.ID, &p.Slug, &p.Name, &p.UKPRN, &p.URN, &p.SettingType, &p.Registered,
		&p.Address, &p.Postcode, &p.Phone, &p.Email,
		&p.DSLName, &p.DSLEmail, &p.DSLPhone, &p.Active, &p.RetiredAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return p, db.ErrNotFound
	}
	if err != nil {
		return p, fmt.Errorf("get provider: %w", err)
	}
	if p.Sites, err = providerSites(ctx, s.DB, id); err != nil {
		return p, err
	}
	rows, err := s.DB.Query(ctx, "SELECT "+programmeColumns+` FROM programmes p
		WHERE p.organisation_id = $1 ORDER BY p.active DESC, lower(p.name), p.id`, id)
	if err != nil {
		return p, fmt.Errorf("provider programmes: %w", err)
	}
	p.Programmes, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (Programme, error) { return scanProgramme(row) })
	if err != nil {
		return p, fmt.Errorf("provider programmes: %w", err)
	}
	return p, nil
}

func providerSites(ctx context.Context, q db.DBTX, id int64) ([]Site, error) {
	rows, err := q.Query(ctx, `SELECT id, name, address, postcode FROM provider_sites WHERE organisation_id = $1 ORDER BY lower(name), id`, id)
	if err != nil {
		return nil, fmt.Errorf("provider sites: %w", err)
	}
	sites, err := pgx.CollectRows(rows, pgx.RowToStructByPos[Site])
	if err != nil {
		return nil, fmt.Errorf("provider sites: %w", err)
	}
	return sites, nil
}

var slugRun = regexp.MustCompile(`[^a-z0-9]+`)

// Slugify makes an organisation slug from a name: "Brick & Beam Skills" becomes "brick-beam-skills".
func Slugify(name string) string {
	s := strings.Trim(slugRun.ReplaceAllString(strings.ToLower(name), "-"), "-")
	if len(s) > 60 {
		s = strings.TrimRight(s[:60], "-")
	}
	if s == "" {
		s = "provider"
	}
	return s
}

// freeSlug finds an unused organisation slug based on the name.
func freeSlug(ctx context.Context, tx pgx.Tx, name string) (string, error) {
	base := Slugify(name)
	rows, err := tx.Query(ctx, `SELECT slug FROM organisations WHERE slug = $1 OR slug LIKE $1 || '-%'`, base)
	if err != nil {
		return "", fmt.Errorf("choose slug: %w", err)
	}
	taken, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return "", fmt.Errorf("choose slug: %w", err)
	}
	used := map[string]bool{}
	for _, t := range taken {
		used[t] = true
	}
	slug := base
	for n := 2; used[slug]; n++ {
		slug = fmt.Sprintf("%s-%d", base, n)
	}
	return slug, nil
}

// lockProviderName makes saves of providers with the same name take turns, so that two can never
// both pass the duplicate check.
func lockProviderName(ctx context.Context, tx pgx.Tx, name string) error {
	_, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtext('capportal'), hashtext('provider:' || lower($1)))`, name)
	if err != nil {
		return fmt.Errorf("lock provider name: %w", err)
	}
	return nil
}

// duplicateProvider finds a current provider with the name, other than except.
func duplicateProvider(ctx context.Context, tx pgx.Tx, name string, except int64) (int64, error) {
	var id int64
	err := tx.QueryRow(ctx, `
		SELECT id FROM organisations WHERE kind = 'provider' AND active AND lower(name) = lower($1) AND id <> $2
		ORDER BY id LIMIT 1`, name, except).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("find provider: %w", err)
	}
	return id, nil
}

// identifierTaken turns a unique violation of a UKPRN or URN into ErrIdentifierTaken.
func identifierTaken(err error) error {
	switch {
	case db.IsUniqueViolation(err, "organisations_ukprn_key"):
		return ErrIdentifierTaken{Field: "ukprn"}
	case db.IsUniqueViolation(err, "organisations_urn_key"):
		return ErrIdentifierTaken{Field: "urn"}
	}
	return nil
}

// checkIdentifiers refuses a UKPRN or URN another organisation holds, before the insert that the
// unique index would otherwise abort.
func checkIdentifiers(ctx context.Context, tx pgx.Tx, in ProviderInput, except int64) error {
	for _, c := range []struct{ field, col, val string }{{"ukprn", "ukprn", in.UKPRN}, {"urn", "urn", in.URN}} {
		if c.val == "" {
			continue
		}
		var taken bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM organisations WHERE `+c.col+` = $1 AND id <> $2)`, c.val, except).Scan(&taken); err != nil {
			return fmt.Errorf("check %s: %w", c.field, err)
		}
		if taken {
			return ErrIdentifierTaken{Field: c.field}
		}
	}
	return nil
}

// CreateProvider adds a training provider with its DSL contact and sites. When a current provider
// already has the name it returns ErrDuplicate with that provider, so a form sent twice adds one.
func (s Store) CreateProvider(ctx context.Context, actor Actor, in ProviderInput) (int64, error) {
	now := s.Clock.Now()
	var id int64
	err := db.InTx(ctx, s.DB, func(tx pgx.Tx) error {
		if err := lockProviderName(ctx, tx, in.Name); err != nil {
			return err
		}
		if existing, err := duplicateProvider(ctx, tx, in.Name, 0); err != nil || existing != 0 {
			if err != nil {
				return err
			}
			old, err := On(tx).GetProvider(ctx, existing)
			if err != nil {
				return err
			}
			return ErrDuplicate{ID: existing, Same: providerMatches(old, in)}
		}
		if err := checkIdentifiers(ctx, tx, in, 0); err != nil {
			return err
		}
		slug, err := freeSlug(ctx, tx, in.Name)
		if err != nil {
			return err
		}
		err = tx.QueryRow(ctx, `
			INSERT INTO organisations (kind, slug, name, urn, ukprn, setting_type, address, postcode, phone, email, registered, created_at, updated_at)
			VALUES ('provider', $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11)
			RETURNING id`,
			slug, in.Name, nullString(in.URN), nullString(in.UKPRN), nullString(in.SettingType), in.Address, in.Postcode,
			in.Phone, in.Email, in.Registered, now).Scan(&id)
		if taken := identifierTaken(err); taken != nil {
			return taken
		}
		if err != nil {
			return fmt.Errorf("create provider: %w", err)
		}
		if _, err := tx.Exec(ctx, `
			INSERT INTO provider_details (organisation_id, dsl_name, dsl_email, dsl_phone, updated_at) VALUES ($1, $2, $3, $4, $5)`,
			id, in.DSLName, in.DSLEmail, in.DSLPhone, now); err != nil {
			return fmt.Errorf("create provider details: %w", err)
		}
		if _, err := syncSites(ctx, tx, id, in.Sites, now); err != nil {
			return err
		}
		return audit.On(tx).Write(ctx, audit.Entry{
			At: now, ActorUserID: actor.UserID, ActorEmail: actor.Email, RequestID: actor.RequestID,
			Action: ProviderCreated, SubjectType: "provider", SubjectID: fmt.Sprint(id),
			Summary: "Added the training provider " + in.Name,
			Details: map[string]any{"sites": len(in.Sites)},
		})
	})
	return id, err
}

// providerMatches reports whether a stored provider has every detail of a new one as submitted, sites
// in any order: the same form sent twice rather than a different provider with the same name.
func providerMatches(old Provider, in ProviderInput) bool {
	if old.Name != in.Name || old.UKPRN != in.UKPRN || old.URN != in.URN || old.SettingType != in.SettingType ||
		old.Registered != in.Registered || old.Address != in.Address || old.Postcode != in.Postcode ||
		old.Phone != in.Phone || old.Email != in.Email ||
		old.DSLName != in.DSLName || old.DSLEmail != in.DSLEmail || old.DSLPhone != in.DSLPhone ||
		len(old.Sites) != len(in.Sites) {
		return false
	}
	have := map[SiteInput]int{}
	for _, s := range old.Sites {
		have[SiteInput{Name: s.Name, Address: s.Address, Postcode: s.Postcode}]++
	}
	for _, s := range in.Sites {
		k := SiteInput{Name: s.Name, Address: s.Address, Postcode: s.Postcode}
		if have[k] == 0 {
			return false
		}
		have[k]--
	}
	return true
}

// UpdateProvider saves a provider's new details and sites: sites with an ID are changed, new ones
// added and those left out removed. It reports whether anything changed; a retired provider is
// refused with ErrRetired.
func (s Store) UpdateProvider(ctx context.Context, actor Actor, id int64, in ProviderInput) (bool, error) {
	now := s.Clock.Now()
	changedAny := false
	err := db.InTx(ctx, s.DB, func(tx pgx.Tx) error {
		if err := lockProviderName(ctx, tx, in.Name); err != nil {
			return err
		}
		var old Provider
		err := tx.QueryRow(ctx, `
			SELECT o.name, coalesce(o.ukprn, ''), coalesce(o.urn, ''), coalesce(o.setting_type, ''), o.registered,
			       o.address, o.postcode, o.phone, o.email,
			       coalesce(d.dsl_name, ''), coalesce(d.dsl_email, ''), coalesce(d.dsl_phone, ''), o.active
			FROM organisations o LEFT JOIN provider_details d ON d.organisation_id = o.id
			WHERE o.id = $1 AND o.kind = 'provider' FOR UPDATE OF o`, id).Scan(
			&old.Name, &old.UKPRN, &old.URN, &old.SettingType, &old.Registered, &old.Address, &old.Postcode, &old.Phone, &old.Email,
			&old.DSLName, &old.DSLEmail, &old.DSLPhone, &old.Active)
		if errors.Is(err, pgx.ErrNoRows) {
			return db.ErrNotFound
		}
		if err != nil {
			return fmt.Errorf("update provider: %w", err)
		}
		if !old.Active {
			return ErrRetired
		}
		if existing, err := duplicateProvider(ctx, tx, in.Name, id); err != nil || existing != 0 {
			if err != nil {
				return err
			}
			return ErrDuplicate{ID: existing}
		}
		if err := checkIdentifiers(ctx, tx, in, id); err != nil {
			return err
		}
		var changed []string
		diff := func(name string, same bool) {
			if !same {
				changed = append(changed, name)
			}
		}
		diff("name", old.Name == in.Name)
		diff("identifiers", old.UKPRN == in.UKPRN && old.URN == in.URN && old.SettingType == in.SettingType && old.Registered == in.Registered)
		diff("address", old.Address == in.Address && old.Postcode == in.Postcode)
		diff("contact", old.Phone == in.Phone && old.Email == in.Email)
		diff("dsl", old.DSLName == in.DSLName && old.DSLEmail == in.DSLEmail && old.DSLPhone == in.DSLPhone)
		if len(changed) > 0 {
			_, err = tx.Exec(ctx, `
				UPDATE organisations SET name = $2, urn = $3, ukprn = $4, setting_type = $5, address = $6, postcode = $7,
				    phone = $8, email = $9, registered = $10, updated_at = $11
				WHERE id = $1`,
				id, in.Name, nullString(in.URN), nullString(in.UKPRN), nullString(in.SettingType), in.Address, in.Postcode,
				in.Phone, in.Email, in.Registered, now)
			if taken := identifierTaken(err); taken != nil {
				return taken
			}
			if err != nil {
				return fmt.Errorf("update provider: %w", err)
			}
			if _, err := tx.Exec(ctx, `
				INSERT INTO provider_details (organisation_id, dsl_name, dsl_email, dsl_phone, updated_at) VALUES ($1, $2, $3, $4, $5)
				ON CONFLICT (organisation_id) DO UPDATE SET dsl_name = $2, dsl_email = $3, dsl_phone = $4, updated_at = $5`,
				id, in.DSLName, in.DSLEmail, in.DSLPhone, now); err != nil {
				return fmt.Errorf("update provider details: %w", err)
			}
		}
		sitesChanged, err := syncSites(ctx, tx, id, in.Sites, now)
		if err != nil {
			return err
		}
		if sitesChanged {
			changed = append(changed, "sites")
		}
		if len(changed) == 0 {
			return nil
		}
		changedAny = true
		return audit.On(tx).Write(ctx, audit.Entry{
			At: now, ActorUserID: actor.UserID, ActorEmail: actor.Email, RequestID: actor.RequestID,
			Action: ProviderUpdated, SubjectType: "provider", SubjectID: fmt.Sprint(id),
			Summary: "Changed the training provider " + in.Name,
			Details: map[string]any{"changed": changed},
		})
	})
	return changedAny, err
}

// syncSites makes the provider's sites those given.
func syncSites(ctx context.Context, tx pgx.Tx, providerID int64, want []SiteInput, now time.Time) (bool, error) {
	have, err := providerSites(ctx, tx, providerID)
	if err != nil {
		return false, err
	}
	byID := map[int64]Site{}
	for _, s := range have {
		byID[s.ID] = s
	}
	kept := map[int64]bool{}
	changed := false
	// Removals first, so a site renamed to a removed site's name does not collide with it.
	wantIDs := map[int64]bool{}
	for _, s := range want {
		wantIDs[s.ID] = true
	}
	for _, s := range have {
		if wantIDs[s.ID] {
			continue
		}
		if _, err := tx.Exec(ctx, `DELETE FROM provider_sites WHERE id = $1`, s.ID); err != nil {
			return false, fmt.Errorf("remove site: %w", err)
		}
		changed = true
	}
	for _, s := range want {
		old, ok := byID[s.ID]
		if !ok || kept[s.ID] {
			if _, err := tx.Exec(ctx, `
				INSERT INTO provider_sites (organisation_id, name, address, postcode, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $5)`,
				providerID, s.Name, s.Address, s.Postcode, now); err != nil {
				return false, fmt.Errorf("add site: %w", err)
			}
			changed = true
			continue
		}
		kept[s.ID] = true
		if old.Name == s.Name && old.Address == s.Address && old.Postcode == s.Postcode {
			continue
		}
		if _, err := tx.Exec(ctx, `UPDATE provider_sites SET name = $2, address = $3, postcode = $4, updated_at = $5 WHERE id = $1`,
			s.ID, s.Name, s.Address, s.Postcode, now); err != nil {
			return false, fmt.Errorf("change site: %w", err)
		}
		changed = true
	}
	return changed, nil
}

// RetireProvider ends CAP's work with a provider: the organisation becomes inactive (so its staff's
// roles there stop working) and every current programme it runs is retired with it. Rows are kept,
// so referrals and placements still show where they were. It reports whether it retired it now and
// how many programmes were retired with it; retiring a retired provider changes nothing.
func (s Store) RetireProvider(ctx context.Context, actor Actor, id int64) (bool, int, error) {
	now := s.Clock.Now()
	retired, programmes := false, 0
	err := db.InTx(ctx, s.DB, func(tx pgx.Tx) error {
		var name string
		var active bool
		err := tx.QueryRow(ctx, `SELECT name, active FROM organisations WHERE id = $1 AND kind = 'provider' FOR UPDATE`, id).Scan(&name, &active)
		if errors.Is(err, pgx.ErrNoRows) {
			return db.ErrNotFound
		}
		if err != nil {
			return fmt.Errorf("retire provider: %w", err)
		}
		if !active {
			return nil
		}
		if _, err := tx.Exec(ctx, `UPDATE organisations SET active = false, updated_at = $2 WHERE id = $1`, id, now); err != nil {
			return fmt.Errorf("retire provider: %w", err)
		}
		if _, err := tx.Exec(ctx, `
			INSERT INTO provider_details (organisation_id, retired_at, updated_at) VALUES ($1, $2, $2)
			ON CONFLICT (organisation_id) DO UPDATE SET retired_at = $2, updated_at = $2`, id, now); err != nil {
			return fmt.Errorf("retire provider: %w", err)
		}
		rows, err := tx.Query(ctx, `
			UPDATE programmes SET active = false, retired_at = $2, updated_at = $2
			WHERE organisation_id = $1 AND active RETURNING id, name`, id, now)
		if err != nil {
			return fmt.Errorf("retire provider's programmes: %w", err)
		}
		type idName struct {
			ID   int64
			Name string
		}
		gone, err := pgx.CollectRows(rows, pgx.RowToStructByPos[idName])
		if err != nil {
			return fmt.Errorf("retire provider's programmes: %w", err)
		}
		for _, g := range gone {
			if err := audit.On(tx).Write(ctx, audit.Entry{
				At: now, ActorUserID: actor.UserID, ActorEmail: actor.Email, RequestID: actor.RequestID,
				Action: ProgrammeRetired, SubjectType: "programme", SubjectID: fmt.Sprint(g.ID),
				Summary: "Retired " + g.Name + " with its provider " + name,
			}); err != nil {
				return err
			}
		}
		retired, programmes = true, len(gone)
		return audit.On(tx).Write(ctx, audit.Entry{
			At: now, ActorUserID: actor.UserID, ActorEmail: actor.Email, RequestID: actor.RequestID,
			Action: ProviderRetired, SubjectType: "provider", SubjectID: fmt.Sprint(id),
			Summary: fmt.Sprintf("Retired the training provider %s and its %d current programmes", name, len(gone)),
			Details: map[string]any{"programmes": len(gone)},
		})
	})
	return retired, programmes, err
}

// ProviderRunsKind reports whether one of the organisations runs a programme of the kind (Coventry
// AP Academy runs Refocus and Focus 11).
func (s Store) ProviderRunsKind(ctx context.Context, orgIDs []int64, kind Kind) (bool, error) {
	if len(orgIDs) == 0 {
		return false, nil
	}
	var runs bool
	err := s.DB.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM programmes WHERE kind = $1 AND organisation_id = ANY($2))`,
		string(kind), orgIDs).Scan(&runs)
	if err != nil {
		return false, fmt.Errorf("provider runs %s: %w", kind, err)
	}
	return runs, nil
}

// OrganisationsNamed returns the organisations of a kind ("school" or "provider") whose names contain
// part, ignoring case (every one when part is empty), current ones or every one, in name order, at
// most limit of them.
func (s Store) OrganisationsNamed(ctx context.Context, kind, part string, includeRetired bool, limit int) ([]ProviderOption, error) {
	// Without a part of a name, every organisation of the kind in order: its own statement, whose plan
	// reads the first few from organisations_kind_lower_name_idx (with the name filter, the generic
	// plan cannot know how few match, and sorts them all).
	sql, args := `SELECT id, name, active FROM organisations WHERE kind = $1 AND (active OR $2)`, []any{kind, includeRetired}
	if part != "" {
		sql, args = sql+` AND position(lower($3) IN lower(name)) > 0`, append(args, part)
	}
	rows, err := s.DB.Query(ctx, sql+` ORDER BY lower(name), id LIMIT `+strconv.Itoa(max(limit, 0)), args...)
	if err != nil {
		return nil, fmt.Errorf("find organisations by name: %w", err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowToStructByPos[ProviderOption])
	if err != nil {
		return nil, fmt.Errorf("find organisations by name: %w", err)
	}
	return out, nil
}
