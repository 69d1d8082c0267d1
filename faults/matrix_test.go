package faults_test

import (
	"bytes"
	"fmt"
	"mime/multipart"
	"slices"
	"sort"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"rostrum/internal/testenv"
	"rostrum/models"
)

// The actors of the authorization matrix, in the order their cells run:
// those that should be refused come before those that may change state.
var matrixActors = []string{
	"anonymous", "mission", "other-meeting-token", "other-participant", "participant",
	"rapporteur", "registrar", "moderator", "admin-no-csrf", "admin",
}

// matrixFixture is a fresh server with a meeting "m" (and another, "n"),
// three registrations in m (A and B approved, C pending), one in n, an
// agenda item, and a client for every actor.
type matrixFixture struct {
	e             *testenv.Env
	actors        map[string]*testenv.Client
	a, b, c, othr testenv.Registered
	d, g          testenv.Registered // approved too, for staff to act on
	item, item2   uint
	n             int
	entries       map[string]uint // speaker entries by their registration's letter
	member        uint            // a member of Singapore's delegation, once a row's setup registered one
	notice        uint            // a non-objection notice of C's organization, once a row's setup made one
}

// addSpeakers puts the named registrations (a, b, d, g) on the first
// item's list, as the admin, and sets it as the current item.
func (f *matrixFixture) addSpeakers(t testing.TB, names ...string) {
	t.Helper()
	admin := f.actors["admin"]
	regs := map[string]testenv.Registered{"a": f.a, "b": f.b, "d": f.d, "g": f.g}
	f.entries = map[string]uint{}
	for _, n := range names {
		var res struct{ Speaker struct{ ID uint } }
		admin.MustJSON("POST", fmt.Sprintf("/api/meetings/m/agenda/%d/speakers", f.item), map[string]any{"registration_id": regs[n].ID}, 201, &res)
		f.entries[n] = res.Speaker.ID
	}
	admin.MustJSON("POST", "/api/meetings/m/current", map[string]any{"item_id": f.item}, 200, nil)
}

// adminCmd runs a command on an entry of the first item as the admin.
func (f *matrixFixture) adminCmd(t *testing.T, entry, action string) {
	t.Helper()
	f.actors["admin"].MustJSON("POST", fmt.Sprintf("/api/meetings/m/agenda/%d/speakers/%d/%s", f.item, f.entries[entry], action), nil, 200, nil)
}

func waitingAB(t *testing.T, f *matrixFixture) { f.addSpeakers(t, "a", "b") }
func speakingA(t *testing.T, f *matrixFixture) {
	f.addSpeakers(t, "a", "b")
	f.adminCmd(t, "a", "start")
}
func pausedA(t *testing.T, f *matrixFixture) { speakingA(t, f); f.adminCmd(t, "a", "pause") }
func draftV1(t *testing.T, f *matrixFixture) {
	f.actors["admin"].MustJSON("POST", "/api/meetings/m/summary", nil, 201, nil)
}

func approvedV1(t *testing.T, f *matrixFixture) {
	draftV1(t, f)
	f.actors["admin"].MustJSON("POST", "/api/meetings/m/summary/1/approve", nil, 200, nil)
}

func circulatedV1(t *testing.T, f *matrixFixture) {
	approvedV1(t, f)
	f.actors["admin"].MustJSON("POST", "/api/meetings/m/summary/1/circulate", map[string]any{"extra": []string{}}, 202, nil)
}

// noticeOfC circulates C's organization (C is pending) to the invited
// missions, with a deadline an hour away.
func noticeOfC(t *testing.T, f *matrixFixture) {
	var n struct{ ID uint }
	f.actors["admin"].MustJSON("POST", "/api/meetings/m/non-objection", noticeBody(f, ""), 201, &n)
	f.notice = n.ID
}

func noticeBody(f *matrixFixture, _ string) any {
	return map[string]any{"organization_ids": []uint{f.orgOf(f.c)}, "deadline": time.Now().Add(time.Hour).UTC().Format(time.RFC3339)}
}

const matrixBoundary = "rostrum-matrix-boundary"

func uploadBody(*matrixFixture, string) any {
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	_ = w.SetBoundary(matrixBoundary)
	_ = w.WriteField("title", "Programme of work")
	f, _ := w.CreateFormFile("file", "pow.pdf")
	_, _ = f.Write(testenv.TinyPDF)
	_ = w.Close()
	return b.Bytes()
}

func uploadedDoc(t *testing.T, f *matrixFixture) {
	if res := f.actors["admin"].Upload("m", map[string]string{"title": "Programme of work"}, "pow.pdf", testenv.TinyPDF); res.Status != 201 {
		t.Fatalf("upload: %d %s", res.Status, res.Body)
	}
}

func publishedDoc(t *testing.T, f *matrixFixture) {
	uploadedDoc(t, f)
	f.actors["admin"].MustJSON("POST", "/api/meetings/m/documents/1/publish", nil, 200, nil)
}

func letterBody(*matrixFixture, string) any {
	return map[string]any{"addressee": "To all Permanent Representatives\nNew York", "place": "New York", "date": "2019-12-31",
		"salutation": "Excellency,", "body_markdown": "I have the honour.", "closing": "Please accept the assurances of my highest consideration.",
		"signature": map[string]any{"name": "The Chair", "titles": []string{"Chair"}}, "enclosures": []any{1}}
}

func letter1(t *testing.T, f *matrixFixture) {
	publishedDoc(t, f)
	f.actors["admin"].MustJSON("POST", "/api/meetings/m/letters", letterBody(f, "admin"), 201, nil)
}

func scheduledLetter(t *testing.T, f *matrixFixture) {
	letter1(t, f)
	f.actors["admin"].MustJSON("POST", "/api/meetings/m/circulations", map[string]any{"letter": 1,
		"to": map[string]any{"participants": true}, "send_at": time.Now().Add(30 * 24 * time.Hour).Format(time.RFC3339)}, 202, nil)
}

func listBody(*matrixFixture, string) any {
	return map[string]any{"name": "Observers", "addresses": []map[string]string{{"name": "An observer", "email": "obs@example.org"}}}
}

func list1(t *testing.T, f *matrixFixture) {
	f.actors["admin"].MustJSON("POST", "/api/lists", listBody(f, "admin"), 201, nil)
}

func markdownBody(*matrixFixture, string) any {
	return map[string]any{"markdown": "# Chair's Summary\n\n1. Participants met."}
}

func entryPath(action string) func(*matrixFixture, string) string {
	return func(f *matrixFixture, _ string) string {
		return fmt.Sprintf("/api/meetings/m/agenda/%d/speakers/%d/%s", f.item, f.entries["a"], action)
	}
}

func newMatrixFixture(t testing.TB) *matrixFixture {
	t.Helper()
	e := testenv.New(t)
	admin := e.Admin()
	createMeeting(t, admin, "m", 0, 0)
	createMeeting(t, admin, "n", 0, 0)
	f := &matrixFixture{e: e}
	f.a, f.b, f.c, f.othr = register(t, e, "m"), register(t, e, "m"), register(t, e, "m"), register(t, e, "n")
	f.d, f.g = register(t, e, "m"), register(t, e, "m")
	for _, r := range []testenv.Registered{f.a, f.b, f.othr, f.d, f.g} {
		admin.MustJSON("POST", fmt.Sprintf("/api/registrations/%d/decision", r.ID), map[string]string{"decision": "approve", "reason": "ok"}, 200, nil)
	}
	var it struct{ ID uint }
	admin.MustJSON("POST", "/api/meetings/m/agenda", map[string]any{"title": "Existing and potential threats", "speaking_time_seconds": 180}, 201, &it)
	f.item = it.ID
	admin.MustJSON("POST", "/api/meetings/m/agenda", map[string]any{"title": "International law", "speaking_time_seconds": 180}, 201, &it)
	f.item2 = it.ID
	// Singapore's mission is invited to m (Kenya's is imported, not
	// invited); its focal-point link is read from the invitation's mail,
	// still in the outbox as no mail server is set.
	admin.MustJSON("POST", "/api/missions", []map[string]string{
		{"country": "SG", "kind": "member_state", "name": "Permanent Mission of Singapore", "email": "sg@example.org"},
		{"country": "KE", "kind": "member_state", "name": "Permanent Mission of Kenya", "email": "ke@example.org"},
	}, 200, nil)
	admin.MustJSON("POST", "/api/meetings/m/missions/invite", map[string]any{"countries": []string{"SG"}}, 202, nil)
	var invitation models.OutboxMessage
	if err := e.App.DB.Where("kind = ?", "mission_invitation").First(&invitation).Error; err != nil {
		t.Fatal(err)
	}
	_, missionToken, _ := strings.Cut(strings.Fields(invitation.Text[strings.Index(invitation.Text, "/d/"):])[0], "/d/")
	noCSRF := *e.Admin()
	noCSRF.CSRF = ""
	f.actors = map[string]*testenv.Client{
		"anonymous":           e.Anon(),
		"mission":             e.Participant(missionToken),
		"participant":         e.Participant(f.a.Token()),
		"other-participant":   e.Participant(f.b.Token()),
		"other-meeting-token": e.Participant(f.othr.Token()),
		"rapporteur":          e.Staff(models.RoleRapporteur),
		"registrar":           e.Staff(models.RoleRegistrar),
		"moderator":           e.Staff(models.RoleModerator),
		"admin":               admin,
		"admin-no-csrf":       &noCSRF,
	}
	return f
}

// orgOf is the id of registration r's organization, read with r's token.
func (f *matrixFixture) orgOf(r testenv.Registered) uint {
	var me struct{ Organization struct{ ID uint } }
	f.e.Participant(r.Token()).MustJSON("GET", "/api/participant", nil, 200, &me)
	return me.Organization.ID
}

// unique returns a number never returned before in this fixture, for
// bodies that create things.
func (f *matrixFixture) unique() int { f.n++; return f.n }

// who is the kind of access a route grants.
type who struct {
	public      bool
	participant bool     // a participant's token (any meeting: the route acts on the token's own registration)
	mission     bool     // a mission's focal-point token (the route acts on its own delegation)
	staff       bool     // staff with one of roles (any staff when roles is empty)
	roles       []string // staff roles allowed
	// tokenForbidden: a participant's token is known but not enough (403,
	// not 401), as on the moderator's routes.
	tokenForbidden bool
}

var (
	public      = who{public: true}
	participant = who{participant: true}
	anyStaff    = who{staff: true}
	adminOnly   = who{staff: true, roles: []string{models.RoleAdmin}}
	moderators  = who{staff: true, roles: []string{models.RoleModerator, models.RoleAdmin}, tokenForbidden: true}
	notesStaff  = who{staff: true, roles: []string{models.RoleRapporteur, models.RoleAdmin}}
	// doorStaff: registrars and the secretariat, at the door.
	doorStaff = who{staff: true, roles: []string{models.RoleRegistrar, models.RoleAdmin}}
	// missionOnly: a mission's focal point, for its own delegation.
	missionOnly = who{mission: true}
	// floor: moderators, and participants for themselves.
	floor = who{participant: true, staff: true, roles: []string{models.RoleModerator, models.RoleAdmin}}
)

// matrixRow is one route: how to call it, who may, and what they get.
type matrixRow struct {
	path string // with {slug}, {token}, {reg}, {item} filled from the fixture
	who  who
	ok   int // the answer to an actor who may
	body func(f *matrixFixture, actor string) any
	// pathFor, when set, gives the path per actor (say, each actor acts on
	// an entry of its own so that one cell does not spoil the next).
	pathFor func(f *matrixFixture, actor string) string
	// setup brings the fixture into the state the route needs.
	setup func(t *testing.T, f *matrixFixture)
	// form sends the body (a string) as an HTML form instead of JSON.
	form bool
	// contentType, when set, sends the body (a string) with this type.
	contentType string
	// want overrides the answer for some actors (say, a participant acting
	// on someone else's entry is 403 although participants may use the route).
	want map[string]int
}

var staffRole = map[string]string{"rapporteur": models.RoleRapporteur, "registrar": models.RoleRegistrar, "moderator": models.RoleModerator, "admin": models.RoleAdmin, "admin-no-csrf": models.RoleAdmin}

// expect is the intended answer of route r to actor for method.
func (r matrixRow) expect(actor, method string) int {
	if st, ok := r.want[actor]; ok {
		return st
	}
	if r.who.public {
		return r.ok
	}
	role, isStaff := staffRole[actor]
	switch {
	case actor == "mission":
		if r.who.mission {
			return r.ok
		}
		return 401
	case strings.Contains(actor, "participant") || actor == "other-meeting-token":
		if r.who.participant {
			return r.ok
		}
		if r.who.tokenForbidden {
			return 403
		}
		return 401
	case isStaff:
		if !r.who.staff {
			return 401
		}
		if actor == "admin-no-csrf" && method != "GET" && method != "HEAD" {
			return 403
		}
		if len(r.who.roles) == 0 || slices.Contains(r.who.roles, role) {
			return r.ok
		}
		return 403
	}
	return 401 // anonymous
}

// authorizationMatrix is every route of the app. A route the app serves
// without a row here fails TestAuthorizationMatrix: a new route must say
// who may use it.
var authorizationMatrix = map[string]matrixRow{
	"GET /healthz":        {path: "/healthz", who: public, ok: 200},
	"GET /api/vocabulary": {path: "/api/vocabulary", who: public, ok: 200},

	// Staff accounts.
	"POST /api/login": {path: "/api/login", who: public, ok: 200, body: func(*matrixFixture, string) any {
		return map[string]string{"email": testenv.AdminEmail, "password": testenv.Password}
	}},
	"POST /api/logout": {path: "/api/logout", who: public, ok: 204},
	"GET /api/me":      {path: "/api/me", who: anyStaff, ok: 200},
	"POST /api/users": {path: "/api/users", who: adminOnly, ok: 201, body: func(f *matrixFixture, _ string) any {
		return map[string]string{"email": fmt.Sprintf("staff%d@example.org", f.unique()), "role": "moderator", "password": "long enough indeed", "name": "M"}
	}},

	"GET /api/users": {path: "/api/users", who: adminOnly, ok: 200},
	"PATCH /api/users/:id": {path: "/api/users/1", who: adminOnly, ok: 200, body: func(*matrixFixture, string) any {
		return map[string]any{"role": "admin"} // the first admin stays one: every actor keeps its session
	}},
	"POST /api/users/:id/reset": {path: "/api/users/1/reset", who: adminOnly, ok: 202},
	// Each staff actor changes its own password; the admin's last, as the
	// admin-no-csrf actor shares its account.
	"POST /api/me/password": {path: "/api/me/password", who: anyStaff, ok: 204, body: func(*matrixFixture, string) any {
		return map[string]string{"current": testenv.Password, "new": "a quite different passphrase"}
	}},
	// Anyone may try a reset link; the link (here none) decides.
	"POST /api/password-reset/check": {path: "/api/password-reset/check", who: public, ok: 404, body: func(*matrixFixture, string) any {
		return map[string]string{"token": "no-such-link"}
	}},
	"POST /api/password-reset": {path: "/api/password-reset", who: public, ok: 404, body: func(*matrixFixture, string) any {
		return map[string]string{"token": "no-such-link", "password": "a quite different passphrase"}
	}},

	// Meetings and agenda.
	"GET /api/meetings":       {path: "/api/meetings", who: public, ok: 200},
	"GET /api/meetings/:slug": {path: "/api/meetings/m", who: public, ok: 200},
	"POST /api/meetings": {path: "/api/meetings", who: adminOnly, ok: 201, body: func(f *matrixFixture, _ string) any {
		return meetingInput(fmt.Sprintf("new-%d", f.unique()), 0, 0)
	}},
	"PATCH /api/meetings/:slug": {path: "/api/meetings/m", who: adminOnly, ok: 200, body: func(*matrixFixture, string) any {
		return map[string]any{"venue": "Conference Room 2"}
	}},
	"GET /api/meetings/:slug/agenda": {path: "/api/meetings/m/agenda", who: public, ok: 200},

	// Processes of several meetings: the secretariat creates them; anyone
	// reads them with their meetings and circulated summaries.
	"GET /api/processes": {path: "/api/processes", who: public, ok: 200},
	"POST /api/processes": {path: "/api/processes", who: adminOnly, ok: 201, body: func(f *matrixFixture, _ string) any {
		return map[string]string{"slug": fmt.Sprintf("process-%d", f.unique()), "title": "Open-ended Working Group", "acronym": "OEWG"}
	}},
	"GET /api/processes/:slug": {path: "/api/processes/oewg", who: public, ok: 200, setup: func(t *testing.T, f *matrixFixture) {
		f.actors["admin"].MustJSON("POST", "/api/processes", map[string]string{"slug": "oewg", "title": "Open-ended Working Group"}, 201, nil)
		f.actors["admin"].MustJSON("PATCH", "/api/meetings/m", map[string]any{"process": "oewg"}, 200, nil)
	}},
	"PATCH /api/meetings/:slug/agenda/:id": {path: "/api/meetings/m/agenda/{item2}", who: adminOnly, ok: 200, body: func(*matrixFixture, string) any {
		return map[string]any{"title": "International law, renamed"}
	}},
	"POST /api/meetings/:slug/agenda/order": {path: "/api/meetings/m/agenda/order", who: adminOnly, ok: 200, body: func(f *matrixFixture, _ string) any {
		return map[string]any{"ids": []uint{f.item, f.item2}}
	}},
	"DELETE /api/meetings/:slug/agenda/:id": {path: "/api/meetings/m/agenda/{item2}", who: adminOnly, ok: 204},
	"POST /api/meetings/:slug/agenda": {path: "/api/meetings/m/agenda", who: adminOnly, ok: 201, body: func(*matrixFixture, string) any {
		return map[string]any{"title": "Capacity-building", "speaking_time_seconds": 120}
	}},

	// Registration and accreditation.
	"POST /api/meetings/:slug/registrations": {path: "/api/meetings/m/registrations", who: public, ok: 201, body: func(f *matrixFixture, _ string) any {
		n := f.unique()
		return testenv.RegistrationBody(fmt.Sprintf("Matrix Org %d", n), "Newcomer", fmt.Sprintf("new%d@example.org", n))
	}},
	"POST /api/meetings/:slug/registrations/resend-link": {path: "/api/meetings/m/registrations/resend-link", who: public, ok: 202, body: func(*matrixFixture, string) any {
		return map[string]string{"email": "not-registered@example.org"} // a fixture's link must keep working
	}},
	// A pre-fill link is asked for by anyone (the answer is the same for
	// every address) and opened by anyone holding one (here none).
	"POST /api/meetings/:slug/prefill": {path: "/api/meetings/m/prefill", who: public, ok: 202, body: func(*matrixFixture, string) any {
		return map[string]string{"email": "not-registered@example.org"}
	}},
	"POST /api/meetings/:slug/prefill/open": {path: "/api/meetings/m/prefill/open", who: public, ok: 404, body: func(*matrixFixture, string) any {
		return map[string]string{"token": "no-such-link"}
	}},
	"GET /api/meetings/:slug/organizations":     {path: "/api/meetings/m/organizations", who: public, ok: 200},
	"GET /api/meetings/:slug/registrations":     {path: "/api/meetings/m/registrations", who: anyStaff, ok: 200},
	"GET /api/meetings/:slug/registrations.csv": {path: "/api/meetings/m/registrations.csv", who: anyStaff, ok: 200},
	"POST /api/meetings/:slug/registrations/decisions": {path: "/api/meetings/m/registrations/decisions", who: adminOnly, ok: 200, body: func(f *matrixFixture, _ string) any {
		return map[string]any{"ids": []uint{f.c.ID}, "decision": "waitlist", "reason": "r"}
	}},
	"POST /api/registrations/:id/decision": {path: "/api/registrations/{reg-c}/decision", who: adminOnly, ok: 200, body: func(*matrixFixture, string) any {
		return map[string]string{"decision": "approve", "reason": "r"}
	}},
	"POST /api/registrations/:id/name-change": {path: "/api/registrations/{reg}/name-change", who: adminOnly, ok: 200,
		setup: func(t *testing.T, f *matrixFixture) { // A is approved: a new name waits for the secretariat
			f.actors["participant"].MustJSON("PUT", "/api/participant", map[string]string{"name": "Renamed"}, 200, nil)
		},
		body: func(*matrixFixture, string) any { return map[string]bool{"accept": true} }},

	// States: the secretariat imports missions and invites them; a
	// mission's focal point registers its delegation.
	"POST /api/missions": {path: "/api/missions", who: adminOnly, ok: 200, body: func(*matrixFixture, string) any {
		return []map[string]string{{"country": "FR", "kind": "member_state", "name": "Permanent Mission of France", "email": "fr@example.org"}}
	}},
	"GET /api/missions": {path: "/api/missions", who: anyStaff, ok: 200},
	"POST /api/meetings/:slug/missions/invite": {path: "/api/meetings/m/missions/invite", who: adminOnly, ok: 202, body: func(*matrixFixture, string) any {
		return map[string]any{"countries": []string{"KE"}} // Singapore's link must keep working
	}},
	"GET /api/delegation/members": {path: "/api/delegation/members", who: missionOnly, ok: 200},
	// The non-objection procedure: the secretariat alone circulates and
	// reads objections (moderators and rapporteurs are staff, not the
	// secretariat); a mission reads notices and objects.
	"POST /api/meetings/:slug/non-objection":    {path: "/api/meetings/m/non-objection", who: adminOnly, ok: 201, body: noticeBody},
	"GET /api/meetings/:slug/non-objection":     {path: "/api/meetings/m/non-objection", who: adminOnly, ok: 200, setup: noticeOfC},
	"GET /api/meetings/:slug/non-objection/:id": {path: "/api/meetings/m/non-objection/{notice}", who: adminOnly, ok: 200, setup: noticeOfC},
	"GET /api/non-objection":                    {path: "/api/non-objection", who: missionOnly, ok: 200, setup: noticeOfC},
	"POST /api/non-objection/:id/objections": {path: "/api/non-objection/{notice}/objections", who: missionOnly, ok: 201, setup: noticeOfC,
		body: func(f *matrixFixture, _ string) any {
			return map[string]any{"organization_id": f.orgOf(f.c), "reason": "Not relevant to the meeting."}
		}},
	"POST /api/delegation/members": {path: "/api/delegation/members", who: missionOnly, ok: 201, body: func(f *matrixFixture, _ string) any {
		return map[string]any{"name": "Delegate", "email": fmt.Sprintf("delegate%d@example.org", f.unique())}
	}},
	"DELETE /api/delegation/members/:id": {who: missionOnly, ok: 200,
		setup: func(t *testing.T, f *matrixFixture) {
			var m struct{ ID uint }
			f.actors["mission"].MustJSON("POST", "/api/delegation/members", map[string]any{"name": "Delegate", "email": "delegate@example.org"}, 201, &m)
			f.member = m.ID
		},
		pathFor: func(f *matrixFixture, _ string) string { return fmt.Sprintf("/api/delegation/members/%d", f.member) }},

	// Organization records: staff read them, the secretariat edits and merges.
	"GET /api/organizations": {path: "/api/organizations?q=org", who: anyStaff, ok: 200},
	"PATCH /api/organizations/:id": {who: adminOnly, ok: 200,
		pathFor: func(f *matrixFixture, _ string) string { return fmt.Sprintf("/api/organizations/%d", f.orgOf(f.c)) },
		body:    func(*matrixFixture, string) any { return map[string]string{"acronym": "MX"} }},
	"POST /api/organizations/:id/merge": {who: adminOnly, ok: 200,
		pathFor: func(f *matrixFixture, _ string) string {
			return fmt.Sprintf("/api/organizations/%d/merge", f.orgOf(f.c))
		},
		body: func(f *matrixFixture, _ string) any { return map[string]uint{"into": f.orgOf(f.a)} }},
	// The UN's list of organizations in consultative status: the secretariat's.
	"POST /api/ecosoc/import": {path: "/api/ecosoc/import", who: adminOnly, ok: 200, contentType: "text/csv",
		body: func(*matrixFixture, string) any { return "name,status,year\nMatrix Listed Org,special,2004\n" }},

	// At the door. Each actor let through checks in its own approved
	// registration (registrar d, admin g) and undoes it.
	"POST /api/meetings/:slug/checkins": {path: "/api/meetings/m/checkins", who: doorStaff, ok: 201,
		body: func(f *matrixFixture, actor string) any {
			if actor == "admin" {
				return map[string]any{"registration_id": f.g.ID}
			}
			return map[string]any{"registration_id": f.d.ID}
		}},
	"DELETE /api/meetings/:slug/checkins/:id": {who: doorStaff, ok: 200,
		setup: func(t *testing.T, f *matrixFixture) {
			for _, r := range []testenv.Registered{f.d, f.g} {
				f.actors["admin"].MustJSON("POST", "/api/meetings/m/checkins", map[string]any{"registration_id": r.ID}, 201, nil)
			}
		},
		pathFor: func(f *matrixFixture, actor string) string {
			if actor == "admin" {
				return fmt.Sprintf("/api/meetings/m/checkins/%d", f.g.ID)
			}
			return fmt.Sprintf("/api/meetings/m/checkins/%d", f.d.ID)
		}},
	"GET /api/meetings/:slug/attendance": {path: "/api/meetings/m/attendance", who: anyStaff, ok: 200},
	"GET /api/meetings/:slug/badges.pdf": {path: "/api/meetings/m/badges.pdf?status=approved", who: doorStaff, ok: 200},
	// The staff's list names people; the public one (?public=1, anyone
	// once the meeting has started) is handlers' TestThePublicListOfParticipants….
	"GET /api/meetings/:slug/participants.:format": {path: "/api/meetings/m/participants.pdf", who: anyStaff, ok: 200},
	// Released at a time before every approval of the fixture: nobody
	// goes, and every cell finds the fixture as it was.
	"POST /api/meetings/:slug/release-no-shows": {path: "/api/meetings/m/release-no-shows", who: adminOnly, ok: 200,
		body: func(*matrixFixture, string) any { return map[string]string{"before": "2020-01-01T00:00:00Z"} }},

	// The participant, by their own token: every token acts on its own registration only.
	"GET /api/participant": {path: "/api/participant", who: participant, ok: 200},
	"PUT /api/participant": {path: "/api/participant", who: participant, ok: 200, body: func(*matrixFixture, string) any {
		return map[string]string{"name": "Renamed", "job_title": "Advisor"}
	}},
	"POST /api/participant/withdraw": {path: "/api/participant/withdraw", who: participant, ok: 200},
	"GET /api/participant/export":    {path: "/api/participant/export", who: participant, ok: 200},
	// Each participant actor erases its own registration (a, b, and the
	// other meeting's): every cell is the first use of its token.
	"DELETE /api/participant": {path: "/api/participant", who: participant, ok: 204},

	// The live list of speakers (/api/meetings/{slug}/...). A cell of 409
	// means the actor was let through and a rule of the list answered (the
	// cell before it changed the list).
	"GET /api/meetings/:slug/live":                 {path: "/api/meetings/m/live", who: public, ok: 200},
	"GET /api/meetings/:slug/audit":                {path: "/api/meetings/m/audit", who: moderators, ok: 200},
	"GET /api/meetings/:slug/agenda/:item/suggest": {path: "/api/meetings/m/agenda/{item}/suggest", who: moderators, ok: 200, setup: waitingAB},
	"POST /api/meetings/:slug/agenda/:item/speakers": {path: "/api/meetings/m/agenda/{item}/speakers", who: floor, ok: 201,
		body: func(f *matrixFixture, actor string) any {
			switch actor {
			case "participant", "other-meeting-token":
				return map[string]any{"kind": "statement"} // for themselves
			case "other-participant":
				return map[string]any{"registration_id": f.a.ID} // for someone else
			case "admin":
				return map[string]any{"registration_id": f.g.ID}
			}
			return map[string]any{"registration_id": f.d.ID}
		},
		want: map[string]int{"other-participant": 403, "other-meeting-token": 403}},
	"DELETE /api/meetings/:slug/agenda/:item/speakers/:id": {who: floor, ok: 200, setup: func(t *testing.T, f *matrixFixture) { f.addSpeakers(t, "a", "b", "d") },
		pathFor: func(f *matrixFixture, actor string) string {
			e := map[string]string{"participant": "a", "moderator": "b", "admin": "d"}[actor]
			if e == "" {
				e = "a" // everyone else tries the participant's entry
			}
			return fmt.Sprintf("/api/meetings/m/agenda/%d/speakers/%d", f.item, f.entries[e])
		},
		want: map[string]int{"other-participant": 403, "other-meeting-token": 403}},
	"POST /api/meetings/:slug/agenda/:item/speakers/order": {path: "/api/meetings/m/agenda/{item}/speakers/order", who: moderators, ok: 200, setup: waitingAB,
		body: func(f *matrixFixture, _ string) any {
			return map[string]any{"ids": []uint{f.entries["b"], f.entries["a"]}}
		}},
	"POST /api/meetings/:slug/agenda/:item/next": {path: "/api/meetings/m/agenda/{item}/next", who: moderators, ok: 200, setup: waitingAB},
	"POST /api/meetings/:slug/agenda/:item/speakers/:id/start": {pathFor: entryPath("start"), who: moderators, ok: 200, setup: waitingAB,
		want: map[string]int{"admin": 409}},
	"POST /api/meetings/:slug/agenda/:item/speakers/:id/stop": {pathFor: entryPath("stop"), who: moderators, ok: 200, setup: speakingA,
		want: map[string]int{"admin": 409}},
	"POST /api/meetings/:slug/agenda/:item/speakers/:id/pause": {pathFor: entryPath("pause"), who: moderators, ok: 200, setup: speakingA,
		want: map[string]int{"admin": 409}},
	"POST /api/meetings/:slug/agenda/:item/speakers/:id/resume": {pathFor: entryPath("resume"), who: moderators, ok: 200, setup: pausedA,
		want: map[string]int{"admin": 409}},
	"POST /api/meetings/:slug/agenda/:item/speakers/:id/extend": {pathFor: entryPath("extend"), who: moderators, ok: 200, setup: speakingA,
		body: func(*matrixFixture, string) any { return map[string]any{"seconds": 30} }},
	"POST /api/meetings/:slug/agenda/:item/close": {path: "/api/meetings/m/agenda/{item}/close", who: moderators, ok: 200,
		want: map[string]int{"admin": 409}},
	"POST /api/meetings/:slug/agenda/:item/reopen": {path: "/api/meetings/m/agenda/{item}/reopen", who: moderators, ok: 200,
		setup: func(t *testing.T, f *matrixFixture) {
			f.actors["admin"].MustJSON("POST", fmt.Sprintf("/api/meetings/m/agenda/%d/close", f.item), nil, 200, nil)
		},
		want: map[string]int{"admin": 409}},
	"POST /api/meetings/:slug/current": {path: "/api/meetings/m/current", who: moderators, ok: 200,
		body: func(f *matrixFixture, _ string) any { return map[string]any{"item_id": f.item2} },
		want: map[string]int{"admin": 409}},
	"GET /api/floor": {path: "/api/floor", who: participant, ok: 200},
	// The websocket without an upgrade; the upgrade itself and every
	// command over it are in TestWebsocketAuthorizationMatrix.
	"GET /ws/meetings/:slug": {path: "/ws/meetings/m", who: public, ok: 426,
		want: map[string]int{"mission": 401}}, // a focal point's token is for its delegation's routes only

	// The Chair's summary: rapporteurs' notes, versions, documents and circulation.
	"GET /api/meetings/:slug/notes": {path: "/api/meetings/m/notes", who: notesStaff, ok: 200},
	"PUT /api/meetings/:slug/speakers/:id/note": {pathFor: func(f *matrixFixture, _ string) string {
		return fmt.Sprintf("/api/meetings/m/speakers/%d/note", f.entries["a"])
	}, who: notesStaff, ok: 200, setup: speakingA, // notes are on interventions that have begun
		body: func(*matrixFixture, string) any {
			return map[string]any{"text": "The participant stressed capacity-building.", "key_points": []string{"Capacity"}}
		}},
	"POST /api/meetings/:slug/summary":         {path: "/api/meetings/m/summary", who: adminOnly, ok: 201},
	"GET /api/meetings/:slug/summary":          {path: "/api/meetings/m/summary", who: anyStaff, ok: 200, setup: draftV1},
	"GET /api/meetings/:slug/summary/latest":   {path: "/api/meetings/m/summary/latest", who: public, ok: 200, setup: circulatedV1},
	"POST /api/meetings/:slug/summary/preview": {path: "/api/meetings/m/summary/preview", who: anyStaff, ok: 200, body: markdownBody},
	// An uncirculated version is the staff's; a participant's token is known but not enough.
	"GET /api/meetings/:slug/summary/:version.:format":   {path: "/api/meetings/m/summary/1.html", who: who{staff: true, tokenForbidden: true}, ok: 200, setup: draftV1},
	"GET /api/meetings/:slug/summary/:version":           {path: "/api/meetings/m/summary/1", who: anyStaff, ok: 200, setup: draftV1},
	"PUT /api/meetings/:slug/summary/:version":           {path: "/api/meetings/m/summary/1", who: adminOnly, ok: 200, setup: draftV1, body: markdownBody},
	"GET /api/meetings/:slug/summary/:version/revisions": {path: "/api/meetings/m/summary/1/revisions", who: anyStaff, ok: 200, setup: draftV1},
	"GET /api/meetings/:slug/summary/:version/diff":      {path: "/api/meetings/m/summary/1/diff?from=1&to=1", who: anyStaff, ok: 200, setup: draftV1},
	"POST /api/meetings/:slug/summary/:version/approve":  {path: "/api/meetings/m/summary/1/approve", who: adminOnly, ok: 200, setup: draftV1},
	"POST /api/meetings/:slug/summary/:version/circulate": {path: "/api/meetings/m/summary/1/circulate", who: adminOnly, ok: 202, setup: approvedV1,
		body: func(*matrixFixture, string) any { return map[string]any{"extra": []string{}} }},
	"GET /api/meetings/:slug/circulations/:id":         {path: "/api/meetings/m/circulations/1", who: anyStaff, ok: 200, setup: circulatedV1},
	"POST /api/meetings/:slug/circulations/:id/resend": {path: "/api/meetings/m/circulations/1/resend", who: adminOnly, ok: 200, setup: circulatedV1},
	"GET /m/:slug/summary/desk":                        {path: "/m/m/summary/desk", who: public, ok: 200},

	// The document library: published documents are anyone's; the chair's
	// letters and the distribution lists are the secretariat's.
	"POST /api/meetings/:slug/documents": {path: "/api/meetings/m/documents", who: adminOnly, ok: 201,
		contentType: "multipart/form-data; boundary=" + matrixBoundary, body: uploadBody},
	"GET /api/meetings/:slug/documents":              {path: "/api/meetings/m/documents", who: public, ok: 200, setup: publishedDoc},
	"POST /api/meetings/:slug/documents/:id/publish": {path: "/api/meetings/m/documents/1/publish", who: adminOnly, ok: 200, setup: uploadedDoc},
	"GET /api/meetings/:slug/documents/:id/file":     {path: "/api/meetings/m/documents/1/file", who: public, ok: 200, setup: publishedDoc},
	"POST /api/meetings/:slug/letters":               {path: "/api/meetings/m/letters", who: adminOnly, ok: 201, setup: publishedDoc, body: letterBody},
	"GET /api/meetings/:slug/letters":                {path: "/api/meetings/m/letters", who: anyStaff, ok: 200, setup: letter1},
	"GET /api/meetings/:slug/letters/:id.:format":    {path: "/api/meetings/m/letters/1.docx", who: anyStaff, ok: 200, setup: letter1},
	"POST /api/lists":                                {path: "/api/lists", who: adminOnly, ok: 201, body: listBody},
	"GET /api/lists":                                 {path: "/api/lists", who: adminOnly, ok: 200},
	"GET /api/lists/:id":                             {path: "/api/lists/1", who: adminOnly, ok: 200, setup: list1},
	"GET /m/:slug/documents":                         {path: "/m/m/documents", who: public, ok: 200},
	"POST /api/meetings/:slug/circulations": {path: "/api/meetings/m/circulations", who: adminOnly, ok: 202, setup: letter1,
		body: func(*matrixFixture, string) any {
			return map[string]any{"letter": 1, "documents": []int{1}, "to": map[string]any{"participants": true}}
		}},
	"GET /api/meetings/:slug/circulations": {path: "/api/meetings/m/circulations", who: anyStaff, ok: 200, setup: circulatedV1},
	// Cancelling answers 200 once; the admin's cell comes last.
	"DELETE /api/meetings/:slug/circulations/:id": {path: "/api/meetings/m/circulations/1", who: adminOnly, ok: 200, setup: scheduledLetter},

	// Pages are shells that hold no data; the API behind them decides.
	"GET /":                 {path: "/", who: public, ok: 200},
	"GET /favicon.ico":      {path: "/favicon.ico", who: public, ok: 200},
	"GET /admin":            {path: "/admin", who: public, ok: 200},
	"GET /m/:slug/register": {path: "/m/m/register", who: public, ok: 200},
	"POST /m/:slug/register": {path: "/m/m/register", who: public, ok: 201, form: true, body: func(f *matrixFixture, _ string) any {
		return fmt.Sprintf("org_name=Form+Org+%d&org_type=ngo&org_country=KE&org_ecosoc_status=none&name=F&email=form%d%%40example.org&consent=on", f.unique(), f.n)
	}},
	"GET /r/:token":                   {path: "/r/{token}", who: public, ok: 200},
	"GET /d/:token":                   {path: "/d/not-a-token", who: public, ok: 200}, // the page's script asks the API with the token
	"GET /d/:token/non-objection/:id": {path: "/d/not-a-token/non-objection/1", who: public, ok: 200},
	"GET /m/:slug/link":               {path: "/m/m/link", who: public, ok: 200},
	"GET /reset/:token":               {path: "/reset/no-such-link", who: public, ok: 200},
	"GET /m/:slug/console":            {path: "/m/m/console", who: public, ok: 200},
	"GET /m/:slug/screen":             {path: "/m/m/screen", who: public, ok: 200},
	"GET /m/:slug/notes":              {path: "/m/m/notes", who: public, ok: 200},
	"GET /m/:slug/summary":            {path: "/m/m/summary", who: public, ok: 200},
	"GET /m/:slug/programme":          {path: "/m/m/programme", who: public, ok: 200},
	"GET /m/:slug/organizations":      {path: "/m/m/organizations", who: public, ok: 200},
	"GET /m/:slug/calendar.ics":       {path: "/m/m/calendar.ics", who: public, ok: 200},
	"GET /p/:slug":                    {path: "/p/oewg", who: public, ok: 200},
	"GET /m/:slug/checkin":            {path: "/m/m/checkin", who: public, ok: 200},
	"GET /i18n/:lang.json":            {path: "/i18n/fr.json", who: public, ok: 200},
	"GET /i18n/staff/:lang.json":      {path: "/i18n/staff/es.json", who: public, ok: 200},
}

func (f *matrixFixture) fill(path string) string {
	return strings.NewReplacer("{token}", f.a.Token(), "{reg-c}", fmt.Sprint(f.c.ID), "{reg}", fmt.Sprint(f.a.ID),
		"{item}", fmt.Sprint(f.item), "{item2}", fmt.Sprint(f.item2), "{notice}", fmt.Sprint(f.notice)).Replace(path)
}

var matrixCells atomic.Int64

// TestAuthorizationMatrix calls every route the app serves as every actor
// and checks each answer against the intended one.
func TestAuthorizationMatrix(t *testing.T) {
	routes := map[string]bool{}
	for _, r := range testenv.New(t).App.Fiber.GetRoutes(true) {
		routes[r.Method+" "+r.Path] = true
	}
	var keys []string
	for k := range routes {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for k := range authorizationMatrix {
		if !routes[k] {
			t.Errorf("matrix row %q names no route of the app: remove or rename it", k)
		}
	}
	for _, key := range keys {
		method, path, _ := strings.Cut(key, " ")
		rowKey := key
		if method == "HEAD" {
			rowKey = "GET " + path
		}
		row, ok := authorizationMatrix[rowKey]
		if !ok {
			t.Errorf("route %s has no row in the authorization matrix: say who may use it", key)
			continue
		}
		t.Run(key, func(t *testing.T) {
			t.Parallel() // each route has a server of its own
			f := newMatrixFixture(t)
			if row.setup != nil {
				row.setup(t, f)
			}
			for _, actor := range matrixActors {
				want := row.expect(actor, method)
				var body any
				if row.body != nil {
					body = row.body(f, actor)
				}
				path := row.path
				if row.pathFor != nil {
					path = row.pathFor(f, actor)
				}
				var headers map[string]string
				if row.form {
					headers = map[string]string{"Content-Type": "application/x-www-form-urlencoded"}
				}
				if row.contentType != "" {
					headers = map[string]string{"Content-Type": row.contentType}
				}
				res := f.actors[actor].DoHeaders(method, f.fill(path), body, headers)
				matrixCells.Add(1)
				if res.Status != want {
					t.Errorf("%s as %s: %d, want %d: %.200s", key, actor, res.Status, want, res.Body)
				}
			}
		})
	}
	t.Cleanup(func() {
		t.Logf("FIGURE authorization-matrix routes=%d actors=%d cells=%d", len(keys), len(matrixActors), matrixCells.Load())
	})
}
