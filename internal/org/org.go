// Package org reads the organisations people belong to: CAP (the local authority), schools and
// training providers.
package org

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/coventry-cap/capportal/internal/auth"
	"github.com/coventry-cap/capportal/internal/db"
)

// Store reads and writes organisations. DB is the pool, or a transaction a caller runs it inside.
type Store struct {
	DB db.DBTX
}

// On is the store over a pool or a transaction.
func On(conn db.DBTX) Store { return Store{DB: conn} }

// Organisation is CAP, a school or a training provider.
type Organisation struct {
	ID     int64
	Kind   auth.OrgKind
	Slug   string
	Name   string
	Active bool
}

// KindLabel names the kind of organisation for people.
func (o Organisation) KindLabel() string {
	switch o.Kind {
	case auth.LA:
		return "Local authority"
	case auth.School:
		return "School"
	case auth.Provider:
		return "Training provider"
	}
	return string(o.Kind)
}

// List returns every active organisation, CAP first, then schools, then providers, by name.
func (s Store) List(ctx context.Context) ([]Organisation, error) {
	rows, err := s.DB.Query(ctx, `
		SELECT id, kind, slug, name, active FROM organisations WHERE active
		ORDER BY CASE kind WHEN 'la' THEN 0 WHEN 'school' THEN 1 ELSE 2 END, name`)
	if err != nil {
		return nil, fmt.Errorf("list organisations: %w", err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowToStructByPos[Organisation])
	if err != nil {
		return nil, fmt.Errorf("list organisations: %w", err)
	}
	return out, nil
}

// Get returns one organisation by ID.
func (s Store) Get(ctx context.Context, id int64) (Organisation, error) {
	rows, err := s.DB.Query(ctx, `SELECT id, kind, slug, name, active FROM organisations WHERE id = $1`, id)
	if err != nil {
		return Organisation{}, fmt.Errorf("get organisation: %w", err)
	}
	o, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByPos[Organisation])
	if errors.Is(err, pgx.ErrNoRows) {
		return Organisation{}, db.ErrNotFound
	}
	if err != nil {
		return Organisation{}, fmt.Errorf("get organisation: %w", err)
	}
	return o, nil
}
