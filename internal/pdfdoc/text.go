package pdfdoc

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// lookalikes stand in for characters the embedded font lacks where a plain "?" would lose the meaning.
var lookalikes = map[rune]string{
	'✓': "Yes", '✔': "Yes", '✗': "No", '✘': "No",
	'\u2028': "\n", '\u2029': "\n",
}

// printable rewrites UTF-8 text into characters the embedded fonts draw. Letters they have print as
// written (Łukasz, Ελένη, Дмитрий); a letter they lack prints without its accent when they have the bare
// letter, and otherwise as "?", so Arabic, Chinese or an emoji shows that something was there instead
// of an empty box (a character outside the BMP would make fpdf fail the whole document). Control
// characters other than line breaks are dropped and tabs become spaces.
func (s *runeSet) printable(text string) string {
	// Composed first, so an "e" followed by a combining acute prints as the font's own "é".
	text = norm.NFC.String(strings.ToValidUTF8(text, "?"))
	text = strings.ReplaceAll(text, "\r\n", "\n")
	var b strings.Builder
	b.Grow(len(text))
	for _, r := range text {
		switch {
		case r == '\n':
			b.WriteByte('\n')
		case r == '\t' || r == '\r':
			b.WriteByte(' ')
		case unicode.IsControl(r) || unicode.Is(unicode.Cf, r):
			// Zero-width and direction marks and joiners print nothing as intended; the font draws
			// some of them (a soft hyphen as a hyphen), so they go.
			continue
		case s.has(r):
			b.WriteRune(r)
		case unicode.In(r, unicode.Mn, unicode.Me) || isEmojiModifier(r):
			// An accent the font cannot place, a variation selector or a skin tone: what it modifies
			// is already printed (or already a "?").
			continue
		default:
			b.WriteString(s.substitute(r))
		}
	}
	return b.String()
}

// substitute is what prints for a character the fonts lack.
func (s *runeSet) substitute(r rune) string {
	if unicode.IsSpace(r) {
		return " "
	}
	if alt, ok := lookalikes[r]; ok {
		return alt
	}
	// The letter without the accents the fonts cannot place, when they have the letter itself.
	var b strings.Builder
	for _, d := range norm.NFD.String(string(r)) {
		switch {
		case d == r:
			return "?"
		case s.has(d):
			b.WriteRune(d)
		case unicode.In(d, unicode.Mn, unicode.Me):
			continue
		default:
			return "?"
		}
	}
	if b.Len() == 0 {
		return "?"
	}
	return b.String()
}

// isEmojiModifier reports the Fitzpatrick skin-tone modifiers, which follow the emoji they change.
func isEmojiModifier(r rune) bool { return r >= 0x1F3FB && r <= 0x1F3FF }
