package handlers_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"rostrum/internal/browser"
)

// TestAFocalPointAnswersANoticeOnAPhone: the notice's link opens the
// focal point's page at the notice, on a phone; it lists the
// organizations with what they gave (type, country, website,
// description) and a countdown to the deadline; the focal point objects
// to one with a reason, and the page shows the objection as the
// mission's own while the secretariat reads it with the State named.
func TestAFocalPointAnswersANoticeOnAPhone(t *testing.T) {
	f := newNoticeFixture(t)
	n, links := f.circulate(t, 50*time.Hour, f.alphaOrg, f.betaOrg)
	ctx := browser.New(t)
	browser.FailOnPageErrors(t, ctx)
	phone(t, ctx)
	alpha := fmt.Sprintf(`#notice-%d li[data-org="%d"]`, n.ID, f.alphaOrg)
	browser.Do(t, ctx,
		chromedp.Navigate(fmt.Sprintf("%s/d/%s/non-objection/%d", f.e.URL, links["SG"], n.ID)),
		chromedp.WaitVisible(chromedp.CSS(alpha)),
	)
	card := browser.Value(t, ctx, chromedp.Text(chromedp.CSS(alpha)))
	for _, want := range []string{"Alpha Digital Rights", "Non-governmental organization", "Kenya", "https://alpha.example.org", "Defends privacy online in East Africa."} {
		if !strings.Contains(card, want) {
			t.Errorf("Alpha's entry %q lacks %q", card, want)
		}
	}
	if c := browser.Value(t, ctx, chromedp.Text(chromedp.CSS(fmt.Sprintf("#notice-%d .countdown", n.ID)))); !strings.Contains(c, "2 days 1 hour left") && !strings.Contains(c, "2 days 2 hours left") {
		t.Errorf("countdown %q, want about 2 days and 2 hours", c)
	}
	browser.Do(t, ctx,
		chromedp.Click(chromedp.CSS(alpha+" summary")),
		chromedp.SendKeys(chromedp.CSS(alpha+" textarea"), "Its activities fall outside the meeting's mandate."),
		chromedp.Click(chromedp.CSS(alpha+" button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS(alpha+" .objected")),
	)
	screenshot(t, ctx, "notice-phone")
	if got := browser.Value(t, ctx, chromedp.Text(chromedp.CSS(alpha+" .objected"))); !strings.Contains(got, "outside the meeting's mandate") {
		t.Errorf("the page shows %q as the objection", got)
	}
	if w := browser.Value(t, ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`)); w > 360 {
		t.Errorf("the page is %d px wide on a 360 px phone", w)
	}
	var sn staffNotice
	f.admin.MustJSON("GET", fmt.Sprintf("/api/meetings/m/non-objection/%d", n.ID), nil, 200, &sn)
	if len(sn.Objections) != 1 || sn.Objections[0].State != "Singapore" || sn.Objections[0].OrganizationID != f.alphaOrg {
		t.Errorf("the secretariat reads %+v", sn.Objections)
	}
}
