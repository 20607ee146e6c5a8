package ui

import "testing"

// Each of these is read by a browser's URL parser as another site, a script or not a plain path on
// this one, so it must come back as "/".
var offSiteNexts = map[string]string{
	"empty":                         "",
	"protocol-relative":             "//evil.example",
	"protocol-relative with path":   "//evil.example/login",
	"tab between the slashes":       "/\t/evil.example",
	"tab before the slashes":        "\t//evil.example",
	"tab after the slashes":         "//\tevil.example",
	"CR between the slashes":        "/\r/evil.example",
	"LF between the slashes":        "/\n/evil.example",
	"CRLF between the slashes":      "/\r\n/evil.example",
	"tabs everywhere":               "\t/\t/\tevil.example\t",
	"slash backslash":               `/\evil.example`,
	"backslash slash":               `\/evil.example`,
	"two backslashes":               `\\evil.example`,
	"slash backslash slash":         `/\/evil.example`,
	"tab then backslash":            "/\t\\evil.example",
	"backslash then tab":            "/\\\t/evil.example",
	"encoded backslash":             "/%5Cevil.example",
	"encoded backslash lower":       "/%5cevil.example",
	"encoded slash":                 "/%2F/evil.example",
	"encoded tab":                   "/%09/evil.example",
	"encoded CRLF header injection": "/%0D%0ASet-Cookie:%20a=b",
	"encoded dot segments":          "/%2e%2e//evil.example",
	"dot then double slash":         "/.//evil.example",
	"dot dot then double slash":     "/a/..//evil.example",
	"double slash inside":           "/a//evil.example",
	"dot segment":                   "/./evil.example",
	"dot dot segment":               "/../evil.example",
	"absolute http":                 "http://evil.example/",
	"absolute https":                "https://evil.example/",
	"scheme without slashes":        "http:evil.example",
	"scheme with one slash":         "http:/evil.example",
	"upper-case scheme":             "HTTPS://evil.example",
	"javascript":                    "javascript:alert(1)",
	"javascript after a tab":        "java\tscript:alert(1)",
	"data":                          "data:text/html,<script>alert(1)</script>",
	"relative path":                 "evil.example",
	"query only":                    "?x=1",
	"fragment only":                 "#top",
	"leading space":                 " //evil.example",
	"leading spaces then path":      "  /students",
	"leading NUL":                   "\x00//evil.example",
	"leading control":               "\x01//evil.example",
	"vertical tab":                  "/\v/evil.example",
	"form feed":                     "/\f/evil.example",
	"DEL":                           "/\x7f/evil.example",
	"userinfo":                      "//user@evil.example",
	"at sign with backslash":        `/\user@evil.example`,
	"triple slash":                  "///evil.example",
	"encoded slashes":               "/%2F%2Fevil.example%2F",
}

func TestSafeNextRefusesEveryWayOffThisSite(t *testing.T) {
	for name, next := range offSiteNexts {
		t.Run(name, func(t *testing.T) {
			if got := safeNext(next); got != "/" {
				t.Errorf("safeNext(%q) = %q, want \"/\"", next, got)
			}
		})
	}
}

func TestSafeNextKeepsPathsOnThisSite(t *testing.T) {
	cases := map[string]string{
		"home":                      "/",
		"a page":                    "/students",
		"a record":                  "/referrals/42",
		"a query":                   "/students?q=Smith&year=10",
		"an encoded query":          "/admin/audit?actor=ann%40cap.example&action=sign_in",
		"a query holding a URL":     "/admin/audit?next=%2F%2Fevil.example",
		"a query with slashes":      "/search?q=a//b",
		"a fragment":                "/referrals/42#documents",
		"a query and a fragment":    "/referrals/42?tab=1#documents",
		"a trailing slash":          "/admin/users/",
		"an encoded space":          "/documents/Risk%20assessment",
		"a colon after the slash":   "/notes:today",
		"an at sign in the path":    "/users/ann@cap.example",
		"an encoded non-ASCII path": "/schools/caf%C3%A9",
		"a non-ASCII path":          "/schools/café",
		"a dot inside a segment":    "/files/report.pdf",
		"two dots inside a segment": "/files/v1..2",
	}
	for name, next := range cases {
		t.Run(name, func(t *testing.T) {
			if got := safeNext(next); got != next {
				t.Errorf("safeNext(%q) = %q, want it kept", next, got)
			}
		})
	}
}
