package calendar

import (
	"testing"
	"time"
)

// FuzzParseDate: only ISO dates that exist are read (never 31 February), and each reads back as written.
func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2026-11-20", "2026-02-31", "2024-02-29", "2025-02-29", "99999-01-01", "0000-00-00",
		"2026-1-2", " 2026-11-20", "2026-11-20\x00", "<script>", "-2026-11-20", "2026-13-01", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDate(s)
		if err != nil {
			if !d.IsZero() {
				t.Fatalf("ParseDate(%q) failed but returned %v", s, d)
			}
			return
		}
		if d.String() != s {
			t.Fatalf("ParseDate(%q) = %v: does not read back as written", s, d)
		}
		tm := time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC)
		if tm.Day() != d.Day || tm.Month() != d.Month {
			t.Fatalf("ParseDate(%q) = %v: not a real date", s, d)
		}
	})
}

// FuzzParseAcademicYearCode: a code is read only when its second year follows its first, and reads back.
func FuzzParseAcademicYearCode(f *testing.F) {
	for _, s := range []string{"2025/26", "2099/00", "2025/27", "2025-26", "025/26", "２０２５/26", "-999/00", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		start, err := ParseAcademicYearCode(s)
		if err != nil {
			return
		}
		if start < 0 || start > 9999 || formatCode(start) != s {
			t.Fatalf("ParseAcademicYearCode(%q) = %d, which formats as %q", s, start, formatCode(start))
		}
	})
}
