package student

import (
	"fmt"
	"testing"
)

// FuzzParseDMY: an import file's date is the day written, never one it rolls over to (31/02 is not 3
// March), and reads back from dd/mm/yyyy as itself.
func FuzzParseDMY(f *testing.F) {
	for _, s := range []string{"27/03/2012", "31/02/2012", "29/02/2012", "29/02/2013", "2012-03-27", "2012-02-31", "27.03.2012",
		"27-03-2012 00:00:00", "1/1/99999", "00/00/0000", "-1/03/2012", "27/03/2012\x00", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, ok := parseDMY(s)
		if !ok {
			return
		}
		back, ok := parseDMY(fmt.Sprintf("%02d/%02d/%04d", d.Day, int(d.Month), d.Year))
		if !ok || back != d {
			t.Fatalf("parseDMY(%q) = %v, which reads back as %v, %v", s, d, back, ok)
		}
		if iso, ok := parseDMY(d.String()); !ok || iso != d {
			t.Fatalf("parseDMY(%q) = %v, whose ISO form reads back as %v", s, d, iso)
		}
	})
}
