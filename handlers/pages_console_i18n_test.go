package handlers_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"rostrum/internal/browser"
)

// TestModeratorConsoleRunsTheListInSpanish: what the console's script
// writes (the list's state, the queue's buttons, Pause and Resume, the
// suggestion, a refusal, the timer's units, the history) is in the page's
// language too, not only what the server renders; no English is left.
func TestModeratorConsoleRunsTheListInSpanish(t *testing.T) {
	f := newA11yFixture(t)
	ctx := browser.New(t)
	browser.FailOnPageErrors(t, ctx)
	desktop(t, ctx)
	consoleLogin(t, ctx, f.e, "")
	browser.Do(t, ctx, chromedp.Navigate(f.e.URL+"/m/a11y/console?lang=es"))
	liveWaitText(t, ctx, "#now-name", "Ana")
	liveWaitText(t, ctx, "#connection", "En directo")

	type shown struct {
		ItemState, CloseList, Extend, Up, Give, Title, Account string
	}
	got := browser.Value(t, ctx, chromedp.Evaluate[shown](`(() => ({
		ItemState: document.getElementById("item-state").textContent,
		CloseList: document.getElementById("close-list").textContent,
		Extend: document.getElementById("extend30").textContent + " " + document.getElementById("extend60").textContent,
		Up: document.querySelector("#queue [data-focus-key^=up-]").getAttribute("aria-label"),
		Give: document.querySelector("#queue [data-focus-key^=start-]").textContent,
		Title: document.title,
		Account: document.getElementById("account-bar").textContent,
	}))()`))
	// Intl writes a unit after a no-break space (narrow in some versions).
	got.Extend = strings.NewReplacer("\u00a0", " ", "\u202f", " ").Replace(got.Extend)
	if got.ItemState != "La lista está abierta." || got.CloseList != "Cerrar la lista" || got.Extend != "+30 s +1 min" ||
		!strings.HasPrefix(got.Up, "Subir a ") || got.Give != "Dar la palabra" ||
		!strings.HasPrefix(got.Title, "Moderación · ") || !strings.Contains(got.Account, "(secretaría)") {
		t.Errorf("the console's script shows %+v", got)
	}

	// Pause: the button offers Resume, the timer says Paused, in Spanish.
	browser.Do(t, ctx, chromedp.Click(chromedp.CSS("#pause")))
	liveWaitText(t, ctx, "#pause", "Reanudar")
	liveWaitText(t, ctx, "#timer", "En pausa")

	// The suggestion and its button.
	browser.Do(t, ctx, chromedp.Click(chromedp.CSS("#suggest")))
	liveWaitText(t, ctx, "#suggestion", "Siguiente sugerido:")
	liveWaitText(t, ctx, "#suggest-start", "Dar la palabra a ")

	// A name that is nobody's is refused in Spanish.
	browser.Do(t, ctx, chromedp.SendKeys(chromedp.CSS("#add-who"), "Nadie Conocido"),
		chromedp.Click(chromedp.CSS(`#add-form button[type="submit"]`)))
	liveWaitText(t, ctx, "#message", "Elija un participante")

	// Next: Ana has spoken, and the history says so.
	browser.Do(t, ctx, chromedp.Click(chromedp.CSS("#next")))
	waitJS(t, ctx, `!document.getElementById("now-name").textContent.includes("Ana")`)
	liveWaitText(t, ctx, "#history", "habló")

	body := browser.Value(t, ctx, chromedp.Evaluate[string](`document.body.innerText`))
	for _, english := range []string{"Next speaker", "Pause", "Resume", "End speech", "List of speakers", "Agenda item",
		"Close the list", "Suggest", "Give the floor", "Remove", "Add to the list", "Balance of the floor", "Statements", "spoke", "Log out"} {
		if strings.Contains(body, english) {
			t.Errorf("the Spanish console shows %q:\n%s", english, body)
		}
	}
}
