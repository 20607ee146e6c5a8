package calendar

import (
	"cmp"
	"database/sql/driver"
	"fmt"
	"time"
	_ "time/tzdata" // Embedded so Europe/London resolves on hosts without a zoneinfo database.
)

// london is loaded once because every date in the service is a UK civil date.
var london = mustLoadLondon()

func mustLoadLondon() *time.Location {
	loc, err := time.LoadLocation("Europe/London")
	if err != nil {
		// Unreachable with embedded tzdata; failing loudly beats silently using UTC.
		panic("calendar: loading Europe/London: " + err.Error())
	}
	return loc
}

// London returns Europe/London so other packages render times in UK civil time without reloading the zone.
func London() *time.Location { return london }

// isoLayout is the wire and storage format, matching PostgreSQL's date text form.
const isoLayout = "2006-01-02"

// displayLayout matches how letters and screens in the service write dates.
const displayLayout = "2 January 2006"

// Date is a civil calendar day with no time or zone, so it can be compared with == and used as a map key.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// NewDate normalises out-of-range fields the way time.Date does, so callers can do month and day arithmetic freely.
func NewDate(year int, month time.Month, day int) Date {
	return fromTime(time.Date(year, month, day, 0, 0, 0, 0, time.UTC))
}

// DateOf reports the UK civil day of an instant, because deadlines follow the London calendar whatever the server's zone.
func DateOf(t time.Time) Date {
	return fromTime(t.In(london))
}

// Today is the UK civil day according to c, so tests can pin "today" with a Fixed clock.
func Today(c Clock) Date {
	return DateOf(c.Now())
}

// ParseDate accepts only ISO "2006-01-02" so that form and URL input has exactly one accepted spelling.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(isoLayout, s)
	if err != nil {
		return Date{}, fmt.Errorf("calendar: invalid date %q: want YYYY-MM-DD", s)
	}
	return fromTime(t), nil
}

// fromTime takes the calendar fields in t's own location; callers choose the zone first.
func fromTime(t time.Time) Date {
	y, m, d := t.Date()
	return Date{Year: y, Month: m, Day: d}
}

// IsZero lets callers treat the zero Date as "not set", mirroring time.Time.IsZero.
func (d Date) IsZero() bool { return d == Date{} }

// Time is midnight at the start of d in London, the instant from which UK deadlines on that day run.
func (d Date) Time() time.Time { return d.In(london) }

// In is midnight at the start of d in loc, for the rare callers that need another zone.
func (d Date) In(loc *time.Location) time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, loc)
}

// utc anchors arithmetic in UTC so daylight-saving changes never shift a day.
func (d Date) utc() time.Time { return d.In(time.UTC) }

// AddDays moves by whole calendar days, crossing month and year ends correctly.
func (d Date) AddDays(n int) Date { return fromTime(d.utc().AddDate(0, 0, n)) }

// DaysUntil counts calendar days from d to e (negative when e is earlier), so callers need not round durations.
func (d Date) DaysUntil(e Date) int {
	return int(e.utc().Sub(d.utc()).Hours() / 24)
}

// Weekday is needed by working-day and same-weekday rules.
func (d Date) Weekday() time.Weekday { return d.utc().Weekday() }

// Before compares days without the zone pitfalls of comparing time.Time values.
func (d Date) Before(e Date) bool { return d.Compare(e) < 0 }

// After compares days without the zone pitfalls of comparing time.Time values.
func (d Date) After(e Date) bool { return d.Compare(e) > 0 }

// Equal exists for symmetry with time.Time; == works too.
func (d Date) Equal(e Date) bool { return d == e }

// Compare returns -1, 0 or +1 so Dates can be used with slices.SortFunc.
func (d Date) Compare(e Date) int {
	if c := cmp.Compare(d.Year, e.Year); c != 0 {
		return c
	}
	if c := cmp.Compare(d.Month, e.Month); c != 0 {
		return c
	}
	return cmp.Compare(d.Day, e.Day)
}

// String is ISO 8601 so logs, URLs and SQL all see the same unambiguous form.
func (d Date) String() string {
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day)
}

// Format is the long UK form ("17 September 2025") used in letters and on screen, where numeric dates are ambiguous to readers.
func (d Date) Format() string { return d.utc().Format(displayLayout) }

// MarshalText makes JSON and form encoding use the ISO form.
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText accepts only the ISO form, keeping decoding as strict as ParseDate.
func (d *Date) UnmarshalText(b []byte) error {
	p, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = p
	return nil
}

// Value stores d as UTC midnight, which pgx and database/sql both encode losslessly into a date column; the zero Date is stored as NULL.
func (d Date) Value() (driver.Value, error) {
	if d.IsZero() {
		return nil, nil
	}
	return d.In(time.UTC), nil
}

// Scan reads date columns as pgx delivers them (time.Time at UTC midnight) or as text; NULL becomes the zero Date, mirroring Value.
func (d *Date) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*d = Date{}
		return nil
	case time.Time:
		// Keep the value's own calendar fields: a date column has no zone, so re-zoning it to London could only move the day.
		*d = fromTime(v)
		return nil
	case string:
		return d.UnmarshalText([]byte(v))
	case []byte:
		return d.UnmarshalText(v)
	default:
		return fmt.Errorf("calendar: cannot scan %T into Date", src)
	}
}
