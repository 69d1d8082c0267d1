// Package browser drives Debian's headless Chromium from tests through
// chromedp, so that pages are tested the way people use them.
package browser

import (
	"context"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// Path finds the Chromium binary: $ROSTRUM_CHROMIUM, then the usual names.
func Path() string {
	if p := os.Getenv("ROSTRUM_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// New starts a headless Chromium for t and returns a context for its first
// tab; more tabs come from Tab. Without Chromium the test fails, unless
// ROSTRUM_SKIP_BROWSER is set (the README's test command installs it).
func New(t testing.TB) context.Context {
	t.Helper()
	if os.Getenv("ROSTRUM_TEST_BROWSER") == "0" {
		t.Skip("browser tests are off in this run (ROSTRUM_TEST_BROWSER=0): the pages do not depend on the database engine")
	}
	path := Path()
	if path == "" {
		if os.Getenv("ROSTRUM_SKIP_BROWSER") != "" {
			t.Skip("no Chromium and ROSTRUM_SKIP_BROWSER is set")
		}
		t.Fatal("Chromium not found: install Debian's chromium package (the README's test command does) or set ROSTRUM_CHROMIUM")
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.WindowSize(1280, 900),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelTab := chromedp.NewContext(actx)
	// Start the browser now so that a broken install fails here, clearly.
	if err := chromedp.Do(ctx); err != nil {
		cancelTab()
		cancelAlloc()
		t.Fatalf("start Chromium %s: %v", path, err)
	}
	t.Cleanup(func() { cancelTab(); cancelAlloc() })
	return ctx
}

// Tab opens another tab in the same browser as ctx.
func Tab(t testing.TB, ctx context.Context) context.Context {
	t.Helper()
	tab, cancel := chromedp.NewContext(ctx)
	if err := chromedp.Do(tab); err != nil {
		cancel()
		t.Fatalf("open tab: %v", err)
	}
	t.Cleanup(cancel)
	return tab
}

// Do runs steps in ctx with a deadline, failing the test on error. (This
// chromedp is the generic API: Do for steps, chromedp.Run for one action
// that returns a value; selectors are typed, e.g. chromedp.CSS("#id").)
func Do(t testing.TB, ctx context.Context, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatalf("browser: %v", err)
	}
}

// Value runs one action that returns a value, with a deadline.
func Value[T any](t testing.TB, ctx context.Context, a chromedp.Action[T]) T {
	t.Helper()
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, a)
	if err != nil && strings.Contains(err.Error(), "Cannot find context with specified id") {
		// chromedp asked a page's script context that Chromium had just
		// replaced (a navigation's events arriving late on a busy
		// machine): the action never ran there, so it runs again once.
		v, err = chromedp.Run(ctx, a)
	}
	if err != nil {
		t.Fatalf("browser: %v", err)
	}
	return v
}

// FailOnPageErrors fails the test if the page in ctx throws an uncaught
// exception or breaks the Content-Security-Policy (an inline script or
// style), from now until the test ends.
func FailOnPageErrors(t testing.TB, ctx context.Context) {
	t.Helper()
	msgs := chromedp.Console(ctx)
	var mu sync.Mutex
	var bad []string
	go func() {
		for m, err := range msgs {
			if err != nil {
				return
			}
			if m.IsException() || m.Source == "security" {
				mu.Lock()
				bad = append(bad, m.String())
				mu.Unlock()
			}
		}
	}()
	t.Cleanup(func() {
		mu.Lock()
		defer mu.Unlock()
		for _, m := range bad {
			t.Errorf("page error: %s", m)
		}
	})
}
