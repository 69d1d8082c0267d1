package handlers_test

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"rostrum/internal/browser"
	"rostrum/internal/mailtest"
	"rostrum/internal/testenv"
)

// TestAFocalPointRegistersAndWithdrawsAMemberOnAPhone: the focal point's
// page, opened from the invitation's link on a phone, registers a member
// (accredited at once, mailed their own link) and withdraws them.
func TestAFocalPointRegistersAndWithdrawsAMemberOnAPhone(t *testing.T) {
	srv := mailtest.Start(t)
	e := testenv.New(t, testenv.WithSMTP(srv.Host(), srv.Port()))
	pagesMeeting(t, e, "oewg-2019")
	importMissions(t, e, singapore)
	tok := invite(t, e, srv, "oewg-2019", singapore)["SG"]
	ctx := browser.New(t)
	browser.FailOnPageErrors(t, ctx)
	phone(t, ctx)
	browser.Do(t, ctx,
		chromedp.Navigate(e.URL+"/d/"+tok),
		chromedp.WaitVisible(chromedp.CSS("#add")),
	)
	if h := browser.Value(t, ctx, chromedp.Text(chromedp.CSS("#title"))); h != "Delegation of Singapore" {
		t.Fatalf("heading %q, want the State's name", h)
	}
	// With nobody registered yet, the page says so once.
	if said := browser.Value(t, ctx, chromedp.Evaluate[string](`document.querySelector("#delegation").innerText`)); strings.Count(strings.ToLower(said), "registered") != 1 {
		t.Fatalf("the empty delegation reads %q", said)
	}
	browser.Do(t, ctx,
		chromedp.SendKeys(chromedp.CSS("#name"), "David Koh"),
		chromedp.SendKeys(chromedp.CSS("#email"), "david.koh@example.org"),
		chromedp.SendKeys(chromedp.CSS("#job-title"), "Chief Executive"),
		chromedp.Click(chromedp.CSS("#head")),
		chromedp.Click(chromedp.CSS("#add button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS("#members li.member")),
	)
	screenshot(t, ctx, "delegation-phone")
	row := browser.Value(t, ctx, chromedp.Text(chromedp.CSS("#members li.member")))
	if !strings.Contains(row, "David Koh") || !strings.Contains(row, "head of delegation") || !strings.Contains(strings.ToLower(row), "approved") {
		t.Fatalf("the delegation shows %q", row)
	}
	if w := browser.Value(t, ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`)); w > 360 {
		t.Fatalf("the page is %d px wide on a 360 px phone", w)
	}
	if mails := srv.WaitTo("david.koh@example.org", 1, 15*time.Second); manageLink.FindString(mails[0].Text) == "" {
		t.Fatalf("the member got no private link: %q", mails[0].Text)
	}
	// Withdrawn through the dialog, the member is shown withdrawn.
	browser.Do(t, ctx,
		chromedp.Click(chromedp.CSS(`#members button[aria-label="Withdraw David Koh"]`)),
		chromedp.WaitVisible(chromedp.CSS("#confirm-withdraw")),
		chromedp.Click(chromedp.CSS(`#confirm-withdraw button[value=withdraw]`)),
		chromedp.WaitVisible(chromedp.CSS("#members .badge.withdrawn")),
	)
}
