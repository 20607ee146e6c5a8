package ui

import (
	"context"

	"github.com/coventry-cap/capportal/internal/directory"
)

type orgOptionsKey struct {
	kind    string
	retired bool
}

// filterOrganisations returns the first orgFilterSelectMax+1 organisations of a kind in name order
// (what orgFilter offers), kept under the request's reference version (db.Kept): a list page reads
// them only after an organisation changed. The slice is shared: callers must not change it.
func (s *Server) filterOrganisations(ctx context.Context, kind string, retired bool) ([]directory.ProviderOption, error) {
	return s.filterOrgs.Get(ctx, orgOptionsKey{kind, retired}, func() ([]directory.ProviderOption, error) {
		return s.directory.OrganisationsNamed(ctx, kind, "", retired, orgFilterSelectMax+1)
	})
}
