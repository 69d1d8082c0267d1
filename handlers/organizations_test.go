package handlers_test

import (
	"fmt"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"testing"

	"rostrum/internal/testenv"
)

type orgView struct {
	ID            uint             `json:"id"`
	Name          string           `json:"name"`
	Acronym       string           `json:"acronym"`
	Type          string           `json:"type"`
	Country       string           `json:"country"`
	Website       string           `json:"website"`
	ECOSOCStatus  string           `json:"ecosoc_status"`
	Registrations map[string]int64 `json:"registrations"`
}

type orgList struct {
	Organizations []orgView `json:"organizations"`
	Total         int64     `json:"total"`
}

// orgsMatching lists the organization records matching q, as staff see them.
func orgsMatching(t *testing.T, staff *testenv.Client, q string) orgList {
	t.Helper()
	var l orgList
	staff.MustJSON("GET", "/api/organizations?q="+url.QueryEscape(q), nil, 200, &l)
	return l
}

// orgNamed is the one organization record whose name or acronym holds q.
func orgNamed(t *testing.T, staff *testenv.Client, q string) orgView {
	t.Helper()
	l := orgsMatching(t, staff, q)
	if len(l.Organizations) != 1 {
		t.Fatalf("%d organizations match %q: %+v", len(l.Organizations), q, l.Organizations)
	}
	return l.Organizations[0]
}

func orgBody(org map[string]any, name, email string) map[string]any {
	b := testenv.RegistrationBody("", name, email)
	b["organization"] = org
	return b
}

// TestALaterRegistrationLeavesTheSharedOrganizationRecordAlone: an
// anonymous registrant who names an existing organization is stored with
// what they claimed; the record keeps its values, also after they
// withdraw, and the console sees the claim beside the record.
func TestALaterRegistrationLeavesTheSharedOrganizationRecordAlone(t *testing.T) {
	e := testenv.New(t)
	registrationMeeting(t, e, "m", 0, 0)
	admin := e.Admin()
	mustRegister(t, e, "m", orgBody(map[string]any{"name": "Access Now", "type": "ngo", "country": "US"}, "Ana Souza", "ana@example.org"))
	before := orgNamed(t, admin, "access now")
	if before.Website != "" || before.ECOSOCStatus != "none" || before.Acronym != "" {
		t.Fatalf("the first registration's record: %+v", before)
	}

	phish := mustRegister(t, e, "m", orgBody(map[string]any{
		"name": "ACCESS  NOW", "acronym": "AN", "type": "ngo", "country": "US",
		"website": "https://accessnow.example.net/login", "ecosoc_status": "general",
	}, "Mallory", "mallory@example.org"))
	after := orgNamed(t, admin, "access now")
	if after.ID != before.ID || after.Website != "" || after.ECOSOCStatus != "none" || after.Acronym != "" || after.Name != "Access Now" {
		t.Fatalf("a later registration changed the record: %+v", after)
	}

	var list struct {
		Registrations []struct {
			ID           uint     `json:"id"`
			Organization orgView  `json:"organization"`
			Claim        *orgView `json:"claim"`
			ClaimDiffers []string `json:"claim_differs"`
		} `json:"registrations"`
	}
	admin.MustJSON("GET", "/api/meetings/m/registrations", nil, 200, &list)
	if len(list.Registrations) != 2 {
		t.Fatalf("%d registrations", len(list.Registrations))
	}
	first, second := list.Registrations[0], list.Registrations[1]
	if first.Claim == nil || first.Claim.Name != "Access Now" || len(first.ClaimDiffers) != 0 {
		t.Fatalf("the first registration's claim: %+v", first)
	}
	if second.ID != phish.ID || second.Claim == nil || second.Claim.Website != "https://accessnow.example.net/login" ||
		second.Claim.ECOSOCStatus != "general" || second.Claim.Acronym != "AN" || second.Organization.Website != "" {
		t.Fatalf("the later registration: %+v", second)
	}
	if want := []string{"acronym", "website", "ecosoc_status"}; !slices.Equal(second.ClaimDiffers, want) {
		t.Fatalf("claim differs in %v, want %v", second.ClaimDiffers, want)
	}

	e.Participant(phish.Token()).MustJSON("POST", "/api/participant/withdraw", nil, 200, nil)
	if o := orgNamed(t, admin, "access now"); o.Website != "" || o.ECOSOCStatus != "none" || o.Acronym != "" {
		t.Fatalf("the record after the withdrawal: %+v", o)
	}
}

func TestOrganizationsAreSearchedByNameAndAcronymWithCountsAndPages(t *testing.T) {
	e := testenv.New(t)
	registrationMeeting(t, e, "m", 0, 0)
	admin := e.Admin()
	mustRegister(t, e, "m", orgBody(map[string]any{"name": "Université de Genève", "acronym": "UNIGE", "type": "academia", "country": "CH"}, "A", "a@example.org"))
	mustRegister(t, e, "m", orgBody(map[string]any{"name": "université de genève", "type": "academia", "country": "CH"}, "B", "b@example.org"))
	r := mustRegister(t, e, "m", orgBody(map[string]any{"name": "Internet Society", "acronym": "ISOC", "type": "technical_community", "country": "US"}, "C", "c@example.org"))
	mustRegister(t, e, "m", orgBody(map[string]any{"name": "Kenya ICT Action Network", "acronym": "KICTANet", "type": "ngo", "country": "KE"}, "D", "d@example.org"))
	decide(admin, r.ID, "approve", 200)

	g := orgNamed(t, admin, "GENÈVE")
	if g.Name != "Université de Genève" || g.Registrations["total"] != 2 || g.Registrations["pending"] != 2 {
		t.Fatalf("%+v", g)
	}
	if o := orgNamed(t, admin, "unige"); o.ID != g.ID {
		t.Fatalf("by acronym: %+v", o)
	}
	if o := orgNamed(t, admin, "isoc"); o.Registrations["approved"] != 1 || o.Registrations["total"] != 1 {
		t.Fatalf("%+v", o)
	}
	if l := orgsMatching(t, admin, "nothing like it"); len(l.Organizations) != 0 || l.Total != 0 {
		t.Fatalf("%+v", l)
	}

	// Pages, by name; the total counts every match.
	var page orgList
	admin.MustJSON("GET", "/api/organizations?limit=2&offset=1", nil, 200, &page)
	if page.Total != 3 || len(page.Organizations) != 2 || page.Organizations[0].Name != "Kenya ICT Action Network" || page.Organizations[1].Name != "Université de Genève" {
		t.Fatalf("%+v", page)
	}
	var eb errBody
	admin.MustJSON("GET", "/api/organizations?limit=100000", nil, 422, &eb)
	if eb.Fields["limit"] == "" {
		t.Fatalf("%+v", eb)
	}

	// Any staff reads; the public and participants do not.
	orgNamed(t, e.Staff("moderator"), "isoc")
	e.Anon().MustJSON("GET", "/api/organizations", nil, 401, nil)
	e.Participant(r.Token()).MustJSON("GET", "/api/organizations", nil, 401, nil)
}

func TestSecretariatEditsAnOrganizationRecord(t *testing.T) {
	e := testenv.New(t)
	registrationMeeting(t, e, "m", 0, 0)
	admin := e.Admin()
	r := mustRegister(t, e, "m", orgBody(map[string]any{"name": "Access Now", "type": "ngo", "country": "US"}, "A", "a@example.org"))
	mustRegister(t, e, "m", orgBody(map[string]any{"name": "Internet Society", "type": "technical_community", "country": "US"}, "B", "b@example.org"))
	o := orgNamed(t, admin, "access")
	path := fmt.Sprintf("/api/organizations/%d", o.ID)

	// Only the secretariat edits.
	e.Staff("moderator").MustJSON("PATCH", path, map[string]any{"website": "accessnow.org"}, 403, nil)
	e.Anon().MustJSON("PATCH", path, map[string]any{"website": "accessnow.org"}, 401, nil)
	e.Participant(r.Token()).MustJSON("PATCH", path, map[string]any{"website": "accessnow.org"}, 401, nil)

	// Every bad field is named; nothing changes.
	var eb errBody
	admin.MustJSON("PATCH", path, map[string]any{"name": "", "type": "government", "country": "XX", "website": "javascript:alert(1)",
		"ecosoc_status": "observer", "acronym": "A\u202EN"}, 422, &eb)
	for _, f := range []string{"name", "type", "country", "website", "ecosoc_status", "acronym"} {
		if eb.Fields[f] == "" {
			t.Errorf("no error for %s: %v", f, eb.Fields)
		}
	}
	if got := orgNamed(t, admin, "access"); !reflect.DeepEqual(got, o) {
		t.Fatalf("a refused edit changed the record: %+v", got)
	}

	// A name another organization has, once folded, is a conflict.
	admin.MustJSON("PATCH", path, map[string]any{"name": "INTERNET society"}, 409, &eb)
	if eb.Code != "organization_name_taken" {
		t.Fatalf("%+v", eb)
	}

	var got orgView
	admin.MustJSON("PATCH", path, map[string]any{"name": "ACCESS NOW", "acronym": "AN", "website": "www.accessnow.org", "ecosoc_status": "special", "country": "de"}, 200, &got)
	if got.Name != "ACCESS NOW" || got.Acronym != "AN" || got.Website != "https://www.accessnow.org" || got.ECOSOCStatus != "special" || got.Country != "DE" || got.Type != "ngo" {
		t.Fatalf("%+v", got)
	}
	var me regView
	e.Participant(r.Token()).MustJSON("GET", "/api/participant", nil, 200, &me)
	if me.Organization.Name != "ACCESS NOW" || me.Organization.Country != "DE" {
		t.Fatalf("the registration shows %+v", me.Organization)
	}
	// The record still matches new registrations by its folded name.
	n := mustRegister(t, e, "m", orgBody(map[string]any{"name": "access now", "type": "ngo", "country": "US"}, "C", "c@example.org"))
	e.Participant(n.Token()).MustJSON("GET", "/api/participant", nil, 200, &me)
	if me.Organization.ID != o.ID {
		t.Fatalf("joined %d, want %d", me.Organization.ID, o.ID)
	}
	admin.MustJSON("PATCH", "/api/organizations/999999", map[string]any{"acronym": "X"}, 404, nil)
}

func TestMergingOrganizationsMovesRegistrationsAndDeletesTheMergedOne(t *testing.T) {
	e := testenv.New(t)
	registrationMeeting(t, e, "m", 0, 2)
	registrationMeeting(t, e, "n", 0, 2)
	admin := e.Admin()
	isoc := map[string]any{"name": "Internet Society", "type": "technical_community", "country": "US"}
	typo := map[string]any{"name": "Internet Socety", "type": "technical_community", "country": "US"}
	mustRegister(t, e, "m", orgBody(isoc, "A", "a@example.org"))
	b := mustRegister(t, e, "m", orgBody(typo, "B", "b@example.org"))
	mustRegister(t, e, "n", orgBody(typo, "C", "c@example.org"))
	keep, gone := orgNamed(t, admin, "society"), orgNamed(t, admin, "socety")
	path := fmt.Sprintf("/api/organizations/%d/merge", gone.ID)

	e.Staff("moderator").MustJSON("POST", path, map[string]any{"into": keep.ID}, 403, nil)
	var eb errBody
	admin.MustJSON("POST", path, map[string]any{}, 422, &eb)
	if eb.Fields["into"] == "" {
		t.Fatalf("%+v", eb)
	}
	admin.MustJSON("POST", path, map[string]any{"into": gone.ID}, 422, nil)
	admin.MustJSON("POST", path, map[string]any{"into": 999999}, 404, nil)

	var res struct {
		Organization orgView `json:"organization"`
		Moved        int     `json:"moved"`
	}
	admin.MustJSON("POST", path, map[string]any{"into": keep.ID}, 200, &res)
	if res.Organization.ID != keep.ID || res.Moved != 2 {
		t.Fatalf("%+v", res)
	}
	if l := orgsMatching(t, admin, "socety"); len(l.Organizations) != 0 {
		t.Fatalf("the merged organization is still there: %+v", l)
	}
	if o := orgNamed(t, admin, "society"); o.Registrations["total"] != 3 {
		t.Fatalf("%+v", o)
	}
	var me struct {
		regView
		Claim struct{ Name string } `json:"claim"`
	}
	e.Participant(b.Token()).MustJSON("GET", "/api/participant", nil, 200, &me)
	if me.Organization.ID != keep.ID || me.Claim.Name != "Internet Socety" {
		t.Fatalf("%+v", me)
	}
	admin.MustJSON("POST", path, map[string]any{"into": keep.ID}, 404, nil)
}

// TestAMergePastAMeetingsLimitIs409AndChangesNothing: the limit of
// representatives per organization holds for merges as for registrations.
func TestAMergePastAMeetingsLimitIs409AndChangesNothing(t *testing.T) {
	e := testenv.New(t)
	registrationMeeting(t, e, "m", 0, 2)
	admin := e.Admin()
	isoc := map[string]any{"name": "Internet Society", "type": "technical_community", "country": "US"}
	typo := map[string]any{"name": "Internet Socety", "type": "technical_community", "country": "US"}
	a := mustRegister(t, e, "m", orgBody(isoc, "A", "a@example.org"))
	mustRegister(t, e, "m", orgBody(isoc, "B", "b@example.org"))
	c := mustRegister(t, e, "m", orgBody(typo, "C", "c@example.org"))
	decide(admin, a.ID, "approve", 200)
	keep, gone := orgNamed(t, admin, "society"), orgNamed(t, admin, "socety")
	path := fmt.Sprintf("/api/organizations/%d/merge", gone.ID)

	var eb errBody
	admin.MustJSON("POST", path, map[string]any{"into": keep.ID}, 409, &eb)
	if eb.Code != "merge_exceeds_organization_limit" || !strings.Contains(eb.Error, "limit 2") {
		t.Fatalf("%+v", eb)
	}
	if o := orgNamed(t, admin, "socety"); o.Registrations["total"] != 1 {
		t.Fatalf("the refused merge changed %+v", o)
	}
	if o := orgNamed(t, admin, "society"); o.Registrations["total"] != 2 {
		t.Fatalf("the refused merge changed %+v", o)
	}
	var me regView
	e.Participant(c.Token()).MustJSON("GET", "/api/participant", nil, 200, &me)
	if me.Organization.ID != gone.ID {
		t.Fatalf("C moved to %d", me.Organization.ID)
	}

	// A withdrawn representative no longer counts: then the merge fits.
	e.Participant(a.Token()).MustJSON("POST", "/api/participant/withdraw", nil, 200, nil)
	admin.MustJSON("POST", path, map[string]any{"into": keep.ID}, 200, nil)
	e.Participant(c.Token()).MustJSON("GET", "/api/participant", nil, 200, &me)
	if me.Organization.ID != keep.ID {
		t.Fatalf("C is with %d after the merge", me.Organization.ID)
	}
}
