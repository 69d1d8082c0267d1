package handlers_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"rostrum/internal/browser"
	"rostrum/internal/mailtest"
	"rostrum/internal/testenv"
	"rostrum/models"
)

// waitJS waits until the JavaScript expression is truthy.
func waitJS(t *testing.T, ctx context.Context, expr string) {
	t.Helper()
	browser.Value(t, ctx, chromedp.Poll[bool](expr, chromedp.WithPollingInterval(50*time.Millisecond), chromedp.WithPollingTimeout(25*time.Second)))
}

// TestSecretariatWritesNotesBuildsEditsApprovesAndCirculates drives the
// pages as people use them: a rapporteur's notes (surviving a server
// restart while typing), then the summary desk: build a draft, edit it,
// approve it and circulate it, watching the progress; then the public page.
func TestSecretariatWritesNotesBuildsEditsApprovesAndCirculates(t *testing.T) {
	mail := mailtest.Start(t)
	e := testenv.New(t, testenv.WithSMTP(mail.Host(), mail.Port()))
	r := seedRecordedMeeting(t, e, "bt", models.AttributionChathamHouse)
	ctx := browser.New(t)

	// Notes: log in, pick the first intervention, type.
	browser.Do(t, ctx,
		chromedp.Navigate(e.URL+"/m/bt/notes"),
		chromedp.WaitVisible(chromedp.CSS("#login")),
		chromedp.SendKeys(chromedp.CSS(`#login input[name="email"]`), testenv.AdminEmail),
		chromedp.SendKeys(chromedp.CSS(`#login input[name="password"]`), testenv.Password),
		chromedp.Click(chromedp.CSS(`#login button`)),
		chromedp.WaitVisible(chromedp.CSS("#notes-app")),
		chromedp.Click(chromedp.CSS(fmt.Sprintf(`button.entry[data-id="%d"]`, r.speakers[0]))),
		chromedp.WaitVisible(chromedp.CSS("#note-text")),
		chromedp.SendKeys(chromedp.CSS("#note-text"), "Stressed the protection of hospitals."),
		chromedp.SendKeys(chromedp.CSS("#note-points"), "Critical infrastructure"),
	)
	waitJS(t, ctx, `document.getElementById('save-status').dataset.state === 'saved'`)
	noteOf := func(c *testenv.Client) string {
		var out struct {
			Notes []struct {
				SpeakerID uint   `json:"speaker_id"`
				Text      string `json:"text"`
			} `json:"notes"`
		}
		c.MustJSON("GET", "/api/meetings/bt/notes", nil, 200, &out)
		for _, n := range out.Notes {
			if n.SpeakerID == r.speakers[0] {
				return n.Text
			}
		}
		return ""
	}
	if got := noteOf(e.Admin()); got != "Stressed the protection of hospitals." {
		t.Fatalf("saved note %q", got)
	}

	// The server goes away while the rapporteur keeps typing: the page
	// says so, keeps the note, and saves it when the server is back.
	e.Stop()
	browser.Do(t, ctx, chromedp.SendKeys(chromedp.CSS("#note-text"), " Called for norms."))
	waitJS(t, ctx, `document.getElementById('save-status').dataset.state === 'offline'`)
	waitJS(t, ctx, `(localStorage.getItem('rostrum:notes:bt') || '').includes('Called for norms.')`)
	cfg := e.Config
	cfg.Listen = strings.TrimPrefix(e.URL, "http://")
	e = testenv.Start(t, cfg)
	waitJS(t, ctx, `document.getElementById('save-status').dataset.state === 'saved' && localStorage.getItem('rostrum:notes:bt') === '{}'`)
	if got := noteOf(e.Admin()); got != "Stressed the protection of hospitals. Called for norms." {
		t.Fatalf("note after the outage %q", got)
	}

	// The moderator gives the floor to a new speaker: the notes page
	// follows the live list and puts the current speaker at hand.
	var reg models.Registration
	if err := e.App.DB.Where("email = ?", r.emails[1]).First(&reg).Error; err != nil {
		t.Fatal(err)
	}
	var agenda struct {
		Items []models.AgendaItem `json:"items"`
	}
	e.Anon().MustJSON("GET", "/api/meetings/bt/agenda", nil, 200, &agenda)
	item := agenda.Items[1].ID
	mod := e.Staff(models.RoleModerator)
	for _, step := range []struct {
		path string
		body any
	}{
		{"/api/meetings/bt/current", map[string]any{"item_id": item}},
		{fmt.Sprintf("/api/meetings/bt/agenda/%d/speakers", item), map[string]any{"registration_id": reg.ID, "kind": "statement"}},
	} {
		if res := mod.Do("POST", step.path, step.body); res.Status >= 300 {
			t.Fatalf("POST %s: %d %s", step.path, res.Status, res.Body)
		}
	}
	var speakerID uint
	e.App.DB.Table("speaker_entries").Where("registration_id = ? AND state = ?", reg.ID, "waiting").Pluck("id", &speakerID)
	if res := mod.Do("POST", fmt.Sprintf("/api/meetings/bt/agenda/%d/speakers/%d/start", item, speakerID), nil); res.Status >= 300 {
		t.Fatalf("start: %d %s", res.Status, res.Body)
	}
	waitJS(t, ctx, fmt.Sprintf(`document.querySelector('button.entry.speaking.selected[data-id="%d"]') !== null && document.getElementById('editor-meta').textContent.includes('speaking now')`, speakerID))
	browser.Do(t, ctx, chromedp.SendKeys(chromedp.CSS("#note-text"), "Asked about due diligence."))
	waitJS(t, ctx, `document.getElementById('save-status').dataset.state === 'saved'`)

	// The desk: build, edit, approve, circulate.
	browser.Do(t, ctx,
		chromedp.Navigate(e.URL+"/m/bt/summary/desk"),
		chromedp.WaitVisible(chromedp.CSS("#desk")),
		chromedp.Click(chromedp.CSS("#build")),
	)
	waitJS(t, ctx, `document.getElementById('markdown').value.includes('A participant from civil society called for critical infrastructure.')`)
	waitJS(t, ctx, `document.querySelector('#preview h1') && document.querySelector('#preview h1').textContent === "Chair's Summary"`)
	md := browser.Value(t, ctx, chromedp.Value(chromedp.CSS("#markdown")))
	edited := strings.Replace(md, "called for critical infrastructure.", "called for protecting critical infrastructure.", 1)
	browser.Do(t, ctx,
		chromedp.SetValue(chromedp.CSS("#markdown"), edited),
		chromedp.Click(chromedp.CSS("#save")),
	)
	waitJS(t, ctx, `document.getElementById('desk-status').textContent.includes('revision 2')`)
	browser.Do(t, ctx, chromedp.Click(chromedp.CSS("#compare")))
	waitJS(t, ctx, `document.getElementById('diff').textContent.includes('+5. A participant') || document.getElementById('diff').textContent.includes('protecting critical infrastructure')`)
	browser.Do(t, ctx, chromedp.Click(chromedp.CSS("#approve")), chromedp.WaitVisible(chromedp.CSS("#confirm")), chromedp.Click(chromedp.CSS("#confirm-yes")))
	waitJS(t, ctx, `document.getElementById('version-h').textContent === 'Version 1 · approved' && document.getElementById('markdown').readOnly`)
	browser.Do(t, ctx,
		chromedp.SendKeys(chromedp.CSS("#extra"), "press@un.example.org"),
		chromedp.Click(chromedp.CSS("#circulate")),
		chromedp.WaitVisible(chromedp.CSS("#confirm")),
		chromedp.Click(chromedp.CSS("#confirm-yes")),
	)
	total := len(r.emails) + 1
	waitJS(t, ctx, fmt.Sprintf(`document.getElementById('progress-text').dataset.sent === '%d' && document.getElementById('progress-text').dataset.total === '%d'`, total, total))
	mail.WaitFor(total, 30*time.Second)
	if mail.Count() != total || len(mail.To("press@un.example.org")) != 1 {
		t.Fatalf("%d messages", mail.Count())
	}

	// The public page shows the circulated version with its documents.
	pub := browser.Tab(t, ctx)
	browser.Do(t, pub, chromedp.Navigate(e.URL+"/m/bt/summary"), chromedp.WaitVisible(chromedp.CSS("#downloads")))
	text := browser.Value(t, pub, chromedp.Text(chromedp.CSS("#summary")))
	if !strings.Contains(text, "called for protecting critical infrastructure.") || strings.Contains(text, "Fundación Ñandú bt (") {
		t.Fatalf("public page:\n%s", text)
	}
	href := browser.Value(t, pub, chromedp.AttributeValue(chromedp.CSS("#doc-pdf"), "href"))
	if !href.Exists || !strings.HasSuffix(href.Value, "/api/meetings/bt/summary/1.pdf") {
		t.Fatalf("PDF link %+v", href)
	}
}
