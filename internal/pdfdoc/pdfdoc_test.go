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
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

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

func utf16Name(s string) []byte { return []byte(utf16BE(s))[2:] }

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

func TestTranslatorKeepsCurlyQuotesPoundAndAccents(t *testing.T) {
	tr := translator(fpdf.New("P", "mm", "A4", ""))
	cases := map[string]string{
		"‘a’ “b” £5 €6 – — … •": "\x91a\x92 \x93b\x94 \xa35 \x806 \x96 \x97 \x85 \x95",
		"Zoë Łukasz Ștefan":     "Zo\xeb Lukasz Stefan",
		"e\u0301":               "\xe9",
		"−3 → 4":                "-3 -> 4",
		"你👍":                    "??",
		"a\tb\r\nc\x00d\u200be": "a b\ncde",
	}
	for in, want := range cases {
		if got := tr(in); got != want {
			t.Errorf("translate(%q) = %q, want %q", in, got, want)
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
	text, err := exec.Command("pdftotext", "-enc", "UTF-8", file, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	for _, want := range []string{
		"Application pack: CAP-2627-00042", "Tier 1 course — Motor Vehicle Skills",
		"Zoë O’Brien-Lukasiewicz", "“Settled” in small groups; costs £12.50 a week — fine",
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
