package ui

import (
	"mime"
	"net/http"
	"path"
	"strconv"
	"strings"
	"unicode"
)

// writeAttachment sends a stored file as a download, never as a page: an uploaded HTML or SVG must not
// run in the portal's origin, so the browser is told to save it, not to guess its type, and not to
// keep a copy in its cache (documents carry a student's personal data).
func writeAttachment(w http.ResponseWriter, name, contentType string, data []byte) {
	if mt, _, err := mime.ParseMediaType(contentType); err != nil || mt == "" {
		contentType = "application/octet-stream"
	}
	name = downloadName(name)
	h := w.Header()
	h.Set("Content-Type", contentType)
	h.Set("Content-Disposition", `attachment; filename="`+asciiFileName(name)+`"; filename*=UTF-8''`+rfc5987(name))
	h.Set("Content-Length", strconv.Itoa(len(data)))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	// A write error means the client went away; there is nothing left to tell it.
	_, _ = w.Write(data)
}

// maxDownloadName bounds the name in the header; stored names are shorter, this guards other callers.
const maxDownloadName = 150

// downloadName keeps the last path element of name without control or invisible formatting characters
// or leading dots, so a browser never sees a path or a hidden file.
func downloadName(name string) string {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	name = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || r == unicode.ReplacementChar {
			return -1
		}
		return r
	}, strings.ToValidUTF8(name, ""))
	name = strings.TrimLeft(strings.TrimSpace(name), ". ")
	if r := []rune(name); len(r) > maxDownloadName {
		// Keep the extension, which decides how the file opens, and cut the part before it.
		ext := []rune(path.Ext(name))
		if len(ext) > 10 {
			ext = nil
		}
		name = string(r[:maxDownloadName-len(ext)]) + string(ext)
	}
	if name == "" {
		return "download"
	}
	return name
}

// asciiFileName is the fallback for browsers that ignore filename*: printable ASCII only, with the
// characters that could end or escape the quoted string (or be decoded as %xx) replaced.
func asciiFileName(name string) string {
	var b strings.Builder
	for _, r := range name {
		switch {
		case r == '"' || r == '\\' || r == '%' || r == ';':
			b.WriteByte('_')
		case r >= 0x20 && r < 0x7F:
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	return b.String()
}

// rfc5987 percent-encodes every byte of the UTF-8 name that is not an RFC 5987 attr-char.
func rfc5987(name string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(name); i++ {
		c := name[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("!#$&+-.^_`|~", c) >= 0 {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&0x0F])
	}
	return b.String()
}
