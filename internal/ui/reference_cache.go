package ui

import (
	"context"
	"sync"

	"github.com/coventry-cap/capportal/internal/auth"
	"github.com/coventry-cap/capportal/internal/directory"
)

// referenceCache keeps reference data that every list page reads and that changes a few times a
// year (the organisations a filter offers) under the version of the reference data it was read at
// (migration 0030). The version is read with the signed-in person on every request, so a change
// made by any portal process is seen on the next request, and a page costs no statement for it.
type referenceCache struct {
	mu      sync.Mutex
	version int64
	orgs    map[orgOptionsKey][]directory.ProviderOption
}

type orgOptionsKey struct {
	kind    string
	retired bool
}

// filterOrganisations returns the first orgFilterSelectMax+1 organisations of a kind in name order
// (what orgFilter offers), from the cache when they were read at the request's reference version.
// A request without a version (nobody signed in), or with an older one than the cache's, reads
// them afresh and keeps nothing. The slice is shared: callers must not change it.
func (s *Server) filterOrganisations(ctx context.Context, kind string, retired bool) ([]directory.ProviderOption, error) {
	var version int64
	if p := auth.FromContext(ctx); p != nil {
		version = p.ReferenceVersion
	}
	key := orgOptionsKey{kind, retired}
	c := &s.reference
	if version > 0 {
		c.mu.Lock()
		if version > c.version {
			c.version, c.orgs = version, map[orgOptionsKey][]directory.ProviderOption{}
		}
		orgs, ok := c.orgs[key]
		current := version == c.version
		c.mu.Unlock()
		if ok && current {
			return orgs, nil
		}
	}
	orgs, err := s.directory.OrganisationsNamed(ctx, kind, "", retired, orgFilterSelectMax+1)
	if err != nil || version == 0 {
		return orgs, err
	}
	// Read after the version was, so at least as new as it: kept under that version unless a newer
	// one has been seen meanwhile.
	c.mu.Lock()
	if version == c.version {
		c.orgs[key] = orgs
	}
	c.mu.Unlock()
	return orgs, nil
}
