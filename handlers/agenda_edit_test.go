package handlers_test

import (
	"strings"
	"testing"

	"rostrum/internal/testenv"
	"rostrum/models"
)

// converged fails unless every viewer's copy equals the server's state.
func converged(t *testing.T, lm *liveMeeting, seq int64, viewers ...*liveViewer) {
	t.Helper()
	want := lm.state(t)
	if want.Seq != seq {
		t.Fatalf("server at seq %d, want %d", want.Seq, seq)
	}
	for i, v := range viewers {
		v.untilSeq(seq)
		if got := v.state.Canonical(); got != want.Canonical() {
			t.Fatalf("viewer %d differs from the server at seq %d:\n%s\n%s", i, seq, got, want.Canonical())
		}
	}
}

func TestAgendaEditsReachEveryViewer(t *testing.T) {
	e := testenv.New(t)
	lm := newLiveMeeting(t, e, "m")
	first, second := lm.items[0], lm.items[1]
	_, anaTok := lm.participant(t, "Ana", "ngo", models.StatusApproved)
	pub := liveConnect(t, e, lm.slug)
	staff := liveConnect(t, e, lm.slug, liveWithClient(lm.mod))
	var third models.AgendaItem
	lm.admin.MustJSON("POST", lm.path("/agenda"), map[string]any{"title": "Capacity-building"}, 201, &third)
	converged(t, lm, 1, pub, staff)

	// An edit: title, speaking time and a slot.
	edit := map[string]any{"title": "International law and norms", "speaking_time_seconds": 240,
		"starts_at": "2030-12-02T10:00:00-05:00", "ends_at": "2030-12-02T13:00:00-05:00"}
	lm.mod.MustJSON("PATCH", lm.path("/agenda/%d", second), edit, 403, nil)
	var got models.AgendaItem
	lm.admin.MustJSON("PATCH", lm.path("/agenda/%d", second), edit, 200, &got)
	if got.Title != "International law and norms" || got.SpeakingTimeSeconds != 240 || got.StartsAt == nil ||
		got.StartsAt.UTC().Hour() != 15 || got.EndsAt.UTC().Hour() != 18 {
		t.Fatalf("edited item %+v", got)
	}
	converged(t, lm, 2, pub, staff)
	if it := pub.state.Item(second); it.Title != "International law and norms" || it.SpeakingTimeSeconds != 240 {
		t.Fatalf("viewer's item %+v", it)
	}
	for name, bad := range map[string]map[string]any{
		"empty title":         {"title": ""},
		"speaking time 5 s":   {"speaking_time_seconds": 5},
		"slot ends first":     {"starts_at": "2030-12-02T13:00:00-05:00", "ends_at": "2030-12-02T10:00:00-05:00"},
		"half a slot":         {"starts_at": nil},
		"not a time":          {"starts_at": "tomorrow", "ends_at": "2030-12-02T13:00:00-05:00"},
		"bidi in the title":   {"title": "Law\u202e"},
		"speaking time unset": {"speaking_time_seconds": 0},
	} {
		if res := lm.admin.Do("PATCH", lm.path("/agenda/%d", second), bad); res.Status != 422 {
			t.Errorf("%s: status %d, want 422", name, res.Status)
		}
	}
	lm.admin.MustJSON("PATCH", lm.path("/agenda/%d", 99999), edit, 404, nil)

	// A new order names every item once.
	for name, ids := range map[string][]uint{
		"missing one": {third.ID, first},
		"twice":       {third.ID, first, first},
		"foreign":     {third.ID, first, second, 99999},
	} {
		if res := lm.admin.Do("POST", lm.path("/agenda/order"), map[string]any{"ids": ids}); res.Status != 422 {
			t.Errorf("order %s: status %d, want 422", name, res.Status)
		}
	}
	lm.admin.MustJSON("POST", lm.path("/agenda/order"), map[string]any{"ids": []uint{third.ID, first, second}}, 200, nil)
	converged(t, lm, 3, pub, staff)
	var agenda struct {
		Items []models.AgendaItem `json:"items"`
	}
	e.Anon().MustJSON("GET", lm.path("/agenda"), nil, 200, &agenda)
	if len(agenda.Items) != 3 || agenda.Items[0].ID != third.ID || agenda.Items[2].ID != second {
		t.Fatalf("agenda after reorder %+v", agenda.Items)
	}

	// An item someone has spoken on stays; one with only waiting requests
	// goes, and its requests with it.
	_, benTok := lm.participant(t, "Ben", "academia", models.StatusApproved)
	var ben liveResult
	e.Participant(benTok).MustJSON("POST", lm.path("/agenda/%d/speakers", first), nil, 201, &ben)
	lm.mod.MustJSON("POST", lm.path("/agenda/%d/speakers/%d/start", first, ben.Speaker.ID), nil, 200, nil)
	lm.mod.MustJSON("POST", lm.path("/agenda/%d/speakers/%d/stop", first, ben.Speaker.ID), nil, 200, nil)
	var eb errorBody
	lm.admin.MustJSON("DELETE", lm.path("/agenda/%d", first), nil, 409, &eb)
	if eb.Code != "item_spoken" {
		t.Fatalf("delete of a spoken item: %+v", eb)
	}
	var ana liveResult
	e.Participant(anaTok).MustJSON("POST", lm.path("/agenda/%d/speakers", third.ID), nil, 201, &ana)
	lm.mod.MustJSON("POST", lm.path("/current"), map[string]any{"item_id": third.ID}, 200, nil)
	converged(t, lm, 8, pub, staff)
	lm.mod.MustJSON("DELETE", lm.path("/agenda/%d", third.ID), nil, 403, nil)
	lm.admin.MustJSON("DELETE", lm.path("/agenda/%d", third.ID), nil, 204, nil)
	converged(t, lm, 9, pub, staff)
	st := lm.state(t)
	if st.Item(third.ID) != nil || st.Entry(ana.Speaker.ID) != nil || st.CurrentItemID != nil || len(st.Items) != 2 {
		t.Fatalf("state after delete: %s", st.Canonical())
	}
	lm.admin.MustJSON("DELETE", lm.path("/agenda/%d", third.ID), nil, 404, nil)

	// Each edit is in the audit log, with who.
	var audit struct {
		Events []struct {
			Actor  string `json:"actor"`
			Action string `json:"action"`
		} `json:"events"`
	}
	lm.admin.MustJSON("GET", lm.path("/audit"), nil, 200, &audit)
	var actions []string
	for _, ev := range audit.Events {
		if strings.HasSuffix(ev.Action, "_item") || ev.Action == "reorder_items" {
			actions = append(actions, ev.Action+" by "+ev.Actor)
		}
	}
	want := "remove_item by staff:" + testenv.AdminEmail
	if len(actions) < 4 || actions[0] != want || !strings.Contains(strings.Join(actions, ","), "edit_item") ||
		!strings.Contains(strings.Join(actions, ","), "reorder_items") {
		t.Fatalf("audit %v", actions)
	}
}

func TestProgrammeOfWorkShowsTheSlots(t *testing.T) {
	e := testenv.New(t)
	lm := newLiveMeeting(t, e, "m")
	lm.admin.MustJSON("PATCH", lm.path("/agenda/%d", lm.items[1]), map[string]any{
		"starts_at": "2030-12-02T15:00:00Z", "ends_at": "2030-12-02T18:00:00Z"}, 200, nil)
	var v struct {
		Markdown string `json:"markdown"`
	}
	lm.admin.MustJSON("POST", lm.path("/summary"), nil, 201, &v)
	annex := v.Markdown[strings.Index(v.Markdown, "Annex I:"):]
	// New York time, the meeting's zone.
	if !strings.Contains(annex, "| 2 | 2 December 2030, 10:00–13:00 | International law |") ||
		!strings.Contains(annex, "| 1 |  | Existing and potential threats |") {
		t.Fatalf("programme:\n%s", annex[:min(len(annex), 400)])
	}
}
