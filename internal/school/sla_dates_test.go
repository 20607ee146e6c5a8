package school_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/school"
)

func TestRecordSLARefusesADateSignedBeforeTheSeptemberAYearBeforeTheYear(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	admin := f.actor(t, "admin@cap.example")
	sowebank := f.orgID(t, "sowebank")
	for _, d := range []calendar.Date{calendar.NewDate(1900, time.January, 1), calendar.NewDate(2025, time.August, 31)} {
		if _, err := f.store.RecordSLA(ctx, admin, sowebank, "2026/27", true, d); !errors.Is(err, school.ErrSignedOnTooEarly) {
			t.Errorf("signed %s: %v, want %v", d.Format(), err, school.ErrSignedOnTooEarly)
		}
	}
	if n := f.auditCount(t, sowebank); n != 0 {
		t.Errorf("refused dates wrote %d audit entries", n)
	}
	if changed, err := f.store.RecordSLA(ctx, admin, sowebank, "2026/27", true, calendar.NewDate(2025, time.September, 1)); err != nil || !changed {
		t.Errorf("signed 1 September 2025: %v, %v; want recorded", changed, err)
	}
}

func TestEarliestSignedOnIsTheSeptemberAYearBeforeTheYearStarts(t *testing.T) {
	if got, ok := school.EarliestSignedOn("2026/27"); !ok || got != calendar.NewDate(2025, time.September, 1) {
		t.Errorf("2026/27: %v, %v; want 1 September 2025", got, ok)
	}
	if _, ok := school.EarliestSignedOn("2026-27"); ok {
		t.Error("a malformed year has an earliest date")
	}
}
