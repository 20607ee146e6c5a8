package pdfdoc

import (
	_ "embed" // the fonts travel inside the binary: nothing to install on a server
	"encoding/binary"
	"errors"
	"fmt"
	"sync"

	"github.com/go-pdf/fpdf"
)

// Liberation Sans has Arial's metrics, so layouts measured for Helvetica keep their line breaks, and it
// covers Latin (with Latin Extended), Greek and Cyrillic. fonts/README.md says where the files come from;
// fonts/OFL.txt is their licence, which allows embedding them in documents.
var (
	//go:embed fonts/LiberationSans-Regular.ttf
	regularTTF []byte
	//go:embed fonts/LiberationSans-Bold.ttf
	boldTTF []byte
)

// fontFamily is the family name the embedded fonts are registered under in each document.
const fontFamily = "LiberationSans"

// addFonts registers the embedded fonts with a document. fpdf embeds only the glyphs a document uses.
func addFonts(pdf *fpdf.Fpdf) {
	pdf.AddUTF8FontFromBytes(fontFamily, "", regularTTF)
	pdf.AddUTF8FontFromBytes(fontFamily, "B", boldTTF)
}

// drawable is the set of characters both embedded fonts have a glyph for, read once per process.
var drawable = sync.OnceValues(func() (*runeSet, error) {
	regular, err := cmapBMP(regularTTF)
	if err != nil {
		return nil, fmt.Errorf("read regular font: %w", err)
	}
	bold, err := cmapBMP(boldTTF)
	if err != nil {
		return nil, fmt.Errorf("read bold font: %w", err)
	}
	for i := range regular {
		regular[i] &= bold[i]
	}
	return regular, nil
})

// runeSet is a bit set over the Basic Multilingual Plane, the only plane fpdf's UTF-8 fonts reach.
type runeSet [1 << 16 / 64]uint64

func (s *runeSet) add(r int) { s[r/64] |= 1 << (r % 64) }

// has reports whether r is in the set; characters beyond the BMP never are.
func (s *runeSet) has(r rune) bool { return r >= 0 && r < 1<<16 && s[r/64]&(1<<(r%64)) != 0 }

var errBadFont = errors.New("not a TrueType font with a Unicode BMP character map")

// cmapBMP returns the characters a TrueType font maps to a real glyph (not glyph 0, which readers draw
// as an empty box). It reads the same table fpdf does, the first Unicode subtable in format 4, so the
// set is exactly what fpdf can draw.
func cmapBMP(ttf []byte) (*runeSet, error) {
	rd := ttfReader{b: ttf}
	cmap := -1
	for i := range rd.u16(4) {
		rec := 12 + 16*i
		if rd.ok(rec, 16) && string(ttf[rec:rec+4]) == "cmap" {
			cmap = rd.u32(rec + 8)
			break
		}
	}
	if cmap < 0 {
		return nil, errBadFont
	}
	sub := -1
	for i := range rd.u16(cmap + 2) {
		rec := cmap + 4 + 8*i
		platform, encoding, off := rd.u16(rec), rd.u16(rec+2), cmap+rd.u32(rec+4)
		if (platform == 3 && encoding == 1 || platform == 0) && rd.u16(off) == 4 {
			sub = off
			break
		}
	}
	if sub < 0 || rd.err != nil {
		return nil, errBadFont
	}
	end := sub + rd.u16(sub+2)
	segX2 := rd.u16(sub + 6)
	ends := sub + 14
	starts := ends + segX2 + 2
	deltas := starts + segX2
	offsets := deltas + segX2
	set := new(runeSet)
	for i := 0; i < segX2; i += 2 {
		first, last := rd.u16(starts+i), rd.u16(ends+i)
		delta, offset := rd.u16(deltas+i), rd.u16(offsets+i)
		for c := first; c <= last && c < 0xFFFF; c++ {
			glyph := 0
			if offset == 0 {
				glyph = (c + delta) & 0xFFFF
			} else if at := offsets + i + offset + 2*(c-first); at+2 <= end {
				if glyph = rd.u16(at); glyph != 0 {
					glyph = (glyph + delta) & 0xFFFF
				}
			}
			if glyph != 0 {
				set.add(c)
			}
		}
	}
	if rd.err != nil {
		return nil, rd.err
	}
	return set, nil
}

// ttfReader reads big-endian numbers from a font file, remembering the first read past its end.
type ttfReader struct {
	b   []byte
	err error
}

func (r *ttfReader) ok(off, n int) bool {
	if r.err == nil && (off < 0 || off+n > len(r.b)) {
		r.err = errBadFont
	}
	return r.err == nil
}

func (r *ttfReader) u16(off int) int {
	if !r.ok(off, 2) {
		return 0
	}
	return int(binary.BigEndian.Uint16(r.b[off:]))
}

func (r *ttfReader) u32(off int) int {
	if !r.ok(off, 4) {
		return 0
	}
	return int(binary.BigEndian.Uint32(r.b[off:]))
}
