package ui

import (
	"mime"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

func TestWriteAttachmentHeaders(t *testing.T) {
	data := []byte("%PDF-1.7 test")
	rec := httptest.NewRecorder()
	writeAttachment(rec, "Risk assessment.pdf", "application/pdf", data)
	res := rec.Result()
	want := map[string]string{
		"Content-Type":           "application/pdf",
		"Content-Disposition":    `attachment; filename="Risk assessment.pdf"; filename*=UTF-8''Risk%20assessment.pdf`,
		"Content-Length":         "13",
		"X-Content-Type-Options": "nosniff",
		"Cache-Control":          "no-store",
	}
	for k, v := range want {
		if got := res.Header.Get(k); got != v {
			t.Errorf("%s = %q, want %q", k, got, v)
		}
	}
	if res.StatusCode != http.StatusOK || rec.Body.String() != string(data) {
		t.Errorf("status %d body %q", res.StatusCode, rec.Body.String())
	}
}

func TestWriteAttachmentMakesHostileNamesSafe(t *testing.T) {
	cases := []struct {
		in, ascii, utf8 string
	}{
		{`../../etc/"passwd".pdf`, `_passwd_.pdf`, `"passwd".pdf`},
		{`..\..\Zoë’s plan.docx`, `Zo__s plan.docx`, `Zoë’s plan.docx`},
		{"report\r\nSet-Cookie: x=1.pdf", "reportSet-Cookie: x=1.pdf", "reportSet-Cookie: x=1.pdf"},
		{"a;b%41\\c.png", "c.png", "c.png"},
		{"semi;colon%20.png", "semi_colon_20.png", "semi;colon%20.png"},
		{"../", "download", "download"},
		{"..", "download", "download"},
		{".hidden", "hidden", "hidden"},
		{"\u202Egpj.exe", "gpj.exe", "gpj.exe"},
	}
	for _, c := range cases {
		rec := httptest.NewRecorder()
		writeAttachment(rec, c.in, "image/png", []byte("x"))
		cd := rec.Header().Get("Content-Disposition")
		if strings.ContainsAny(cd, "\r\n/\\") {
			t.Errorf("%q: header %q has a line break or path separator", c.in, cd)
		}
		for _, r := range cd {
			if r < 0x20 || r > 0x7E {
				t.Errorf("%q: header %q is not printable ASCII", c.in, cd)
				break
			}
		}
		disp, params, err := mime.ParseMediaType(cd)
		if err != nil || disp != "attachment" {
			t.Errorf("%q: header %q does not parse as an attachment: %v", c.in, cd, err)
			continue
		}
		// mime decodes filename* into "filename" when present; read the plain parameter separately.
		if params["filename"] != c.utf8 {
			t.Errorf("%q: decoded filename* = %q, want %q", c.in, params["filename"], c.utf8)
		}
		plain := strings.SplitN(strings.SplitN(cd, `filename="`, 2)[1], `"`, 2)[0]
		if plain != c.ascii {
			t.Errorf("%q: filename = %q, want %q", c.in, plain, c.ascii)
		}
		star := strings.SplitN(cd, "filename*=UTF-8''", 2)[1]
		if dec, err := url.PathUnescape(star); err != nil || dec != c.utf8 {
			t.Errorf("%q: filename* = %q decodes to %q (%v), want %q", c.in, star, dec, err, c.utf8)
		}
	}
}

func TestWriteAttachmentRefusesABadContentType(t *testing.T) {
	rec := httptest.NewRecorder()
	writeAttachment(rec, "x.bin", "text/html\r\nX-Evil: 1", []byte("<p>"))
	if got := rec.Header().Get("Content-Type"); got != "application/octet-stream" {
		t.Errorf("Content-Type = %q, want application/octet-stream", got)
	}
}

func TestWriteAttachmentKeepsTheExtensionOfALongName(t *testing.T) {
	rec := httptest.NewRecorder()
	writeAttachment(rec, strings.Repeat("ä", 400)+".pdf", "application/pdf", []byte("x"))
	_, params, err := mime.ParseMediaType(rec.Header().Get("Content-Disposition"))
	if err != nil {
		t.Fatal(err)
	}
	name := params["filename"]
	if !strings.HasSuffix(name, ".pdf") || len([]rune(name)) != maxDownloadName {
		t.Errorf("long name became %q (%d runes)", name, len([]rune(name)))
	}
}
