package handlers_test

import (
	"archive/zip"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"rostrum/internal/testenv"
)

type documentView struct {
	ID          uint   `json:"id"`
	Title       string `json:"title"`
	Symbol      string `json:"symbol"`
	Language    string `json:"language"`
	Filename    string `json:"filename"`
	ContentType string `json:"content_type"`
	Size        int64  `json:"size"`
	Published   bool   `json:"published"`
}

func listDocuments(t *testing.T, c *testenv.Client, slug string) []documentView {
	t.Helper()
	var out struct{ Documents []documentView }
	c.MustJSON("GET", "/api/meetings/"+slug+"/documents", nil, 200, &out)
	return out.Documents
}

func uploadDocument(t *testing.T, admin *testenv.Client, slug, title, filename string, data []byte) documentView {
	t.Helper()
	res := admin.Upload(slug, map[string]string{"title": title, "symbol": "A/AC.290/2020/CRP.1", "language": "en"}, filename, data)
	if res.Status != 201 {
		t.Fatalf("upload %s: %d %s", filename, res.Status, res.Body)
	}
	var d documentView
	res.Decode(t, &d)
	return d
}

// minimalDOCX is a zip with the two parts that make a Word document.
func minimalDOCX(t *testing.T, withDocument bool) []byte {
	t.Helper()
	var b bytes.Buffer
	z := zip.NewWriter(&b)
	parts := []string{"[Content_Types].xml"}
	if withDocument {
		parts = append(parts, "word/document.xml")
	}
	for _, p := range parts {
		w, _ := z.Create(p)
		_, _ = w.Write([]byte("<x/>"))
	}
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestDocumentUploadIsCheckedByContentNotByName(t *testing.T) {
	e := testenv.New(t)
	pagesMeeting(t, e, "lib")
	admin := e.Admin()

	// A PDF called .docx is a PDF; a Word document called .pdf is Word.
	d := uploadDocument(t, admin, "lib", "Programme of work", "pow.docx", testenv.TinyPDF)
	if d.ContentType != "application/pdf" || d.Filename != "pow.pdf" || d.Published {
		t.Errorf("a PDF named .docx: %+v", d)
	}
	w := uploadDocument(t, admin, "lib", "Working paper", "paper.pdf", minimalDOCX(t, true))
	if w.ContentType != "application/vnd.openxmlformats-officedocument.wordprocessingml.document" || w.Filename != "paper.docx" {
		t.Errorf("a DOCX named .pdf: %+v", w)
	}

	for _, tc := range []struct {
		name, filename string
		data           []byte
		fields         map[string]string
		field          string
	}{
		{"text named .pdf", "x.pdf", []byte("just text, not a PDF"), nil, "file"},
		{"a zip without word/document.xml", "x.docx", minimalDOCX(t, false), nil, "file"},
		{"an HTML page named .pdf", "x.pdf", []byte("<html><script>alert(1)</script>"), nil, "file"},
		{"no file", "", nil, nil, "file"},
		{"no title", "x.pdf", testenv.TinyPDF, map[string]string{"title": " "}, "title"},
		{"not a UN language", "x.pdf", testenv.TinyPDF, map[string]string{"title": "T", "language": "de"}, "language"},
	} {
		fields := tc.fields
		if fields == nil {
			fields = map[string]string{"title": "Refused"}
		}
		res := admin.Upload("lib", fields, tc.filename, tc.data)
		var body struct{ Fields map[string]string }
		res.Decode(t, &body)
		if res.Status != 422 || body.Fields[tc.field] == "" {
			t.Errorf("%s: %d %s, want 422 naming %s", tc.name, res.Status, res.Body, tc.field)
		}
	}
	if n := len(listDocuments(t, admin, "lib")); n != 2 {
		t.Errorf("the library holds %d documents after refused uploads, want the 2 accepted", n)
	}
	// Not a form at all.
	if res := admin.Do("POST", "/api/meetings/lib/documents", map[string]string{"title": "x"}); res.Status != 400 {
		t.Errorf("a JSON upload: %d, want 400", res.Status)
	}
}

func TestAnUnpublishedDocumentIsStaffsUntilPublished(t *testing.T) {
	e := testenv.New(t)
	pagesMeeting(t, e, "lib")
	admin := e.Admin()
	d := uploadDocument(t, admin, "lib", "Chair's working paper", "Chair's working paper (final).pdf", testenv.TinyPDF)
	file := fmt.Sprintf("/api/meetings/lib/documents/%d/file", d.ID)

	if n := len(listDocuments(t, e.Anon(), "lib")); n != 0 {
		t.Errorf("anyone sees %d unpublished documents", n)
	}
	if n := len(listDocuments(t, e.Staff("rapporteur"), "lib")); n != 1 {
		t.Errorf("staff see %d documents, want the unpublished one", n)
	}
	if got := e.Anon().Do("GET", file, nil).Status; got != 404 {
		t.Errorf("anyone's GET of an unpublished file: %d, want 404", got)
	}
	if res := e.Staff("moderator").Do("GET", file, nil); res.Status != 200 || !bytes.Equal(res.Body, testenv.TinyPDF) {
		t.Errorf("staff's GET of an unpublished file: %d", res.Status)
	}

	admin.MustJSON("POST", fmt.Sprintf("/api/meetings/lib/documents/%d/publish", d.ID), nil, 200, nil)
	ds := listDocuments(t, e.Anon(), "lib")
	if len(ds) != 1 || !ds[0].Published || ds[0].Symbol != "A/AC.290/2020/CRP.1" {
		t.Fatalf("anyone's list after publishing: %+v", ds)
	}
	res := e.Anon().Do("GET", file, nil)
	if res.Status != 200 || !bytes.Equal(res.Body, testenv.TinyPDF) {
		t.Fatalf("anyone's GET of a published file: %d", res.Status)
	}
	if ct := res.Header.Get("Content-Type"); ct != "application/pdf" {
		t.Errorf("Content-Type %q", ct)
	}
	if cd := res.Header.Get("Content-Disposition"); cd != `attachment; filename=Chair-s-working-paper-final.pdf` {
		t.Errorf("Content-Disposition %q: want a download under a name without quotes, spaces or parentheses", cd)
	}
	if res.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Error("the file may be sniffed")
	}
	// A document of one meeting is not another's.
	pagesMeeting(t, e, "other")
	if got := e.Anon().Do("GET", fmt.Sprintf("/api/meetings/other/documents/%d/file", d.ID), nil).Status; got != 404 {
		t.Errorf("the file through another meeting: %d, want 404", got)
	}
}

func TestOnlyAStaffUploadMaySendMoreThanTheBodyLimit(t *testing.T) {
	e := testenv.New(t) // body_limit 1 MB, as shipped
	pagesMeeting(t, e, "lib")
	admin := e.Admin()
	big := append(append([]byte{}, testenv.TinyPDF...), bytes.Repeat([]byte{' '}, 3<<20)...)

	d := uploadDocument(t, admin, "lib", "Background paper", "bg.pdf", big)
	if d.Size != int64(len(big)) {
		t.Errorf("stored %d bytes of %d", d.Size, len(big))
	}
	if res := admin.Do("GET", fmt.Sprintf("/api/meetings/lib/documents/%d/file", d.ID), nil); !bytes.Equal(res.Body, big) {
		t.Errorf("the file came back with %d bytes, want the %d uploaded", len(res.Body), len(big))
	}
	// Without a session, or to any other route, the body limit holds.
	body, ct := testenv.Multipart(map[string]string{"title": "x"}, "bg.pdf", big)
	refused := func(what string, c *testenv.Client, path string) {
		t.Helper()
		// fasthttp answers 413 and closes; a client still sending may
		// see the connection reset instead of the answer.
		res, err := c.Send("POST", path, body, map[string]string{"Content-Type": ct})
		switch {
		case err != nil && !strings.Contains(err.Error(), "reset") && !strings.Contains(err.Error(), "broken pipe"):
			t.Errorf("%s: %v", what, err)
		case err == nil && res.Status != 413:
			t.Errorf("%s: %d, want 413", what, res.Status)
		}
	}
	refused("an anonymous 3 MB upload", e.Anon(), "/api/meetings/lib/documents")
	noCSRF := e.Admin()
	noCSRF.CSRF = ""
	refused("a 3 MB upload without the CSRF token", noCSRF, "/api/meetings/lib/documents")
	refused("a 3 MB body to another route", admin, "/api/meetings/lib/agenda")
	// Over 20 MB is refused, and nothing is stored.
	huge := append(append([]byte{}, testenv.TinyPDF...), bytes.Repeat([]byte{' '}, 20<<20)...)
	res := admin.Upload("lib", map[string]string{"title": "Too big"}, "big.pdf", huge)
	if res.Status != 422 && res.Status != 413 {
		t.Errorf("a file over 20 MB: %d, want 422 or 413", res.Status)
	}
	if n := len(listDocuments(t, admin, "lib")); n != 1 {
		t.Errorf("%d documents after a refused upload, want 1", n)
	}
}

type letterView struct {
	ID         uint `json:"id"`
	Enclosures []struct {
		Document uint   `json:"document"`
		Summary  int    `json:"summary"`
		Title    string `json:"title"`
	} `json:"enclosures"`
}

func chairsLetter(enclosures ...any) map[string]any {
	return map[string]any{
		"addressee":     "To all Permanent Representatives and Permanent Observers to the United Nations\nNew York",
		"place":         "New York",
		"date":          "2019-12-31",
		"salutation":    "Excellency,",
		"body_markdown": "I have the honour of addressing you in my capacity as Chair of the Open-ended Working Group.\n\nThe **draft Programme of work** for the February session is enclosed.",
		"closing":       "Please accept, Excellency, the assurances of my highest consideration.",
		"signature":     map[string]any{"name": "Jürg Lauber", "titles": []string{"Ambassador", "Permanent Representative", "Chair of the Open-ended Working Group"}},
		"enclosures":    enclosures,
	}
}

// letterOrder is what a chair's letter shows, in order.
var letterOrder = []string{
	"To all Permanent Representatives and Permanent Observers to the United Nations", "New York",
	"New York, 31 December 2019", "Excellency,", "I have the honour of addressing you",
	"draft Programme of work", "Please accept, Excellency, the assurances of my highest consideration.",
	"Jürg Lauber", "Ambassador", "Permanent Representative", "Chair of the Open-ended Working Group",
	"Enclosures:", "Draft Programme of work for the Second substantive session (A/AC.290/2020/CRP.1)",
	"Chair's working paper", "Chair's summary of the Informal intersessional consultative meeting (version 1)",
}

func wantInOrder(t *testing.T, what, text string, want []string) {
	t.Helper()
	flat := strings.Join(strings.Fields(text), " ")
	at := 0
	for _, w := range want {
		i := strings.Index(flat[at:], w)
		if i < 0 {
			t.Errorf("%s: %q missing or out of order in %q", what, w, flat)
			return
		}
		at += i + len(w)
	}
}

func TestALetterRendersInTheFormOfAChairsLetter(t *testing.T) {
	e := testenv.New(t)
	pagesMeeting(t, e, "oewg")
	admin := e.Admin()
	pow := uploadDocument(t, admin, "oewg", "Draft Programme of work for the Second substantive session", "pow.pdf", testenv.TinyPDF)
	wp := uploadDocument(t, admin, "oewg", "Chair's working paper", "wp.pdf", testenv.TinyPDF)
	admin.MustJSON("POST", "/api/meetings/oewg/summary", nil, 201, nil)

	var l letterView
	admin.MustJSON("POST", "/api/meetings/oewg/letters", chairsLetter(pow.ID, fmt.Sprint("document:", wp.ID), "summary:1"), 201, &l)
	if len(l.Enclosures) != 3 || l.Enclosures[0].Document != pow.ID || l.Enclosures[2].Summary != 1 {
		t.Fatalf("enclosures %+v", l.Enclosures)
	}
	base := fmt.Sprintf("/api/meetings/oewg/letters/%d", l.ID)
	pdf := admin.Do("GET", base+".pdf", nil)
	if pdf.Status != 200 || pdf.Header.Get("Content-Type") != "application/pdf" {
		t.Fatalf("the PDF: %d %q", pdf.Status, pdf.Header.Get("Content-Type"))
	}
	wantInOrder(t, "poppler's reading of the PDF", popplerText(t, pdf.Body), letterOrder)

	docx := admin.Do("GET", base+".docx", nil)
	if docx.Status != 200 || !strings.Contains(docx.Header.Get("Content-Disposition"), "oewg-letter-") {
		t.Fatalf("the DOCX: %d %q", docx.Status, docx.Header.Get("Content-Disposition"))
	}
	soffice, err := exec.LookPath("soffice")
	if err != nil {
		if os.Getenv("ROSTRUM_SKIP_LIBREOFFICE") != "" {
			t.Skip("no LibreOffice and ROSTRUM_SKIP_LIBREOFFICE is set")
		}
		t.Fatal("soffice not found: install Debian's libreoffice-writer-nogui or set ROSTRUM_SKIP_LIBREOFFICE")
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "l.docx"), docx.Body, 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(soffice, "--headless", "--norestore", "-env:UserInstallation=file://"+filepath.Join(dir, "profile"),
		"--convert-to", "pdf", "--outdir", dir, filepath.Join(dir, "l.docx"))
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("soffice: %v: %s", err, out)
	}
	converted, err := os.ReadFile(filepath.Join(dir, "l.pdf"))
	if err != nil {
		t.Fatalf("LibreOffice did not convert the DOCX: %v", err)
	}
	wantInOrder(t, "LibreOffice's rendering of the DOCX", popplerText(t, converted), letterOrder)
}

func TestALetterEnclosesOnlyWhatItsMeetingHas(t *testing.T) {
	e := testenv.New(t)
	pagesMeeting(t, e, "oewg")
	pagesMeeting(t, e, "other")
	admin := e.Admin()
	theirs := uploadDocument(t, admin, "other", "Another meeting's paper", "x.pdf", testenv.TinyPDF)
	for _, tc := range []struct {
		name  string
		body  map[string]any
		field string
	}{
		{"another meeting's document", chairsLetter(theirs.ID), "enclosures[0]"},
		{"a summary version that does not exist", chairsLetter("summary:9"), "enclosures[0]"},
		{"neither a document nor a summary", chairsLetter("annex:1"), "enclosures[0]"},
		{"the same enclosure twice", chairsLetter("summary:1", "summary:1"), "enclosures[1]"},
		{"a date that is not a day", func() map[string]any { b := chairsLetter(); b["date"] = "31.12.2019"; return b }(), "date"},
		{"no salutation", func() map[string]any { b := chairsLetter(); b["salutation"] = ""; return b }(), "salutation"},
		{"no signature", func() map[string]any { b := chairsLetter(); b["signature"] = map[string]any{}; return b }(), "signature.name"},
	} {
		res := admin.Do("POST", "/api/meetings/oewg/letters", tc.body)
		var body struct{ Fields map[string]string }
		res.Decode(t, &body)
		if res.Status != 422 || body.Fields[tc.field] == "" {
			t.Errorf("%s: %d %s, want 422 naming %s", tc.name, res.Status, res.Body, tc.field)
		}
	}
	var out struct{ Letters []letterView }
	admin.MustJSON("GET", "/api/meetings/oewg/letters", nil, 200, &out)
	if len(out.Letters) != 0 {
		t.Errorf("refused letters were stored: %d", len(out.Letters))
	}
}

type listView struct {
	ID        uint   `json:"id"`
	Name      string `json:"name"`
	Count     int    `json:"count"`
	Addresses []struct {
		Name  string `json:"name"`
		Email string `json:"email"`
	} `json:"addresses"`
}

func TestDistributionListsFromJSONCSVAndTheMissions(t *testing.T) {
	e := testenv.New(t)
	admin := e.Admin()
	var obs listView
	admin.MustJSON("POST", "/api/lists", map[string]any{"name": "Observers", "addresses": []map[string]string{
		{"name": "Holy See", "email": "Mission@HolySee.example.ORG"},
		{"name": "Again", "email": "mission@holysee.example.org"},
		{"name": "State of Palestine", "email": "pm@palestine.example.org"},
	}}, 201, &obs)
	if obs.Count != 2 || obs.Addresses[0].Email != "Mission@holysee.example.org" || obs.Addresses[0].Name != "Holy See" {
		t.Errorf("an address given twice is listed once, the first time: %+v", obs)
	}

	csv := "email,name\nngo1@example.org,First NGO\nngo2@example.org,\"Second, NGO\"\n"
	res := admin.DoHeaders("POST", "/api/lists?name=NGOs", csv, map[string]string{"Content-Type": "text/csv"})
	var ngos listView
	res.Decode(t, &ngos)
	if res.Status != 201 || ngos.Count != 2 || ngos.Addresses[1].Name != "Second, NGO" {
		t.Errorf("a CSV list: %d %s", res.Status, res.Body)
	}

	res = admin.Do("POST", "/api/lists", map[string]any{"name": "Bad", "addresses": []map[string]string{{"email": "a@example.org"}, {"email": "not an address"}}})
	var bad struct{ Fields map[string]string }
	res.Decode(t, &bad)
	if res.Status != 422 || bad.Fields["addresses[1].email"] == "" {
		t.Errorf("a bad address: %d %s", res.Status, res.Body)
	}

	// Before any mission is imported there is nothing to list.
	if got := admin.Do("POST", "/api/lists", map[string]any{"name": "Permanent Missions", "from": "missions"}).Status; got != 422 {
		t.Errorf("a missions list without missions: %d, want 422", got)
	}
	importMissions(t, e, singapore, kenya)
	var pm listView
	admin.MustJSON("POST", "/api/lists", map[string]any{"name": "Permanent Missions", "from": "missions"}, 201, &pm)
	if pm.Count != 2 || pm.Addresses[0].Email != kenya.Email || pm.Addresses[1].Name != singapore.Name {
		t.Errorf("the missions list: %+v", pm)
	}

	var all struct{ Lists []listView }
	admin.MustJSON("GET", "/api/lists", nil, 200, &all)
	names := []string{}
	for _, l := range all.Lists {
		names = append(names, fmt.Sprint(l.Name, ":", l.Count))
	}
	if got := strings.Join(names, " "); got != "NGOs:2 Observers:2 Permanent Missions:2" {
		t.Errorf("the lists: %s", got)
	}
	// Saving a list of the same name replaces its addresses.
	admin.MustJSON("POST", "/api/lists", map[string]any{"name": "Observers", "addresses": []map[string]string{{"email": "one@example.org"}}}, 201, &obs)
	var again listView
	admin.MustJSON("GET", fmt.Sprintf("/api/lists/%d", obs.ID), nil, 200, &again)
	if again.Count != 1 || again.Addresses[0].Email != "one@example.org" {
		t.Errorf("the replaced list: %+v", again)
	}
}
