package document

import (
	"archive/zip"
	"bytes"
	"errors"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"io"
	"strings"
	"testing"
	"unicode/utf8"
)

// Small but real files of each kind, built in code so the tests carry no binary fixtures.

func pdfBytes() []byte {
	return []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
}

func pngBytes(t testing.TB) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 4, 3))
	img.Set(1, 1, color.RGBA{R: 200, A: 255})
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func jpegBytes(t testing.TB) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 4, 3))
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func zipBytes(t testing.TB, names ...string) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for _, n := range names {
		w, err := zw.Create(n)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte("<x/>")); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func docxBytes(t testing.TB) []byte {
	return zipBytes(t, "[Content_Types].xml", "_rels/.rels", "word/document.xml")
}

// docBytes is the start of a compound file with a directory entry naming the WordDocument stream.
func docBytes() []byte {
	b := append([]byte{}, magicOLE...)
	b = append(b, make([]byte, 504)...)
	b = append(b, utf16LE("Root Entry")...)
	b = append(b, make([]byte, 44)...)
	b = append(b, utf16LE("WordDocument")...)
	return append(b, make([]byte, 40)...)
}

func TestValidateAcceptsEachTypeByContent(t *testing.T) {
	cases := []struct {
		name, file, wantType, wantName string
		data                           []byte
	}{
		{"pdf", "Risk assessment.pdf", TypePDF, "Risk assessment.pdf", pdfBytes()},
		{"docx", "agreement.docx", TypeDOCX, "agreement.docx", docxBytes(t)},
		{"doc", "old form.DOC", TypeDOC, "old form.doc", docBytes()},
		{"png", "scan.png", TypePNG, "scan.png", pngBytes(t)},
		{"jpeg keeps .jpeg", "photo.jpeg", TypeJPEG, "photo.jpeg", jpegBytes(t)},
		{"png named pdf is stored as png", "scan.pdf", TypePNG, "scan.png", pngBytes(t)},
		{"pdf without extension gets one", "risk assessment", TypePDF, "risk assessment.pdf", pdfBytes()},
		{"pdf named txt keeps the name and adds .pdf", "notes.txt", TypePDF, "notes.txt.pdf", pdfBytes()},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := Validate(c.file, c.data)
			if err != nil {
				t.Fatalf("Validate: %v", err)
			}
			if got.ContentType != c.wantType || got.FileName != c.wantName || got.Size != len(c.data) {
				t.Errorf("got %+v, want type %s name %q size %d", got, c.wantType, c.wantName, len(c.data))
			}
			if len(got.SHA256) != 64 || strings.ToLower(got.SHA256) != got.SHA256 {
				t.Errorf("SHA256 = %q, want 64 lower-case hex digits", got.SHA256)
			}
		})
	}
}

func TestValidateRefusesWrongTypeByContent(t *testing.T) {
	exe := append([]byte("MZ\x90\x00\x03\x00\x00\x00"), make([]byte, 120)...)
	ole := append(append([]byte{}, magicOLE...), utf16LE("Workbook")...) // an Excel .xls
	cases := []struct {
		name, file string
		data       []byte
		want       error
	}{
		{"program named report.pdf", "report.pdf", exe, ErrWrongType},
		{"html named form.docx", "form.docx", []byte("<!DOCTYPE html><html><script>alert(1)</script></html>"), ErrWrongType},
		{"zip that is not Word", "pack.docx", zipBytes(t, "readme.txt", "data.csv"), ErrWrongType},
		{"spreadsheet in an OLE file", "budget.doc", ole, ErrWrongType},
		{"truncated PNG header", "scan.png", magicPNG, ErrWrongType},
		{"text", "notes.pdf", []byte("just some text"), ErrWrongType},
		{"pdf magic not at the start", "x.pdf", append([]byte("MZ"), pdfBytes()...), ErrWrongType},
		{"macro-enabled Word", "letter.docx", zipBytes(t, "[Content_Types].xml", "word/document.xml", "word/vbaProject.bin"), ErrMacros},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Validate(c.file, c.data)
			if !errors.Is(err, c.want) {
				t.Fatalf("Validate = %v, want %v", err, c.want)
			}
			msg, ok := ProblemMessage(err)
			if !ok || msg == "" {
				t.Errorf("ProblemMessage(%v) = %q, %v; want a user message", err, msg, ok)
			}
		})
	}
	if ErrWrongType.Error() != "The selected file must be a PDF, Word document, or a PNG or JPEG image" {
		t.Errorf("wrong-type message = %q", ErrWrongType.Error())
	}
}

func TestValidateSizeLimits(t *testing.T) {
	atLimit := append(pdfBytes(), make([]byte, MaxSize-len(pdfBytes()))...)
	if c, err := Validate("big.pdf", atLimit); err != nil || c.Size != MaxSize {
		t.Fatalf("exactly 10 MB: got %+v, %v; want accepted", c, err)
	}
	over := append(atLimit, 0)
	if _, err := Validate("big.pdf", over); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("10 MB + 1 byte: got %v, want ErrTooLarge", err)
	}
	if ErrTooLarge.Error() != "The selected file must be smaller than 10 MB" {
		t.Errorf("too-large message = %q", ErrTooLarge.Error())
	}
	if _, err := Validate("empty.pdf", nil); !errors.Is(err, ErrEmpty) {
		t.Errorf("empty file: got %v, want ErrEmpty", err)
	}
	if _, err := Validate("", nil); !errors.Is(err, ErrNoFile) {
		t.Errorf("no file: got %v, want ErrNoFile", err)
	}
}

func TestReadAllStopsAfterTheLimit(t *testing.T) {
	r := &countingReader{n: MaxSize + 5<<20}
	if _, err := ReadAll(r); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("ReadAll = %v, want ErrTooLarge", err)
	}
	if r.read > MaxSize+1+32<<10 {
		t.Errorf("read %d bytes of an oversized upload; want about MaxSize+1", r.read)
	}
	data, err := ReadAll(bytes.NewReader(pdfBytes()))
	if err != nil || !bytes.Equal(data, pdfBytes()) {
		t.Errorf("ReadAll of a small file = %d bytes, %v", len(data), err)
	}
}

type countingReader struct{ n, read int }

func (c *countingReader) Read(p []byte) (int, error) {
	if c.read >= c.n {
		return 0, io.EOF
	}
	k := min(len(p), c.n-c.read)
	c.read += k
	return k, nil
}

func TestCleanName(t *testing.T) {
	cases := []struct{ in, typ, want string }{
		{"../../etc/passwd", TypePDF, "passwd.pdf"},
		{"..", TypePDF, "document.pdf"},
		{"../", TypePDF, "document.pdf"},
		{`C:\Users\Head\Desktop\risk.pdf`, TypePDF, "risk.pdf"},
		{"..\\..\\secret.docx", TypeDOCX, "secret.docx"},
		{".hidden.pdf", TypePDF, "hidden.pdf"},
		{"...risk....assessment.pdf", TypePDF, "risk.assessment.pdf"},
		{"risk\x00\r\nassessment.pdf", TypePDF, "riskassessment.pdf"},
		{"invoice\u202Efdp.exe", TypePDF, "invoicefdp.exe.pdf"},
		{`a<b>c:"d"|e?f*.pdf`, TypePDF, "a_b_c__d__e_f_.pdf"},
		{"  spaced   out  .pdf", TypePDF, "spaced out.pdf"},
		{"Photo.JPG", TypeJPEG, "Photo.jpg"},
		{"scan.pdf", TypeJPEG, "scan.jpg"},
		{"Zoë’s plan.docx", TypeDOCX, "Zoë’s plan.docx"},
		{"", TypePNG, "document.png"},
		{"bad\xffutf8.pdf", TypePDF, "badutf8.pdf"},
	}
	for _, c := range cases {
		got := CleanName(c.in, c.typ)
		if got != c.want {
			t.Errorf("CleanName(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestCleanNameIsAlwaysSafe(t *testing.T) {
	long := strings.Repeat("ä", 300) + ".docx"
	inputs := []string{long, "../" + long, "/", "\\", ". . .", "....pdf", "..\\..", "a/../../b", strings.Repeat("/..", 50)}
	for _, in := range inputs {
		got := CleanName(in, TypeDOCX)
		if strings.ContainsAny(got, `/\`) || strings.HasPrefix(got, ".") || strings.Contains(got, "..") {
			t.Errorf("CleanName(%q) = %q: has a separator or leading/double dot", in, got)
		}
		if n := utf8.RuneCountInString(got); n > maxNameRunes || n == 0 {
			t.Errorf("CleanName(%q) has %d runes, want 1..%d", in, n, maxNameRunes)
		}
		if !strings.HasSuffix(got, ".docx") {
			t.Errorf("CleanName(%q) = %q, want the .docx extension kept", in, got)
		}
	}
	if got := CleanName(long, TypeDOCX); utf8.RuneCountInString(got) != maxNameRunes {
		t.Errorf("long name cut to %d runes, want %d", utf8.RuneCountInString(got), maxNameRunes)
	}
}

func TestSizeText(t *testing.T) {
	cases := map[int]string{
		0:              "0 bytes",
		1:              "1 byte",
		900:            "900 bytes",
		350 * 1024:     "350 KB",
		1023 * 1024:    "1023 KB",
		1024*1024 - 10: "1 MB",
		1258291:        "1.2 MB",
		MaxSize:        "10 MB",
	}
	for n, want := range cases {
		if got := SizeText(n); got != want {
			t.Errorf("SizeText(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestKindsAndTemplates(t *testing.T) {
	for _, k := range Kinds {
		if !k.Valid() || k.Label() == string(k) {
			t.Errorf("kind %q: valid %v label %q", k, k.Valid(), k.Label())
		}
	}
	if Kind("passport").Valid() || Template("lea").Valid() {
		t.Error("unknown kind or template reported valid")
	}
	if CAPTemplate.Label() != "CAP student risk assessment template" || SchoolTemplate.Label() != "The school’s own risk assessment" {
		t.Errorf("template labels = %q, %q", CAPTemplate.Label(), SchoolTemplate.Label())
	}
}
