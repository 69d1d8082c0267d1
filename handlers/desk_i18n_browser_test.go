package handlers_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"rostrum/internal/browser"
)

// The words the scripts of the desk, the notes, the documents and the
// process pages write (states, counts, questions) are in the page's
// language too, not only the words the server renders: the staff's
// pages in French and Spanish, the public ones in any of the six.
func TestDeskNotesDocumentsAndProcessScriptsSpeakThePagesLanguage(t *testing.T) {
	f := newA11yFixture(t)
	ctx := browser.New(t)
	browser.FailOnPageErrors(t, ctx)
	consoleLogin(t, ctx, f.e, "")

	// The desk in French: version 2 is a draft ("projet"), version 1 was
	// circulated; Approve asks in French, and Cancel leaves it a draft.
	browser.Do(t, ctx, chromedp.Navigate(f.e.URL+"/m/a11y/summary/desk?lang=fr"))
	waitJS(t, ctx, `document.querySelector("#preview h1") !== null && document.getElementById("desk-status").textContent === "Prêt."`)
	desk := browser.Value(t, ctx, chromedp.Evaluate[map[string]string](`({
		heading: document.getElementById("version-h").textContent,
		states: [...document.querySelectorAll("#versions td.state")].map((td) => td.textContent).join(","),
		open: document.querySelector("#versions button.open").textContent})`))
	if desk["heading"] != "Version 2 · projet" || desk["states"] != "projet,distribuée" || desk["open"] != "Ouvrir la version 2" {
		t.Errorf("the desk in French: %v", desk)
	}
	browser.Do(t, ctx, chromedp.Click(chromedp.CSS("#approve")), chromedp.WaitVisible(chromedp.CSS("#confirm")))
	if txt := browser.Value(t, ctx, chromedp.Text(chromedp.CSS("#confirm-text"))); !strings.Contains(txt, "L'approbation fige cette version") {
		t.Errorf("the approval asks %q", txt)
	}
	browser.Do(t, ctx, chromedp.Click(chromedp.CSS("#confirm-no")), chromedp.WaitNotVisible(chromedp.CSS("#confirm")))
	waitJS(t, ctx, `document.getElementById("desk-status").textContent === "Non approuvée."`)

	// The notes in Spanish: Ana has the floor.
	browser.Do(t, ctx, chromedp.Navigate(f.e.URL+"/m/a11y/notes?lang=es"))
	waitJS(t, ctx, `document.querySelector("button.entry.speaking.selected") !== null`)
	notes := browser.Value(t, ctx, chromedp.Evaluate[map[string]string](`({
		meta: document.getElementById("editor-meta").textContent,
		entry: document.querySelector("button.entry.speaking").textContent})`))
	if !strings.Contains(notes["meta"], "en uso de la palabra") || !strings.HasPrefix(notes["entry"], "En uso de la palabra: ") {
		t.Errorf("the notes in Spanish: %v", notes)
	}

	// The documents in Spanish and the process in French, as anyone reads them.
	anon := browser.New(t)
	browser.FailOnPageErrors(t, anon)
	browser.Do(t, anon, chromedp.Navigate(f.e.URL+"/m/a11y/documents?lang=es"))
	waitJS(t, anon, `document.querySelector("#documents tbody tr") !== null`)
	docs := browser.Value(t, anon, chromedp.Evaluate[map[string]string](`({
		status: document.getElementById("status").textContent,
		row: document.querySelector("#documents tbody tr").innerText})`))
	if docs["status"] != "1 documento." || !strings.Contains(docs["row"], "inglés") {
		t.Errorf("the documents in Spanish: %v", docs)
	}
	browser.Do(t, anon, chromedp.Navigate(f.e.URL+"/p/oewg?lang=fr"))
	waitJS(t, anon, `document.querySelector("#meetings li") !== null`)
	if txt := browser.Value(t, anon, chromedp.Evaluate[string](`document.querySelector("#meetings li").innerText`)); !strings.Contains(txt, "Pas encore distribué") ||
		!strings.Contains(txt, "Aucun document publié pour l'instant") || !strings.Contains(txt, "Résumé") {
		t.Errorf("the process in French: %q", txt)
	}
}
