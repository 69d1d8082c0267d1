package handlers_test

// Accessibility of every page: axe-core (WCAG 2.0–2.2, A and AA) in
// Chromium at a desktop and a phone size, each page in the state people
// meet it in (logged in, a speaker on the floor, a queue, a draft).

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"rostrum/auth"
	"rostrum/internal/browser"
	"rostrum/internal/mailtest"
	"rostrum/internal/testenv"
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

	// A mission's focal point, and a staff member's reset link.
	importMissions(t, e, singapore)
	f.focalToken = invite(t, e, mail, "a11y", singapore)["SG"]
	if _, err := e.App.Auth.CreateUser(context.Background(), auth.NewUserInput{
		Email: "rap@example.org", Name: "Rapporteur", Role: models.RoleRapporteur, Password: testenv.Password,
	}); err != nil {
		t.Fatal(err)
	}
	f.resetToken = mailedReset(t, e, mail, admin, "rap@example.org", 1)
	return f
}

// a11yPage is a page and the condition that says it has loaded.
type a11yPage struct {
	name, path, ready string
	before            func(t *testing.T, ctx context.Context) // after loading, before axe
}

func (f *a11yFixture) pages() []a11yPage {
	return []a11yPage{
		{name: "home", path: "/", ready: `document.querySelector("#meetings li")`},
		{name: "register", path: "/m/a11y/register", ready: `document.querySelector("#title").textContent.includes("Informal")`},
		{name: "registered (no script)", path: "/m/a11y/register", ready: `document.querySelector("#title").textContent.includes("Informal")`,
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
		{name: "participant", path: "/r/" + f.rec.token, ready: `document.querySelector("#floor-connection").textContent.includes("Live")`},
		{name: "link", path: "/m/a11y/link", ready: `document.querySelector("#title").textContent !== ""`},
		{name: "reset", path: "/reset/" + f.resetToken, ready: `document.querySelector("#account").textContent.includes("rap@example.org")`},
		{name: "delegation", path: "/d/" + f.focalToken, ready: `document.querySelector("#title").textContent.includes("Singapore")`},
		{name: "screen", path: "/m/a11y/screen", ready: `document.querySelector("#speaker-name").textContent.includes("Ana")`},
		{name: "console", path: "/m/a11y/console", ready: `document.querySelector("#now-name").textContent.includes("Ana")`},
		{name: "notes", path: "/m/a11y/notes", ready: `document.querySelector("button.entry") !== null`},
		{name: "summary desk", path: "/m/a11y/summary/desk", ready: `document.querySelector("#preview h1") !== null`},
		{name: "public summary", path: "/m/a11y/summary", ready: `document.querySelector("#downloads") && !document.querySelector("#downloads").hidden`},
		{name: "admin", path: "/admin#m=a11y", ready: `document.querySelector("#regs-table tbody tr[data-id]") !== null && document.querySelector("#agenda li") !== null`},
	}
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

func TestEveryPagePassesAxeAtDesktopPhoneAndProjectorSizes(t *testing.T) {
	f := newA11yFixture(t)
	ctx := browser.New(t)
	browser.FailOnPageErrors(t, ctx)
	// One login serves every staff page (the session cookie).
	consoleLogin(t, ctx, f.e, "")
	for _, vp := range a11yViewports {
		setViewport(t, ctx, vp.width, vp.height, vp.mobile)
		for _, p := range f.pages() {
			t.Run(vp.name+"/"+p.name, func(t *testing.T) {
				browser.Do(t, ctx, chromedp.Navigate(f.e.URL+p.path))
				waitJS(t, ctx, "(() => { try { return !!("+p.ready+") } catch { return false } })()")
				if p.before != nil {
					p.before(t, ctx)
				}
				screenshot(t, ctx, fmt.Sprintf("axe-%s-%s", p.name, vp.name))
				browser.NoAxeViolations(t, ctx, p.name+" at "+vp.name+" size")
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
