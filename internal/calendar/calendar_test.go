package calendar

import (
	"encoding/json"
	"sync"
	"testing"
	"time"
)

func mustParse(t *testing.T, s string) Date {
	t.Helper()
	d, err := ParseDate(s)
	if err != nil {
		t.Fatalf("ParseDate(%q): %v", s, err)
	}
	return d
}

// --- Dates -----------------------------------------------------------------

func TestParseDateAndFormat(t *testing.T) {
	tests := []struct {
		in      string
		want    Date
		iso     string
		long    string
		weekday time.Weekday
	}{
		{"2025-09-17", Date{2025, time.September, 17}, "2025-09-17", "17 September 2025", time.Wednesday},
		{"2026-01-01", Date{2026, time.January, 1}, "2026-01-01", "1 January 2026", time.Thursday},
		{"2028-02-29", Date{2028, time.February, 29}, "2028-02-29", "29 February 2028", time.Tuesday},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got, err := ParseDate(tc.in)
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Errorf("ParseDate = %#v, want %#v", got, tc.want)
			}
			if s := got.String(); s != tc.iso {
				t.Errorf("String = %q, want %q", s, tc.iso)
			}
			if s := got.Format(); s != tc.long {
				t.Errorf("Format = %q, want %q", s, tc.long)
			}
			if wd := got.Weekday(); wd != tc.weekday {
				t.Errorf("Weekday = %v, want %v", wd, tc.weekday)
			}
		})
	}
}

func TestParseDateRejects(t *testing.T) {
	for _, in := range []string{"", "17/09/2025", "2025-9-17", "2025-02-29", "2025-13-01", "2025-09-17T00:00:00Z", " 2025-09-17"} {
		if d, err := ParseDate(in); err == nil {
			t.Errorf("ParseDate(%q) = %v, want error", in, d)
		}
	}
}

func TestDateArithmeticAndComparison(t *testing.T) {
	tests := []struct {
		from string
		n    int
		want string
	}{
		{"2025-09-17", 0, "2025-09-17"},
		{"2025-09-30", 1, "2025-10-01"},
		{"2025-12-31", 1, "2026-01-01"},
		{"2028-02-28", 1, "2028-02-29"},
		{"2027-02-28", 1, "2027-03-01"},
		{"2026-03-29", 1, "2026-03-30"},  // clocks go forward on 29 March 2026
		{"2026-10-25", -1, "2026-10-24"}, // clocks go back on 25 October 2026
		{"2026-01-01", -1, "2025-12-31"},
		{"2025-09-17", 364, "2026-09-16"},
	}
	for _, tc := range tests {
		from, want := mustParse(t, tc.from), mustParse(t, tc.want)
		if got := from.AddDays(tc.n); got != want {
			t.Errorf("%s.AddDays(%d) = %s, want %s", tc.from, tc.n, got, want)
		}
		if got := from.DaysUntil(want); got != tc.n {
			t.Errorf("%s.DaysUntil(%s) = %d, want %d", tc.from, tc.want, got, tc.n)
		}
	}

	a, b := mustParse(t, "2025-12-31"), mustParse(t, "2026-01-01")
	checks := []struct {
		name      string
		got, want bool
	}{
		{"a.Before(b)", a.Before(b), true},
		{"b.Before(a)", b.Before(a), false},
		{"a.After(b)", a.After(b), false},
		{"b.After(a)", b.After(a), true},
		{"a.Equal(a)", a.Equal(a), true},
		{"a.Equal(b)", a.Equal(b), false},
		{"a.Before(a)", a.Before(a), false},
		{"Date{}.IsZero()", Date{}.IsZero(), true},
		{"a.IsZero()", a.IsZero(), false},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}
	if got := NewDate(2025, time.September, 31); got != (Date{2025, time.October, 1}) {
		t.Errorf("NewDate normalisation = %v, want 2025-10-01", got)
	}
}

func TestDateOfUsesLondon(t *testing.T) {
	tests := []struct {
		instant string
		want    string
	}{
		{"2025-09-16T22:59:59Z", "2025-09-16"}, // 23:59:59 BST
		{"2025-09-16T23:00:00Z", "2025-09-17"}, // 00:00 BST
		{"2025-12-31T23:59:59Z", "2025-12-31"}, // GMT: London == UTC
		{"2026-01-01T00:00:00Z", "2026-01-01"},
		{"2025-09-17T01:00:00+05:00", "2025-09-16"},
	}
	for _, tc := range tests {
		in, err := time.Parse(time.RFC3339, tc.instant)
		if err != nil {
			t.Fatal(err)
		}
		if got := DateOf(in); got.String() != tc.want {
			t.Errorf("DateOf(%s) = %s, want %s", tc.instant, got, tc.want)
		}
	}
}

func TestTimeConversion(t *testing.T) {
	for _, s := range []string{"2025-09-17", "2025-12-25", "2026-03-29", "2026-10-25"} {
		d := mustParse(t, s)
		tm := d.Time()
		if tm.Location().String() != "Europe/London" {
			t.Errorf("%s.Time() location = %v, want Europe/London", s, tm.Location())
		}
		if h, m, sec := tm.Clock(); h != 0 || m != 0 || sec != 0 {
			t.Errorf("%s.Time() = %v, want midnight", s, tm)
		}
		if DateOf(tm) != d {
			t.Errorf("DateOf(%s.Time()) = %v", s, DateOf(tm))
		}
		ny, err := time.LoadLocation("America/New_York")
		if err != nil {
			t.Fatal(err)
		}
		if got := d.In(ny); got.Location() != ny || fromTime(got) != d || got.Hour() != 0 {
			t.Errorf("%s.In(New_York) = %v", s, got)
		}
	}
	if got := mustParse(t, "2025-07-01").Time().Format(time.RFC3339); got != "2025-07-01T00:00:00+01:00" {
		t.Errorf("summer Time() = %s, want BST offset", got)
	}
}

func TestDateValueScanRoundTrip(t *testing.T) {
	for _, s := range []string{"2025-09-17", "2026-03-29", "2026-10-25", "2028-02-29", "1999-12-31"} {
		t.Run(s, func(t *testing.T) {
			d := mustParse(t, s)
			v, err := d.Value()
			if err != nil {
				t.Fatal(err)
			}
			tm, ok := v.(time.Time)
			if !ok {
				t.Fatalf("Value() = %T, want time.Time", v)
			}
			if tm.Location() != time.UTC || tm.Hour() != 0 || tm.Format("2006-01-02") != s {
				t.Errorf("Value() = %v, want %s at UTC midnight", tm, s)
			}
			for _, src := range []any{v, s, []byte(s)} {
				var got Date
				if err := got.Scan(src); err != nil {
					t.Fatalf("Scan(%T): %v", src, err)
				}
				if got != d {
					t.Errorf("Scan(%T %v) = %v, want %v", src, src, got, d)
				}
			}
		})
	}
}

func TestDateScanEdgeCases(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	var d Date
	// A date in another zone keeps its own calendar fields.
	if err := d.Scan(time.Date(2025, time.September, 17, 0, 0, 0, 0, ny)); err != nil || d.String() != "2025-09-17" {
		t.Errorf("Scan(NY midnight) = %v, %v", d, err)
	}
	d = Date{2025, time.September, 17}
	if err := d.Scan(nil); err != nil || !d.IsZero() {
		t.Errorf("Scan(nil) = %v, %v; want zero Date", d, err)
	}
	if v, err := (Date{}).Value(); err != nil || v != nil {
		t.Errorf("zero Date Value() = %v, %v; want nil", v, err)
	}
	for _, src := range []any{42, "17 September 2025", []byte("2025-02-30"), 3.5} {
		if err := d.Scan(src); err == nil {
			t.Errorf("Scan(%T %v) succeeded, want error", src, src)
		}
	}
}

func TestDateJSON(t *testing.T) {
	type rec struct {
		Due Date `json:"due"`
	}
	b, err := json.Marshal(rec{Date{2026, time.April, 9}})
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != `{"due":"2026-04-09"}` {
		t.Errorf("Marshal = %s", b)
	}
	var r rec
	if err := json.Unmarshal(b, &r); err != nil || r.Due != (Date{2026, time.April, 9}) {
		t.Errorf("Unmarshal = %v, %v", r.Due, err)
	}
	if err := json.Unmarshal([]byte(`{"due":"09/04/2026"}`), &r); err == nil {
		t.Error("Unmarshal accepted a non-ISO date")
	}
}

// --- Clock -----------------------------------------------------------------

func TestFixedClockConcurrentAdvance(t *testing.T) {
	start := time.Date(2025, time.September, 17, 9, 0, 0, 0, London())
	c := NewFixed(start)
	const goroutines, steps = 32, 200
	var wg sync.WaitGroup
	for range goroutines {
		wg.Add(2)
		go func() {
			defer wg.Done()
			for range steps {
				c.Advance(time.Second)
			}
		}()
		go func() {
			defer wg.Done()
			for range steps {
				if c.Now().Before(start) {
					t.Error("clock went backwards")
					return
				}
			}
		}()
	}
	wg.Wait()
	want := start.Add(goroutines * steps * time.Second)
	if got := c.Now(); !got.Equal(want) {
		t.Errorf("after concurrent Advance: Now = %v, want %v", got, want)
	}
}

func TestFixedClockSetAndToday(t *testing.T) {
	c := NewFixed(time.Date(2025, time.September, 16, 22, 30, 0, 0, time.UTC))
	tests := []struct {
		name string
		do   func()
		want string
	}{
		{"initial (23:30 BST)", func() {}, "2025-09-16"},
		{"advance past London midnight", func() { c.Advance(30 * time.Minute) }, "2025-09-17"},
		{"set", func() { c.Set(time.Date(2026, time.April, 2, 12, 0, 0, 0, time.UTC)) }, "2026-04-02"},
		{"advance backwards", func() { c.Advance(-24 * time.Hour) }, "2026-04-01"},
	}
	for _, tc := range tests {
		tc.do()
		if got := Today(c); got.String() != tc.want {
			t.Errorf("%s: Today = %s, want %s", tc.name, got, tc.want)
		}
	}
	before := time.Now()
	if got := (System{}).Now(); got.Before(before) || got.Sub(before) > time.Minute {
		t.Errorf("System.Now = %v, not close to real time %v", got, before)
	}
}

// --- Bank holidays ---------------------------------------------------------

func TestBankHolidaysEnglandWales(t *testing.T) {
	want := map[int][]Holiday{
		2025: {
			{Date{2025, 1, 1}, "New Year's Day"},
			{Date{2025, 4, 18}, "Good Friday"},
			{Date{2025, 4, 21}, "Easter Monday"},
			{Date{2025, 5, 5}, "Early May bank holiday"},
			{Date{2025, 5, 26}, "Spring bank holiday"},
			{Date{2025, 8, 25}, "Summer bank holiday"},
			{Date{2025, 12, 25}, "Christmas Day"},
			{Date{2025, 12, 26}, "Boxing Day"},
		},
		2026: {
			{Date{2026, 1, 1}, "New Year's Day"},
			{Date{2026, 4, 3}, "Good Friday"},
			{Date{2026, 4, 6}, "Easter Monday"},
			{Date{2026, 5, 4}, "Early May bank holiday"},
			{Date{2026, 5, 25}, "Spring bank holiday"},
			{Date{2026, 8, 31}, "Summer bank holiday"},
			{Date{2026, 12, 25}, "Christmas Day"},
			{Date{2026, 12, 28}, "Boxing Day (substitute day)"},
		},
		2027: {
			{Date{2027, 1, 1}, "New Year's Day"},
			{Date{2027, 3, 26}, "Good Friday"},
			{Date{2027, 3, 29}, "Easter Monday"},
			{Date{2027, 5, 3}, "Early May bank holiday"},
			{Date{2027, 5, 31}, "Spring bank holiday"},
			{Date{2027, 8, 30}, "Summer bank holiday"},
			{Date{2027, 12, 27}, "Christmas Day (substitute day)"},
			{Date{2027, 12, 28}, "Boxing Day (substitute day)"},
		},
		2028: {
			{Date{2028, 1, 3}, "New Year's Day (substitute day)"},
			{Date{2028, 4, 14}, "Good Friday"},
			{Date{2028, 4, 17}, "Easter Monday"},
			{Date{2028, 5, 1}, "Early May bank holiday"},
			{Date{2028, 5, 29}, "Spring bank holiday"},
			{Date{2028, 8, 28}, "Summer bank holiday"},
			{Date{2028, 12, 25}, "Christmas Day"},
			{Date{2028, 12, 26}, "Boxing Day"},
		},
	}
	got := map[int][]Holiday{}
	all := BankHolidaysEnglandWales()
	for i, h := range all {
		got[h.Date.Year] = append(got[h.Date.Year], h)
		if i > 0 && !all[i-1].Date.Before(h.Date) {
			t.Errorf("holidays not strictly ascending at %v", h.Date)
		}
	}
	if len(got) != len(want) {
		t.Errorf("years covered = %d, want %d", len(got), len(want))
	}
	for year, w := range want {
		t.Run(time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC).Format("2006"), func(t *testing.T) {
			g := got[year]
			if len(g) != len(w) {
				t.Fatalf("got %d holidays %v, want %d", len(g), g, len(w))
			}
			for i := range w {
				if g[i] != w[i] {
					t.Errorf("holiday %d = %v %q, want %v %q", i, g[i].Date, g[i].Name, w[i].Date, w[i].Name)
				}
				if wd := g[i].Date.Weekday(); wd == time.Saturday || wd == time.Sunday {
					t.Errorf("%v %q falls on a %v", g[i].Date, g[i].Name, wd)
				}
			}
		})
	}

	// The returned slice is a copy.
	all[0].Name = "tampered"
	if BankHolidaysEnglandWales()[0].Name == "tampered" {
		t.Error("BankHolidaysEnglandWales exposes its backing array")
	}
}

// easterSunday is the anonymous Gregorian algorithm, an independent check on the hand-written table.
func easterSunday(y int) Date {
	a, b, c := y%19, y/100, y%100
	d, e := b/4, b%4
	f := (b + 8) / 25
	g := (b - f + 1) / 3
	h := (19*a + b - d - g + 15) % 30
	i, k := c/4, c%4
	l := (32 + 2*e + 2*i - h - k) % 7
	m := (a + 11*h + 22*l) / 451
	n := h + l - 7*m + 114
	return Date{y, time.Month(n / 31), n%31 + 1}
}

// Derive each year's holidays from the statutory rules and compare, so a typo in either list fails.
func TestBankHolidaysMatchRules(t *testing.T) {
	easter := map[int]string{2025: "2025-04-20", 2026: "2026-04-05", 2027: "2027-03-28", 2028: "2028-04-16"}
	firstMonday := func(y int, m time.Month) Date {
		d := Date{y, m, 1}
		for d.Weekday() != time.Monday {
			d = d.AddDays(1)
		}
		return d
	}
	lastMonday := func(y int, m time.Month) Date {
		d := NewDate(y, m+1, 0)
		for d.Weekday() != time.Monday {
			d = d.AddDays(-1)
		}
		return d
	}
	nextWeekday := func(d Date) Date {
		for d.Weekday() == time.Saturday || d.Weekday() == time.Sunday {
			d = d.AddDays(1)
		}
		return d
	}
	inTable := map[Date]bool{}
	for _, h := range BankHolidaysEnglandWales() {
		inTable[h.Date] = true
	}
	total := 0
	for y, es := range easter {
		e := easterSunday(y)
		if e.String() != es {
			t.Fatalf("Easter %d computed as %v, want %s", y, e, es)
		}
		xmas := nextWeekday(Date{y, 12, 25})
		boxing := nextWeekday(Date{y, 12, 26})
		if boxing == xmas {
			boxing = nextWeekday(boxing.AddDays(1))
		}
		rules := []Date{
			nextWeekday(Date{y, 1, 1}),
			e.AddDays(-2), e.AddDays(1),
			firstMonday(y, time.May), lastMonday(y, time.May), lastMonday(y, time.August),
			xmas, boxing,
		}
		for _, d := range rules {
			total++
			if !inTable[d] {
				t.Errorf("%d: rule-derived holiday %v missing from table", y, d)
			}
		}
	}
	if total != len(inTable) {
		t.Errorf("table has %d holidays, rules give %d", len(inTable), total)
	}
}

// --- Working days ----------------------------------------------------------

func TestIsWorkingDay(t *testing.T) {
	w := EnglandWalesWorkingDays()
	tests := []struct {
		date string
		want bool
	}{
		{"2025-09-17", true},  // Wednesday
		{"2025-09-20", false}, // Saturday
		{"2025-09-21", false}, // Sunday
		{"2025-10-29", true},  // school half term still counts
		{"2026-04-03", false}, // Good Friday
		{"2026-04-06", false}, // Easter Monday
		{"2026-12-28", false}, // Boxing Day substitute
		{"2026-12-29", true},
		{"2027-12-27", false}, // Christmas substitute
		{"2027-12-28", false}, // Boxing Day substitute
		{"2028-01-03", false}, // New Year substitute
	}
	for _, tc := range tests {
		if got := w.IsWorkingDay(mustParse(t, tc.date)); got != tc.want {
			t.Errorf("IsWorkingDay(%s) = %v, want %v", tc.date, got, tc.want)
		}
	}
}

func TestAddWorkingDays(t *testing.T) {
	w := EnglandWalesWorkingDays()
	tests := []struct {
		name string
		from string
		n    int
		want string
	}{
		{"zero", "2025-09-17", 0, "2025-09-17"},
		{"zero from Saturday", "2025-09-20", 0, "2025-09-20"},
		{"Friday meeting + 3", "2025-09-19", 3, "2025-09-24"},
		{"Thursday + 2 across weekend", "2025-09-18", 2, "2025-09-22"},
		{"Saturday + 1", "2025-09-20", 1, "2025-09-22"},
		{"Friday + 5 is next Friday", "2025-09-19", 5, "2025-09-26"},
		{"Easter 2026: Thu 2 Apr + 1", "2026-04-02", 1, "2026-04-07"},
		{"Easter 2026: Thu 2 Apr + 2", "2026-04-02", 2, "2026-04-08"},
		// Good Friday and Easter Monday both fall in the window, so +3 is Thursday 9 April.
		{"Easter 2026: Thu 2 Apr + 3", "2026-04-02", 3, "2026-04-09"},
		{"Christmas 2026: Thu 24 Dec + 1", "2026-12-24", 1, "2026-12-29"},
		{"Christmas 2026: Wed 23 Dec + 3", "2026-12-23", 3, "2026-12-30"},
		{"Christmas 2026 into 2027", "2026-12-24", 4, "2027-01-04"}, // 29, 30, 31 Dec, (1 Jan holiday), 4 Jan
		{"Christmas 2027: Fri 24 Dec + 1", "2027-12-24", 1, "2027-12-29"},
		{"New Year 2028 substitute", "2027-12-31", 1, "2028-01-04"},
		{"backwards over Easter 2026", "2026-04-09", -3, "2026-04-02"},
		{"backwards over weekend", "2025-09-22", -1, "2025-09-19"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			from, want := mustParse(t, tc.from), mustParse(t, tc.want)
			got := w.AddWorkingDays(from, tc.n)
			if got != want {
				t.Errorf("AddWorkingDays(%s %s, %d) = %s %s, want %s %s",
					from.Weekday(), from, tc.n, got.Weekday(), got, want.Weekday(), want)
			}
		})
	}
}

func TestAddWorkingDaysUsesGivenHolidays(t *testing.T) {
	// With no holidays supplied, Easter 2026 is an ordinary week.
	w := NewWorkingDays(nil)
	if got := w.AddWorkingDays(Date{2026, 4, 2}, 3); got != (Date{2026, 4, 7}) {
		t.Errorf("no holidays: got %v, want 2026-04-07", got)
	}
	w = NewWorkingDays([]Date{{2025, 9, 22}})
	if got := w.AddWorkingDays(Date{2025, 9, 19}, 1); got != (Date{2025, 9, 23}) {
		t.Errorf("custom holiday: got %v, want 2025-09-23", got)
	}
}

func TestWorkingDaysBetween(t *testing.T) {
	w := EnglandWalesWorkingDays()
	tests := []struct {
		from, to string
		want     int
	}{
		{"2025-09-17", "2025-09-17", 0},
		{"2025-09-18", "2025-09-17", 0},
		{"2025-09-19", "2025-09-20", 0}, // Fri -> Sat
		{"2025-09-19", "2025-09-22", 1}, // Fri -> Mon
		{"2025-09-19", "2025-09-24", 3}, // Fri -> Wed
		{"2025-09-20", "2025-09-22", 1}, // Sat -> Mon
		{"2025-09-15", "2025-09-22", 5}, // Mon -> Mon
		{"2026-04-02", "2026-04-09", 3}, // Easter 2026
		{"2026-12-24", "2027-01-04", 4}, // Christmas 2026: 29, 30, 31 Dec, 4 Jan
		{"2025-09-01", "2025-09-30", 21},
		{"2025-12-31", "2026-12-31", 253}, // 261 weekdays in 2026 less 8 weekday bank holidays
	}
	for _, tc := range tests {
		if got := w.WorkingDaysBetween(mustParse(t, tc.from), mustParse(t, tc.to)); got != tc.want {
			t.Errorf("WorkingDaysBetween(%s, %s) = %d, want %d", tc.from, tc.to, got, tc.want)
		}
	}
}

// WorkingDaysBetween counts by arithmetic; the walk it replaced is the definition, so they must agree
// on every pair of days, across year ends, leap days, weekend holidays and dates far from today.
func TestWorkingDaysBetweenAgreesWithAWalk(t *testing.T) {
	walk := func(w *WorkingDays, from, to Date) int {
		n := 0
		for d := from.AddDays(1); !d.After(to); d = d.AddDays(1) {
			if w.IsWorkingDay(d) {
				n++
			}
		}
		return n
	}
	cals := map[string]*WorkingDays{
		"England and Wales": EnglandWalesWorkingDays(),
		// A weekend holiday and a repeated one must not be subtracted twice or at all.
		"own list": NewWorkingDays([]Date{{2024, 2, 29}, {2024, 3, 2}, {2024, 2, 29}, {1969, 12, 31}}),
	}
	starts := []Date{{1969, 12, 25}, {1999, 12, 28}, {2024, 2, 26}, {2025, 8, 29}, {2026, 12, 20}, {2100, 2, 27}}
	for name, w := range cals {
		for _, a := range starts {
			for off := -3; off < 420; off += 1 {
				b := a.AddDays(off)
				if got, want := w.WorkingDaysBetween(a, b), walk(w, a, b); got != want {
					t.Fatalf("%s: WorkingDaysBetween(%v, %v) = %d, a walk counts %d", name, a, b, got, want)
				}
			}
		}
	}
	if got := dayNumber(Date{1970, 1, 1}); got != 0 {
		t.Errorf("dayNumber(1970-01-01) = %d, want 0", got)
	}
}

func TestWorkingDaysBetweenInvertsAdd(t *testing.T) {
	w := EnglandWalesWorkingDays()
	for d := (Date{2025, 12, 1}); d.Before(Date{2028, 1, 31}); d = d.AddDays(5) {
		for _, n := range []int{0, 1, 3, 10, 20} {
			end := w.AddWorkingDays(d, n)
			if got := w.WorkingDaysBetween(d, end); got != n {
				t.Fatalf("WorkingDaysBetween(%v, AddWorkingDays(%v, %d)=%v) = %d", d, d, n, end, got)
			}
			if n > 0 && !w.IsWorkingDay(end) {
				t.Fatalf("AddWorkingDays(%v, %d) = %v is not a working day", d, n, end)
			}
		}
	}
}

// --- Academic years --------------------------------------------------------

func TestAcademicYearCode(t *testing.T) {
	tests := []struct {
		date, want string
	}{
		{"2025-08-31", "2024/25"},
		{"2025-09-01", "2025/26"},
		{"2025-12-31", "2025/26"},
		{"2026-01-01", "2025/26"},
		{"2026-08-31", "2025/26"},
		{"2026-09-01", "2026/27"},
		{"2027-08-31", "2026/27"},
		{"1999-09-01", "1999/00"},
		{"2000-08-31", "1999/00"},
		{"2009-09-01", "2009/10"},
	}
	for _, tc := range tests {
		if got := AcademicYearCode(mustParse(t, tc.date)); got != tc.want {
			t.Errorf("AcademicYearCode(%s) = %q, want %q", tc.date, got, tc.want)
		}
	}
}

func TestAcademicYearCodeHelpers(t *testing.T) {
	tests := []struct {
		code, next, short string
		valid             bool
	}{
		{"2025/26", "2026/27", "2526", true},
		{"2026/27", "2027/28", "2627", true},
		{"1999/00", "2000/01", "9900", true},
		{"2009/10", "2010/11", "0910", true},
		{"2025/27", "", "", false},
		{"2025-26", "", "", false},
		{"25/26", "", "", false},
		{"2025/2026", "", "", false},
		{"202a/26", "", "", false},
		{"2025/+6", "", "", false},
		{"", "", "", false},
	}
	for _, tc := range tests {
		if got := NextAcademicYearCode(tc.code); got != tc.next {
			t.Errorf("NextAcademicYearCode(%q) = %q, want %q", tc.code, got, tc.next)
		}
		if got := ShortCode(tc.code); got != tc.short {
			t.Errorf("ShortCode(%q) = %q, want %q", tc.code, got, tc.short)
		}
		if _, err := ParseAcademicYearCode(tc.code); (err == nil) != tc.valid {
			t.Errorf("ParseAcademicYearCode(%q) err = %v, want valid=%v", tc.code, err, tc.valid)
		}
	}
}

func TestAcademicYearsData(t *testing.T) {
	type term struct{ name, start, end, htStart, htEnd string }
	want := map[string][]term{
		"2025/26": {
			{"Autumn", "2025-09-03", "2025-12-19", "2025-10-27", "2025-10-31"},
			{"Spring", "2026-01-05", "2026-03-27", "2026-02-16", "2026-02-20"},
			{"Summer", "2026-04-13", "2026-07-22", "2026-05-25", "2026-05-29"},
		},
		"2026/27": {
			{"Autumn", "2026-09-02", "2026-12-18", "2026-10-26", "2026-10-30"},
			{"Spring", "2027-01-04", "2027-03-26", "2027-02-15", "2027-02-19"},
			{"Summer", "2027-04-12", "2027-07-21", "2027-05-31", "2027-06-04"},
		},
	}
	years := AcademicYears()
	if len(years) != len(want) {
		t.Fatalf("AcademicYears() has %d years, want %d", len(years), len(want))
	}
	for i, y := range years {
		t.Run(y.Code, func(t *testing.T) {
			if i > 0 && y.Code != NextAcademicYearCode(years[i-1].Code) {
				t.Errorf("year %q does not follow %q", y.Code, years[i-1].Code)
			}
			if AcademicYearCode(y.Start) != y.Code || AcademicYearCode(y.End) != y.Code ||
				y.Start.Month != time.September || y.Start.Day != 1 || y.End != (Date{y.Start.Year + 1, time.August, 31}) {
				t.Errorf("year bounds %v..%v wrong for %s", y.Start, y.End, y.Code)
			}
			w := want[y.Code]
			if len(y.Terms) != len(w) {
				t.Fatalf("%d terms, want %d", len(y.Terms), len(w))
			}
			for j, tm := range y.Terms {
				got := term{tm.Name, tm.Start.String(), tm.End.String(), tm.HalfTermStart.String(), tm.HalfTermEnd.String()}
				if got != w[j] {
					t.Errorf("term %d = %+v, want %+v", j, got, w[j])
				}
				if !y.Contains(tm.Start) || !y.Contains(tm.End) {
					t.Errorf("%s term outside the academic year", tm.Name)
				}
				if !tm.Contains(tm.HalfTermStart) || !tm.Contains(tm.HalfTermEnd) {
					t.Errorf("%s half term outside the term", tm.Name)
				}
				if tm.HalfTermStart.Weekday() != time.Monday || tm.HalfTermEnd != tm.HalfTermStart.AddDays(4) {
					t.Errorf("%s half term %v..%v is not Monday to Friday", tm.Name, tm.HalfTermStart, tm.HalfTermEnd)
				}
				if j > 0 && !y.Terms[j-1].End.Before(tm.Start) {
					t.Errorf("%s term overlaps the previous term", tm.Name)
				}
			}
		})
	}

	years[0].Terms[0].Name = "tampered"
	if AcademicYears()[0].Terms[0].Name == "tampered" {
		t.Error("AcademicYears exposes its backing arrays")
	}
}

func TestTermOn(t *testing.T) {
	y, ok := LookupAcademicYear("2025/26")
	if !ok {
		t.Fatal("2025/26 not found")
	}
	tests := []struct {
		date       string
		term       string // "" means no term
		inHalfTerm bool
	}{
		{"2025-09-01", "", false},
		{"2025-09-02", "", false},
		{"2025-09-03", "Autumn", false},
		{"2025-10-27", "Autumn", true},
		{"2025-10-31", "Autumn", true},
		{"2025-11-03", "Autumn", false},
		{"2025-12-19", "Autumn", false},
		{"2025-12-22", "", false},
		{"2026-01-05", "Spring", false},
		{"2026-02-18", "Spring", true},
		{"2026-03-27", "Spring", false},
		{"2026-04-06", "", false},
		{"2026-04-13", "Summer", false},
		{"2026-05-27", "Summer", true},
		{"2026-07-22", "Summer", false},
		{"2026-07-23", "", false},
		{"2026-09-03", "", false}, // next academic year
	}
	for _, tc := range tests {
		d := mustParse(t, tc.date)
		tm, ok := y.TermOn(d)
		if ok != (tc.term != "") || tm.Name != tc.term {
			t.Errorf("TermOn(%s) = %q, %v; want %q", tc.date, tm.Name, ok, tc.term)
			continue
		}
		if ok && tm.InHalfTerm(d) != tc.inHalfTerm {
			t.Errorf("InHalfTerm(%s) = %v, want %v", tc.date, !tc.inHalfTerm, tc.inHalfTerm)
		}
	}
	if _, ok := LookupAcademicYear("2030/31"); ok {
		t.Error("LookupAcademicYear found a year with no data")
	}
}

// --- Same weekday next year ------------------------------------------------

func TestSameWeekdayNextYear(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"2025-09-17", "2026-09-16"}, // third Wednesday of September -> third Wednesday
		{"2026-09-16", "2027-09-15"},
		{"2026-09-02", "2027-09-01"}, // first Wednesday: a term's start
		{"2027-09-01", "2028-09-06"}, // and again: still the first Wednesday of September, no drift
		{"2025-09-01", "2026-09-07"}, // first Monday stays in September
		{"2026-09-30", "2027-09-29"}, // fifth Wednesday -> September 2027 has five too
		{"2025-10-29", "2026-10-28"}, // fifth Wednesday of October 2025 -> last (fourth) in October 2026
		{"2026-01-04", "2027-01-03"}, // first Sunday
		{"2028-02-29", "2029-02-27"}, // fifth Tuesday of February 2028 -> last Tuesday of February 2029
	}
	for _, tc := range tests {
		in, want := mustParse(t, tc.in), mustParse(t, tc.want)
		got := SameWeekdayNextYear(in)
		if got != want {
			t.Errorf("SameWeekdayNextYear(%s %s) = %s %s, want %s", in.Weekday(), in, got.Weekday(), got, want)
		}
	}
}

func TestSameWeekdayNextYearProperties(t *testing.T) {
	for d := (Date{2024, 1, 1}); d.Before(Date{2031, 1, 1}); d = d.AddDays(1) {
		got := SameWeekdayNextYear(d)
		if got.Weekday() != d.Weekday() {
			t.Fatalf("SameWeekdayNextYear(%v) = %v: weekday %v, want %v", d, got, got.Weekday(), d.Weekday())
		}
		if got.Year != d.Year+1 || got.Month != d.Month {
			t.Fatalf("SameWeekdayNextYear(%v) = %v: left its month", d, got)
		}
		if wantWeek, gotWeek := (d.Day-1)/7, (got.Day-1)/7; gotWeek != wantWeek && !(wantWeek == 4 && gotWeek == 3) {
			t.Fatalf("SameWeekdayNextYear(%v) = %v: week of the month %d, want %d", d, got, gotWeek+1, wantWeek+1)
		}
	}
	// Rolled over year after year, a date never drifts out of its month.
	d := Date{2026, time.September, 2}
	for range 20 {
		d = SameWeekdayNextYear(d)
		if d.Month != time.September || d.Day > 7 || d.Weekday() != time.Wednesday {
			t.Fatalf("after repeated rollovers: %v (%v)", d, d.Weekday())
		}
	}
}
