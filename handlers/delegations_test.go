package handlers_test

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"rostrum/internal/livetest"
	"rostrum/internal/mailtest"
	"rostrum/internal/testenv"
)

var focalLink = regexp.MustCompile(`https?://\S+/d/([A-Za-z0-9_-]+)`)

type missionRow struct {
	Country     string `json:"country"`
	CountryName string `json:"country_name,omitempty"`
	Kind        string `json:"kind"`
	Name        string `json:"name"`
	Email       string `json:"email"`
}

func importMissions(t *testing.T, e *testenv.Env, ms ...missionRow) {
	t.Helper()
	e.Admin().MustJSON("POST", "/api/missions", ms, 200, nil)
}

var singapore = missionRow{Country: "SG", Kind: "member_state", Name: "Permanent Mission of Singapore to the United Nations", Email: "pm.sg@example.org"}
var kenya = missionRow{Country: "KE", Kind: "member_state", Name: "Permanent Mission of Kenya to the United Nations", Email: "pm.ke@example.org"}

// invite invites the missions of countries to meeting slug and returns
// each one's focal-point token, read from the mail it was sent.
func invite(t *testing.T, e *testenv.Env, srv *mailtest.Server, slug string, ms ...missionRow) map[string]string {
	t.Helper()
	before := map[string]int{}
	countries := []string{}
	for _, m := range ms {
		before[m.Email] = len(srv.To(m.Email))
		countries = append(countries, m.Country)
	}
	e.Admin().MustJSON("POST", "/api/meetings/"+slug+"/missions/invite", map[string]any{"countries": countries}, 202, nil)
	out := map[string]string{}
	for _, m := range ms {
		mails := srv.WaitTo(m.Email, before[m.Email]+1, 15*time.Second)
		got := focalLink.FindStringSubmatch(mails[len(mails)-1].Text)
		if got == nil {
			t.Fatalf("no focal-point link in %q", mails[len(mails)-1].Text)
		}
		out[m.Country] = got[1]
	}
	return out
}

func TestMissionsAreImportedFromJSONOrCSVAndUpdatedByCountry(t *testing.T) {
	e := testenv.New(t)
	importMissions(t, e, singapore)
	csv := "country,kind,name,email\nSG,member_state,Permanent Mission of the Republic of Singapore,new.sg@example.org\nVA,observer_state,Permanent Observer Mission of the Holy See,holysee@example.org\n"
	r := e.Admin().DoHeaders("POST", "/api/missions", csv, map[string]string{"Content-Type": "text/csv"})
	if r.Status != 200 {
		t.Fatalf("CSV import: %d %s", r.Status, r.Body)
	}
	var got []missionRow
	e.Staff("rapporteur").MustJSON("GET", "/api/missions", nil, 200, &got)
	if len(got) != 2 {
		t.Fatalf("missions %+v, want Singapore updated and the Holy See", got)
	}
	by := map[string]missionRow{got[0].Country: got[0], got[1].Country: got[1]}
	if sg := by["SG"]; sg.CountryName != "Singapore" || sg.Email != "new.sg@example.org" || !strings.Contains(sg.Name, "Republic") {
		t.Fatalf("Singapore %+v, want updated by the CSV", sg)
	}
	if va := by["VA"]; va.CountryName != "Holy See" || va.Kind != "observer_state" {
		t.Fatalf("Holy See %+v", va)
	}
}

func TestMissionImportRefusesUnknownCountriesAndKindsWithFieldErrors(t *testing.T) {
	e := testenv.New(t)
	bad := []missionRow{singapore, {Country: "XX", Kind: "member_state", Name: "N", Email: "a@example.org"}, {Country: "FR", Kind: "ngo", Name: "N", Email: "nope"}}
	r := e.Admin().Do("POST", "/api/missions", bad)
	var body errBody
	r.Decode(t, &body)
	if r.Status != 422 || body.Fields["1.country"] == "" || body.Fields["2.kind"] == "" || body.Fields["2.email"] == "" {
		t.Fatalf("%d %s, want 422 with 1.country, 2.kind, 2.email", r.Status, r.Body)
	}
	var got []missionRow
	e.Admin().MustJSON("GET", "/api/missions", nil, 200, &got)
	if len(got) != 0 {
		t.Fatalf("an invalid import stored %+v", got)
	}
	e.Staff("moderator").MustJSON("POST", "/api/missions", []missionRow{singapore}, 403, nil)
}

func TestReinvitingAMissionMailsAFreshLinkAndTheOldOneStopsWorking(t *testing.T) {
	srv := mailtest.Start(t)
	e := testenv.New(t, testenv.WithSMTP(srv.Host(), srv.Port()))
	registrationMeeting(t, e, "m", 0, 0)
	importMissions(t, e, singapore, kenya)
	old := invite(t, e, srv, "m", singapore)["SG"]
	var d struct {
		State   string `json:"state"`
		Members []any  `json:"members"`
	}
	e.Participant(old).MustJSON("GET", "/api/delegation/members", nil, 200, &d)
	if d.State != "Singapore" {
		t.Fatalf("state %q, want Singapore", d.State)
	}
	if n := len(srv.To(kenya.Email)); n != 0 {
		t.Fatalf("Kenya was not invited but got %d mails", n)
	}
	fresh := invite(t, e, srv, "m", singapore)["SG"]
	if fresh == old {
		t.Fatal("re-inviting sent the same link")
	}
	e.Participant(old).MustJSON("GET", "/api/delegation/members", nil, 401, nil)
	e.Participant(fresh).MustJSON("GET", "/api/delegation/members", nil, 200, nil)
	waitSent(t, e)
	if where := databaseHolds(t, e.App.DB, fresh); len(where) > 0 {
		t.Fatalf("the focal-point link is still in %v once its mail was delivered", where)
	}
}

func TestInvitingEveryMissionMailsEachItsOwnLink(t *testing.T) {
	srv := mailtest.Start(t)
	e := testenv.New(t, testenv.WithSMTP(srv.Host(), srv.Port()))
	registrationMeeting(t, e, "m", 0, 0)
	importMissions(t, e, singapore, kenya)
	e.Admin().MustJSON("POST", "/api/meetings/m/missions/invite", map[string]any{}, 202, nil)
	sg := focalLink.FindStringSubmatch(srv.WaitTo(singapore.Email, 1, 15*time.Second)[0].Text)
	ke := focalLink.FindStringSubmatch(srv.WaitTo(kenya.Email, 1, 15*time.Second)[0].Text)
	if sg == nil || ke == nil || sg[1] == ke[1] {
		t.Fatalf("links %v %v, want one of its own each", sg, ke)
	}
}

type delegate struct {
	ID     uint   `json:"id"`
	Name   string `json:"name"`
	Status string `json:"status"`
	Head   bool   `json:"head"`
}

func TestAFocalPointRegistersMembersApprovedAtOnceWhoGetTheirOwnLinkAndSpeakForTheirState(t *testing.T) {
	srv := mailtest.Start(t)
	e := testenv.New(t, testenv.WithSMTP(srv.Host(), srv.Port()))
	lm := newLiveMeeting(t, e, "m")
	importMissions(t, e, singapore)
	tok := invite(t, e, srv, "m", singapore)["SG"]
	// Whatever a registrant calls their organization, it never becomes a State's.
	for i, name := range []string{"Singapore", "State SG", "state:sg", "STATE  SG"} {
		mustRegister(t, e, "m", testenv.RegistrationBody(name, "Impostor", fmt.Sprintf("impostor%d@example.org", i)))
	}
	var d delegate
	e.Participant(tok).MustJSON("POST", "/api/delegation/members",
		map[string]any{"name": "David Koh", "email": "david.koh@example.org", "job_title": "Chief Executive", "head": true}, 201, &d)
	if d.Status != "approved" || !d.Head {
		t.Fatalf("member %+v, want approved head of delegation", d)
	}
	mails := srv.WaitTo("david.koh@example.org", 1, 15*time.Second)
	link := manageLink.FindStringSubmatch(mails[0].Text)
	if link == nil || !strings.Contains(mails[0].Text, "Singapore") {
		t.Fatalf("the member's mail has no private link or does not name the State: %q", mails[0].Text)
	}
	member := link[1]
	var me regView
	e.Participant(member).MustJSON("GET", "/api/participant", nil, 200, &me)
	if me.Organization.Name != "Singapore" || me.Organization.Type != "member_state" || me.Status != "approved" {
		t.Fatalf("the member's registration %+v, want approved for Singapore", me)
	}
	var dl struct{ Members []delegate }
	e.Participant(tok).MustJSON("GET", "/api/delegation/members", nil, 200, &dl)
	if len(dl.Members) != 1 {
		t.Fatalf("Singapore's delegation %+v, want its one member and no impostor", dl.Members)
	}
	// The State's record follows the State: the secretariat neither renames nor merges it.
	ngo := mustRegister(t, e, "m", testenv.RegistrationBody("Some NGO", "Nia", "nia@example.org"))
	var nia regView
	e.Participant(ngo.Token()).MustJSON("GET", "/api/participant", nil, 200, &nia)
	for _, c := range []struct {
		method, path string
		body         any
	}{
		{"PATCH", fmt.Sprintf("/api/organizations/%d", me.Organization.ID), map[string]string{"name": "Republic of Singapore"}},
		{"POST", fmt.Sprintf("/api/organizations/%d/merge", me.Organization.ID), map[string]uint{"into": nia.Organization.ID}},
		{"POST", fmt.Sprintf("/api/organizations/%d/merge", nia.Organization.ID), map[string]uint{"into": me.Organization.ID}},
	} {
		r := e.Admin().Do(c.method, c.path, c.body)
		var eb errBody
		r.Decode(t, &eb)
		if r.Status != 409 || eb.Code != "state_record" {
			t.Fatalf("%s %s: %d %s, want 409 state_record", c.method, c.path, r.Status, r.Body)
		}
	}
	var list struct {
		Counts struct {
			ByType map[string]struct{ Total int } `json:"by_type"`
		} `json:"counts"`
	}
	e.Admin().MustJSON("GET", "/api/meetings/m/registrations?type=member_state", nil, 200, &list)
	if list.Counts.ByType["member_state"].Total != 1 {
		t.Fatalf("counts by type %v, want 1 Member State delegate", list.Counts.ByType)
	}
	// The member asks for the floor; every viewer sees the State.
	v := liveConnect(t, e, "m")
	e.Participant(member).MustJSON("POST", lm.path("/agenda/%d/speakers", lm.items[0]), nil, 201, nil)
	v.until(func(livetest.Message) bool {
		it := v.state.Item(lm.items[0])
		return it != nil && len(it.Speakers) > 0
	})
	if sp := v.state.Item(lm.items[0]).Speakers[0]; sp.Name != "David Koh" || sp.Organization != "Singapore" {
		t.Fatalf("the live list shows %q of %q, want David Koh of Singapore", sp.Name, sp.Organization)
	}
}

func TestADelegationStaysWithinItsLimitUnderConcurrentRequests(t *testing.T) {
	srv := mailtest.Start(t)
	delegationLimitUnderLoad(t, srv, testenv.New(t, testenv.WithSMTP(srv.Host(), srv.Port())))
}

// On PostgreSQL the limit rests on the meeting's lock (FOR UPDATE) and
// the State's record is created once however many members come at once.
func TestADelegationStaysWithinItsLimitUnderConcurrentRequestsOnPostgres(t *testing.T) {
	srv := mailtest.Start(t)
	delegationLimitUnderLoad(t, srv, testenv.New(t, testenv.WithSMTP(srv.Host(), srv.Port()), testenv.WithDB(testenv.PostgresDSN(t))))
}

func delegationLimitUnderLoad(t *testing.T, srv *mailtest.Server, e *testenv.Env) {
	in := meetingInput("m")
	in["max_per_delegation"] = 3
	e.Admin().MustJSON("POST", "/api/meetings", in, 201, nil)
	importMissions(t, e, singapore)
	tok := invite(t, e, srv, "m", singapore)["SG"]
	const n = 16
	status := make([]int, n)
	codes := make([]string, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := e.Participant(tok).Do("POST", "/api/delegation/members",
				map[string]any{"name": fmt.Sprintf("Delegate %d", i), "email": fmt.Sprintf("d%d@example.org", i)})
			status[i] = r.Status
			var b errBody
			_ = json.Unmarshal(r.Body, &b)
			codes[i] = b.Code
		}()
	}
	wg.Wait()
	created := 0
	for i, st := range status {
		switch {
		case st == 201:
			created++
		case st != 409 || codes[i] != "delegation_limit":
			t.Fatalf("request %d: %d %q, want 201 or 409 delegation_limit", i, st, codes[i])
		}
	}
	var d struct{ Members []delegate }
	e.Participant(tok).MustJSON("GET", "/api/delegation/members", nil, 200, &d)
	if created != 3 || len(d.Members) != 3 {
		t.Fatalf("%d created, %d listed; want exactly the limit, 3", created, len(d.Members))
	}
	// A withdrawal frees a place in the delegation.
	e.Participant(tok).MustJSON("DELETE", fmt.Sprintf("/api/delegation/members/%d", d.Members[0].ID), nil, 200, nil)
	e.Participant(tok).MustJSON("POST", "/api/delegation/members", map[string]any{"name": "Another", "email": "another@example.org"}, 201, nil)
}

func TestDelegationRoutesRefuseParticipantsAndOtherMissions(t *testing.T) {
	srv := mailtest.Start(t)
	e := testenv.New(t, testenv.WithSMTP(srv.Host(), srv.Port()))
	registrationMeeting(t, e, "m", 0, 0)
	importMissions(t, e, singapore, kenya)
	toks := invite(t, e, srv, "m", singapore, kenya)
	var d delegate
	e.Participant(toks["SG"]).MustJSON("POST", "/api/delegation/members", map[string]any{"name": "A", "email": "a.sg@example.org"}, 201, &d)
	p := mustRegister(t, e, "m", testenv.RegistrationBody("Some NGO", "Nia", "nia@example.org"))
	for _, c := range []*testenv.Client{e.Participant(p.Token()), e.Anon(), e.Admin()} {
		c.MustJSON("GET", "/api/delegation/members", nil, 401, nil)
		c.MustJSON("POST", "/api/delegation/members", map[string]any{"name": "X", "email": "x@example.org"}, 401, nil)
		c.MustJSON("DELETE", fmt.Sprintf("/api/delegation/members/%d", d.ID), nil, 401, nil)
	}
	// Kenya's focal point sees nothing of Singapore's delegation.
	var ke struct{ Members []delegate }
	e.Participant(toks["KE"]).MustJSON("GET", "/api/delegation/members", nil, 200, &ke)
	if len(ke.Members) != 0 {
		t.Fatalf("Kenya sees %+v", ke.Members)
	}
	e.Participant(toks["KE"]).MustJSON("DELETE", fmt.Sprintf("/api/delegation/members/%d", d.ID), nil, 404, nil)
	var sg struct{ Members []delegate }
	e.Participant(toks["SG"]).MustJSON("GET", "/api/delegation/members", nil, 200, &sg)
	if len(sg.Members) != 1 || sg.Members[0].Status != "approved" {
		t.Fatalf("Singapore's delegation %+v, want its member still approved", sg.Members)
	}
}

func TestAMeetingAdmitsOnlyItsCategories(t *testing.T) {
	srv := mailtest.Start(t)
	e := testenv.New(t, testenv.WithSMTP(srv.Host(), srv.Port()))
	// By default a meeting admits every category, in the UN's order.
	registrationMeeting(t, e, "all", 0, 0)
	var all struct {
		Categories []string `json:"categories"`
	}
	e.Anon().MustJSON("GET", "/api/meetings/all", nil, 200, &all)
	want := "member_state,observer_state,intergovernmental,ngo,private_sector,academia,technical_community,other"
	if got := strings.Join(all.Categories, ","); got != want {
		t.Fatalf("categories %s, want %s", got, want)
	}
	var voc struct {
		Categories []struct{ Key, Label string } `json:"categories"`
	}
	e.Anon().MustJSON("GET", "/api/vocabulary", nil, 200, &voc)
	if len(voc.Categories) != 8 || voc.Categories[0].Label != "Member State" {
		t.Fatalf("vocabulary's categories %+v", voc.Categories)
	}
	in := meetingInput("states")
	in["categories"] = []string{"observer_state", "member_state"}
	var m struct {
		Categories []string `json:"categories"`
	}
	e.Admin().MustJSON("POST", "/api/meetings", in, 201, &m)
	if strings.Join(m.Categories, ",") != "member_state,observer_state" {
		t.Fatalf("categories %v, want in the UN's order", m.Categories)
	}
	bad := meetingInput("bad")
	bad["categories"] = []string{"aliens"}
	e.Admin().MustJSON("POST", "/api/meetings", bad, 422, nil)

	// An organization of a category not admitted is refused.
	r := e.Anon().Do("POST", "/api/meetings/states/registrations", testenv.RegistrationBody("Some NGO", "Nia", "nia@example.org"))
	var eb errBody
	r.Decode(t, &eb)
	if r.Status != 409 || eb.Code != "category_not_admitted" {
		t.Fatalf("%d %s, want 409 category_not_admitted", r.Status, r.Body)
	}
	// Inviting every mission invites those the meeting admits only.
	importMissions(t, e, singapore, missionRow{Country: "PS", Kind: "observer_state", Name: "Permanent Observer Mission of the State of Palestine", Email: "ps@example.org"})
	e.Admin().MustJSON("PATCH", "/api/meetings/states", map[string]any{"categories": []string{"member_state"}}, 200, nil)
	var out struct{ Invited []struct{ Country string } }
	e.Admin().MustJSON("POST", "/api/meetings/states/missions/invite", map[string]any{}, 202, &out)
	if len(out.Invited) != 1 || out.Invited[0].Country != "Singapore" {
		t.Fatalf("invited %+v, want Singapore only", out.Invited)
	}
	e.Admin().MustJSON("POST", "/api/meetings/states/missions/invite", map[string]any{"countries": []string{"PS"}}, 422, nil)
}

func TestAnIntergovernmentalOrganizationRegistersAndCountsAsIntergovernmental(t *testing.T) {
	e := testenv.New(t)
	in := meetingInput("m")
	in["categories"] = []string{"intergovernmental"}
	e.Admin().MustJSON("POST", "/api/meetings", in, 201, nil)
	body := testenv.RegistrationBody("International Telecommunication Union", "Ira", "ira@example.org")
	body["organization"].(map[string]any)["type"] = "intergovernmental"
	reg := mustRegister(t, e, "m", body)
	var me regView
	e.Participant(reg.Token()).MustJSON("GET", "/api/participant", nil, 200, &me)
	if me.Organization.Type != "intergovernmental" {
		t.Fatalf("organization %+v, want intergovernmental", me.Organization)
	}
	var list struct {
		Counts struct {
			ByType map[string]struct{ Total int } `json:"by_type"`
		} `json:"counts"`
	}
	e.Admin().MustJSON("GET", "/api/meetings/m/registrations", nil, 200, &list)
	if list.Counts.ByType["intergovernmental"].Total != 1 {
		t.Fatalf("counts by type %v, want 1 intergovernmental", list.Counts.ByType)
	}
}
