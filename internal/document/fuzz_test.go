package document

import (
	"bytes"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzValidate: any upload either is refused with an error or kept as one of the five types, judged
// by its bytes alone, under a name that is safe to store and to offer back, whose extension tells the truth.
func FuzzValidate(f *testing.F) {
	pngHeader := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde")
	f.Add("report.pdf", []byte("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n"))
	f.Add("scan.pdf", pngHeader)
	f.Add("../../etc/passwd", []byte("root:x:0:0"))
	f.Add("evil\u202egnp.exe", []byte("MZ\x90\x00"))
	f.Add("photo.jpg", []byte{0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 'J', 'F', 'I', 'F', 0})
	f.Add("old.doc", append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, utf16LE("WordDocument")...))
	f.Add("book.xls", []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0})
	f.Add("a.docx", []byte("PK\x03\x04\x14\x00\x00\x00"))
	f.Add("", []byte{})
	f.Add("<script>alert(1)</script>.pdf", []byte("%PDF-"))
	f.Add("\xff\xfe.pdf", []byte("%PDF-1.4"))
	f.Add(strings.Repeat("a", 10000)+".pdf", []byte("%PDF-1.4"))
	f.Fuzz(func(t *testing.T, name string, data []byte) {
		c, err := Validate(name, data)
		if err != nil {
			if c != (Checked{}) {
				t.Fatalf("refused (%v) but returned %+v", err, c)
			}
			return
		}
		exts, known := extensions[c.ContentType]
		if !known {
			t.Fatalf("kept as %q, not one of the kept types", c.ContentType)
		}
		if got, err := DetectType(data); err != nil || got != c.ContentType {
			t.Fatalf("kept as %q but the bytes say %q, %v", c.ContentType, got, err)
		}
		if c.Size != len(data) || len(c.SHA256) != 64 {
			t.Fatalf("size %d sha %q for %d bytes", c.Size, c.SHA256, len(data))
		}
		n := c.FileName
		if n == "" || !utf8.ValidString(n) || utf8.RuneCountInString(n) > maxNameRunes {
			t.Fatalf("name %q is empty, not UTF-8 or too long", n)
		}
		if strings.ContainsAny(n, "/\\<>:\"|?*\x00") || strings.HasPrefix(n, ".") || strings.Contains(n, "..") {
			t.Fatalf("name %q is not safe to store", n)
		}
		ok := false
		for _, e := range exts {
			ok = ok || strings.HasSuffix(strings.ToLower(n), e)
		}
		if !ok {
			t.Fatalf("name %q does not end with an extension of %s", n, c.ContentType)
		}
		if again := CleanName(n, c.ContentType); again != n {
			t.Fatalf("CleanName is not stable: %q then %q", n, again)
		}
		if bytes.Equal(data, nil) {
			t.Fatal("an empty upload was kept")
		}
	})
}
