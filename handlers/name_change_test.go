package handlers_test

import (
	"fmt"
	"testing"

	"rostrum/internal/testenv"
)

type nameView struct {
	ID          uint   `json:"id"`
	Status      string `json:"status"`
	Name        string `json:"name"`
	PendingName string `json:"pending_name"`
	JobTitle    string `json:"job_title"`
}

// liveNames are the names the live list shows on item's list.
func liveNames(t *testing.T, e *testenv.Env, slug string, item uint) []string {
	t.Helper()
	var st struct {
		Items []struct {
			ID       uint `json:"id"`
			Speakers []struct {
				Name string `json:"name"`
			} `json:"speakers"`
		} `json:"items"`
	}
	e.Anon().MustJSON("GET", "/api/meetings/"+slug+"/live", nil, 200, &st)
	var out []string
	for _, it := range st.Items {
		if it.ID == item {
			for _, sp := range it.Speakers {
				out = append(out, sp.Name)
			}
		}
	}
	return out
}

// TestAnApprovedParticipantsNewNameWaitsForTheSecretariat: once approved,
// a participant's name is what the room sees; a change they make is held
// until the secretariat accepts it, and only then shown.
func TestAnApprovedParticipantsNewNameWaitsForTheSecretariat(t *testing.T) {
	e := testenv.New(t)
	registrationMeeting(t, e, "m", 0, 0)
	admin := e.Admin()
	var items [2]struct {
		ID uint `json:"id"`
	}
	for i, title := range []string{"Existing and potential threats", "International law"} {
		admin.MustJSON("POST", "/api/meetings/m/agenda", map[string]any{"title": title, "speaking_time_seconds": 120}, 201, &items[i])
	}
	r := mustRegister(t, e, "m", testenv.RegistrationBody("Access Now", "Ana Souza", "ana@example.org"))
	me := e.Participant(r.Token())

	// Before approval, corrections are free.
	var v nameView
	me.MustJSON("PUT", "/api/participant", map[string]string{"name": "Ana M. Souza", "job_title": "Analyst"}, 200, &v)
	if v.Name != "Ana M. Souza" || v.PendingName != "" {
		t.Fatalf("before approval: %+v", v)
	}
	decide(admin, r.ID, "approve", 200)

	// After approval the new name waits; the job title changes at once.
	const hostile = "Ana MEETING SUSPENDED, PLEASE LEAVE THE ROOM"
	me.MustJSON("PUT", "/api/participant", map[string]string{"name": hostile, "job_title": "Director"}, 200, &v)
	if v.Name != "Ana M. Souza" || v.PendingName != hostile || v.JobTitle != "Director" {
		t.Fatalf("after approval: %+v", v)
	}
	me.MustJSON("GET", "/api/participant", nil, 200, &v)
	if v.Name != "Ana M. Souza" || v.PendingName != hostile {
		t.Fatalf("stored as %+v", v)
	}
	// The room sees the approved name.
	me.MustJSON("POST", fmt.Sprintf("/api/meetings/m/agenda/%d/speakers", items[0].ID), map[string]any{"kind": "statement"}, 201, nil)
	if names := liveNames(t, e, "m", items[0].ID); len(names) != 1 || names[0] != "Ana M. Souza" {
		t.Fatalf("the live list shows %q", names)
	}
	// So does the console, beside the waiting change; it can list those.
	var list struct {
		Registrations []nameView `json:"registrations"`
		Total         int        `json:"total"`
	}
	admin.MustJSON("GET", "/api/meetings/m/registrations?name_change=pending", nil, 200, &list)
	if list.Total != 1 || list.Registrations[0].Name != "Ana M. Souza" || list.Registrations[0].PendingName != hostile {
		t.Fatalf("%+v", list)
	}

	// Only the secretariat decides, on the name it reviewed.
	path := fmt.Sprintf("/api/registrations/%d/name-change", r.ID)
	e.Staff("moderator").MustJSON("POST", path, map[string]any{"accept": true}, 403, nil)
	me.MustJSON("POST", path, map[string]any{"accept": true}, 401, nil)
	var eb errBody
	admin.MustJSON("POST", path, map[string]any{}, 422, &eb)
	if eb.Fields["accept"] == "" {
		t.Fatalf("%+v", eb)
	}
	admin.MustJSON("POST", path, map[string]any{"accept": true, "name": "Ana Souza-Lima"}, 409, &eb)
	if eb.Code != "name_change_changed" {
		t.Fatalf("%+v", eb)
	}

	// Refused: the request is dropped, the name stays.
	admin.MustJSON("POST", path, map[string]any{"accept": false, "name": hostile}, 200, &v)
	if v.Name != "Ana M. Souza" || v.PendingName != "" {
		t.Fatalf("refused: %+v", v)
	}
	admin.MustJSON("POST", path, map[string]any{"accept": true}, 409, &eb)
	if eb.Code != "no_name_change" {
		t.Fatalf("%+v", eb)
	}

	// Asking for the shown name again drops a request.
	me.MustJSON("PUT", "/api/participant", map[string]string{"name": "Ana Souza-Lima"}, 200, &v)
	me.MustJSON("PUT", "/api/participant", map[string]string{"name": "Ana M. Souza"}, 200, &v)
	if v.PendingName != "" {
		t.Fatalf("%+v", v)
	}

	// Accepted: the new name is the one shown from then on.
	me.MustJSON("PUT", "/api/participant", map[string]string{"name": "Ana Souza-Lima"}, 200, &v)
	admin.MustJSON("POST", path, map[string]any{"accept": true, "name": "Ana Souza-Lima"}, 200, &v)
	if v.Name != "Ana Souza-Lima" || v.PendingName != "" {
		t.Fatalf("accepted: %+v", v)
	}
	me.MustJSON("POST", fmt.Sprintf("/api/meetings/m/agenda/%d/speakers", items[1].ID), map[string]any{"kind": "statement"}, 201, nil)
	if names := liveNames(t, e, "m", items[1].ID); len(names) != 1 || names[0] != "Ana Souza-Lima" {
		t.Fatalf("the live list shows %q after the acceptance", names)
	}
}
