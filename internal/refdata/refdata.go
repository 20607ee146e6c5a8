// Package refdata keeps reference data between requests. The organisations, academic years, terms
// and bank holidays (migration 0030) change a few times a year and nearly every page reads them.
// Any write to them moves reference_data_version on; the portal reads that version with the
// signed-in person on every request and carries it in the request's context. Kept holds what was
// read of the data under the version it was read at, so a page reads it only after a change, which
// every portal process sees on its next request.
package refdata

import (
	"context"
	"sync"
)

type referenceVersionKey struct{}

// WithVersion carries the reference data's version read for this request.
func WithVersion(ctx context.Context, version int64) context.Context {
	return context.WithValue(ctx, referenceVersionKey{}, version)
}

// Version is the version carried by the context, 0 when none (nobody signed in, a job).
func Version(ctx context.Context) int64 {
	v, _ := ctx.Value(referenceVersionKey{}).(int64)
	return v
}

// keptMax bounds the values kept (a test process opens a database, and so a key, per test).
const keptMax = 64

// Kept holds values read from the reference data, each under a key, at the newest version seen.
type Kept[K comparable, V any] struct {
	mu      sync.Mutex
	version int64
	values  map[K]V
}

// Get returns the value kept for key at the context's version, or calls read and keeps what it
// returns. Without a version, or with one older than the newest seen (a request that began before
// a change), it reads and keeps nothing. A value is shared between requests: callers must not
// change it.
func (k *Kept[K, V]) Get(ctx context.Context, key K, read func() (V, error)) (V, error) {
	version := Version(ctx)
	if version <= 0 {
		return read()
	}
	k.mu.Lock()
	if version > k.version || len(k.values) >= keptMax {
		k.version, k.values = version, map[K]V{}
	}
	v, ok := k.values[key]
	current := version == k.version
	k.mu.Unlock()
	if ok && current {
		return v, nil
	}
	v, err := read()
	if err != nil || !current {
		return v, err
	}
	// Read after the version was, so at least as new as it: kept unless a newer one came meanwhile.
	k.mu.Lock()
	if version == k.version {
		k.values[key] = v
	}
	k.mu.Unlock()
	return v, nil
}
