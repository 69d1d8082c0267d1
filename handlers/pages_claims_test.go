package handlers_test

// Browser tests of what finding 3 and 7 of the security review (issue
// 11) put on the pages: the registrant's claim beside the organization
// record in the console, and a new name that waits for the secretariat.

import (
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"rostrum/internal/browser"
	"rostrum/internal/testenv"
)

type claimRow struct {
	Field   string `json:"field"`
	Claimed string `json:"claimed"`
	Record  string `json:"record"`
}

func TestConsoleShowsTheClaimBesideTheRecordAndLetsTheSecretariatAcceptANewName(t *testing.T) {
	e := testenv.New(t)
	pagesMeeting(t, e, "oewg-2019")
	admin := e.Admin()
	first := sampleRegistration("grace@example.org")
	first["organization"] = map[string]any{"name": "Kenya ICT Action Network", "acronym": "KICTANet", "type": "ngo", "country": "KE", "ecosoc_status": "none"}
	graceManage, graceID := pagesRegister(t, e, "oewg-2019", first)
	later := sampleRegistration("otieno@example.org")
	later["name"] = "Otieno Odhiambo"
	later["organization"] = map[string]any{"name": "KENYA ICT ACTION NETWORK", "acronym": "KICTANet", "type": "ngo", "country": "KE",
		"website": "https://kictanet.example.net/login", "ecosoc_status": "general"}
	_, otienoID := pagesRegister(t, e, "oewg-2019", later)
	decide(admin, graceID, "approve", 200)
	e.Participant(strings.TrimPrefix(graceManage, "/r/")).MustJSON("PUT", "/api/participant",
		map[string]string{"name": "MEETING SUSPENDED, PLEASE LEAVE THE ROOM"}, 200, nil)

	ctx := browser.New(t)
	browser.FailOnPageErrors(t, ctx)
	desktop(t, ctx)
	consoleLogin(t, ctx, e, "#m=oewg-2019")
	otienoRow := `#regs-table tr[data-id="` + strconv.FormatUint(uint64(otienoID), 10) + `"]`
	graceRow := `#regs-table tr[data-id="` + strconv.FormatUint(uint64(graceID), 10) + `"]`
	browser.Do(t, ctx, chromedp.WaitVisible(chromedp.CSS(otienoRow+" table.claim")))
	screenshot(t, ctx, "admin-claims-desktop")

	// The later registrant's claim, beside the record it did not change.
	rows := browser.Value(t, ctx, chromedp.Evaluate[[]claimRow](`[...document.querySelectorAll(`+jsString(otienoRow+" table.claim tbody tr")+`)].map((tr) => ({
		field: tr.dataset.field, claimed: tr.querySelector(".claimed").textContent, record: tr.querySelector(".record").textContent }))`))
	want := []claimRow{
		{"website", "https://kictanet.example.net/login", "—"},
		{"ecosoc_status", "General consultative status", "None"},
	}
	if len(rows) != len(want) || rows[0] != want[0] || rows[1] != want[1] {
		t.Fatalf("claim rows %+v, want %+v", rows, want)
	}
	if n := browser.Value(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll(`+jsString(graceRow+" table.claim")+`).length`)); n != 0 {
		t.Fatalf("a claim that matches the record is shown as differing")
	}

	// The waiting name is shown beside the approved one; the filter finds it.
	browser.Do(t, ctx,
		chromedp.SetValue(chromedp.CSS("#f-name-change"), "pending"),
		chromedp.Click(chromedp.CSS("#filters button[type=submit]")),
		chromedp.Poll[chromedp.Void](`document.querySelector("#regs-table").getAttribute("aria-busy") === "false" && document.querySelectorAll("#regs-table tbody tr[data-id]").length === 1`),
	)
	if got := browser.Value(t, ctx, chromedp.Text(chromedp.CSS(graceRow+" .name-change"))); !strings.Contains(got, "MEETING SUSPENDED, PLEASE LEAVE THE ROOM") {
		t.Fatalf("the waiting name shows as %q", got)
	}
	if got := browser.Value(t, ctx, chromedp.Evaluate[string](`document.querySelector(`+jsString(graceRow+" th")+`).firstChild.textContent`)); got != "Grace Mutung'u" {
		t.Fatalf("the row names %q", got)
	}

	// Refused from the console: the name stays and the request is gone.
	browser.Do(t, ctx,
		chromedp.Click(chromedp.CSS(graceRow+` button[data-name-change="refuse"]`)),
		chromedp.Poll[chromedp.Void](`document.querySelector("#status").textContent.includes("refused")`),
		chromedp.Poll[chromedp.Void](`document.querySelector("#regs-table").getAttribute("aria-busy") === "false" && document.querySelectorAll("#regs-table tbody tr[data-id]").length === 0`),
	)
	var v nameView
	e.Participant(strings.TrimPrefix(graceManage, "/r/")).MustJSON("GET", "/api/participant", nil, 200, &v)
	if v.Name != "Grace Mutung'u" || v.PendingName != "" {
		t.Fatalf("after refusing: %+v", v)
	}

	// Accepted from the console: the new name is the name.
	e.Participant(strings.TrimPrefix(graceManage, "/r/")).MustJSON("PUT", "/api/participant", map[string]string{"name": "Grace W. Mutung'u"}, 200, nil)
	browser.Do(t, ctx,
		chromedp.Click(chromedp.CSS("#filters button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS(graceRow+` button[data-name-change="accept"]`)),
		chromedp.Click(chromedp.CSS(graceRow+` button[data-name-change="accept"]`)),
		chromedp.Poll[chromedp.Void](`document.querySelector("#status").textContent.includes("now shown as")`),
	)
	e.Participant(strings.TrimPrefix(graceManage, "/r/")).MustJSON("GET", "/api/participant", nil, 200, &v)
	if v.Name != "Grace W. Mutung'u" || v.PendingName != "" {
		t.Fatalf("after accepting: %+v", v)
	}
}

func TestParticipantPageSaysANewNameAwaitsTheSecretariat(t *testing.T) {
	e := testenv.New(t)
	pagesMeeting(t, e, "oewg-2019")
	manage, id := pagesRegister(t, e, "oewg-2019", sampleRegistration("grace@example.org"))
	decide(e.Admin(), id, "approve", 200)
	ctx := browser.New(t)
	browser.FailOnPageErrors(t, ctx)
	phone(t, ctx)
	browser.Do(t, ctx,
		chromedp.Navigate(e.URL+manage),
		chromedp.WaitVisible(chromedp.CSS("#state .badge.approved")),
		chromedp.Click(chromedp.CSS("#edit-button")),
		chromedp.WaitVisible(chromedp.CSS("#edit #name")),
		chromedp.SetValue(chromedp.CSS("#edit #name"), "Grace W. Mutung'u"),
		chromedp.Click(chromedp.CSS("#edit button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS("#name-change")),
	)
	screenshot(t, ctx, "participant-name-change-phone")
	if got := browser.Value(t, ctx, chromedp.Text(chromedp.CSS("#name-change"))); !strings.Contains(got, "Grace W. Mutung'u") ||
		!strings.Contains(got, "secretariat") || !strings.Contains(got, "Grace Mutung'u") {
		t.Fatalf("the page says %q", got)
	}
	if got := browser.Value(t, ctx, chromedp.Text(chromedp.CSS("#details dd"))); got != "Grace Mutung'u" {
		t.Fatalf("the name shown is %q", got)
	}
	// Reopened, the form holds the name asked for.
	browser.Do(t, ctx,
		chromedp.Click(chromedp.CSS("#edit-button")),
		chromedp.WaitVisible(chromedp.CSS("#edit #name")),
	)
	if v := browser.Value(t, ctx, chromedp.Value(chromedp.CSS("#edit #name"))); v != "Grace W. Mutung'u" {
		t.Fatalf("the form starts with %q", v)
	}

	// Once the secretariat accepts, the page shows the new name alone.
	e.Admin().MustJSON("POST", "/api/registrations/"+strconv.FormatUint(uint64(id), 10)+"/name-change", map[string]any{"accept": true}, 200, nil)
	browser.Do(t, ctx,
		chromedp.Reload(),
		chromedp.WaitVisible(chromedp.CSS("#state .badge.approved")),
	)
	if got := browser.Value(t, ctx, chromedp.Text(chromedp.CSS("#details dd"))); got != "Grace W. Mutung'u" {
		t.Fatalf("the name shown after acceptance is %q", got)
	}
	if hidden := browser.Value(t, ctx, chromedp.Evaluate[bool](`document.querySelector("#name-change").hidden`)); !hidden {
		t.Fatal("the waiting notice is still shown")
	}
}
