package handlers_test

// Helpers for the browser tests of the pages: a real server (testenv) and
// Debian's headless Chromium, driven the way people use the pages. Set
// ROSTRUM_SCREENSHOTS=<dir> to keep a screenshot of each page at phone
// and desktop width.

import (
	"context"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"rostrum/internal/browser"
	"rostrum/internal/testenv"
)

// pagesMeeting creates an open meeting with one agenda item.
func pagesMeeting(t *testing.T, e *testenv.Env, slug string) {
	t.Helper()
	now := time.Now().UTC()
	admin := e.Admin()
	admin.MustJSON("POST", "/api/meetings", map[string]any{
		"slug": slug, "title": "Informal intersessional consultative meeting",
		"venue": "UN Headquarters, Conference Room 1", "timezone": "America/New_York",
		"starts_at":              now.Add(72 * time.Hour).Format(time.RFC3339),
		"ends_at":                now.Add(120 * time.Hour).Format(time.RFC3339),
		"registration_closes_at": now.Add(48 * time.Hour).Format(time.RFC3339),
		"attribution":            "chatham_house",
	}, 201, nil)
	admin.MustJSON("POST", "/api/meetings/"+slug+"/agenda", map[string]any{
		"title": "Existing and potential threats", "speaking_time_seconds": 180,
	}, 201, nil)
}

// pagesRegister registers through the API and returns the manage path
// (/r/<token>) and the registration's id.
func pagesRegister(t *testing.T, e *testenv.Env, slug string, reg map[string]any) (string, uint) {
	t.Helper()
	var out struct {
		ID        uint   `json:"id"`
		Status    string `json:"status"`
		ManageURL string `json:"manage_url"`
	}
	e.Anon().MustJSON("POST", "/api/meetings/"+slug+"/registrations", reg, 201, &out)
	return managePath(t, out.ManageURL), out.ID
}

// managePath is the path of a manage URL: the server's public URL in
// tests is not the test listener's address.
func managePath(t *testing.T, manageURL string) string {
	t.Helper()
	u, err := url.Parse(manageURL)
	if err != nil || !strings.HasPrefix(u.Path, "/r/") {
		t.Fatalf("manage_url %q is not a /r/<token> link", manageURL)
	}
	return u.Path
}

func sampleRegistration(email string) map[string]any {
	return map[string]any{
		"organization": map[string]any{
			"name": "Kenya ICT Action Network", "acronym": "KICTANet", "type": "ngo",
			"country": "KE", "website": "https://www.kictanet.or.ke", "ecosoc_status": "special",
		},
		"name": "Grace Mutung'u", "email": email, "job_title": "Policy lead", "consent": true,
	}
}

func phone(t *testing.T, ctx context.Context) {
	browser.Do(t, ctx, chromedp.EmulateViewport(360, 740, chromedp.EmulateMobile, chromedp.EmulateTouch))
}

func desktop(t *testing.T, ctx context.Context) {
	browser.Do(t, ctx, chromedp.EmulateViewport(1280, 900))
}

// screenshot keeps a full-page PNG under $ROSTRUM_SCREENSHOTS, if set.
func screenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	dir := os.Getenv("ROSTRUM_SCREENSHOTS")
	if dir == "" {
		return
	}
	png := browser.Value(t, ctx, chromedp.FullScreenshot(100))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
		t.Fatal(err)
	}
}

// fieldError describes the error shown for one input.
type fieldError struct {
	Invalid   string `json:"invalid"`   // its aria-invalid
	Text      string `json:"text"`      // the message its aria-describedby points at
	SameField bool   `json:"sameField"` // the message sits in the input's own .field
}

func errorBeside(t *testing.T, ctx context.Context, inputID string) fieldError {
	t.Helper()
	return browser.Value(t, ctx, chromedp.Evaluate[fieldError](`(() => {
		const i = document.getElementById(`+jsString(inputID)+`);
		const ids = (i.getAttribute("aria-describedby") || "").split(/\s+/);
		const e = ids.map((id) => document.getElementById(id)).find((n) => n && n.classList.contains("field-error"));
		return { invalid: i.getAttribute("aria-invalid") || "", text: e ? e.textContent : "",
			sameField: !!e && e.closest(".field") === i.closest(".field") };
	})()`))
}

func jsString(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`).Replace(s) + `"`
}

// consoleLogin opens /admin<fragment> in ctx and logs in as the admin.
func consoleLogin(t *testing.T, ctx context.Context, e *testenv.Env, fragment string) {
	t.Helper()
	consoleLoginAs(t, ctx, e, fragment, testenv.AdminEmail)
}

func consoleLoginAs(t *testing.T, ctx context.Context, e *testenv.Env, fragment, email string) {
	t.Helper()
	browser.Do(t, ctx,
		chromedp.Navigate(e.URL+"/admin"+fragment),
		chromedp.WaitVisible(chromedp.CSS("#login-email")),
		chromedp.SendKeys(chromedp.CSS("#login-email"), email),
		chromedp.SendKeys(chromedp.CSS("#login-password"), testenv.Password),
		chromedp.Click(chromedp.CSS("#login button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS("#console")),
	)
}
