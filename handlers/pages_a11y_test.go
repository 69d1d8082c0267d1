package handlers_test

// Accessibility of every page: axe-core (WCAG 2.0–2.2, A and AA) in
// Chromium at a desktop and a phone size, each page in the state people
// meet it in (logged in, a speaker on the floor, a queue, a draft).

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"rostrum/auth"
	"rostrum/internal/browser"
	"rostrum/internal/mailtest"
	"rostrum/internal/testenv"
	"rostrum/locale"
	"rostrum/models"
)

// a11yFixture is a meeting in session with something on every page.
type a11yFixture struct {
	e           *testenv.Env
	mail        *mailtest.Server
	slug        string
	rec         recorded
	items       []uint
	focalToken  string
	noticePath  string // a focal point's page at one notice
	resetToken  string
	speakerRegs []uint // registration ids: Ana, Kenji, Eve
}

func newA11yFixture(t *testing.T) *a11yFixture {
	t.Helper()
	mail := mailtest.Start(t)
	e := testenv.New(t, testenv.WithSMTP(mail.Host(), mail.Port()))
	f := &a11yFixture{e: e, mail: mail, slug: "a11y"}
	f.rec = seedRecordedMeeting(t, e, f.slug, models.AttributionChathamHouse)
	admin := e.Admin()

	// A circulated summary for the public page, then a new draft for the desk.
	admin.MustJSON("POST", "/api/meetings/a11y/summary", nil, 201, nil)
	admin.MustJSON("POST", "/api/meetings/a11y/summary/1/approve", nil, 200, nil)
	admin.MustJSON("POST", "/api/meetings/a11y/summary/1/circulate", map[string]any{"extra": []string{}}, 202, nil)
	admin.MustJSON("POST", "/api/meetings/a11y/summary", nil, 201, nil)

	// The live list: Ana speaks on the second item, Kenji waits, Eve
	// raises a point of order.
	var agenda struct {
		Items []models.AgendaItem `json:"items"`
	}
	e.Anon().MustJSON("GET", "/api/meetings/a11y/agenda", nil, 200, &agenda)
	for _, it := range agenda.Items {
		f.items = append(f.items, it.ID)
	}
	for _, email := range f.rec.emails {
		var reg models.Registration
		if err := e.App.DB.Where("email = ?", email).First(&reg).Error; err != nil {
			t.Fatal(err)
		}
		f.speakerRegs = append(f.speakerRegs, reg.ID)
	}
	mod := e.Staff(models.RoleModerator)
	item := f.items[1]
	mod.MustJSON("POST", "/api/meetings/a11y/current", map[string]any{"item_id": item}, 200, nil)
	for i, kind := range []string{"statement", "statement", "point_of_order"} {
		mod.MustJSON("POST", fmt.Sprintf("/api/meetings/a11y/agenda/%d/speakers", item),
			map[string]any{"registration_id": f.speakerRegs[i], "kind": kind}, 201, nil)
	}
	var first uint
	e.App.DB.Table("speaker_entries").Where("registration_id = ? AND state = ?", f.speakerRegs[0], "waiting").Pluck("id", &first)
	mod.MustJSON("POST", fmt.Sprintf("/api/meetings/a11y/agenda/%d/speakers/%d/start", item, first), nil, 200, nil)

	// A notice of non-objection open on another meeting ("m": Singapore
	// and Kenya invited), read at its link by Singapore's focal point;
	// the same mission is invited to this meeting too.
	nf := noticeFixtureOn(t, e, mail)
	n, links := nf.circulate(t, 50*time.Hour, nf.alphaOrg, nf.betaOrg)
	f.noticePath = fmt.Sprintf("/d/%s/non-objection/%d", links["SG"], n.ID)
	f.focalToken = invite(t, e, mail, "a11y", singapore)["SG"]

	// A published document in the library, and a process with a meeting.
	d := uploadDocument(t, admin, "a11y", "Chair's letter of 31 December", "letter.docx", minimalDOCX(t, true))
	admin.MustJSON("POST", fmt.Sprintf("/api/meetings/a11y/documents/%d/publish", d.ID), nil, 200, nil)
	admin.MustJSON("POST", "/api/processes", map[string]string{"slug": "oewg", "title": "OEWG on ICTs", "acronym": "OEWG"}, 201, nil)
	processMeeting(t, e, "oewg-1", "oewg", "substantive_session", "2030-02-10", "America/New_York")

	// A staff member's reset link.
	if _, err := e.App.Auth.CreateUser(context.Background(), auth.NewUserInput{
		Email: "rap@example.org", Name: "Rapporteur", Role: models.RoleRapporteur, Password: testenv.Password,
	}); err != nil {
		t.Fatal(err)
	}
	f.resetToken = mailedReset(t, e, mail, admin, "rap@example.org", 1)
	return f
}

// a11yPage is a page and the condition that says it has loaded.
// Translated pages are tried in each of a11yLanguages (their conditions
// hold in every language); the staff's pages (staff: in the staff's
// catalogues) in staffA11yLanguages, the others in English.
type a11yPage struct {
	name, path, ready string
	translated, staff bool
	before            func(t *testing.T, ctx context.Context) // after loading, before axe
}

// a11yLanguages are the languages translated pages are tried in: the
// one they were written in, a longer Latin one, a right-to-left one.
var a11yLanguages = []string{"en", "fr", "ar"}

// staffA11yLanguages are the staff's: English and the longer French.
var staffA11yLanguages = []string{"en", "fr"}

// a11yLanguagesOf are the languages page p is tried in.
func a11yLanguagesOf(p a11yPage) []string {
	switch {
	case p.translated:
		return a11yLanguages
	case p.staff:
		return staffA11yLanguages
	}
	return []string{"en"}
}

func (f *a11yFixture) pages() []a11yPage {
	return []a11yPage{
		{name: "home", path: "/", translated: true, ready: `document.querySelector("#meetings li")`},
		{name: "register", path: "/m/a11y/register", translated: true, ready: `document.querySelector("#title").textContent.includes("Informal")`},
		{name: "registered (no script)", path: "/m/a11y/register", translated: true, ready: `document.querySelector("#title").textContent.includes("Informal")`,
			before: func(t *testing.T, ctx context.Context) {
				// form.submit() skips the page's submit handler: the form posts itself,
				// as it does without JavaScript.
				browser.Do(t, ctx,
					chromedp.SendKeys(chromedp.CSS("#org-name"), "Access Now"),
					chromedp.SetValue(chromedp.CSS("#org-type"), "ngo"),
					chromedp.SetValue(chromedp.CSS("#org-country"), "US"),
					chromedp.SendKeys(chromedp.CSS("#name"), "Peter Micek"),
					chromedp.SendKeys(chromedp.CSS("#email"), fmt.Sprintf("peter.%d@example.org", time.Now().UnixNano())),
					chromedp.Click(chromedp.CSS("#consent")),
					chromedp.Evaluate[chromedp.Void](`setTimeout(() => document.querySelector("#register").submit(), 0)`),
				)
				waitThroughNavigation(t, ctx, `document.readyState === "complete" && location.pathname.endsWith("/register") && !document.querySelector("#register")`)
			}},
		{name: "programme", path: "/m/a11y/programme", translated: true, ready: `document.querySelector("#programme li")`},
		{name: "organizations", path: "/m/a11y/organizations", translated: true, ready: `document.querySelector("#organizations tbody tr")`},
		{name: "participant", path: "/r/" + f.rec.token, translated: true, ready: `document.querySelector("#floor-connection").dataset.status === "live"`},
		{name: "link", path: "/m/a11y/link", translated: true, ready: `document.querySelector("#title").textContent !== ""`},
		{name: "delegation", path: "/d/" + f.focalToken, translated: true, ready: `!document.querySelector("#delegation").hidden`},
		{name: "notice", path: f.noticePath, translated: true, ready: `document.querySelector("#notice-list li[data-org]")`},
		{name: "screen", path: "/m/a11y/screen", translated: true, ready: `document.querySelector("#speaker-name").textContent.includes("Ana")`},
		{name: "public summary", path: "/m/a11y/summary", translated: true, ready: `document.querySelector("#downloads") && !document.querySelector("#downloads").hidden`},
		{name: "process", path: "/p/oewg", translated: true, ready: `document.querySelector("#meetings li")`},
		{name: "documents", path: "/m/a11y/documents", translated: true, ready: `!document.querySelector("#documents").hidden && document.querySelector("#documents tbody tr")`},
		{name: "reset", path: "/reset/" + f.resetToken, staff: true, ready: `document.querySelector("#account").textContent.includes("rap@example.org")`},
		{name: "console", path: "/m/a11y/console", staff: true, ready: `document.querySelector("#now-name").textContent.includes("Ana")`},
		{name: "notes", path: "/m/a11y/notes", staff: true, ready: `document.querySelector("button.entry") !== null`},
		{name: "summary desk", path: "/m/a11y/summary/desk", staff: true, ready: `document.querySelector("#preview h1") !== null`},
		{name: "check-in", path: "/m/a11y/checkin", staff: true, ready: `!document.querySelector("#door").hidden && /\d/.test(document.querySelector("#door-count").textContent)`,
			before: func(t *testing.T, ctx context.Context) {
				// The registrar has searched: the results are on the page.
				browser.Do(t, ctx,
					chromedp.SendKeys(chromedp.CSS("#q"), "Kenji"+kb.Enter),
				)
				waitJS(t, ctx, `document.querySelector("#results li") !== null`)
			}},
		{name: "admin", path: "/admin#m=a11y", staff: true, ready: `document.querySelector("#regs-table tbody tr[data-id]") !== null && document.querySelector("#agenda li") !== null`},
	}
}

// withLang puts ?lang=code into path, before its fragment.
func withLang(path, code string) string {
	frag := ""
	if i := strings.IndexByte(path, '#'); i >= 0 {
		path, frag = path[:i], path[i:]
	}
	sep := "?"
	if strings.Contains(path, "?") {
		sep = "&"
	}
	return path + sep + "lang=" + code + frag
}

// a11yViewports are the sizes the review tried: a laptop, a phone and
// the room's projector.
var a11yViewports = []struct {
	name          string
	width, height int64
	mobile        bool
}{
	{"desktop", 1366, 768, false},
	{"phone", 390, 844, true},
	{"projector", 1920, 1080, false},
}

func setViewport(t *testing.T, ctx context.Context, width, height int64, mobile bool) {
	t.Helper()
	if mobile {
		browser.Do(t, ctx, chromedp.EmulateViewport(width, height, chromedp.EmulateMobile, chromedp.EmulateTouch))
	} else {
		browser.Do(t, ctx, chromedp.EmulateViewport(width, height))
	}
}

// TestEveryPagePassesAxeAtDesktopPhoneAndProjectorSizes: every page,
// in the state people meet it in, at the three sizes; the translated
// ones in English, French and Arabic. One browser, one tab per size.
func TestEveryPagePassesAxeAtDesktopPhoneAndProjectorSizes(t *testing.T) {
	f := newA11yFixture(t)
	ctx := browser.New(t)
	// One login serves every staff page (the session cookie).
	consoleLogin(t, ctx, f.e, "")
	for _, vp := range a11yViewports {
		tab := browser.Tab(t, ctx)
		browser.FailOnPageErrors(t, tab)
		setViewport(t, tab, vp.width, vp.height, vp.mobile)
		for _, p := range f.pages() {
			for _, lang := range a11yLanguagesOf(p) {
				t.Run(vp.name+"/"+p.name+"/"+lang, func(t *testing.T) {
					loadA11yPage(t, tab, f, p, lang)
					screenshot(t, tab, fmt.Sprintf("axe-%s-%s-%s", strings.ReplaceAll(p.name, " ", "-"), lang, vp.name))
					browser.NoAxeViolations(t, tab, p.name+" in "+lang+" at "+vp.name+" size")
				})
			}
		}
	}
}

// loadA11yPage opens p in lang (?lang= also keeps the choice for the
// pages that follow, as the switch does) and waits until it has loaded.
func loadA11yPage(t *testing.T, ctx context.Context, f *a11yFixture, p a11yPage, lang string) {
	t.Helper()
	browser.Do(t, ctx, chromedp.Navigate(f.e.URL+withLang(p.path, lang)))
	waitJS(t, ctx, "(() => { try { return !!("+p.ready+") } catch { return false } })()")
	if p.before != nil {
		p.before(t, ctx)
	}
}

// pageFit is a page's language, direction and width as Chromium lays it out.
type pageFit struct {
	Lang        string   `json:"lang"`
	Dir         string   `json:"dir"`
	Direction   string   `json:"direction"`
	ScrollWidth int      `json:"scrollWidth"`
	InnerWidth  int      `json:"innerWidth"`
	Wide        []string `json:"wide"`     // what reaches past the edge
	Squeezed    []string `json:"squeezed"` // values (dd) narrower than 96 px
}

// TestTranslatedPagesAreRightToLeftInArabicAndFitAPhoneInEveryLanguage:
// each translated page in Arabic says dir="rtl" and lays its text out
// right to left; in every language but English (the staff's pages in
// French), at 390 px, nothing makes the page wider than the phone, and no
// value of a list of details is squeezed to a few letters a line.
func TestTranslatedPagesAreRightToLeftInArabicAndFitAPhoneInEveryLanguage(t *testing.T) {
	f := newA11yFixture(t)
	ctx := browser.New(t)
	// The staff's pages are met logged in, as in the axe test.
	consoleLogin(t, ctx, f.e, "")
	browser.FailOnPageErrors(t, ctx)
	setViewport(t, ctx, 390, 844, true)
	for _, p := range f.pages() {
		langs := a11yLanguagesOf(p)
		if p.translated {
			// Every language of the translated pages: Spanish and Russian
			// have long words, Chinese none of the spaces lines break at.
			langs = locale.Codes
		}
		for _, lang := range langs {
			if lang == "en" {
				continue
			}
			t.Run(p.name+"/"+lang, func(t *testing.T) {
				loadA11yPage(t, ctx, f, p, lang)
				got := browser.Value(t, ctx, chromedp.Evaluate[pageFit](`(() => {
					const de = document.documentElement;
					// The elements that reach past the phone's edge, to say what overflows.
					const wide = [...document.body.querySelectorAll("*")].filter((n) => {
						const r = n.getBoundingClientRect();
						return r.width > 0 && (r.right > 391 || r.left < -1);
					}).slice(0, 5).map((n) => n.tagName.toLowerCase() + (n.id ? "#" + n.id : "") + (n.className && typeof n.className === "string" ? "." + n.className.split(" ").join(".") : ""));
					// Values and row headings squeezed to a few letters a line (another column too wide).
					const squeezed = [...document.querySelectorAll("dd, tbody th[scope=row]")].filter((d) => d.textContent.trim() !== "" && d.getBoundingClientRect().width < 96)
						.map((d) => d.textContent.trim().slice(0, 40));
					return { lang: de.lang, dir: de.dir, direction: getComputedStyle(document.body).direction,
						scrollWidth: de.scrollWidth, innerWidth, wide, squeezed };
				})()`))
				if got.Lang != lang {
					t.Errorf("<html lang=%q>, want %q", got.Lang, lang)
				}
				want := "ltr"
				if lang == "ar" {
					want = "rtl"
				}
				if got.Dir != want || got.Direction != want {
					t.Errorf("<html dir=%q>, the body's direction %q; want %s", got.Dir, got.Direction, want)
				}
				// Against 390, not innerWidth alone: a phone widens its layout
				// viewport (and innerWidth) to fit a page too wide for it.
				if got.ScrollWidth > got.InnerWidth || got.ScrollWidth > 390 {
					t.Errorf("the page is %d px wide on a 390 px phone; past its edge: %v", got.ScrollWidth, got.Wide)
				}
				if len(got.Squeezed) > 0 {
					t.Errorf("values squeezed to a few letters a line at 390 px: %q", got.Squeezed)
				}
				screenshot(t, ctx, fmt.Sprintf("fit-%s-%s-phone", strings.ReplaceAll(p.name, " ", "-"), lang))
			})
		}
	}
}

// waitThroughNavigation waits until expr is true in ctx's page while the
// page may be navigating (each check then fails until the new one loads).
func waitThroughNavigation(t *testing.T, ctx context.Context, expr string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		cctx, cancel := context.WithTimeout(ctx, 2*time.Second)
		ok, err := chromedp.Run(cctx, chromedp.Poll[bool](expr, chromedp.WithPollingInterval(50*time.Millisecond)))
		cancel()
		if err == nil && ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("never true: %s (%v)", expr, err)
		}
	}
}
