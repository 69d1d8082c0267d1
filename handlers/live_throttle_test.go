package handlers_test

import (
	"net/http"
	"strconv"
	"strings"
	"testing"

	"rostrum/internal/testenv"
	"rostrum/models"
)

// A participant's commands on the list (REST and websocket together, one
// count per registration) are limited to participant_command_rate a
// minute: beyond it REST answers 429 with Retry-After and the websocket
// an error frame with code rate_limited, and the refused command changes
// nothing. Other participants and staff are not held back.
func TestLiveParticipantCommandsAreRateLimited(t *testing.T) {
	cfg := testenv.Config(t)
	cfg.ParticipantCommandRate = 3
	e := testenv.Start(t, cfg)
	lm := newLiveMeeting(t, e, "m")
	item := lm.items[0]
	_, anaTok := lm.participant(t, "Ana", "ngo", models.StatusApproved)
	_, benTok := lm.participant(t, "Ben", "academia", models.StatusApproved)
	ana := e.Participant(anaTok)
	ws := liveConnect(t, e, lm.slug, liveWithToken(anaTok))

	// Three commands, over both transports: ask, withdraw, ask.
	var res liveResult
	ana.MustJSON("POST", lm.path("/agenda/%d/speakers", item), nil, 201, &res)
	if m := ws.cmd("w", map[string]any{"action": "remove_speaker", "speaker_id": res.Speaker.ID}); m.Type != "ack" {
		t.Fatalf("second command: %+v", m)
	}
	if m := ws.cmd("a", map[string]any{"action": "add_speaker", "item_id": item}); m.Type != "ack" {
		t.Fatalf("third command: %+v", m)
	}
	state, audit := lm.state(t).Canonical(), lm.auditLog(t)

	r := ana.Do("DELETE", lm.path("/agenda/%d/speakers/%d", item, res.Speaker.ID+1), nil)
	if r.Status != http.StatusTooManyRequests || !strings.Contains(string(r.Body), `"code":"rate_limited"`) {
		t.Fatalf("fourth command by REST: %d %s, want 429 rate_limited", r.Status, r.Body)
	}
	if ra, err := strconv.Atoi(r.Header.Get("Retry-After")); err != nil || ra < 1 || ra > 60 {
		t.Fatalf("Retry-After %q, want 1 to 60 seconds", r.Header.Get("Retry-After"))
	}
	if m := ws.cmd("x", map[string]any{"action": "add_speaker", "item_id": lm.items[1]}); m.Type != "error" || m.Code != "rate_limited" {
		t.Fatalf("fifth command by websocket: %+v, want error rate_limited", m)
	}
	if got := lm.state(t).Canonical(); got != state {
		t.Fatalf("a refused command changed the list:\n%s\n%s", state, got)
	}
	if got := lm.auditLog(t); got != audit {
		t.Fatal("a refused command reached the audit log")
	}

	// Ben has his own count; the moderator has none.
	e.Participant(benTok).MustJSON("POST", lm.path("/agenda/%d/speakers", item), nil, 201, nil)
	for range 4 {
		lm.mod.MustJSON("POST", lm.path("/agenda/%d/close", item), nil, 200, nil)
		lm.mod.MustJSON("POST", lm.path("/agenda/%d/reopen", item), nil, 200, nil)
	}
}
