package browsertest

import (
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"testing"
)

// outcomeTB records how New ended the test: Skip or Fatal. Both stop the
// goroutine, as the real ones do.
type outcomeTB struct {
	testing.TB
	how, msg string
}

func (o *outcomeTB) Helper() {}

func (o *outcomeTB) Skip(args ...any) {
	o.how, o.msg = "skip", fmt.Sprint(args...)
	runtime.Goexit()
}

func (o *outcomeTB) Fatalf(format string, args ...any) {
	o.how, o.msg = "fatal", fmt.Sprintf(format, args...)
	runtime.Goexit()
}

// runNew calls New on a fake TB in its own goroutine, as Goexit needs.
func runNew(t *testing.T) *outcomeTB {
	o := &outcomeTB{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		New(o)
		o.how = "started"
	}()
	<-done
	return o
}

// noChromium hides every browser for the rest of the test.
func noChromium(t *testing.T) *[]string {
	t.Helper()
	oldPaths, oldNames, oldLook, oldAnnounce := defaultChromiumPaths, chromiumNames, lookPath, announceSkip
	defaultChromiumPaths = []string{"/nonexistent/chromium"}
	chromiumNames = []string{"chromium", "chromium-browser"}
	lookPath = func(string) (string, error) { return "", errors.New("not found") }
	var announced []string
	announceSkip = func(msg string) { announced = append(announced, msg) }
	skipOnce = sync.Once{}
	t.Cleanup(func() {
		defaultChromiumPaths, chromiumNames, lookPath, announceSkip = oldPaths, oldNames, oldLook, oldAnnounce
		skipOnce = sync.Once{}
	})
	t.Setenv("CAP_CHROMIUM", "")
	return &announced
}

func TestNoChromiumSkipsLoudly(t *testing.T) {
	announced := noChromium(t)
	t.Setenv("CAP_E2E", "")
	o := runNew(t)
	if o.how != "skip" || !strings.Contains(o.msg, "BROWSER TESTS SKIPPED") || !strings.Contains(o.msg, "CAP_E2E=required") {
		t.Errorf("New without chromium: %s %q, want a loud skip", o.how, o.msg)
	}
	if len(*announced) != 1 {
		t.Errorf("the skip banner was printed %d times, want 1", len(*announced))
	}
	runNew(t)
	if len(*announced) != 1 {
		t.Errorf("the skip banner was printed %d times after two skips, want 1", len(*announced))
	}
}

func TestNoChromiumFailsWhenRequired(t *testing.T) {
	noChromium(t)
	t.Setenv("CAP_E2E", "required")
	o := runNew(t)
	if o.how != "fatal" || !strings.Contains(o.msg, "CAP_E2E=required") || !strings.Contains(o.msg, "chromium") {
		t.Errorf("New without chromium and CAP_E2E=required: %s %q, want a fatal error", o.how, o.msg)
	}
}

func TestBadCAPChromiumIsFatal(t *testing.T) {
	noChromium(t)
	t.Setenv("CAP_E2E", "")
	t.Setenv("CAP_CHROMIUM", "/nonexistent/my-chrome")
	o := runNew(t)
	if o.how != "fatal" || !strings.Contains(o.msg, "/nonexistent/my-chrome") {
		t.Errorf("New with a bad CAP_CHROMIUM: %s %q, want a fatal error naming it", o.how, o.msg)
	}
}
