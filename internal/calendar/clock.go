package calendar

import (
	"sync"
	"time"
)

// Clock is injected wherever "now" matters so tests can control deadlines and session timeouts.
type Clock interface {
	Now() time.Time
}

// System is the production clock.
type System struct{}

// Now reads the real wall clock.
func (System) Now() time.Time { return time.Now() }

// Fixed is a test clock that only moves when told to; it is safe for concurrent use because servers under test read it from many goroutines.
type Fixed struct {
	mu sync.Mutex
	t  time.Time
}

// NewFixed returns a pointer because Fixed holds a mutex and must not be copied.
func NewFixed(t time.Time) *Fixed { return &Fixed{t: t} }

// Now returns the instant last set, never advancing on its own so tests stay deterministic.
func (f *Fixed) Now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.t
}

// Set jumps to an arbitrary instant, e.g. to the morning of a deadline.
func (f *Fixed) Set(t time.Time) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.t = t
}

// Advance moves time forward (or back, for negative d) atomically, so concurrent advances are never lost.
func (f *Fixed) Advance(d time.Duration) time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.t = f.t.Add(d)
	return f.t
}

var (
	_ Clock = System{}
	_ Clock = (*Fixed)(nil)
)
