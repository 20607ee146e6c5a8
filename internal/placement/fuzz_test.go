package placement_test

import (
	"testing"
	"time"

	"github.com/coventry-cap/capportal/internal/placement"
)

// FuzzParseTimeOfDay: a time is read only as an hour and minute of a real day.
func FuzzParseTimeOfDay(f *testing.F) {
	for _, s := range []string{"2:30pm", "2.30pm", "2pm", "14:30", "1430", "25:00", "12:60", "13pm", "half two",
		"-1:00", "99999", "<script>", "2:30\x00pm", "\xff", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		h, m, ok := placement.ParseTimeOfDay(s)
		if !ok {
			if h != 0 || m != 0 {
				t.Fatalf("ParseTimeOfDay(%q) refused but returned %d:%d", s, h, m)
			}
			return
		}
		if h < 0 || h > 23 || m < 0 || m > 59 {
			t.Fatalf("ParseTimeOfDay(%q) = %d:%d", s, h, m)
		}
	})
}

// FuzzParseCutoff: a cut-off is a time after midnight and before the next, and reads back as written.
func FuzzParseCutoff(f *testing.F) {
	for _, s := range []string{"10:00", "9:30", "00:00", "23:59", "24:00", "9:5", "-1:00", "10:00\x00", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := placement.ParseCutoff(s)
		if err != nil {
			return
		}
		if d <= 0 || d >= 24*time.Hour || d%time.Minute != 0 {
			t.Fatalf("ParseCutoff(%q) = %v", s, d)
		}
		if back, err := placement.ParseCutoff(placement.FormatCutoff(d)); err != nil || back != d {
			t.Fatalf("ParseCutoff(%q) = %v, which formats as %q and reads back as %v, %v", s, d, placement.FormatCutoff(d), back, err)
		}
	})
}
