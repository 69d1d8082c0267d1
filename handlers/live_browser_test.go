package handlers_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"rostrum/internal/browser"
	"rostrum/internal/testenv"
	"rostrum/live"
	"rostrum/models"
)

// liveWaitText waits until the element's text contains want.
func liveWaitText(t *testing.T, ctx context.Context, sel, want string) {
	t.Helper()
	js := `(() => { const el = document.querySelector(` + jsQuote(sel) + `); return !!el && el.textContent.includes(` + jsQuote(want) + `); })()`
	wctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	if _, err := chromedp.Run(wctx, chromedp.Poll[bool](js, chromedp.WithPollingInterval(50*time.Millisecond))); err != nil {
		rctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		got, _ := chromedp.Run(rctx, chromedp.Evaluate[string](`document.body.innerText`))
		t.Fatalf("%s never showed %q: %v; the page shows:\n%s", sel, want, err, got)
	}
}

func jsQuote(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`).Replace(s) + `"`
}

// TestLiveConsoleScreenAndParticipantPageWorkTogether opens the console,
// the room's screen and a participant's page at once: the participant
// asks for the floor, the moderator gives it with the N key, and the
// screen shows the new speaker and their countdown.
func TestLiveConsoleScreenAndParticipantPageWorkTogether(t *testing.T) {
	e := testenv.New(t)
	lm := newLiveMeeting(t, e, "oewg")
	ana, tok := lm.participant(t, "Ana Lima", "ngo", models.StatusApproved)
	ben, _ := lm.participant(t, "Ben Okafor", "academia", models.StatusApproved)
	// Ben already speaks, so that "next" has someone to move on from.
	var res liveResult
	lm.mod.MustJSON("POST", lm.path("/agenda/%d/speakers", lm.items[0]), map[string]any{"registration_id": ben.ID}, 201, &res)
	lm.mod.MustJSON("POST", lm.path("/agenda/%d/next", lm.items[0]), nil, 200, nil)
	modEmail := strings.TrimPrefix(strings.SplitN(lastActor(t, lm), " ", 2)[0], "staff:")

	consoleTab := browser.New(t)
	screenTab := browser.Tab(t, consoleTab)
	partTab := browser.Tab(t, consoleTab)
	for _, tab := range []context.Context{consoleTab, screenTab, partTab} {
		browser.FailOnPageErrors(t, tab)
	}

	// The screen: no login.
	browser.Do(t, screenTab, chromedp.Navigate(e.URL+"/m/oewg/screen"))
	liveWaitText(t, screenTab, "#connection", "Live")
	liveWaitText(t, screenTab, "#speaker-name", "Ben Okafor")
	liveWaitText(t, screenTab, "#item", "Existing and potential threats")

	// The console: the moderator logs in on the page.
	browser.Do(t, consoleTab, chromedp.Navigate(e.URL+"/m/oewg/console"),
		chromedp.WaitVisible(chromedp.CSS("#login-email")),
		chromedp.SendKeys(chromedp.CSS("#login-email"), modEmail),
		chromedp.SendKeys(chromedp.CSS("#login-password"), testenv.Password),
		chromedp.Click(chromedp.CSS("#login-submit")))
	liveWaitText(t, consoleTab, "#connection", "Live")
	liveWaitText(t, consoleTab, "#now-name", "Ben Okafor")
	liveWaitText(t, consoleTab, ".shortcuts", "N next speaker")

	// The participant asks for the floor from their page.
	browser.Do(t, partTab, chromedp.Navigate(e.URL+"/r/"+tok))
	liveWaitText(t, partTab, "#floor-connection", "Live")
	liveWaitText(t, partTab, "#floor-position", "You are not on the list")
	browser.Do(t, partTab, chromedp.Click(chromedp.CSS("#floor-request")))
	liveWaitText(t, partTab, "#floor-position", "You are number 1 in the queue")
	liveWaitText(t, partTab, "#floor-actions", "Withdraw my request")

	// Everyone sees it at once.
	liveWaitText(t, consoleTab, "#queue", "Ana Lima")
	liveWaitText(t, screenTab, "#next", "Ana Lima")

	// The moderator adds Chen by typing his name (the suggestions come
	// from the approved registrations), moves him up with the keyboard
	// buttons, and back down.
	chen, _ := lm.participant(t, "Chen Wu", "academia", models.StatusApproved)
	browser.Do(t, consoleTab, chromedp.Reload())
	liveWaitText(t, consoleTab, "#connection", "Live")
	if n := browser.Value(t, consoleTab, chromedp.Evaluate[int](`document.querySelectorAll("#participants option").length`)); n != 3 {
		t.Fatalf("%d suggestions for the add form, want the 3 approved participants", n)
	}
	browser.Do(t, consoleTab,
		chromedp.SendKeys(chromedp.CSS("#add-who"), fmt.Sprintf("Chen Wu — Chen Wu Org (#%d)", chen.ID)),
		chromedp.Click(chromedp.CSS(`#add-form button[type="submit"]`)))
	liveWaitText(t, screenTab, "#next li:nth-child(2)", "Chen Wu")
	browser.Do(t, consoleTab, chromedp.Click(chromedp.CSS(`[aria-label="Move Chen Wu up"]`)))
	liveWaitText(t, screenTab, "#next li:nth-child(1)", "Chen Wu")
	liveWaitText(t, partTab, "#floor-position", "You are number 2 in the queue")
	liveWaitText(t, consoleTab, "#queue li:nth-child(1)", "Chen Wu")
	browser.Do(t, consoleTab, chromedp.Click(chromedp.CSS(`[aria-label="Move Chen Wu down"]`)))
	liveWaitText(t, screenTab, "#next li:nth-child(1)", "Ana Lima")
	liveWaitText(t, partTab, "#floor-position", "You are number 1 in the queue")
	liveWaitText(t, consoleTab, "#queue li:nth-child(1)", "Ana Lima")
	// Drag and drop: Chen onto Ana puts him first; Ana onto Chen puts her
	// back. (Synthetic drag events carry a DataTransfer as a real drag does.)
	liveDrag(t, consoleTab, 2, 1)
	liveWaitText(t, screenTab, "#next li:nth-child(1)", "Chen Wu")
	liveWaitText(t, consoleTab, "#queue li:nth-child(1)", "Chen Wu")
	liveDrag(t, consoleTab, 2, 1)
	liveWaitText(t, screenTab, "#next li:nth-child(1)", "Ana Lima")
	liveWaitText(t, consoleTab, "#queue li:nth-child(1)", "Ana Lima")

	// The moderator moves on with the keyboard shortcut.
	browser.Do(t, consoleTab, chromedp.Focus(chromedp.CSS("#next")), chromedp.KeyEvent("n"))
	liveWaitText(t, screenTab, "#speaker-name", "Ana Lima")
	liveWaitText(t, screenTab, "#speaker-org", "Ana Lima Org")
	liveWaitText(t, screenTab, "#countdown", "3:00")
	liveWaitText(t, partTab, "#floor-position", "You have the floor")
	liveWaitText(t, consoleTab, "#now-name", "Ana Lima")
	// The countdown runs: it leaves 3:00 for 2:59 within a few seconds.
	liveWaitText(t, screenTab, "#countdown", "2:5")
	if ph := browser.Value(t, screenTab, chromedp.Evaluate[string](`document.getElementById("countdown").dataset.phase`)); ph != "running" {
		t.Fatalf("countdown phase %q", ph)
	}
	// P pauses: every page shows the paused clock.
	browser.Do(t, consoleTab, chromedp.KeyEvent("p"))
	liveWaitText(t, consoleTab, "#timer", "Paused")
	if err := pollPhase(screenTab, "paused"); err != nil {
		t.Fatal(err)
	}
	st := lm.state(t)
	if sp := st.Item(lm.items[0]).Timer; sp == nil || sp.Running || st.Entry(res.Speaker.ID).State != models.SpeakerDone {
		t.Fatalf("server state after the pages' commands: %+v", sp)
	}
	if got := lastActor(t, lm); !strings.HasPrefix(got, "staff:") {
		t.Fatalf("last change by %s", got)
	}
	// The secretariat adds an agenda item meanwhile: the open console
	// offers it at once, without a reload.
	lm.admin.MustJSON("POST", lm.path("/agenda"), map[string]any{"title": "Any other business"}, 201, nil)
	liveWaitText(t, consoleTab, "#item-select", "Any other business")
	_ = ana
}

// liveDrag drags the console's queue entry at position from onto the one
// at position to.
func liveDrag(t *testing.T, ctx context.Context, from, to int) {
	t.Helper()
	js := fmt.Sprintf(`(() => {
		const q = document.querySelectorAll("#queue li");
		const src = q[%d], dst = q[%d], dt = new DataTransfer();
		src.dispatchEvent(new DragEvent("dragstart", { bubbles: true, dataTransfer: dt }));
		dst.dispatchEvent(new DragEvent("dragover", { bubbles: true, cancelable: true, dataTransfer: dt }));
		dst.dispatchEvent(new DragEvent("drop", { bubbles: true, cancelable: true, dataTransfer: dt }));
		src.dispatchEvent(new DragEvent("dragend", { bubbles: true, dataTransfer: dt }));
		return true;
	})()`, from-1, to-1)
	browser.Value(t, ctx, chromedp.Evaluate[bool](js))
}

func pollPhase(ctx context.Context, want string) error {
	ctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	_, err := chromedp.Run(ctx, chromedp.Poll[bool](`document.getElementById("countdown").dataset.phase === `+jsQuote(want),
		chromedp.WithPollingInterval(50*time.Millisecond)))
	return err
}

// lastActor returns who made the meeting's last change, from the audit log.
func lastActor(t *testing.T, lm *liveMeeting) string {
	t.Helper()
	var audit struct {
		Events []struct {
			Actor string `json:"actor"`
		} `json:"events"`
	}
	lm.mod.MustJSON("GET", lm.path("/audit?limit=1"), nil, 200, &audit)
	if len(audit.Events) == 0 {
		t.Fatal("empty audit log")
	}
	return audit.Events[0].Actor
}

// TestLivePagesReconnectAfterARestartAndShowTheServersState stops the
// server under an open screen and participant page: both say they are
// reconnecting, and once a new server runs on the same address and the
// list has moved on meanwhile, both show exactly its state.
func TestLivePagesReconnectAfterARestartAndShowTheServersState(t *testing.T) {
	cfg := testenv.Config(t)
	e := testenv.Start(t, cfg)
	lm := newLiveMeeting(t, e, "oewg")
	_, tok := lm.participant(t, "Ana Lima", "ngo", models.StatusApproved)
	ben, _ := lm.participant(t, "Ben Okafor", "academia", models.StatusApproved)
	e.Participant(tok).MustJSON("POST", lm.path("/agenda/%d/speakers", lm.items[0]), nil, 201, nil)

	screenTab := browser.New(t)
	partTab := browser.Tab(t, screenTab)
	browser.FailOnPageErrors(t, screenTab)
	browser.Do(t, screenTab, chromedp.Navigate(e.URL+"/m/oewg/screen"))
	browser.Do(t, partTab, chromedp.Navigate(e.URL+"/r/"+tok))
	liveWaitText(t, screenTab, "#next", "Ana Lima")
	liveWaitText(t, partTab, "#floor-position", "You are number 1 in the queue")

	e.Stop()
	liveWaitText(t, screenTab, "#connection", "Reconnecting…")
	liveWaitText(t, partTab, "#floor-connection", "Reconnecting…")

	// The same address, the same database; the list moves on before the
	// pages are back.
	cfg.Listen = strings.TrimPrefix(e.URL, "http://")
	e2 := testenv.Start(t, cfg)
	mod := *lm.mod
	mod.Base = e2.URL
	mod.MustJSON("POST", lm.path("/agenda/%d/speakers", lm.items[0]), map[string]any{"registration_id": ben.ID, "kind": "point_of_order"}, 201, nil)
	mod.MustJSON("POST", lm.path("/agenda/%d/next", lm.items[0]), nil, 200, nil)

	liveWaitText(t, screenTab, "#connection", "Live")
	liveWaitText(t, screenTab, "#speaker-name", "Ben Okafor")
	liveWaitText(t, screenTab, "#next", "Ana Lima")
	liveWaitText(t, partTab, "#floor-connection", "Live")
	liveWaitText(t, partTab, "#floor-position", "You are number 1 in the queue")
}

// TestLiveTimerArithmeticInThePagesMatchesTheServer runs the pages' timer
// functions (static/js/livestate.js) on the cases the server's live
// package decides, so that every screen shows the time the server means.
func TestLiveTimerArithmeticInThePagesMatchesTheServer(t *testing.T) {
	e := testenv.New(t)
	newLiveMeeting(t, e, "oewg")
	ctx := browser.New(t)
	browser.FailOnPageErrors(t, ctx)
	browser.Do(t, ctx, chromedp.Navigate(e.URL+"/m/oewg/screen"))
	liveWaitText(t, ctx, "#connection", "Live")

	start := time.Date(2019, 12, 2, 15, 0, 0, 0, time.UTC)
	paused := start.Add(100 * time.Second)
	cases := []struct {
		name   string
		entry  models.SpeakerEntry
		at     time.Duration
		phase  string
		remain time.Duration
		clock  string
	}{
		{"running", models.SpeakerEntry{TimeLimitSeconds: 180}, 20 * time.Second, "running", 160 * time.Second, "2:40"},
		{"part of a second", models.SpeakerEntry{TimeLimitSeconds: 180}, 1500 * time.Millisecond, "running", 178500 * time.Millisecond, "2:59"},
		{"warning at 30 s", models.SpeakerEntry{TimeLimitSeconds: 180}, 150 * time.Second, "warning", 30 * time.Second, "0:30"},
		{"short limit warns at a fifth", models.SpeakerEntry{TimeLimitSeconds: 60}, 47 * time.Second, "running", 13 * time.Second, "0:13"},
		{"short limit in warning", models.SpeakerEntry{TimeLimitSeconds: 60}, 49 * time.Second, "warning", 11 * time.Second, "0:11"},
		{"overtime", models.SpeakerEntry{TimeLimitSeconds: 60}, 75 * time.Second, "overtime", -15 * time.Second, "+0:15"},
		{"earlier pauses", models.SpeakerEntry{TimeLimitSeconds: 180, PausedMS: 40_000}, 100 * time.Second, "running", 120 * time.Second, "2:00"},
		{"paused now", models.SpeakerEntry{TimeLimitSeconds: 180, PausedMS: 10_000, PausedAt: &paused}, 500 * time.Second, "running", 90 * time.Second, "1:30"},
	}
	for _, c := range cases {
		en := c.entry
		en.State, en.StartedAt = models.SpeakerSpeaking, &start
		now := start.Add(c.at)
		if got := live.Remaining(&en, now); got != c.remain {
			t.Fatalf("%s: server remaining %v, want %v", c.name, got, c.remain)
		}
		if got := live.Phase(&en, now); got != c.phase {
			t.Fatalf("%s: server phase %s, want %s", c.name, got, c.phase)
		}
		timer, _ := json.Marshal(live.TimerOf(&en))
		js := fmt.Sprintf(`import("/static/js/livestate.js").then((m) => {
			const t = %s, now = %d;
			return JSON.stringify([m.remainingMs(t, now), m.phase(t, now), m.clock(m.remainingMs(t, now))]);
		})`, timer, now.UnixMilli())
		got := browser.Value(t, ctx, chromedp.Evaluate[string](js, chromedp.EvalAwaitPromise))
		want, _ := json.Marshal([]any{c.remain.Milliseconds(), c.phase, c.clock})
		if got != string(want) {
			t.Errorf("%s: the page computes %s, the server %s", c.name, got, want)
		}
	}
}

// TestLivePagesDropAWithdrawnRequest: a participant asks for the floor
// and withdraws from their page; the room's screen and the participant
// page follow, and the pages' copy of the state (livestate.js) holds
// exactly the server's entries: the withdrawn request is gone from it,
// as from the server's state.
func TestLivePagesDropAWithdrawnRequest(t *testing.T) {
	e := testenv.New(t)
	lm := newLiveMeeting(t, e, "oewg")
	_, tok := lm.participant(t, "Ana Lima", "ngo", models.StatusApproved)
	screenTab := browser.New(t)
	partTab := browser.Tab(t, screenTab)
	for _, tab := range []context.Context{screenTab, partTab} {
		browser.FailOnPageErrors(t, tab)
	}
	browser.Do(t, screenTab, chromedp.Navigate(e.URL+"/m/oewg/screen"))
	liveWaitText(t, screenTab, "#connection", "Live")
	browser.Do(t, partTab, chromedp.Navigate(e.URL+"/r/"+tok))
	liveWaitText(t, partTab, "#floor-position", "You are not on the list")

	browser.Do(t, partTab, chromedp.Click(chromedp.CSS("#floor-request")))
	liveWaitText(t, partTab, "#floor-position", "You are number 1 in the queue")
	liveWaitText(t, screenTab, "#next", "Ana Lima")
	browser.Do(t, partTab, chromedp.Click(chromedp.CSS("#floor-withdraw")))
	liveWaitText(t, partTab, "#floor-position", "You are not on the list")
	liveWaitText(t, screenTab, "#next", "Nobody is waiting.")
	if sp := lm.state(t).Item(lm.items[0]).Speakers; len(sp) != 0 {
		t.Fatalf("the server's state still lists %d entries", len(sp))
	}

	// The pages apply the same patch the same way: the withdrawn entry
	// leaves the list; other entries stay in display order.
	js := `import("/static/js/livestate.js").then((m) => {
		const st = { seq: 3, items: [{ id: 7, speakers: [
			{ id: 1, item_id: 7, state: "waiting", position: 1 },
			{ id: 2, item_id: 7, state: "waiting", position: 2 }] }] };
		m.applyPatch(st, 4, { current_item_id: 7, speakers: [
			{ id: 1, item_id: 7, state: "withdrawn", position: 0 },
			{ id: 2, item_id: 7, state: "waiting", position: 1 },
			{ id: 9, item_id: 7, state: "withdrawn", position: 0 }] });
		return JSON.stringify(st.items[0].speakers.map((e) => [e.id, e.position]));
	})`
	if got := browser.Value(t, screenTab, chromedp.Evaluate[string](js, chromedp.EvalAwaitPromise)); got != "[[2,1]]" {
		t.Fatalf("livestate.js after a withdrawal: %s, want [[2,1]]", got)
	}
}
