package handlers_test

// The staff pages by keyboard alone (issue 15 §3): the console, the
// summary desk, the secretariat's console and the check-in page at the
// door. Tab to a control, Enter or Space to use it, as someone who
// cannot use a mouse does.

import (
	"context"
	"fmt"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"rostrum/auth"
	"rostrum/internal/browser"
	"rostrum/internal/testenv"
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

	t.Run("registrar finds a participant and checks them in", func(t *testing.T) {
		if _, err := f.e.App.Auth.CreateUser(t.Context(), auth.NewUserInput{Email: "door@example.org", Role: models.RoleRegistrar, Password: testenv.Password, Name: "Door"}); err != nil {
			t.Fatal(err)
		}
		// A browser of its own: the registrar's phone, not the secretariat's session.
		door := browser.New(t)
		browser.FailOnPageErrors(t, door)
		setViewport(t, door, 390, 844, true)
		browser.Do(t, door, chromedp.Navigate(f.e.URL+"/m/a11y/checkin"))
		waitJS(t, door, `!document.getElementById("login").hidden`)
		tabTo(t, door, "#login-email")
		browser.Do(t, door, chromedp.KeyEvent("door@example.org"))
		tabTo(t, door, "#login-password")
		browser.Do(t, door, chromedp.KeyEvent(testenv.Password+kb.Enter))
		waitJS(t, door, `!document.getElementById("door").hidden`)
		tabTo(t, door, "#q")
		browser.Do(t, door, chromedp.KeyEvent("Kenji"+kb.Enter))
		kenji := fmt.Sprintf(`#results li[data-id="%d"] button`, f.speakerRegs[1])
		waitJS(t, door, `document.querySelector(`+jsQuote(kenji)+`) !== null`)
		tabTo(t, door, kenji)
		browser.Do(t, door, chromedp.KeyEvent(kb.Enter))
		// The answer takes the focus; Enter on it (Next participant) goes back to the code.
		waitJS(t, door, `!document.getElementById("answer").hidden && document.getElementById("answer").dataset.kind === "ok" && document.activeElement.id === "answer-next"`)
		var reg models.Registration
		if err := f.e.App.DB.First(&reg, f.speakerRegs[1]).Error; err != nil {
			t.Fatal(err)
		}
		if reg.CheckedInAt == nil {
			t.Fatal("Kenji is not checked in")
		}
		browser.Do(t, door, chromedp.KeyEvent(kb.Enter))
		waitJS(t, door, `document.getElementById("answer").hidden && document.activeElement.id === "code"`)
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
