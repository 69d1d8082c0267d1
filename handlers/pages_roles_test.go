package handlers_test

import (
	"context"
	"testing"

	"github.com/chromedp/chromedp"

	"rostrum/auth"
	"rostrum/internal/browser"
	"rostrum/internal/testenv"
	"rostrum/models"
)

// TestStaffPagesOfferOnlyWhatTheRoleMayDoAndShareLoginAndLogout: the
// review found a rapporteur offered Next and Build. Every staff page logs
// in with the same form and has a Log out.
func TestStaffPagesOfferOnlyWhatTheRoleMayDoAndShareLoginAndLogout(t *testing.T) {
	e := testenv.New(t)
	seedRecordedMeeting(t, e, "st", models.AttributionChathamHouse)
	e.Admin().MustJSON("POST", "/api/meetings/st/summary", nil, 201, nil)
	if _, err := e.App.Auth.CreateUser(context.Background(), auth.NewUserInput{
		Email: "rap@example.org", Name: "Rapporteur", Role: models.RoleRapporteur, Password: testenv.Password,
	}); err != nil {
		t.Fatal(err)
	}
	ctx := browser.New(t)
	browser.FailOnPageErrors(t, ctx)
	desktop(t, ctx)

	// Logged out, every staff page shows the same login.
	pages := []struct{ path, form, logout string }{
		{"/admin", "#login", "#logout"},
		{"/m/st/console", "#login", "#staff-logout"},
		{"/m/st/notes", "#login form", "#staff-logout"},
		{"/m/st/summary/desk", "#login form", "#staff-logout"},
	}
	type loginForm struct {
		Heading       string
		Email, Secret bool
		Button        string
	}
	var first loginForm
	for i, p := range pages {
		browser.Do(t, ctx, chromedp.Navigate(e.URL+p.path), chromedp.WaitVisible(chromedp.CSS(p.form)))
		got := browser.Value(t, ctx, chromedp.Evaluate[loginForm](`(() => {
			const f = document.querySelector(`+jsQuote(p.form)+`), box = f.closest("section") || f;
			const h = box.querySelector("h1, h2");
			return { Heading: h ? h.textContent.trim() : "",
				Email: !!f.querySelector('input[type=email][autocomplete=username]'),
				Secret: !!f.querySelector('input[type=password][autocomplete=current-password]'),
				Button: f.querySelector("button[type=submit], button:not([type])").textContent.trim() };
		})()`))
		if i == 0 {
			first = got
			if got.Heading != "Staff login" || !got.Email || !got.Secret || got.Button != "Log in" {
				t.Fatalf("%s: login %+v", p.path, got)
			}
		} else if got != first {
			t.Errorf("%s: login %+v differs from the console's %+v", p.path, got, first)
		}
	}

	// A rapporteur: no Next, no queue buttons, no adding; no Build on the desk.
	consoleLoginAs(t, ctx, e, "", "rap@example.org")
	browser.Do(t, ctx, chromedp.Navigate(e.URL+"/m/st/console"))
	liveWaitText(t, ctx, "#connection", "Live")
	type offered struct{ Visible []string }
	visible := func(ids ...string) []string {
		return browser.Value(t, ctx, chromedp.Evaluate[offered](`({ Visible: `+jsArray(ids)+`.filter((s) => [...document.querySelectorAll(s)].some((n) => n.offsetParent !== null)) })`)).Visible
	}
	if v := visible("#next", "#pause", "#stop", "#set-current", "#close-list", "#suggest", "#add-form", ".queue-buttons"); len(v) != 0 {
		t.Errorf("a rapporteur's console offers %v", v)
	}
	browser.Do(t, ctx, chromedp.Navigate(e.URL+"/m/st/summary/desk"))
	waitThroughNavigation(t, ctx, `document.querySelector('#preview h1') !== null`)
	if v := visible("#build", "#save", "#approve", "#circulate"); len(v) != 0 {
		t.Errorf("a rapporteur's desk offers %v", v)
	}

	// Log out from any staff page: the session ends and the login returns.
	for _, p := range pages[1:] {
		browser.Do(t, ctx, chromedp.Navigate(e.URL+p.path), chromedp.WaitVisible(chromedp.CSS(p.logout)), chromedp.Click(chromedp.CSS(p.logout)))
		waitThroughNavigation(t, ctx, `document.readyState === "complete" && (() => { const f = document.querySelector(`+jsQuote(p.form)+`); return !!f && f.offsetParent !== null; })()`)
		consoleLoginAs(t, ctx, e, "", "rap@example.org")
	}
}

func jsArray(ss []string) string {
	out := "["
	for i, s := range ss {
		if i > 0 {
			out += ","
		}
		out += jsQuote(s)
	}
	return out + "]"
}
