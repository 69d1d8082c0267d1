package handlers_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"rostrum/internal/browser"
	"rostrum/internal/testenv"
	"rostrum/models"
)

// prefillToken asks for a pre-fill link to meeting slug for addr and
// reads its token from the mail waiting in the outbox (no mail server is
// set).
func prefillToken(t *testing.T, e *testenv.Env, slug, addr string) string {
	t.Helper()
	e.Anon().MustJSON("POST", "/api/meetings/"+slug+"/prefill", map[string]string{"email": addr}, 202, nil)
	var msg models.OutboxMessage
	if err := e.App.DB.Where("kind = ? AND to_addr = ?", "registration_prefill", addr).Order("id DESC").First(&msg).Error; err != nil {
		t.Fatal(err)
	}
	got := prefillLink.FindStringSubmatch(msg.Text)
	if got == nil {
		t.Fatalf("no link in:\n%s", msg.Text)
	}
	return got[2]
}

// TestPrefillLinkFillsTheRegistrationFormInTheBrowser: the mailed link
// opens the next session's form on a phone filled in with the
// organization and job title of the earlier registration, takes the
// token off the address, and the representative completes and sends it.
// Opened again, the link says it was used.
func TestPrefillLinkFillsTheRegistrationFormInTheBrowser(t *testing.T) {
	e := testenv.New(t)
	prefillProcess(t, e)
	token := prefillToken(t, e, "second", "ana@example.org")
	ctx := browser.New(t)
	browser.FailOnPageErrors(t, ctx)
	phone(t, ctx)
	browser.Do(t, ctx,
		chromedp.Navigate(e.URL+"/m/second/register#prefill="+token),
		chromedp.Poll[chromedp.Void](`document.querySelector("#org-name").value !== ""`),
	)
	screenshot(t, ctx, "register-prefilled-phone")
	values := browser.Value(t, ctx, chromedp.Evaluate[map[string]string](`({
		name: document.querySelector("#org-name").value, type: document.querySelector("#org-type").value,
		country: document.querySelector("#org-country").value, website: document.querySelector("#org-website").value,
		job: document.querySelector("#job-title").value, email: document.querySelector("#email").value,
		status: document.querySelector("#status").textContent, href: location.href,
		prefillShown: String(!document.querySelector("#prefill").hidden)})`))
	want := map[string]string{"name": "Kenya ICT Action Network", "type": "ngo", "country": "KE",
		"website": "https://www.kictanet.or.ke", "job": "Policy lead", "email": "ana@example.org", "prefillShown": "true"}
	for k, v := range want {
		if values[k] != v {
			t.Errorf("%s = %q, want %q", k, values[k], v)
		}
	}
	if strings.Contains(values["href"], token) {
		t.Errorf("the token stays in the address: %s", values["href"])
	}
	if !strings.Contains(values["status"], "Filled in from your registration") {
		t.Errorf("status %q", values["status"])
	}
	browser.Do(t, ctx,
		chromedp.SendKeys(chromedp.CSS("#name"), "Ana Example"),
		chromedp.Click(chromedp.CSS("#consent")),
		chromedp.Click(chromedp.CSS("#register button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS("#done")),
	)
	var regs []models.Registration
	e.App.DB.Preload("Organization").Where("email = ?", "ana@example.org").Order("id").Find(&regs)
	if len(regs) != 2 || regs[1].OrganizationID != regs[0].OrganizationID || regs[1].JobTitle != "Policy lead" {
		t.Fatalf("registrations after the pre-filled form: %+v", regs)
	}

	// The link worked once. (From another page: on the form itself, a new
	// fragment would not load the page again.)
	browser.Do(t, ctx,
		chromedp.Navigate(e.URL+"/p/oewg"),
		chromedp.Navigate(e.URL+"/m/second/register#prefill="+token),
		chromedp.Poll[chromedp.Void](`document.querySelector("#status").textContent.includes("used already")`),
	)
	if v := browser.Value(t, ctx, chromedp.Value(chromedp.CSS("#org-name"))); v != "" {
		t.Fatalf("a used link filled the form: %q", v)
	}
}

// TestProcessPageListsTheMeetingsWithDatesInTheirZoneAndSummaries: /p/{slug}
// shows each meeting's kind, its dates in its own zone (named), and a
// link to its circulated summary.
func TestProcessPageListsTheMeetingsWithDatesInTheirZoneAndSummaries(t *testing.T) {
	e := testenv.New(t)
	admin := e.Admin()
	admin.MustJSON("POST", "/api/processes", map[string]string{"slug": "oewg", "title": "Open-ended Working Group on ICTs", "acronym": "OEWG"}, 201, nil)
	processMeeting(t, e, "informal", "oewg", "intersessional", "2029-12-02", "America/New_York")
	processMeeting(t, e, "geneva", "oewg", "substantive_session", "2030-03-30", "Europe/Zurich")
	admin.MustJSON("POST", "/api/meetings/informal/summary", nil, 201, nil)
	admin.MustJSON("POST", "/api/meetings/informal/summary/1/approve", nil, 200, nil)
	admin.MustJSON("POST", "/api/meetings/informal/summary/1/circulate", map[string]any{"extra": []string{"chair@example.org"}}, 202, nil)

	ctx := browser.New(t)
	browser.FailOnPageErrors(t, ctx)
	phone(t, ctx)
	browser.Do(t, ctx,
		chromedp.Navigate(e.URL+"/p/oewg"),
		chromedp.Poll[chromedp.Void](`document.querySelectorAll("#meetings > li").length === 2`),
	)
	screenshot(t, ctx, "process-phone")
	items := browser.Value(t, ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll("#meetings > li")].map((li) => li.textContent)`))
	if !strings.Contains(items[0], "Intersessional meeting") || !strings.Contains(items[0], "New York time") || !strings.Contains(items[0], "Chair's summary") {
		t.Errorf("first meeting: %q", items[0])
	}
	if !strings.Contains(items[1], "Substantive session") || !strings.Contains(items[1], "Geneva time") || !strings.Contains(items[1], "Not circulated yet") {
		t.Errorf("second meeting: %q", items[1])
	}
	if href := browser.Value(t, ctx, chromedp.Evaluate[string](`document.querySelector("#meetings a[href$='/summary']").getAttribute("href")`)); href != "/m/informal/summary" {
		t.Errorf("summary link %q", href)
	}
	if title := browser.Value(t, ctx, chromedp.Text(chromedp.CSS("h1"))); title != "Open-ended Working Group on ICTs" {
		t.Errorf("heading %q", title)
	}
	if w := browser.Value(t, ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`)); w > 360 {
		t.Fatalf("the page is %d px wide on a 360 px phone", w)
	}
}

// TestProcessPageLinksEachMeetingsPublishedDocumentsAndNotTheUnpublished:
// on a phone, /p/{slug} lists under the meeting its published document by
// title (a link to the file, which downloads) and symbol; the unpublished
// one is nowhere on the page; a meeting with none says so.
func TestProcessPageLinksEachMeetingsPublishedDocumentsAndNotTheUnpublished(t *testing.T) {
	e := testenv.New(t)
	admin := e.Admin()
	admin.MustJSON("POST", "/api/processes", map[string]string{"slug": "oewg", "title": "Open-ended Working Group on ICTs"}, 201, nil)
	processMeeting(t, e, "informal", "oewg", "intersessional", "2029-12-02", "America/New_York")
	processMeeting(t, e, "geneva", "oewg", "substantive_session", "2030-03-30", "Europe/Zurich")
	upload := func(title, symbol string) documentView {
		t.Helper()
		res := admin.Upload("informal", map[string]string{"title": title, "symbol": symbol, "language": "en"}, "paper.pdf", testenv.TinyPDF)
		if res.Status != 201 {
			t.Fatalf("upload %q: %d %s", title, res.Status, res.Body)
		}
		var d documentView
		res.Decode(t, &d)
		return d
	}
	published := upload("Programme of work", "A/AC.290/2020/INF/2")
	upload("Draft structure of the report", "A/AC.290/2020/CRP.9")
	admin.MustJSON("POST", fmt.Sprintf("/api/meetings/informal/documents/%d/publish", published.ID), nil, 200, nil)

	ctx := browser.New(t)
	browser.FailOnPageErrors(t, ctx)
	phone(t, ctx)
	browser.Do(t, ctx,
		chromedp.Navigate(e.URL+"/p/oewg"),
		chromedp.Poll[chromedp.Void](`document.querySelectorAll("#meetings > li").length === 2`),
	)
	screenshot(t, ctx, "process-documents-phone")
	type link struct{ Text, Href, Item string }
	links := browser.Value(t, ctx, chromedp.Evaluate[[]link](`[...document.querySelectorAll("#meetings > li")[0].querySelectorAll("ul.documents a")]
		.map((a) => ({text: a.textContent, href: a.getAttribute("href"), item: a.closest("li").textContent}))`))
	want := fmt.Sprintf("/api/meetings/informal/documents/%d/file", published.ID)
	if len(links) != 1 || links[0].Text != "Programme of work" || links[0].Href != want || !strings.Contains(links[0].Item, "A/AC.290/2020/INF/2") {
		t.Fatalf("the first meeting's document links: %+v, want one to %s with its symbol", links, want)
	}
	page := browser.Value(t, ctx, chromedp.Text(chromedp.CSS("main")))
	if strings.Contains(page, "Draft structure") || strings.Contains(page, "CRP.9") {
		t.Errorf("the unpublished document shows on the public page:\n%s", page)
	}
	second := browser.Value(t, ctx, chromedp.Evaluate[string](`document.querySelectorAll("#meetings > li")[1].textContent`))
	if !strings.Contains(second, "None published yet") {
		t.Errorf("the meeting without documents reads %q", second)
	}
	// The link gives the file itself.
	if res := e.Anon().Do("GET", links[0].Href, nil); res.Status != 200 || !bytes.Equal(res.Body, testenv.TinyPDF) {
		t.Errorf("the link's file: %d", res.Status)
	}
	if w := browser.Value(t, ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`)); w > 360 {
		t.Fatalf("the page is %d px wide on a 360 px phone", w)
	}
}

// TestSecretariatCreatesAProcessAndPutsAMeetingInItFromTheConsole: in
// /admin the secretariat creates a process, then edits a meeting's
// process, kind, body and acronym; the meeting's panel then links to the
// process's page.
func TestSecretariatCreatesAProcessAndPutsAMeetingInItFromTheConsole(t *testing.T) {
	e := testenv.New(t)
	pagesMeeting(t, e, "informal")
	ctx := browser.New(t)
	browser.FailOnPageErrors(t, ctx)
	desktop(t, ctx)
	consoleLogin(t, ctx, e, "#m=informal")
	browser.Do(t, ctx,
		chromedp.WaitVisible(chromedp.CSS("#meeting-panel")),
		chromedp.Click(chromedp.CSS("#create-process-details summary")),
		chromedp.SendKeys(chromedp.CSS("#p-title"), oewgBody),
		chromedp.SendKeys(chromedp.CSS("#p-acronym"), "OEWG"),
		chromedp.SendKeys(chromedp.CSS("#p-slug"), "oewg-ict"),
		chromedp.Click(chromedp.CSS("#create-process button[type=submit]")),
		chromedp.Poll[chromedp.Void](`document.querySelector("#processes a[href='/p/oewg-ict']") !== null`),
		chromedp.Click(chromedp.CSS("#edit-meeting-details summary")),
		chromedp.WaitVisible(chromedp.CSS("#e-process")),
		chromedp.SendKeys(chromedp.CSS("#e-process"), "oewg-ict"),
		chromedp.SetValue(chromedp.CSS("#e-kind"), "intersessional"),
		chromedp.SendKeys(chromedp.CSS("#e-body"), oewgBody),
		chromedp.SendKeys(chromedp.CSS("#e-body-acronym"), "OEWG"),
		chromedp.Click(chromedp.CSS("#edit-meeting button[type=submit]")),
		chromedp.Poll[chromedp.Void](`document.querySelector("#meeting-links a[href='/p/oewg-ict']") !== null`),
	)
	screenshot(t, ctx, "admin-process")
	var m struct {
		Process, Kind, Body string
		BodyAcronym         string `json:"body_acronym"`
	}
	e.Anon().MustJSON("GET", "/api/meetings/informal", nil, 200, &m)
	if m.Process != "oewg-ict" || m.Kind != "intersessional" || m.Body != oewgBody || m.BodyAcronym != "OEWG" {
		t.Fatalf("meeting stored as %+v", m)
	}
	// An unknown process is refused beside its field.
	browser.Do(t, ctx,
		chromedp.SetValue(chromedp.CSS("#e-process"), "no-such-process"),
		chromedp.Click(chromedp.CSS("#edit-meeting button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS(`.field-error[data-for="process"]`)),
	)
	if fe := errorBeside(t, ctx, "e-process"); fe.Invalid != "true" || !fe.SameField {
		t.Fatalf("the unknown process's error is not beside its field: %+v", fe)
	}
}
