package student_test

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/student"
)

// FuzzParseUPN: any text either is refused with an error or gives a UPN of 13 upper-case ASCII
// characters whose check letter is right, and which reads back as itself however it is spaced or cased.
func FuzzParseUPN(f *testing.F) {
	for _, s := range []string{"", "H331290119101", "h331290119101", " H33 1290 119101 ", "A123456789012",
		"H33129011910A", "H33129011910é", "H3312901191\x00", "<script>alert(1)</script>", "' OR 1=1 --",
		strings.Repeat("9", 10000), "\xff\xfe", "H331290119101H331290119101"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		u, err := student.ParseUPN(s)
		if err != nil {
			if u.Value != "" {
				t.Fatalf("ParseUPN(%q) failed with %v but returned %q", s, err, u.Value)
			}
			return
		}
		v := u.Value
		if len(v) != 13 || !utf8.ValidString(v) || strings.ToUpper(v) != v {
			t.Fatalf("ParseUPN(%q) = %q: not 13 upper-case characters", s, v)
		}
		for i := 1; i < 12; i++ {
			if v[i] < '0' || v[i] > '9' {
				t.Fatalf("ParseUPN(%q) = %q: character %d is not a digit", s, v, i)
			}
		}
		if want, ok := student.CheckLetter(v[1:]); !ok || want != v[0] {
			t.Fatalf("ParseUPN(%q) = %q: check letter wrong", s, v)
		}
		if u.Temporary != (v[12] < '0' || v[12] > '9') {
			t.Fatalf("ParseUPN(%q): Temporary = %v for %q", s, u.Temporary, v)
		}
		for _, again := range []string{v, strings.ToLower(v), " " + v[:4] + " " + v[4:] + " "} {
			u2, err := student.ParseUPN(again)
			if err != nil || u2 != u {
				t.Fatalf("ParseUPN(%q) = %v, %v; want %v (round trip of %q)", again, u2, err, u, s)
			}
		}
	})
}

// FuzzParseCSV: any bytes either are refused as a file or read into rows; a row without problems has a
// UPN that parses, a real date of birth in the past, a year group from 7 to 13 and UTF-8 text.
func FuzzParseCSV(f *testing.F) {
	today := calendar.NewDate(2026, time.November, 20)
	f.Add([]byte("UPN,Legal forename,Legal surname,DOB,Sex,Year\nH331290119101,Kai,Brown,27/03/2012,M,9\n"))
	f.Add([]byte("\xef\xbb\xbfUPN;Legal forename;Legal surname;DOB;Sex;Year\r\nH331290119101;Kai;Brown;31/02/2012;M;9\r\n"))
	f.Add([]byte("UPN,Legal forename,Legal surname,DOB,Sex,Year\nH331290119101,<script>alert(1)</script>,'; DROP TABLE students; --,29/02/2012,F,13\n"))
	f.Add([]byte("UPN,Legal forename,Legal surname,DOB,Sex,Year\nH331290119101,Caf\xe9,Brown,01/01/99999,U,-7\n"))
	f.Add([]byte("UPN,UPN,DOB\n\"unterminated,\n"))
	f.Add([]byte("PK\x03\x04 a spreadsheet"))
	f.Add([]byte("UPN,Legal forename\nA\x00B,C\n"))
	f.Add([]byte("UPN,Legal forename,Legal surname,DOB,Sex,Year,SEN,FSM,Looked after,CP/CIN,Postcode,Contact 1 email\nH331290119101,A,B,27/03/2012,M,99999999999999999999,X,maybe,Y,CP,NOT A POSTCODE,not-an-email\n"))
	f.Add([]byte(""))
	f.Fuzz(func(t *testing.T, data []byte) {
		pf, err := student.ParseCSV(data, today)
		if err != nil {
			if len(pf.Rows) != 0 {
				t.Fatalf("file refused (%v) but %d rows returned", err, len(pf.Rows))
			}
			return
		}
		if len(pf.Rows) > student.MaxImportRows {
			t.Fatalf("%d rows read, more than %d", len(pf.Rows), student.MaxImportRows)
		}
		for _, row := range pf.Rows {
			if row.Line < 2 {
				t.Fatalf("row line %d", row.Line)
			}
			if !utf8.ValidString(row.Name) || strings.ContainsRune(row.Name, 0) {
				t.Fatalf("row %d name %q is not storable text", row.Line, row.Name)
			}
			for _, p := range row.Problems {
				if p == "" {
					t.Fatalf("row %d has an empty problem", row.Line)
				}
			}
			if len(row.Problems) > 0 {
				continue
			}
			if _, err := student.ParseUPN(row.UPN); err != nil {
				t.Fatalf("row %d kept without problems but UPN %q does not parse: %v", row.Line, row.UPN, err)
			}
			if y := row.Record.YearGroup; y != 0 && (y < student.MinYearGroup || y > student.MaxYearGroup) {
				t.Fatalf("row %d kept with year group %d", row.Line, y)
			}
			if dob := row.Record.DateOfBirth; !dob.IsZero() {
				if !dob.Before(today) {
					t.Fatalf("row %d: date of birth %v is not in the past", row.Line, dob)
				}
				if tm := time.Date(dob.Year, dob.Month, dob.Day, 0, 0, 0, 0, time.UTC); tm.Day() != dob.Day || tm.Month() != dob.Month {
					t.Fatalf("row %d: %v is not a real date", row.Line, dob)
				}
			}
		}
	})
}
