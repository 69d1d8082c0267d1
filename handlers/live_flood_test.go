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

// Requests that came and went leave the live state: after 500
// request/withdraw cycles the public state is as large as after one (the
// audit log keeps every one), and a viewer that followed every change
// holds the same state. participant_command_rate is off here: the test is
// about the list's history, not the throttle.
func TestLiveStateStaysTheSameSizeAfterManyWithdrawnRequests(t *testing.T) {
	cfg := testenv.Config(t)
	cfg.ParticipantCommandRate = 0
	e := testenv.Start(t, cfg)
	lm := newLiveMeeting(t, e, "m")
	item := lm.items[0]
	ben, _ := lm.participant(t, "Ben", "academia", models.StatusApproved)
	lm.mod.MustJSON("POST", lm.path("/agenda/%d/speakers", item), map[string]any{"registration_id": ben.ID}, 201, nil)
	var sockets []*liveViewer
	for _, name := range []string{"Ana", "Chen", "Dee", "Eli"} {
		_, tok := lm.participant(t, name, "ngo", models.StatusApproved)
		sockets = append(sockets, liveConnect(t, e, lm.slug, liveWithToken(tok)))
	}
	watcher := liveConnect(t, e, lm.slug)
	// The watcher reads along, as a page does, so that it is never so far
	// behind that the server drops it.
	cycle := func(ws *liveViewer) {
		t.Helper()
		m := ws.cmd("ask", map[string]any{"action": "add_speaker", "item_id": item})
		if m.Type != "ack" {
			t.Fatalf("request: %+v", m)
		}
		if m = ws.cmd("withdraw", map[string]any{"action": "remove_speaker", "speaker_id": m.Speaker.ID}); m.Type != "ack" {
			t.Fatalf("withdrawal: %+v", m)
		}
		watcher.untilSeq(m.Seq)
	}
	stateBytes := func() int {
		return len(lm.e.Anon().MustJSON("GET", lm.path("/live"), nil, 200, nil).Body)
	}
	cycle(sockets[0])
	after1 := stateBytes()
	for i := range 499 {
		cycle(sockets[i%len(sockets)])
	}
	after500 := stateBytes()
	// The seq and server time may differ by a few digits; nothing else may.
	if after500-after1 > 8 {
		t.Fatalf("the public state grew from %d to %d bytes over 500 withdrawn requests", after1, after500)
	}
	st := lm.state(t)
	if got := st.WaitingNames(item); len(st.Item(item).Speakers) != 1 || len(got) != 1 || got[0] != "Ben" {
		t.Fatalf("speakers in the state: %v, want Ben waiting alone", got)
	}
	watcher.untilSeq(st.Seq)
	if watcher.state.Canonical() != st.Canonical() {
		t.Fatal("the viewer that followed every change holds another state than the server's")
	}
	var audit struct {
		Events []struct {
			Seq int64 `json:"seq"`
		} `json:"events"`
	}
	lm.mod.MustJSON("GET", lm.path("/audit?limit=1000"), nil, 200, &audit)
	if len(audit.Events) != 1000 || st.Seq != 1001 {
		t.Fatalf("%d audit rows (the last 1000 asked for) at seq %d, want every change kept", len(audit.Events), st.Seq)
	}
}
