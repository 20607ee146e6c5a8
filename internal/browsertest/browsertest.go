// Package browsertest drives a real headless Chromium from Go tests, and checks
// every page it lands on with axe-core for WCAG 2.2 AA problems.
//
// It is a normal package (not a _test.go file) so that the tests of any
// package can import it:
//
//	b := browsertest.New(t)
//	b.Visit(srv.URL + "/start")          // navigate, then run axe
//	b.Fill("#name", "Ada Lovelace")
//	b.SetChecked("#contact-email", true)
//	b.Select("#org", "coventry")
//	b.Submit("button[type=submit]")      // click, wait for the next page, run axe
//	if got := b.Text("h1"); got != "Check your answers" { ... }
//	b.Screenshot("check-answers")        // docs/screenshots/check-answers.png
//
// Selectors are CSS selectors. Every method reports problems on the
// testing.TB given to New: driver errors and timeouts are fatal, and
// accessibility violations are reported with Errorf so that one test can
// show all of them.
//
// Environment:
//
//   - CAP_CHROMIUM: path of the browser binary. Otherwise /usr/bin/chromium,
//     then chromium or chromium-browser in PATH.
//   - CAP_E2E=required: fail (and do not skip) when no browser is found.
//   - CAP_AXE_JS: path of axe.min.js. Otherwise
//     <module root>/node_modules/axe-core/axe.min.js.
package browsertest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// Default limits. They are generous because CI machines can be slow, but
// bounded so that a hung browser fails the test rather than the whole run.
const (
	DefaultTimeout        = 60 * time.Second
	DefaultElementTimeout = 10 * time.Second
	startTimeout          = 60 * time.Second
	closeTimeout          = 10 * time.Second
)

// WCAGTags are the axe-core rule tags that CheckA11y runs.
var WCAGTags = []string{"wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"}

// Browser is one headless Chromium, with one tab, that belongs to one test.
// It is not safe for concurrent use; start one Browser per (parallel) test.
type Browser struct {
	t      testing.TB
	ctx    context.Context // lives until the test ends; no deadline
	cancel context.CancelFunc

	// Timeout bounds every action (navigation, click and wait, axe run...).
	Timeout time.Duration
	// ElementTimeout bounds how long an action waits for its element to
	// appear in the page before it fails.
	ElementTimeout time.Duration
	// ScreenshotDir is where Screenshot writes. It defaults to
	// <module root>/docs/screenshots; tests of this package point it at
	// t.TempDir().
	ScreenshotDir string

	ignoredRules []string
	status       int64
}

// lookup is swapped by the internal tests.
var (
	defaultChromiumPaths = []string{"/usr/bin/chromium"}
	chromiumNames        = []string{"chromium", "chromium-browser"}
	lookPath             = exec.LookPath
)

// skipOnce prints the loud skip banner only once per test binary.
var skipOnce sync.Once

// announceSkip prints the skip banner where a person will see it. Plain
// `go test ./...` hides the output of a package that passes (and skips count
// as passing), stderr included, so the banner also goes to the controlling
// terminal when there is one. The internal tests replace this func.
var announceSkip = func(msg string) {
	banner := "\n*** " + msg + " ***\n\n"
	fmt.Fprint(os.Stderr, banner)
	if st, err := os.Stderr.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
		return // stderr is the terminal already
	}
	if tty, err := os.OpenFile("/dev/tty", os.O_WRONLY, 0); err == nil {
		fmt.Fprint(tty, banner)
		tty.Close()
	}
}

// findChromium returns the browser to run, or "" when there is none. An error
// means the user asked for a browser (CAP_CHROMIUM) that is not there.
func findChromium() (string, error) {
	if p := os.Getenv("CAP_CHROMIUM"); p != "" {
		if path, err := lookPath(p); err == nil {
			return path, nil
		}
		return "", fmt.Errorf("CAP_CHROMIUM=%q is not an executable file", p)
	}
	for _, p := range defaultChromiumPaths {
		if st, err := os.Stat(p); err == nil && !st.IsDir() && st.Mode()&0o111 != 0 {
			return p, nil
		}
	}
	for _, name := range chromiumNames {
		if p, err := lookPath(name); err == nil {
			return p, nil
		}
	}
	return "", nil
}

// New starts a headless Chromium for the test and closes it when the test
// ends. When no browser is installed it skips the test, unless
// CAP_E2E=required, in which case the test fails.
func New(t testing.TB) *Browser {
	t.Helper()
	execPath, err := findChromium()
	if err != nil {
		t.Fatalf("browsertest: %v", err)
	}
	if execPath == "" {
		const msg = "BROWSER TESTS SKIPPED: chromium not found (looked at $CAP_CHROMIUM, /usr/bin/chromium, " +
			"chromium and chromium-browser in PATH); install Debian's chromium " +
			"(apt-get install chromium) or set CAP_E2E=required to make this a failure"
		if os.Getenv("CAP_E2E") == "required" {
			t.Fatalf("browsertest: CAP_E2E=required but chromium was not found: install Debian's chromium " +
				"(apt-get install chromium) or point CAP_CHROMIUM at a Chrome/Chromium binary")
		}
		skipOnce.Do(func() { announceSkip(msg) })
		t.Skip("*** " + msg + " ***")
	}

	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(execPath),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	)
	allocCtx, allocCancel := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(allocCtx)

	b := &Browser{
		t:              t,
		ctx:            ctx,
		Timeout:        DefaultTimeout,
		ElementTimeout: DefaultElementTimeout,
	}
	b.cancel = func() {
		cctx, ccancel := context.WithTimeout(ctx, closeTimeout)
		defer ccancel()
		_ = chromedp.Cancel(cctx) // graceful close; errors are of no interest here
		cancel()
		allocCancel() // waits for the browser process to exit
	}
	// Registered after t.TempDir, so it runs before the profile is removed.
	t.Cleanup(b.cancel)

	// The first Do starts the browser and ties its life to ctx, so it must
	// not get a deadline; bound it from outside instead.
	started := make(chan error, 1)
	go func() { started <- chromedp.Do(ctx) }()
	select {
	case err := <-started:
		if err != nil {
			t.Fatalf("browsertest: starting %s: %v", execPath, err)
		}
	case <-time.After(startTimeout):
		cancel()
		t.Fatalf("browsertest: %s did not start within %s", execPath, startTimeout)
	}
	return b
}

// Ctx returns the context of the browser tab, for custom chromedp actions. It
// has no deadline; wrap it in context.WithTimeout for each action.
func (b *Browser) Ctx() context.Context { return b.ctx }

// T returns the testing.TB that this Browser reports to.
func (b *Browser) T() testing.TB { return b.t }

// IgnoreA11yRules turns off axe rules (by id, for example "color-contrast")
// for the rest of the test. Use sparingly and say why in the test.
func (b *Browser) IgnoreA11yRules(ids ...string) {
	b.ignoredRules = append(b.ignoredRules, ids...)
}

// actionCtx returns a context for one action, bounded by b.Timeout.
func (b *Browser) actionCtx() (context.Context, context.CancelFunc) {
	return context.WithTimeout(b.ctx, b.Timeout)
}

// do runs actions with the action timeout and fails the test on error.
func (b *Browser) do(what string, actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := b.actionCtx()
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		b.t.Fatalf("browsertest: %s: %v", what, b.explain(err))
	}
}

// explain makes timeouts readable.
func (b *Browser) explain(err error) error {
	if errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("timed out (%w)", err)
	}
	return err
}

// waitFor waits up to ElementTimeout for an element that matches sel.
func (b *Browser) waitFor(sel string) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, b.ElementTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.WaitReady(chromedp.CSS(sel))); err != nil {
		if errors.Is(err, context.DeadlineExceeded) {
			b.t.Fatalf("browsertest: no element matches %q on %s (waited %s)", sel, b.URL(), b.ElementTimeout)
		}
		b.t.Fatalf("browsertest: waiting for %q: %v", sel, err)
	}
}

// Eval evaluates a JavaScript expression in the page and decodes its result
// (awaiting it when it is a promise). It fails the test on a JavaScript
// exception. It runs through the DevTools protocol, so the page's
// Content-Security-Policy does not apply to it.
func Eval[T any](b *Browser, expr string) T {
	b.t.Helper()
	ctx, cancel := b.actionCtx()
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		b.t.Fatalf("browsertest: evaluating %.80q: %v", expr, b.explain(err))
	}
	return v
}

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string {
	q, _ := json.Marshal(s)
	return string(q)
}

// Visit opens url, waits for the page to load, and checks it with axe.
func (b *Browser) Visit(url string) {
	b.t.Helper()
	ctx, cancel := b.actionCtx()
	defer cancel()
	resp, err := chromedp.Run(ctx, chromedp.NavigateResponse(url))
	if err != nil {
		b.t.Fatalf("browsertest: visiting %s: %v", url, b.explain(err))
	}
	b.afterLoad(resp.Status)
}

// afterLoad runs once a new document has loaded.
func (b *Browser) afterLoad(status int64) {
	b.t.Helper()
	b.status = status
	b.do("waiting for <body>", chromedp.WaitReady(chromedp.CSS("body")))
	b.CheckA11y()
}

// Status returns the HTTP status code of the last page that Visit, Submit or
// ClickAndWait loaded (after redirects).
func (b *Browser) Status() int { return int(b.status) }

// URL returns the address of the current page.
func (b *Browser) URL() string {
	b.t.Helper()
	ctx, cancel := b.actionCtx()
	defer cancel()
	u, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.location.href`))
	if err != nil {
		b.t.Fatalf("browsertest: reading the URL: %v", b.explain(err))
	}
	return u
}

// Exists reports whether an element matches sel now. It does not wait.
func (b *Browser) Exists(sel string) bool {
	b.t.Helper()
	return Eval[bool](b, `document.querySelector(`+jsString(sel)+`) !== null`)
}

// Text returns the visible text (innerText) of the first element that
// matches sel, with surrounding white space trimmed.
func (b *Browser) Text(sel string) string {
	b.t.Helper()
	b.waitFor(sel)
	ctx, cancel := b.actionCtx()
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		b.t.Fatalf("browsertest: reading the text of %q: %v", sel, b.explain(err))
	}
	return strings.TrimSpace(s)
}

// Value returns the current value of the form field that matches sel.
func (b *Browser) Value(sel string) string {
	b.t.Helper()
	b.waitFor(sel)
	ctx, cancel := b.actionCtx()
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Value(chromedp.CSS(sel)))
	if err != nil {
		b.t.Fatalf("browsertest: reading the value of %q: %v", sel, b.explain(err))
	}
	return s
}

// Fill replaces the value of a text input or textarea by typing value into
// it with real key events. A "\n" in value is the Enter key, which submits a
// form from a single-line input.
func (b *Browser) Fill(sel, value string) {
	b.t.Helper()
	b.waitFor(sel)
	// Clear the field the way a user would end up with: empty value, and
	// an input event for any script that listens.
	Eval[bool](b, `(() => {
		const el = document.querySelector(`+jsString(sel)+`);
		el.value = "";
		el.dispatchEvent(new Event("input", {bubbles: true}));
		return true;
	})()`)
	b.do(fmt.Sprintf("typing into %q", sel), chromedp.SendKeys(chromedp.CSS(sel), value))
	got := Eval[*string](b, `(() => {
		const el = document.querySelector(`+jsString(sel)+`);
		return el.type === "file" ? null : el.value;
	})()`)
	if got != nil && *got != value {
		b.t.Fatalf("browsertest: filled %q with %q, but its value is %q (maxlength? wrong element?)", sel, value, *got)
	}
}

// SetChecked ticks or unticks a checkbox, or selects a radio button (checked
// must then be true). It clicks the element, so change events fire.
func (b *Browser) SetChecked(sel string, checked bool) {
	b.t.Helper()
	b.waitFor(sel)
	got := Eval[bool](b, `(() => {
		const el = document.querySelector(`+jsString(sel)+`);
		if (!("checked" in el)) throw new Error("element is not a checkbox or radio: " + el.outerHTML.slice(0, 120));
		if (el.checked !== `+fmt.Sprint(checked)+`) el.click();
		return el.checked;
	})()`)
	if got != checked {
		b.t.Fatalf("browsertest: could not set %q checked=%v", sel, checked)
	}
}

// Select chooses an option of the <select> that matches sel. It matches the
// option's value first, then its visible text.
func (b *Browser) Select(sel, option string) {
	b.t.Helper()
	b.waitFor(sel)
	ok := Eval[bool](b, `(() => {
		const el = document.querySelector(`+jsString(sel)+`);
		if (!(el instanceof HTMLSelectElement)) throw new Error("element is not a <select>");
		const want = `+jsString(option)+`;
		const opts = Array.from(el.options);
		const o = opts.find(o => o.value === want) || opts.find(o => o.text.trim() === want);
		if (!o) return false;
		el.value = o.value;
		el.dispatchEvent(new Event("input", {bubbles: true}));
		el.dispatchEvent(new Event("change", {bubbles: true}));
		return true;
	})()`)
	if !ok {
		b.t.Fatalf("browsertest: %q has no option with value or text %q", sel, option)
	}
}

// Click clicks the element that matches sel with the mouse. It does not wait
// for a page load; use ClickAndWait or Submit for links and submit buttons.
func (b *Browser) Click(sel string) {
	b.t.Helper()
	b.waitFor(sel)
	b.do(fmt.Sprintf("clicking %q", sel), chromedp.Click(chromedp.CSS(sel)))
}

// ClickAndWait clicks the element that matches sel (a link or a submit
// button), waits for the page that the click loads, and checks that page
// with axe.
func (b *Browser) ClickAndWait(sel string) {
	b.t.Helper()
	b.waitFor(sel)
	b.loadBy(fmt.Sprintf("clicking %q", sel), chromedp.Click(chromedp.CSS(sel)))
}

// Submit submits a form and waits for the next page, then checks it with
// axe. sel is usually the submit button, which is clicked (so its name and
// value are sent, as in a real browser). If sel matches a <form>, the form is
// submitted with requestSubmit, which runs validation and submit handlers.
func (b *Browser) Submit(sel string) {
	b.t.Helper()
	b.waitFor(sel)
	if Eval[bool](b, `document.querySelector(`+jsString(sel)+`) instanceof HTMLFormElement`) {
		b.loadBy(fmt.Sprintf("submitting %q", sel), chromedp.Evaluate[chromedp.Void](
			`document.querySelector(`+jsString(sel)+`).requestSubmit()`))
		return
	}
	b.loadBy(fmt.Sprintf("submitting with %q", sel), chromedp.Click(chromedp.CSS(sel)))
}

// loadBy runs an action that starts a navigation and waits for the new page.
func (b *Browser) loadBy(what string, action chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := b.actionCtx()
	defer cancel()
	resp, err := chromedp.RunResponse(ctx, action)
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) {
			b.t.Fatalf("browsertest: %s: no new page loaded within %s (does it really navigate? use Click otherwise)", what, b.Timeout)
		}
		b.t.Fatalf("browsertest: %s: %v", what, b.explain(err))
	}
	var status int64
	if resp != nil {
		status = resp.Status
	}
	b.afterLoad(status)
}

// Screenshot saves a full-page PNG of the current page as
// <ScreenshotDir>/<name>.png and returns its path.
func (b *Browser) Screenshot(name string) string {
	b.t.Helper()
	dir := b.ScreenshotDir
	if dir == "" {
		root, err := moduleRoot()
		if err != nil {
			b.t.Fatalf("browsertest: screenshot %q: %v", name, err)
		}
		dir = filepath.Join(root, "docs", "screenshots")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		b.t.Fatalf("browsertest: screenshot %q: %v", name, err)
	}
	ctx, cancel := b.actionCtx()
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)) // 100 means PNG
	if err != nil {
		b.t.Fatalf("browsertest: screenshot %q: %v", name, b.explain(err))
	}
	path := filepath.Join(dir, name+".png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		b.t.Fatalf("browsertest: screenshot %q: %v", name, err)
	}
	return path
}

// moduleRoot walks up from the working directory to the directory that holds
// go.mod.
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod found above the working directory")
		}
		dir = parent
	}
}

// Upload chooses files for a file input, as a person picking them in the file dialogue would.
func (b *Browser) Upload(sel string, paths ...string) {
	b.t.Helper()
	b.waitFor(sel)
	b.do("upload to "+sel, chromedp.SetUploadFiles(chromedp.CSS(sel), paths))
}
