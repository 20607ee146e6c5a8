package browsertest_test

import (
	"bytes"
	"fmt"
	"image/png"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coventry-cap/capportal/internal/browsertest"
)

// recordingTB reports Errorf calls to the test instead of failing it, so a
// test can assert that CheckA11y complained. Everything else (Fatalf,
// Cleanup, TempDir, Skip...) goes to the real test.
type recordingTB struct {
	testing.TB
	mu     sync.Mutex
	errors []string
}

func (r *recordingTB) Errorf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
}

func (r *recordingTB) Error(args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.errors = append(r.errors, fmt.Sprint(args...))
}

func (r *recordingTB) recorded() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.errors...)
}

const pageHead = `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>%s</title></head>
<body>
<header><p>Coventry CAP portal</p></header>
<main>
`

const pageFoot = `</main>
<footer><p>Footer</p></footer>
</body>
</html>
`

func page(title, body string) string {
	return fmt.Sprintf(pageHead, title) + body + pageFoot
}

// accessibleBody passes axe's WCAG A/AA rules.
const accessibleBody = `<h1>Hello</h1>
<p>An accessible page.</p>
<img src="/logo.svg" alt="Coventry City Council">
<form method="get" action="/">
  <label for="q">Search</label>
  <input id="q" name="q" type="text">
  <button type="submit">Search</button>
</form>
`

// inaccessibleBody has an image with no alt text and an input with no label.
const inaccessibleBody = `<h1>Broken</h1>
<img src="/logo.svg">
<form method="get" action="/">
  <input id="q" name="q" type="text">
  <button type="submit">Search</button>
</form>
`

const logoSVG = `<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40"><rect width="40" height="40" fill="#1d70b8"/></svg>`

// servePage writes an HTML page, with an optional CSP header.
func servePage(csp, html string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if csp != "" {
			w.Header().Set("Content-Security-Policy", csp)
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, html)
	}
}

func newServer(t *testing.T, mux *http.ServeMux) *httptest.Server {
	mux.HandleFunc("GET /logo.svg", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "image/svg+xml")
		fmt.Fprint(w, logoSVG)
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

func TestAccessiblePagePasses(t *testing.T) {
	t.Parallel()
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", servePage("", page("Accessible", accessibleBody)))
	srv := newServer(t, mux)

	b := browsertest.New(t)
	b.Visit(srv.URL + "/") // fails the test on any violation
	if got := b.Text("h1"); got != "Hello" {
		t.Errorf("Text(h1) = %q, want Hello", got)
	}
	if b.Status() != http.StatusOK {
		t.Errorf("Status() = %d, want 200", b.Status())
	}
	if res := b.A11yViolations(); len(res.Violations) != 0 || res.URL != srv.URL+"/" {
		t.Errorf("A11yViolations() = %+v, want none for %s/", res, srv.URL)
	}
}

func TestViolationsAreReported(t *testing.T) {
	t.Parallel()
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", servePage("", page("Broken", inaccessibleBody)))
	srv := newServer(t, mux)

	rec := &recordingTB{TB: t}
	b := browsertest.New(rec)
	b.Visit(srv.URL + "/") // runs CheckA11y
	errs := rec.recorded()
	all := strings.Join(errs, "\n")
	t.Logf("recorded %d violation(s):\n%s", len(errs), all)
	for _, want := range []string{"image-alt", "label", srv.URL + "/", `<img src="/logo.svg">`, "impact: critical"} {
		if !strings.Contains(all, want) {
			t.Errorf("violations do not mention %q", want)
		}
	}

	// The structured form agrees.
	res := b.A11yViolations()
	ids := map[string]bool{}
	for _, v := range res.Violations {
		ids[v.ID] = true
	}
	if !ids["image-alt"] || !ids["label"] {
		t.Errorf("A11yViolations() ids = %v, want image-alt and label", ids)
	}
	if len(errs) != len(res.Violations) {
		t.Errorf("CheckA11y reported %d errors, want one per violation (%d)", len(errs), len(res.Violations))
	}

	// Ignoring the rules silences them.
	rec2 := &recordingTB{TB: t}
	b2 := browsertest.New(rec2)
	b2.IgnoreA11yRules("image-alt", "label")
	b2.Visit(srv.URL + "/")
	for _, e := range rec2.recorded() {
		if strings.Contains(e, "image-alt") || strings.Contains(e, "violation label ") {
			t.Errorf("ignored rule still reported: %s", e)
		}
	}
}

func TestStrictCSPStillGetsAxe(t *testing.T) {
	t.Parallel()
	// The inline script must be blocked by the CSP, the same-origin (or
	// nonced) one must run; axe must get in either way.
	scripts := `<script>document.documentElement.dataset.inline = "ran";</script>
<script src="/app.js" nonce="r4nd0m"></script>
`
	policies := map[string]string{
		"self":  `default-src 'self'; script-src 'self'`,
		"nonce": `default-src 'self'; script-src 'nonce-r4nd0m' 'strict-dynamic'; object-src 'none'; base-uri 'none'`,
	}
	for name, csp := range policies {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			mux := http.NewServeMux()
			mux.HandleFunc("GET /good", servePage(csp, page("Good", accessibleBody+scripts)))
			mux.HandleFunc("GET /bad", servePage(csp, page("Bad", inaccessibleBody+scripts)))
			mux.HandleFunc("GET /app.js", func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "text/javascript")
				fmt.Fprint(w, `document.documentElement.dataset.external = "ran";`)
			})
			srv := newServer(t, mux)

			b := browsertest.New(t)
			b.Visit(srv.URL + "/good")
			state := browsertest.Eval[map[string]string](b, `({
				inline: document.documentElement.dataset.inline || "blocked",
				external: document.documentElement.dataset.external || "blocked",
				axe: typeof window.axe,
			})`)
			if state["inline"] != "blocked" {
				t.Errorf("inline script ran, so the CSP was not enforced and this test proves nothing")
			}
			if state["external"] != "ran" {
				t.Errorf("allowed script did not run: %v", state)
			}
			if state["axe"] != "object" {
				t.Errorf("typeof window.axe = %q after Visit, want object", state["axe"])
			}

			// axe really runs under the CSP: it finds the problems.
			rec := &recordingTB{TB: t}
			bb := browsertest.New(rec)
			bb.Visit(srv.URL + "/bad")
			all := strings.Join(rec.recorded(), "\n")
			if !strings.Contains(all, "image-alt") || !strings.Contains(all, "label") {
				t.Errorf("axe under CSP did not report image-alt and label; got:\n%s", all)
			}
		})
	}
}

func TestFormFillSubmitAndScreenshot(t *testing.T) {
	t.Parallel()
	form := `<h1>Apply</h1>
<details>
  <summary>Help with this form</summary>
  <p id="help">Call us.</p>
</details>
<form method="post" action="/submit" novalidate>
  <div>
    <label for="full-name">Full name</label>
    <input id="full-name" name="full-name" type="text" autocomplete="name" value="placeholder">
  </div>
  <fieldset>
    <legend>How should we contact you?</legend>
    <input type="radio" id="contact-email" name="contact" value="email">
    <label for="contact-email">Email</label>
    <input type="radio" id="contact-phone" name="contact" value="phone">
    <label for="contact-phone">Phone</label>
  </fieldset>
  <div>
    <label for="org">Organisation</label>
    <select id="org" name="org">
      <option value="">Choose an organisation</option>
      <option value="cov">Coventry City Council</option>
      <option value="wm">West Midlands Police</option>
    </select>
  </div>
  <div>
    <input type="checkbox" id="agree" name="agree" value="yes">
    <label for="agree">I agree</label>
  </div>
  <div>
    <label for="notes">Notes</label>
    <textarea id="notes" name="notes"></textarea>
  </div>
  <button type="submit" name="action" value="send">Continue</button>
</form>
`
	var mu sync.Mutex
	var got url.Values
	mux := http.NewServeMux()
	mux.HandleFunc("GET /form", servePage("default-src 'self'", page("Apply", form)))
	mux.HandleFunc("POST /submit", func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseForm(); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		mu.Lock()
		got = r.PostForm
		mu.Unlock()
		http.Redirect(w, r, "/done", http.StatusSeeOther) // post/redirect/get
	})
	mux.HandleFunc("GET /done", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		v := got
		mu.Unlock()
		summary := strings.Join([]string{v.Get("full-name"), v.Get("contact"), v.Get("org"), v.Get("agree"), v.Get("notes"), v.Get("action")}, "|")
		servePage("default-src 'self'", page("Sent", `<h1>Application sent</h1><p id="summary">`+summary+`</p>`))(w, r)
	})
	srv := newServer(t, mux)

	b := browsertest.New(t)
	b.ScreenshotDir = t.TempDir()
	b.Visit(srv.URL + "/form")

	if b.Exists("#help") && browsertest.Eval[bool](b, `document.querySelector("details").open`) {
		t.Fatal("details open before the click")
	}
	b.Click("summary")
	if !browsertest.Eval[bool](b, `document.querySelector("details").open`) {
		t.Error("Click(summary) did not open the details")
	}

	b.Fill("#full-name", "Ada Lovelace") // replaces the existing value
	b.SetChecked("#contact-email", true)
	b.SetChecked("#contact-phone", true)
	b.Select("#org", "Coventry City Council") // by visible text
	b.SetChecked("#agree", true)
	b.SetChecked("#agree", false)
	b.SetChecked("#agree", true)
	b.Fill("#notes", "Line one\nLine two")
	if v := b.Value("#org"); v != "cov" {
		t.Errorf("Value(#org) = %q, want cov", v)
	}
	formShot := b.Screenshot("form-filled")

	start := time.Now()
	if b.Exists("#no-such-element") {
		t.Error("Exists(#no-such-element) = true")
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("Exists waited %s for a missing element; it must not wait", d)
	}

	b.Submit("button[type=submit]")

	if u := b.URL(); u != srv.URL+"/done" {
		t.Errorf("URL() after submit = %q, want %s/done", u, srv.URL)
	}
	if b.Status() != http.StatusOK {
		t.Errorf("Status() = %d, want 200", b.Status())
	}
	if h := b.Text("h1"); h != "Application sent" {
		t.Errorf("Text(h1) = %q", h)
	}
	want := "Ada Lovelace|phone|cov|yes|Line one\nLine two|send"
	if s := b.Text("#summary"); s != strings.ReplaceAll(want, "\n", " ") && s != want {
		t.Errorf("the server got %q, want %q", s, want)
	}
	mu.Lock()
	if n := got.Get("notes"); strings.ReplaceAll(n, "\r\n", "\n") != "Line one\nLine two" {
		t.Errorf("notes = %q", n)
	}
	mu.Unlock()

	// Submitting a <form> element itself works too (requestSubmit).
	b.Visit(srv.URL + "/form")
	b.Fill("#full-name", "Grace Hopper")
	b.Submit("form")
	if h := b.Text("h1"); h != "Application sent" {
		t.Errorf("after Submit(form), Text(h1) = %q", h)
	}
	doneShot := b.Screenshot("done")

	for _, path := range []string{formShot, doneShot} {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")) {
			t.Fatalf("%s is not a PNG", path)
		}
		cfg, err := png.DecodeConfig(bytes.NewReader(data))
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		t.Logf("%s: %d bytes, %dx%d", path, len(data), cfg.Width, cfg.Height)
		if cfg.Width != 1280 || cfg.Height < 100 {
			t.Errorf("%s is %dx%d, want 1280 wide (the window size)", path, cfg.Width, cfg.Height)
		}
	}
}
