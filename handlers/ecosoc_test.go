package handlers_test

import (
	"bytes"
	"mime/multipart"
	"testing"

	"rostrum/internal/testenv"
)

type ecosocReport struct {
	Matched   int `json:"matched"`
	New       int `json:"new"`
	Removed   int `json:"removed"`
	Ambiguous []struct {
		Name       string `json:"name"`
		Why        string `json:"why"`
		Candidates []struct {
			ID   uint   `json:"id"`
			Name string `json:"name"`
		} `json:"candidates"`
	} `json:"ambiguous"`
}

// importECOSOC sends the list as a text/csv body.
func importECOSOC(t *testing.T, admin *testenv.Client, csv string, want int) ecosocReport {
	t.Helper()
	var rep ecosocReport
	res := admin.DoHeaders("POST", "/api/ecosoc/import", csv, map[string]string{"Content-Type": "text/csv"})
	if res.Status != want {
		t.Fatalf("import: %d, want %d: %s", res.Status, want, res.Body)
	}
	if want == 200 {
		res.Decode(t, &rep)
	}
	return rep
}

type trackedReg struct {
	ID                   uint   `json:"id"`
	Name                 string `json:"name"`
	Track                string `json:"track"`
	ECOSOCVerifiedStatus string `json:"ecosoc_verified_status"`
	ClaimUnverified      bool   `json:"claim_unverified"`
	Organization         struct {
		ID   uint   `json:"id"`
		Name string `json:"name"`
	} `json:"organization"`
}

func tracked(t *testing.T, staff *testenv.Client, query string) map[string]trackedReg {
	t.Helper()
	var l struct{ Registrations []trackedReg }
	staff.MustJSON("GET", "/api/meetings/m/registrations"+query, nil, 200, &l)
	out := map[string]trackedReg{}
	for _, r := range l.Registrations {
		out[r.Name] = r
	}
	return out
}

func orgRegistration(org, ecosoc, name, email string) map[string]any {
	b := testenv.RegistrationBody(org, name, email)
	b["organization"].(map[string]any)["ecosoc_status"] = ecosoc
	return b
}

// TestECOSOCImportMatchesNamesAsRegistrationFoldsThem: a listed name
// written with other spacing, case and Unicode forms (decomposed accents,
// full-width letters) matches the organization record; a name first
// seen in the list is created, and whoever registers for it later is on
// the ECOSOC track with the list's status.
func TestECOSOCImportMatchesNamesAsRegistrationFoldsThem(t *testing.T) {
	e := testenv.New(t)
	registrationMeeting(t, e, "m", 0, 0)
	admin := e.Admin()
	mustRegister(t, e, "m", orgRegistration("Université de Genève", "special", "Ana", "ana@example.org"))
	mustRegister(t, e, "m", orgRegistration("Access Now", "none", "Ben", "ben@example.org"))
	cleo := mustRegister(t, e, "m", orgRegistration("Claimed Status Network", "general", "Cleo", "cleo@example.org"))

	// "Universite\u0301" is é decomposed; "ＡＣＣＥＳＳ" is full-width.
	rep := importECOSOC(t, admin, "name,status,year\n"+
		"\"  Universite\u0301   de  GENÈVE \",special,1998\n"+
		"ＡＣＣＥＳＳ now,roster,2012\n"+
		"Listed But Unregistered Alliance,general,1975\n", 200)
	if rep.Matched != 2 || rep.New != 1 || len(rep.Ambiguous) != 0 {
		t.Fatalf("report %+v, want 2 matched, 1 new, none ambiguous", rep)
	}
	mustRegister(t, e, "m", orgRegistration("listed but unregistered  alliance", "none", "Dan", "dan@example.org"))

	regs := tracked(t, admin, "")
	for name, want := range map[string]struct{ track, status string }{
		"Ana": {"ecosoc", "special"}, "Ben": {"ecosoc", "roster"}, "Dan": {"ecosoc", "general"},
		"Cleo": {"non_objection", ""},
	} {
		if r := regs[name]; r.Track != want.track || r.ECOSOCVerifiedStatus != want.status {
			t.Errorf("%s: track %q status %q, want %q %q", name, r.Track, r.ECOSOCVerifiedStatus, want.track, want.status)
		}
	}
	if !regs["Cleo"].ClaimUnverified || regs["Ana"].ClaimUnverified || regs["Ben"].ClaimUnverified {
		t.Errorf("claim_unverified must mark Cleo (claimed general, not listed) only: %+v", regs)
	}
	if regs["Dan"].Organization.Name != "Listed But Unregistered Alliance" {
		t.Errorf("Dan's organization is %q, want the record the list created", regs["Dan"].Organization.Name)
	}
	// The record the list created took its country from Dan's registration.
	var org struct {
		Organizations []struct{ Country, Type string }
	}
	admin.MustJSON("GET", "/api/organizations?q=unregistered", nil, 200, &org)
	if len(org.Organizations) != 1 || org.Organizations[0].Country != "KE" || org.Organizations[0].Type != "ngo" {
		t.Errorf("the created record after its first registration: %+v", org.Organizations)
	}
	// The participant does not see the secretariat's note.
	var me struct {
		ClaimUnverified *bool  `json:"claim_unverified"`
		Track           string `json:"track"`
	}
	e.Participant(cleo.Token()).MustJSON("GET", "/api/participant", nil, 200, &me)
	if me.ClaimUnverified != nil {
		t.Errorf("the participant sees claim_unverified")
	}
}

// TestRegistrationsFilterByTrack: ?track= keeps one track's registrations,
// and an unknown track is a field error.
func TestRegistrationsFilterByTrack(t *testing.T) {
	e := testenv.New(t)
	registrationMeeting(t, e, "m", 0, 0)
	admin := e.Admin()
	mustRegister(t, e, "m", orgRegistration("Listed Org", "none", "Ana", "ana@example.org"))
	mustRegister(t, e, "m", orgRegistration("Unlisted Org", "none", "Ben", "ben@example.org"))
	importECOSOC(t, admin, "name,status,year\nListed Org,general,2001\n", 200)
	for q, want := range map[string]string{"?track=ecosoc": "Ana", "?track=non_objection": "Ben"} {
		regs := tracked(t, admin, q)
		if len(regs) != 1 || regs[want].Name != want {
			t.Errorf("%s: %v, want only %s", q, regs, want)
		}
	}
	if n := len(tracked(t, admin, "?track=delegation")); n != 0 {
		t.Errorf("?track=delegation: %d registrations, want none", n)
	}
	if res := admin.Do("GET", "/api/meetings/m/registrations?track=vip", nil); res.Status != 422 {
		t.Errorf("?track=vip: %d, want 422", res.Status)
	}
}

// TestECOSOCImportReportsAmbiguousNamesAndReplacesTheList: a listed name
// that differs from a record only by its accents is reported, not
// matched nor created; a name listed twice with two statuses is
// reported; a bad line refuses the whole list; a second import replaces
// the first (an organization no longer listed leaves the ECOSOC track);
// the list also comes as the multipart field "file".
func TestECOSOCImportReportsAmbiguousNamesAndReplacesTheList(t *testing.T) {
	e := testenv.New(t)
	registrationMeeting(t, e, "m", 0, 0)
	admin := e.Admin()
	mustRegister(t, e, "m", orgRegistration("Société Civile Unie", "none", "Ana", "ana@example.org"))
	mustRegister(t, e, "m", orgRegistration("Kept Org", "none", "Ben", "ben@example.org"))

	importECOSOC(t, admin, "name,status\nKept Org,general\nBad Org,consultative\n", 422)
	if r := tracked(t, admin, ""); r["Ben"].Track != "non_objection" {
		t.Fatalf("a refused list changed a track: %+v", r["Ben"])
	}
	rep := importECOSOC(t, admin, "name,status,year\nSociete Civile Unie,special,2000\nKept Org,general,1990\nTwice Org,general,\nTwice Org,roster,\n", 200)
	if rep.Matched != 1 || rep.New != 0 || len(rep.Ambiguous) != 2 {
		t.Fatalf("report %+v, want 1 matched, 0 new, 2 ambiguous", rep)
	}
	if a := rep.Ambiguous[0]; a.Name != "Societe Civile Unie" || len(a.Candidates) != 1 || a.Candidates[0].Name != "Société Civile Unie" {
		t.Errorf("ambiguous %+v, want Societe Civile Unie with the accented record as candidate", a)
	}
	if r := tracked(t, admin, ""); r["Ana"].Track != "non_objection" || r["Ben"].Track != "ecosoc" {
		t.Errorf("tracks %+v", r)
	}

	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	fw, _ := w.CreateFormFile("file", "list.csv")
	fw.Write([]byte("name,status,year\nSociété civile unie,special,2000\n"))
	w.Close()
	res := admin.DoHeaders("POST", "/api/ecosoc/import", buf.Bytes(), map[string]string{"Content-Type": w.FormDataContentType()})
	if res.Status != 200 {
		t.Fatalf("multipart import: %d %s", res.Status, res.Body)
	}
	res.Decode(t, &rep)
	if rep.Matched != 1 || rep.Removed != 1 {
		t.Errorf("report %+v, want 1 matched and Kept Org removed", rep)
	}
	if r := tracked(t, admin, ""); r["Ana"].Track != "ecosoc" || r["Ben"].Track != "non_objection" {
		t.Errorf("after the second list: %+v", r)
	}
}
