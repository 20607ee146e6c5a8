package input_test

import (
	"strings"
	"testing"

	"github.com/coventry-cap/capportal/internal/input"
)

func TestMultilineKeepsLineBreaksAndRemovesInvisibleControls(t *testing.T) {
	for in, want := range map[string]string{
		"Finds large classes hard;\nleaves lessons.":     "Finds large classes hard;\nleaves lessons.",
		"one\r\ntwo\rthree\u2028four\u2029five\u0085six": "one\ntwo\nthree\nfour\nfive\nsix",
		"Sam\u202Enosli":                      "Samnosli",
		"\u202Aa\u202Bb\u202Cc\u202Dd\u202Ee": "abcde",
		"\u2066x\u2067y\u2068z\u2069":         "xyz",
		"\uFEFFPasted from Word":              "Pasted from Word",
		"bell\x07 esc\x1b[31m del\x7f":        "bell esc[31m del",
		"c1\u0080\u009b\u009f":                "c1",
		"tab\tkept":                           "tab\tkept",
		"Łukasz Żółć, Ελένη, Дмитрий":         "Łukasz Żółć, Ελένη, Дмитрий",
		"שלום\u200F!":                         "שלום\u200F!", // a right-to-left mark is kept
		"\U0001F468\u200D\U0001F469":          "\U0001F468\u200D\U0001F469",
		"":                                    "",
	} {
		if got := input.Multiline(in); got != want {
			t.Errorf("Multiline(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestLineTurnsLineBreaksAndTabsIntoSpaces(t *testing.T) {
	if got := input.Line("Poppy\r\nVance\tthe\u202Esecond"); got != "Poppy Vance thesecond" {
		t.Errorf("Line = %q", got)
	}
}

func TestCleanTextNeverHoldsAReorderingCharacter(t *testing.T) {
	var all strings.Builder
	for r := rune(0); r < 0x30000; r++ {
		all.WriteRune(r)
	}
	for _, clean := range []func(string) string{input.Multiline, input.Line} {
		out := clean(all.String())
		for _, r := range out {
			if (r >= 0x202A && r <= 0x202E) || (r >= 0x2066 && r <= 0x2069) || r == 0xFEFF || (r < 0x20 && r != '\n' && r != '\t') || (r >= 0x7F && r <= 0x9F) {
				t.Errorf("%U survived", r)
			}
		}
	}
}
