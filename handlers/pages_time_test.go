package handlers_test

// Browser tests of time: what the secretariat types is read in the
// meeting's zone, and pages show times in that zone, named.

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"rostrum/internal/browser"
	"rostrum/internal/testenv"
)

func TestAMeetingTypedAt10NewYorkFromZurichStartsAt15UTCAndPagesSayNewYorkTime(t *testing.T) {
	e := testenv.New(t)
	ctx := browser.New(t)
	browser.FailOnPageErrors(t, ctx)
	desktop(t, ctx)
	if _, err := chromedp.Call(ctx, emulation.SetTimezoneOverride, emulation.SetTimezoneOverrideParams{TimezoneID: "Europe/Zurich"}); err != nil {
		t.Fatal(err)
	}
	consoleLogin(t, ctx, e, "")
	if tz := browser.Value(t, ctx, chromedp.Evaluate[string](`Intl.DateTimeFormat().resolvedOptions().timeZone`)); tz != "Europe/Zurich" {
		t.Fatalf("the browser's zone is %q, want Europe/Zurich", tz)
	}
	browser.Do(t, ctx,
		chromedp.Click(chromedp.CSS("#create-details summary")),
		chromedp.SendKeys(chromedp.CSS("#m-title"), "Informal intersessional consultative meeting"),
		chromedp.SendKeys(chromedp.CSS("#m-slug"), "oewg-2031-12"),
		chromedp.SetValue(chromedp.CSS("#m-timezone"), "America/New_York"),
		chromedp.SetValue(chromedp.CSS("#m-starts"), "2031-12-02T10:00"),
		chromedp.SetValue(chromedp.CSS("#m-ends"), "2031-12-04T18:00"),
		chromedp.SetValue(chromedp.CSS("#m-closes"), "2031-11-25T23:59"),
		chromedp.Click(chromedp.CSS("#create-meeting button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS("#meeting-panel")),
	)
	var m struct {
		StartsAt time.Time `json:"starts_at"`
	}
	e.Anon().MustJSON("GET", "/api/meetings/oewg-2031-12", nil, 200, &m)
	if want := time.Date(2031, 12, 2, 15, 0, 0, 0, time.UTC); !m.StartsAt.Equal(want) {
		t.Fatalf("10:00 New York typed in Zurich stored as %s, want %s", m.StartsAt.UTC(), want)
	}

	// The edit form shows the time as typed, in the meeting's zone.
	browser.Do(t, ctx, chromedp.Click(chromedp.CSS("#edit-meeting-details summary")), chromedp.WaitVisible(chromedp.CSS("#e-starts")))
	if got := browser.Value(t, ctx, chromedp.Evaluate[string](`document.querySelector("#e-starts").value`)); got != "2031-12-02T10:00" {
		t.Errorf("edit form shows starts %q, want 2031-12-02T10:00", got)
	}

	for _, path := range []string{"/", "/m/oewg-2031-12/register"} {
		browser.Do(t, ctx,
			chromedp.Navigate(e.URL+path),
			chromedp.Poll[chromedp.Void](`document.body.innerText.includes("New York time (EST)")`, chromedp.WithPollingTimeout(10*time.Second)),
		)
		body := browser.Value(t, ctx, chromedp.Evaluate[string](`document.body.innerText`))
		if cal := browser.Value(t, ctx, chromedp.Evaluate[bool](`[...document.querySelectorAll("a")].some((a) => a.href.endsWith("/m/oewg-2031-12/calendar.ics"))`)); !cal {
			t.Errorf("%s has no link to the meeting's calendar.ics", path)
		}
		if !strings.Contains(body, "December 2") || strings.Contains(body, "Zurich") {
			t.Errorf("%s shows %q", path, body)
		}
	}
}
