package faults_test

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync/atomic"
	"testing"

	"rostrum/internal/testenv"
	"rostrum/models"
)

// The actors of the authorization matrix, in the order their cells run:
// those that should be refused come before those that may change state.
var matrixActors = []string{
	"anonymous", "other-meeting-token", "other-participant", "participant",
	"rapporteur", "moderator", "admin-no-csrf", "admin",
}

// matrixFixture is a fresh server with a meeting "m" (and another, "n"),
// three registrations in m (A and B approved, C pending), one in n, an
// agenda item, and a client for every actor.
type matrixFixture struct {
	e             *testenv.Env
	actors        map[string]*testenv.Client
	a, b, c, othr registered
	item          uint
	n             int
}

func newMatrixFixture(t *testing.T) *matrixFixture {
	t.Helper()
	e := testenv.New(t)
	admin := e.Admin()
	createMeeting(t, admin, "m", 0, 0)
	createMeeting(t, admin, "n", 0, 0)
	f := &matrixFixture{e: e}
	f.a, f.b, f.c, f.othr = register(t, e, "m"), register(t, e, "m"), register(t, e, "m"), register(t, e, "n")
	for _, r := range []registered{f.a, f.b, f.othr} {
		admin.MustJSON("POST", fmt.Sprintf("/api/registrations/%d/decision", r.ID), map[string]string{"decision": "approve", "reason": "ok"}, 200, nil)
	}
	var it struct{ ID uint }
	admin.MustJSON("POST", "/api/meetings/m/agenda", map[string]any{"title": "Existing and potential threats", "speaking_time_seconds": 180}, 201, &it)
	f.item = it.ID
	noCSRF := *e.Admin()
	noCSRF.CSRF = ""
	f.actors = map[string]*testenv.Client{
		"anonymous":           e.Anon(),
		"participant":         e.Participant(f.a.token()),
		"other-participant":   e.Participant(f.b.token()),
		"other-meeting-token": e.Participant(f.othr.token()),
		"rapporteur":          e.Staff(models.RoleRapporteur),
		"moderator":           e.Staff(models.RoleModerator),
		"admin":               admin,
		"admin-no-csrf":       &noCSRF,
	}
	return f
}

// unique returns a number never returned before in this fixture, for
// bodies that create things.
func (f *matrixFixture) unique() int { f.n++; return f.n }

// who is the kind of access a route grants.
type who struct {
	public      bool
	participant bool     // a participant's token (any meeting: the route acts on the token's own registration)
	staff       bool     // staff with one of roles (any staff when roles is empty)
	roles       []string // staff roles allowed
}

var (
	public      = who{public: true}
	participant = who{participant: true}
	anyStaff    = who{staff: true}
	adminOnly   = who{staff: true, roles: []string{models.RoleAdmin}}
)

// matrixRow is one route: how to call it, who may, and what they get.
type matrixRow struct {
	path string // with {slug}, {token}, {reg}, {item} filled from the fixture
	who  who
	ok   int // the answer to an actor who may
	body func(f *matrixFixture) any
	// form sends the body (a string) as an HTML form instead of JSON.
	form bool
	// want overrides the answer for some actors (say, a participant acting
	// on someone else's entry is 403 although participants may use the route).
	want map[string]int
}

var staffRole = map[string]string{"rapporteur": models.RoleRapporteur, "moderator": models.RoleModerator, "admin": models.RoleAdmin, "admin-no-csrf": models.RoleAdmin}

// expect is the intended answer of route r to actor for method.
func (r matrixRow) expect(actor, method string) int {
	if st, ok := r.want[actor]; ok {
		return st
	}
	role, isStaff := staffRole[actor]
	isParticipant := strings.Contains(actor, "participant") || actor == "other-meeting-token"
	switch {
	case r.who.public:
		return r.ok
	case r.who.participant:
		if isParticipant {
			return r.ok
		}
		return 401
	case r.who.staff:
		if !isStaff {
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
	panic("row grants no access")
}

// authorizationMatrix is every route of the app. A route the app serves
// without a row here fails TestAuthorizationMatrix: a new route must say
// who may use it.
var authorizationMatrix = map[string]matrixRow{
	"GET /healthz": {path: "/healthz", who: public, ok: 200},

	// Staff accounts.
	"POST /api/login": {path: "/api/login", who: public, ok: 200, body: func(*matrixFixture) any {
		return map[string]string{"email": testenv.AdminEmail, "password": testenv.Password}
	}},
	"POST /api/logout": {path: "/api/logout", who: public, ok: 204},
	"GET /api/me":      {path: "/api/me", who: anyStaff, ok: 200},
	"POST /api/users": {path: "/api/users", who: adminOnly, ok: 201, body: func(f *matrixFixture) any {
		return map[string]string{"email": fmt.Sprintf("staff%d@example.org", f.unique()), "role": "moderator", "password": "long enough", "name": "M"}
	}},

	// Meetings and agenda.
	"GET /api/meetings":       {path: "/api/meetings", who: public, ok: 200},
	"GET /api/meetings/:slug": {path: "/api/meetings/m", who: public, ok: 200},
	"POST /api/meetings": {path: "/api/meetings", who: adminOnly, ok: 201, body: func(f *matrixFixture) any {
		return meetingInput(fmt.Sprintf("new-%d", f.unique()), 0, 0)
	}},
	"GET /api/meetings/:slug/agenda": {path: "/api/meetings/m/agenda", who: public, ok: 200},
	"POST /api/meetings/:slug/agenda": {path: "/api/meetings/m/agenda", who: adminOnly, ok: 201, body: func(*matrixFixture) any {
		return map[string]any{"title": "Capacity-building", "speaking_time_seconds": 120}
	}},

	// Registration and accreditation.
	"POST /api/meetings/:slug/registrations": {path: "/api/meetings/m/registrations", who: public, ok: 201, body: func(f *matrixFixture) any {
		n := f.unique()
		return regBody(fmt.Sprintf("Matrix Org %d", n), "Newcomer", fmt.Sprintf("new%d@example.org", n))
	}},
	"GET /api/meetings/:slug/organizations":     {path: "/api/meetings/m/organizations", who: public, ok: 200},
	"GET /api/meetings/:slug/registrations":     {path: "/api/meetings/m/registrations", who: anyStaff, ok: 200},
	"GET /api/meetings/:slug/registrations.csv": {path: "/api/meetings/m/registrations.csv", who: anyStaff, ok: 200},
	"POST /api/meetings/:slug/registrations/decisions": {path: "/api/meetings/m/registrations/decisions", who: adminOnly, ok: 200, body: func(f *matrixFixture) any {
		return map[string]any{"ids": []uint{f.c.ID}, "decision": "waitlist", "reason": "r"}
	}},
	"POST /api/registrations/:id/decision": {path: "/api/registrations/{reg-c}/decision", who: adminOnly, ok: 200, body: func(*matrixFixture) any {
		return map[string]string{"decision": "approve", "reason": "r"}
	}},

	// The participant, by their own token: every token acts on its own registration only.
	"GET /api/participant": {path: "/api/participant", who: participant, ok: 200},
	"PUT /api/participant": {path: "/api/participant", who: participant, ok: 200, body: func(*matrixFixture) any {
		return map[string]string{"name": "Renamed", "job_title": "Advisor"}
	}},
	"POST /api/participant/withdraw": {path: "/api/participant/withdraw", who: participant, ok: 200},

	// Pages are shells that hold no data; the API behind them decides.
	"GET /":                 {path: "/", who: public, ok: 200},
	"GET /admin":            {path: "/admin", who: public, ok: 200},
	"GET /m/:slug/register": {path: "/m/m/register", who: public, ok: 200},
	"POST /m/:slug/register": {path: "/m/m/register", who: public, ok: 201, form: true, body: func(f *matrixFixture) any {
		return fmt.Sprintf("org_name=Form+Org+%d&org_type=ngo&org_country=KE&org_ecosoc_status=none&name=F&email=form%d%%40example.org&consent=on", f.unique(), f.n)
	}},
	"GET /r/:token":        {path: "/r/{token}", who: public, ok: 200},
	"GET /m/:slug/console": {path: "/m/m/console", who: public, ok: 200},
	"GET /m/:slug/screen":  {path: "/m/m/screen", who: public, ok: 200},
	"GET /m/:slug/notes":   {path: "/m/m/notes", who: public, ok: 200},
	"GET /m/:slug/summary": {path: "/m/m/summary", who: public, ok: 200},
}

func (f *matrixFixture) fill(path string) string {
	return strings.NewReplacer("{token}", f.a.token(), "{reg-c}", fmt.Sprint(f.c.ID), "{reg}", fmt.Sprint(f.a.ID),
		"{item}", fmt.Sprint(f.item)).Replace(path)
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
			f := newMatrixFixture(t)
			for _, actor := range matrixActors {
				want := row.expect(actor, method)
				var body any
				if row.body != nil {
					body = row.body(f)
				}
				var headers map[string]string
				if row.form {
					headers = map[string]string{"Content-Type": "application/x-www-form-urlencoded"}
				}
				res := f.actors[actor].DoHeaders(method, f.fill(row.path), body, headers)
				matrixCells.Add(1)
				if res.Status != want {
					t.Errorf("%s as %s: %d, want %d: %.200s", key, actor, res.Status, want, res.Body)
				}
			}
		})
	}
	t.Logf("FIGURE authorization-matrix routes=%d actors=%d cells=%d", len(keys), len(matrixActors), matrixCells.Load())
}
