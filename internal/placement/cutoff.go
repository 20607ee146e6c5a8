package placement

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/coventry-cap/capportal/internal/calendar"
)

// Cutoffs are the times of day (in London) by which each session's register must be taken: after
// one passes, a register not taken alerts the provider's staff and CAP's monitoring officers.
type Cutoffs struct {
	Morning   time.Duration // after midnight
	Afternoon time.Duration
}

// DefaultCutoffs are 10:00 for the morning and 14:00 for the afternoon.
var DefaultCutoffs = Cutoffs{Morning: 10 * time.Hour, Afternoon: 14 * time.Hour}

// OrDefault is c, or DefaultCutoffs when c is unset.
func (c Cutoffs) OrDefault() Cutoffs {
	if c == (Cutoffs{}) {
		return DefaultCutoffs
	}
	return c
}

// Of is the session's cut-off, after midnight.
func (c Cutoffs) Of(s Session) time.Duration {
	if s == Afternoon {
		return c.Afternoon
	}
	return c.Morning
}

// At is the instant of the session's cut-off on day. Clock time, so a day the clocks change keeps
// "10:00" at ten o'clock.
func (c Cutoffs) At(day calendar.Date, s Session) time.Time {
	d := c.Of(s)
	t := day.Time()
	return time.Date(t.Year(), t.Month(), t.Day(), int(d/time.Hour), int(d%time.Hour/time.Minute), 0, 0, calendar.London())
}

// Passed reports whether the session's cut-off on the day of now has passed.
func (c Cutoffs) Passed(now time.Time, s Session) bool {
	return !now.Before(c.At(calendar.DateOf(now), s))
}

// PassedSessions are the sessions whose cut-off on the day of now has passed, in day order (none
// before the morning's, both after the afternoon's).
func (c Cutoffs) PassedSessions(now time.Time) []Session {
	passed := []Session{}
	for _, s := range Sessions {
		if c.Passed(now, s) {
			passed = append(passed, s)
		}
	}
	return passed
}

// Label is the session's cut-off as people read it: "10:00".
func (c Cutoffs) Label(s Session) string { return FormatCutoff(c.Of(s)) }

// FormatCutoff writes a time of day as HH:MM.
func FormatCutoff(d time.Duration) string {
	return fmt.Sprintf("%02d:%02d", int(d/time.Hour), int(d%time.Hour/time.Minute))
}

// ParseCutoff reads a time of day written HH:MM on the 24-hour clock ("10:00", "9:30"), after
// midnight and before it comes round again.
func ParseCutoff(s string) (time.Duration, error) {
	h, m, ok := cutHM(s)
	if !ok || h > 23 || m > 59 || h == 0 && m == 0 {
		return 0, fmt.Errorf("%q is not a time of day such as 10:00", s)
	}
	return time.Duration(h)*time.Hour + time.Duration(m)*time.Minute, nil
}

func cutHM(s string) (int, int, bool) {
	hs, ms, ok := strings.Cut(s, ":")
	if !ok || len(hs) < 1 || len(hs) > 2 || len(ms) != 2 || !digits(hs) || !digits(ms) {
		return 0, 0, false
	}
	h, _ := strconv.Atoi(hs)
	m, _ := strconv.Atoi(ms)
	return h, m, true
}

func digits(s string) bool {
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
