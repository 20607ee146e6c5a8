package ui

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// realDate reports whether y-m-d is a day that exists.
func realDate(y, m, d int) bool {
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	return t.Year() == y && int(t.Month()) == m && t.Day() == d
}

// FuzzParseDateParts: a GOV.UK date input gives a day that exists (never 31 February) between the
// years the field takes, or is refused; the date read writes back as the same parts.
func FuzzParseDateParts(f *testing.F) {
	for _, p := range [][3]string{{"31", "2", "2026"}, {"29", "2", "2024"}, {"29", "2", "2025"}, {"1", "1", "99999"},
		{"0", "1", "2026"}, {"-1", "1", "2026"}, {"1", "13", "2026"}, {" 7 ", "07", "2026"}, {"", "", ""}, {"1", "", ""},
		{"1e1", "1", "2026"}, {"+4", "1", "2026"}, {"٣", "1", "2026"}, {"31", "4", "2026"}, {"1", "1", "\x00"},
		{"<script>", "1", "2026"}, {"99999999999999999999", "1", "2026"}} {
		f.Add(p[0], p[1], p[2])
	}
	f.Fuzz(func(t *testing.T, day, month, year string) {
		d, ok := parseDateParts(day, month, year)
		if !ok {
			return
		}
		if d.IsZero() {
			if strings.TrimSpace(day+month+year) != "" {
				t.Fatalf("parseDateParts(%q, %q, %q) = no date although something was typed", day, month, year)
			}
			return
		}
		if !realDate(d.Year, int(d.Month), d.Day) || d.Year < 1900 || d.Year > 2200 {
			t.Fatalf("parseDateParts(%q, %q, %q) = %v", day, month, year, d)
		}
		// The date is the one typed, not a neighbour it rolls over to (31 February is not 3 March).
		dn, _ := strconv.Atoi(strings.TrimSpace(day))
		mn, _ := strconv.Atoi(strings.TrimSpace(month))
		yn, _ := strconv.Atoi(strings.TrimSpace(year))
		if d.Day != dn || int(d.Month) != mn || d.Year != yn {
			t.Fatalf("parseDateParts(%q, %q, %q) = %v, not the day typed", day, month, year, d)
		}
		back, ok := parseDateParts(strconv.Itoa(d.Day), strconv.Itoa(int(d.Month)), strconv.Itoa(d.Year))
		if !ok || back != d {
			t.Fatalf("parseDateParts(%q, %q, %q) = %v, which reads back as %v", day, month, year, d, back)
		}
		// The worded readers agree: a date read is read by them too, with no message.
		if sd, msg, _ := stepDate("Date", day, month, year); msg == "" && sd != d && len(strings.TrimSpace(year)) == 4 {
			t.Fatalf("stepDate(%q, %q, %q) = %v, parseDateParts %v", day, month, year, sd, d)
		}
	})
}

// FuzzStepDate: the worded date reader either says what is wrong or gives a real date.
func FuzzStepDate(f *testing.F) {
	for _, p := range [][3]string{{"31", "2", "2026"}, {"1", "1", "99999"}, {"", "2", "2026"}, {"", "", "2026"}, {"", "", ""}, {"29", "2", "2028"}} {
		f.Add(p[0], p[1], p[2])
	}
	f.Fuzz(func(t *testing.T, day, month, year string) {
		for _, read := range []func(string, string, string) (string, bool){
			func(d, m, y string) (string, bool) { v, msg, _ := stepDate("Date", d, m, y); return msg, v.IsZero() },
			func(d, m, y string) (string, bool) { v, msg, _ := parseDateOfBirth(d, m, y); return msg, v.IsZero() },
		} {
			msg, zero := read(day, month, year)
			if msg != "" && !zero {
				t.Fatalf("(%q, %q, %q): a date and a message %q", day, month, year, msg)
			}
		}
		d, msg, _ := stepDate("Date", day, month, year)
		if msg == "" && !d.IsZero() && !realDate(d.Year, int(d.Month), d.Day) {
			t.Fatalf("stepDate(%q, %q, %q) = %v, not a real date", day, month, year, d)
		}
		if msg == "" && d.IsZero() && strings.TrimSpace(day+month+year) != "" {
			t.Fatalf("stepDate(%q, %q, %q): nothing read and nothing said", day, month, year)
		}
	})
}

// FuzzParsePoundsToPence: a fee is whole pence from £0 to £9,999,999.99 and reads back as shown.
func FuzzParsePoundsToPence(f *testing.F) {
	for _, s := range []string{"65", "£1,250.50", "1,25", ",125", "-5", "1e3", "9999999.99", "10000000", "0.001", "£", "\x00", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, ok := parsePoundsToPence(s)
		if !ok {
			return
		}
		if p < 0 || p > 999_999_999 {
			t.Fatalf("parsePoundsToPence(%q) = %d", s, p)
		}
		if back, ok := parsePoundsToPence(dirPoundsValue(p)); !ok || back != p {
			t.Fatalf("parsePoundsToPence(%q) = %d shown as %q, which reads back as %d", s, p, dirPoundsValue(p), back)
		}
	})
}

// FuzzSafeNext: a return address kept after sign-in is always a path on this site.
func FuzzSafeNext(f *testing.F) {
	for _, s := range []string{"/students/5", "//evil.example", "/\t/evil.example", "/\\evil.example", "https://evil.example/",
		"/./", "/a/../../b", "/%2F%2Fevil", "javascript:alert(1)", "/a?b=c#d", "/\x00", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := safeNext(s)
		if !strings.HasPrefix(out, "/") || strings.HasPrefix(out, "//") || strings.ContainsAny(out, "\\\x00\t\r\n") {
			t.Fatalf("safeNext(%q) = %q", s, out)
		}
		u, err := url.Parse(out)
		if err != nil || u.Host != "" || u.Scheme != "" {
			t.Fatalf("safeNext(%q) = %q, which leaves the site (%v)", s, out, err)
		}
		if safeNext(out) != out {
			t.Fatalf("safeNext(%q) = %q is not stable", s, out)
		}
	})
}

// FuzzFormDecoding: a posted form is either refused as unreadable or gives names and values that are
// UTF-8 without NUL bytes, cleaned of hidden characters, and cleaned only once.
func FuzzFormDecoding(f *testing.F) {
	for _, s := range []string{"a=1&b=2", "a=%00", "a=%ff%fe", "a=1&a=2", "%00=x", "a=%E2%80%AEb", "a=%0D%0Ab",
		"a=" + strings.Repeat("x", 10000), "a=%zz", "a;b=c", "password=%E2%80%AE", "=&=&&", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if err := r.ParseForm(); err != nil || !readableValues(r.Form) {
			return
		}
		cleanForm(r)
		for k, vs := range r.PostForm {
			for _, v := range vs {
				if !utf8.ValidString(v) || strings.ContainsRune(v, 0) {
					t.Fatalf("%q: %s = %q is not storable", body, k, v)
				}
				if !typedExactly[k] && strings.ContainsAny(v, "\r\u202e\ufeff") {
					t.Fatalf("%q: %s = %q not cleaned", body, k, v)
				}
			}
		}
		before := r.PostForm.Encode()
		cleanForm(r)
		if r.PostForm.Encode() != before {
			t.Fatalf("%q: cleaning twice changes the form", body)
		}
	})
}
