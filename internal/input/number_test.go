package input_test

import (
	"testing"

	"github.com/coventry-cap/capportal/internal/input"
)

var attendance = input.Number{What: "the attendance", Min: 0, Max: 100, Places: 1, Example: "85"}

const attendanceMessage = "Enter the attendance as a number between 0 and 100, like 85"

func TestNumberReadsOnlyPlainDigitsWithinTheRange(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want string // the value as shown, or "" when refused
		msg  string // the message when refused
	}{
		{"85", "85", ""},
		{"87.5", "87.5", ""},
		{"0", "0", ""},
		{"100", "100", ""},
		{"100.0", "100", ""},
		{"084.50", "84.5", ""},
		{" 5 ", "5", ""},
		{"\t5\n", "5", ""},
		{"", "", attendanceMessage},
		{"   ", "", attendanceMessage},
		{"NaN", "", attendanceMessage},
		{"nan", "", attendanceMessage},
		{"Inf", "", attendanceMessage},
		{"+Inf", "", attendanceMessage},
		{"infinity", "", attendanceMessage},
		{"1e2", "", attendanceMessage},
		{"1E2", "", attendanceMessage},
		{"-0", "", attendanceMessage},
		{"-5", "", attendanceMessage},
		{"+5", "", attendanceMessage},
		{"0x10", "", attendanceMessage},
		{"0b1", "", attendanceMessage},
		{"1_000", "", attendanceMessage},
		{"1,000", "", attendanceMessage},
		{"８５", "", attendanceMessage}, // full-width digits
		{"٨٥", "", attendanceMessage}, // Arabic-Indic digits
		{"101", "", attendanceMessage},
		{"100.1", "", attendanceMessage},
		{"99999999999999999999999", "", attendanceMessage},
		{"5.", "", attendanceMessage},
		{".5", "", attendanceMessage},
		{"1.2.3", "", attendanceMessage},
		{"85%", "", attendanceMessage},
		{"8 5", "", attendanceMessage},
		{"84.56", "", "Enter the attendance with no more than 1 decimal place"},
	} {
		v, err := attendance.Parse(tt.in)
		switch {
		case tt.want != "" && err != nil:
			t.Errorf("Parse(%q): %v, want %s", tt.in, err, tt.want)
		case tt.want != "" && v.String() != tt.want:
			t.Errorf("Parse(%q) = %s, want %s", tt.in, v, tt.want)
		case tt.want == "" && err == nil:
			t.Errorf("Parse(%q) = %s, want refused", tt.in, v)
		case tt.want == "" && err.Error() != tt.msg:
			t.Errorf("Parse(%q) says %q, want %q", tt.in, err, tt.msg)
		}
	}
}

func TestAWholeNumberFieldTakesNoDecimalPoint(t *testing.T) {
	days := input.Number{What: "the days a week", Min: 1, Max: 5, Example: "2"}
	if n, err := days.Int("2"); err != nil || n != 2 {
		t.Errorf("Int(2) = %d, %v", n, err)
	}
	for _, in := range []string{"2.0", "2.5", "0", "6", "+2", "-0", "02x"} {
		if n, err := days.Int(in); err == nil {
			t.Errorf("Int(%q) = %d, want refused", in, n)
		} else if err.Error() != "Enter the days a week as a whole number between 1 and 5, like 2" {
			t.Errorf("Int(%q) says %q", in, err)
		}
	}
	if n, err := days.Int("005"); err != nil || n != 5 {
		t.Errorf("Int(005) = %d, %v; want 5", n, err)
	}
	weeks := input.Number{What: "the number of weeks", Min: 1, Max: 52, Example: "12", Optional: true}
	if _, err := weeks.Int("NaN"); err == nil || err.Error() != "Enter the number of weeks as a whole number between 1 and 52, like 12, or leave it blank" {
		t.Errorf("an optional field's message: %v", err)
	}
}

func TestAFieldsOwnMessageIsSaidForEveryProblem(t *testing.T) {
	fee := input.Number{Max: 9_999_999, Places: 2, Message: "Enter the fee in pounds, like 65 or 1,250.50, or leave it blank"}
	if v, err := fee.Parse("1250.5"); err != nil || v.Units != 125050 || v.String() != "1250.5" {
		t.Errorf("Parse(1250.5) = %+v, %v; want 125050 pence", v, err)
	}
	for _, in := range []string{"NaN", "12.345", "10000000"} {
		if _, err := fee.Parse(in); err == nil || err.Error() != fee.Message {
			t.Errorf("Parse(%q): %v, want the field's own message", in, err)
		}
	}
}
