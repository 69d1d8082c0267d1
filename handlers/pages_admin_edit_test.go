package handlers_test

// Browser tests of editing in the secretariat console (/admin): the
// meeting, staff accounts and the reset page.

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"rostrum/auth"
	"rostrum/internal/browser"
	"rostrum/internal/mailtest"
	"rostrum/internal/testenv"
	"rostrum/models"
)

func TestSecretariatEditsTheMeetingDisablesAnAccountAndSendsAResetLinkThatSetsAPassword(t *testing.T) {
	srv := mailtest.Start(t)
	e := testenv.New(t, testenv.WithSMTP(srv.Host(), srv.Port()))
	pagesMeeting(t, e, "oewg-2019")
	pagesRegister(t, e, "oewg-2019", sampleRegistration("grace@example.org"))
	second := sampleRegistration("otieno@example.org")
	second["name"] = "Otieno Odhiambo"
	pagesRegister(t, e, "oewg-2019", second)
	for _, u := range []auth.NewUserInput{
		{Email: "mod@example.org", Name: "Moderator", Role: models.RoleModerator, Password: testenv.Password},
		{Email: "rap@example.org", Name: "Rapporteur", Role: models.RoleRapporteur, Password: testenv.Password},
	} {
		if _, err := e.App.Auth.CreateUser(context.Background(), u); err != nil {
			t.Fatal(err)
		}
	}

	ctx := browser.New(t)
	browser.FailOnPageErrors(t, ctx)
	desktop(t, ctx)
	consoleLogin(t, ctx, e, "#m=oewg-2019")

	// The title changes; seats below the two held are refused beside the field.
	browser.Do(t, ctx,
		chromedp.WaitVisible(chromedp.CSS("#meeting-panel")),
		chromedp.Click(chromedp.CSS("#edit-meeting-details summary")),
		chromedp.WaitVisible(chromedp.CSS("#e-title")),
		chromedp.SetValue(chromedp.CSS("#e-title"), "Second informal consultative meeting"),
		chromedp.Click(chromedp.CSS("#edit-meeting button[type=submit]")),
		chromedp.Poll[chromedp.Void](`document.querySelector("#meeting-title").textContent === "Second informal consultative meeting"`),
		chromedp.SetValue(chromedp.CSS("#e-capacity"), "1"),
		chromedp.Click(chromedp.CSS("#edit-meeting button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS(`.field-error[data-for="capacity"]`)),
	)
	if fe := errorBeside(t, ctx, "e-capacity"); fe.Invalid != "true" || !fe.SameField || !strings.Contains(fe.Text, "2 seats") {
		t.Fatalf("below_held not beside the seats: %+v", fe)
	}
	var m struct {
		Title    string `json:"title"`
		Capacity int    `json:"capacity"`
	}
	e.Anon().MustJSON("GET", "/api/meetings/oewg-2019", nil, 200, &m)
	if m.Title != "Second informal consultative meeting" || m.Capacity != 0 {
		t.Fatalf("meeting stored as %+v", m)
	}

	// The moderator's account is disabled from the staff list.
	mod := `#staff-table tr[data-email="mod@example.org"]`
	browser.Do(t, ctx,
		chromedp.WaitVisible(chromedp.CSS(mod)),
		chromedp.Click(chromedp.CSS(mod+` [data-act="disable"]`)),
		chromedp.Poll[chromedp.Void](`document.querySelector(`+jsString(mod)+`).textContent.includes("disabled")`),
	)
	if got := usersByEmail(t, e.Admin())["mod@example.org"]; !got.Disabled {
		t.Fatalf("the moderator is not disabled: %+v", got)
	}
	if focused := browser.Value(t, ctx, chromedp.Evaluate[string](`document.activeElement.dataset.act || ""`)); focused != "disable" {
		t.Errorf("focus went to %q, not back to the button", focused)
	}
	e.Anon().MustJSON("POST", "/api/login", map[string]string{"email": "mod@example.org", "password": testenv.Password}, 401, nil)

	// The rapporteur is sent a reset link, and sets a password with it.
	rap := `#staff-table tr[data-email="rap@example.org"]`
	browser.Do(t, ctx,
		chromedp.Click(chromedp.CSS(rap+` [data-act="reset"]`)),
		chromedp.Poll[chromedp.Void](`document.querySelector("#status").textContent.includes("on its way to rap@example.org")`),
	)
	got := resetLink.FindStringSubmatch(srv.WaitTo("rap@example.org", 1, 10*time.Second)[0].Text)
	if got == nil {
		t.Fatal("no link in the reset mail")
	}
	browser.Do(t, ctx,
		chromedp.Navigate(e.URL+"/reset/"+got[1]),
		chromedp.WaitVisible(chromedp.CSS("#reset")),
		chromedp.Poll[chromedp.Void](`document.querySelector("#account").textContent.includes("rap@example.org") && document.activeElement.id === "password"`),
		chromedp.SendKeys(chromedp.CSS("#password"), newPassword),
		chromedp.SendKeys(chromedp.CSS("#again"), "not the same"),
		chromedp.Click(chromedp.CSS("#reset button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS(`.field-error[data-for="again"]`)),
		chromedp.SetValue(chromedp.CSS("#again"), newPassword),
		chromedp.Click(chromedp.CSS("#reset button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS("#done")),
	)
	screenshot(t, ctx, "reset-done")
	e.Login("rap@example.org", newPassword)

	// The used link says so when opened again.
	browser.Do(t, ctx,
		chromedp.Navigate(e.URL+"/reset/"+got[1]),
		chromedp.Poll[chromedp.Void](`document.querySelector("#status").textContent.includes("used already")`),
	)
	if hidden := browser.Value(t, ctx, chromedp.Evaluate[bool](`document.querySelector("#reset").hidden`)); !hidden {
		t.Fatal("the form is offered for a used link")
	}
}

func TestSecretariatReordersAndEditsTheAgendaByKeyboardReadsTheAuditLogAndChangesItsPassword(t *testing.T) {
	e := testenv.New(t)
	pagesMeeting(t, e, "oewg-2019")
	e.Admin().MustJSON("POST", "/api/meetings/oewg-2019/agenda", map[string]any{"title": "International law", "speaking_time_seconds": 180}, 201, nil)
	ctx := browser.New(t)
	browser.FailOnPageErrors(t, ctx)
	desktop(t, ctx)
	consoleLogin(t, ctx, e, "#m=oewg-2019")

	// The first item moves down with the keyboard; focus follows it.
	first := `#agenda li:first-child`
	browser.Do(t, ctx,
		chromedp.WaitVisible(chromedp.CSS(first+` [data-act="down"]`)),
		chromedp.Focus(chromedp.CSS(first+` [data-act="down"]`)),
		chromedp.KeyEvent("\r"),
		chromedp.Poll[chromedp.Void](`document.querySelector("#agenda li:first-child .item-title").textContent === "International law"`),
	)
	focus := browser.Value(t, ctx, chromedp.Evaluate[string](`document.activeElement.closest("li")?.querySelector(".item-title").textContent || ""`))
	if focus != "Existing and potential threats" {
		t.Errorf("focus is on the item %q, not the one moved", focus)
	}
	var agenda struct {
		Items []struct {
			Title string `json:"title"`
		} `json:"items"`
	}
	e.Anon().MustJSON("GET", "/api/meetings/oewg-2019/agenda", nil, 200, &agenda)
	if len(agenda.Items) != 2 || agenda.Items[0].Title != "International law" {
		t.Fatalf("agenda stored as %+v", agenda.Items)
	}

	// An item is edited in place.
	browser.Do(t, ctx,
		chromedp.Click(chromedp.CSS(first+` [data-act="edit"]`)),
		chromedp.WaitVisible(chromedp.CSS(first+` input[name="title"]`)),
		chromedp.SetValue(chromedp.CSS(first+` input[name="title"]`), "International law and norms"),
		chromedp.SetValue(chromedp.CSS(first+` input[name="speaking_time_seconds"]`), "120"),
		chromedp.Click(chromedp.CSS(first+` button[type="submit"]`)),
		chromedp.Poll[chromedp.Void](`document.querySelector("#agenda li:first-child .item-title")?.textContent === "International law and norms"`),
	)

	// The audit log shows both changes, by whom.
	browser.Do(t, ctx,
		chromedp.Click(chromedp.CSS("#audit-details summary")),
		chromedp.Poll[chromedp.Void](`document.querySelector("#audit-table").getAttribute("aria-busy") === "false" && document.querySelectorAll("#audit-table tbody tr").length >= 3`),
	)
	log := browser.Value(t, ctx, chromedp.Text(chromedp.CSS("#audit-table tbody")))
	for _, want := range []string{"Agenda item edited", "Agenda reordered", "staff:" + testenv.AdminEmail, "International law and norms"} {
		if !strings.Contains(log, want) {
			t.Errorf("the audit log lacks %q:\n%s", want, log)
		}
	}

	// Changing my password: a wrong current one is refused; then it works.
	browser.Do(t, ctx,
		chromedp.Click(chromedp.CSS("#password-details summary")),
		chromedp.SendKeys(chromedp.CSS("#pw-current"), "not my password at all"),
		chromedp.SendKeys(chromedp.CSS("#pw-new"), newPassword),
		chromedp.Click(chromedp.CSS("#my-password button[type=submit]")),
		chromedp.Poll[chromedp.Void](`document.querySelector("#status").textContent.includes("current password is wrong") && document.activeElement.id === "pw-current"`),
		chromedp.SetValue(chromedp.CSS("#pw-current"), testenv.Password),
		chromedp.Click(chromedp.CSS("#my-password button[type=submit]")),
		chromedp.Poll[chromedp.Void](`document.querySelector("#status").textContent.includes("Your password is changed")`),
	)
	e.Login(testenv.AdminEmail, newPassword)
}
