package handlers_test

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"rostrum/auth"
	"rostrum/internal/testenv"
	"rostrum/models"
)

// recorded is a meeting as the live list recorded it: agenda items,
// approved participants and the speaker entries that had the floor.
type recorded struct {
	slug     string
	speakers []uint // speaker entry ids in speaking order
	token    string // a participant's token
	emails   []string
	orgs     []string
	persons  []string
}

// seedRecordedMeeting creates a meeting through the API and records its
// participants and interventions in the database, as registration and
// the live list would have.
func seedRecordedMeeting(t *testing.T, e *testenv.Env, slug, attribution string) recorded {
	t.Helper()
	admin := e.Admin()
	in := meetingInput(slug)
	in["attribution"] = attribution
	in["chair"] = "Mr. David Koh"
	admin.MustJSON("POST", "/api/meetings", in, 201, nil)
	var items []uint
	for _, title := range []string{"Existing and potential threats", "International law"} {
		var it models.AgendaItem
		admin.MustJSON("POST", "/api/meetings/"+slug+"/agenda", map[string]any{"title": title, "speaking_time_seconds": 180}, 201, &it)
		items = append(items, it.ID)
	}
	db := e.App.DB
	var m models.Meeting
	if err := db.Where("slug = ?", slug).First(&m).Error; err != nil {
		t.Fatal(err)
	}
	r := recorded{slug: slug}
	people := []struct {
		org, typ, cc, name, email string
	}{
		{"Fundación Ñandú " + slug, "ngo", "AR", "Ana Pérez", "ana@" + slug + ".example.org"},
		{"東京サイバー研究所 " + slug, "private_sector", "JP", "Kenji Satō", "kenji@" + slug + ".example.jp"},
		{"<script>alert(1)</script> **Evil** </w:t> =cmd " + slug, "academia", "FR", "Eve Hostile", "eve@" + slug + ".example.fr"},
	}
	start := m.StartsAt
	for i, p := range people {
		o := models.Organization{Name: p.org, NameKey: strings.ToLower(p.org), Type: p.typ, Country: p.cc}
		if err := db.Create(&o).Error; err != nil {
			t.Fatal(err)
		}
		tok := auth.NewToken()
		reg := models.Registration{MeetingID: m.ID, OrganizationID: o.ID, Name: p.name, Email: p.email,
			Status: models.StatusApproved, Token: tok, TokenHash: auth.HashToken(tok), ConsentAt: start}
		if err := db.Create(&reg).Error; err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			r.token = tok
		}
		r.emails = append(r.emails, p.email)
		r.orgs = append(r.orgs, p.org)
		r.persons = append(r.persons, p.name)
		for j, item := range items {
			began := start.Add(time.Duration(i*10+j) * time.Minute)
			ended := began.Add(2 * time.Minute)
			row := map[string]any{
				"meeting_id": m.ID, "agenda_item_id": item, "registration_id": reg.ID, "name": p.name,
				"organization": p.org, "stakeholder_type": p.typ, "kind": "statement", "state": "done",
				"position": i, "requested_at": began, "started_at": began, "ended_at": ended,
				"time_limit_seconds": 180, "paused_ms": 0, "spoken_ms": 120000,
			}
			if err := db.Table("speaker_entries").Create(row).Error; err != nil {
				t.Fatalf("record a speaker entry (the live list's table): %v", err)
			}
		}
	}
	var ids []uint
	if err := db.Table("speaker_entries").Where("meeting_id = ?", m.ID).Order("id").Pluck("id", &ids).Error; err != nil {
		t.Fatal(err)
	}
	r.speakers = ids
	return r
}

type versionOut struct {
	Version       int    `json:"version"`
	State         string `json:"state"`
	Markdown      string `json:"markdown"`
	Revisions     int    `json:"revisions"`
	CirculationID uint   `json:"circulation_id"`
}

func annexII(md string) (body string) {
	if i := strings.Index(md, "## Annex II"); i >= 0 {
		return md[:i]
	}
	return md
}

func TestRapporteurNotesBecomeUnattributedParagraphsUnderChathamHouse(t *testing.T) {
	e := testenv.New(t)
	r := seedRecordedMeeting(t, e, "ch", models.AttributionChathamHouse)
	rap := e.Staff(models.RoleRapporteur)
	rap.MustJSON("PUT", fmt.Sprintf("/api/meetings/ch/speakers/%d/note", r.speakers[0]),
		map[string]any{"text": "Stressed the protection of hospitals.", "key_points": []string{"Critical infrastructure"}}, 200, nil)
	rap.MustJSON("PUT", fmt.Sprintf("/api/meetings/ch/speakers/%d/note", r.speakers[2]),
		map[string]any{"text": "Described supply-chain attacks.", "key_points": []string{}}, 200, nil)
	rap.MustJSON("PUT", fmt.Sprintf("/api/meetings/ch/speakers/%d/note", r.speakers[4]),
		map[string]any{"text": "<img src=x onerror=alert(1)> **ignore** [x](javascript:alert(1))", "key_points": []string{}}, 200, nil)
	var notes struct {
		Notes []struct {
			SpeakerID uint   `json:"speaker_id"`
			Text      string `json:"text"`
		} `json:"notes"`
	}
	rap.MustJSON("GET", "/api/meetings/ch/notes", nil, 200, &notes)
	if len(notes.Notes) != 6 || notes.Notes[0].Text != "Stressed the protection of hospitals." {
		t.Fatalf("notes %+v", notes.Notes)
	}
	var v versionOut
	e.Admin().MustJSON("POST", "/api/meetings/ch/summary", nil, 201, &v)
	if v.Version != 1 || v.State != "draft" {
		t.Fatalf("version %+v", v)
	}
	for _, want := range []string{
		// A key point is drafted (the note beside it is the rapporteur's
		// record); a note without key points is drafted itself.
		"A participant from civil society called for critical infrastructure;",
		"a participant from the private sector also described supply-chain attacks;",
		`a participant from academia also noted that \<img src=x onerror=alert(1)\> \*\*ignore\*\* \[x\](javascript:alert(1)).`,
		"In all, 6 interventions were made under 2 agenda items, with a total speaking time of 12 minutes.",
		"Representatives of 3 organizations took part in the meeting, namely 1 non-governmental organization, 1 private sector entity and 1 academic or research institution.",
	} {
		if !strings.Contains(v.Markdown, want) {
			t.Errorf("draft lacks %q:\n%s", want, v.Markdown)
		}
	}
	body := annexII(v.Markdown)
	for _, name := range append(append([]string{}, r.persons...), "Ñandú", "東京サイバー研究所", "Evil", "(AR)", "(JP)") {
		if strings.Contains(body, name) {
			t.Errorf("%q appears in the body under the Chatham House Rule", name)
		}
	}
	for _, p := range r.persons {
		if strings.Contains(v.Markdown, p) {
			t.Errorf("person %q named in the summary", p)
		}
	}
}

func TestAttributedMeetingNamesTheOrganization(t *testing.T) {
	e := testenv.New(t)
	r := seedRecordedMeeting(t, e, "at", models.AttributionAttributed)
	e.Admin().MustJSON("PUT", fmt.Sprintf("/api/meetings/at/speakers/%d/note", r.speakers[2]),
		map[string]any{"text": "Described supply-chain attacks.", "key_points": []string{}}, 200, nil)
	var v versionOut
	e.Admin().MustJSON("POST", "/api/meetings/at/summary", nil, 201, &v)
	// Attributed: the organization is named, with its country's name, and
	// the note is put in reported speech.
	if !strings.Contains(v.Markdown, "The representative of 東京サイバー研究所 at (Japan) described supply-chain attacks.") {
		t.Fatalf("draft:\n%s", v.Markdown)
	}
}

func TestNoteRulesAndUnknownSpeakers(t *testing.T) {
	e := testenv.New(t)
	r := seedRecordedMeeting(t, e, "nr", models.AttributionChathamHouse)
	seedRecordedMeeting(t, e, "other", models.AttributionChathamHouse)
	rap := e.Staff(models.RoleRapporteur)
	rap.MustJSON("PUT", "/api/meetings/nr/speakers/99999/note", map[string]any{"text": "x"}, 404, nil)
	// a speaker of another meeting is not this meeting's
	var other []uint
	e.App.DB.Table("speaker_entries").Where("meeting_id <> (SELECT id FROM meetings WHERE slug = 'nr')").Pluck("id", &other)
	rap.MustJSON("PUT", fmt.Sprintf("/api/meetings/nr/speakers/%d/note", other[0]), map[string]any{"text": "x"}, 404, nil)
	path := fmt.Sprintf("/api/meetings/nr/speakers/%d/note", r.speakers[0])
	rap.MustJSON("PUT", path, map[string]any{"text": strings.Repeat("a", 10001)}, 422, nil)
	rap.MustJSON("PUT", path, map[string]any{"text": "x", "unknown": 1}, 400, nil)
	kps := make([]string, 21)
	for i := range kps {
		kps[i] = "p"
	}
	rap.MustJSON("PUT", path, map[string]any{"text": "x", "key_points": kps}, 422, nil)
}

func TestApprovedVersionIsFrozenAndEditsStartANewVersion(t *testing.T) {
	e := testenv.New(t)
	seedRecordedMeeting(t, e, "fz", models.AttributionChathamHouse)
	admin := e.Admin()
	var v versionOut
	admin.MustJSON("POST", "/api/meetings/fz/summary", nil, 201, &v)
	edited := v.Markdown + "\nAn added paragraph.\n"
	admin.MustJSON("PUT", "/api/meetings/fz/summary/1", map[string]string{"markdown": edited}, 200, &v)
	if v.Revisions != 2 || v.Markdown != edited {
		t.Fatalf("after edit %+v", v)
	}
	var revs struct {
		Revisions []struct {
			Revision int `json:"revision"`
		} `json:"revisions"`
	}
	admin.MustJSON("GET", "/api/meetings/fz/summary/1/revisions", nil, 200, &revs)
	if len(revs.Revisions) != 2 {
		t.Fatalf("revisions %+v", revs)
	}
	var diff struct {
		Diff string `json:"diff"`
	}
	admin.MustJSON("GET", "/api/meetings/fz/summary/1/diff?from=1&to=2", nil, 200, &diff)
	if !strings.Contains(diff.Diff, "+An added paragraph.") {
		t.Fatalf("diff %q", diff.Diff)
	}
	admin.MustJSON("GET", "/api/meetings/fz/summary/1/diff?from=1", nil, 422, nil)
	admin.MustJSON("POST", "/api/meetings/fz/summary/1/circulate", map[string]any{"extra": []string{}}, 409, nil)
	admin.MustJSON("POST", "/api/meetings/fz/summary/1/approve", nil, 200, &v)
	if v.State != "approved" {
		t.Fatalf("state %q", v.State)
	}
	admin.MustJSON("PUT", "/api/meetings/fz/summary/1", map[string]string{"markdown": "changed"}, 409, nil)
	admin.MustJSON("POST", "/api/meetings/fz/summary/1/approve", nil, 409, nil)
	admin.MustJSON("GET", "/api/meetings/fz/summary/1", nil, 200, &v)
	if v.Markdown != edited {
		t.Fatal("an approved version changed")
	}
	admin.MustJSON("POST", "/api/meetings/fz/summary", nil, 201, &v)
	if v.Version != 2 || v.State != "draft" {
		t.Fatalf("new version %+v", v)
	}
	var list struct {
		Versions []versionOut `json:"versions"`
	}
	admin.MustJSON("GET", "/api/meetings/fz/summary", nil, 200, &list)
	if len(list.Versions) != 2 || list.Versions[0].Version != 2 || list.Versions[1].State != "approved" {
		t.Fatalf("versions %+v", list.Versions)
	}
	admin.MustJSON("GET", "/api/meetings/fz/summary/3", nil, 404, nil)
	admin.MustJSON("GET", "/api/meetings/nope/summary/1", nil, 404, nil)
}

func TestDocumentsHaveTypesAndFilenamesAndArePublicOnlyOnceCirculated(t *testing.T) {
	e := testenv.New(t)
	r := seedRecordedMeeting(t, e, "docs", models.AttributionAttributed)
	admin := e.Admin()
	admin.MustJSON("PUT", fmt.Sprintf("/api/meetings/docs/speakers/%d/note", r.speakers[4]),
		map[string]any{"text": "</w:t><w:t>injected</w:t> <script>alert(2)</script> =SUM(A1)", "key_points": []string{}}, 200, nil)
	admin.MustJSON("POST", "/api/meetings/docs/summary", nil, 201, nil)
	types := map[string]string{
		"md": "text/markdown; charset=utf-8", "html": "text/html; charset=utf-8", "pdf": "application/pdf",
		"docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
	}
	for f, ct := range types {
		path := "/api/meetings/docs/summary/1." + f
		res := admin.Do("GET", path, nil)
		if res.Status != 200 || res.Header.Get("Content-Type") != ct {
			t.Fatalf("%s: %d %q", path, res.Status, res.Header.Get("Content-Type"))
		}
		if cd := res.Header.Get("Content-Disposition"); !strings.Contains(cd, `filename="docs-chairs-summary-v1.`+f+`"`) {
			t.Errorf("%s: Content-Disposition %q", path, cd)
		}
		if got := e.Anon().Do("GET", path, nil).Status; got != 401 {
			t.Errorf("anonymous %s of a draft: %d, want 401", path, got)
		}
		if got := e.Participant(r.token).Do("GET", path, nil).Status; got != 403 {
			t.Errorf("participant %s of a draft: %d, want 403", path, got)
		}
		switch f {
		case "html":
			s := string(res.Body)
			if strings.Contains(s, "<script>alert") || strings.Contains(s, "<w:t>") || !strings.Contains(s, "&lt;script&gt;alert(2)&lt;/script&gt;") {
				t.Errorf("HTML does not escape hostile text")
			}
			if csp := res.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") {
				t.Errorf("HTML document CSP %q", csp)
			}
		case "pdf":
			if !bytes.HasPrefix(res.Body, []byte("%PDF-")) {
				t.Error("not a PDF")
			}
		case "docx":
			z, err := zip.NewReader(bytes.NewReader(res.Body), int64(len(res.Body)))
			if err != nil {
				t.Fatal(err)
			}
			var doc []byte
			for _, zf := range z.File {
				if zf.Name == "word/document.xml" {
					rc, _ := zf.Open()
					var b bytes.Buffer
					_, _ = b.ReadFrom(rc)
					rc.Close()
					doc = b.Bytes()
				}
			}
			if !bytes.Contains(doc, []byte("&lt;/w:t&gt;&lt;w:t&gt;injected")) || bytes.Contains(doc, []byte("<w:t>injected")) {
				t.Error("DOCX does not escape OOXML in a note")
			}
			if !bytes.Contains(doc, []byte("Fundación Ñandú docs")) || !bytes.Contains(doc, []byte("東京サイバー研究所 docs")) {
				t.Error("DOCX lacks the organization names as entered")
			}
		}
	}
	admin.MustJSON("GET", "/api/meetings/docs/summary/1.exe", nil, 404, nil)
	e.Anon().MustJSON("GET", "/api/meetings/docs/summary/latest", nil, 404, nil)

	admin.MustJSON("POST", "/api/meetings/docs/summary/1/approve", nil, 200, nil)
	if got := e.Anon().Do("GET", "/api/meetings/docs/summary/1.pdf", nil).Status; got != 401 {
		t.Errorf("anonymous PDF of an approved, not circulated version: %d", got)
	}
	admin.MustJSON("POST", "/api/meetings/docs/summary/1/circulate", map[string]any{"extra": []string{"press@un.example.org"}}, 202, nil)
	for f := range types {
		if res := e.Anon().Do("GET", "/api/meetings/docs/summary/1."+f, nil); res.Status != 200 {
			t.Errorf("anonymous %s of a circulated version: %d", f, res.Status)
		}
	}
	var latest struct {
		Version int    `json:"version"`
		HTML    string `json:"html"`
	}
	e.Anon().MustJSON("GET", "/api/meetings/docs/summary/latest", nil, 200, &latest)
	if latest.Version != 1 || !strings.Contains(latest.HTML, "Chair&#39;s Summary") {
		t.Fatalf("latest %+v", latest)
	}
}

func TestSummaryRoutesCheckRoles(t *testing.T) {
	e := testenv.New(t)
	r := seedRecordedMeeting(t, e, "roles", models.AttributionChathamHouse)
	admin := e.Admin()
	admin.MustJSON("POST", "/api/meetings/roles/summary", nil, 201, nil) // version 1: a draft
	note := fmt.Sprintf("/api/meetings/roles/speakers/%d/note", r.speakers[0])
	clients := map[string]*testenv.Client{
		"anonymous":   e.Anon(),
		"participant": e.Participant(r.token),
		"moderator":   e.Staff(models.RoleModerator),
		"rapporteur":  e.Staff(models.RoleRapporteur),
		"admin":       admin,
	}
	noCSRF := *e.Admin()
	noCSRF.CSRF = ""
	clients["admin without CSRF"] = &noCSRF
	md := map[string]string{"markdown": "# Chair's Summary\n"}
	type cell struct {
		method, path string
		body         any
		want         map[string]int // by client; missing = the route's default
	}
	staffRead := map[string]int{"anonymous": 401, "participant": 401, "moderator": 200, "rapporteur": 200, "admin": 200, "admin without CSRF": 200}
	adminOnly := func(ok int) map[string]int {
		return map[string]int{"anonymous": 401, "participant": 401, "moderator": 403, "rapporteur": 403, "admin": ok, "admin without CSRF": 403}
	}
	cells := []cell{
		{"GET", "/api/meetings/roles/notes", nil, map[string]int{"anonymous": 401, "participant": 401, "moderator": 403, "rapporteur": 200, "admin": 200, "admin without CSRF": 200}},
		{"PUT", note, map[string]any{"text": "x"}, map[string]int{"anonymous": 401, "participant": 401, "moderator": 403, "rapporteur": 200, "admin": 200, "admin without CSRF": 403}},
		{"GET", "/api/meetings/roles/summary", nil, staffRead},
		{"GET", "/api/meetings/roles/summary/1", nil, staffRead},
		{"GET", "/api/meetings/roles/summary/1/revisions", nil, staffRead},
		{"GET", "/api/meetings/roles/summary/1/diff?from=1&to=1", nil, staffRead},
		{"GET", "/api/meetings/roles/summary/1.md", nil, map[string]int{"anonymous": 401, "participant": 403, "moderator": 200, "rapporteur": 200, "admin": 200, "admin without CSRF": 200}},
		{"POST", "/api/meetings/roles/summary/preview", md, map[string]int{"anonymous": 401, "participant": 401, "moderator": 200, "rapporteur": 200, "admin": 200, "admin without CSRF": 403}},
		{"PUT", "/api/meetings/roles/summary/1", md, adminOnly(200)},
		{"POST", "/api/meetings/roles/summary", nil, adminOnly(201)},
		{"POST", "/api/meetings/roles/summary/1/circulate", map[string]any{"extra": []string{"a@example.org"}}, adminOnly(409)}, // a draft
		{"GET", "/api/meetings/roles/circulations/1", nil, map[string]int{"anonymous": 401, "participant": 401, "moderator": 404, "rapporteur": 404, "admin": 404, "admin without CSRF": 404}},
		{"POST", "/api/meetings/roles/circulations/1/resend", nil, adminOnly(404)},
		{"POST", "/api/meetings/roles/summary/1/approve", nil, adminOnly(200)}, // last: freezes version 1
	}
	order := []string{"anonymous", "participant", "moderator", "rapporteur", "admin without CSRF", "admin"}
	n := 0
	for _, c := range cells {
		for _, who := range order {
			want := c.want[who]
			if got := clients[who].Do(c.method, c.path, c.body).Status; got != want {
				t.Errorf("%s %s as %s: %d, want %d", c.method, c.path, who, got, want)
			}
			n++
		}
	}
	t.Logf("%d cells checked", n)
}

func TestConcurrentDraftsAndNotesGetDistinctNumbersAndOneNote(t *testing.T) {
	e := testenv.New(t)
	r := seedRecordedMeeting(t, e, "cc", models.AttributionChathamHouse)
	admin := e.Admin()
	// With a version already there, concurrent drafts queue on its row
	// lock (PostgreSQL) and would all read it as the last one.
	admin.MustJSON("POST", "/api/meetings/cc/summary", nil, 201, nil)
	const n = 6
	versions := make(chan int, n)
	errs := make(chan error, 2*n)
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(2)
		go func() {
			defer wg.Done()
			res := admin.Do("POST", "/api/meetings/cc/summary", nil)
			if res.Status != 201 {
				errs <- fmt.Errorf("create: %d %s", res.Status, res.Body)
				return
			}
			var v versionOut
			if err := json.Unmarshal(res.Body, &v); err != nil {
				errs <- err
				return
			}
			versions <- v.Version
		}()
		go func(i int) {
			defer wg.Done()
			res := admin.Do("PUT", fmt.Sprintf("/api/meetings/cc/speakers/%d/note", r.speakers[0]), map[string]any{"text": fmt.Sprintf("note %d", i)})
			if res.Status != 200 {
				errs <- fmt.Errorf("note: %d %s", res.Status, res.Body)
			}
		}(i)
	}
	wg.Wait()
	close(versions)
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	seen := map[int]bool{}
	for v := range versions {
		if seen[v] || v < 2 || v > n+1 {
			t.Errorf("version number %d repeated or out of range", v)
		}
		seen[v] = true
	}
	var count int64
	e.App.DB.Model(&models.SpeakerNote{}).Where("speaker_entry_id = ?", r.speakers[0]).Count(&count)
	if count != 1 {
		t.Fatalf("%d notes for one intervention, want 1", count)
	}
}
