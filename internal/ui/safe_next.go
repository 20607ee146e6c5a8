package ui

import (
	"net/url"
	"path"
	"strings"
)

// browserURL is the part of the WHATWG URL parser's normalisation that matters for where a link
// goes: it drops every ASCII tab, CR and LF wherever they are, and reads a backslash as a slash.
var browserURL = strings.NewReplacer("\t", "", "\r", "", "\n", "", `\`, "/")

// safeNext keeps a post-sign-in redirect, or a notification's link, on this site. It returns the
// link as a browser would read it when that is a plain path on this site, and "/" otherwise.
//
// A browser parses "/\t/evil.example" as "//evil.example", another host, so the checks are made on
// what the browser would see, not on the text as given. Beyond that, only a canonical path is kept
// (no empty, "." or ".." segments, nothing encoded that decodes to a slash, backslash or control
// character): the portal never makes any other kind, and a server that tidies "/.//evil" into
// "//evil" must not be able to turn a kept link into a way off the site.
func safeNext(next string) string {
	seen := browserURL.Replace(next)
	if !strings.HasPrefix(seen, "/") || strings.HasPrefix(seen, "//") || hasControl(seen) {
		return "/"
	}
	u, err := url.Parse(seen)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" {
		return "/"
	}
	if strings.Contains(u.Path, `\`) || hasControl(u.Path) || !canonical(u.Path) {
		return "/"
	}
	return seen
}

// canonical reports whether p is already clean: path.Clean would change nothing but a trailing slash.
func canonical(p string) bool {
	return p == "/" || path.Clean(p) == strings.TrimSuffix(p, "/")
}

// hasControl reports whether s holds an ASCII control character (browsers trim or drop some of
// them, and none belongs in a link the portal makes).
func hasControl(s string) bool {
	return strings.ContainsFunc(s, func(r rune) bool { return r < 0x20 || r == 0x7f })
}
