package handlers_test

// The summary desk as the review tried it (issue 15 §4, findings 1, 7
// and 9): one click must not approve or mail everyone, typed text must
// not be lost, a moderator is not offered Save, and it fits a phone.

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"rostrum/auth"
	"rostrum/internal/browser"
	"rostrum/internal/mailtest"
	"rostrum/internal/testenv"
	"rostrum/models"
)

func deskState(t *testing.T, e *testenv.Env) string {
	t.Helper()
	var v versionOut
	e.Admin().MustJSON("GET", "/api/meetings/dk/summary/1", nil, 200, &v)
	return v.State
}

func TestDeskAsksBeforeApprovingAndCirculatingAndKeepsUnsavedText(t *testing.T) {
	mail := mailtest.Start(t)
	e := testenv.New(t, testenv.WithSMTP(mail.Host(), mail.Port()))
	r := seedRecordedMeeting(t, e, "dk", models.AttributionChathamHouse)
	e.Admin().MustJSON("POST", "/api/meetings/dk/summary", nil, 201, nil)
	ctx := browser.New(t)
	browser.FailOnPageErrors(t, ctx)
	desktop(t, ctx)
	consoleLogin(t, ctx, e, "")
	browser.Do(t, ctx, chromedp.Navigate(e.URL+"/m/dk/summary/desk"))
	waitJS(t, ctx, `document.querySelector('#preview h1') !== null && !document.getElementById('markdown').readOnly`)

	// Typed and not saved: leaving warns, and a reload restores the text.
	browser.Do(t, ctx, chromedp.SendKeys(chromedp.CSS("#markdown"), "Unsaved thought."))
	leaveWarns := `(() => { const ev = new Event("beforeunload", { cancelable: true }); window.dispatchEvent(ev); return ev.defaultPrevented; })()`
	if !browser.Value(t, ctx, chromedp.Evaluate[bool](leaveWarns)) {
		t.Fatal("leaving the desk with unsaved edits does not warn")
	}
	// (A reload here would stop at the warning; the same browser opening
	// the desk again is what a reload, a crash or a closed tab comes to.)
	ctx = browser.Tab(t, ctx)
	browser.FailOnPageErrors(t, ctx)
	browser.Do(t, ctx, chromedp.Navigate(e.URL+"/m/dk/summary/desk"))
	waitJS(t, ctx, `document.getElementById('markdown').value.includes('Unsaved thought.') && document.getElementById('draft-note').textContent.includes('restored')`)
	browser.Do(t, ctx, chromedp.Click(chromedp.CSS("#save")))
	waitJS(t, ctx, `document.getElementById('desk-status').textContent.includes('revision 2')`)
	if browser.Value(t, ctx, chromedp.Evaluate[bool](leaveWarns)) {
		t.Fatal("leaving warns although everything is saved")
	}
	if kept := browser.Value(t, ctx, chromedp.Evaluate[bool](`localStorage.getItem("rostrum:desk:dk:1") !== null`)); kept {
		t.Fatal("the saved text is still kept in the browser")
	}

	// Approve asks; Cancel leaves the draft a draft.
	browser.Do(t, ctx, chromedp.Click(chromedp.CSS("#approve")), chromedp.WaitVisible(chromedp.CSS("#confirm")))
	if txt := browser.Value(t, ctx, chromedp.Text(chromedp.CSS("#confirm-text"))); !strings.Contains(txt, "freezes") {
		t.Errorf("the approval asks %q", txt)
	}
	browser.Do(t, ctx, chromedp.Click(chromedp.CSS("#confirm-no")), chromedp.WaitNotVisible(chromedp.CSS("#confirm")))
	if s := deskState(t, e); s != "draft" {
		t.Fatalf("after Cancel the version is %s", s)
	}
	// Asked again at once, before the dialog's queued close event of the
	// Cancel has arrived (as a quick hand or a busy machine does it): the
	// new question is not answered by the old one's close.
	browser.Do(t, ctx, chromedp.Click(chromedp.CSS("#approve")), chromedp.WaitVisible(chromedp.CSS("#confirm")),
		chromedp.Evaluate[chromedp.Void](`document.getElementById('confirm-no').click(); document.getElementById('approve').click()`),
		chromedp.WaitVisible(chromedp.CSS("#confirm")), chromedp.Click(chromedp.CSS("#confirm-yes")))
	waitJS(t, ctx, `document.getElementById('version-h').textContent === 'Version 1 · approved'`)

	// Circulate names its consequence with the real count; Cancel mails nobody.
	browser.Do(t, ctx,
		chromedp.SendKeys(chromedp.CSS("#extra"), "press@un.example.org"),
		chromedp.Click(chromedp.CSS("#circulate")),
		chromedp.WaitVisible(chromedp.CSS("#confirm")))
	want := "This mails 3 participants and 1 other address"
	if txt := browser.Value(t, ctx, chromedp.Text(chromedp.CSS("#confirm-text"))); !strings.Contains(txt, want) || len(r.emails) != 3 {
		t.Fatalf("the circulation asks %q, want %q", txt, want)
	}
	browser.Do(t, ctx, chromedp.Click(chromedp.CSS("#confirm-no")), chromedp.WaitNotVisible(chromedp.CSS("#confirm")))
	if s := deskState(t, e); s != "approved" {
		t.Fatalf("after Cancel the version is %s", s)
	}
	browser.Do(t, ctx, chromedp.Click(chromedp.CSS("#circulate")), chromedp.WaitVisible(chromedp.CSS("#confirm")), chromedp.Click(chromedp.CSS("#confirm-yes")))
	waitJS(t, ctx, `document.getElementById('progress-text').dataset.total === '4'`)
}

func TestDeskOffersAModeratorNoSaveAndFitsAPhone(t *testing.T) {
	e := testenv.New(t)
	seedRecordedMeeting(t, e, "dk", models.AttributionChathamHouse)
	e.Admin().MustJSON("POST", "/api/meetings/dk/summary", nil, 201, nil)
	if _, err := e.App.Auth.CreateUser(context.Background(), auth.NewUserInput{
		Email: "moderator@example.org", Name: "Moderator", Role: models.RoleModerator, Password: testenv.Password,
	}); err != nil {
		t.Fatal(err)
	}
	ctx := browser.New(t)
	browser.FailOnPageErrors(t, ctx)
	browser.Do(t, ctx, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile, chromedp.EmulateTouch))
	consoleLoginAs(t, ctx, e, "", "moderator@example.org")
	browser.Do(t, ctx, chromedp.Navigate(e.URL+"/m/dk/summary/desk"))
	waitJS(t, ctx, `document.querySelector('#preview h1') !== null`)
	screenshot(t, ctx, "desk-moderator-phone")
	type offered struct {
		Visible  []string
		ReadOnly bool
		Width    int
	}
	got := browser.Value(t, ctx, chromedp.Evaluate[offered](`({
		Visible: ["build", "save", "approve", "circulate"].filter((id) => document.getElementById(id).offsetParent !== null),
		ReadOnly: document.getElementById("markdown").readOnly,
		Width: document.documentElement.scrollWidth,
	})`))
	if len(got.Visible) != 0 || !got.ReadOnly {
		t.Errorf("a moderator is offered %v (text read-only: %v)", got.Visible, got.ReadOnly)
	}
	if got.Width > 390 {
		t.Errorf("the desk is %d px wide on a 390 px phone", got.Width)
	}
}
