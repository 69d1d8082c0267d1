package handlers_test

import (
	"testing"

	"rostrum/internal/testenv"
)

// TestBidiControlsInShownTextAre422: a name, an organization, a job title
// or an agenda title that carries a bidirectional control would be shown
// reordered on the room's screen; each is refused like a control
// character, and nothing is stored.
func TestBidiControlsInShownTextAre422(t *testing.T) {
	e := testenv.New(t)
	registrationMeeting(t, e, "m", 0, 0)
	admin := e.Admin()

	body := func(change func(b map[string]any)) map[string]any {
		b := testenv.RegistrationBody("Access Now", "Ana Souza", "ana@example.org")
		change(b)
		return b
	}
	org := func(b map[string]any) map[string]any { return b["organization"].(map[string]any) }
	cases := []struct {
		name, field string
		body        map[string]any
	}{
		{"override in the name", "name", body(func(b map[string]any) { b["name"] = "Ana \u202EDESNEPSUS GNITEEM" })},
		{"isolate in the organization", "organization.name", body(func(b map[string]any) { org(b)["name"] = "\u2067Access Now" })},
		{"mark in the acronym", "organization.acronym", body(func(b map[string]any) { org(b)["acronym"] = "AN\u200F" })},
		{"embedding in the job title", "job_title", body(func(b map[string]any) { b["job_title"] = "\u202BChair" })},
	}
	for _, c := range cases {
		var eb errBody
		e.Anon().MustJSON("POST", "/api/meetings/m/registrations", c.body, 422, &eb)
		if eb.Fields[c.field] == "" {
			t.Errorf("%s: fields %v, want %q", c.name, eb.Fields, c.field)
		}
	}
	var list struct {
		Total int `json:"total"`
	}
	admin.MustJSON("GET", "/api/meetings/m/registrations", nil, 200, &list)
	if list.Total != 0 {
		t.Fatalf("%d registrations stored from refused bodies", list.Total)
	}

	// A participant renaming themselves is held to the same rule.
	r := mustRegister(t, e, "m", testenv.RegistrationBody("Access Now", "Ana Souza", "ana@example.org"))
	var eb errBody
	e.Participant(r.Token()).MustJSON("PUT", "/api/participant", map[string]string{"name": "Ana \u2066MEETING SUSPENDED\u2069"}, 422, &eb)
	if eb.Fields["name"] == "" {
		t.Fatalf("rename: %+v", eb)
	}

	// Agenda titles too.
	admin.MustJSON("POST", "/api/meetings/m/agenda", map[string]any{"title": "International law\u202E", "speaking_time_seconds": 120}, 422, &eb)
	if eb.Fields["title"] == "" {
		t.Fatalf("agenda title: %+v", eb)
	}
	var agenda struct {
		Items []any `json:"items"`
	}
	e.Anon().MustJSON("GET", "/api/meetings/m/agenda", nil, 200, &agenda)
	if len(agenda.Items) != 0 {
		t.Fatalf("refused agenda item stored: %v", agenda.Items)
	}
}
