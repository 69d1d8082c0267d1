package handlers_test

import (
	"errors"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"rostrum/internal/livetest"
	"rostrum/internal/testenv"
	"rostrum/models"
)

func TestLiveWebsocketSendsStateThenEveryChangeOnce(t *testing.T) {
	e := testenv.New(t)
	lm := newLiveMeeting(t, e, "m")
	ana, tok := lm.participant(t, "Ana", "ngo", models.StatusApproved)
	pub := liveConnect(t, e, lm.slug)
	if pub.state.Seq != 0 || len(pub.state.Items) != 2 || pub.state.Items[0].Title != "Existing and potential threats" {
		t.Fatalf("first state %+v", pub.state)
	}
	staff := liveConnect(t, e, lm.slug, liveWithClient(lm.mod))
	var res liveResult
	e.Participant(tok).MustJSON("POST", lm.path("/agenda/%d/speakers", lm.items[0]), nil, 201, &res)
	lm.mod.MustJSON("POST", lm.path("/agenda/%d/next", lm.items[0]), nil, 200, nil)
	pub.untilSeq(2)
	m := staff.until(func(m livetest.Message) bool { return m.Type == "patch" && m.Seq == 1 })
	if m.By == nil || m.By.Action != "add_speaker" || m.By.Actor != fmt.Sprintf("participant:%d Ana", ana.ID) {
		t.Fatalf("staff patch lacks who did it: %+v", m.By)
	}
	staff.untilSeq(2)
	want := lm.state(t).Canonical()
	if got := pub.state.Canonical(); got != want {
		t.Fatalf("public viewer's state differs from the server's:\n%s\n%s", got, want)
	}
	if got := staff.state.Canonical(); got != want {
		t.Fatalf("staff viewer's state differs from the server's")
	}
	if fmt.Sprint(pub.seqs) != "[0 1 2]" {
		t.Fatalf("seqs %v", pub.seqs)
	}
	// Public viewers never learn who did what.
	pub.send(map[string]any{"type": "resync"})
	st := pub.until(func(m livetest.Message) bool { return m.Type == "state" })
	if st.Seq != 2 || st.You["role"] != "viewer" {
		t.Fatalf("resync state %+v", st)
	}
	if strings.Contains(string(st.Data), "@") || strings.Contains(string(st.Data), tok) {
		t.Fatalf("state leaks: %s", st.Data)
	}
}

func TestLiveEveryCommandByWebsocket(t *testing.T) {
	e := testenv.New(t)
	lm := newLiveMeeting(t, e, "m")
	item := lm.items[0]
	a, aTok := lm.participant(t, "Ana", "ngo", models.StatusApproved)
	b, _ := lm.participant(t, "Ben", "academia", models.StatusApproved)
	c, _ := lm.participant(t, "Chen", "private_sector", models.StatusApproved)
	mod := liveConnect(t, e, lm.slug, liveWithClient(lm.mod))
	if mod.state.Seq != 0 {
		t.Fatal(mod.state.Seq)
	}
	ana := liveConnect(t, e, lm.slug, liveWithToken(aTok))
	if ana.state.Seq != 0 {
		t.Fatal("no state")
	}
	seq := int64(0)
	ok := func(v *liveViewer, fields map[string]any) livetest.Message {
		t.Helper()
		seq++
		id := fmt.Sprintf("c%d", seq)
		m := v.cmd(id, fields)
		if m.Type != "ack" || m.Seq != seq {
			t.Fatalf("%v: %+v, want ack with seq %d", fields, m, seq)
		}
		return m
	}
	// A participant asks for the floor (no registration_id needed) and
	// the answer names the new entry.
	m := ok(ana, map[string]any{"action": "add_speaker", "item_id": item})
	if m.Speaker == nil || m.Speaker.RegistrationID != a.ID {
		t.Fatalf("ack speaker %+v", m.Speaker)
	}
	anaID := m.Speaker.ID
	benID := ok(mod, map[string]any{"action": "add_speaker", "item_id": item, "registration_id": b.ID}).Speaker.ID
	chenID := ok(mod, map[string]any{"action": "add_speaker", "item_id": item, "registration_id": c.ID, "kind": "point_of_order"}).Speaker.ID
	mod.untilSeq(seq)
	if got := mod.state.WaitingNames(item); fmt.Sprint(got) != "[Chen Ana Ben]" {
		t.Fatalf("point of order not on top: %v", got)
	}
	ok(mod, map[string]any{"action": "reorder", "item_id": item, "ids": []uint{anaID, chenID, benID}})
	ok(mod, map[string]any{"action": "start", "speaker_id": benID})
	ok(mod, map[string]any{"action": "pause", "speaker_id": benID})
	ok(mod, map[string]any{"action": "resume", "speaker_id": benID})
	ok(mod, map[string]any{"action": "extend", "speaker_id": benID, "seconds": 30})
	ok(mod, map[string]any{"action": "stop", "speaker_id": benID})
	ok(mod, map[string]any{"action": "next", "item_id": item})
	ok(mod, map[string]any{"action": "close", "item_id": item})
	ok(mod, map[string]any{"action": "reopen", "item_id": item})
	ok(mod, map[string]any{"action": "set_current", "item_id": lm.items[1]})
	ok(mod, map[string]any{"action": "remove_speaker", "speaker_id": chenID})
	// Ana is speaking now (next took the first waiting entry).
	mod.untilSeq(seq)
	ana.untilSeq(seq)
	st := lm.state(t)
	if st.Entry(anaID).State != models.SpeakerSpeaking || st.Entry(benID).State != models.SpeakerDone ||
		st.Entry(benID).TimeLimitSeconds != 210 || st.Entry(chenID) != nil {
		t.Fatalf("final entries: %+v %+v %+v", st.Entry(anaID), st.Entry(benID), st.Entry(chenID))
	}
	if mod.state.Canonical() != st.Canonical() || ana.state.Canonical() != st.Canonical() {
		t.Fatal("viewers' states differ from the server's")
	}

	// A participant may only withdraw themselves and run nothing else.
	for _, f := range []map[string]any{
		{"action": "add_speaker", "item_id": item, "registration_id": b.ID},
		{"action": "remove_speaker", "speaker_id": benID},
		{"action": "next", "item_id": item},
		{"action": "close", "item_id": item},
		{"action": "set_current", "item_id": item},
	} {
		if m := ana.cmd("x", f); m.Type != "error" || m.Code != "forbidden" {
			t.Fatalf("participant %v: %+v", f, m)
		}
	}
	// An anonymous viewer and a rapporteur run nothing.
	anon := liveConnect(t, e, lm.slug)
	if m := anon.cmd("y", map[string]any{"action": "add_speaker", "item_id": item, "registration_id": b.ID}); m.Type != "error" || m.Code != "unauthorized" {
		t.Fatalf("anonymous: %+v", m)
	}
	rap := liveConnect(t, e, lm.slug, liveWithClient(e.Staff(models.RoleRapporteur)))
	if m := rap.cmd("z", map[string]any{"action": "next", "item_id": item}); m.Type != "error" || m.Code != "forbidden" {
		t.Fatalf("rapporteur: %+v", m)
	}
	// Ana is speaking, not waiting: she may queue again on this list, once.
	ok(mod, map[string]any{"action": "add_speaker", "item_id": item, "registration_id": a.ID})
	if m := mod.cmd("r2", map[string]any{"action": "add_speaker", "item_id": item, "registration_id": a.ID}); m.Type != "error" || m.Code != "already_waiting" || m.Message == "" {
		t.Fatalf("rule broken over websocket: %+v", m)
	}
	if got := lm.state(t).Seq; got != seq {
		t.Fatalf("refused commands moved seq to %d, want %d", got, seq)
	}
}

func TestLiveWebsocketBadFramesGetErrorsAndTheConnectionStays(t *testing.T) {
	e := testenv.New(t)
	lm := newLiveMeeting(t, e, "m")
	v := liveConnect(t, e, lm.slug, liveWithClient(lm.mod))
	cases := []struct {
		frame []byte
		code  string
	}{
		{[]byte(`{"type":"cmd",`), "bad_json"},
		{[]byte(`not json`), "bad_json"},
		{[]byte(`{"type":"cmd","id":"1","action":"next","item_id":1} {}`), "bad_json"},
		{[]byte(`{"type":"cmd","id":"2","action":"next","item_id":"one"}`), "bad_json"},
		{[]byte(`{"type":"cmd","id":"3","action":"next","evil":true}`), "bad_json"},
		{[]byte(`{"type":"cmd","id":"4","action":"explode"}`), "unknown_action"},
		{[]byte(`{"type":"hello"}`), "unknown_type"},
		{[]byte(`{"type":"cmd","id":"5","action":"next"}`), "invalid"},
		{[]byte(`{"type":"cmd","id":"6","action":"close","item_id":99999}`), "not_found"},
		{[]byte(`{"type":"cmd","id":"` + strings.Repeat("i", 200) + `","action":"next"}`), "invalid"},
		{[]byte(`{"type":"cmd","id":"7","action":"reorder","item_id":1,"ids":[` + strings.Repeat("1,", 40<<10) + `1]}`), "too_large"},
	}
	for _, tc := range cases {
		if err := v.conn.WriteMessage(websocket.TextMessage, tc.frame); err != nil {
			t.Fatal(err)
		}
		m := v.until(func(m livetest.Message) bool { return m.Type == "error" })
		if m.Code != tc.code || m.Message == "" {
			t.Errorf("frame %.60q: %+v, want code %s", tc.frame, m, tc.code)
		}
	}
	if err := v.conn.WriteMessage(websocket.BinaryMessage, []byte{1, 2, 3}); err != nil {
		t.Fatal(err)
	}
	if m := v.until(func(m livetest.Message) bool { return m.Type == "error" }); m.Code != "bad_frame" {
		t.Fatalf("binary frame: %+v", m)
	}
	// Still healthy: it resyncs and runs a command.
	v.send(map[string]any{"type": "resync"})
	if m := v.until(func(m livetest.Message) bool { return m.Type == "state" }); m.Seq != 0 {
		t.Fatalf("state after bad frames: seq %d", m.Seq)
	}
	if m := v.cmd("ok", map[string]any{"action": "close", "item_id": lm.items[0]}); m.Type != "ack" || m.Seq != 1 {
		t.Fatalf("command after bad frames: %+v", m)
	}
	// A frame beyond the hard limit ends that connection (1009), and only it.
	other := liveConnect(t, e, lm.slug)
	big := make([]byte, 2<<20)
	_ = v.conn.WriteMessage(websocket.TextMessage, big)
	_ = v.conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	for {
		// How a connection cut mid-write ends depends on timing (a 1009
		// close frame or a reset); what matters is that it ends.
		if _, _, err := v.conn.ReadMessage(); err != nil {
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				t.Fatal("the hostile connection was not closed")
			}
			break
		}
	}
	lm.mod.MustJSON("POST", lm.path("/agenda/%d/reopen", lm.items[0]), nil, 200, nil)
	other.untilSeq(2)
}

func TestLiveWebsocketRefusesStaffFromAnotherOrigin(t *testing.T) {
	e := testenv.New(t)
	lm := newLiveMeeting(t, e, "m")
	_, tok := lm.participant(t, "Ana", "ngo", models.StatusApproved)
	if _, resp, err := dialLive(t, e, lm.slug, liveWithClient(lm.mod), liveWithOrigin("https://evil.example")); err == nil || resp == nil || resp.StatusCode != 403 {
		t.Fatalf("staff from another origin: %v %v", err, resp)
	}
	if _, resp, err := dialLive(t, e, lm.slug, liveWithToken(tok), liveWithOrigin("https://evil.example")); err == nil || resp == nil || resp.StatusCode != 403 {
		t.Fatalf("participant from another origin: %v %v", err, resp)
	}
	if _, resp, err := dialLive(t, e, lm.slug, liveWithToken("not-a-valid-token-at-all-xxxxxxxx")); err == nil || resp == nil || resp.StatusCode != 401 {
		t.Fatalf("bad token: %v %v", err, resp)
	}
	if _, resp, err := dialLive(t, e, "nope"); err == nil || resp == nil || resp.StatusCode != 404 {
		t.Fatalf("unknown meeting: %v %v", err, resp)
	}
	// The projector, from anywhere, only watches.
	liveConnect(t, e, lm.slug, liveWithOrigin("https://screen.example"))
	liveConnect(t, e, lm.slug, liveWithClient(lm.mod), liveWithOrigin(e.URL))
}

func TestLiveReconnectAndResyncShowTheServersState(t *testing.T) {
	e := testenv.New(t)
	lm := newLiveMeeting(t, e, "m")
	var regs []models.Registration
	for i := range 4 {
		r, _ := lm.participant(t, fmt.Sprintf("P%d", i), models.OrganizationTypes[i], models.StatusApproved)
		regs = append(regs, r)
	}
	v := liveConnect(t, e, lm.slug)
	lm.mod.MustJSON("POST", lm.path("/agenda/%d/speakers", lm.items[0]), map[string]any{"registration_id": regs[0].ID}, 201, nil)
	v.untilSeq(1)
	_ = v.conn.Close() // the network drops
	for _, r := range regs[1:] {
		lm.mod.MustJSON("POST", lm.path("/agenda/%d/speakers", lm.items[0]), map[string]any{"registration_id": r.ID}, 201, nil)
	}
	lm.mod.MustJSON("POST", lm.path("/agenda/%d/next", lm.items[0]), nil, 200, nil)
	v2 := liveConnect(t, e, lm.slug)
	if v2.state.Seq != 5 || v2.state.Canonical() != lm.state(t).Canonical() {
		t.Fatalf("state after reconnect: seq %d", v2.state.Seq)
	}
	lm.mod.MustJSON("POST", lm.path("/agenda/%d/next", lm.items[0]), nil, 200, nil)
	v2.send(map[string]any{"type": "resync"})
	m := v2.until(func(m livetest.Message) bool { return m.Type == "state" })
	if m.Seq != 6 || v2.state.Canonical() != lm.state(t).Canonical() {
		t.Fatalf("resync: seq %d", m.Seq)
	}
	// After the full state, changes carry on from its seq.
	lm.mod.MustJSON("POST", lm.path("/agenda/%d/close", lm.items[0]), nil, 200, nil)
	if m := v2.until(func(m livetest.Message) bool { return m.Type == "patch" }); m.Seq != 7 {
		t.Fatalf("patch after resync: %d", m.Seq)
	}
}

func TestLiveRestartRestoresListsCurrentItemAndRunningTimer(t *testing.T) {
	cfg := testenv.Config(t)
	e := testenv.Start(t, cfg)
	lm := newLiveMeeting(t, e, "m")
	var regs []models.Registration
	for i := range 3 {
		r, _ := lm.participant(t, fmt.Sprintf("P%d", i), "ngo", models.StatusApproved)
		regs = append(regs, r)
	}
	for _, r := range regs {
		lm.mod.MustJSON("POST", lm.path("/agenda/%d/speakers", lm.items[1]), map[string]any{"registration_id": r.ID}, 201, nil)
	}
	var res liveResult
	lm.mod.MustJSON("POST", lm.path("/agenda/%d/next", lm.items[1]), nil, 200, &res)
	sp := res.Speaker.ID
	lm.mod.MustJSON("POST", lm.path("/agenda/%d/speakers/%d/pause", lm.items[1], sp), nil, 200, nil)
	lm.mod.MustJSON("POST", lm.path("/agenda/%d/speakers/%d/resume", lm.items[1], sp), nil, 200, nil)
	lm.mod.MustJSON("POST", lm.path("/agenda/%d/speakers/%d/extend", lm.items[1], sp), map[string]any{"seconds": 45}, 200, nil)
	lm.mod.MustJSON("POST", lm.path("/agenda/%d/close", lm.items[1]), nil, 200, nil)
	lm.mod.MustJSON("POST", lm.path("/current"), map[string]any{"item_id": lm.items[1]}, 200, nil)
	before := lm.state(t)
	v := liveConnect(t, e, lm.slug)

	e.Stop()
	// The viewer is told the server goes away.
	_ = v.conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	for {
		_, _, err := v.conn.ReadMessage()
		if err != nil {
			if !websocket.IsCloseError(err, websocket.CloseGoingAway) {
				t.Fatalf("viewer not sent going-away: %v", err)
			}
			break
		}
	}

	e2 := testenv.Start(t, cfg)
	lm.e = e2
	after := lm.state(t)
	if after.Canonical() != before.Canonical() {
		t.Fatalf("state after restart differs:\n%s\n%s", before.Canonical(), after.Canonical())
	}
	tm := after.Item(lm.items[1]).Timer
	if tm == nil || !tm.Running || !tm.StartedAt.Equal(before.Item(lm.items[1]).Timer.StartedAt) || tm.LimitSeconds != 225 {
		t.Fatalf("timer after restart %+v", tm)
	}
	// It carries on from the same seq, and the moderator's session (kept
	// in the database) still works.
	mod := *lm.mod
	mod.Base = e2.URL
	v2 := liveConnect(t, e2, lm.slug)
	mod.MustJSON("POST", lm.path("/agenda/%d/next", lm.items[1]), nil, 200, &res)
	if res.Seq != before.Seq+1 {
		t.Fatalf("seq after restart %d, want %d", res.Seq, before.Seq+1)
	}
	v2.untilSeq(res.Seq)
}

func TestLiveWebsocketWithATokenActsAsThatParticipantDespiteAStaffCookie(t *testing.T) {
	e := testenv.New(t)
	lm := newLiveMeeting(t, e, "m")
	ana, tok := lm.participant(t, "Ana", "ngo", models.StatusApproved)
	v := liveConnect(t, e, lm.slug, liveWithClient(lm.mod), liveWithToken(tok))
	m := v.cmd("1", map[string]any{"action": "add_speaker", "item_id": lm.items[0]})
	if m.Type != "ack" || m.Speaker.RegistrationID != ana.ID {
		t.Fatalf("add as participant: %+v", m)
	}
	if m := v.cmd("2", map[string]any{"action": "next", "item_id": lm.items[0]}); m.Code != "forbidden" {
		t.Fatalf("the staff cookie lent its rights: %+v", m)
	}
}

// An agenda item the secretariat adds while the meeting runs is a change of
// the live state like any other: it reaches every viewer at once, with the
// next seq, and its list is open for requests.
func TestAgendaItemAddedDuringAMeetingReachesEveryViewer(t *testing.T) {
	e := testenv.New(t)
	lm := newLiveMeeting(t, e, "m")
	_, tok := lm.participant(t, "Ana", "ngo", models.StatusApproved)
	pub := liveConnect(t, e, lm.slug)
	staff := liveConnect(t, e, lm.slug, liveWithClient(lm.mod))
	var item struct {
		ID uint `json:"id"`
	}
	lm.admin.MustJSON("POST", lm.path("/agenda"), map[string]any{"title": "Any other business", "speaking_time_seconds": 120}, 201, &item)
	m := staff.until(func(m livetest.Message) bool { return m.Type == "patch" && m.Seq == 1 })
	if m.By == nil || m.By.Action != "add_item" || !strings.HasPrefix(m.By.Actor, "staff:") {
		t.Fatalf("staff patch: %+v", m.By)
	}
	pub.untilSeq(1)
	want := lm.state(t)
	if it := want.Item(item.ID); it == nil || it.Title != "Any other business" || it.SpeakingTimeSeconds != 120 {
		t.Fatalf("server state lacks the item: %+v", want.Items)
	}
	for name, v := range map[string]*liveViewer{"public": pub, "staff": staff} {
		if got := v.state.Canonical(); got != want.Canonical() {
			t.Fatalf("%s viewer's state differs from the server's:\n%s\n%s", name, got, want.Canonical())
		}
	}
	// Its list takes requests at once, and viewers follow.
	e.Participant(tok).MustJSON("POST", lm.path("/agenda/%d/speakers", item.ID), nil, 201, nil)
	pub.untilSeq(2)
	if names := pub.state.WaitingNames(item.ID); len(names) != 1 || names[0] != "Ana" {
		t.Fatalf("waiting on the new item: %v", names)
	}
	// A bad item changes nothing.
	lm.admin.MustJSON("POST", lm.path("/agenda"), map[string]any{"title": " "}, 422, nil)
	if st := lm.state(t); st.Seq != 2 || len(st.Items) != 3 {
		t.Fatalf("after a refused item: seq %d, %d items", st.Seq, len(st.Items))
	}
}
