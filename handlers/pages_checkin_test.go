package handlers_test

// Browser test of the check-in page at the door (/m/{slug}/checkin).

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"rostrum/auth"
	"rostrum/internal/browser"
	"rostrum/internal/testenv"
	"rostrum/models"
)

func TestRegistrarChecksInOnAPhoneBySearchScanAndCode(t *testing.T) {
	e := testenv.New(t)
	registrationMeeting(t, e, "m", 0, 0)
	ana := approvedIn(t, e, "m", "Access Now", "Ana Souza")
	bo := approvedIn(t, e, "m", "Bo Org", "Bo Chen")
	cai := approvedIn(t, e, "m", "Cai Org", "Cai Lun")
	pat := mustRegister(t, e, "m", testenv.RegistrationBody("Pat Org", "Pat Doe", "pat@example.org"))
	if _, err := e.App.Auth.CreateUser(t.Context(), auth.NewUserInput{Email: "door@example.org", Role: models.RoleRegistrar, Password: testenv.Password, Name: "Door"}); err != nil {
		t.Fatal(err)
	}
	ctx := browser.New(t)
	browser.FailOnPageErrors(t, ctx)
	phone(t, ctx)
	browser.Do(t, ctx,
		chromedp.Navigate(e.URL+"/m/m/checkin"),
		chromedp.WaitVisible(chromedp.CSS("#login-email")),
		chromedp.SendKeys(chromedp.CSS("#login-email"), "door@example.org"),
		chromedp.SendKeys(chromedp.CSS("#login-password"), testenv.Password),
		chromedp.Click(chromedp.CSS("#login button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS("#door")),
	)
	liveWaitText(t, ctx, "#door-count", "0 of 3 checked in")

	// By name: found, checked in, a green answer that fills the screen.
	browser.Do(t, ctx,
		chromedp.SendKeys(chromedp.CSS("#q"), "access"),
		chromedp.Click(chromedp.CSS("#search-form button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS(`#results li[data-id="`+itoa(ana.ID)+`"] button`)),
		chromedp.Click(chromedp.CSS(`#results li[data-id="`+itoa(ana.ID)+`"] button`)),
		chromedp.WaitVisible(chromedp.CSS("#answer")),
	)
	screenshot(t, ctx, "checkin-green-phone")
	answerIs(t, ctx, "ok", "Ana Souza")
	full := browser.Value(t, ctx, chromedp.Evaluate[bool](`(() => { const r = document.getElementById("answer").getBoundingClientRect();
		return r.width >= innerWidth && r.height >= innerHeight; })()`))
	if !full {
		t.Fatal("the answer does not fill the screen")
	}
	liveWaitText(t, ctx, "#door-count", "1 of 3 checked in")
	next(t, ctx)

	// A scanned code takes the scanner's own path (the page's decoded
	// event), as the camera hands it what BarcodeDetector read.
	boCode := participantDoor(t, e, bo.Token()).CheckinCode
	browser.Do(t, ctx, chromedp.Evaluate[chromedp.Void](`document.dispatchEvent(new CustomEvent("rostrum:decoded", {detail: `+jsQuote(boCode)+`}))`),
		chromedp.WaitVisible(chromedp.CSS("#answer")))
	answerIs(t, ctx, "ok", "Bo Chen")
	next(t, ctx)

	// Not approved: red, naming the state.
	browser.Do(t, ctx,
		chromedp.Evaluate[chromedp.Void](`document.getElementById("q").value = ""`),
		chromedp.SendKeys(chromedp.CSS("#q"), "Pat"),
		chromedp.Click(chromedp.CSS("#search-form button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS(`#results li[data-id="`+itoa(pat.ID)+`"] button`)),
		chromedp.Click(chromedp.CSS(`#results li[data-id="`+itoa(pat.ID)+`"] button`)),
		chromedp.WaitVisible(chromedp.CSS("#answer")),
	)
	answerIs(t, ctx, "refused", "pending")
	next(t, ctx)

	// A typed code already used: the first time is shown.
	anaCode := participantDoor(t, e, ana.Token()).CheckinCode
	browser.Do(t, ctx,
		chromedp.SendKeys(chromedp.CSS("#code"), strings.ToLower(anaCode)),
		chromedp.Click(chromedp.CSS("#code-form button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS("#answer")),
	)
	answerIs(t, ctx, "again", "First checked in")
	next(t, ctx)

	// Another registrar's work reaches this page's count.
	e.Staff(models.RoleRegistrar).MustJSON("POST", "/api/meetings/m/checkins", map[string]any{"registration_id": cai.ID}, 201, nil)
	liveWaitText(t, ctx, "#door-count", "3 of 3 checked in")
}

// The door speaks the registrar's language: the page, its answers and
// count, api.js's own words (a time's zone, a field's error) in French;
// a time's zone by its offset, as the server names it in French.
func TestARegistrarChecksInInFrench(t *testing.T) {
	e := testenv.New(t)
	registrationMeeting(t, e, "m", 0, 0)
	ana := approvedIn(t, e, "m", "Access Now", "Ana Souza")
	if _, err := e.App.Auth.CreateUser(t.Context(), auth.NewUserInput{Email: "door@example.org", Role: models.RoleRegistrar, Password: testenv.Password, Name: "Door"}); err != nil {
		t.Fatal(err)
	}
	ctx := browser.New(t)
	browser.FailOnPageErrors(t, ctx)
	phone(t, ctx)
	browser.Do(t, ctx,
		chromedp.Navigate(e.URL+"/m/m/checkin?lang=fr"),
		chromedp.WaitVisible(chromedp.CSS("#login-email")),
		chromedp.SendKeys(chromedp.CSS("#login-email"), "door@example.org"),
		chromedp.SendKeys(chromedp.CSS("#login-password"), "not the password"),
		chromedp.Click(chromedp.CSS("#login button[type=submit]")),
	)
	liveWaitText(t, ctx, "#login-error", "Adresse électronique ou mot de passe incorrect.")
	browser.Do(t, ctx,
		chromedp.SetValue(chromedp.CSS("#login-password"), testenv.Password),
		chromedp.Click(chromedp.CSS("#login button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS("#door")),
	)
	liveWaitText(t, ctx, "#door-count", "Entrées : 0 sur 1")

	// The same code twice: admitted, then already in since a time.
	code := participantDoor(t, e, ana.Token()).CheckinCode
	for _, step := range []struct{ kind, says string }{{"ok", "Bienvenue"}, {"again", "Entrée déjà enregistrée"}} {
		browser.Do(t, ctx,
			chromedp.SendKeys(chromedp.CSS("#code"), code),
			chromedp.Click(chromedp.CSS("#code-form button[type=submit]")),
			chromedp.WaitVisible(chromedp.CSS("#answer")),
		)
		answerIs(t, ctx, step.kind, step.says)
		if step.kind == "ok" {
			liveWaitText(t, ctx, "#door-count", "Entrées : 1 sur 1")
		} else if detail := browser.Value(t, ctx, chromedp.Text(chromedp.CSS("#answer-detail"))); !regexp.MustCompile(`^Première entrée enregistrée le .+ UTC[−+]\d\d:\d\d\.$`).MatchString(detail) || strings.Contains(detail, "New York") {
			t.Errorf("the first check-in is said %q, want its time with the zone's offset", detail)
		}
		next(t, ctx)
	}

	// A field error the form cannot place is listed by the field's name.
	listed := browser.Value(t, ctx, chromedp.Evaluate[string](`(async () => {
		const { ApiError, showError } = await import("/static/js/api.js");
		const region = document.getElementById("door-message");
		showError(region, new ApiError(422, "x", { "organization.country": "est obligatoire" }), document.getElementById("code-form"));
		return region.querySelector("li").textContent;
	})()`, chromedp.EvalAwaitPromise))
	if listed != "Pays du siège : est obligatoire" {
		t.Errorf("an unplaced field error is listed as %q", listed)
	}
}

// answerIs checks the full-screen answer's kind and that it says text.
func answerIs(t *testing.T, ctx context.Context, kind, text string) {
	t.Helper()
	got := browser.Value(t, ctx, chromedp.Evaluate[string](`document.getElementById("answer").dataset.kind`))
	says := browser.Value(t, ctx, chromedp.Evaluate[string](`document.getElementById("answer").innerText`))
	if got != kind || !strings.Contains(says, text) {
		t.Fatalf("answer %q saying %q, want %q with %q", got, says, kind, text)
	}
}

// next dismisses the answer, ready for the next participant.
func next(t *testing.T, ctx context.Context) {
	t.Helper()
	browser.Do(t, ctx, chromedp.Click(chromedp.CSS("#answer-next")), chromedp.WaitNotVisible(chromedp.CSS("#answer")))
}

func TestTheConsoleShowsARegistrarTheDoorAndNotTheFloor(t *testing.T) {
	e := testenv.New(t)
	registrationMeeting(t, e, "m", 0, 0)
	mustRegister(t, e, "m", testenv.RegistrationBody("Pat Org", "Pat Doe", "pat@example.org"))
	ana := approvedIn(t, e, "m", "Access Now", "Ana Souza")
	e.Admin().MustJSON("POST", "/api/meetings/m/checkins", map[string]any{"registration_id": ana.ID}, 201, nil)
	if _, err := e.App.Auth.CreateUser(t.Context(), auth.NewUserInput{Email: "door@example.org", Role: models.RoleRegistrar, Password: testenv.Password, Name: "Door"}); err != nil {
		t.Fatal(err)
	}
	ctx := browser.New(t)
	browser.FailOnPageErrors(t, ctx)
	phone(t, ctx)
	consoleLoginAs(t, ctx, e, "#m=m", "door@example.org")
	liveWaitText(t, ctx, "#regs-table tbody", "checked in")
	liveWaitText(t, ctx, "#meeting-links", "Check-in at the door")
	links := browser.Value(t, ctx, chromedp.Text(chromedp.CSS("#meeting-links")))
	for _, hidden := range []string{"Live console", "Notes", "Summary desk"} {
		if strings.Contains(links, hidden) {
			t.Errorf("a registrar is offered %q: %s", hidden, links)
		}
	}
	liveWaitText(t, ctx, "#regs-table tbody", "Pat Doe")
	decisions := browser.Value(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll("#regs-table tbody button").length`))
	if decisions != 0 {
		t.Errorf("a registrar is offered %d decision buttons", decisions)
	}
}

func TestTheParticipantsPageShowsTheCheckinQRCodeWithNameAndMeeting(t *testing.T) {
	e := testenv.New(t)
	registrationMeeting(t, e, "m", 0, 0)
	ana := approvedIn(t, e, "m", "Access Now", "Ana Souza")
	code := participantDoor(t, e, ana.Token()).CheckinCode
	ctx := browser.New(t)
	browser.FailOnPageErrors(t, ctx)
	phone(t, ctx)
	browser.Do(t, ctx,
		chromedp.Navigate(e.URL+managePath(t, ana.ManageURL)),
		chromedp.WaitVisible(chromedp.CSS("#door-pass")),
		chromedp.Poll[chromedp.Void](`document.getElementById("pass-qr").complete && document.getElementById("pass-qr").naturalWidth > 0`),
	)
	screenshot(t, ctx, "participant-pass-phone")
	pass := browser.Value(t, ctx, chromedp.Text(chromedp.CSS("#door-pass")))
	for _, want := range []string{"Ana Souza", "Access Now", "Informal intersessional consultative meeting", code} {
		if !strings.Contains(pass, want) {
			t.Errorf("the pass does not show %q: %s", want, pass)
		}
	}
}

func TestTheHomePageLinksThePublicListOfParticipantsOnceTheMeetingHasStarted(t *testing.T) {
	e := testenv.New(t)
	pagesMeeting(t, e, "later")
	pagesMeeting(t, e, "now")
	now := time.Now().UTC()
	e.Admin().MustJSON("PATCH", "/api/meetings/now", map[string]any{
		"starts_at": now.Add(-time.Hour).Format(time.RFC3339), "registration_closes_at": now.Add(-2 * time.Hour).Format(time.RFC3339),
	}, 200, nil)
	ctx := browser.New(t)
	browser.FailOnPageErrors(t, ctx)
	phone(t, ctx)
	const started = `#meetings a[href="/api/meetings/now/participants.pdf?public=1"]`
	browser.Do(t, ctx, chromedp.Navigate(e.URL+"/"), chromedp.WaitVisible(chromedp.CSS(started)))
	if n := browser.Value(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll('#meetings a[href*="/later/participants"]').length`)); n != 0 {
		t.Fatal("a meeting not yet started links its list of participants")
	}
	e.Anon().MustJSON("GET", "/api/meetings/now/participants.pdf?public=1", nil, 200, nil)
}
