package calendar

import (
	"slices"
	"sort"
	"time"
)

// WorkingDays answers "N working days" questions; build it once and share it, as it is read-only after construction.
type WorkingDays struct {
	holidays map[Date]struct{}
	// weekdayHolidays are the holidays that fall Monday to Friday, as day numbers in order, so that
	// WorkingDaysBetween counts by arithmetic rather than by walking the days (list pages ask it for
	// every row).
	weekdayHolidays []int
}

// NewWorkingDays takes the holiday list as a parameter so tests and future regions can supply their own.
func NewWorkingDays(holidays []Date) *WorkingDays {
	w := &WorkingDays{holidays: make(map[Date]struct{}, len(holidays))}
	for _, d := range holidays {
		if _, dup := w.holidays[d]; dup {
			continue
		}
		w.holidays[d] = struct{}{}
		if wd := d.Weekday(); wd != time.Saturday && wd != time.Sunday {
			w.weekdayHolidays = append(w.weekdayHolidays, dayNumber(d))
		}
	}
	slices.Sort(w.weekdayHolidays)
	return w
}

// dayNumber is the count of days from 1 January 1970 to d (negative before it), by the civil-calendar
// arithmetic of Howard Hinnant's days_from_civil, without building a time.Time.
func dayNumber(d Date) int {
	y, m := d.Year, int(d.Month)
	if m <= 2 {
		y--
	}
	era := y
	if era < 0 {
		era -= 399
	}
	era /= 400
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d.Day - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

// weekdaysThrough counts the Mondays to Fridays from an arbitrary fixed Monday up to and including day
// number x; differences of it count the weekdays in a range. Day 4 (5 January 1970) was a Monday.
func weekdaysThrough(x int) int {
	y := x - 4
	weeks, rem := y/7, y%7
	if rem < 0 {
		weeks, rem = weeks-1, rem+7
	}
	return weeks*5 + min(rem+1, 5)
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
	a, b := dayNumber(from), dayNumber(to)
	if b <= a {
		return 0
	}
	// Holidays in (a, b]: those after a, less those after b.
	hols := sort.SearchInts(w.weekdayHolidays, b+1) - sort.SearchInts(w.weekdayHolidays, a+1)
	return weekdaysThrough(b) - weekdaysThrough(a) - hols
}
