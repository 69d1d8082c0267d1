package handlers_test

// The staff pages by keyboard alone (issue 15 §3): Tab to a control,
// Enter or Space to use it, as someone who cannot use a mouse does.

import (
	"context"
	"fmt"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"rostrum/internal/browser"
	"rostrum/models"
)

// tabTo presses Tab until the focused element matches sel, and fails the
// test when it is never reached (a control the keyboard cannot get to).
func tabTo(t *testing.T, ctx context.Context, sel string) {
	t.Helper()
	match := `(() => { const a = document.activeElement; return !!a && a.matches(` + jsQuote(sel) + `); })()`
	for range 250 {
		if browser.Value(t, ctx, chromedp.Evaluate[bool](match)) {
			return
		}
		browser.Do(t, ctx, chromedp.KeyEvent(kb.Tab))
	}
	t.Fatalf("Tab never reaches %s", sel)
}

func TestStaffPagesWorkByKeyboardAlone(t *testing.T) {
	f := newA11yFixture(t)
	_, pending := pagesRegister(t, f.e, "a11y", sampleRegistration("keyboard@example.org"))
	ctx := browser.New(t)
	browser.FailOnPageErrors(t, ctx)
	desktop(t, ctx)
	consoleLogin(t, ctx, f.e, "")

	t.Run("moderator gives the floor to the next speaker", func(t *testing.T) {
		browser.Do(t, ctx, chromedp.Navigate(f.e.URL+"/m/a11y/console"))
		liveWaitText(t, ctx, "#now-name", "Ana")
		tabTo(t, ctx, "#next")
		browser.Do(t, ctx, chromedp.KeyEvent(kb.Enter))
		waitJS(t, ctx, `!document.getElementById("now-name").textContent.includes("Ana")`)
	})

	t.Run("secretariat edits and saves the summary", func(t *testing.T) {
		browser.Do(t, ctx, chromedp.Navigate(f.e.URL+"/m/a11y/summary/desk"))
		waitJS(t, ctx, `document.querySelector('#preview h1') !== null && !document.getElementById('markdown').readOnly`)
		tabTo(t, ctx, "#markdown")
		browser.Do(t, ctx, chromedp.KeyEvent(" Typed by keyboard."))
		tabTo(t, ctx, "#save")
		browser.Do(t, ctx, chromedp.KeyEvent(kb.Enter))
		waitJS(t, ctx, `document.getElementById('desk-status').textContent.includes('revision 2')`)
		var v versionOut
		f.e.Admin().MustJSON("GET", "/api/meetings/a11y/summary/2", nil, 200, &v)
		if v.Markdown == "" || v.Revisions != 2 {
			t.Fatalf("saved %+v", v)
		}
	})

	t.Run("secretariat approves a registration", func(t *testing.T) {
		browser.Do(t, ctx, chromedp.Navigate(f.e.URL+"/admin#m=a11y"))
		row := fmt.Sprintf(`button[data-decision="approve"][data-id="%d"]`, pending)
		waitJS(t, ctx, `document.querySelector(`+jsQuote(row)+`) !== null`)
		tabTo(t, ctx, row)
		browser.Do(t, ctx, chromedp.KeyEvent(" "))
		waitJS(t, ctx, `document.getElementById("decide").open && document.activeElement.id === "d-reason"`)
		tabTo(t, ctx, "#decide-submit")
		browser.Do(t, ctx, chromedp.KeyEvent(kb.Enter))
		waitJS(t, ctx, `!document.getElementById("decide").open`)
		var reg models.Registration
		if err := f.e.App.DB.First(&reg, pending).Error; err != nil {
			t.Fatal(err)
		}
		if reg.Status != models.StatusApproved {
			t.Fatalf("the registration is %s", reg.Status)
		}
	})
}
