package input_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/coventry-cap/capportal/internal/input"
)

// FuzzNumberParse: a number is read only within the field's range and places, and reads back as shown.
func FuzzNumberParse(f *testing.F) {
	for _, s := range []string{"85", " 87.5 ", "87.50", "-1", "+4", "1e3", "0x10", "1_000", "1,000", "５", "NaN",
		"Inf", "99999999999999999999999", "000000000000000000000000001", ".5", "5.", "1.234", "\x00", "<script>", ""} {
		f.Add(s, int64(0), int64(100), uint8(1))
	}
	f.Add("9223372036854775807", int64(0), int64(9_999_999), uint8(2))
	f.Fuzz(func(t *testing.T, s string, lo, hi int64, places uint8) {
		lo, hi = lo%1_000_000, hi%1_000_000 // fields' ranges, well inside an int64 at any places taken
		if lo < 0 {
			lo = -lo
		}
		if hi < lo {
			lo, hi = hi, lo
		}
		if hi < 0 {
			return
		}
		n := input.Number{What: "the number", Min: lo, Max: hi, Places: int(places % 4)}
		v, err := n.Parse(s)
		if err != nil {
			if err.Error() == "" {
				t.Fatalf("Parse(%q) refused without a message", s)
			}
			return
		}
		if v.Places != n.Places || v.Whole() < lo || v.Whole() > hi || v.Units < 0 {
			t.Fatalf("Parse(%q) with %+v = %+v: out of range", s, n, v)
		}
		back, err := n.Parse(v.String())
		if err != nil || back != v {
			t.Fatalf("Parse(%q) = %+v shown as %q, which reads back as %+v, %v", s, v, v.String(), back, err)
		}
	})
}

// FuzzLine: the cleaned answer to a single-line question holds no line break, tab or hidden
// character, is UTF-8 when the input was, and cleaning again changes nothing.
func FuzzLine(f *testing.F) {
	for _, s := range []string{"Kai", "a\r\nb", "a\u202eb", "\ufeffA", "a\x00b", "\xff", "a\u2028b\tc", "<script>alert(1)</script>", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		l, m := input.Line(s), input.Multiline(s)
		if strings.ContainsAny(l, "\n\r\t\u202e\ufeff\x00") {
			t.Fatalf("Line(%q) = %q", s, l)
		}
		if strings.ContainsAny(m, "\r\u202e\ufeff\x00\u2028") {
			t.Fatalf("Multiline(%q) = %q", s, m)
		}
		if utf8.ValidString(s) && (!utf8.ValidString(l) || !utf8.ValidString(m)) {
			t.Fatalf("cleaning %q made text that is not UTF-8", s)
		}
		if input.Line(l) != l || input.Multiline(m) != m {
			t.Fatalf("cleaning %q twice changes it", s)
		}
	})
}
