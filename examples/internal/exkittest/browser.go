package exkittest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// ChromiumPath is where the browser tests look for Chromium.
const ChromiumPath = "/usr/bin/chromium"

// Chromium is a headless Chromium session for an example app's browser
// test: each method fails the test (t.Fatalf) when its step fails, and
// Shot saves the page as a PNG in Dir.
type Chromium struct {
	t   *testing.T
	ctx context.Context
	// Dir is where the screenshots go: $ZOOMKIT_ARTIFACTS_DIR/NAME, or a
	// new folder under the system's temporary folder (kept after the
	// test).
	Dir string
	n   int
}

// StartChromium starts headless Chromium for the example name, stopped
// when t ends. Without Chromium at [ChromiumPath] the test is skipped
// with a message, unless CI is set or ZOOMKIT_REQUIRE_SERVICES=1: then it
// fails.
func StartChromium(t *testing.T, name string) *Chromium {
	t.Helper()
	if _, err := os.Stat(ChromiumPath); err != nil {
		if os.Getenv("CI") != "" || os.Getenv("ZOOMKIT_REQUIRE_SERVICES") == "1" {
			t.Fatalf("Chromium is required here (CI or ZOOMKIT_REQUIRE_SERVICES=1) but %s is missing: %v", ChromiumPath, err)
		}
		t.Skipf("skipping the browser test: %s is missing (apt-get install chromium)", ChromiumPath)
	}
	c := &Chromium{t: t}
	var err error
	if root := os.Getenv("ZOOMKIT_ARTIFACTS_DIR"); root != "" {
		c.Dir = filepath.Join(root, name)
		err = os.MkdirAll(c.Dir, 0o755)
	} else {
		c.Dir, err = os.MkdirTemp("", "zoomkit-"+name+"-screenshots-")
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshots: %s", c.Dir)
	// One bound for the whole session; each step has its own.
	session, endSession := context.WithTimeout(context.Background(), 2*time.Minute)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(session, append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(ChromiumPath),
		chromedp.Headless,
		chromedp.NoSandbox, // root in a container
		chromedp.DisableGPU,
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1200, 900),
	)...)
	browser, closeBrowser := chromedp.NewContext(allocCtx)
	t.Cleanup(func() {
		closeBrowser()
		cancelAlloc()
		endSession()
	})
	if err := chromedp.Do(browser); err != nil {
		t.Fatalf("starting Chromium: %v", err)
	}
	c.ctx = browser
	return c
}

// Step runs actions, failing the test with what when one fails.
func (c *Chromium) Step(what string, actions ...chromedp.Action[chromedp.Void]) {
	c.t.Helper()
	ctx, cancel := context.WithTimeout(c.ctx, 20*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		c.t.Fatalf("%s: %v", what, err)
	}
}

// Text returns the visible text of the first element sel matches, trimmed.
func (c *Chromium) Text(sel string) string {
	c.t.Helper()
	ctx, cancel := context.WithTimeout(c.ctx, 20*time.Second)
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		c.t.Fatalf("reading %s: %v", sel, err)
	}
	return strings.TrimSpace(s)
}

// Count returns how many elements sel matches now (without waiting).
func (c *Chromium) Count(sel string) int {
	c.t.Helper()
	ctx, cancel := context.WithTimeout(c.ctx, 20*time.Second)
	defer cancel()
	n, err := chromedp.Run(ctx, chromedp.Evaluate[int](fmt.Sprintf("document.querySelectorAll(%q).length", sel)))
	if err != nil {
		c.t.Fatalf("counting %s: %v", sel, err)
	}
	return n
}

// Shot saves the page as NN-page.png in Dir.
func (c *Chromium) Shot(page string) {
	c.t.Helper()
	ctx, cancel := context.WithTimeout(c.ctx, 20*time.Second)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)) // quality 100: PNG
	if err != nil {
		c.t.Fatalf("screenshot of %s: %v", page, err)
	}
	c.n++
	if err := os.WriteFile(filepath.Join(c.Dir, fmt.Sprintf("%02d-%s.png", c.n, page)), png, 0o644); err != nil {
		c.t.Fatal(err)
	}
}

// Submit runs actions (filling a form, say), clicks sel and waits until
// the next page has loaded: a form post answered with a redirect, or a
// link. (Waiting for an element alone may find it on the page being left.)
func (c *Chromium) Submit(what, sel string, actions ...chromedp.Action[chromedp.Void]) {
	c.t.Helper()
	ctx, cancel := context.WithTimeout(c.ctx, 20*time.Second)
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.documentElement.dataset.leaving = "1"; true`)); err != nil {
		c.t.Fatalf("%s: marking the page: %v", what, err)
	}
	steps := append(actions, chromedp.Click(chromedp.CSS(sel)), chromedp.WaitReady(chromedp.CSS("html:not([data-leaving]) body")))
	if err := chromedp.Do(ctx, steps...); err != nil {
		c.t.Fatalf("%s: %v", what, err)
	}
}
