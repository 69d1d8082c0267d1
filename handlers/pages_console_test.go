package handlers_test

// Browser tests of the secretariat console (/admin).

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"rostrum/auth"
	"rostrum/internal/browser"
	"rostrum/internal/testenv"
)

func TestSecretariatCreatesAMeetingAndItsAgendaInTheConsole(t *testing.T) {
	e := testenv.New(t)
	ctx := browser.New(t)
	browser.FailOnPageErrors(t, ctx)
	desktop(t, ctx)
	consoleLogin(t, ctx, e, "")

	// A meeting created with a bad slug shows the error beside the slug.
	browser.Do(t, ctx,
		chromedp.Click(chromedp.CSS("#create-details summary")),
		chromedp.SendKeys(chromedp.CSS("#m-title"), "Informal intersessional consultative meeting"),
		chromedp.SendKeys(chromedp.CSS("#m-slug"), "Not A Slug"),
		chromedp.SendKeys(chromedp.CSS("#m-venue"), "UN Headquarters, Conference Room 1"),
		chromedp.SetValue(chromedp.CSS("#m-starts"), "2031-12-02T10:00"),
		chromedp.SetValue(chromedp.CSS("#m-ends"), "2031-12-04T18:00"),
		chromedp.SetValue(chromedp.CSS("#m-closes"), "2031-11-25T23:59"),
		chromedp.SetValue(chromedp.CSS("#m-capacity"), "150"),
		chromedp.Click(chromedp.CSS("#create-meeting button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS(`.field-error[data-for="slug"]`)),
	)
	if fe := errorBeside(t, ctx, "m-slug"); fe.Invalid != "true" || !fe.SameField {
		t.Fatalf("slug error not beside the slug: %+v", fe)
	}

	// Corrected, the meeting is created and opened; an agenda item is added.
	browser.Do(t, ctx,
		chromedp.SetValue(chromedp.CSS("#m-slug"), "oewg-2031-12"),
		chromedp.Click(chromedp.CSS("#create-meeting button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS("#meeting-panel")),
		chromedp.SendKeys(chromedp.CSS("#item-title"), "International law"),
		chromedp.SetValue(chromedp.CSS("#item-time"), "240"),
		chromedp.Click(chromedp.CSS("#add-item button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS("#agenda li")),
	)
	screenshot(t, ctx, "admin-meeting-desktop")
	if got := browser.Value(t, ctx, chromedp.Text(chromedp.CSS("#agenda li"))); !strings.Contains(got, "International law") || !strings.Contains(got, "240") {
		t.Fatalf("agenda shows %q", got)
	}
	var m struct {
		Title    string    `json:"title"`
		StartsAt time.Time `json:"starts_at"`
		Capacity int       `json:"capacity"`
	}
	e.Anon().MustJSON("GET", "/api/meetings/oewg-2031-12", nil, 200, &m)
	if m.Capacity != 150 || m.StartsAt.Year() != 2031 || m.Title != "Informal intersessional consultative meeting" {
		t.Fatalf("meeting stored as %+v", m)
	}
	var agenda struct {
		Items []struct {
			Title               string `json:"title"`
			SpeakingTimeSeconds int    `json:"speaking_time_seconds"`
		} `json:"items"`
	}
	e.Anon().MustJSON("GET", "/api/meetings/oewg-2031-12/agenda", nil, 200, &agenda)
	if len(agenda.Items) != 1 || agenda.Items[0].SpeakingTimeSeconds != 240 {
		t.Fatalf("agenda stored as %+v", agenda.Items)
	}
	if loc := browser.Value(t, ctx, chromedp.Location()); !strings.HasSuffix(loc, "#m=oewg-2031-12") {
		t.Fatalf("the console's address %s does not keep the meeting", loc)
	}
}

func TestSecretariatFiltersRegistrationsAndApprovesSelectedOnesAtOnce(t *testing.T) {
	e := testenv.New(t)
	pagesMeeting(t, e, "oewg-2019")
	pagesRegister(t, e, "oewg-2019", sampleRegistration("grace@example.org"))
	second := sampleRegistration("otieno@example.org")
	second["name"] = "Otieno Odhiambo"
	pagesRegister(t, e, "oewg-2019", second)
	third := sampleRegistration("ana@example.org")
	third["name"] = "Ana Pérez"
	third["organization"] = map[string]any{"name": "Universidad de Chile", "type": "academia", "country": "CL"}
	_, anaID := pagesRegister(t, e, "oewg-2019", third)

	ctx := browser.New(t)
	browser.FailOnPageErrors(t, ctx)
	desktop(t, ctx)
	consoleLogin(t, ctx, e, "#m=oewg-2019")
	rows := func() int {
		return browser.Value(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll("#regs-table tbody tr[data-id]").length`))
	}
	browser.Do(t, ctx, chromedp.WaitVisible(chromedp.CSS(`#regs-table tr[data-id="`+strconv.FormatUint(uint64(anaID), 10)+`"]`)))
	if n := rows(); n != 3 {
		t.Fatalf("%d rows, want 3", n)
	}

	// Filtering by type, then by search words.
	browser.Do(t, ctx,
		chromedp.SetValue(chromedp.CSS("#f-type"), "academia"),
		chromedp.Click(chromedp.CSS("#filters button[type=submit]")),
		chromedp.Poll[chromedp.Void](`document.querySelector("#regs-table").getAttribute("aria-busy") === "false" && document.querySelectorAll("#regs-table tbody tr[data-id]").length === 1`),
	)
	if csv := browser.Value(t, ctx, chromedp.AttributeValue(chromedp.CSS("#csv"), "href")); csv.Value != "/api/meetings/oewg-2019/registrations.csv?type=academia" {
		t.Fatalf("CSV link %q does not carry the filter", csv.Value)
	}
	browser.Do(t, ctx,
		// (chromedp's SetValue cannot set "": it sends undefined.)
		chromedp.Evaluate[chromedp.Void](`document.querySelector("#f-type").value = ""`),
		chromedp.SendKeys(chromedp.CSS("#f-q"), "otieno"),
		chromedp.Click(chromedp.CSS("#filters button[type=submit]")),
		chromedp.Poll[chromedp.Void](`(() => {
			if (document.querySelector("#regs-table").getAttribute("aria-busy") !== "false") return false;
			const rows = document.querySelectorAll("#regs-table tbody tr[data-id]");
			return rows.length === 1 && rows[0].textContent.includes("Otieno Odhiambo");
		})()`),
	)

	// All pending, all selected, approved at once.
	browser.Do(t, ctx,
		chromedp.Evaluate[chromedp.Void](`document.querySelector("#f-q").value = ""`),
		chromedp.SetValue(chromedp.CSS("#f-status"), "pending"),
		chromedp.Click(chromedp.CSS("#filters button[type=submit]")),
		chromedp.Poll[chromedp.Void](`document.querySelector("#regs-table").getAttribute("aria-busy") === "false" && document.querySelectorAll("#regs-table tbody tr[data-id]").length === 3`),
		chromedp.Click(chromedp.CSS("#select-all")),
		chromedp.WaitEnabled(chromedp.CSS("#bulk-approve")),
		chromedp.Click(chromedp.CSS("#bulk-approve")),
		chromedp.WaitVisible(chromedp.CSS("#d-reason")),
		chromedp.Click(chromedp.CSS("#decide-submit")),
		chromedp.Poll[chromedp.Void](`document.querySelector("#status").textContent.includes("approved")`),
	)
	screenshot(t, ctx, "admin-bulk-desktop")
	if n := browser.Value(t, ctx, chromedp.Text(chromedp.CSS(`#counts-state li:nth-child(2) b`))); n != "3" {
		t.Fatalf("approved count %q after the bulk approval, want 3", n)
	}
	var list struct {
		Counts struct {
			ByStatus map[string]int `json:"by_status"`
		} `json:"counts"`
	}
	e.Admin().MustJSON("GET", "/api/meetings/oewg-2019/registrations", nil, 200, &list)
	if list.Counts.ByStatus["approved"] != 3 {
		t.Fatalf("stored states %v", list.Counts.ByStatus)
	}
}

func TestModeratorSeesRegistrationsInTheConsoleButNoDecisionControls(t *testing.T) {
	e := testenv.New(t)
	pagesMeeting(t, e, "oewg-2019")
	_, id := pagesRegister(t, e, "oewg-2019", sampleRegistration("grace@example.org"))
	if _, err := e.App.Auth.CreateUser(context.Background(), auth.NewUserInput{
		Email: "moderator@example.org", Name: "Moderator", Role: "moderator", Password: testenv.Password,
	}); err != nil {
		t.Fatal(err)
	}
	ctx := browser.New(t)
	browser.FailOnPageErrors(t, ctx)
	desktop(t, ctx)
	consoleLoginAs(t, ctx, e, "#m=oewg-2019", "moderator@example.org")
	browser.Do(t, ctx, chromedp.WaitVisible(chromedp.CSS(`#regs-table tr[data-id="`+strconv.FormatUint(uint64(id), 10)+`"]`)))
	type controls struct {
		Decide, Pick, Visible int
	}
	got := browser.Value(t, ctx, chromedp.Evaluate[controls](`({
		Decide: document.querySelectorAll("#regs-table button[data-decision]").length,
		Pick: document.querySelectorAll("#regs-table td.pick input").length,
		Visible: [...document.querySelectorAll(".admin-only")].filter((n) => n.offsetParent !== null).length,
	})`))
	if got != (controls{}) {
		t.Fatalf("a moderator is offered admin controls: %+v", got)
	}
}

// The console switches to French and stays on the meeting it showed (the
// #m= the server never sees), its words and the meeting's now French.
func TestTheConsoleSwitchesToFrenchOnTheMeetingItShows(t *testing.T) {
	e := testenv.New(t)
	pagesMeeting(t, e, "m")
	ctx := browser.New(t)
	browser.FailOnPageErrors(t, ctx)
	desktop(t, ctx)
	consoleLogin(t, ctx, e, "#m=m")
	browser.Do(t, ctx,
		chromedp.WaitVisible(chromedp.CSS("#meeting-links a")),
		chromedp.Click(chromedp.CSS(`.lang-switch a[hreflang="fr"]`)),
	)
	waitThroughNavigation(t, ctx, `document.documentElement.lang === "fr" && location.hash === "#m=m" && !document.querySelector("#meeting-panel").hidden && document.querySelector("#meeting-links a") !== null`)
	for sel, want := range map[string]string{
		"#console-title":  "Console du secrétariat",
		"#meeting-links":  "Console en direct",
		"#meeting-facts":  "clôture des inscriptions",
		"#counts-state":   "En attente",
		"#filters":        "Tous les états",
		"#audit-details":  "Journal d’audit",
		"#agenda-title":   "Ordre du jour",
		"#track-tabs":     "Approbation tacite",
		"#create-details": "Créer une réunion",
	} {
		// The counts and the tracks come with their own requests, after
		// the links: each part is waited for.
		var got string
		for end := time.Now().Add(20 * time.Second); ; time.Sleep(50 * time.Millisecond) {
			got = browser.Value(t, ctx, chromedp.Evaluate[string](`document.querySelector(`+jsString(sel)+`).textContent`))
			if strings.Contains(got, want) || time.Now().After(end) {
				break
			}
		}
		if !strings.Contains(got, want) {
			t.Errorf("%s reads %q, want %q", sel, got, want)
		}
	}
}
