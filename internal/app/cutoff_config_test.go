package app

import (
	"strings"
	"testing"
	"time"

	"github.com/coventry-cap/capportal/internal/placement"
)

// The registers' cut-offs default to 10:00 and 14:00, are read as HH:MM, and are refused at start
// unless they are times of day with the morning's first, each problem in a sentence that says how to
// fix it.
func TestRegisterCutoffsAreReadAndCheckedAtStart(t *testing.T) {
	c, err := LoadConfig(env(map[string]string{"DATABASE_URL": testDBURL}))
	if err != nil || c.RegisterCutoffs != placement.DefaultCutoffs ||
		c.RegisterCutoffs.Label(placement.Morning) != "10:00" || c.RegisterCutoffs.Label(placement.Afternoon) != "14:00" {
		t.Fatalf("defaults: %+v, %v", c.RegisterCutoffs, err)
	}
	c, err = LoadConfig(env(map[string]string{"DATABASE_URL": testDBURL, "CAP_REGISTER_CUTOFF_AM": "9:30", "CAP_REGISTER_CUTOFF_PM": " 13:45 "}))
	if err != nil || c.RegisterCutoffs != (placement.Cutoffs{Morning: 9*time.Hour + 30*time.Minute, Afternoon: 13*time.Hour + 45*time.Minute}) {
		t.Fatalf("9:30 and 13:45: %+v, %v", c.RegisterCutoffs, err)
	}
	for _, bad := range []struct {
		am, pm, want string
	}{
		{"10", "", `CAP_REGISTER_CUTOFF_AM "10" must be a time of day on the 24-hour clock, such as 10:00`},
		{"", "2pm", `CAP_REGISTER_CUTOFF_PM "2pm" must be a time of day`},
		{"", "24:00", `CAP_REGISTER_CUTOFF_PM "24:00" must be a time of day`},
		{"10:60", "", `CAP_REGISTER_CUTOFF_AM "10:60" must be a time of day`},
		{"-1:00", "", `CAP_REGISTER_CUTOFF_AM "-1:00" must be a time of day`},
		{"14:00", "", "CAP_REGISTER_CUTOFF_AM (14:00) must be before CAP_REGISTER_CUTOFF_PM (14:00)"},
		{"15:00", "12:00", "CAP_REGISTER_CUTOFF_AM (15:00) must be before CAP_REGISTER_CUTOFF_PM (12:00)"},
	} {
		_, err := LoadConfig(env(map[string]string{"DATABASE_URL": testDBURL, "CAP_REGISTER_CUTOFF_AM": bad.am, "CAP_REGISTER_CUTOFF_PM": bad.pm}))
		if err == nil || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("AM %q, PM %q: %v, want %q", bad.am, bad.pm, err, bad.want)
		}
	}
}
