package input

import (
	"strconv"
	"strings"
)

// Number is what a number field accepts and how its problems are worded. A number is typed as plain
// digits 0 to 9, with one decimal point when Places allows decimals, and spaces before or after. Nothing
// else is read as a number: no sign (no field takes a negative number), no exponent (1e2), no NaN or
// Inf, no hexadecimal (0x10), no digit separators (1_000 or 1,000), no digits from other scripts (５).
// What strconv accepts beyond that is a programmer's notation, not a person's.
type Number struct {
	// What names the field in a message, after "Enter": "the attendance".
	What string
	// Min and Max are the range, in whole units, both allowed.
	Min, Max int64
	// Places is how many decimal places the field takes: 0 for a whole number.
	Places int
	// Example is an answer the message offers: "85".
	Example string
	// Optional adds "or leave it blank" to the message, for a field that may be left empty.
	Optional bool
	// Message, when set, is said for every problem instead of the worded ones.
	Message string
}

// Problem is why what was typed is not a number the field takes, worded for the person who typed it.
type Problem string

// Error returns the sentence to show beside the field.
func (p Problem) Error() string { return string(p) }

// Value is a number as read, exactly: Units is the number times ten to the power Places, so 87.5 read
// with one decimal place is 875 units.
type Value struct {
	Units  int64
	Places int
}

// Whole is the whole part of the value (all of it for a field without decimals).
func (v Value) Whole() int64 { return v.Units / pow10(v.Places) }

// String is the value as the portal shows it: "87.5", "85", never "85.0" or "085".
func (v Value) String() string {
	whole, frac := v.Units/pow10(v.Places), v.Units%pow10(v.Places)
	s := strconv.FormatInt(whole, 10)
	if frac == 0 {
		return s
	}
	f := strconv.FormatInt(frac, 10)
	f = strings.Repeat("0", v.Places-len(f)) + f
	return s + "." + strings.TrimRight(f, "0")
}

// maxDigits bounds the digits read, so that no number overflows an int64 however long it is typed.
const maxDigits = 15

// Parse reads what was typed into the field, or says what is wrong with it. Nothing typed is a Problem
// too, worded as the field's message: an optional field checks for blank first.
func (n Number) Parse(s string) (Value, error) {
	s = strings.TrimSpace(s)
	whole, frac, hasPoint := strings.Cut(s, ".")
	if !digits(whole) || (hasPoint && (n.Places == 0 || !digits(frac))) {
		return Value{}, n.problem()
	}
	// Zeros after the last decimal place the field takes say nothing: 84.50 is 84.5.
	frac = strings.TrimRight(frac, "0")
	if len(frac) > n.Places {
		return Value{}, n.tooManyPlaces()
	}
	whole = strings.TrimLeft(whole, "0")
	if len(whole) > maxDigits {
		return Value{}, n.problem()
	}
	w, _ := strconv.ParseInt("0"+whole, 10, 64) // plain digits only, and few enough to fit
	f, _ := strconv.ParseInt("0"+frac+strings.Repeat("0", n.Places-len(frac)), 10, 64)
	v := Value{Units: w*pow10(n.Places) + f, Places: n.Places}
	if v.Units < n.Min*pow10(n.Places) || v.Units > n.Max*pow10(n.Places) {
		return Value{}, n.problem()
	}
	return v, nil
}

// Int reads a whole number, for a field without decimals.
func (n Number) Int(s string) (int, error) {
	n.Places = 0
	v, err := n.Parse(s)
	return int(v.Units), err
}

// problem is the field's message: what to enter, between which numbers, and an example.
func (n Number) problem() Problem {
	if n.Message != "" {
		return Problem(n.Message)
	}
	kind := "a number"
	if n.Places == 0 {
		kind = "a whole number"
	}
	msg := "Enter " + n.What + " as " + kind + " between " + strconv.FormatInt(n.Min, 10) + " and " + strconv.FormatInt(n.Max, 10)
	if n.Example != "" {
		msg += ", like " + n.Example
	}
	if n.Optional {
		msg += ", or leave it blank"
	}
	return Problem(msg)
}

func (n Number) tooManyPlaces() Problem {
	if n.Message != "" {
		return Problem(n.Message)
	}
	places := "1 decimal place"
	if n.Places != 1 {
		places = strconv.Itoa(n.Places) + " decimal places"
	}
	return Problem("Enter " + n.What + " with no more than " + places)
}

// digits reports whether s is one or more of the digits 0 to 9 and nothing else.
func digits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func pow10(n int) int64 {
	p := int64(1)
	for range n {
		p *= 10
	}
	return p
}
