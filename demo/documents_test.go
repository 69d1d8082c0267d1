package demo_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"rostrum/demo"
	"rostrum/internal/browser"
	"rostrum/internal/testenv"
)

func popplerText(t *testing.T, pdf []byte) string {
	t.Helper()
	f := filepath.Join(t.TempDir(), "d.pdf")
	if err := os.WriteFile(f, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-enc", "UTF-8", f, "-").CombinedOutput()
	if err != nil {
		t.Fatalf("pdftotext: %v: %s", err, out)
	}
	// Without the footers, which fall wherever a page ends.
	return strings.Join(strings.Fields(pageFooter.ReplaceAllString(string(out), " ")), " ")
}

var pageFooter = regexp.MustCompile(`Page \d+ of \d+`)

// The demo holds what the Chair's letter of 31 December 2019 sent: its
// six enclosures as published PDF documents, the letter enclosing them,
// and the "Permanent Missions" list it went to.
func TestDemoHasTheChairsLetterItsSixEnclosuresAndThePermanentMissions(t *testing.T) {
	e := testenv.New(t)
	a := e.App
	ctx := context.Background()
	var out bytes.Buffer
	if err := demo.Load(ctx, demo.ServicesOf(a), &out); err != nil {
		t.Fatal(err)
	}
	m, err := a.Meetings.BySlug(ctx, demo.Slug)
	if err != nil {
		t.Fatal(err)
	}
	docs, err := a.Handler.Documents.List(ctx, m, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(docs) != 6 {
		t.Fatalf("%d published documents, want the letter's six enclosures", len(docs))
	}
	for _, d := range docs {
		f, err := a.Handler.Documents.File(ctx, m.ID, d.ID, false)
		if err != nil {
			t.Fatal(err)
		}
		if text := popplerText(t, f.Data); !strings.Contains(text, d.Title) || !strings.Contains(text, d.Symbol) {
			t.Errorf("the PDF of %q reads %q", d.Title, text)
		}
	}
	letters, err := a.Summary.Letters(ctx, m)
	if err != nil || len(letters) != 1 {
		t.Fatalf("letters: %d, %v", len(letters), err)
	}
	pdf, err := a.Summary.LetterDocument(ctx, m, letters[0].ID, "pdf")
	if err != nil {
		t.Fatal(err)
	}
	text := popplerText(t, pdf.Data)
	_, encl, ok := strings.Cut(text, "Enclosures:")
	if !ok || !strings.HasPrefix(text, "To all Permanent Representatives and Permanent Observers") || !strings.Contains(text, "Excellency,") {
		t.Fatalf("the letter reads %q", text)
	}
	for _, d := range docs {
		if !strings.Contains(encl, d.Title) {
			t.Errorf("the letter does not enclose %q: %q", d.Title, encl)
		}
	}
	// "Permanent Missions" holds every mission the demo imported.
	missions, err := a.Delegations.Missions(ctx)
	if err != nil {
		t.Fatal(err)
	}
	lists, err := a.Handler.Lists.All(ctx)
	if err != nil || len(lists) != 1 || lists[0].Name != "Permanent Missions" || lists[0].Count != len(missions) || len(missions) < 30 {
		t.Fatalf("lists %+v (%d missions), %v", lists, len(missions), err)
	}
	// The letter is scheduled to go in the second half of January after
	// the meeting, to the Permanent Missions and the participants.
	cs, err := a.Summary.Circulations(ctx, m)
	if err != nil || len(cs) != 1 {
		t.Fatalf("circulations %+v, %v", cs, err)
	}
	at := cs[0].SendAt.In(time.FixedZone("NY", -5*3600))
	if cs[0].State != "scheduled" || cs[0].LetterID == nil || *cs[0].LetterID != letters[0].ID ||
		at.Year() != m.StartsAt.Year()+1 || at.Month() != time.January || at.Day() < 16 {
		t.Errorf("the demo's circulation %+v goes %v, want the letter in the second half of January after the meeting", cs[0], at)
	}
	if !strings.Contains(out.String(), "/m/"+demo.Slug+"/documents") {
		t.Errorf("the demo does not say where its documents are:\n%s", out.String())
	}

	// The process's page lists the six under the demo meeting, each
	// linked to its file, and none under the second session.
	browse := browser.New(t)
	browser.FailOnPageErrors(t, browse)
	browser.Do(t, browse,
		chromedp.Navigate(e.URL+"/p/"+demo.ProcessSlug),
		chromedp.Poll[chromedp.Void](`document.querySelectorAll("#meetings > li").length === 2`),
	)
	type link struct{ Text, Href string }
	links := browser.Value(t, browse, chromedp.Evaluate[[][]link](`[...document.querySelectorAll("#meetings > li")]
		.map((li) => [...li.querySelectorAll("ul.documents a")].map((a) => ({text: a.textContent, href: a.getAttribute("href")})))`))
	if len(links[0]) != len(docs) || len(links[1]) != 0 {
		t.Fatalf("/p/%s links %v, want the demo meeting's %d documents and none for the second session", demo.ProcessSlug, links, len(docs))
	}
	for i, d := range docs {
		if want := fmt.Sprintf("/api/meetings/%s/documents/%d/file", demo.Slug, d.ID); links[0][i] != (link{d.Title, want}) {
			t.Errorf("/p/%s links %+v, want %q to %s", demo.ProcessSlug, links[0][i], d.Title, want)
		}
	}
	if res := e.Anon().Do("GET", links[0][0].Href, nil); res.Status != 200 || !bytes.HasPrefix(res.Body, []byte("%PDF-")) {
		t.Errorf("anyone's GET of %s: %d", links[0][0].Href, res.Status)
	}
}
