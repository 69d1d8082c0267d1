package handlers_test

import (
	"fmt"
	"os"
	"path/filepath"
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
	// The browser writes the time left in the page's language (Intl.RelativeTimeFormat).
	if c := browser.Value(t, ctx, chromedp.Text(chromedp.CSS(fmt.Sprintf("#notice-%d .countdown", n.ID)))); !strings.Contains(c, "in 2 days") {
		t.Errorf("countdown %q, want in 2 days", c)
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

// TestTheConsoleShowsTracksAsTabsAndNoticesWithTheirObjections: the
// secretariat's registration list has a tab per track (ECOSOC,
// non-objection, delegations), each keeping its registrations; on the
// non-objection tab it circulates the selected registrations'
// organizations, and the notice shows its countdown and, once a State has
// objected, the objection with the State named.
func TestTheConsoleShowsTracksAsTabsAndNoticesWithTheirObjections(t *testing.T) {
	f := newNoticeFixture(t)
	mustRegister(t, f.e, "m", orgRegistration("Gamma Listed Foundation", "general", "Gia Gamma", "gia@gamma.example.org"))
	importECOSOC(t, f.admin, "name,status,year\nGamma Listed Foundation,general,1999\n", 200)
	f.e.Participant(f.focal["SG"]).MustJSON("POST", "/api/delegation/members", map[string]any{"name": "David Koh", "email": "david.koh@example.org"}, 201, nil)

	ctx := browser.New(t)
	browser.FailOnPageErrors(t, ctx)
	desktop(t, ctx)
	consoleLogin(t, ctx, f.e, "#m=m")
	names := func() string {
		return browser.Value(t, ctx, chromedp.Evaluate[string](`[...document.querySelectorAll("#regs-table tbody tr[data-id] th")].map((th) => th.firstChild.textContent).sort().join(",")`))
	}
	waitList := func(want string) {
		t.Helper()
		end := time.Now().Add(15 * time.Second)
		for names() != want || browser.Value(t, ctx, chromedp.Evaluate[string](`document.querySelector("#regs-table").getAttribute("aria-busy")`)) != "false" {
			if time.Now().After(end) {
				t.Fatalf("the list shows %q, want %q", names(), want)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	waitList("Ana Alpha,Ben Beta,David Koh,Gia Gamma")
	for _, tab := range [][2]string{{"#tab-ecosoc", "Gia Gamma"}, {"#tab-delegation", "David Koh"}, {"#tab-non-objection", "Ana Alpha,Ben Beta"}} {
		browser.Do(t, ctx, chromedp.Click(chromedp.CSS(tab[0])))
		waitList(tab[1])
	}
	if sel := browser.Value(t, ctx, chromedp.Evaluate[string](`document.querySelector("#tab-non-objection").getAttribute("aria-selected")`)); sel != "true" {
		t.Errorf("the chosen tab is not marked selected: %q", sel)
	}
	// Circulate Alpha, then Singapore objects (through the API).
	browser.Do(t, ctx,
		chromedp.WaitVisible(chromedp.CSS("#notice-form")),
		chromedp.Click(chromedp.CSS(fmt.Sprintf(`#regs-table td.pick input[value="%d"]`, f.alpha.ID))),
		chromedp.SetValue(chromedp.CSS("#notice-deadline"), time.Now().Add(72*time.Hour).Format("2006-01-02T15:04")),
		chromedp.Click(chromedp.CSS("#notice-form button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS("#notice-list .notice-item .countdown")),
	)
	if c := browser.Value(t, ctx, chromedp.Text(chromedp.CSS("#notice-list .countdown"))); !strings.Contains(c, "days") {
		t.Errorf("countdown %q", c)
	}
	var l struct{ Notices []staffNotice }
	f.admin.MustJSON("GET", "/api/meetings/m/non-objection", nil, 200, &l)
	if len(l.Notices) != 1 || len(l.Notices[0].Organizations) != 1 || l.Notices[0].Organizations[0].ID != f.alphaOrg {
		t.Fatalf("notices %+v, want one of Alpha", l.Notices)
	}
	f.e.Participant(f.focal["SG"]).MustJSON("POST", fmt.Sprintf("/api/non-objection/%d/objections", l.Notices[0].ID),
		map[string]any{"organization_id": f.alphaOrg, "reason": "Outside the mandate."}, 201, nil)
	browser.Do(t, ctx,
		chromedp.Click(chromedp.CSS("#tab-non-objection")),
		chromedp.WaitVisible(chromedp.CSS("#notice-list .objections li")),
	)
	screenshot(t, ctx, "console-notices")
	if o := browser.Value(t, ctx, chromedp.Text(chromedp.CSS("#notice-list .objections li"))); !strings.Contains(o, "Singapore") || !strings.Contains(o, "Outside the mandate.") {
		t.Errorf("the objection reads %q", o)
	}
}

// TestTheSecretariatImportsTheECOSOCListFromTheConsole: on the ECOSOC
// tab the secretariat uploads the list's CSV file; the page reports what
// was matched and left aside, and the listed organization's registration
// moves to the tab.
func TestTheSecretariatImportsTheECOSOCListFromTheConsole(t *testing.T) {
	f := newNoticeFixture(t)
	file := filepath.Join(t.TempDir(), "ecosoc.csv")
	if err := os.WriteFile(file, []byte("name,status,year\nBeta  labs,special,2011\nAlpha Digital Rîghts,general,1999\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx := browser.New(t)
	browser.FailOnPageErrors(t, ctx)
	desktop(t, ctx)
	consoleLogin(t, ctx, f.e, "#m=m")
	browser.Do(t, ctx,
		chromedp.WaitVisible(chromedp.CSS("#regs-table tbody tr[data-id]")),
		chromedp.Click(chromedp.CSS("#tab-ecosoc")),
		chromedp.WaitVisible(chromedp.CSS("#ecosoc-form")),
		chromedp.SetUploadFiles(chromedp.CSS("#ecosoc-file"), []string{file}),
		chromedp.Click(chromedp.CSS("#ecosoc-form button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS("#ecosoc-report p")),
	)
	report := browser.Value(t, ctx, chromedp.Text(chromedp.CSS("#ecosoc-report")))
	if !strings.Contains(report, "1 matched") || !strings.Contains(report, "Alpha Digital Rîghts") || !strings.Contains(report, "Alpha Digital Rights") {
		t.Errorf("report %q, want Beta matched and Alpha's near-miss left aside with its record", report)
	}
	browser.Do(t, ctx, chromedp.WaitVisible(chromedp.CSS(fmt.Sprintf(`#regs-table tr[data-id="%d"]`, f.beta.ID))))
	if n := browser.Value(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll("#regs-table tbody tr[data-id]").length`)); n != 1 {
		t.Errorf("the ECOSOC tab lists %d registrations, want Beta's alone", n)
	}
}
