package handlers_test

// What a review of the live pages found (issue 15, §3 and §4): the
// countdown for assistive technology, the screen's pairing of speaker and
// item, its fit and kinds, the participant's requests and the phone's
// order, and the console's balance at 1366 px.

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"rostrum/app"
	"rostrum/internal/browser"
	"rostrum/internal/testenv"
	"rostrum/models"
)

// liveTabs opens the screen, the console (logged in as the admin) and the
// participant page of tok, each waiting until it is live.
func liveTabs(t *testing.T, e *testenv.Env, slug, tok string) (screen, console, part context.Context) {
	t.Helper()
	console = browser.New(t)
	screen = browser.Tab(t, console)
	part = browser.Tab(t, console)
	for _, tab := range []context.Context{console, screen, part} {
		browser.FailOnPageErrors(t, tab)
	}
	desktop(t, console)
	consoleLogin(t, console, e, "")
	browser.Do(t, console, chromedp.Navigate(e.URL+"/m/"+slug+"/console"))
	liveWaitText(t, console, "#connection", "Live")
	browser.Do(t, screen, chromedp.Navigate(e.URL+"/m/"+slug+"/screen"))
	liveWaitText(t, screen, "#connection", "Live")
	browser.Do(t, part, chromedp.Navigate(e.URL+"/r/"+tok))
	liveWaitText(t, part, "#floor-connection", "Live")
	return screen, console, part
}

// recordAnnouncements keeps every text the element's live region is
// given, in window.__said.
func recordAnnouncements(t *testing.T, ctx context.Context, sel string) {
	t.Helper()
	browser.Do(t, ctx, chromedp.Evaluate[chromedp.Void](`(() => {
		window.__said = [];
		const el = document.querySelector(`+jsQuote(sel)+`);
		new MutationObserver(() => { if (el.textContent) window.__said.push(el.textContent); })
			.observe(el, { childList: true, characterData: true, subtree: true });
	})()`))
}

func TestCountdownIsATimerThatAnnouncesWarningAndOvertimeOnceAndSaysPaused(t *testing.T) {
	e := testenv.New(t)
	lm := newLiveMeeting(t, e, "oewg")
	// A six-second speech: the warning phase starts 1.2 s before the end.
	if err := e.App.DB.Model(&models.AgendaItem{}).Where("id = ?", lm.items[0]).Update("speaking_time_seconds", 6).Error; err != nil {
		t.Fatal(err)
	}
	ana, tok := lm.participant(t, "Ana Lima", "ngo", models.StatusApproved)
	screen, console, part := liveTabs(t, e, "oewg", tok)
	tabs := []struct {
		name       string
		ctx        context.Context
		timer, say string
	}{
		{"screen", screen, "#countdown", "#countdown-alert"},
		{"console", console, "#timer", "#timer-alert"},
		{"participant page", part, "#floor-timer", "#floor-timer-alert"},
	}
	type timerMarkup struct {
		Role, Label, Live, Tag string
	}
	for _, tab := range tabs {
		got := browser.Value(t, tab.ctx, chromedp.Evaluate[timerMarkup](`(() => {
			const el = document.querySelector(`+jsQuote(tab.timer)+`), say = document.querySelector(`+jsQuote(tab.say)+`);
			return { Role: el.getAttribute("role") || "", Label: el.getAttribute("aria-label") || "",
				Live: say ? say.getAttribute("aria-live") || "" : "", Tag: el.tagName };
		})()`))
		if got.Role != "timer" || got.Label != "" || got.Live == "" {
			t.Errorf("%s: countdown %+v; want role=timer, no aria-label, an aria-live region beside it", tab.name, got)
		}
		recordAnnouncements(t, tab.ctx, tab.say)
	}

	var res liveResult
	lm.mod.MustJSON("POST", lm.path("/agenda/%d/speakers", lm.items[0]), map[string]any{"registration_id": ana.ID}, 201, &res)
	lm.mod.MustJSON("POST", lm.path("/agenda/%d/next", lm.items[0]), nil, 200, nil)
	for _, tab := range tabs {
		// Two seconds over time, the page has redrawn the countdown many
		// times: it has said the warning and the overtime once each.
		liveWaitText(t, tab.ctx, tab.timer, "+0:02")
		said := browser.Value(t, tab.ctx, chromedp.Evaluate[[]string](`window.__said`))
		if len(said) != 2 || !strings.Contains(said[0], "seconds left") || !strings.Contains(said[1], "over time") {
			t.Errorf("%s announced %q; want the warning, then the overtime, once each", tab.name, said)
		}
	}

	// Paused: every page shows the word.
	lm.mod.MustJSON("POST", lm.path("/agenda/%d/speakers/%d/pause", lm.items[0], res.Speaker.ID), nil, 200, nil)
	for _, tab := range tabs {
		liveWaitText(t, tab.ctx, tab.timer, "Paused")
	}
}

func TestScreenPairsTheSpeakerWithTheItemTheySpeakOn(t *testing.T) {
	e := testenv.New(t)
	lm := newLiveMeeting(t, e, "oewg")
	ana, tok := lm.participant(t, "Ana Lima", "ngo", models.StatusApproved)
	ben, _ := lm.participant(t, "Ben Okafor", "academia", models.StatusApproved)
	var anaEntry liveResult
	lm.mod.MustJSON("POST", lm.path("/agenda/%d/speakers", lm.items[0]), map[string]any{"registration_id": ana.ID}, 201, &anaEntry)
	lm.mod.MustJSON("POST", lm.path("/agenda/%d/next", lm.items[0]), nil, 200, nil)
	screen, _, _ := liveTabs(t, e, "oewg", tok)
	liveWaitText(t, screen, "#speaker-name", "Ana Lima")

	// The moderator makes the second item current while Ana still speaks
	// on the first, and Ben asks for the floor on the second.
	lm.mod.MustJSON("POST", "/api/meetings/oewg/current", map[string]any{"item_id": lm.items[1]}, 200, nil)
	lm.mod.MustJSON("POST", lm.path("/agenda/%d/speakers", lm.items[1]), map[string]any{"registration_id": ben.ID}, 201, nil)
	liveWaitText(t, screen, "#next", "Ben Okafor")
	if got := browser.Value(t, screen, chromedp.Text(chromedp.CSS("#item"))); got != "Existing and potential threats" {
		t.Fatalf("over Ana, who speaks on the first item, the screen shows %q", got)
	}
	liveWaitText(t, screen, "#next-item", "International law")

	// Ana ends: the screen moves to the current item.
	lm.mod.MustJSON("POST", lm.path("/agenda/%d/speakers/%d/stop", lm.items[0], anaEntry.Speaker.ID), nil, 200, nil)
	lm.mod.MustJSON("POST", lm.path("/agenda/%d/next", lm.items[1]), nil, 200, nil)
	liveWaitText(t, screen, "#speaker-name", "Ben Okafor")
	liveWaitText(t, screen, "#item", "International law")
	if hidden := browser.Value(t, screen, chromedp.Evaluate[bool](`document.getElementById("next-item").hidden`)); !hidden {
		t.Fatal("the queue's own item is still named while the speaker speaks on it")
	}
}

func TestParticipantPageListsEveryRequestOnEveryItemWithWithdraw(t *testing.T) {
	e := testenv.New(t)
	lm := newLiveMeeting(t, e, "oewg")
	_, tok := lm.participant(t, "Ana Lima", "ngo", models.StatusApproved)
	p := e.Participant(tok)
	p.MustJSON("POST", lm.path("/agenda/%d/speakers", lm.items[0]), nil, 201, nil)
	_, _, part := liveTabs(t, e, "oewg", tok)
	liveWaitText(t, part, "#floor-mine", "Existing and potential threats")

	// Item 2 becomes current; Ana also asks on it. Both requests show.
	lm.mod.MustJSON("POST", "/api/meetings/oewg/current", map[string]any{"item_id": lm.items[1]}, 200, nil)
	liveWaitText(t, part, "#floor-item", "International law")
	browser.Do(t, part, chromedp.Click(chromedp.CSS("#floor-request")))
	liveWaitText(t, part, "#floor-mine", "International law")
	if n := browser.Value(t, part, chromedp.Evaluate[int](`document.querySelectorAll("#floor-mine li[data-id]").length`)); n != 2 {
		t.Fatalf("%d requests listed, want 2", n)
	}
	// The request on the first item is withdrawn from the page.
	browser.Do(t, part, chromedp.Click(chromedp.CSS(`#floor-mine button[aria-label="Withdraw my request on Existing and potential threats"]`)))
	waitJS(t, part, `document.querySelectorAll("#floor-mine li[data-id]").length === 1 && !document.getElementById("floor-mine").textContent.includes("Existing")`)
	if w := lm.state(t).Item(lm.items[0]); len(w.Speakers) != 0 {
		t.Fatalf("the first item still lists %+v", w.Speakers)
	}
}

func TestParticipantPageOnAPhoneLeadsWithTheFloorAndWithdrawingConfirms(t *testing.T) {
	e := testenv.New(t)
	lm := newLiveMeeting(t, e, "oewg")
	_, tok := lm.participant(t, "Ana Lima", "ngo", models.StatusApproved)
	ben, _ := lm.participant(t, "Ben Okafor", "academia", models.StatusApproved)
	lm.mod.MustJSON("POST", lm.path("/agenda/%d/speakers", lm.items[0]), map[string]any{"registration_id": ben.ID}, 201, nil)
	lm.mod.MustJSON("POST", lm.path("/agenda/%d/next", lm.items[0]), nil, 200, nil)
	ctx := browser.New(t)
	browser.FailOnPageErrors(t, ctx)
	browser.Do(t, ctx, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile, chromedp.EmulateTouch))
	browser.Do(t, ctx, chromedp.Navigate(e.URL+"/r/"+tok))
	liveWaitText(t, ctx, "#floor-speaker", "Ben Okafor")
	waitJS(t, ctx, `!document.getElementById("registration").hidden`)
	screenshot(t, ctx, "participant-session-phone")
	type tops struct{ Speaker, Timer, Queue, Request, Registration, Withdraw, Height float64 }
	got := browser.Value(t, ctx, chromedp.Evaluate[tops](`(() => {
		const top = (id) => document.getElementById(id).getBoundingClientRect().top + scrollY;
		return { Speaker: top("floor-speaker"), Timer: top("floor-timer"), Queue: top("floor-queue"),
			Request: top("floor-request"), Registration: top("registration"), Withdraw: top("withdraw-button"), Height: innerHeight };
	})()`))
	if !(got.Speaker < got.Timer && got.Timer < got.Queue && got.Queue < got.Request) {
		t.Errorf("the floor does not lead with speaker, timer, queue, then buttons: %+v", got)
	}
	if got.Request > got.Height {
		t.Errorf("Request the floor is %.0f px down, below the first screen (%.0f px)", got.Request, got.Height)
	}
	if !(got.Request < got.Registration && got.Registration < got.Withdraw) {
		t.Errorf("withdrawing the registration is not out of the way: %+v", got)
	}
	// Withdrawing asks first; No keeps the registration.
	browser.Do(t, ctx,
		chromedp.Click(chromedp.CSS("#withdraw-button")),
		chromedp.WaitVisible(chromedp.CSS("#confirm-withdraw")),
		chromedp.Click(chromedp.CSS(`#confirm-withdraw button[value=cancel]`)),
		chromedp.WaitNotVisible(chromedp.CSS("#confirm-withdraw")),
	)
	var reg models.Registration
	if err := e.App.DB.Where("token_hash <> '' AND name = ?", "Ana Lima").First(&reg).Error; err != nil || reg.Status != models.StatusApproved {
		t.Fatalf("after No, the registration is %q (%v)", reg.Status, err)
	}
}

func TestScreenFitsFrom1366To4KMarksKindsAndListsTheConfiguredNextSpeakers(t *testing.T) {
	for _, n := range []int{5, 8} {
		t.Run(fmt.Sprintf("%d next speakers", n), func(t *testing.T) {
			e := testenv.New(t, func(c *app.Config) { c.ScreenNextSpeakers = n })
			lm := newLiveMeeting(t, e, "oewg")
			kinds := []string{"statement", "point_of_order", "statement", "statement", "statement", "statement", "statement", "statement", "statement", "statement"}
			var first uint
			for i, kind := range kinds {
				r, _ := lm.participant(t, fmt.Sprintf("Maria Fernanda Espinosa Garcés %d", i), "ngo", models.StatusApproved)
				var res liveResult
				lm.mod.MustJSON("POST", lm.path("/agenda/%d/speakers", lm.items[0]), map[string]any{"registration_id": r.ID, "kind": kind}, 201, &res)
				if i == 0 {
					first = res.Speaker.ID
				}
			}
			lm.mod.MustJSON("POST", lm.path("/agenda/%d/speakers/%d/start", lm.items[0], first), nil, 200, nil)
			replier, _ := lm.participant(t, "Ben Okafor", "academia", models.StatusApproved)
			lm.mod.MustJSON("POST", lm.path("/agenda/%d/speakers", lm.items[0]), map[string]any{"registration_id": replier.ID, "kind": "reply", "reply_to": first}, 201, nil)
			ctx := browser.New(t)
			browser.FailOnPageErrors(t, ctx)
			browser.Do(t, ctx, chromedp.Navigate(e.URL+"/m/oewg/screen"))
			liveWaitText(t, ctx, "#speaker-name", "Garcés 0")
			waitJS(t, ctx, fmt.Sprintf(`document.querySelectorAll("#next li").length === %d`, n))
			if mark := browser.Value(t, ctx, chromedp.Text(chromedp.CSS(`#next li[data-kind="point_of_order"] .kind-mark`))); mark != "Point of order" {
				t.Errorf("a point of order is marked %q", mark)
			}
			if mark := browser.Value(t, ctx, chromedp.Evaluate[string](`(document.querySelector('#next li[data-kind="reply"] .kind-mark') || {}).textContent || ""`)); mark != "Reply" {
				t.Errorf("a reply is marked %q", mark)
			}
			for _, size := range [][2]int64{{1366, 768}, {1920, 1080}, {3840, 2160}} {
				browser.Do(t, ctx, chromedp.EmulateViewport(size[0], size[1]))
				screenshot(t, ctx, fmt.Sprintf("screen-%d-%dx%d", n, size[0], size[1]))
				type fit struct{ LastBottom, Height, ScrollH, ScrollW, Width float64 }
				got := browser.Value(t, ctx, chromedp.Evaluate[fit](`(() => {
					const li = [...document.querySelectorAll("#next li")].pop();
					return { LastBottom: li.getBoundingClientRect().bottom, Height: innerHeight,
						ScrollH: document.documentElement.scrollHeight, ScrollW: document.documentElement.scrollWidth, Width: innerWidth };
				})()`))
				if got.LastBottom > got.Height || got.ScrollH > got.Height || got.ScrollW > got.Width {
					t.Errorf("at %dx%d the screen does not fit: %+v", size[0], size[1], got)
				}
			}
		})
	}
}

func TestConsoleBalanceTableIsNotClippedAt1366(t *testing.T) {
	f := newA11yFixture(t)
	ctx := browser.New(t)
	browser.FailOnPageErrors(t, ctx)
	browser.Do(t, ctx, chromedp.EmulateViewport(1366, 768))
	consoleLogin(t, ctx, f.e, "")
	browser.Do(t, ctx, chromedp.Navigate(f.e.URL+"/m/a11y/console"))
	waitJS(t, ctx, `document.querySelectorAll("#balance tbody tr").length >= 3`)
	type box struct{ Table, Wrap, Panel, PanelScroll float64 }
	got := browser.Value(t, ctx, chromedp.Evaluate[box](`(() => {
		const t = document.getElementById("balance"), w = t.parentElement, p = t.closest(".panel");
		return { Table: t.scrollWidth, Wrap: w.clientWidth, Panel: p.clientWidth, PanelScroll: p.scrollWidth };
	})()`))
	if got.Table > got.Wrap || got.PanelScroll > got.Panel {
		t.Fatalf("the balance is clipped at 1366 px: %+v", got)
	}
}

func TestParticipantPageLeadsWithTheRegistrationUntilItIsApproved(t *testing.T) {
	e := testenv.New(t)
	lm := newLiveMeeting(t, e, "oewg")
	_, tok := lm.participant(t, "Ana Lima", "ngo", models.StatusPending)
	ctx := browser.New(t)
	browser.FailOnPageErrors(t, ctx)
	browser.Do(t, ctx, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile, chromedp.EmulateTouch))
	browser.Do(t, ctx, chromedp.Navigate(e.URL+"/r/"+tok))
	liveWaitText(t, ctx, "#floor-position", "Only approved participants")
	waitJS(t, ctx, `!document.getElementById("registration").hidden`)
	if first := browser.Value(t, ctx, chromedp.Evaluate[bool](`document.getElementById("registration").getBoundingClientRect().top < document.getElementById("floor").getBoundingClientRect().top`)); !first {
		t.Fatal("a pending participant's page leads with the list of speakers, not their registration")
	}
}
