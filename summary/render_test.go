package summary

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"
	"golang.org/x/text/unicode/norm"

	"rostrum/models"
)

func testFonts(t testing.TB) *Fonts {
	t.Helper()
	f, err := SystemFonts()
	if err != nil {
		t.Fatalf("%v (the README's test command installs fonts-dejavu-core fonts-noto-core fonts-droid-fallback)", err)
	}
	return f
}

const hostileNote = `<script>alert(1)</script> **bold** </w:t><w:t>x</w:t> =cmd|' /C calc'!A0 ]]> <![CDATA[ & &amp; "q" 'a'`

func hostileRecord() Record {
	r := recordedMeeting(models.AttributionAttributed)
	r.Title = `<script>alert("title")</script> </w:t> **T**`
	r.Items[0].Interventions[0].Note = hostileNote + "\x00\x01\x1b\uFFFE"
	// A note is drafted when its intervention has no key points.
	r.Items[0].Interventions[0].KeyPoints = nil
	return r
}

// docxParts opens a DOCX and returns its parts by name.
func docxParts(t *testing.T, b []byte) map[string][]byte {
	t.Helper()
	z, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatalf("not a zip: %v", err)
	}
	parts := map[string][]byte{}
	for _, f := range z.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		parts[f.Name] = data
	}
	return parts
}

// wellFormed parses an XML part to the end and returns its character data.
func wellFormed(t testing.TB, name string, b []byte) string {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(b))
	var text strings.Builder
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("%s is not well-formed XML: %v", name, err)
		}
		if cd, ok := tok.(xml.CharData); ok {
			text.Write(cd)
		}
	}
	return text.String()
}

func TestDOCXIsAValidOfficeOpenXMLPackage(t *testing.T) {
	b, err := DOCX(Parse(Draft(hostileRecord())), testFonts(t), "Chair's Summary")
	if err != nil {
		t.Fatal(err)
	}
	parts := docxParts(t, b)
	for _, name := range []string{"[Content_Types].xml", "_rels/.rels", "word/document.xml", "word/styles.xml",
		"word/footer1.xml", "word/_rels/document.xml.rels", "word/media/chart1.png", "word/media/chart2.png", "docProps/core.xml"} {
		if _, ok := parts[name]; !ok {
			t.Fatalf("package lacks %s", name)
		}
	}
	for name, data := range parts {
		if strings.HasSuffix(name, ".xml") || strings.HasSuffix(name, ".rels") {
			wellFormed(t, name, data)
		}
	}
	// Every relationship points at a part that exists.
	for _, rels := range []string{"_rels/.rels", "word/_rels/document.xml.rels"} {
		var r struct {
			Rel []struct {
				Target     string `xml:"Target,attr"`
				TargetMode string `xml:"TargetMode,attr"`
			} `xml:"Relationship"`
		}
		if err := xml.Unmarshal(parts[rels], &r); err != nil {
			t.Fatal(err)
		}
		base := filepath.Dir(filepath.Dir(rels))
		for _, rel := range r.Rel {
			if rel.TargetMode == "External" {
				continue
			}
			p := filepath.ToSlash(filepath.Join(base, rel.Target))
			if _, ok := parts[strings.TrimPrefix(p, "./")]; !ok {
				t.Errorf("%s points at missing part %s", rels, p)
			}
		}
	}
	text := wellFormed(t, "word/document.xml", parts["word/document.xml"])
	for _, want := range []string{"Fundación Ñandú para la Ciberseguridad", "東京サイバー研究所株式会社", "Κέντρο Ψηφιακών Δικαιωμάτων",
		"جامعة القاهرة", "מכון טכניון לאבטחת מידע", hostileNote, "Annex III: Statistics", "5."} {
		if !strings.Contains(text, want) {
			t.Errorf("document text lacks %q", want)
		}
	}
	doc := string(parts["word/document.xml"])
	if strings.Contains(doc, "<w:t>x</w:t>") || strings.Contains(doc, "<script") {
		t.Error("hostile text became markup in document.xml")
	}
	if !strings.Contains(string(parts["word/footer1.xml"]), "PAGE") {
		t.Error("footer has no page number")
	}
	core := wellFormed(t, "docProps/core.xml", parts["docProps/core.xml"])
	if !strings.Contains(core, "Chair's Summary") {
		t.Errorf("core properties: %q", core)
	}
}

// pdfText extracts a PDF's text with poppler's pdftotext, without the
// bidirectional marks it adds around right-to-left text.
func pdfText(t testing.TB, pdf []byte) string {
	t.Helper()
	if !bytes.HasPrefix(pdf, []byte("%PDF-")) {
		t.Fatalf("not a PDF: %q", pdf[:min(len(pdf), 20)])
	}
	path, err := exec.LookPath("pdftotext")
	if err != nil {
		t.Fatal("pdftotext not found: install Debian's poppler-utils (the README's test command does)")
	}
	f := filepath.Join(t.TempDir(), "s.pdf")
	if err := os.WriteFile(f, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(path, "-enc", "UTF-8", f, "-").CombinedOutput()
	if err != nil {
		t.Fatalf("pdftotext: %v: %s", err, out)
	}
	s := strings.Map(func(r rune) rune {
		if r >= 0x202A && r <= 0x202E || r == 0x200E || r == 0x200F {
			return -1
		}
		return r
	}, string(out))
	return s
}

// oneLine folds white space so that text wrapped across lines compares.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

func TestPDFHoldsEveryNameAsEntered(t *testing.T) {
	b, err := PDF(Parse(Draft(hostileRecord())), testFonts(t), "Chair's Summary")
	if err != nil {
		t.Fatal(err)
	}
	text := pdfText(t, b)
	// Arabic is printed in its joined forms (presentation forms), which
	// read as the letters entered once normalized.
	flat := norm.NFKC.String(oneLine(text))
	for _, want := range append(orgNames[:6:6], "Chair's Summary", "Annex III: Statistics", "Page 1 of",
		"not a negotiated document", `<script>alert(1)</script> **bold** </w:t><w:t>x</w:t> =cmd|' /C calc'!A0`,
		"Interventions by stakeholder group") {
		if !strings.Contains(flat, norm.NFKC.String(want)) {
			t.Errorf("PDF text lacks %q", want)
		}
	}
	// ... and never as unjoined letters, which no Arabic reader writes.
	shaped, bare := 0, 0
	for _, c := range text {
		switch {
		case c >= 0xFB50 && c <= 0xFEFC:
			shaped++
		case c >= 0x0621 && c <= 0x064A:
			bare++
		}
	}
	if shaped == 0 || bare > 0 {
		t.Errorf("Arabic in the PDF: %d joined forms, %d bare letters; want only joined forms", shaped, bare)
	}
	if strings.Contains(text, "\uFFFD") {
		t.Error("PDF shows replacement characters")
	}
}

func TestHTMLShowsHostileTextAsText(t *testing.T) {
	out := HTMLDocument(Parse(Draft(hostileRecord())), hostileRecord().Title)
	allowedTags(t, out)
	for _, bad := range []string{"<script", "<img", "<w:t>", `href="javascript`} {
		if strings.Contains(out, bad) {
			t.Errorf("HTML holds %q", bad)
		}
	}
	if !strings.Contains(out, "&lt;script&gt;alert(1)&lt;/script&gt; **bold** &lt;/w:t&gt;") {
		t.Error("the hostile note is not shown as escaped text")
	}
	if !strings.Contains(out, "<svg") || !strings.Contains(out, "Non-governmental organizations</text>") {
		t.Error("no chart in the HTML")
	}
}

var htmlAllowed = map[string][]string{
	"html": {"lang"}, "head": nil, "meta": {"charset", "name", "content"}, "title": nil, "style": nil, "body": nil,
	"article": {"class"}, "header": {"class"}, "h1": nil, "h2": nil, "h3": nil, "h4": nil, "h5": nil, "h6": nil,
	"p": {"class"}, "span": {"class"}, "ul": nil, "li": nil, "pre": nil, "code": nil, "hr": nil, "br": nil,
	"strong": nil, "em": nil, "a": {"href", "rel"}, "blockquote": nil,
	"table": nil, "thead": nil, "tbody": nil, "tr": nil, "th": {"scope", "class"}, "td": {"class"},
	"figure": {"class"}, "figcaption": nil,
	"svg":  {"xmlns", "role", "viewbox", "width", "height", "font-family", "font-size"},
	"text": {"x", "y", "text-anchor", "fill"}, "rect": {"x", "y", "width", "height", "fill"},
}

// allowedTags fails unless every tag and attribute of s is one the
// renderer itself writes, and every link is http(s) or mailto.
func allowedTags(t testing.TB, s string) {
	t.Helper()
	z := html.NewTokenizer(strings.NewReader(s))
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			return
		}
		if tt != html.StartTagToken && tt != html.SelfClosingTagToken {
			continue
		}
		tok := z.Token()
		attrs, ok := htmlAllowed[tok.Data]
		if !ok {
			t.Fatalf("unexpected tag <%s> in %q", tok.Data, s)
		}
		for _, a := range tok.Attr {
			found := false
			for _, x := range attrs {
				found = found || x == a.Key
			}
			if !found {
				t.Fatalf("unexpected attribute %s on <%s>", a.Key, tok.Data)
			}
			if a.Key == "href" && !(strings.HasPrefix(a.Val, "http://") || strings.HasPrefix(a.Val, "https://") || strings.HasPrefix(a.Val, "mailto:")) {
				t.Fatalf("unsafe link %q", a.Val)
			}
		}
	}
}

func FuzzRenderMarkdown(f *testing.F) {
	f.Add(Draft(hostileRecord()))
	f.Add("# T\n\n1. <b>x</b> [a](javascript:x) ![i](http://x) <http://a.b> &amp;&#0;\n\n| a | b |\n|---|---|\n| </w:t> | ]]> |\n\n```chart\nt\nA | 1e300\nB | -1\nC | NaN\n```\n")
	f.Add("> - * + 1) ***\n<div onclick=x>\n\n    code\n\n---\n")
	f.Fuzz(func(t *testing.T, md string) {
		doc := Parse(md)
		allowedTags(t, HTMLDocument(doc, md))
		b, err := DOCX(doc, nil, md)
		if err != nil {
			t.Fatal(err)
		}
		z, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
		if err != nil {
			t.Fatal(err)
		}
		for _, zf := range z.File {
			if strings.HasSuffix(zf.Name, ".xml") || strings.HasSuffix(zf.Name, ".rels") {
				rc, _ := zf.Open()
				data, _ := io.ReadAll(rc)
				rc.Close()
				wellFormed(t, zf.Name, data)
			}
		}
	})
}

// largeRecord is a meeting of n interventions by orgs organizations, all
// with notes and key points.
func largeRecord(n, orgs int) Record {
	r := recordedMeeting(models.AttributionChathamHouse)
	types := []string{"ngo", "private_sector", "academia", "technical_community", "intergovernmental", "other"}
	var os []Organization
	for i := 0; i < orgs; i++ {
		os = append(os, Organization{Name: fmt.Sprintf("Organización número %d — 研究所 %d", i, i), Type: types[i%len(types)], Country: "CL"})
	}
	r.Organizations = os
	r.Items = make([]Item, 5)
	for i := range r.Items {
		r.Items[i].Title = fmt.Sprintf("Agenda item about topic %d", i+1)
	}
	for i := 0; i < n; i++ {
		it := &r.Items[i%5]
		it.Interventions = append(it.Interventions, Intervention{Organization: os[i%orgs], Kind: "statement",
			SpeakingTime: 3 * time.Minute, Note: strings.Repeat("The participant stressed the importance of capacity-building and of applying international law. ", 3),
			KeyPoints: Points(fmt.Sprintf("Point %d", i%7), "Capacity-building")})
	}
	return r
}

// BenchmarkRenderAllFormats drafts a 1,000-intervention meeting of 300
// organizations and renders it to Markdown, HTML, PDF and DOCX.
func BenchmarkRenderAllFormats(b *testing.B) {
	fonts := testFonts(b)
	r := largeRecord(1000, 300)
	for b.Loop() {
		md := Draft(r)
		for _, f := range []string{"md", "html", "pdf", "docx"} {
			if _, err := Render(md, f, fonts, "Chair's Summary"); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// TestDOCXOpensInLibreOffice converts the DOCX to PDF with LibreOffice
// (Debian's libreoffice-writer-nogui) and reads the names back.
func TestDOCXOpensInLibreOffice(t *testing.T) {
	soffice, err := exec.LookPath("soffice")
	if err != nil {
		if os.Getenv("ROSTRUM_SKIP_LIBREOFFICE") != "" {
			t.Skip("no LibreOffice and ROSTRUM_SKIP_LIBREOFFICE is set")
		}
		t.Fatal("soffice not found: install Debian's libreoffice-writer-nogui (the README's test command does) or set ROSTRUM_SKIP_LIBREOFFICE")
	}
	b, err := DOCX(Parse(Draft(hostileRecord())), testFonts(t), "Chair's Summary")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "s.docx"), b, 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(soffice, "--headless", "--norestore", "-env:UserInstallation=file://"+filepath.Join(dir, "profile"),
		"--convert-to", "pdf", "--outdir", dir, filepath.Join(dir, "s.docx"))
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("soffice: %v: %s", err, out)
	}
	pdf, err := os.ReadFile(filepath.Join(dir, "s.pdf"))
	if err != nil {
		t.Fatalf("LibreOffice did not convert the DOCX: %v", err)
	}
	flat := oneLine(pdfText(t, pdf))
	for _, want := range append(orgNames[:6:6], "Chair's Summary", "Annex III: Statistics", "Page 1 of",
		`<script>alert(1)</script> **bold** </w:t><w:t>x</w:t> =cmd|' /C calc'!A0`) {
		if !strings.Contains(flat, want) {
			t.Errorf("LibreOffice's rendering lacks %q", want)
		}
	}
}
