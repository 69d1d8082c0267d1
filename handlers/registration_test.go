package handlers_test

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"rostrum/internal/testenv"
	"rostrum/models"
)

// registrationMeeting creates a meeting open for registration with the
// given capacity and per-organization limit.
func registrationMeeting(t *testing.T, e *testenv.Env, slug string, capacity, perOrg int) {
	t.Helper()
	in := meetingInput(slug)
	in["capacity"], in["max_per_organization"] = capacity, perOrg
	e.Admin().MustJSON("POST", "/api/meetings", in, 201, nil)
}

func mustRegister(t *testing.T, e *testenv.Env, slug string, body map[string]any) testenv.Registered {
	t.Helper()
	var out testenv.Registered
	e.Anon().MustJSON("POST", "/api/meetings/"+slug+"/registrations", body, 201, &out)
	return out
}

type regView struct {
	ID           uint   `json:"id"`
	Status       string `json:"status"`
	Reason       string `json:"reason"`
	Name         string `json:"name"`
	Email        string `json:"email"`
	JobTitle     string `json:"job_title"`
	Organization struct {
		ID      uint   `json:"id"`
		Name    string `json:"name"`
		Type    string `json:"type"`
		Country string `json:"country"`
	} `json:"organization"`
	Promoted []regView `json:"promoted"`
}

type errBody struct {
	Error  string            `json:"error"`
	Code   string            `json:"code"`
	Fields map[string]string `json:"fields"`
}

func statusOf(t *testing.T, e *testenv.Env, token string) string {
	t.Helper()
	var v regView
	e.Participant(token).MustJSON("GET", "/api/participant", nil, 200, &v)
	return v.Status
}

func decide(admin *testenv.Client, id uint, decision string, want int) regView {
	var v regView
	admin.MustJSON("POST", fmt.Sprintf("/api/registrations/%d/decision", id), map[string]string{"decision": decision, "reason": "r"}, want, &v)
	return v
}

func TestRegistrationAnswersIDStatusAndManageURL(t *testing.T) {
	e := testenv.New(t)
	registrationMeeting(t, e, "m", 0, 0)
	r := mustRegister(t, e, "m", testenv.RegistrationBody("Access Now", "Ana Souza", "ana@example.org"))
	if r.ID == 0 || r.Status != "pending" || !strings.HasPrefix(r.ManageURL, e.Config.PublicURL()+"/r/") || len(r.Token()) < 40 {
		t.Fatalf("%+v", r)
	}
	var v struct {
		regView
		Meeting struct{ Slug string } `json:"meeting"`
	}
	e.Participant(r.Token()).MustJSON("GET", "/api/participant", nil, 200, &v)
	if v.Email != "ana@example.org" || v.Meeting.Slug != "m" || v.Organization.Name != "Access Now" {
		t.Fatalf("%+v", v)
	}
}

// TestEveryDecisionTransition walks the state machine through the API:
// each row brings a registration into a state, then applies a decision.
func TestEveryDecisionTransitionIsAllowedOrRefused(t *testing.T) {
	e := testenv.New(t)
	registrationMeeting(t, e, "m", 0, 0)
	admin := e.Admin()
	n := 0
	// into brings a new registration into state.
	into := func(state string) testenv.Registered {
		n++
		r := mustRegister(t, e, "m", testenv.RegistrationBody(fmt.Sprintf("Org %d", n), "P", fmt.Sprintf("p%d@example.org", n)))
		switch state {
		case "approved", "rejected", "waitlisted":
			decide(admin, r.ID, map[string]string{"approved": "approve", "rejected": "reject", "waitlisted": "waitlist"}[state], 200)
		case "withdrawn":
			e.Participant(r.Token()).MustJSON("POST", "/api/participant/withdraw", nil, 200, nil)
		}
		if got := statusOf(t, e, r.Token()); got != state {
			t.Fatalf("set-up: %s, want %s", got, state)
		}
		return r
	}
	cases := []struct {
		from, decision, want string // want "" means 409
	}{
		{"pending", "approve", "approved"}, {"pending", "reject", "rejected"}, {"pending", "waitlist", "waitlisted"},
		{"waitlisted", "approve", "approved"}, {"waitlisted", "reject", "rejected"}, {"waitlisted", "waitlist", ""},
		{"approved", "approve", ""}, {"approved", "reject", ""}, {"approved", "waitlist", ""},
		{"rejected", "approve", ""}, {"rejected", "reject", ""}, {"rejected", "waitlist", ""},
		{"withdrawn", "approve", ""}, {"withdrawn", "reject", ""}, {"withdrawn", "waitlist", ""},
	}
	for _, c := range cases {
		t.Run(c.from+"/"+c.decision, func(t *testing.T) {
			r := into(c.from)
			path := fmt.Sprintf("/api/registrations/%d/decision", r.ID)
			body := map[string]string{"decision": c.decision, "reason": "checked"}
			if c.want == "" {
				var eb errBody
				admin.MustJSON("POST", path, body, 409, &eb)
				if !strings.Contains(eb.Error, c.from) || eb.Code != "invalid_transition" {
					t.Fatalf("409 does not name the transition: %+v", eb)
				}
				if got := statusOf(t, e, r.Token()); got != c.from {
					t.Fatalf("refused decision changed the state to %s", got)
				}
				return
			}
			var v regView
			admin.MustJSON("POST", path, body, 200, &v)
			if v.Status != c.want || v.Reason != "checked" || statusOf(t, e, r.Token()) != c.want {
				t.Fatalf("%+v", v)
			}
		})
	}
	// Withdrawal by the participant works from every state but withdrawn.
	for _, from := range []string{"pending", "approved", "rejected", "waitlisted", "withdrawn"} {
		r := into(from)
		want := 200
		if from == "withdrawn" {
			want = 409
		}
		e.Participant(r.Token()).MustJSON("POST", "/api/participant/withdraw", nil, want, nil)
		if statusOf(t, e, r.Token()) != "withdrawn" {
			t.Fatalf("withdraw from %s", from)
		}
	}
	admin.MustJSON("POST", "/api/registrations/1/decision", map[string]string{"decision": "withdraw"}, 422, nil)
	admin.MustJSON("POST", "/api/registrations/99999/decision", map[string]string{"decision": "approve"}, 404, nil)
}

func TestRegistrationPastCapacityIsWaitlisted(t *testing.T) {
	e := testenv.New(t)
	registrationMeeting(t, e, "m", 2, 0)
	var got []string
	for i := 0; i < 4; i++ {
		got = append(got, mustRegister(t, e, "m", testenv.RegistrationBody("Org", "P", fmt.Sprintf("p%d@example.org", i))).Status)
	}
	if strings.Join(got, ",") != "pending,pending,waitlisted,waitlisted" {
		t.Fatalf("states %v", got)
	}
}

func TestApprovingPastCapacityIs409(t *testing.T) {
	e := testenv.New(t)
	registrationMeeting(t, e, "m", 1, 0)
	admin := e.Admin()
	a := mustRegister(t, e, "m", testenv.RegistrationBody("A", "A", "a@example.org"))
	b := mustRegister(t, e, "m", testenv.RegistrationBody("B", "B", "b@example.org"))
	if b.Status != "waitlisted" {
		t.Fatal(b.Status)
	}
	var eb errBody
	admin.MustJSON("POST", fmt.Sprintf("/api/registrations/%d/decision", b.ID), map[string]string{"decision": "approve"}, 409, &eb)
	if eb.Code != "capacity_reached" || !strings.Contains(eb.Error, "capacity") {
		t.Fatalf("%+v", eb)
	}
	decide(admin, a.ID, "approve", 200)
}

func TestFreedSeatGoesToOldestWaitlistedRegistration(t *testing.T) {
	freedSeatGoesToOldestWaitlisted(t, testenv.New(t))
}

func freedSeatGoesToOldestWaitlisted(t *testing.T, e *testenv.Env) {
	registrationMeeting(t, e, "m", 2, 0)
	admin := e.Admin()
	var rs []testenv.Registered
	for i := 0; i < 5; i++ {
		rs = append(rs, mustRegister(t, e, "m", testenv.RegistrationBody("Org", "P", fmt.Sprintf("p%d@example.org", i))))
	}
	// rs[2], rs[3], rs[4] wait. Rejecting rs[0] frees a seat for rs[2].
	v := decide(admin, rs[0].ID, "reject", 200)
	if len(v.Promoted) != 1 || v.Promoted[0].ID != rs[2].ID || statusOf(t, e, rs[2].Token()) != "pending" {
		t.Fatalf("after reject: %+v", v.Promoted)
	}
	// Withdrawing rs[1] frees a seat for rs[3].
	e.Participant(rs[1].Token()).MustJSON("POST", "/api/participant/withdraw", nil, 200, nil)
	if statusOf(t, e, rs[3].Token()) != "pending" || statusOf(t, e, rs[4].Token()) != "waitlisted" {
		t.Fatal("withdrawal did not promote the oldest waitlisted")
	}
	// Moving rs[2] to the waiting list frees its seat for rs[4], not for
	// rs[2] itself although it is older.
	v = decide(admin, rs[2].ID, "waitlist", 200)
	if len(v.Promoted) != 1 || v.Promoted[0].ID != rs[4].ID || statusOf(t, e, rs[2].Token()) != "waitlisted" {
		t.Fatalf("after waitlist: %+v", v.Promoted)
	}
	// Approving a pending registration frees nothing.
	if v := decide(admin, rs[3].ID, "approve", 200); len(v.Promoted) != 0 {
		t.Fatalf("approve promoted %+v", v.Promoted)
	}
	// Each promotion has its own mail.
	var n int64
	e.App.DB.Model(&models.OutboxMessage{}).Where("kind = ?", "registration_promoted").Count(&n)
	if n != 3 {
		t.Fatalf("%d promotion mails, want 3", n)
	}
}

func TestOrganizationLimitIs409NamingOrganizationAndLimit(t *testing.T) {
	e := testenv.New(t)
	registrationMeeting(t, e, "m", 0, 2)
	mustRegister(t, e, "m", testenv.RegistrationBody("Université de Genève", "A", "a@example.org"))
	mustRegister(t, e, "m", testenv.RegistrationBody("  UNIVERSITÉ   de genève", "B", "b@example.org"))
	var eb errBody
	e.Anon().MustJSON("POST", "/api/meetings/m/registrations", testenv.RegistrationBody("université de genève", "C", "c@example.org"), 409, &eb)
	if !strings.Contains(eb.Error, "Université de Genève") || !strings.Contains(eb.Error, "2 representatives") || eb.Code != "organization_limit" {
		t.Fatalf("%+v", eb)
	}
	// A withdrawn representative frees the organization's place.
	r := mustRegister(t, e, "m", testenv.RegistrationBody("Other", "D", "d@example.org"))
	_ = r
	var list struct {
		Registrations []regView `json:"registrations"`
	}
	e.Admin().MustJSON("GET", "/api/meetings/m/registrations?q=gen%C3%A8ve", nil, 200, &list)
	if len(list.Registrations) != 2 {
		t.Fatalf("%d", len(list.Registrations))
	}
	var first testenv.Registered
	e.App.DB.Raw("SELECT id FROM registrations WHERE email = ?", "a@example.org").Scan(&first.ID)
	decide(e.Admin(), first.ID, "reject", 200)
	mustRegister(t, e, "m", testenv.RegistrationBody("Université de Genève", "C", "c@example.org"))
}

func TestOrganizationsMatchIgnoringCaseSpacesAndWebsite(t *testing.T) {
	organizationsMatch(t, testenv.New(t))
}

func organizationsMatch(t *testing.T, e *testenv.Env) {
	registrationMeeting(t, e, "m", 0, 0)
	bodies := []map[string]any{
		testenv.RegistrationBody("Internet Society", "A", "a@example.org"),
		testenv.RegistrationBody("INTERNET  SOCIETY ", "B", "b@example.org"),
		testenv.RegistrationBody("internetsociety", "C", "c@example.org"),
		testenv.RegistrationBody("ISOC", "D", "d@example.org"),
		testenv.RegistrationBody("Other Org", "E", "e@example.org"),
	}
	bodies[0]["organization"].(map[string]any)["website"] = "https://www.internetsociety.org/"
	bodies[3]["organization"].(map[string]any)["website"] = "internetsociety.org"
	for _, b := range bodies {
		mustRegister(t, e, "m", b)
	}
	var orgs []models.Organization
	e.App.DB.Order("id").Find(&orgs)
	if len(orgs) != 2 || orgs[0].Name != "Internet Society" {
		t.Fatalf("organizations %+v", orgs)
	}
	var list struct {
		Registrations []regView `json:"registrations"`
	}
	e.Admin().MustJSON("GET", "/api/meetings/m/registrations", nil, 200, &list)
	for _, r := range list.Registrations[:4] {
		if r.Organization.ID != orgs[0].ID {
			t.Fatalf("%s joined %d", r.Email, r.Organization.ID)
		}
	}
}

func TestDuplicateEmailIs409UntilWithdrawnOrRejected(t *testing.T) {
	e := testenv.New(t)
	registrationMeeting(t, e, "m", 0, 0)
	registrationMeeting(t, e, "other", 0, 0)
	r := mustRegister(t, e, "m", testenv.RegistrationBody("A", "A", "ana@example.org"))
	var eb errBody
	e.Anon().MustJSON("POST", "/api/meetings/m/registrations", testenv.RegistrationBody("B", "A", " ANA@example.org"), 409, &eb)
	if eb.Code != "duplicate_email" {
		t.Fatalf("%+v", eb)
	}
	mustRegister(t, e, "other", testenv.RegistrationBody("A", "A", "ana@example.org")) // another meeting is fine
	e.Participant(r.Token()).MustJSON("POST", "/api/participant/withdraw", nil, 200, nil)
	r2 := mustRegister(t, e, "m", testenv.RegistrationBody("A", "A", "ana@example.org"))
	decide(e.Admin(), r2.ID, "reject", 200)
	mustRegister(t, e, "m", testenv.RegistrationBody("A", "A", "ana@example.org"))
}

func TestClosedRegistrationIs409AndUnknownMeeting404(t *testing.T) {
	e := testenv.New(t)
	in := meetingInput("past")
	in["starts_at"], in["ends_at"], in["registration_closes_at"] = "2019-12-02T10:00:00-05:00", "2019-12-04T18:00:00-05:00", "2019-11-25T23:59:00-05:00"
	e.Admin().MustJSON("POST", "/api/meetings", in, 201, nil)
	var eb errBody
	e.Anon().MustJSON("POST", "/api/meetings/past/registrations", testenv.RegistrationBody("A", "A", "a@example.org"), 409, &eb)
	if eb.Code != "registration_closed" {
		t.Fatalf("%+v", eb)
	}
	e.Anon().MustJSON("POST", "/api/meetings/nope/registrations", testenv.RegistrationBody("A", "A", "a@example.org"), 404, nil)
	e.Anon().MustJSON("GET", "/api/meetings/nope/organizations", nil, 404, nil)
	e.Admin().MustJSON("GET", "/api/meetings/nope/registrations", nil, 404, nil)
	var n int64
	e.App.DB.Model(&models.Registration{}).Count(&n)
	if n != 0 {
		t.Fatal("refused registrations were stored")
	}
}

func TestInvalidRegistrationIs422WithFieldsAndChangesNothing(t *testing.T) {
	e := testenv.New(t)
	registrationMeeting(t, e, "m", 0, 0)
	body := testenv.RegistrationBody("A", "A", "not-an-email")
	body["consent"] = false
	o := body["organization"].(map[string]any)
	o["type"], o["country"] = "government", "XX"
	var eb errBody
	e.Anon().MustJSON("POST", "/api/meetings/m/registrations", body, 422, &eb)
	for _, f := range []string{"consent", "organization.type", "organization.country", "email"} {
		if eb.Fields[f] == "" {
			t.Errorf("no message for %s: %v", f, eb.Fields)
		}
	}
	if len(eb.Fields) != 4 {
		t.Errorf("fields %v", eb.Fields)
	}
	// Consent left out entirely.
	delete(body, "consent")
	e.Anon().MustJSON("POST", "/api/meetings/m/registrations", body, 422, &eb)
	if eb.Fields["consent"] == "" {
		t.Fatal("missing consent accepted")
	}
	var n int64
	e.App.DB.Model(&models.Registration{}).Count(&n)
	var orgs int64
	e.App.DB.Model(&models.Organization{}).Count(&orgs)
	var mails int64
	e.App.DB.Model(&models.OutboxMessage{}).Count(&mails)
	if n+orgs+mails != 0 {
		t.Fatalf("refused input stored %d registrations, %d organizations, %d mails", n, orgs, mails)
	}
}

func TestMalformedAndOversizedBodies(t *testing.T) {
	e := testenv.New(t)
	registrationMeeting(t, e, "m", 0, 0)
	anon := e.Anon()
	cases := []struct {
		name string
		body any
		ct   string
		want int
	}{
		{"malformed JSON", `{"name": `, "application/json", 400},
		{"unknown field", `{"name":"A","admin":true}`, "application/json", 400},
		{"wrong content type", `name=A`, "text/plain", 400},
		{"over the registration limit", `{"name":"` + strings.Repeat("a", 70<<10) + `"}`, "application/json", 413},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := anon.DoHeaders("POST", "/api/meetings/m/registrations", c.body, map[string]string{"Content-Type": c.ct})
			if res.Status != c.want {
				t.Fatalf("status %d, want %d: %s", res.Status, c.want, res.Body)
			}
		})
	}
	// Past the server's body limit the server answers from the headers
	// alone; an HTTP client would still be writing the body when the
	// connection closes, so speak HTTP by hand.
	t.Run("over the server's body limit", func(t *testing.T) {
		conn, err := net.Dial("tcp", strings.TrimPrefix(e.URL, "http://"))
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		fmt.Fprintf(conn, "POST /api/meetings/m/registrations HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n", 2<<20)
		_ = conn.SetReadDeadline(time.Now().Add(10 * time.Second))
		res, err := http.ReadResponse(bufio.NewReader(conn), nil)
		if err != nil {
			t.Fatal(err)
		}
		if res.StatusCode != 413 {
			t.Fatalf("status %d, want 413", res.StatusCode)
		}
	})
}

func TestHTMLFormRegistrationRedirectsBrowsersToTheManagePage(t *testing.T) {
	e := testenv.New(t)
	registrationMeeting(t, e, "m", 0, 0)
	form := url.Values{
		"org_name": {"Fundación Karisma"}, "org_type": {"ngo"}, "org_country": {"co"}, "org_website": {"karisma.org.co"},
		"org_ecosoc_status": {"none"}, "org_acronym": {""}, "name": {"<b>Lucía</b>"}, "email": {"lucia@example.org"},
		"job_title": {"Researcher"}, "consent": {"on"},
	}
	c := e.Anon()
	c.HTTP.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	res := c.DoHeaders("POST", "/api/meetings/m/registrations", form.Encode(), map[string]string{
		"Content-Type": "application/x-www-form-urlencoded", "Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
	loc := res.Header.Get("Location")
	if res.Status != 303 || !strings.HasPrefix(loc, "/r/") {
		t.Fatalf("status %d location %q: %s", res.Status, loc, res.Body)
	}
	var v regView
	e.Participant(strings.TrimPrefix(loc, "/r/")).MustJSON("GET", "/api/participant", nil, 200, &v)
	if v.Name != "<b>Lucía</b>" || v.Organization.Country != "CO" || v.Organization.Name != "Fundación Karisma" {
		t.Fatalf("%+v", v)
	}
	// The same form from a script (Accept: JSON) gets the JSON answer; a
	// form without the consent box ticked gets the consent field error.
	form.Set("email", "other@example.org")
	res = c.DoHeaders("POST", "/api/meetings/m/registrations", form.Encode(), map[string]string{"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"})
	if res.Status != 201 {
		t.Fatalf("%d %s", res.Status, res.Body)
	}
	form.Del("consent")
	form.Set("email", "third@example.org")
	res = c.DoHeaders("POST", "/api/meetings/m/registrations", form.Encode(), map[string]string{"Content-Type": "application/x-www-form-urlencoded"})
	var eb errBody
	res.Decode(t, &eb)
	if res.Status != 422 || eb.Fields["consent"] == "" {
		t.Fatalf("%d %s", res.Status, res.Body)
	}
}

func TestParticipantEditsOwnDetailsOnly(t *testing.T) {
	e := testenv.New(t)
	registrationMeeting(t, e, "m", 0, 0)
	a := mustRegister(t, e, "m", testenv.RegistrationBody("A", "Ana", "ana@example.org"))
	b := mustRegister(t, e, "m", testenv.RegistrationBody("B", "Bo", "bo@example.org"))
	pa := e.Participant(a.Token())
	var v regView
	pa.MustJSON("PUT", "/api/participant", map[string]string{"name": "Ana María <i>Souza</i>", "job_title": "Director"}, 200, &v)
	if v.Name != "Ana María <i>Souza</i>" || v.JobTitle != "Director" || v.ID != a.ID {
		t.Fatalf("%+v", v)
	}
	pa.MustJSON("PUT", "/api/participant", map[string]string{"name": ""}, 422, nil)
	var eb errBody
	pa.MustJSON("PUT", "/api/participant", map[string]string{"name": "Ana", "email": "new@example.org"}, 422, &eb)
	if eb.Fields["email"] == "" {
		t.Fatalf("%+v", eb)
	}
	// A's token reads, edits and withdraws only A's registration.
	pa.MustJSON("POST", "/api/participant/withdraw", nil, 200, nil)
	var vb regView
	e.Participant(b.Token()).MustJSON("GET", "/api/participant", nil, 200, &vb)
	if vb.Status != "pending" || vb.Name != "Bo" {
		t.Fatalf("B changed: %+v", vb)
	}
	pa.MustJSON("PUT", "/api/participant", map[string]string{"name": "Ana"}, 409, nil)
	// A participant token is no staff session.
	pa.MustJSON("POST", fmt.Sprintf("/api/registrations/%d/decision", b.ID), map[string]string{"decision": "reject"}, 401, nil)
	e.Participant(b.Token()).MustJSON("GET", "/api/meetings/m/registrations", nil, 401, nil)
	e.Participant(strings.Repeat("x", 43)).MustJSON("GET", "/api/participant", nil, 401, nil)
}

// TestRolesOnRegistrationRoutes checks every actor on every route that
// needs more than the public.
func TestRolesOnRegistrationRoutes(t *testing.T) {
	e := testenv.New(t)
	registrationMeeting(t, e, "m", 0, 0)
	r := mustRegister(t, e, "m", testenv.RegistrationBody("A", "A", "a@example.org"))
	r2 := mustRegister(t, e, "m", testenv.RegistrationBody("B", "B", "b@example.org"))
	admin := e.Admin()
	noCSRF := *admin
	noCSRF.CSRF = ""
	actors := map[string]*testenv.Client{
		"anonymous": e.Anon(), "participant": e.Participant(r.Token()), "rapporteur": e.Staff(models.RoleRapporteur),
		"moderator": e.Staff(models.RoleModerator), "admin without CSRF": &noCSRF, "admin": admin,
	}
	type route struct {
		method, path string
		body         any
	}
	key := func(r route) string { return r.method + " " + r.path }
	decision := route{"POST", fmt.Sprintf("/api/registrations/%d/decision", r2.ID), map[string]string{"decision": "waitlist"}}
	bulk := route{"POST", "/api/meetings/m/registrations/decisions", map[string]any{"ids": []uint{r2.ID}, "decision": "waitlist"}}
	list := route{"GET", "/api/meetings/m/registrations", nil}
	export := route{"GET", "/api/meetings/m/registrations.csv", nil}
	me := route{"GET", "/api/participant", nil}
	edit := route{"PUT", "/api/participant", map[string]string{"name": "A"}}
	// withdraw is last: it ends the participant's registration.
	withdraw := route{"POST", "/api/participant/withdraw", nil}
	want := map[string]map[string]int{ // by key(route)
		key(decision): {"anonymous": 401, "participant": 401, "rapporteur": 403, "moderator": 403, "admin without CSRF": 403, "admin": 200},
		key(bulk):     {"anonymous": 401, "participant": 401, "rapporteur": 403, "moderator": 403, "admin without CSRF": 403, "admin": 200},
		key(list):     {"anonymous": 401, "participant": 401, "rapporteur": 200, "moderator": 200, "admin without CSRF": 200, "admin": 200},
		key(export):   {"anonymous": 401, "participant": 401, "rapporteur": 200, "moderator": 200, "admin without CSRF": 200, "admin": 200},
		key(me):       {"anonymous": 401, "participant": 200, "rapporteur": 401, "moderator": 401, "admin without CSRF": 401, "admin": 401},
		key(edit):     {"anonymous": 401, "participant": 200, "rapporteur": 401, "moderator": 401, "admin without CSRF": 401, "admin": 401},
		key(withdraw): {"anonymous": 401, "participant": 200, "rapporteur": 401, "moderator": 401, "admin without CSRF": 401, "admin": 401},
	}
	for _, rt := range []route{decision, bulk, list, export, me, edit, withdraw} {
		for _, name := range []string{"anonymous", "participant", "rapporteur", "moderator", "admin without CSRF", "admin"} {
			res := actors[name].Do(rt.method, rt.path, rt.body)
			if res.Status != want[key(rt)][name] {
				t.Errorf("%s %s as %s: %d, want %d: %s", rt.method, rt.path, name, res.Status, want[key(rt)][name], res.Body)
			}
			if rt.path == decision.path && res.Status == 200 {
				// Put it back so that the bulk row can act again.
				e.App.DB.Model(&models.Registration{}).Where("id = ?", r2.ID).Update("status", "pending")
			}
		}
	}
}

func TestBulkDecisionAnswersPerRegistration(t *testing.T) {
	e := testenv.New(t)
	registrationMeeting(t, e, "m", 2, 0)
	registrationMeeting(t, e, "other", 0, 0)
	var ids []uint
	for i := 0; i < 3; i++ {
		ids = append(ids, mustRegister(t, e, "m", testenv.RegistrationBody("Org", "P", fmt.Sprintf("p%d@example.org", i))).ID)
	}
	elsewhere := mustRegister(t, e, "other", testenv.RegistrationBody("Org", "P", "x@example.org"))
	var out struct {
		Results []struct {
			ID     uint   `json:"id"`
			OK     bool   `json:"ok"`
			Status string `json:"status"`
			Code   string `json:"code"`
		} `json:"results"`
	}
	admin := e.Admin()
	admin.MustJSON("POST", "/api/meetings/m/registrations/decisions", map[string]any{
		"ids": append(ids, elsewhere.ID, 424242), "decision": "approve", "reason": "accredited"}, 200, &out)
	got := []string{}
	for _, r := range out.Results {
		got = append(got, fmt.Sprintf("%d:%v:%s%s", r.ID, r.OK, r.Status, r.Code))
	}
	want := []string{
		fmt.Sprintf("%d:true:approved", ids[0]), fmt.Sprintf("%d:true:approved", ids[1]),
		fmt.Sprintf("%d:false:capacity_reached", ids[2]), fmt.Sprintf("%d:false:not_found", elsewhere.ID), "424242:false:not_found",
	}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("results %v, want %v", got, want)
	}
	admin.MustJSON("POST", "/api/meetings/m/registrations/decisions", map[string]any{"ids": []uint{}, "decision": "approve"}, 422, nil)
	admin.MustJSON("POST", "/api/meetings/m/registrations/decisions", map[string]any{"ids": ids, "decision": "maybe"}, 422, nil)
}

func TestListFiltersAndCounts(t *testing.T) {
	listFiltersAndCounts(t, testenv.New(t))
}

func listFiltersAndCounts(t *testing.T, e *testenv.Env) {
	registrationMeeting(t, e, "m", 0, 0)
	a := testenv.RegistrationBody("Access Now", "Ana", "ana@example.org")
	b := testenv.RegistrationBody("Kyoto University", "Kenji", "kenji@example.org")
	b["organization"].(map[string]any)["type"] = "academia"
	c := testenv.RegistrationBody("Cisco", "Carla", "carla@example.org")
	c["organization"].(map[string]any)["type"] = "private_sector"
	ra, rb := mustRegister(t, e, "m", a), mustRegister(t, e, "m", b)
	mustRegister(t, e, "m", c)
	admin := e.Admin()
	decide(admin, ra.ID, "approve", 200)
	decide(admin, rb.ID, "reject", 200)
	type listOut struct {
		Registrations []regView `json:"registrations"`
		Total         int       `json:"total"`
		Counts        struct {
			ByStatus map[string]int            `json:"by_status"`
			ByType   map[string]map[string]int `json:"by_type"`
		} `json:"counts"`
	}
	mod := e.Staff(models.RoleModerator)
	for _, c := range []struct {
		query string
		want  []string
	}{
		{"", []string{"Ana", "Kenji", "Carla"}},
		{"?status=approved", []string{"Ana"}},
		{"?type=academia", []string{"Kenji"}},
		{"?q=CISCO", []string{"Carla"}},
		{"?q=access+ana", []string{"Ana"}},
		{"?q=%25", []string{}},
		{"?status=pending&type=private_sector", []string{"Carla"}},
	} {
		var out listOut
		mod.MustJSON("GET", "/api/meetings/m/registrations"+c.query, nil, 200, &out)
		names := []string{}
		for _, r := range out.Registrations {
			names = append(names, r.Name)
		}
		if strings.Join(names, ",") != strings.Join(c.want, ",") || out.Total != len(c.want) {
			t.Errorf("%s: %v (total %d), want %v", c.query, names, out.Total, c.want)
		}
		if out.Counts.ByStatus["approved"] != 1 || out.Counts.ByStatus["rejected"] != 1 || out.Counts.ByStatus["pending"] != 1 ||
			out.Counts.ByType["academia"]["rejected"] != 1 || out.Counts.ByType["ngo"]["total"] != 1 || out.Counts.ByType["technical_community"]["total"] != 0 {
			t.Errorf("counts %+v", out.Counts)
		}
	}
	mod.MustJSON("GET", "/api/meetings/m/registrations?status=nope", nil, 422, nil)
	mod.MustJSON("GET", "/api/meetings/m/registrations?type=nope", nil, 422, nil)
	// The public list has approved organizations only, and no person.
	res := e.Anon().MustJSON("GET", "/api/meetings/m/organizations", nil, 200, nil)
	if string(res.Body) != `{"organizations":[{"name":"Access Now","acronym":"","type":"ngo","country":"KE","country_name":"Kenya"}]}` {
		t.Fatalf("public list %s", res.Body)
	}
}

func TestCSVExportNeutralisesFormulasAndKeepsHTMLAsText(t *testing.T) {
	e := testenv.New(t)
	registrationMeeting(t, e, "m", 0, 0)
	b := testenv.RegistrationBody(`<script>alert("org")</script>`, `=HYPERLINK("http://evil.example","click")`, "eve@example.org")
	b["job_title"] = "@SUM(A1:A9)"
	mustRegister(t, e, "m", b)
	mustRegister(t, e, "m", testenv.RegistrationBody("Zhōngguó 中国互联网协会", "-2+3", "wang@example.org"))
	res := e.Staff(models.RoleRapporteur).Do("GET", "/api/meetings/m/registrations.csv", nil)
	if res.Status != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/csv") ||
		!strings.Contains(res.Header.Get("Content-Disposition"), "m-registrations.csv") {
		t.Fatalf("%d %v", res.Status, res.Header)
	}
	if !strings.HasPrefix(string(res.Body), "\uFEFF") {
		t.Fatal("no byte order mark")
	}
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(string(res.Body), "\uFEFF"))).ReadAll()
	if err != nil || len(rows) != 3 {
		t.Fatalf("%v %q", err, rows)
	}
	if rows[1][2] != `'=HYPERLINK("http://evil.example","click")` || rows[1][4] != "'@SUM(A1:A9)" ||
		rows[1][5] != `<script>alert("org")</script>` || rows[2][2] != "'-2+3" || rows[2][5] != "Zhōngguó 中国互联网协会" {
		t.Fatalf("rows %q", rows[1:])
	}
}

func TestMailIsQueuedWithEveryChange(t *testing.T) {
	e := testenv.New(t)
	registrationMeeting(t, e, "m", 0, 0)
	r := mustRegister(t, e, "m", testenv.RegistrationBody("A", `<b>Ana</b>`, "ana@example.org"))
	e.Anon().MustJSON("POST", "/api/meetings/m/registrations", testenv.RegistrationBody("A", "Ana", "ana@example.org"), 409, nil)
	decide(e.Admin(), r.ID, "approve", 200)
	e.Participant(r.Token()).MustJSON("POST", "/api/participant/withdraw", nil, 200, nil)
	var mails []models.OutboxMessage
	e.App.DB.Order("id").Find(&mails)
	kinds := []string{}
	for i, m := range mails {
		kinds = append(kinds, m.Kind)
		// Only the confirmation hands over the private link; the others
		// say where to ask for a new one (the database has no link).
		hasLink := strings.Contains(m.Text, r.ManageURL) && strings.Contains(m.HTML, `href="`+r.ManageURL+`"`)
		if m.ToAddr != "ana@example.org" || hasLink != (i == 0) || (i > 0 && !strings.Contains(m.Text, "/m/m/link")) {
			t.Errorf("%s: to %s, text %q", m.Kind, m.ToAddr, m.Text)
		}
		if strings.Contains(m.HTML, "<b>Ana") || !strings.Contains(m.HTML, "&lt;b&gt;Ana") {
			t.Errorf("%s: HTML not escaped", m.Kind)
		}
	}
	if strings.Join(kinds, ",") != "registration_confirmation,registration_decision,registration_withdrawn" {
		t.Fatalf("mails %v", kinds)
	}
}

// TestLimitsHoldUnderConcurrentRegistrations sends 240 registrations at
// once (four people from each of 60 organizations) to a meeting of 40
// seats and 3 representatives per organization.
func TestLimitsHoldUnderConcurrentRegistrations(t *testing.T) {
	e := testenv.New(t)
	registrationLimitsUnderLoad(t, e)
}

func registrationLimitsUnderLoad(t *testing.T, e *testenv.Env) {
	const orgs, perOrg, limit, capacity = 60, 4, 3, 40
	registrationMeeting(t, e, "rush", capacity, limit)
	type answer struct {
		status int
		reg    testenv.Registered
	}
	answers := make([]answer, orgs*perOrg)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range answers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			c := e.Anon()
			res := c.Do("POST", "/api/meetings/rush/registrations", testenv.RegistrationBody(fmt.Sprintf("Organization %02d", i%orgs), "P", fmt.Sprintf("p%03d@example.org", i)))
			answers[i].status = res.Status
			if res.Status == 201 {
				res.Decode(t, &answers[i].reg)
			}
		}()
	}
	close(start)
	wg.Wait()
	created, refused := 0, 0
	for _, a := range answers {
		switch a.status {
		case 201:
			created++
		case 409:
			refused++
		default:
			t.Fatalf("unexpected status %d", a.status)
		}
	}
	if created != orgs*limit || refused != orgs*(perOrg-limit) {
		t.Fatalf("%d created, %d refused; want %d and %d", created, refused, orgs*limit, orgs*(perOrg-limit))
	}
	// Every 201 is stored with the state it was answered with.
	for _, a := range answers {
		if a.status != 201 {
			continue
		}
		var got models.Registration
		if err := e.App.DB.First(&got, a.reg.ID).Error; err != nil || got.Status != a.reg.Status {
			t.Fatalf("registration %d answered %s, stored %+v (%v)", a.reg.ID, a.reg.Status, got.Status, err)
		}
	}
	var held int64
	e.App.DB.Model(&models.Registration{}).Where("status IN ?", []string{"pending", "approved"}).Count(&held)
	if held != capacity {
		t.Fatalf("%d seats held, capacity %d", held, capacity)
	}
	var worst struct{ N int }
	e.App.DB.Raw(`SELECT COUNT(*) AS n FROM registrations WHERE status IN ('pending','approved','waitlisted') GROUP BY organization_id ORDER BY n DESC LIMIT 1`).Scan(&worst)
	if worst.N > limit {
		t.Fatalf("an organization has %d active representatives, limit %d", worst.N, limit)
	}
	// Now approve everything at once from several admins: capacity holds.
	var waiting []uint
	e.App.DB.Model(&models.Registration{}).Where("status = ?", "waitlisted").Order("id").Limit(30).Pluck("id", &waiting)
	admin := e.Admin()
	var wg2 sync.WaitGroup
	codes := make([]int, len(waiting))
	for i, id := range waiting {
		wg2.Add(1)
		go func() {
			defer wg2.Done()
			codes[i] = admin.Do("POST", fmt.Sprintf("/api/registrations/%d/decision", id), map[string]string{"decision": "approve"}).Status
		}()
	}
	wg2.Wait()
	for _, c := range codes {
		if c != 409 {
			t.Fatalf("approving a waitlisted registration of a full meeting answered %d", c)
		}
	}
}
