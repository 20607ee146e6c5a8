package browsertest

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/chromedp/chromedp"
)

// maxNodesReported is how many failing elements CheckA11y prints for each
// violation.
const maxNodesReported = 3

// Violation is one failed axe-core rule on a page.
type Violation struct {
	ID        string          `json:"id"`     // axe rule id, such as "image-alt"
	Impact    string          `json:"impact"` // minor, moderate, serious or critical
	Help      string          `json:"help"`
	HelpURL   string          `json:"helpUrl"`
	NodeCount int             `json:"nodeCount"` // all failing elements
	Nodes     []ViolationNode `json:"nodes"`     // the first few of them
}

// ViolationNode is one element that fails a rule.
type ViolationNode struct {
	Target  string `json:"target"` // CSS selector of the element
	HTML    string `json:"html"`   // snippet of its HTML
	Summary string `json:"summary"`
}

// A11yResult is what one axe run found.
type A11yResult struct {
	URL        string      `json:"url"`
	Violations []Violation `json:"violations"`
}

var axeCache struct {
	sync.Mutex
	path, src string
}

// axeSource finds and reads axe.min.js: $CAP_AXE_JS, or
// <module root>/node_modules/axe-core/axe.min.js.
func axeSource() (string, error) {
	path := os.Getenv("CAP_AXE_JS")
	if path == "" {
		root, err := moduleRoot()
		if err != nil {
			return "", fmt.Errorf("locating axe-core: %w", err)
		}
		path = filepath.Join(root, "node_modules", "axe-core", "axe.min.js")
	}
	axeCache.Lock()
	defer axeCache.Unlock()
	if axeCache.path == path {
		return axeCache.src, nil
	}
	src, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("axe-core not found at %s (run `npm ci` at the module root, or set CAP_AXE_JS): %w", path, err)
	}
	axeCache.path, axeCache.src = path, string(src)
	return axeCache.src, nil
}

// injectAxe loads axe-core into the current document unless it is there
// already. It uses Runtime.evaluate, which the page's Content-Security-Policy
// does not govern, so it works with script-src 'self' or nonces and no
// 'unsafe-eval'.
func (b *Browser) injectAxe() {
	b.t.Helper()
	const present = `typeof window.axe === "object" && typeof window.axe.run === "function"`
	if Eval[bool](b, present) {
		return
	}
	src, err := axeSource()
	if err != nil {
		b.t.Fatalf("browsertest: %v", err)
	}
	// The trailing undefined keeps the protocol from serialising whatever
	// the script's last expression is; the newline ends a trailing comment.
	ctx, cancel := b.actionCtx()
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](src+"\n;undefined;")); err != nil {
		b.t.Fatalf("browsertest: injecting axe-core: %v", b.explain(err))
	}
	if !Eval[bool](b, present) {
		b.t.Fatalf("browsertest: axe-core was evaluated but window.axe is missing on %s", b.URL())
	}
}

// A11yViolations runs axe-core on the current page with the WCAG 2.0, 2.1
// and 2.2 A and AA rules, and returns what it found without failing the test.
func (b *Browser) A11yViolations() A11yResult {
	b.t.Helper()
	b.injectAxe()
	tags, _ := json.Marshal(WCAGTags)
	ignored, _ := json.Marshal(append([]string{}, b.ignoredRules...))
	raw := Eval[[]byte](b, `(async () => {
		const opts = {runOnly: {type: "tag", values: `+string(tags)+`}, resultTypes: ["violations"]};
		const ignored = `+string(ignored)+`;
		if (ignored.length) {
			opts.rules = {};
			for (const id of ignored) opts.rules[id] = {enabled: false};
		}
		const r = await axe.run(document, opts);
		return {
			url: location.href,
			violations: r.violations.map(v => ({
				id: v.id,
				impact: v.impact || "",
				help: v.help,
				helpUrl: v.helpUrl,
				nodeCount: v.nodes.length,
				nodes: v.nodes.slice(0, `+fmt.Sprint(maxNodesReported)+`).map(n => ({
					target: n.target.map(t => Array.isArray(t) ? t.join(" >>> ") : String(t)).join(" | "),
					html: n.html,
					summary: n.failureSummary || "",
				})),
			})),
		};
	})()`)
	var res A11yResult
	if err := json.Unmarshal(raw, &res); err != nil {
		b.t.Fatalf("browsertest: decoding the axe result: %v", err)
	}
	return res
}

// CheckA11y runs axe-core on the current page and reports each violation with
// t.Errorf, so the test fails but carries on. Visit, ClickAndWait and Submit
// call it on every page they load.
func (b *Browser) CheckA11y() {
	b.t.Helper()
	res := b.A11yViolations()
	for _, v := range res.Violations {
		b.t.Errorf("%s", v.format(res.URL))
	}
}

// format renders a violation for a test log.
func (v Violation) format(url string) string {
	var sb strings.Builder
	fmt.Fprintf(&sb, "accessibility violation %s (impact: %s): %s\n", v.ID, v.Impact, v.Help)
	fmt.Fprintf(&sb, "    page: %s\n", url)
	fmt.Fprintf(&sb, "    rule: %s\n", v.HelpURL)
	for i, n := range v.Nodes {
		fmt.Fprintf(&sb, "    element %d: %s\n", i+1, n.Target)
		fmt.Fprintf(&sb, "        %s\n", oneLine(n.HTML, 300))
	}
	if more := v.NodeCount - len(v.Nodes); more > 0 {
		fmt.Fprintf(&sb, "    ... and %d more element(s)\n", more)
	}
	return strings.TrimRight(sb.String(), "\n")
}

// oneLine squashes white space and truncates s to n bytes.
func oneLine(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > n {
		for n > 0 && !utf8.RuneStart(s[n]) {
			n--
		}
		s = s[:n] + "…"
	}
	return s
}
