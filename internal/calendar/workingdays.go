package calendar

import "time"

// WorkingDays answers "N working days" questions; build it once and share it, as it is read-only after construction.
type WorkingDays struct {
	holidays map[Date]struct{}
}

// NewWorkingDays takes the holiday list as a parameter so tests and future regions can supply their own.
func NewWorkingDays(holidays []Date) *WorkingDays {
	w := &WorkingDays{holidays: make(map[Date]struct{}, len(holidays))}
	for _, d := range holidays {
		w.holidays[d] = struct{}{}
	}
	return w
}

// EnglandWalesWorkingDays is the calendar every deadline in the service should use.
func EnglandWalesWorkingDays() *WorkingDays {
	return NewWorkingDays(HolidayDates(englandWales))
}

// IsWorkingDay excludes weekends and bank holidays only: working days are office days, so school holidays still count.
func (w *WorkingDays) IsWorkingDay(d Date) bool {
	switch d.Weekday() {
	case time.Saturday, time.Sunday:
		return false
	}
	_, hol := w.holidays[d]
	return !hol
}

// AddWorkingDays returns the nth working day after d, so "within three working
// days of Friday" is AddWorkingDays(friday, 3), the following Wednesday. d
// itself never counts, and need not be a working day. n == 0 returns d
// unchanged; negative n counts back to the |n|th working day before d.
func (w *WorkingDays) AddWorkingDays(d Date, n int) Date {
	step := 1
	if n < 0 {
		step, n = -1, -n
	}
	for n > 0 {
		d = d.AddDays(step)
		if w.IsWorkingDay(d) {
			n--
		}
	}
	return d
}

// WorkingDaysBetween counts working days after from up to and including to, the
// inverse of AddWorkingDays, so elapsed time can be checked against a limit; it
// is 0 when to is on or before from.
func (w *WorkingDays) WorkingDaysBetween(from, to Date) int {
	n := 0
	for d := from.AddDays(1); !d.After(to); d = d.AddDays(1) {
		if w.IsWorkingDay(d) {
			n++
		}
	}
	return n
}
