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
	"github.com/stretchr/testify/require"
)

// ChromiumPath is where the browser tests look for Chromium.
const ChromiumPath = "/usr/bin/chromium"

// Chrome is a headless Chromium driven by a browser test, saving a
// screenshot of each page it is asked to.
type Chrome struct {
	t       *testing.T
	ctx     context.Context
	shots   string
	n       int
	stepFor time.Duration
}

// NewChrome starts headless Chromium for the example name's browser test.
// Without Chromium it skips t with a message saying so, or fails t when
// Chromium is required (CI set, or ZOOMKIT_REQUIRE_SERVICES=1).
// Screenshots go to $ZOOMKIT_ARTIFACTS_DIR/name, or to a new folder under
// the system's temporary folder (kept after the test, and logged).
// Chromium stops when t ends.
func NewChrome(t *testing.T, name string) *Chrome {
	t.Helper()
	if _, err := os.Stat(ChromiumPath); err != nil {
		if os.Getenv("CI") != "" || os.Getenv("ZOOMKIT_REQUIRE_SERVICES") == "1" {
			t.Fatalf("Chromium is required here (CI or ZOOMKIT_REQUIRE_SERVICES=1) but %s is missing: %v", ChromiumPath, err)
		}
		t.Skipf("skipping the browser test: %s is missing (apt-get install chromium)", ChromiumPath)
	}
	c := &Chrome{t: t, shots: artifactsDir(t, name), stepFor: 20 * time.Second}
	t.Logf("screenshots: %s", c.shots)
	// One bound for the whole browser session.
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
	if err := chromedp.Do(browser); err != nil { // starts Chromium
		t.Fatalf("starting Chromium: %v", err)
	}
	c.ctx = browser
	return c
}

func artifactsDir(t *testing.T, name string) string {
	t.Helper()
	var dir string
	var err error
	if root := os.Getenv("ZOOMKIT_ARTIFACTS_DIR"); root != "" {
		dir = filepath.Join(root, name)
		err = os.MkdirAll(dir, 0o755)
	} else {
		dir, err = os.MkdirTemp("", "zoomkit-"+name+"-screenshots-")
	}
	require.NoError(t, err)
	return dir
}

// Dir is the folder of the screenshots.
func (c *Chrome) Dir() string { return c.shots }

// Do runs the actions of one step of the flow, failing the test (with
// what) if they do not complete within the step's bound.
func (c *Chrome) Do(what string, actions ...chromedp.Action[chromedp.Void]) {
	c.t.Helper()
	ctx, cancel := context.WithTimeout(c.ctx, c.stepFor)
	defer cancel()
	require.NoError(c.t, chromedp.Do(ctx, actions...), "%s", what)
}

// Text returns the visible text of the first element matching the CSS
// selector sel, trimmed.
func (c *Chrome) Text(sel string) string {
	c.t.Helper()
	ctx, cancel := context.WithTimeout(c.ctx, c.stepFor)
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
	require.NoError(c.t, err, "reading %s", sel)
	return strings.TrimSpace(s)
}

// Attr returns the attribute name of the first element matching sel.
func (c *Chrome) Attr(sel, name string) string {
	c.t.Helper()
	ctx, cancel := context.WithTimeout(c.ctx, c.stepFor)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.AttributeValue(chromedp.CSS(sel), name))
	require.NoError(c.t, err, "reading %s's %s", sel, name)
	return v.Value
}

// Location returns the URL of the page shown.
func (c *Chrome) Location() string {
	c.t.Helper()
	ctx, cancel := context.WithTimeout(c.ctx, c.stepFor)
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Location())
	require.NoError(c.t, err, "reading the location")
	return s
}

// Count returns how many elements sel matches now (without waiting).
func (c *Chrome) Count(sel string) int {
	c.t.Helper()
	ctx, cancel := context.WithTimeout(c.ctx, c.stepFor)
	defer cancel()
	n, err := chromedp.Run(ctx, chromedp.Evaluate[int](fmt.Sprintf("document.querySelectorAll(%q).length", sel)))
	require.NoError(c.t, err, "counting %s", sel)
	return n
}

// Shot saves a PNG of the whole page as NN-page.png.
func (c *Chrome) Shot(page string) {
	c.t.Helper()
	ctx, cancel := context.WithTimeout(c.ctx, c.stepFor)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)) // quality 100: PNG
	require.NoError(c.t, err, "screenshot of %s", page)
	c.n++
	require.NoError(c.t, os.WriteFile(filepath.Join(c.shots, fmt.Sprintf("%02d-%s.png", c.n, page)), png, 0o644))
}

// CSS is a CSS selector, for the actions given to [Chrome.Do].
func CSS(sel string) chromedp.CSS { return chromedp.CSS(sel) }

// Submit runs actions (filling a form, say), clicks sel and waits until
// the next page has loaded: a form post answered with a redirect, or a
// link. (Waiting for an element alone may find it on the page being left.)
func (c *Chrome) Submit(what, sel string, actions ...chromedp.Action[chromedp.Void]) {
	c.t.Helper()
	ctx, cancel := context.WithTimeout(c.ctx, c.stepFor)
	defer cancel()
	_, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.documentElement.dataset.leaving = "1"; true`))
	require.NoError(c.t, err, "%s: marking the page", what)
	steps := append(actions, chromedp.Click(chromedp.CSS(sel)), chromedp.WaitReady(chromedp.CSS("html:not([data-leaving]) body")))
	require.NoError(c.t, chromedp.Do(ctx, steps...), "%s", what)
}
