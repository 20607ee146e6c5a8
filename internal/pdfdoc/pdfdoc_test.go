package pdfdoc

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/draw"
	"image/jpeg"
	"image/png"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/go-pdf/fpdf"
)

var created = time.Date(2026, time.November, 23, 9, 30, 0, 0, time.UTC)

type pngForm int

const (
	opaque pngForm = iota // RGB: one image object
	alpha                 // RGBA: an image and its soft mask
	deep16                // 16-bit with alpha, which fpdf garbles, so it is re-encoded
)

func testPNG(t *testing.T, w, h int, form pngForm) []byte {
	t.Helper()
	var img draw.Image
	switch form {
	case deep16:
		img = image.NewNRGBA64(image.Rect(0, 0, w, h))
	default:
		img = image.NewRGBA(image.Rect(0, 0, w, h))
	}
	ink := color.NRGBA64{B: 0xc000, A: 0x8000}
	if form == opaque {
		draw.Draw(img, img.Bounds(), image.NewUniform(color.White), image.Point{}, draw.Src)
		ink.A = 0xffff
	}
	for x := 0; x < w; x++ {
		img.Set(x, x%h, ink)
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// interlacedPNG is a one-pixel PNG marked Adam7-interlaced (for one pixel the data is the same), a
// form fpdf refuses and the standard decoder reads.
func interlacedPNG(t *testing.T) []byte {
	b := testPNG(t, 1, 1, opaque)
	b[28] = 1
	binary.BigEndian.PutUint32(b[29:33], crc32.ChecksumIEEE(b[12:29]))
	if _, err := png.Decode(bytes.NewReader(b)); err != nil {
		t.Fatalf("crafted interlaced PNG does not decode: %v", err)
	}
	return b
}

func testJPEG(t *testing.T) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := jpeg.Encode(&b, image.NewGray(image.Rect(0, 0, 300, 120)), nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func samplePDF() []byte { return []byte("%PDF-1.4\n%fake attached pdf\n%%EOF\n") }

func sampleDoc(t *testing.T) Doc {
	return Doc{
		Title:    "Application pack: CAP-2627-00042",
		Subtitle: "Tier 1 course — Motor Vehicle Skills at Northfield Training",
		Meta: []Row{
			{"Reference", "CAP-2627-00042"},
			{"Date sent", "23 November 2026"},
		},
		Sections: []Section{
			{
				Heading: "About the student",
				Rows: []Row{
					{"Name", "Zoë O’Brien-Łukasiewicz"},
					{"School’s view", "“Settled” in small groups; costs £12.50 a week — fine"},
					{"Empty answer", ""},
				},
				Paragraphs: []string{"The school’s risk assessment is attached."},
			},
		},
		Attachments: []Attachment{
			{Name: "Risk assessment.pdf", ContentType: "application/pdf", Data: samplePDF()},
			{Name: "scan.png", ContentType: "image/png", Data: testPNG(t, 40, 60, alpha)},
			{Name: "agreement.docx", ContentType: "application/vnd.openxmlformats-officedocument.wordprocessingml.document", Data: []byte("PK\x03\x04fake")},
			{Name: "photo.jpg", ContentType: "image/jpeg", Data: testJPEG(t)},
		},
		Footer:  "OFFICIAL-SENSITIVE",
		Created: created,
	}
}

func render(t *testing.T, d Doc) []byte {
	t.Helper()
	out, err := Render(d)
	if err != nil {
		t.Fatalf("Render: %v", err)
	}
	if !bytes.HasPrefix(out, []byte("%PDF-")) {
		t.Fatalf("output starts %q, want %%PDF-", out[:min(len(out), 10)])
	}
	if !bytes.HasSuffix(bytes.TrimRight(out, "\r\n"), []byte("%%EOF")) {
		t.Fatalf("output does not end with %%%%EOF")
	}
	return out
}

// utf16Name is s as fpdf writes it in a UTF-16 PDF string (embedded file names, metadata).
func utf16Name(s string) []byte {
	var b []byte
	for _, u := range utf16.Encode([]rune(s)) {
		b = append(b, byte(u>>8), byte(u))
	}
	return b
}

func TestRenderEmbedsEveryAttachment(t *testing.T) {
	out := render(t, sampleDoc(t))
	for _, name := range []string{"Risk assessment.pdf", "scan.png", "agreement.docx", "photo.jpg"} {
		if !bytes.Contains(out, utf16Name(name)) {
			t.Errorf("embedded file name %q not found in the PDF", name)
		}
	}
	if n := bytes.Count(out, []byte("/Type /EmbeddedFile ")); n != 4 {
		t.Errorf("%d embedded file streams, want 4 (each file once)", n)
	}
	if !bytes.Contains(out, utf16Name(Author)) {
		t.Error("author metadata missing")
	}
	if !bytes.Contains(out, []byte("/Subtype /Image")) {
		t.Error("no image drawn for the PNG and JPEG attachments")
	}
}

func TestRenderIsDeterministicForAFixedCreationDate(t *testing.T) {
	a, b := render(t, sampleDoc(t)), render(t, sampleDoc(t))
	if !bytes.Equal(a, b) {
		t.Error("two renders of the same document differ")
	}
}

func TestRenderLongAndUnusualTextDoesNotFail(t *testing.T) {
	long := strings.Repeat("The student finds unstructured time difficult and needs a named adult. ", 400)
	word := strings.Repeat("x", 5000) // one unbreakable word
	d := Doc{
		Title:  strings.Repeat("A very long title ", 30),
		Footer: strings.Repeat("footer ", 100),
		Meta:   []Row{{strings.Repeat("Long key ", 40), long}},
		Sections: []Section{
			{Heading: "Non-Latin text", Rows: []Row{
				{"Greek", "Καλημέρα"}, {"Arabic", "مرحبا"}, {"Chinese", "你好"}, {"Emoji", "👍🏽 ok"},
				{"Control", "tab\there\r\nnew line\x00\x07"}, {"Invalid UTF-8", "bad\xff\xfebytes"},
				{"Word", word},
			}},
			{Heading: "Many rows", Rows: manyRows(120)},
			{Paragraphs: []string{long, word}},
		},
		Attachments: []Attachment{
			{Name: "", ContentType: "application/pdf", Data: samplePDF()},
			{Name: "../../etc/passwd\x00😀.pdf", ContentType: "application/pdf", Data: samplePDF()},
			{Name: "broken.png", ContentType: "image/png", Data: []byte("\x89PNG\r\n\x1a\nnot really")},
			{Name: "deep.png", ContentType: "image/png", Data: testPNG(t, 30, 20, deep16)},
			{Name: "wide.png", ContentType: "image/png", Data: testPNG(t, 3000, 200, opaque)},
			{Name: "interlaced.png", ContentType: "image/png", Data: interlacedPNG(t)},
		},
	}
	out := render(t, d)
	if !bytes.Contains(out, utf16Name("document-1")) || !bytes.Contains(out, utf16Name("passwd_.pdf")) {
		t.Error("unnamed or path-like attachment names were not made safe")
	}
	if bytes.Contains(out, utf16Name("../")) {
		t.Error("an embedded file name still has a directory part")
	}
	// One image object each for the 16-bit and interlaced PNGs (re-encoded without alpha) and the
	// opaque wide one; the broken PNG is attached but not drawn.
	if n := bytes.Count(out, []byte("/Subtype /Image")); n != 3 {
		t.Errorf("%d image objects, want 3", n)
	}
	if bytes.Contains(out, []byte("/BitsPerComponent 16")) {
		t.Error("a 16-bit image went to fpdf as it was; its alpha split garbles those")
	}
}

func manyRows(n int) []Row {
	rows := make([]Row, n)
	for i := range rows {
		rows[i] = Row{"Question", "An answer that is long enough to wrap onto a second line in the value column of the table."}
	}
	return rows
}

func TestRenderWithNothingButATitle(t *testing.T) {
	render(t, Doc{Title: "Outcome letter"})
	render(t, Doc{})
}

func glyphSet(t *testing.T) *runeSet {
	t.Helper()
	set, err := drawable()
	if err != nil {
		t.Fatalf("reading the embedded fonts: %v", err)
	}
	return set
}

func TestEmbeddedFontsCoverLatinGreekAndCyrillic(t *testing.T) {
	set := glyphSet(t)
	ranges := []struct {
		name        string
		first, last rune
	}{
		{"ASCII", 0x20, 0x7E},
		{"Latin-1", 0xA0, 0xFF},
		{"Latin Extended-A (Polish, Czech, Turkish, Hungarian…)", 0x100, 0x17F},
		{"Romanian comma-below letters", 0x218, 0x21B},
		{"Greek capitals", 0x391, 0x3A9},
		{"Greek small letters", 0x3AC, 0x3CE},
		{"Cyrillic (Russian, Ukrainian, Bulgarian, Serbian…)", 0x400, 0x45F},
	}
	for _, rg := range ranges {
		for r := rg.first; r <= rg.last; r++ {
			if r == 0x3A2 { // reserved, no character
				continue
			}
			if !set.has(r) {
				t.Errorf("%s: %U %c has no glyph", rg.name, r, r)
			}
		}
	}
	for _, r := range "‘’“”–—…•€£−→" {
		if !set.has(r) {
			t.Errorf("punctuation %U %c has no glyph", r, r)
		}
	}
	for _, r := range []rune{'م', '你', 'あ', '한', 0xFFFD, 0x1F44D} {
		if set.has(r) {
			t.Errorf("%U %c is reported drawable; the font has no glyph for it", r, r)
		}
	}
	for in, alt := range lookalikes {
		if set.has(in) {
			t.Errorf("lookalike for %U is dead: the font draws it", in)
		}
		for _, r := range alt {
			if r != '\n' && !set.has(r) {
				t.Errorf("lookalike for %U uses %U, which the font lacks", in, r)
			}
		}
	}
}

func TestCmapRejectsSomethingThatIsNotAFont(t *testing.T) {
	for _, data := range [][]byte{nil, []byte("not a font"), regularTTF[:200]} {
		if _, err := cmapBMP(data); err == nil {
			t.Errorf("cmapBMP(%d bytes) gave no error", len(data))
		}
	}
}

func TestPrintableKeepsWhatTheFontDrawsAndMarksTheRest(t *testing.T) {
	set := glyphSet(t)
	cases := map[string]string{
		"Łukasz Żółć":                         "Łukasz Żółć",
		"Agnieszka Górska-Łęcka":              "Agnieszka Górska-Łęcka",
		"Ελένη Παπαδοπούλου":                  "Ελένη Παπαδοπούλου",
		"Дмитрий Іваненко":                    "Дмитрий Іваненко",
		"Ștefan Țurcanu, Şükrü Ağaoğlu, Ďaša": "Ștefan Țurcanu, Şükrü Ağaoğlu, Ďaša",
		"‘a’ “b” £5 €6 – — … • −3":            "‘a’ “b” £5 €6 – — … • −3",
		"Zoe\u0308":                    "Zoë", // decomposed input comes out composed
		"مرحبا":                        "?????",
		"你好 ok":                        "?? ok",
		"👍🏽 ok 😀":                      "? ok ?", // skin tone folded into its emoji
		"❤️":                           "?",      // variation selector dropped
		"✓ done ✗":                     "Yes done No",
		"a\tb\r\nc\x00d\u200be\u00adf": "a b\ncdef",
		"bad\xff\xfebytes":             "bad?bytes",
		"x\u3000y":                     "x y",
	}
	for in, want := range cases {
		got := set.printable(in)
		if got != want {
			t.Errorf("printable(%q) = %q, want %q", in, got, want)
		}
		for _, r := range got {
			if r != '\n' && !set.has(r) {
				t.Errorf("printable(%q) left %U, which the font lacks", in, r)
			}
		}
	}
}

// TestTextWithPdftotext reads the rendered text back when poppler-utils is installed; the structural
// tests above stand without it.
func TestTextWithPdftotext(t *testing.T) {
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext not installed (poppler-utils)")
	}
	dir := t.TempDir()
	file := filepath.Join(dir, "pack.pdf")
	if err := os.WriteFile(file, render(t, sampleDoc(t)), 0o600); err != nil {
		t.Fatal(err)
	}
	text := pdftotext(t, file)
	for _, want := range []string{
		"Application pack: CAP-2627-00042", "Tier 1 course — Motor Vehicle Skills",
		"Zoë O’Brien-Łukasiewicz", "“Settled” in small groups; costs £12.50 a week — fine",
		"Not provided", "Documents included", "1. Risk assessment.pdf", "4. photo.jpg",
		"shown on page", "Page 1 of", "OFFICIAL-SENSITIVE",
	} {
		if !strings.Contains(string(text), want) {
			t.Errorf("text %q not found in:\n%s", want, text)
		}
	}
	if _, err := exec.LookPath("pdfdetach"); err != nil {
		return
	}
	list, err := exec.Command("pdfdetach", "-list", file).Output()
	if err != nil {
		t.Fatalf("pdfdetach: %v", err)
	}
	for _, name := range []string{"Risk assessment.pdf", "scan.png", "agreement.docx", "photo.jpg"} {
		if !strings.Contains(string(list), name) {
			t.Errorf("pdfdetach does not list %q:\n%s", name, list)
		}
	}
	if err := exec.Command("pdfdetach", "-save", "1", "-o", filepath.Join(dir, "out.pdf"), file).Run(); err != nil {
		t.Fatalf("pdfdetach -save: %v", err)
	}
	if got, err := os.ReadFile(filepath.Join(dir, "out.pdf")); err != nil || !bytes.Equal(got, samplePDF()) {
		t.Errorf("extracted attachment = %q, %v; want the original bytes", got, err)
	}
}

// pdftotext returns the text of a PDF file as poppler reads it, or skips the test without poppler-utils.
func pdftotext(t *testing.T, file string) string {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext not installed (poppler-utils)")
	}
	text, err := exec.Command("pdftotext", "-enc", "UTF-8", file, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	if !utf8.Valid(text) {
		t.Errorf("pdftotext gave invalid UTF-8: %q", text)
	}
	return string(text)
}

// internationalDoc has names a Coventry family might have, in every part of the document that prints
// text, and scripts the font does not cover.
func internationalDoc() Doc {
	return Doc{
		Title:    "Application pack: Łukasz Żółć",
		Subtitle: "Agnieszka Górska-Łęcka, parent",
		Meta:     []Row{{"Student", "Łukasz Żółć"}, {"Parent", "Agnieszka Górska-Łęcka"}},
		Sections: []Section{
			{Heading: "Family: Żółć", Rows: []Row{
				{"Ελένη Παπαδοπούλου", "Aunt, has parental responsibility"},
				{"Дмитрий Іваненко", "Family friend"},
				{"Other names", "Ștefan Țurcanu, Şükrü Ağaoğlu, Dvořák"},
				{"Arabic", "مرحبا"}, {"Chinese", "你好"}, {"Emoji", "Happy 👍🏽 today"},
			}},
			{Paragraphs: []string{"Notes from Mrs Górska-Łęcka: Łukasz settles well. " + strings.Repeat("Ελένη Дмитрий ", 60)}},
		},
		Attachments: []Attachment{{Name: "Świadectwo Łukasza.pdf", ContentType: "application/pdf", Data: samplePDF()}},
		Footer:      "OFFICIAL-SENSITIVE: Łukasz Żółć",
		Created:     created,
	}
}

func TestNamesInAnyLatinGreekOrCyrillicScriptReadBackExactly(t *testing.T) {
	out := render(t, internationalDoc())
	if !bytes.Contains(out, []byte("/FontFile2")) || bytes.Contains(out, []byte("/BaseFont /Helvetica")) {
		t.Error("the text is not set in the embedded font")
	}
	if !bytes.Contains(out, append([]byte{0xFE, 0xFF}, utf16Name("Family: Żółć")...)) {
		t.Error("the section's bookmark is not the heading in UTF-16")
	}
	if !bytes.Equal(out, render(t, internationalDoc())) {
		t.Error("two renders of the same document differ")
	}
	file := filepath.Join(t.TempDir(), "pack.pdf")
	if err := os.WriteFile(file, out, 0o600); err != nil {
		t.Fatal(err)
	}
	text := pdftotext(t, file)
	for _, want := range []string{
		"Application pack: Łukasz Żółć", "Agnieszka Górska-Łęcka, parent", "Górska-Łęcka",
		"Family: Żółć", "Ελένη Παπαδοπούλου", "Дмитрий Іваненко", "Ștefan Țurcanu, Şükrü Ağaoğlu, Dvořák",
		"Notes from Mrs Górska-Łęcka: Łukasz settles well.", "1. Świadectwo Łukasza.pdf",
		"OFFICIAL-SENSITIVE: Łukasz Żółć",
		// Scripts the font lacks print as a marker, never as an empty box or nothing.
		"?????", "??", "Happy ? today",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("text %q not found in:\n%s", want, text)
		}
	}
	for _, lost := range []string{"Lukasz", "Zolc", "Lecka", "مرحبا", "你好"} {
		if strings.Contains(text, lost) {
			t.Errorf("text has %q: a character was replaced or drawn as an empty box", lost)
		}
	}
}

func TestLongTitlesAreShortenedByWholeCharacters(t *testing.T) {
	d := internationalDoc()
	d.Title = strings.Repeat("Żółć Ελένη ", 30)
	d.Sections = append(d.Sections, Section{Heading: "More", Rows: manyRows(60)})
	file := filepath.Join(t.TempDir(), "pack.pdf")
	if err := os.WriteFile(file, render(t, d), 0o600); err != nil {
		t.Fatal(err)
	}
	// The running header on later pages is the title cut to one line; pdftotext checks it is valid.
	if text := pdftotext(t, file); !strings.Contains(text, "Żółć Ελένη Żółć") || !strings.Contains(text, "...") {
		t.Errorf("shortened running header not found in:\n%s", text)
	}
}

func TestEmbeddedFontIsSubset(t *testing.T) {
	// A typical text-only pack: the whole regular font alone is about 400 KB.
	d := internationalDoc()
	d.Attachments = nil
	d.Sections = append(d.Sections, Section{Heading: "The referral", Rows: manyRows(40)})
	if out := render(t, d); len(out) > 60_000 {
		t.Errorf("a text-only pack is %d bytes; the fonts are no longer subset", len(out))
	}
}

func TestLineCountMatchesWhatMultiCellPrints(t *testing.T) {
	set := glyphSet(t)
	texts := []string{
		"", "short", "Łukasz Żółć " + strings.Repeat("Górska-Łęcka ", 20), strings.Repeat("Ж", 300),
		"one\ntwo\n\nfour\n\n", strings.Repeat("word ", 50) + strings.Repeat("x", 400),
	}
	for _, s := range texts {
		for _, w := range []float64{keyWidth, 108} {
			pdf := fpdf.New("P", "mm", "A4", "")
			addFonts(pdf)
			pdf.AddPage()
			pdf.SetFont(fontFamily, "", 11)
			s = set.printable(s)
			want := lineCount(pdf, s, w)
			y := pdf.GetY()
			pdf.SetAutoPageBreak(false, 0)
			pdf.MultiCell(w, 1, s, "", "L", false)
			if got := int(math.Round(pdf.GetY() - y)); got != want {
				t.Errorf("lineCount(%.20q…, %v) = %d; MultiCell printed %d lines", s, w, want, got)
			}
		}
	}
}
