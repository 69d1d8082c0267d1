package handlers_test

// Browser tests of the registration pages: a real server (testenv) and
// Debian's headless Chromium, driven the way people use the pages. Set
// ROSTRUM_SCREENSHOTS=<dir> to keep a screenshot of each page at phone
// and desktop width.

import (
	"context"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"rostrum/auth"
	"rostrum/internal/browser"
	"rostrum/internal/testenv"
)

// pagesMeeting creates an open meeting with one agenda item.
func pagesMeeting(t *testing.T, e *testenv.Env, slug string) {
	t.Helper()
	now := time.Now().UTC()
	admin := e.Admin()
	admin.MustJSON("POST", "/api/meetings", map[string]any{
		"slug": slug, "title": "Informal intersessional consultative meeting",
		"venue": "UN Headquarters, Conference Room 1", "timezone": "America/New_York",
		"starts_at":              now.Add(72 * time.Hour).Format(time.RFC3339),
		"ends_at":                now.Add(120 * time.Hour).Format(time.RFC3339),
		"registration_closes_at": now.Add(48 * time.Hour).Format(time.RFC3339),
		"attribution":            "chatham_house",
	}, 201, nil)
	admin.MustJSON("POST", "/api/meetings/"+slug+"/agenda", map[string]any{
		"title": "Existing and potential threats", "speaking_time_seconds": 180,
	}, 201, nil)
}

// pagesRegister registers through the API and returns the manage path
// (/r/<token>) and the registration's id.
func pagesRegister(t *testing.T, e *testenv.Env, slug string, reg map[string]any) (string, uint) {
	t.Helper()
	var out struct {
		ID        uint   `json:"id"`
		Status    string `json:"status"`
		ManageURL string `json:"manage_url"`
	}
	e.Anon().MustJSON("POST", "/api/meetings/"+slug+"/registrations", reg, 201, &out)
	return managePath(t, out.ManageURL), out.ID
}

// managePath is the path of a manage URL: the server's public URL in
// tests is not the test listener's address.
func managePath(t *testing.T, manageURL string) string {
	t.Helper()
	u, err := url.Parse(manageURL)
	if err != nil || !strings.HasPrefix(u.Path, "/r/") {
		t.Fatalf("manage_url %q is not a /r/<token> link", manageURL)
	}
	return u.Path
}

func sampleRegistration(email string) map[string]any {
	return map[string]any{
		"organization": map[string]any{
			"name": "Kenya ICT Action Network", "acronym": "KICTANet", "type": "ngo",
			"country": "KE", "website": "https://www.kictanet.or.ke", "ecosoc_status": "special",
		},
		"name": "Grace Mutung'u", "email": email, "job_title": "Policy lead", "consent": true,
	}
}

// watchPage fails the test if the page in ctx throws an uncaught
// exception or breaks the Content-Security-Policy (an inline script or
// style), from now until the test ends.
func watchPage(t *testing.T, ctx context.Context) {
	t.Helper()
	msgs := chromedp.Console(ctx)
	var mu sync.Mutex
	var bad []string
	go func() {
		for m, err := range msgs {
			if err != nil {
				return
			}
			if m.IsException() || m.Source == "security" {
				mu.Lock()
				bad = append(bad, m.String())
				mu.Unlock()
			}
		}
	}()
	t.Cleanup(func() {
		mu.Lock()
		defer mu.Unlock()
		for _, m := range bad {
			t.Errorf("page error: %s", m)
		}
	})
}

func phone(t *testing.T, ctx context.Context) {
	browser.Do(t, ctx, chromedp.EmulateViewport(360, 740, chromedp.EmulateMobile, chromedp.EmulateTouch))
}

func desktop(t *testing.T, ctx context.Context) {
	browser.Do(t, ctx, chromedp.EmulateViewport(1280, 900))
}

// screenshot keeps a full-page PNG under $ROSTRUM_SCREENSHOTS, if set.
func screenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	dir := os.Getenv("ROSTRUM_SCREENSHOTS")
	if dir == "" {
		return
	}
	png := browser.Value(t, ctx, chromedp.FullScreenshot(100))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
		t.Fatal(err)
	}
}

// fieldError describes the error shown for one input.
type fieldError struct {
	Invalid   string `json:"invalid"`   // its aria-invalid
	Text      string `json:"text"`      // the message its aria-describedby points at
	SameField bool   `json:"sameField"` // the message sits in the input's own .field
}

func errorBeside(t *testing.T, ctx context.Context, inputID string) fieldError {
	t.Helper()
	return browser.Value(t, ctx, chromedp.Evaluate[fieldError](`(() => {
		const i = document.getElementById(`+jsString(inputID)+`);
		const ids = (i.getAttribute("aria-describedby") || "").split(/\s+/);
		const e = ids.map((id) => document.getElementById(id)).find((n) => n && n.classList.contains("field-error"));
		return { invalid: i.getAttribute("aria-invalid") || "", text: e ? e.textContent : "",
			sameField: !!e && e.closest(".field") === i.closest(".field") };
	})()`))
}

func jsString(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`).Replace(s) + `"`
}

func TestRegisterOnAPhoneThenApproveInTheConsoleAndSeeItOnTheParticipantPage(t *testing.T) {
	e := testenv.New(t)
	pagesMeeting(t, e, "oewg-2019")
	ctx := browser.New(t)
	watchPage(t, ctx)

	// The form on a phone: a bad email and no consent are shown beside
	// their fields.
	phone(t, ctx)
	browser.Do(t, ctx,
		chromedp.Navigate(e.URL+"/m/oewg-2019/register"),
		chromedp.Poll[chromedp.Void](`document.querySelector("#title").textContent.includes("Informal intersessional")`),
		chromedp.SendKeys(chromedp.CSS("#org-name"), "Kenya ICT Action Network"),
		chromedp.SendKeys(chromedp.CSS("#org-acronym"), "KICTANet"),
		chromedp.SetValue(chromedp.CSS("#org-type"), "ngo"),
		chromedp.SetValue(chromedp.CSS("#org-country"), "KE"),
		chromedp.SendKeys(chromedp.CSS("#name"), "Grace Mutung'u"),
		chromedp.SendKeys(chromedp.CSS("#email"), "grace.example.org"),
	)
	screenshot(t, ctx, "register-phone")
	browser.Do(t, ctx,
		chromedp.Click(chromedp.CSS("#register button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS(`.field-error[data-for="email"]`)),
	)
	screenshot(t, ctx, "register-errors-phone")
	if fe := errorBeside(t, ctx, "email"); fe.Invalid != "true" || fe.Text == "" || !fe.SameField {
		t.Fatalf("email error not shown beside the email field: %+v", fe)
	}
	if fe := errorBeside(t, ctx, "consent"); fe.Invalid != "true" || fe.Text == "" || !fe.SameField {
		t.Fatalf("consent error not shown beside the consent box: %+v", fe)
	}
	if fe := errorBeside(t, ctx, "org-name"); fe.Invalid != "" || fe.Text != "" {
		t.Fatalf("a valid field is marked invalid: %+v", fe)
	}
	if focused := browser.Value(t, ctx, chromedp.Evaluate[string](`document.activeElement.id`)); focused != "email" {
		t.Fatalf("focus after the errors is on %q, want the first invalid field", focused)
	}
	// The form fits the phone: nothing wider than the viewport.
	if w := browser.Value(t, ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`)); w > 360 {
		t.Fatalf("the form is %d px wide on a 360 px phone", w)
	}

	// Corrected, it registers and shows the manage link and the status.
	browser.Do(t, ctx,
		chromedp.SetValue(chromedp.CSS("#email"), "grace@example.org"),
		chromedp.Click(chromedp.CSS("#consent")),
		chromedp.Click(chromedp.CSS("#register button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS("#done")),
	)
	screenshot(t, ctx, "registered-phone")
	if got := browser.Value(t, ctx, chromedp.Text(chromedp.CSS("#done-status"))); !strings.EqualFold(got, "pending") {
		t.Fatalf("status after registering %q, want pending", got)
	}
	if n := browser.Value(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll(".field-error").length`)); n != 0 {
		t.Fatalf("%d field errors still shown after success", n)
	}
	href := browser.Value(t, ctx, chromedp.Evaluate[string](`document.querySelector("#manage-link").href`))
	manage := managePath(t, href)
	if text := browser.Value(t, ctx, chromedp.Text(chromedp.CSS("#manage-link"))); text != href {
		t.Fatalf("manage link text %q, want the link itself %q", text, href)
	}

	// The participant page says pending.
	browser.Do(t, ctx,
		chromedp.Navigate(e.URL+manage),
		chromedp.WaitVisible(chromedp.CSS("#state .badge.pending")),
	)
	screenshot(t, ctx, "participant-pending-phone")

	// The secretariat logs in on a desktop, finds the registration and
	// approves it with a reason.
	admin := browser.Tab(t, ctx)
	watchPage(t, admin)
	desktop(t, admin)
	browser.Do(t, admin,
		chromedp.Navigate(e.URL+"/admin"),
		chromedp.WaitVisible(chromedp.CSS("#login-email")),
	)
	screenshot(t, admin, "admin-login-desktop")
	browser.Do(t, admin,
		chromedp.SendKeys(chromedp.CSS("#login-email"), testenv.AdminEmail),
		chromedp.SendKeys(chromedp.CSS("#login-password"), testenv.Password),
		chromedp.Click(chromedp.CSS("#login button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS(`#meetings-table a[href="#m=oewg-2019"]`)),
		chromedp.Click(chromedp.CSS(`#meetings-table a[href="#m=oewg-2019"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#regs-table tbody tr[data-id]`)),
	)
	rowSel := `#regs-table tbody tr[data-id]`
	if name := browser.Value(t, admin, chromedp.Text(chromedp.CSS(rowSel+" th"))); !strings.Contains(name, "Grace Mutung'u") {
		t.Fatalf("console row shows %q", name)
	}
	if n := browser.Value(t, admin, chromedp.Text(chromedp.CSS(`#counts-state li:first-child b`))); n != "1" {
		t.Fatalf("pending count %q, want 1", n)
	}
	screenshot(t, admin, "admin-console-desktop")
	// Escape closes the decision dialog and gives focus back to its button.
	browser.Do(t, admin,
		chromedp.Click(chromedp.CSS(rowSel+` button[data-decision="approve"]`)),
		chromedp.WaitVisible(chromedp.CSS("#d-reason")),
		chromedp.KeyEvent(kb.Escape),
		chromedp.WaitNotVisible(chromedp.CSS("#decide")),
	)
	if d := browser.Value(t, admin, chromedp.Evaluate[string](`document.activeElement.dataset.decision || document.activeElement.tagName`)); d != "approve" {
		t.Fatalf("focus after Escape is on %s, want the Approve button", d)
	}
	browser.Do(t, admin,
		chromedp.Click(chromedp.CSS(rowSel+` button[data-decision="approve"]`)),
		chromedp.WaitVisible(chromedp.CSS("#d-reason")),
		chromedp.SendKeys(chromedp.CSS("#d-reason"), "Welcome; accreditation confirmed."),
	)
	screenshot(t, admin, "admin-decision-desktop")
	browser.Do(t, admin,
		chromedp.Click(chromedp.CSS("#decide-submit")),
		chromedp.WaitVisible(chromedp.CSS(rowSel+" .badge.approved")),
	)
	if msg := browser.Value(t, admin, chromedp.Text(chromedp.CSS("#status"))); !strings.Contains(msg, "approved") {
		t.Fatalf("status message after approving: %q", msg)
	}
	if focused := browser.Value(t, admin, chromedp.Evaluate[string](`document.activeElement.closest("tr[data-id]") ? "row" : document.activeElement.tagName`)); focused != "row" {
		t.Fatalf("focus after the decision is on %s, want the row decided on", focused)
	}
	browser.Do(t, admin, chromedp.EmulateViewport(360, 740, chromedp.EmulateMobile))
	screenshot(t, admin, "admin-console-phone")

	// The participant page now says approved, with the reason. (A fresh
	// tab: a background tab is not laid out, so nothing in it is visible.)
	ctx = browser.Tab(t, ctx)
	watchPage(t, ctx)
	desktop(t, ctx)
	browser.Do(t, ctx,
		chromedp.Navigate(e.URL+manage),
		chromedp.WaitVisible(chromedp.CSS("#state .badge.approved")),
	)
	if reason := browser.Value(t, ctx, chromedp.Text(chromedp.CSS("#reason"))); reason != "Welcome; accreditation confirmed." {
		t.Fatalf("reason on the participant page %q", reason)
	}
	screenshot(t, ctx, "participant-approved-desktop")
	if n := browser.Value(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll("section#floor[aria-label]").length`)); n != 1 {
		t.Fatal("the participant page lost its #floor section for the live list")
	}
}

func TestTextTypedIntoRegistrationFieldsIsShownAsTextNotMarkup(t *testing.T) {
	e := testenv.New(t)
	pagesMeeting(t, e, "xss")
	reg := sampleRegistration("mallory@example.org")
	reg["name"] = "<script>alert(1)</script>"
	reg["job_title"] = `<img src="x" onerror="window.pwned=1">`
	reg["organization"].(map[string]any)["name"] = "<b>x</b>"
	reg["organization"].(map[string]any)["acronym"] = "<i>y</i>"
	manage, id := pagesRegister(t, e, "xss", reg)

	// No element may come from the text; the text must be there, as typed.
	const noMarkup = `(() => {
		const root = document.querySelector(ROOT);
		const made = root.querySelectorAll("script, b, i, img").length;
		return { made, text: root.textContent, pwned: !!window.pwned };
	})()`
	type check struct {
		Made  int    `json:"made"`
		Text  string `json:"text"`
		Pwned bool   `json:"pwned"`
	}
	assertText := func(where string, c check) {
		t.Helper()
		if c.Made != 0 || c.Pwned {
			t.Fatalf("%s: typed HTML became elements (%d made, script ran: %v)", where, c.Made, c.Pwned)
		}
		for _, want := range []string{"<script>alert(1)</script>", "<b>x</b>", "<i>y</i>", `<img src="x" onerror="window.pwned=1">`} {
			if !strings.Contains(c.Text, want) {
				t.Fatalf("%s: %q is not shown as text in %q", where, want, c.Text)
			}
		}
	}

	ctx := browser.New(t)
	watchPage(t, ctx)
	browser.Do(t, ctx,
		chromedp.Navigate(e.URL+manage),
		chromedp.WaitVisible(chromedp.CSS("#details dd")),
	)
	screenshot(t, ctx, "participant-xss-desktop")
	assertText("participant page", browser.Value(t, ctx, chromedp.Evaluate[check](strings.Replace(noMarkup, "ROOT", jsString("#registration"), 1))))

	consoleLogin(t, ctx, e, "#m=xss")
	browser.Do(t, ctx, chromedp.WaitVisible(chromedp.CSS(`#regs-table tr[data-id="`+strconv.FormatUint(uint64(id), 10)+`"]`)))
	screenshot(t, ctx, "admin-xss-desktop")
	assertText("secretariat table", browser.Value(t, ctx, chromedp.Evaluate[check](strings.Replace(noMarkup, "ROOT", jsString("#regs-table"), 1))))
}

func TestHomePageListsOpenMeetingsWithTheirRegistrationLink(t *testing.T) {
	e := testenv.New(t)
	pagesMeeting(t, e, "oewg-2019")
	ctx := browser.New(t)
	watchPage(t, ctx)
	for _, size := range []string{"phone", "desktop"} {
		if size == "phone" {
			phone(t, ctx)
		} else {
			desktop(t, ctx)
		}
		browser.Do(t, ctx,
			chromedp.Navigate(e.URL+"/"),
			chromedp.WaitVisible(chromedp.CSS(`#meetings a[href="/m/oewg-2019/register"]`)),
		)
		screenshot(t, ctx, "home-"+size)
	}
	browser.Do(t, ctx,
		chromedp.Click(chromedp.CSS(`#meetings a[href="/m/oewg-2019/register"]`)),
		chromedp.WaitVisible(chromedp.CSS("#org-name")),
	)
	if loc := browser.Value(t, ctx, chromedp.Location()); loc != e.URL+"/m/oewg-2019/register" {
		t.Fatalf("the register link led to %s", loc)
	}
	screenshot(t, ctx, "register-desktop")
}

// consoleLogin opens /admin<fragment> in ctx and logs in as the admin.
func consoleLogin(t *testing.T, ctx context.Context, e *testenv.Env, fragment string) {
	t.Helper()
	consoleLoginAs(t, ctx, e, fragment, testenv.AdminEmail)
}

func consoleLoginAs(t *testing.T, ctx context.Context, e *testenv.Env, fragment, email string) {
	t.Helper()
	browser.Do(t, ctx,
		chromedp.Navigate(e.URL+"/admin"+fragment),
		chromedp.WaitVisible(chromedp.CSS("#login-email")),
		chromedp.SendKeys(chromedp.CSS("#login-email"), email),
		chromedp.SendKeys(chromedp.CSS("#login-password"), testenv.Password),
		chromedp.Click(chromedp.CSS("#login button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS("#console")),
	)
}

func TestSecretariatCreatesAMeetingAndItsAgendaInTheConsole(t *testing.T) {
	e := testenv.New(t)
	ctx := browser.New(t)
	watchPage(t, ctx)
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

func TestParticipantEditsTheirNameAndWithdrawsAfterConfirming(t *testing.T) {
	e := testenv.New(t)
	pagesMeeting(t, e, "oewg-2019")
	manage, _ := pagesRegister(t, e, "oewg-2019", sampleRegistration("grace@example.org"))
	ctx := browser.New(t)
	watchPage(t, ctx)
	phone(t, ctx)
	browser.Do(t, ctx,
		chromedp.Navigate(e.URL+manage),
		chromedp.WaitVisible(chromedp.CSS("#state .badge.pending")),
		chromedp.Click(chromedp.CSS("#edit-button")),
		chromedp.WaitVisible(chromedp.CSS("#edit #name")),
	)
	if v := browser.Value(t, ctx, chromedp.Value(chromedp.CSS("#edit #name"))); v != "Grace Mutung'u" {
		t.Fatalf("edit form starts with name %q", v)
	}
	// An empty name is refused beside the field; a new one is saved.
	browser.Do(t, ctx,
		chromedp.Evaluate[chromedp.Void](`document.querySelector("#edit #name").value = ""`),
		chromedp.Click(chromedp.CSS("#edit button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS(`#edit .field-error[data-for="name"]`)),
		chromedp.SetValue(chromedp.CSS("#edit #name"), "Grace W. Mutung'u"),
		chromedp.Click(chromedp.CSS("#edit button[type=submit]")),
		chromedp.WaitNotVisible(chromedp.CSS("#edit")),
	)
	if got := browser.Value(t, ctx, chromedp.Text(chromedp.CSS("#details dd"))); got != "Grace W. Mutung'u" {
		t.Fatalf("name after saving %q", got)
	}
	var me struct {
		Name   string `json:"name"`
		Status string `json:"status"`
	}
	e.Participant(strings.TrimPrefix(manage, "/r/")).MustJSON("GET", "/api/participant", nil, 200, &me)
	if me.Name != "Grace W. Mutung'u" {
		t.Fatalf("stored name %q", me.Name)
	}

	// Withdrawing asks first; "No" keeps the registration.
	browser.Do(t, ctx,
		chromedp.Click(chromedp.CSS("#withdraw-button")),
		chromedp.WaitVisible(chromedp.CSS("#confirm-withdraw")),
	)
	screenshot(t, ctx, "participant-withdraw-phone")
	browser.Do(t, ctx,
		chromedp.Click(chromedp.CSS(`#confirm-withdraw button[value="cancel"]`)),
		chromedp.WaitNotVisible(chromedp.CSS("#confirm-withdraw")),
	)
	e.Participant(strings.TrimPrefix(manage, "/r/")).MustJSON("GET", "/api/participant", nil, 200, &me)
	if me.Status != "pending" {
		t.Fatalf("cancelling the withdrawal left status %q", me.Status)
	}
	browser.Do(t, ctx,
		chromedp.Click(chromedp.CSS("#withdraw-button")),
		chromedp.WaitVisible(chromedp.CSS("#confirm-withdraw")),
		chromedp.Click(chromedp.CSS(`#confirm-withdraw button[value="withdraw"]`)),
		chromedp.WaitVisible(chromedp.CSS("#state .badge.withdrawn")),
		chromedp.WaitNotVisible(chromedp.CSS("#withdraw-button")),
	)
	e.Participant(strings.TrimPrefix(manage, "/r/")).MustJSON("GET", "/api/participant", nil, 200, &me)
	if me.Status != "withdrawn" {
		t.Fatalf("status after withdrawing %q", me.Status)
	}
}

func TestRegistrationFormWorksWithoutJavaScript(t *testing.T) {
	e := testenv.New(t)
	pagesMeeting(t, e, "oewg-2019")
	form := url.Values{
		"org_name": {"Universidad de Chile"}, "org_type": {"academia"}, "org_country": {"CL"},
		"org_ecosoc_status": {"none"}, "name": {"Ana <b>Pérez</b>"}, "email": {"ana@example.org"},
	}
	post := func() *testenv.Response {
		return e.Anon().DoHeaders("POST", "/m/oewg-2019/register", form.Encode(), map[string]string{
			"Content-Type": "application/x-www-form-urlencoded", "Accept": "text/html",
		})
	}

	// Without consent: an HTML page naming the field, nothing stored.
	res := post()
	body := string(res.Body)
	if res.Status != 422 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("form without consent: %d %s", res.Status, res.Header.Get("Content-Type"))
	}
	if !strings.Contains(body, "Privacy consent") || !strings.Contains(body, `href="/m/oewg-2019/register"`) {
		t.Fatalf("error page does not name the consent field or link back:\n%s", body)
	}

	// With consent: the manage link and the status; the name is stored as typed.
	form.Set("consent", "true")
	res = post()
	body = string(res.Body)
	if res.Status != 201 {
		t.Fatalf("form with consent: %d\n%s", res.Status, body)
	}
	if !strings.Contains(body, "/r/") || !strings.Contains(body, `badge pending`) {
		t.Fatalf("confirmation page lacks the manage link or status:\n%s", body)
	}
	var list struct {
		Registrations []struct {
			Name string `json:"name"`
		} `json:"registrations"`
	}
	e.Admin().MustJSON("GET", "/api/meetings/oewg-2019/registrations", nil, 200, &list)
	if len(list.Registrations) != 1 || list.Registrations[0].Name != "Ana <b>Pérez</b>" {
		t.Fatalf("stored registrations %+v", list.Registrations)
	}
}

func TestRegistrationFormWorksInABrowserWithScriptsOff(t *testing.T) {
	e := testenv.New(t)
	pagesMeeting(t, e, "oewg-2019")
	ctx := browser.New(t)
	watchPage(t, ctx)
	phone(t, ctx)
	if _, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
		t.Fatal(err)
	}
	browser.Do(t, ctx,
		chromedp.Navigate(e.URL+"/m/oewg-2019/register"),
		chromedp.WaitVisible(chromedp.CSS("#org-name")),
		chromedp.SendKeys(chromedp.CSS("#org-name"), "Universidad de Chile"),
		chromedp.SetValue(chromedp.CSS("#org-type"), "academia"),
		chromedp.SetValue(chromedp.CSS("#org-country"), "CL"),
		chromedp.SendKeys(chromedp.CSS("#name"), "Ana Pérez"),
		chromedp.SendKeys(chromedp.CSS("#email"), "ana@example.org"),
		chromedp.Click(chromedp.CSS("#consent")),
	)
	// The page's module did not run: the heading is still the shell's.
	if h := browser.Value(t, ctx, chromedp.Text(chromedp.CSS("#title"))); h != "Register for the meeting" {
		t.Fatalf("scripts ran: heading %q", h)
	}
	browser.Do(t, ctx,
		chromedp.Click(chromedp.CSS("#register button[type=submit]")),
		chromedp.WaitNotPresent(chromedp.CSS("#register")),
		chromedp.WaitVisible(chromedp.CSS("main .badge.pending")),
	)
	screenshot(t, ctx, "registered-noscript-phone")
	href := browser.Value(t, ctx, chromedp.AttributeValue(chromedp.CSS("main a.mono"), "href"))
	managePath(t, href.Value)
	if loc := browser.Value(t, ctx, chromedp.Location()); loc != e.URL+"/m/oewg-2019/register" {
		t.Fatalf("the form posted to %s, want its own address", loc)
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
	watchPage(t, ctx)
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
		chromedp.Poll[chromedp.Void](`document.querySelectorAll("#regs-table tbody tr[data-id]").length === 1`),
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
			const rows = document.querySelectorAll("#regs-table tbody tr[data-id]");
			return rows.length === 1 && rows[0].textContent.includes("Otieno Odhiambo");
		})()`),
	)

	// All pending, all selected, approved at once.
	browser.Do(t, ctx,
		chromedp.Evaluate[chromedp.Void](`document.querySelector("#f-q").value = ""`),
		chromedp.SetValue(chromedp.CSS("#f-status"), "pending"),
		chromedp.Click(chromedp.CSS("#filters button[type=submit]")),
		chromedp.Poll[chromedp.Void](`document.querySelectorAll("#regs-table tbody tr[data-id]").length === 3`),
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
	watchPage(t, ctx)
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
