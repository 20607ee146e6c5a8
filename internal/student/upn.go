package student

import (
	"strings"
	"unicode/utf8"
)

// upnLetters are the letters a UPN may use, in the order of their value in the DfE check-letter
// calculation (A=0 … Z=22). I, O and S are left out because they are easily mistaken for 1, 0 and 5.
const upnLetters = "ABCDEFGHJKLMNPQRTUVWXYZ"

// UPNError is a problem with a UPN, worded for the coordinator who typed it.
type UPNError string

// Error returns the sentence shown to the coordinator.
func (e UPNError) Error() string { return string(e) }

// The problems with a UPN.
const (
	ErrUPNMissing     UPNError = "Enter the student’s UPN"
	ErrUPNLength      UPNError = "Enter a UPN that is 13 characters long"
	ErrUPNCharacters  UPNError = "Enter a UPN that starts with a letter, then has 11 numbers, and ends with a number or, for a temporary UPN, a letter"
	ErrUPNCheckLetter UPNError = "The UPN’s check letter does not match: check it was typed correctly"
)

// UPN is a validated Unique Pupil Number.
type UPN struct {
	// Value is the normalised UPN: upper case, no spaces.
	Value string
	// Temporary is true for a UPN a school made up while it waits for a permanent one (it ends in a letter).
	Temporary bool
}

// NormaliseUPN upper-cases a UPN and removes the spaces people and spreadsheets put in it.
func NormaliseUPN(s string) string {
	return strings.ToUpper(strings.Join(strings.Fields(s), ""))
}

// ParseUPN checks a UPN against the DfE rules: 13 characters; a check letter; 11 digits (the LA
// number, the establishment number, the year of allocation and a serial number); and a last digit,
// or a letter for a temporary UPN. The returned error is one of the ErrUPN… sentences.
func ParseUPN(s string) (UPN, error) {
	v := NormaliseUPN(s)
	switch {
	case v == "":
		return UPN{}, ErrUPNMissing
	case utf8.RuneCountInString(v) != 13:
		// Characters, not bytes, so that a stray "é" is not counted twice.
		return UPN{}, ErrUPNLength
	case len(v) != 13:
		return UPN{}, ErrUPNCharacters
	}
	if strings.IndexByte(upnLetters, v[0]) < 0 {
		return UPN{}, ErrUPNCharacters
	}
	for i := 1; i < 12; i++ {
		if v[i] < '0' || v[i] > '9' {
			return UPN{}, ErrUPNCharacters
		}
	}
	last := v[12]
	temporary := last < '0' || last > '9'
	if temporary && strings.IndexByte(upnLetters, last) < 0 {
		return UPN{}, ErrUPNCharacters
	}
	if want, _ := CheckLetter(v[1:]); want != v[0] {
		return UPN{}, ErrUPNCheckLetter
	}
	return UPN{Value: v, Temporary: temporary}, nil
}

// CheckLetter computes the DfE check letter for the 12 characters after it: each character is
// multiplied by its position in the UPN (2 to 13), digits counting as their value and a letter by its
// place in upnLetters; the sum modulo 23 picks the letter. ok is false when rest is not 11 digits and a
// digit or letter.
func CheckLetter(rest string) (letter byte, ok bool) {
	if len(rest) != 12 {
		return 0, false
	}
	sum := 0
	for i := 0; i < 12; i++ {
		c := rest[i]
		var v int
		switch {
		case c >= '0' && c <= '9':
			v = int(c - '0')
		case i == 11 && strings.IndexByte(upnLetters, c) >= 0:
			v = strings.IndexByte(upnLetters, c)
		default:
			return 0, false
		}
		sum += v * (i + 2)
	}
	return upnLetters[sum%23], true
}
