package input

import "strings"

// Text from a form, an import file or a paste can carry characters nobody sees. Some only get in the
// way (a byte-order mark, a control character copied from another program); some disguise what is
// written: a right-to-left override (U+202E) shows "Sam\u202Enosli" as "Samilson", and shows a file
// called "report\u202Efdp.exe" as "reportexe.pdf". Multiline and Line remove them, silently: they are
// invisible, so a person asked to remove them could not see what to remove, and what is left reads in
// the order it was typed, which is how every other system will read it too.
//
// Removed: the C0 control characters but tab and line feed; DEL; the C1 controls (U+0080 to U+009F);
// the bidirectional embeddings, overrides and isolates (U+202A to U+202E, U+2066 to U+2069), which
// reorder whole runs of text; the deprecated format characters U+206A to U+206F; the interlinear
// annotation characters U+FFF9 to U+FFFB; and the byte-order mark U+FEFF.
//
// Kept: the left-to-right and right-to-left marks (U+200E, U+200F) and the Arabic letter mark
// (U+061C), which people typing mixed Arabic or Hebrew and English use to place punctuation and cannot
// reverse a run of letters; the zero-width joiner and non-joiner, which some scripts and emoji need;
// the soft hyphen and zero-width space, which only affect line breaking. The PDFs leave out every
// invisible character anyway (internal/pdfdoc).

// Multiline cleans the answer to a multi-line question: line breaks are kept, each as "\n" (a browser
// sends "\r\n"; "\r", U+0085, U+2028 and U+2029 also become "\n"), tabs are kept, and the characters
// above are removed. Spaces are left as typed.
func Multiline(s string) string {
	if plain(s) {
		return s
	}
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\r' || r == '\u0085' || r == '\u2028' || r == '\u2029':
			return '\n'
		case hidden(r):
			return -1
		}
		return r
	}, s)
}

// Line cleans the answer to a single-line question: as Multiline, with each line break and tab a
// space, since a single-line field never holds one (a browser cannot send one; a crafted request can).
func Line(s string) string {
	s = Multiline(s)
	if !strings.ContainsAny(s, "\n\t") {
		return s
	}
	return strings.Map(func(r rune) rune {
		if r == '\n' || r == '\t' {
			return ' '
		}
		return r
	}, s)
}

// hidden reports the characters Multiline and Line remove.
func hidden(r rune) bool {
	switch {
	case r < 0x20:
		return r != '\t' && r != '\n'
	case r == 0x7F, r >= 0x80 && r <= 0x9F:
		return true
	case r >= 0x202A && r <= 0x202E, r >= 0x2066 && r <= 0x206F:
		return true
	case r >= 0xFFF9 && r <= 0xFFFB, r == 0xFEFF:
		return true
	}
	return false
}

// plain reports text that needs no cleaning because it is printable ASCII, tabs and line feeds: most
// of what anyone types, answered without a copy.
func plain(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < 0x20 && c != '\t' && c != '\n') || c >= 0x7F {
			return false
		}
	}
	return true
}
