package pdfdoc

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// bidiControls are the characters that reorder a run of text as it is shown.
const bidiControls = "\u202A\u202B\u202C\u202D\u202E\u2066\u2067\u2068\u2069"

// A right-to-left override anywhere in a document's text (here "Sam" then an override, which would
// show "nosli" reversed) never reaches the PDF: not its pages, its metadata, its bookmarks nor the
// names of its attachments.
func TestNoBidiOverrideReachesAnyPartOfThePDF(t *testing.T) {
	d := sampleDoc(t)
	d.Title = "Application pack for Sam\u202Enosli"
	d.Subtitle = "Flourish\u2067 at Ridgeway\u2069"
	d.Meta = append(d.Meta, Row{"Student", "Sam\u202Enosli"})
	d.Sections[0].Heading = "About Sam\u202Enosli"
	d.Sections[0].Rows = append(d.Sections[0].Rows, Row{"Needs", "Line one\u202E\nLine \u2066two\u2069"})
	d.Attachments[0].Name = "report\u202Efdp.exe"
	dir := t.TempDir()
	file := filepath.Join(dir, "pack.pdf")
	if err := os.WriteFile(file, render(t, d), 0o600); err != nil {
		t.Fatal(err)
	}
	parts := map[string]string{"text": pdftotext(t, file)}
	for _, tool := range [][]string{{"pdfinfo", file}, {"pdfdetach", "-list", file}} {
		if _, err := exec.LookPath(tool[0]); err != nil {
			t.Skipf("%s not installed (poppler-utils)", tool[0])
		}
		out, err := exec.Command(tool[0], append([]string{"-enc", "UTF-8"}, tool[1:]...)...).Output()
		if err != nil {
			t.Fatalf("%s: %v", tool[0], err)
		}
		parts[tool[0]] = string(out)
	}
	for part, text := range parts {
		if i := strings.IndexAny(text, bidiControls); i >= 0 {
			t.Errorf("the PDF's %s holds a bidirectional control: %q", part, text[max(i-20, 0):min(i+20, len(text))])
		}
	}
	for part, want := range map[string]string{"text": "About Samnosli", "pdfinfo": "Application pack for Samnosli", "pdfdetach": "reportfdp.exe"} {
		if !strings.Contains(parts[part], want) {
			t.Errorf("the PDF's %s lacks %q:\n%s", part, want, parts[part])
		}
	}
}
