package calendar

import "time"

// Holiday carries a name as well as a date so screens can explain why a deadline moved.
type Holiday struct {
	Date Date
	Name string
}

// Bank holiday names as GOV.UK publishes them, so staff recognise them.
const (
	newYearsDay   = "New Year's Day"
	goodFriday    = "Good Friday"
	easterMonday  = "Easter Monday"
	earlyMay      = "Early May bank holiday"
	springBank    = "Spring bank holiday"
	summerBank    = "Summer bank holiday"
	christmasDay  = "Christmas Day"
	boxingDay     = "Boxing Day"
	substituteDay = " (substitute day)"
)

// englandWales is hard-coded from the GOV.UK list rather than computed, because
// bank holidays are set by proclamation and one-off changes (coronations,
// jubilees, moved May holidays) cannot be derived from rules. Extend it each
// year: dates beyond the last entry are treated as ordinary days.
var englandWales = []Holiday{
	// 2025 (Easter Sunday 20 April)
	{Date{2025, time.January, 1}, newYearsDay},
	{Date{2025, time.April, 18}, goodFriday},
	{Date{2025, time.April, 21}, easterMonday},
	{Date{2025, time.May, 5}, earlyMay},
	{Date{2025, time.May, 26}, springBank},
	{Date{2025, time.August, 25}, summerBank},
	{Date{2025, time.December, 25}, christmasDay},
	{Date{2025, time.December, 26}, boxingDay},

	// 2026 (Easter Sunday 5 April; Boxing Day is a Saturday)
	{Date{2026, time.January, 1}, newYearsDay},
	{Date{2026, time.April, 3}, goodFriday},
	{Date{2026, time.April, 6}, easterMonday},
	{Date{2026, time.May, 4}, earlyMay},
	{Date{2026, time.May, 25}, springBank},
	{Date{2026, time.August, 31}, summerBank},
	{Date{2026, time.December, 25}, christmasDay},
	{Date{2026, time.December, 28}, boxingDay + substituteDay},

	// 2027 (Easter Sunday 28 March; Christmas Day and Boxing Day fall at the weekend)
	{Date{2027, time.January, 1}, newYearsDay},
	{Date{2027, time.March, 26}, goodFriday},
	{Date{2027, time.March, 29}, easterMonday},
	{Date{2027, time.May, 3}, earlyMay},
	{Date{2027, time.May, 31}, springBank},
	{Date{2027, time.August, 30}, summerBank},
	{Date{2027, time.December, 27}, christmasDay + substituteDay},
	{Date{2027, time.December, 28}, boxingDay + substituteDay},

	// 2028 (Easter Sunday 16 April; New Year's Day is a Saturday)
	{Date{2028, time.January, 3}, newYearsDay + substituteDay},
	{Date{2028, time.April, 14}, goodFriday},
	{Date{2028, time.April, 17}, easterMonday},
	{Date{2028, time.May, 1}, earlyMay},
	{Date{2028, time.May, 29}, springBank},
	{Date{2028, time.August, 28}, summerBank},
	{Date{2028, time.December, 25}, christmasDay},
	{Date{2028, time.December, 26}, boxingDay},
}

// BankHolidaysEnglandWales returns a fresh copy, in date order, so callers cannot corrupt the shared table.
func BankHolidaysEnglandWales() []Holiday {
	out := make([]Holiday, len(englandWales))
	copy(out, englandWales)
	return out
}

// HolidayDates drops the names, because NewWorkingDays only needs the days.
func HolidayDates(hs []Holiday) []Date {
	out := make([]Date, len(hs))
	for i, h := range hs {
		out[i] = h.Date
	}
	return out
}
