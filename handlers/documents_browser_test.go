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
	"rostrum/internal/testenv"
)

// The secretariat uploads and publishes a document on the documents
// page; anyone then finds it there, with a link to the file.
func TestTheDocumentsPageUploadsPublishesAndLists(t *testing.T) {
	e := testenv.New(t)
	pagesMeeting(t, e, "dp")
	file := filepath.Join(t.TempDir(), "Programme of work.pdf")
	if err := os.WriteFile(file, testenv.TinyPDF, 0o600); err != nil {
		t.Fatal(err)
	}
	ctx := browser.New(t)
	phone(t, ctx)
	consoleLogin(t, ctx, e, "")
	browser.Do(t, ctx,
		chromedp.Navigate(e.URL+"/m/dp/documents"),
		chromedp.WaitVisible(chromedp.CSS("#upload-form")),
		chromedp.SendKeys(chromedp.CSS("#doc-title"), "Draft Programme of work"),
		chromedp.SendKeys(chromedp.CSS("#doc-symbol"), "A/AC.290/2020/CRP.1"),
		chromedp.SetUploadFiles(chromedp.CSS("#doc-file"), []string{file}),
		chromedp.Click(chromedp.CSS(`#upload-form button[type="submit"]`)),
	)
	waitJS(t, ctx, `document.querySelector('#documents tbody') && document.querySelector('#documents tbody').textContent.includes('unpublished')`)
	browser.Do(t, ctx, chromedp.Click(chromedp.CSS(`#documents button`)))
	waitJS(t, ctx, `!document.querySelector('#documents tbody').textContent.includes('unpublished')`)

	anon := browser.New(t)
	phone(t, anon)
	browser.Do(t, anon, chromedp.Navigate(e.URL+"/m/dp/documents"))
	waitJS(t, anon, `document.querySelector('#documents tbody').innerText.includes('Draft Programme of work')`)
	href := browser.Value(t, anon, chromedp.Evaluate[string](`document.querySelector('#documents a').getAttribute('href')`))
	if res := e.Anon().Do("GET", href, nil); res.Status != 200 || string(res.Body) != string(testenv.TinyPDF) {
		t.Errorf("the page's link %s: %d", href, res.Status)
	}
	if browser.Value(t, anon, chromedp.Evaluate[bool](`!document.getElementById('upload').hidden`)) {
		t.Error("anyone sees the upload form")
	}
}

// The summary desk lists a scheduled circulation with a countdown to its
// time, and cancels it.
func TestTheDeskCountsDownToAScheduledCirculationAndCancelsIt(t *testing.T) {
	e := testenv.New(t)
	_, docs, letter := circulationFixture(t, e, "cd", 10)
	var c sendOut
	e.Admin().MustJSON("POST", "/api/meetings/cd/circulations", map[string]any{"letter": letter, "documents": []uint{docs[0].ID},
		"to": map[string]any{"participants": true}, "send_at": time.Now().Add(50 * time.Hour).UTC().Format(time.RFC3339)}, 202, &c)
	ctx := browser.New(t)
	desktop(t, ctx)
	browser.Do(t, ctx,
		chromedp.Navigate(e.URL+"/m/cd/summary/desk"),
		chromedp.WaitVisible(chromedp.CSS("#login")),
		chromedp.SendKeys(chromedp.CSS(`#login input[name="email"]`), testenv.AdminEmail),
		chromedp.SendKeys(chromedp.CSS(`#login input[name="password"]`), testenv.Password),
		chromedp.Click(chromedp.CSS(`#login button`)),
	)
	row := fmt.Sprintf(`#circulations tr[data-circulation="%d"]`, c.ID)
	waitJS(t, ctx, fmt.Sprintf(`document.querySelector('%s .countdown') !== null`, row))
	text := browser.Value(t, ctx, chromedp.Evaluate[string](fmt.Sprintf(`document.querySelector('%s').innerText`, row)))
	if !strings.Contains(text, "scheduled") || !strings.Contains(text, "in 2 days 1 h") && !strings.Contains(text, "in 2 days 2 h") {
		t.Errorf("the desk shows %q, want scheduled, in about two days", text)
	}
	browser.Do(t, ctx, chromedp.Click(chromedp.CSS(row+" button")))
	waitJS(t, ctx, fmt.Sprintf(`document.querySelector('%s').innerText.includes('cancelled')`, row))
}
