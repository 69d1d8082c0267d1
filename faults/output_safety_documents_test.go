package faults_test

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"rostrum/internal/browser"
	"rostrum/internal/testenv"
)

// hostileNote is a rapporteur's note with the same kinds of payload.
const hostileNote = `The participant said <script>alert(1)</script> and </w:t></w:r><w:r><w:t>INJECTED, then =cmd|' /C calc'!A0 and [click](javascript:alert(2)).`

// TestHostileTextIsSafeInLivePagesAndEverySummaryDocument takes a
// hostile registration through the live list (speaking, with a hostile
// note) into an attributed Chair's summary, and checks the screen, the
// console, the public summary page and the HTML, Markdown, DOCX and PDF
// documents: the text is shown as text, never as markup.
func TestHostileTextIsSafeInLivePagesAndEverySummaryDocument(t *testing.T) {
	e := testenv.New(t)
	admin := e.Admin()
	createMeeting(t, admin, "m", 0, 0) // attribution: attributed, so the organization is named
	var it struct{ ID uint }
	admin.MustJSON("POST", "/api/meetings/m/agenda", map[string]any{"title": "Capacity-building", "speaking_time_seconds": 180}, 201, &it)
	var reg testenv.Registered
	e.Anon().MustJSON("POST", "/api/meetings/m/registrations", hostileRegistration("ana@example.org"), 201, &reg)
	admin.MustJSON("POST", fmt.Sprintf("/api/registrations/%d/decision", reg.ID), map[string]string{"decision": "approve", "reason": "ok"}, 200, nil)
	admin.MustJSON("POST", "/api/meetings/m/current", map[string]any{"item_id": it.ID}, 200, nil)
	var sp struct{ Speaker struct{ ID uint } }
	e.Participant(reg.Token()).MustJSON("POST", fmt.Sprintf("/api/meetings/m/agenda/%d/speakers", it.ID), map[string]any{"kind": "statement"}, 201, &sp)
	admin.MustJSON("POST", fmt.Sprintf("/api/meetings/m/agenda/%d/next", it.ID), nil, 200, nil)

	t.Run("live pages", func(t *testing.T) {
		ctx := browser.New(t)
		browser.Do(t, ctx, chromedp.Navigate(e.URL+"/m/m/screen"),
			chromedp.Poll[chromedp.Void](`document.getElementById("speaker-name").textContent.includes("pwned-name")`))
		checkShownAsText(t, ctx, "screen")
		browser.Do(t, ctx, chromedp.Navigate(e.URL+"/m/m/console"),
			chromedp.WaitVisible(chromedp.CSS("#login-email")),
			chromedp.SendKeys(chromedp.CSS("#login-email"), testenv.AdminEmail),
			chromedp.SendKeys(chromedp.CSS("#login-password"), testenv.Password),
			chromedp.Click(chromedp.CSS("#login-submit")),
			chromedp.Poll[chromedp.Void](`document.getElementById("now-name") && document.getElementById("now-name").textContent.includes("pwned-name")`))
		checkShownAsText(t, ctx, "console")
	})

	// The draft is written from key points (a note beside key points is the
	// rapporteur's record): the hostile text goes in as one too.
	admin.MustJSON("PUT", fmt.Sprintf("/api/meetings/m/speakers/%d/note", sp.Speaker.ID), map[string]any{"text": hostileNote, "key_points": []string{hostile.Acronym, hostile.Job, hostileNote}}, 200, nil)
	admin.MustJSON("POST", fmt.Sprintf("/api/meetings/m/agenda/%d/next", it.ID), nil, 200, nil) // the speech ends
	admin.MustJSON("POST", "/api/meetings/m/summary", nil, 201, nil)
	admin.MustJSON("POST", "/api/meetings/m/summary/1/approve", nil, 200, nil)
	admin.MustJSON("POST", "/api/meetings/m/summary/1/circulate", map[string]any{"extra": []string{}}, 202, nil)

	doc := func(format string) []byte {
		res := e.Anon().Do("GET", "/api/meetings/m/summary/1."+format, nil)
		if res.Status != 200 {
			t.Fatalf("%s: %d %s", format, res.Status, res.Body)
		}
		return res.Body
	}
	t.Run("HTML", func(t *testing.T) {
		h := string(doc("html"))
		if !strings.Contains(h, "Injected &amp;") && !strings.Contains(h, "Injected &#38;") {
			t.Fatalf("the organization is not in the HTML document")
		}
		for _, bad := range []string{`<b id="pwned-org">`, `<script`, `<img`, `<i id=`, `href="javascript:`, "</w:t>"} {
			if strings.Contains(h, bad) {
				t.Errorf("HTML document holds %q as markup", bad)
			}
		}
	})
	t.Run("Markdown", func(t *testing.T) {
		md := string(doc("md"))
		if !strings.Contains(md, "Injected") {
			t.Fatalf("the organization is not in the Markdown")
		}
		// Markdown escapes: every character that would start markup is
		// preceded by a backslash, so any Markdown reader shows it as text.
		for _, want := range []string{`\<b id="pwned-org"\>`, `\*\*strong\*\*`, `\[x\](javascript:`, `\<script\>`} {
			if !strings.Contains(md, want) {
				t.Errorf("the Markdown does not escape %q", want)
			}
		}
		if strings.Contains(md, "**strong**") || strings.Contains(md, " <b id=") || strings.Contains(md, " [x](") {
			t.Errorf("the Markdown carries the organization's markup unescaped")
		}
	})
	t.Run("DOCX", func(t *testing.T) {
		b := doc("docx")
		z, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
		if err != nil {
			t.Fatal(err)
		}
		var text strings.Builder
		for _, f := range z.File {
			if !strings.HasSuffix(f.Name, ".xml") && !strings.HasSuffix(f.Name, ".rels") {
				continue
			}
			rc, _ := f.Open()
			dec := xml.NewDecoder(rc)
			inText := false
			for {
				tok, err := dec.Token()
				if errors.Is(err, io.EOF) {
					break
				}
				if err != nil {
					t.Fatalf("%s is not well-formed XML: %v", f.Name, err)
				}
				switch tk := tok.(type) {
				case xml.StartElement:
					inText = tk.Name.Local == "t"
				case xml.EndElement:
					inText = false
				case xml.CharData:
					if inText && f.Name == "word/document.xml" {
						text.Write(tk)
					}
				}
			}
			rc.Close()
		}
		// The organization, closing tags and all, is one run of text.
		if !strings.Contains(text.String(), hostile.Org) {
			t.Errorf("the DOCX does not hold the organization as text")
		}
		if !strings.Contains(text.String(), "</w:t></w:r><w:r><w:t>INJECTED") {
			t.Errorf("the DOCX does not hold the note as text")
		}
	})
	t.Run("PDF", func(t *testing.T) {
		b := doc("pdf")
		if !bytes.HasPrefix(b, []byte("%PDF-")) {
			t.Fatal("not a PDF")
		}
		if _, err := exec.LookPath("pdftotext"); err != nil {
			t.Skip("pdftotext (poppler-utils) not installed; scripts/test.sh installs it")
		}
		path := filepath.Join(t.TempDir(), "s.pdf")
		if err := os.WriteFile(path, b, 0o600); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command("pdftotext", "-enc", "UTF-8", path, "-").Output()
		if err != nil {
			t.Fatal(err)
		}
		flat := strings.Join(strings.Fields(string(out)), " ")
		for _, want := range []string{"</w:t></w:r><w:r><w:t>Injected", `<b id="pwned-org">bold</b>`} {
			if !strings.Contains(flat, want) {
				t.Errorf("the PDF does not show %q as text", want)
			}
		}
	})
	t.Run("public summary page", func(t *testing.T) {
		ctx := browser.New(t)
		browser.Do(t, ctx, chromedp.Navigate(e.URL+"/m/m/summary"),
			chromedp.Poll[chromedp.Void](`document.body.innerText.includes("Injected")`))
		if !browser.Value(t, ctx, chromedp.Evaluate[bool](noInjectedMarkup+` && document.querySelectorAll("a[href^='javascript:']").length === 0`)) {
			t.Errorf("the public summary page turned the text into markup")
		}
		if text := browser.Value(t, ctx, chromedp.Evaluate[string](`document.body.innerText`)); !strings.Contains(text, `<b id="pwned-org">bold</b>`) {
			t.Errorf("the public summary page does not show the organization as text")
		}
	})
}
