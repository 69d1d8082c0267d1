package handlers_test

import (
	"strings"
	"testing"

	"rostrum/internal/testenv"
)

func TestMalformedJSONIs400WithAClearMessage(t *testing.T) {
	e := testenv.New(t)
	admin := e.Admin()
	for _, body := range []string{`{"slug":`, `[1,2]`, `{"slug":"a","nope":1}`, `{"slug":"a"} {}`} {
		res := admin.Do("POST", "/api/meetings", body)
		if res.Status != 400 || !strings.Contains(string(res.Body), "malformed JSON") {
			t.Errorf("%s: %d %s", body, res.Status, res.Body)
		}
	}
	res := admin.DoHeaders("POST", "/api/meetings", `{}`, map[string]string{"Content-Type": "text/plain"})
	if res.Status != 400 {
		t.Errorf("wrong content type: %d", res.Status)
	}
}

func TestSecurityHeadersOnEveryAnswer(t *testing.T) {
	e := testenv.New(t)
	res := e.Anon().Do("GET", "/", nil)
	for _, h := range []string{"Content-Security-Policy", "X-Content-Type-Options", "X-Frame-Options", "Referrer-Policy"} {
		if res.Header.Get(h) == "" {
			t.Errorf("missing %s", h)
		}
	}
}

func TestLogoutEndsTheSession(t *testing.T) {
	e := testenv.New(t)
	admin := e.Admin()
	admin.MustJSON("GET", "/api/me", nil, 200, nil)
	admin.MustJSON("POST", "/api/logout", nil, 204, nil)
	admin.MustJSON("GET", "/api/me", nil, 401, nil)
}

func TestUsersAreCreatedByAdminsOnly(t *testing.T) {
	e := testenv.New(t)
	in := map[string]string{"email": "mod@example.org", "role": "moderator", "password": "long enough indeed", "name": "Mod"}
	e.Anon().MustJSON("POST", "/api/users", in, 401, nil)
	e.Staff("moderator").MustJSON("POST", "/api/users", in, 403, nil)
	admin := e.Admin()
	admin.MustJSON("POST", "/api/users", in, 201, nil)
	admin.MustJSON("POST", "/api/users", in, 409, nil)
	admin.MustJSON("POST", "/api/users", map[string]string{"email": "x", "role": "king", "password": "s"}, 422, nil)
	e.Login("mod@example.org", "long enough indeed").MustJSON("GET", "/api/me", nil, 200, nil)
}

func TestParticipantTokenWinsOverAStaffCookie(t *testing.T) {
	e := testenv.New(t)
	admin := e.Admin()
	admin.MustJSON("POST", "/api/meetings", meetingInput("m"), 201, nil)
	var reg struct {
		ManageURL string `json:"manage_url"`
	}
	e.Anon().MustJSON("POST", "/api/meetings/m/registrations", map[string]any{
		"organization": map[string]any{"name": "Access Now", "type": "ngo", "country": "US", "ecosoc_status": "none"},
		"name":         "Ada", "email": "ada@example.org", "consent": true,
	}, 201, &reg)
	token := reg.ManageURL[strings.LastIndex(reg.ManageURL, "/")+1:]
	both := *admin // the staff session cookie and CSRF header stay
	both.Bearer = token
	var me struct {
		Email string `json:"email"`
	}
	both.MustJSON("GET", "/api/participant", nil, 200, &me)
	if me.Email != "ada@example.org" {
		t.Fatalf("acted as %q", me.Email)
	}
	// And the token does not carry staff rights.
	both.MustJSON("POST", "/api/meetings", meetingInput("other"), 401, nil)
}
