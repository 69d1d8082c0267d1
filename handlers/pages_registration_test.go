package handlers_test

// Browser tests of the public pages: the meetings, the registration form
// (with and without JavaScript) and the participant's page.

import (
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"rostrum/internal/browser"
	"rostrum/internal/testenv"
)

func TestRegisterOnAPhoneThenApproveInTheConsoleAndSeeItOnTheParticipantPage(t *testing.T) {
	e := testenv.New(t)
	pagesMeeting(t, e, "oewg-2019")
	ctx := browser.New(t)
	browser.FailOnPageErrors(t, ctx)

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
	browser.FailOnPageErrors(t, admin)
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
	browser.FailOnPageErrors(t, ctx)
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
	browser.FailOnPageErrors(t, ctx)
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
	browser.FailOnPageErrors(t, ctx)
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

func TestParticipantEditsTheirNameAndWithdrawsAfterConfirming(t *testing.T) {
	e := testenv.New(t)
	pagesMeeting(t, e, "oewg-2019")
	manage, _ := pagesRegister(t, e, "oewg-2019", sampleRegistration("grace@example.org"))
	ctx := browser.New(t)
	browser.FailOnPageErrors(t, ctx)
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
	browser.FailOnPageErrors(t, ctx)
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
	// The server wrote the meeting into the page: no script needed.
	if h := browser.Value(t, ctx, chromedp.Text(chromedp.CSS("#title"))); h != "Register for Informal intersessional consultative meeting" {
		t.Fatalf("heading %q", h)
	}
	browser.Do(t, ctx,
		chromedp.Click(chromedp.CSS("#register button[type=submit]")),
		chromedp.WaitNotPresent(chromedp.CSS("#register")),
		chromedp.WaitVisible(chromedp.CSS("main .badge.pending")),
	)
	screenshot(t, ctx, "registered-noscript-phone")
	if m := browser.Value(t, ctx, chromedp.Text(chromedp.CSS(".site-meeting"))); m != "Informal intersessional consultative meeting" {
		t.Fatalf("the no-script answer names the meeting %q", m)
	}
	href := browser.Value(t, ctx, chromedp.AttributeValue(chromedp.CSS("main a.mono"), "href"))
	managePath(t, href.Value)
	if loc := browser.Value(t, ctx, chromedp.Location()); loc != e.URL+"/m/oewg-2019/register" {
		t.Fatalf("the form posted to %s, want its own address", loc)
	}
}
