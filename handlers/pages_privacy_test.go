package handlers_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"rostrum/internal/browser"
	"rostrum/internal/testenv"
)

func TestSecretariatWritesTheNoticeAndTheFormShowsItAndRecordsItsVersion(t *testing.T) {
	e := testenv.New(t)
	pagesMeeting(t, e, "oewg-2019")
	ctx := browser.New(t)
	browser.FailOnPageErrors(t, ctx)
	desktop(t, ctx)
	consoleLogin(t, ctx, e, "#m=oewg-2019")
	browser.Do(t, ctx,
		chromedp.WaitVisible(chromedp.CSS("#meeting-panel")),
		chromedp.Click(chromedp.CSS("#edit-meeting-details summary")),
		chromedp.WaitVisible(chromedp.CSS("#e-notice")),
		chromedp.SetValue(chromedp.CSS("#e-notice"), "## Who keeps your data\n\nThe **secretariat**, for 30 days after the meeting. <b>not bold</b>"),
		chromedp.SetValue(chromedp.CSS("#e-retention"), "30"),
		chromedp.Click(chromedp.CSS("#edit-meeting button[type=submit]")),
		chromedp.Poll[chromedp.Void](`document.querySelector("#e-notice-version").textContent.includes("version 1")`),
	)
	var m privacyMeeting
	e.Anon().MustJSON("GET", "/api/meetings/oewg-2019", nil, 200, &m)
	if m.PrivacyNoticeVersion != 1 || m.RetentionDays != 30 {
		t.Fatalf("stored %+v", m)
	}

	// A registrant on a phone reads the notice, rendered, and agrees.
	phone(t, ctx)
	fill := func(email string) {
		browser.Do(t, ctx,
			chromedp.Navigate(e.URL+"/m/oewg-2019/register"),
			chromedp.Poll[chromedp.Void](`document.querySelector("#title").textContent.includes("Informal intersessional")`),
			chromedp.SendKeys(chromedp.CSS("#org-name"), "Kenya ICT Action Network"),
			chromedp.SetValue(chromedp.CSS("#org-type"), "ngo"),
			chromedp.SetValue(chromedp.CSS("#org-country"), "KE"),
			chromedp.SendKeys(chromedp.CSS("#name"), "Grace Mutung'u"),
			chromedp.SendKeys(chromedp.CSS("#email"), email),
			chromedp.Click(chromedp.CSS("#consent")),
		)
	}
	fill("grace@example.org")
	if h := browser.Value(t, ctx, chromedp.Text(chromedp.CSS("#privacy h2"))); h != "Who keeps your data" {
		t.Fatalf("the notice's heading reads %q", h)
	}
	if n := browser.Value(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll("#privacy b").length`)); n != 0 {
		t.Fatal("markup typed into the notice became markup on the form")
	}
	screenshot(t, ctx, "register-notice-phone")
	browser.Do(t, ctx,
		chromedp.Click(chromedp.CSS("#register button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS("#done")),
	)
	href := browser.Value(t, ctx, chromedp.Evaluate[string](`document.querySelector("#manage-link").getAttribute("href")`))
	var me struct {
		ConsentVersion int `json:"consent_version"`
	}
	e.Participant(strings.TrimPrefix(managePath(t, href), "/r/")).MustJSON("GET", "/api/participant", nil, 200, &me)
	if me.ConsentVersion != 1 {
		t.Fatalf("the registration recorded version %d, want 1", me.ConsentVersion)
	}

	// The notice changes while a form is open: agreeing to the old text
	// is refused with the reason, and focus goes back to the consent.
	fill("otieno@example.org")
	e.Admin().MustJSON("PATCH", "/api/meetings/oewg-2019", map[string]any{"privacy_notice": "## Who keeps your data\n\nThe secretariat, for 60 days."}, 200, nil)
	browser.Do(t, ctx,
		chromedp.Click(chromedp.CSS("#register button[type=submit]")),
		chromedp.Poll[chromedp.Void](`document.querySelector('.field-error[data-for="consent_version"]')?.textContent.includes("version 2")`),
	)
	screenshot(t, ctx, "register-stale-notice-phone")
	if id := browser.Value(t, ctx, chromedp.Evaluate[string](`document.activeElement.id`)); id != "consent" {
		t.Fatalf("focus on %q after a stale notice, want the consent box", id)
	}
	if !browser.Value(t, ctx, chromedp.Evaluate[bool](`document.querySelector("#done").hidden`)) {
		t.Fatal("a registration agreeing to a stale notice was taken")
	}
}

func TestParticipantDownloadsTheirDataThenErasesItAfterAConfirmationThatSaysWhatHappens(t *testing.T) {
	e := testenv.New(t)
	pagesMeeting(t, e, "oewg-2019")
	manage, id := pagesRegister(t, e, "oewg-2019", sampleRegistration("grace@example.org"))
	decide(e.Admin(), id, "approve", 200)
	ctx := browser.New(t)
	browser.FailOnPageErrors(t, ctx)
	phone(t, ctx)
	browser.Do(t, ctx,
		chromedp.Navigate(e.URL+manage),
		chromedp.WaitVisible(chromedp.CSS("#my-data")),
		// The download: fetched with the token, handed to the browser as a file.
		// What is handed to the browser as a file is caught on its way.
		chromedp.Evaluate[chromedp.Void](`window.downloaded = {}; const made = URL.createObjectURL;
			URL.createObjectURL = (b) => { b.text().then((t) => { window.downloaded.text = t; }); return made(b); };
			HTMLAnchorElement.prototype.click = function () { window.downloaded.name = this.download; }`),
		chromedp.Click(chromedp.CSS("#export-button")),
		chromedp.Poll[chromedp.Void](`window.downloaded.text !== undefined && window.downloaded.name !== undefined`),
	)
	type download struct{ Name, Text string }
	d := browser.Value(t, ctx, chromedp.Evaluate[download](`window.downloaded`))
	if d.Name != "oewg-2019-my-data.json" || !strings.Contains(d.Text, `"email": "grace@example.org"`) || !strings.Contains(d.Text, `"requests_for_the_floor"`) {
		t.Fatalf("downloaded %q: %.300s", d.Name, d.Text)
	}

	// Erasing asks first and says what it does; "No" keeps everything.
	browser.Do(t, ctx,
		chromedp.Click(chromedp.CSS("#erase-button")),
		chromedp.WaitVisible(chromedp.CSS("#confirm-erase")),
	)
	text := browser.Value(t, ctx, chromedp.Text(chromedp.CSS("#erase-text")))
	for _, want := range []string{"this link stops working for good", "seat goes to the next person on the waiting list", "cannot be undone"} {
		if !strings.Contains(text, want) {
			t.Errorf("the confirmation does not say %q: %s", want, text)
		}
	}
	screenshot(t, ctx, "participant-erase-phone")
	token := strings.TrimPrefix(manage, "/r/")
	browser.Do(t, ctx,
		chromedp.Click(chromedp.CSS(`#confirm-erase button[value="cancel"]`)),
		chromedp.WaitNotVisible(chromedp.CSS("#confirm-erase")),
	)
	e.Participant(token).MustJSON("GET", "/api/participant", nil, 200, nil)
	browser.Do(t, ctx,
		chromedp.Click(chromedp.CSS("#erase-button")),
		chromedp.WaitVisible(chromedp.CSS("#confirm-erase")),
		chromedp.Click(chromedp.CSS(`#confirm-erase button[value="erase"]`)),
		chromedp.Poll[chromedp.Void](`document.querySelector("#status").textContent.includes("erased")`),
	)
	if !browser.Value(t, ctx, chromedp.Evaluate[bool](`document.querySelector("#registration").hidden && document.querySelector("#my-data").hidden`)) {
		t.Fatal("the erased registration is still shown")
	}
	e.Participant(token).MustJSON("GET", "/api/participant", nil, 401, nil)
	// Opened again, the link says it no longer works.
	browser.Do(t, ctx,
		chromedp.Navigate(e.URL+manage),
		chromedp.Poll[chromedp.Void](`document.querySelector("#status").textContent.length > 0`),
	)
	if !browser.Value(t, ctx, chromedp.Evaluate[bool](`document.querySelector("#registration").hidden`)) {
		t.Fatal("an erased link still shows a registration")
	}
}
