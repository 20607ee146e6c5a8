package pdfdoc

import (
	"strings"
	"unicode"

	"github.com/go-pdf/fpdf"
	"golang.org/x/text/unicode/norm"
)

// lookalikes stand in for characters Windows-1252 lacks and that have no accent to strip. fpdf
// would print each as ".", which changes the meaning of "−5" or "Łukasz".
var lookalikes = map[rune]string{
	'‐': "-", '‑': "-", '‒': "-", '−': "-", '⁃': "-",
	'′': "'", '″': "\"", '‹': "<", '›': ">",
	'→': "->", '←': "<-", '≤': "<=", '≥': ">=", '≠': "!=", '✓': "Yes", '✔': "Yes", '✗': "No", '✘': "No",
	'Ł': "L", 'ł': "l", 'Đ': "D", 'đ': "d", 'Ħ': "H", 'ħ': "h", 'ı': "i", 'ŀ': "l", 'Ŀ': "L",
	'ĸ': "k", 'ŉ': "'n", 'ſ': "s", 'Ŋ': "N", 'ŋ': "n",
	'\u2028': "\n", '\u2029': "\n",
}

// translator returns a function turning UTF-8 into the Windows-1252 bytes the core fonts print: curly
// quotes, dashes, £ and € come out as themselves; accented letters outside the code page lose the accent
// (ă → a); anything else becomes "?" rather than vanishing. Control characters other than line breaks
// are dropped and tabs become spaces.
func translator(pdf *fpdf.Fpdf) func(string) string {
	cp1252 := pdf.UnicodeTranslatorFromDescriptor("cp1252")
	// fpdf's translator shares one buffer between calls; every call here is on this document's goroutine.
	var one func(r rune) string
	one = func(r rune) string {
		if alt, ok := lookalikes[r]; ok {
			return alt
		}
		if t := cp1252(string(r)); t != "." {
			return t
		}
		// Not in the code page: try the letter without its accents.
		var b strings.Builder
		for _, d := range norm.NFD.String(string(r)) {
			if unicode.Is(unicode.Mn, d) {
				continue
			}
			if d == r {
				return "?"
			}
			b.WriteString(one(d))
		}
		if b.Len() == 0 {
			return "?"
		}
		return b.String()
	}
	return func(s string) string {
		// Composed first, so an "e" followed by a combining acute prints as the code page's "é".
		s = norm.NFC.String(strings.ToValidUTF8(s, "?"))
		s = strings.ReplaceAll(s, "\r\n", "\n")
		var b strings.Builder
		b.Grow(len(s))
		for _, r := range s {
			switch {
			case r == '\n':
				b.WriteByte('\n')
			case r == '\t' || r == '\r':
				b.WriteByte(' ')
			case r < 0x20 || r == 0x7F || (r >= 0x80 && r < 0xA0):
				continue
			case r < 0x80:
				b.WriteByte(byte(r))
			case unicode.Is(unicode.Cf, r) || unicode.Is(unicode.Mn, r):
				// Zero-width and direction marks, and combining accents left over from decomposed text.
				continue
			default:
				b.WriteString(one(r))
			}
		}
		return b.String()
	}
}
