package handlers_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"rostrum/internal/testenv"
	"rostrum/models"
)

const oewgBody = "Open-ended Working Group on developments in the field of information and telecommunications in the context of international security"

// processMeeting creates meeting slug in process (with kind) starting on
// day (a date of 2030) in zone tz.
func processMeeting(t *testing.T, e *testenv.Env, slug, process, kind, day, tz string) {
	t.Helper()
	in := meetingInput(slug)
	in["process"], in["kind"], in["timezone"] = process, kind, tz
	in["starts_at"], in["ends_at"], in["registration_closes_at"] = day+"T10:00", day+"T18:00", day+"T09:00"
	e.Admin().MustJSON("POST", "/api/meetings", in, 201, nil)
}

type processOut struct {
	Slug     string `json:"slug"`
	Title    string `json:"title"`
	Acronym  string `json:"acronym"`
	Meetings []struct {
		Slug     string `json:"slug"`
		Kind     string `json:"kind"`
		Process  string `json:"process"`
		Timezone string `json:"timezone"`
		ZoneCity string `json:"zone_city"`
		StartsAt string `json:"starts_at"`
		Summary  *struct {
			Version int    `json:"version"`
			URL     string `json:"url"`
			PDF     string `json:"pdf"`
		} `json:"summary"`
	} `json:"meetings"`
}

// TestAProcessListsItsMeetingsInOrderWithTheirCirculatedSummaries: the
// secretariat creates a process and puts meetings in it; anyone reads it
// with its meetings, earliest first, each with its zone, and the latest
// circulated summary of each (none until one is circulated).
func TestAProcessListsItsMeetingsInOrderWithTheirCirculatedSummaries(t *testing.T) {
	e := testenv.New(t)
	admin, anon := e.Admin(), e.Anon()
	var p struct{ Slug, Title, Acronym string }
	admin.MustJSON("POST", "/api/processes", map[string]string{"slug": "oewg", "title": "OEWG on ICTs", "acronym": "OEWG"}, 201, &p)
	if p.Slug != "oewg" || p.Acronym != "OEWG" {
		t.Fatalf("created %+v", p)
	}
	admin.MustJSON("POST", "/api/processes", map[string]string{"slug": "oewg", "title": "Again"}, 422, nil)
	admin.MustJSON("POST", "/api/processes", map[string]string{"slug": "Bad Slug", "title": ""}, 422, nil)

	processMeeting(t, e, "second", "oewg", "substantive_session", "2030-02-10", "America/New_York")
	processMeeting(t, e, "informal", "oewg", "intersessional", "2029-12-02", "America/New_York")
	processMeeting(t, e, "geneva", "oewg", "intersessional", "2030-03-30", "Europe/Zurich")
	registrationMeeting(t, e, "elsewhere", 0, 0)
	in := meetingInput("orphan")
	in["process"] = "no-such-process"
	if res := admin.Do("POST", "/api/meetings", in); res.Status != 422 || !strings.Contains(string(res.Body), `"process"`) {
		t.Fatalf("a meeting in an unknown process: %d %s", res.Status, res.Body)
	}
	anon.MustJSON("GET", "/api/meetings/orphan", nil, 404, nil)
	in["process"], in["kind"] = "", "plenary"
	admin.MustJSON("POST", "/api/meetings", in, 422, nil)

	var list struct{ Processes []struct{ Slug string } }
	anon.MustJSON("GET", "/api/processes", nil, 200, &list)
	if len(list.Processes) != 1 || list.Processes[0].Slug != "oewg" {
		t.Fatalf("processes %+v", list)
	}
	var out processOut
	anon.MustJSON("GET", "/api/processes/oewg", nil, 200, &out)
	var got []string
	for _, m := range out.Meetings {
		got = append(got, m.Slug+"/"+m.Kind+"/"+m.ZoneCity)
		if m.Process != "oewg" || m.Summary != nil {
			t.Errorf("meeting %s: process %q, summary %+v", m.Slug, m.Process, m.Summary)
		}
	}
	if want := "informal/intersessional/New York second/substantive_session/New York geneva/intersessional/Geneva"; strings.Join(got, " ") != want {
		t.Fatalf("meetings %v, want %s", got, want)
	}
	if out.Meetings[2].StartsAt != "2030-03-30T09:00:00Z" {
		t.Errorf("10:00 in Geneva was stored as %s", out.Meetings[2].StartsAt)
	}
	anon.MustJSON("GET", "/api/processes/nope", nil, 404, nil)

	// A circulated summary joins its meeting; a draft does not.
	admin.MustJSON("POST", "/api/meetings/informal/summary", nil, 201, nil)
	admin.MustJSON("POST", "/api/meetings/second/summary", nil, 201, nil)
	admin.MustJSON("POST", "/api/meetings/informal/summary/1/approve", nil, 200, nil)
	admin.MustJSON("POST", "/api/meetings/informal/summary/1/circulate", map[string]any{"extra": []string{"chair@example.org"}}, 202, nil)
	anon.MustJSON("GET", "/api/processes/oewg", nil, 200, &out)
	s := out.Meetings[0].Summary
	if s == nil || s.Version != 1 || s.URL != "/m/informal/summary" || s.PDF != "/api/meetings/informal/summary/1.pdf" {
		t.Fatalf("the circulated summary: %+v", s)
	}
	if out.Meetings[1].Summary != nil {
		t.Fatalf("a draft is listed as circulated: %+v", out.Meetings[1].Summary)
	}
	anon.MustJSON("GET", s.PDF, nil, 200, nil)
}

// TestAMeetingsProcessBodyAndKindAreEditedAndTheRestKept: PATCH moves a
// meeting into a process (422 and nothing changed for an unknown one),
// sets its body and kind, and keeps every field it does not name, the
// document symbol included.
func TestAMeetingsProcessBodyAndKindAreEditedAndTheRestKept(t *testing.T) {
	e := testenv.New(t)
	admin := e.Admin()
	admin.MustJSON("POST", "/api/processes", map[string]string{"slug": "oewg", "title": "OEWG on ICTs"}, 201, nil)
	in := meetingInput("m")
	in["symbol"] = "A/AC.290/2020/INF/1"
	admin.MustJSON("POST", "/api/meetings", in, 201, nil)

	type meetingOut struct {
		Symbol, Body, Process, Kind, Venue string
		BodyAcronym                        string `json:"body_acronym"`
	}
	var m meetingOut
	admin.MustJSON("PATCH", "/api/meetings/m", map[string]any{"venue": "Conference Room 2"}, 200, &m)
	if m.Symbol != "A/AC.290/2020/INF/1" || m.Kind != models.MeetingKindOther || m.Process != "" {
		t.Fatalf("an edit of the venue changed other fields: %+v", m)
	}
	res := admin.Do("PATCH", "/api/meetings/m", map[string]any{"process": "nope", "venue": "Room 3"})
	if res.Status != 422 || !strings.Contains(string(res.Body), `"process"`) {
		t.Fatalf("unknown process: %d %s", res.Status, res.Body)
	}
	admin.MustJSON("PATCH", "/api/meetings/m", map[string]any{"body_acronym": "OEWG"}, 422, nil) // an acronym needs its full name
	admin.MustJSON("PATCH", "/api/meetings/m", map[string]any{
		"process": "oewg", "kind": "intersessional", "body": oewgBody, "body_acronym": "OEWG",
	}, 200, &m)
	if m.Process != "oewg" || m.Kind != "intersessional" || m.Body != oewgBody || m.BodyAcronym != "OEWG" || m.Venue != "Conference Room 2" || m.Symbol == "" {
		t.Fatalf("after the edit: %+v", m)
	}
	e.Anon().MustJSON("GET", "/api/meetings/m", nil, 200, &m)
	if m.Process != "oewg" {
		t.Fatalf("GET shows process %q", m.Process)
	}
	var all struct{ Meetings []meetingOut }
	e.Anon().MustJSON("GET", "/api/meetings", nil, 200, &all)
	if len(all.Meetings) != 1 || all.Meetings[0].Process != "oewg" {
		t.Fatalf("the list: %+v", all)
	}
	// The summary names the body in full with its acronym, then by it.
	var v versionOut
	admin.MustJSON("POST", "/api/meetings/m/summary", nil, 201, &v)
	if !strings.Contains(v.Markdown, "convened in the framework of the "+oewgBody+" (OEWG),") ||
		!strings.Contains(v.Markdown, "to the work of the OEWG") {
		t.Fatalf("the draft does not name the body:\n%s", v.Markdown[:min(len(v.Markdown), 1500)])
	}
	// Leaving the process: "" is none.
	admin.MustJSON("PATCH", "/api/meetings/m", map[string]any{"process": ""}, 200, &m)
	if m.Process != "" {
		t.Fatalf("process %q after leaving it", m.Process)
	}
}

// TestOrganizationRecordsAreSharedByTheMeetingsOfAProcess: organization
// records (with their ECOSOC status) are not a meeting's: registering
// for two meetings of a process under one organization gives one record,
// as the secretariat keeps it.
func TestOrganizationRecordsAreSharedByTheMeetingsOfAProcess(t *testing.T) {
	e := testenv.New(t)
	admin := e.Admin()
	admin.MustJSON("POST", "/api/processes", map[string]string{"slug": "oewg", "title": "OEWG on ICTs"}, 201, nil)
	processMeeting(t, e, "first", "oewg", "substantive_session", "2030-02-10", "America/New_York")
	processMeeting(t, e, "second", "oewg", "substantive_session", "2030-07-06", "America/New_York")
	a := mustRegister(t, e, "first", testenv.RegistrationBody("Kenya ICT Action Network", "Ana", "ana@example.org"))
	b := mustRegister(t, e, "second", testenv.RegistrationBody("  kenya ict action NETWORK ", "Bo", "bo@example.org"))
	var ra, rb regView
	e.Participant(a.Token()).MustJSON("GET", "/api/participant", nil, 200, &ra)
	e.Participant(b.Token()).MustJSON("GET", "/api/participant", nil, 200, &rb)
	if ra.Organization.ID == 0 || ra.Organization.ID != rb.Organization.ID {
		t.Fatalf("organization records %d and %d, want one", ra.Organization.ID, rb.Organization.ID)
	}
}

// processDocuments reads, as c, the documents GET /api/processes/{slug}
// lists under each meeting, by the meeting's slug.
func processDocuments(t *testing.T, c *testenv.Client, slug string) map[string][]processDocumentOut {
	t.Helper()
	var out struct {
		Meetings []struct {
			Slug      string
			Documents []processDocumentOut
		}
	}
	res := c.Do("GET", "/api/processes/"+slug, nil)
	if res.Status != 200 {
		t.Fatalf("GET /api/processes/%s: %d %s", slug, res.Status, res.Body)
	}
	if strings.Contains(string(res.Body), `"documents":null`) {
		t.Errorf("a meeting without documents lists null, want []: %s", res.Body)
	}
	res.Decode(t, &out)
	docs := map[string][]processDocumentOut{}
	for _, m := range out.Meetings {
		docs[m.Slug] = m.Documents
	}
	return docs
}

type processDocumentOut struct {
	ID       uint   `json:"id"`
	Title    string `json:"title"`
	Symbol   string `json:"symbol"`
	Language string `json:"language"`
	URL      string `json:"url"`
}

// TestAProcessListsEachMeetingsPublishedDocumentsAndNeverTheUnpublished:
// each meeting of a process carries its published documents in the order
// uploaded, each linked to its public file, which anyone can fetch; an
// unpublished document is listed to no one, not even the secretariat
// (the process's page is the public's), until it is published.
func TestAProcessListsEachMeetingsPublishedDocumentsAndNeverTheUnpublished(t *testing.T) {
	e := testenv.New(t)
	admin, anon := e.Admin(), e.Anon()
	admin.MustJSON("POST", "/api/processes", map[string]string{"slug": "oewg", "title": "OEWG on ICTs"}, 201, nil)
	processMeeting(t, e, "informal", "oewg", "intersessional", "2029-12-02", "America/New_York")
	processMeeting(t, e, "geneva", "oewg", "substantive_session", "2030-03-30", "Europe/Zurich")
	pagesMeeting(t, e, "elsewhere") // not in the process

	upload := func(slug, title, symbol, lang string) documentView {
		t.Helper()
		res := admin.Upload(slug, map[string]string{"title": title, "symbol": symbol, "language": lang}, "paper.pdf", testenv.TinyPDF)
		if res.Status != 201 {
			t.Fatalf("upload %q: %d %s", title, res.Status, res.Body)
		}
		var d documentView
		res.Decode(t, &d)
		return d
	}
	publish := func(slug string, d documentView) {
		t.Helper()
		admin.MustJSON("POST", fmt.Sprintf("/api/meetings/%s/documents/%d/publish", slug, d.ID), nil, 200, nil)
	}
	programme := upload("informal", "Programme of work", "A/AC.290/2020/INF/2", "en")
	draft := upload("informal", "Draft structure of the report", "", "en")
	paper := upload("informal", "Document de travail", "A/AC.290/2020/CRP.1", "fr")
	other := upload("elsewhere", "Another meeting's paper", "X/1", "en")
	publish("informal", paper)
	publish("informal", programme)
	publish("elsewhere", other)

	for who, c := range map[string]*testenv.Client{"anyone": anon, "the secretariat": admin} {
		docs := processDocuments(t, c, "oewg")
		got := docs["informal"]
		if len(got) != 2 || got[0].Title != "Programme of work" || got[1].Title != "Document de travail" {
			t.Fatalf("%s reads the informal meeting's documents as %+v, want the two published ones in the order uploaded", who, got)
		}
		want := processDocumentOut{ID: programme.ID, Title: "Programme of work", Symbol: "A/AC.290/2020/INF/2", Language: "en",
			URL: fmt.Sprintf("/api/meetings/informal/documents/%d/file", programme.ID)}
		if got[0] != want {
			t.Errorf("%s reads %+v, want %+v", who, got[0], want)
		}
		if got[1].Language != "fr" || got[1].Symbol != "A/AC.290/2020/CRP.1" {
			t.Errorf("%s reads %+v", who, got[1])
		}
		if n := len(docs["geneva"]); n != 0 {
			t.Errorf("%s reads %d documents under a meeting that has none", who, n)
		}
		for _, d := range got {
			if d.ID == draft.ID || d.ID == other.ID {
				t.Errorf("%s reads %q under the informal meeting", who, d.Title)
			}
		}
	}
	for _, d := range processDocuments(t, anon, "oewg")["informal"] {
		if res := anon.Do("GET", d.URL, nil); res.Status != 200 || !bytes.Equal(res.Body, testenv.TinyPDF) {
			t.Errorf("anyone's GET of %s: %d", d.URL, res.Status)
		}
	}

	// Published, the draft structure takes its place in the order uploaded.
	publish("informal", draft)
	got := processDocuments(t, anon, "oewg")["informal"]
	if len(got) != 3 || got[1].ID != draft.ID || got[1].Symbol != "" {
		t.Fatalf("after publishing the draft structure: %+v", got)
	}
}
