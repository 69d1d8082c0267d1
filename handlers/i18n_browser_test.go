package handlers_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"rostrum/internal/browser"
	"rostrum/internal/mailtest"
	"rostrum/internal/testenv"
	"rostrum/locale"
	"rostrum/models"
)

// TestArabicPagesAreRightToLeftAndIsolateMixedNames opens the room's
// screen and a participant's page in Arabic in Chromium: the pages say
// lang="ar" dir="rtl" and lay out right to left, and an Arabic name
// beside a Latin organization keeps its own direction instead of being
// laid out as one run with it.
func TestArabicPagesAreRightToLeftAndIsolateMixedNames(t *testing.T) {
	e := testenv.New(t)
	lm := newLiveMeeting(t, e, "m")
	layla, tok := lm.participant(t, "ليلى حداد", "ngo", models.StatusApproved)
	if err := e.App.DB.Model(&models.Organization{}).Where("id = ?", layla.OrganizationID).Update("name", "Access Now").Error; err != nil {
		t.Fatal(err)
	}
	ben, _ := lm.participant(t, "Ben Okafor", "academia", models.StatusApproved)
	for _, r := range []models.Registration{ben, layla} {
		lm.mod.MustJSON("POST", lm.path("/agenda/%d/speakers", lm.items[0]), map[string]any{"registration_id": r.ID}, 201, nil)
	}
	lm.mod.MustJSON("POST", "/api/meetings/m/current", map[string]any{"item_id": lm.items[0]}, 200, nil)

	ctx := browser.New(t)
	browser.FailOnPageErrors(t, ctx)
	desktop(t, ctx)
	browser.Do(t, ctx, chromedp.Navigate(e.URL+"/m/m/screen?lang=ar"))
	liveWaitText(t, ctx, "#next", "ليلى حداد")
	liveWaitText(t, ctx, "#next-label", "المتكلمون التالون")
	type layout struct {
		Lang, Dir, Direction string
		NameTag, OrgTag      string
		NameRight            bool // the name lies wholly to the right of its organization, or above it on a line of its own
	}
	got := browser.Value(t, ctx, chromedp.Evaluate[layout](`(() => {
		const li = [...document.querySelectorAll("#next li")].find((l) => l.textContent.includes("ليلى"));
		const n = li.querySelector(".next-name"), o = li.querySelector(".next-org");
		const rn = n.getBoundingClientRect(), ro = o.getBoundingClientRect();
		return { lang: document.documentElement.lang, dir: document.documentElement.dir,
			direction: getComputedStyle(document.body).direction,
			nameTag: n.tagName, orgTag: o.tagName, nameRight: rn.left >= ro.right - 1 || (rn.top + rn.bottom) / 2 <= ro.top };
	})()`))
	if got.Lang != "ar" || got.Dir != "rtl" || got.Direction != "rtl" {
		t.Fatalf("screen: lang=%q dir=%q direction=%q", got.Lang, got.Dir, got.Direction)
	}
	if got.NameTag != "BDI" || got.OrgTag != "BDI" || !got.NameRight {
		t.Fatalf("screen: name and organization not isolated in right-to-left order: %+v", got)
	}
	screenshot(t, ctx, "screen-ar")

	// The participant's own page, in Arabic.
	browser.Do(t, ctx, chromedp.Navigate(e.URL+"/r/"+tok+"?lang=ar"))
	liveWaitText(t, ctx, "#details", "Access Now")
	liveWaitText(t, ctx, "#floor", "قائمة المتكلمين")
	type details struct {
		Dir, NameDirection, OrgDirection, State string
	}
	d := browser.Value(t, ctx, chromedp.Evaluate[details](`(() => {
		const dd = [...document.querySelectorAll("#details dd")];
		const name = dd.find((x) => x.textContent === "ليلى حداد"), org = dd.find((x) => x.textContent === "Access Now");
		return { dir: document.documentElement.dir, nameDirection: getComputedStyle(name).direction,
			orgDirection: getComputedStyle(org).direction, state: document.getElementById("state").textContent };
	})()`))
	if d.Dir != "rtl" || d.NameDirection != "rtl" || d.OrgDirection != "ltr" || d.State != "مقبول" {
		t.Fatalf("participant page: %+v", d)
	}
	screenshot(t, ctx, "participant-ar")
}

// TestRegistrationInFrenchKeepsFrenchWithTheScript registers through the
// page's script on the French form: the answer reads French, and the
// confirmation mail is French because the script sends the page's
// language.
func TestRegistrationInFrenchKeepsFrenchWithTheScript(t *testing.T) {
	srv := mailtest.Start(t)
	e := testenv.New(t, testenv.WithSMTP(srv.Host(), srv.Port()))
	pagesMeeting(t, e, "m")
	ctx := browser.New(t)
	browser.FailOnPageErrors(t, ctx)
	phone(t, ctx)
	browser.Do(t, ctx,
		chromedp.Navigate(e.URL+"/m/m/register?lang=fr"),
		chromedp.WaitVisible(chromedp.CSS("#org-name")),
		chromedp.SendKeys(chromedp.CSS("#org-name"), "Université de Genève"),
		chromedp.SetValue(chromedp.CSS("#org-type"), "academia"),
		chromedp.SetValue(chromedp.CSS("#org-country"), "CH"),
		chromedp.SendKeys(chromedp.CSS("#name"), "Léa Dubois"),
		chromedp.SendKeys(chromedp.CSS("#email"), "lea@example.org"),
		chromedp.Click(chromedp.CSS("#consent")),
		chromedp.Click(chromedp.CSS("#register button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS("#done")),
	)
	if s := browser.Value(t, ctx, chromedp.Text(chromedp.CSS("#done-status"))); !strings.EqualFold(s, "En attente") { // the badge capitalizes
		t.Fatalf("status %q, want French", s)
	}
	if c := browser.Value(t, ctx, chromedp.Evaluate[string](`document.querySelector('#org-country option[value="CH"]').textContent`)); c != "Suisse" {
		t.Fatalf("country %q, want CLDR's French name", c)
	}
	screenshot(t, ctx, "registered-fr-phone")
	if m := srv.WaitTo("lea@example.org", 1, 10*time.Second)[0]; !strings.HasPrefix(m.Subject, "Inscription reçue : ") {
		t.Fatalf("mail %q, want French", m.Subject)
	}
}

// TestTheFocalPointsPageNamesCountriesInItsLanguage: the focal point's
// page at a notice, in French and in Arabic, names its State and the
// organizations' countries in that language, though its requests carry
// the mission's token and no cookie.
func TestTheFocalPointsPageNamesCountriesInItsLanguage(t *testing.T) {
	f := newNoticeFixture(t)
	n, links := f.circulate(t, 50*time.Hour, f.alphaOrg)
	ctx := browser.New(t)
	browser.FailOnPageErrors(t, ctx)
	for _, lang := range []string{"fr", "ar"} {
		org := fmt.Sprintf(`#notice-%d li[data-org="%d"]`, n.ID, f.alphaOrg)
		browser.Do(t, ctx,
			chromedp.Navigate(fmt.Sprintf("%s/d/%s/non-objection/%d?lang=%s", f.e.URL, links["SG"], n.ID, lang)),
			chromedp.WaitVisible(chromedp.CSS(org)),
			chromedp.WaitVisible(chromedp.CSS("#delegation")),
		)
		state, kenya := locale.CountryName(lang, "SG"), locale.CountryName(lang, "KE")
		if state == "" || state == "Singapore" || kenya == "" {
			t.Fatalf("no %s names for SG and KE: %q %q", lang, state, kenya)
		}
		if got := browser.Value(t, ctx, chromedp.Text(chromedp.CSS("#title"))); !strings.Contains(got, state) {
			t.Errorf("%s: the title %q does not name %q", lang, got, state)
		}
		if got := browser.Value(t, ctx, chromedp.Text(chromedp.CSS(org))); !strings.Contains(got, kenya) {
			t.Errorf("%s: the organization reads %q, without %q", lang, got, kenya)
		}
	}
}
