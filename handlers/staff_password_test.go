package handlers_test

import (
	"strings"
	"testing"

	"rostrum/internal/testenv"
)

// TestStaffPasswordsMustBeLongUncommonAndNotTheAddress creates staff
// accounts with passwords an attacker tries first: each is refused with
// 422 and a field error saying why, and no account is created.
func TestStaffPasswordsMustBeLongUncommonAndNotTheAddress(t *testing.T) {
	e := testenv.New(t)
	admin := e.Admin()
	for _, c := range []struct{ password, why string }{
		{"        ", "at least 12 characters"},
		{"short pass", "at least 12 characters"},
		{strings.Repeat(" ", 16), "one character repeated"},
		{"qwerty123456", "most common passwords"},
		{"Mod.Person@Example.org", "email address"},
		{"mod.person-2026", "email name"},
	} {
		var body struct {
			Fields map[string]string `json:"fields"`
		}
		admin.MustJSON("POST", "/api/users", map[string]string{
			"email": "mod.person@example.org", "role": "moderator", "password": c.password, "name": "Mod",
		}, 422, &body)
		if !strings.Contains(body.Fields["password"], c.why) {
			t.Errorf("password %q: field error %q, want it to say %q", c.password, body.Fields["password"], c.why)
		}
		e.Anon().MustJSON("POST", "/api/login", map[string]string{"email": "mod.person@example.org", "password": c.password}, 401, nil)
	}
	admin.MustJSON("POST", "/api/users", map[string]string{
		"email": "mod.person@example.org", "role": "moderator", "password": "a long walk by the river", "name": "Mod",
	}, 201, nil)
}
