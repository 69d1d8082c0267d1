package handlers_test

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"rostrum/internal/mailtest"
	"rostrum/internal/testenv"
	"rostrum/models"
)

const newPassword = "a quite different passphrase"

var resetLink = regexp.MustCompile(`https?://\S+/reset/([A-Za-z0-9_-]+)`)

// mailedReset has the admin send account email a reset link and returns
// its token, read from the delivered mail.
func mailedReset(t *testing.T, e *testenv.Env, srv *mailtest.Server, admin *testenv.Client, email string, n int) string {
	t.Helper()
	id := usersByEmail(t, admin)[email].ID
	admin.MustJSON("POST", "/api/users/"+itoa(id)+"/reset", nil, 202, nil)
	m := srv.WaitTo(email, n, 10*time.Second)[n-1]
	got := resetLink.FindStringSubmatch(m.Text)
	if got == nil || !strings.HasPrefix(got[0], e.Config.PublicURL()+"/reset/") || !strings.Contains(m.Text, "UTC") {
		t.Fatalf("reset mail: %q\n%s", m.Subject, m.Text)
	}
	return got[1]
}

func TestAResetLinkSetsThePasswordOnceAndEndsEverySessionAndSocket(t *testing.T) {
	srv := mailtest.Start(t)
	e := testenv.New(t, testenv.WithSMTP(srv.Host(), srv.Port()))
	lm := newLiveMeeting(t, e, "m")
	var me struct {
		User staffUser `json:"user"`
	}
	lm.mod.MustJSON("GET", "/api/me", nil, 200, &me)
	email := me.User.Email
	// Only an admin sends links.
	lm.mod.MustJSON("POST", "/api/users/"+itoa(me.User.ID)+"/reset", nil, 403, nil)
	lm.admin.MustJSON("POST", "/api/users/999/reset", nil, 404, nil)
	token := mailedReset(t, e, srv, lm.admin, email, 1)
	v := liveConnect(t, e, lm.slug, liveWithClient(lm.mod))

	// The page is served, never stored.
	page := e.Anon().Do("GET", "/reset/"+token, nil)
	if page.Status != 200 || page.Header.Get("Cache-Control") != "no-store" {
		t.Fatalf("page: %d %q", page.Status, page.Header.Get("Cache-Control"))
	}
	anon := e.Anon()
	var link struct{ Email string }
	anon.MustJSON("POST", "/api/password-reset/check", map[string]string{"token": token}, 200, &link)
	if link.Email != email {
		t.Fatalf("the link is for %q", link.Email)
	}
	// The password rules hold, and a refused password leaves the link usable.
	var eb errorBody
	anon.MustJSON("POST", "/api/password-reset", map[string]string{"token": token, "password": "too short"}, 422, &eb)
	if eb.Fields["password"] == "" {
		t.Fatalf("weak password: %+v", eb)
	}
	anon.MustJSON("POST", "/api/password-reset", map[string]string{"token": token, "password": newPassword}, 200, nil)

	// Every session of the account ends, and its socket closes at once.
	lm.mod.MustJSON("GET", "/api/me", nil, 401, nil)
	_ = v.conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	for {
		if _, _, err := v.conn.ReadMessage(); err != nil {
			if isTimeout(err) {
				t.Fatal("the reset account's socket stayed open")
			}
			break
		}
	}
	e.Anon().MustJSON("POST", "/api/login", map[string]string{"email": email, "password": testenv.Password}, 401, nil)
	e.Login(email, newPassword)

	// The link works once.
	anon.MustJSON("POST", "/api/password-reset", map[string]string{"token": token, "password": "yet another passphrase"}, 409, &eb)
	if eb.Code != "link_used" {
		t.Fatalf("used link: %+v", eb)
	}
	anon.MustJSON("POST", "/api/password-reset/check", map[string]string{"token": token}, 409, nil)
	anon.MustJSON("POST", "/api/password-reset", map[string]string{"token": "not-a-link", "password": newPassword}, 404, nil)
}

func TestAResetLinkExpiresAfterADayAndOnlyItsHashIsStored(t *testing.T) {
	srv := mailtest.Start(t)
	e := testenv.New(t, testenv.WithSMTP(srv.Host(), srv.Port()))
	admin := e.Admin()
	token := mailedReset(t, e, srv, admin, testenv.AdminEmail, 1)
	var pr models.PasswordReset
	if err := e.App.DB.First(&pr).Error; err != nil {
		t.Fatal(err)
	}
	if pr.TokenHash == token || strings.Contains(pr.TokenHash, token) {
		t.Fatal("the token is stored as it is")
	}
	if d := time.Until(pr.ExpiresAt); d < 23*time.Hour || d > 25*time.Hour {
		t.Fatalf("valid for %s", d)
	}
	// A day later (moved back rather than waited for):
	if err := e.App.DB.Model(&pr).Update("expires_at", time.Now().Add(-time.Minute)).Error; err != nil {
		t.Fatal(err)
	}
	var eb errorBody
	e.Anon().MustJSON("POST", "/api/password-reset", map[string]string{"token": token, "password": newPassword}, 410, &eb)
	if eb.Code != "link_expired" {
		t.Fatalf("expired link: %+v", eb)
	}
	e.Login(testenv.AdminEmail, testenv.Password) // unchanged
}

func TestTheResetPageThrottlesFailuresPerAddress(t *testing.T) {
	e := testenv.New(t)
	anon := e.Anon()
	for i := 0; i < 10; i++ {
		anon.MustJSON("POST", "/api/password-reset", map[string]string{"token": "guess", "password": newPassword}, 404, nil)
	}
	res := anon.Do("POST", "/api/password-reset", map[string]string{"token": "guess", "password": newPassword})
	if res.Status != 429 || res.Header.Get("Retry-After") == "" {
		t.Fatalf("11th failure: %d", res.Status)
	}
	e.Anon().MustJSON("POST", "/api/password-reset", map[string]string{"token": "guess", "password": newPassword}, 404, nil)
}

func TestChangingMyPasswordNeedsTheCurrentOneAndEndsMyOtherSessions(t *testing.T) {
	e := testenv.New(t)
	mod := e.Staff(models.RoleModerator)
	var me struct {
		User staffUser `json:"user"`
	}
	mod.MustJSON("GET", "/api/me", nil, 200, &me)
	other := e.Login(me.User.Email, testenv.Password)
	var eb errorBody
	mod.MustJSON("POST", "/api/me/password", map[string]string{"current": "wrong password here", "new": newPassword}, 403, &eb)
	mod.MustJSON("POST", "/api/me/password", map[string]string{"current": testenv.Password, "new": "short"}, 422, &eb)
	if eb.Fields["new"] == "" {
		t.Fatalf("short password: %+v", eb)
	}
	mod.MustJSON("POST", "/api/me/password", map[string]string{"current": testenv.Password, "new": me.User.Email + "x1"}, 422, nil)
	e.Anon().MustJSON("POST", "/api/me/password", map[string]string{"current": testenv.Password, "new": newPassword}, 401, nil)
	mod.MustJSON("POST", "/api/me/password", map[string]string{"current": testenv.Password, "new": newPassword}, 204, nil)
	mod.MustJSON("GET", "/api/me", nil, 200, nil)
	other.MustJSON("GET", "/api/me", nil, 401, nil)
	e.Anon().MustJSON("POST", "/api/login", map[string]string{"email": me.User.Email, "password": testenv.Password}, 401, nil)
	e.Login(me.User.Email, newPassword)
}

func TestWrongCurrentPasswordsAreThrottledPerAddress(t *testing.T) {
	e := testenv.New(t)
	mod := e.Staff(models.RoleModerator)
	for i := 0; i < 10; i++ {
		mod.MustJSON("POST", "/api/me/password", map[string]string{"current": "wrong password here", "new": newPassword}, 403, nil)
	}
	res := mod.Do("POST", "/api/me/password", map[string]string{"current": testenv.Password, "new": newPassword})
	if res.Status != 429 || res.Header.Get("Retry-After") == "" {
		t.Fatalf("11th attempt: %d %s", res.Status, res.Body)
	}
}
