package components

import (
	"strings"
	"time"
	// Embed the zone database so Europe/London works on minimal images.
	_ "time/tzdata"
)

// london is the zone every date shown to users is rendered in.
var london = mustLoadLondon()

func mustLoadLondon() *time.Location {
	loc, err := time.LoadLocation("Europe/London")
	if err != nil {
		// Unreachable with time/tzdata embedded; keep UTC rather than panic.
		return time.UTC
	}
	return loc
}

// London returns the Europe/London location used for displayed dates.
func London() *time.Location { return london }

// FormatDate formats t as "17 September 2025" in Europe/London time.
func FormatDate(t time.Time) string {
	return t.In(london).Format("2 January 2006")
}

// FormatDateTime formats t as "17 September 2025 at 2:05pm" in Europe/London time.
func FormatDateTime(t time.Time) string {
	return t.In(london).Format("2 January 2006 at 3:04pm")
}

// isoDateTime formats t for a <time datetime> attribute.
func isoDateTime(t time.Time) string {
	return t.In(london).Format(time.RFC3339)
}

// OrgPossessive is an organisation's name in the possessive: "Whitmore Park Academy’s", and for a name
// that ends in a plural, "Ridgeway Motor Skills’".
func OrgPossessive(name string) string {
	if strings.HasSuffix(name, "s") || strings.HasSuffix(name, "S") {
		return name + "’"
	}
	return name + "’s"
}
