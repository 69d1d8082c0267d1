package handlers_test

import (
	"errors"
	"fmt"
	"net"
	"testing"
	"time"

	"rostrum/internal/testenv"
	"rostrum/models"
)

type staffUser struct {
	ID       uint   `json:"id"`
	Email    string `json:"email"`
	Role     string `json:"role"`
	Disabled bool   `json:"disabled"`
}

func usersByEmail(t *testing.T, c *testenv.Client) map[string]staffUser {
	t.Helper()
	var out struct {
		Users []staffUser `json:"users"`
	}
	c.MustJSON("GET", "/api/users", nil, 200, &out)
	m := map[string]staffUser{}
	for _, u := range out.Users {
		m[u.Email] = u
	}
	return m
}

func TestADisabledAccountLosesItsSessionsSocketsAndLogin(t *testing.T) {
	e := testenv.New(t)
	lm := newLiveMeeting(t, e, "m")
	admin := lm.admin
	e.Staff(models.RoleModerator).MustJSON("GET", "/api/users", nil, 403, nil)
	var me struct {
		User staffUser `json:"user"`
	}
	lm.mod.MustJSON("GET", "/api/me", nil, 200, &me)
	mod := usersByEmail(t, admin)[me.User.Email]
	if mod.ID == 0 || mod.Role != models.RoleModerator {
		t.Fatalf("the moderator is not listed: %+v", me)
	}
	v := liveConnect(t, e, lm.slug, liveWithClient(lm.mod))
	admin.MustJSON("PATCH", "/api/users/"+itoa(mod.ID), map[string]any{"disabled": true}, 200, nil)
	// The session ends at once: the next request is anonymous.
	lm.mod.MustJSON("POST", lm.path("/agenda/%d/close", lm.items[0]), nil, 401, nil)
	// The socket closes at once, without waiting for a ping.
	_ = v.conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	for {
		if _, _, err := v.conn.ReadMessage(); err != nil {
			if isTimeout(err) {
				t.Fatalf("the disabled account's socket stayed open")
			}
			break
		}
	}
	// It cannot log in again.
	e.Anon().MustJSON("POST", "/api/login", map[string]string{"email": mod.Email, "password": testenv.Password}, 401, nil)
	if !usersByEmail(t, admin)[mod.Email].Disabled {
		t.Fatal("the list does not show the account disabled")
	}
	admin.MustJSON("PATCH", "/api/users/"+itoa(mod.ID), map[string]any{"disabled": false, "role": "rapporteur"}, 200, nil)
	e.Anon().MustJSON("POST", "/api/login", map[string]string{"email": mod.Email, "password": testenv.Password}, 200, nil)
	admin.MustJSON("PATCH", "/api/users/"+itoa(mod.ID), map[string]any{"role": "chair"}, 422, nil)
}

func TestTheLastActiveAdminCannotBeDisabledOrDemoted(t *testing.T) {
	e := testenv.New(t)
	admin := e.Admin()
	me := usersByEmail(t, admin)[testenv.AdminEmail]
	var eb errorBody
	admin.MustJSON("PATCH", "/api/users/"+itoa(me.ID), map[string]any{"disabled": true}, 409, &eb)
	if eb.Code != "last_admin" {
		t.Fatalf("disable: %+v", eb)
	}
	admin.MustJSON("PATCH", "/api/users/"+itoa(me.ID), map[string]any{"role": "moderator"}, 409, &eb)
	if eb.Code != "last_admin" {
		t.Fatalf("demote: %+v", eb)
	}
	// With a second admin, the first may step down.
	admin.MustJSON("POST", "/api/users", map[string]string{"email": "second@example.org", "role": "admin", "password": "long enough indeed", "name": "S"}, 201, nil)
	admin.MustJSON("PATCH", "/api/users/"+itoa(me.ID), map[string]any{"role": "moderator"}, 200, nil)
}

func itoa(n uint) string { return fmt.Sprint(n) }

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}
