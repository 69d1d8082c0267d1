package handlers_test

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"rostrum/internal/testenv"
	"rostrum/live"
	"rostrum/models"
)

func TestLiveParticipantRequestsAndWithdrawsTheFloor(t *testing.T) {
	e := testenv.New(t)
	lm := newLiveMeeting(t, e, "m")
	ana, tok := lm.participant(t, "Ana Lima", "ngo", models.StatusApproved)
	p := e.Participant(tok)
	item := lm.items[0]

	var res liveResult
	p.MustJSON("POST", lm.path("/agenda/%d/speakers", item), nil, 201, &res)
	if res.Seq != 1 || res.Speaker == nil || res.Speaker.RegistrationID != ana.ID || res.Speaker.Position != live.PositionStep ||
		res.Speaker.Kind != models.KindStatement || res.Speaker.TimeLimitSeconds != 180 {
		t.Fatalf("add: %+v %+v", res, res.Speaker)
	}
	if res.Speaker.Organization != "Ana Lima Org" || res.Speaker.StakeholderType != "ngo" {
		t.Fatalf("entry lacks the organization: %+v", res.Speaker)
	}
	// At most once waiting on a list.
	r := p.Do("POST", lm.path("/agenda/%d/speakers", item), map[string]any{"kind": "statement"})
	if r.Status != 409 || !strings.Contains(string(r.Body), `"code":"already_waiting"`) {
		t.Fatalf("second request: %d %s", r.Status, r.Body)
	}
	// Waiting on another item's list is fine.
	p.MustJSON("POST", lm.path("/agenda/%d/speakers", lm.items[1]), map[string]any{"registration_id": ana.ID}, 201, &res)
	if res.Seq != 2 {
		t.Fatalf("seq %d", res.Seq)
	}
	st := lm.state(t)
	id := st.Item(item).Speakers[0].ID
	p.MustJSON("DELETE", lm.path("/agenda/%d/speakers/%d", item, id), nil, 200, &res)
	if res.Seq != 3 || res.Speaker.State != models.SpeakerWithdrawn {
		t.Fatalf("withdraw: %+v", res)
	}
	// Withdrawn, so they may ask again.
	p.MustJSON("POST", lm.path("/agenda/%d/speakers", item), nil, 201, &res)
	if res.Seq != 4 {
		t.Fatalf("seq %d", res.Seq)
	}
	// The public state never carries tokens or emails.
	body := string(e.Anon().MustJSON("GET", lm.path("/live"), nil, 200, nil).Body)
	if strings.Contains(body, tok) || strings.Contains(body, "@example.org") || strings.Contains(body, "token") {
		t.Fatalf("public state leaks secrets: %s", body)
	}
}

func TestLiveOnlyApprovedParticipantsSpeak(t *testing.T) {
	e := testenv.New(t)
	lm := newLiveMeeting(t, e, "m")
	for _, status := range []string{models.StatusPending, models.StatusWaitlisted, models.StatusRejected, models.StatusWithdrawn} {
		reg, tok := lm.participant(t, "P "+status, "academia", status)
		r := e.Participant(tok).Do("POST", lm.path("/agenda/%d/speakers", lm.items[0]), nil)
		if r.Status != 409 || !strings.Contains(string(r.Body), `"code":"not_approved"`) {
			t.Fatalf("%s participant: %d %s", status, r.Status, r.Body)
		}
		r = lm.mod.Do("POST", lm.path("/agenda/%d/speakers", lm.items[0]), map[string]any{"registration_id": reg.ID})
		if r.Status != 409 || !strings.Contains(string(r.Body), `"code":"not_approved"`) {
			t.Fatalf("moderator adds %s: %d %s", status, r.Status, r.Body)
		}
	}
	if st := lm.state(t); st.Seq != 0 || len(st.Item(lm.items[0]).Speakers) != 0 {
		t.Fatalf("state changed: %+v", st)
	}
}

// TestLiveCommandRoles checks every REST command against every kind of
// actor: who may, who gets 401, who gets 403.
func TestLiveCommandRoles(t *testing.T) {
	e := testenv.New(t)
	lm := newLiveMeeting(t, e, "m")
	other := newLiveMeeting(t, e, "other")
	ana, anaTok := lm.participant(t, "Ana Lima", "ngo", models.StatusApproved)
	ben, benTok := lm.participant(t, "Ben Okafor", "academia", models.StatusApproved)
	_, strangerTok := other.participant(t, "Stranger", "ngo", models.StatusApproved)
	item := lm.items[0]

	// Ben waits; his entry is what the others try to touch.
	var res liveResult
	e.Participant(benTok).MustJSON("POST", lm.path("/agenda/%d/speakers", item), nil, 201, &res)
	benEntry := res.Speaker.ID

	noCSRF := *lm.mod
	noCSRF.CSRF = ""
	actors := map[string]*testenv.Client{
		"anonymous":       e.Anon(),
		"participant":     e.Participant(anaTok),
		"other meeting":   e.Participant(strangerTok),
		"rapporteur":      e.Staff(models.RoleRapporteur),
		"moderator nocsr": &noCSRF,
	}
	staffOnly := []struct{ method, path string }{
		{"POST", lm.path("/agenda/%d/speakers/order", item)},
		{"POST", lm.path("/agenda/%d/next", item)},
		{"POST", lm.path("/agenda/%d/speakers/%d/start", item, benEntry)},
		{"POST", lm.path("/agenda/%d/speakers/%d/stop", item, benEntry)},
		{"POST", lm.path("/agenda/%d/speakers/%d/pause", item, benEntry)},
		{"POST", lm.path("/agenda/%d/speakers/%d/resume", item, benEntry)},
		{"POST", lm.path("/agenda/%d/speakers/%d/extend", item, benEntry)},
		{"POST", lm.path("/agenda/%d/close", item)},
		{"POST", lm.path("/agenda/%d/reopen", item)},
		{"POST", lm.path("/current")},
		{"GET", lm.path("/audit")},
		{"GET", lm.path("/agenda/%d/suggest", item)},
	}
	want := map[string]int{"anonymous": 401, "participant": 403, "other meeting": 403, "rapporteur": 403, "moderator nocsr": 403}
	for name, c := range actors {
		for _, r := range staffOnly {
			if r.method == "GET" && name == "moderator nocsr" {
				continue // reading needs no CSRF header
			}
			var body any
			if r.method == "POST" {
				body = map[string]any{}
			}
			if got := c.Do(r.method, r.path, body).Status; got != want[name] {
				t.Errorf("%s %s as %s: %d, want %d", r.method, r.path, name, got, want[name])
			}
		}
	}
	// Adding and withdrawing: a participant acts only for themselves.
	cases := []struct {
		name   string
		c      *testenv.Client
		method string
		path   string
		body   any
		want   int
	}{
		{"anonymous adds", e.Anon(), "POST", lm.path("/agenda/%d/speakers", item), map[string]any{"registration_id": ana.ID}, 401},
		{"participant adds another", e.Participant(anaTok), "POST", lm.path("/agenda/%d/speakers", item), map[string]any{"registration_id": ben.ID}, 403},
		{"participant of another meeting adds", e.Participant(strangerTok), "POST", lm.path("/agenda/%d/speakers", item), nil, 403},
		{"rapporteur adds", actors["rapporteur"], "POST", lm.path("/agenda/%d/speakers", item), map[string]any{"registration_id": ana.ID}, 403},
		{"moderator without CSRF adds", &noCSRF, "POST", lm.path("/agenda/%d/speakers", item), map[string]any{"registration_id": ana.ID}, 403},
		{"anonymous withdraws", e.Anon(), "DELETE", lm.path("/agenda/%d/speakers/%d", item, benEntry), nil, 401},
		{"participant withdraws another", e.Participant(anaTok), "DELETE", lm.path("/agenda/%d/speakers/%d", item, benEntry), nil, 403},
		{"rapporteur removes", actors["rapporteur"], "DELETE", lm.path("/agenda/%d/speakers/%d", item, benEntry), nil, 403},
		{"moderator without CSRF removes", &noCSRF, "DELETE", lm.path("/agenda/%d/speakers/%d", item, benEntry), nil, 403},
		{"bad token", e.Participant("x" + strings.Repeat("y", 42)), "POST", lm.path("/agenda/%d/speakers", item), nil, 401},
	}
	for _, tc := range cases {
		if got := tc.c.Do(tc.method, tc.path, tc.body); got.Status != tc.want {
			t.Errorf("%s: %d, want %d: %s", tc.name, got.Status, tc.want, got.Body)
		}
	}
	if st := lm.state(t); st.Seq != 1 {
		t.Fatalf("a refused command changed the list: seq %d", st.Seq)
	}
	// What is allowed: the moderator and the admin run everything.
	lm.mod.MustJSON("POST", lm.path("/agenda/%d/speakers", item), map[string]any{"registration_id": ana.ID}, 201, &res)
	lm.admin.MustJSON("DELETE", lm.path("/agenda/%d/speakers/%d", item, res.Speaker.ID), nil, 200, &res)
	lm.admin.MustJSON("POST", lm.path("/agenda/%d/close", item), map[string]any{}, 200, &res)
	lm.mod.MustJSON("POST", lm.path("/agenda/%d/reopen", item), nil, 200, &res)
	if res.Seq != 5 {
		t.Fatalf("seq %d, want 5", res.Seq)
	}
	var audit struct {
		Events []struct {
			Seq    int64  `json:"seq"`
			Actor  string `json:"actor"`
			Action string `json:"action"`
		} `json:"events"`
	}
	lm.mod.MustJSON("GET", lm.path("/audit"), nil, 200, &audit)
	if len(audit.Events) != 5 || audit.Events[0].Seq != 5 || audit.Events[0].Action != "reopen" ||
		!strings.HasPrefix(audit.Events[0].Actor, "staff:moderator-") ||
		audit.Events[4].Actor != fmt.Sprintf("participant:%d Ben Okafor", ben.ID) || audit.Events[4].Action != "add_speaker" {
		t.Fatalf("audit log %+v", audit.Events)
	}
}

func TestLiveCommandsByREST(t *testing.T) {
	e := testenv.New(t)
	lm := newLiveMeeting(t, e, "m")
	item := lm.items[0]
	names := []string{"Ana", "Ben", "Chen", "Dara"}
	types := []string{"ngo", "ngo", "academia", "private_sector"}
	regs := map[string]uint{}
	for i, n := range names {
		r, _ := lm.participant(t, n, types[i], models.StatusApproved)
		regs[n] = r.ID
	}
	seq := int64(0)
	do := func(method, path string, body any, want int) liveResult {
		t.Helper()
		var res liveResult
		lm.mod.MustJSON(method, path, body, want, &res)
		seq++
		if res.Seq != seq {
			t.Fatalf("%s %s: seq %d, want %d", method, path, res.Seq, seq)
		}
		return res
	}
	ids := map[string]uint{}
	for _, n := range names[:3] {
		ids[n] = do("POST", lm.path("/agenda/%d/speakers", item), map[string]any{"registration_id": regs[n]}, 201).Speaker.ID
	}
	if got := lm.state(t).WaitingNames(item); fmt.Sprint(got) != "[Ana Ben Chen]" {
		t.Fatalf("statements in request order: %v", got)
	}
	do("POST", lm.path("/agenda/%d/speakers/order", item), map[string]any{"ids": []uint{ids["Chen"], ids["Ana"], ids["Ben"]}}, 200)
	if got := lm.state(t).WaitingNames(item); fmt.Sprint(got) != "[Chen Ana Ben]" {
		t.Fatalf("after reorder: %v", got)
	}
	// Chen takes the floor; Dara replies to Chen, so goes first in line.
	res := do("POST", lm.path("/agenda/%d/next", item), nil, 200)
	if res.Speaker == nil || res.Speaker.ID != ids["Chen"] || res.Speaker.State != models.SpeakerSpeaking {
		t.Fatalf("next: %+v", res.Speaker)
	}
	ids["Dara"] = do("POST", lm.path("/agenda/%d/speakers", item), map[string]any{"registration_id": regs["Dara"], "kind": "reply", "reply_to": ids["Chen"]}, 201).Speaker.ID
	st := lm.state(t)
	if got := st.WaitingNames(item); fmt.Sprint(got) != "[Dara Ana Ben]" {
		t.Fatalf("reply not first: %v", got)
	}
	tm := st.Item(item).Timer
	if tm == nil || tm.SpeakerID != ids["Chen"] || !tm.Running || tm.LimitSeconds != 180 || tm.WarningSeconds != 30 {
		t.Fatalf("timer %+v", tm)
	}
	do("POST", lm.path("/agenda/%d/speakers/%d/pause", item, ids["Chen"]), nil, 200)
	if tm := lm.state(t).Item(item).Timer; tm.Running || tm.PausedAt == nil {
		t.Fatalf("paused timer %+v", tm)
	}
	do("POST", lm.path("/agenda/%d/speakers/%d/resume", item, ids["Chen"]), nil, 200)
	do("POST", lm.path("/agenda/%d/speakers/%d/extend", item, ids["Chen"]), map[string]any{"seconds": 60}, 200)
	if tm := lm.state(t).Item(item).Timer; !tm.Running || tm.PausedAt != nil || tm.LimitSeconds != 240 {
		t.Fatalf("resumed and extended timer %+v", tm)
	}
	do("POST", lm.path("/agenda/%d/speakers/%d/stop", item, ids["Chen"]), nil, 200)
	st = lm.state(t)
	if st.Item(item).Timer != nil || st.Entry(ids["Chen"]).State != models.SpeakerDone || st.Balance["academia"].Statements != 1 {
		t.Fatalf("after stop: timer %+v, entry %+v, balance %+v", st.Item(item).Timer, st.Entry(ids["Chen"]), st.Balance["academia"])
	}
	// Suggest next: academia has spoken, NGOs have not: Dara (private
	// sector, a reply) comes first in line and her type has not spoken.
	var sug struct {
		Speaker *struct {
			ID uint `json:"id"`
		} `json:"speaker"`
	}
	lm.mod.MustJSON("GET", lm.path("/agenda/%d/suggest", item), nil, 200, &sug)
	if sug.Speaker == nil || sug.Speaker.ID != ids["Dara"] {
		t.Fatalf("suggest %+v", sug.Speaker)
	}
	do("POST", lm.path("/agenda/%d/speakers/%d/start", item, ids["Ana"]), nil, 200)
	do("POST", lm.path("/agenda/%d/close", item), nil, 200)
	do("POST", lm.path("/agenda/%d/reopen", item), nil, 200)
	do("DELETE", lm.path("/agenda/%d/speakers/%d", item, ids["Ben"]), nil, 200)
	do("POST", lm.path("/current"), map[string]any{"item_id": lm.items[1]}, 200)
	st = lm.state(t)
	if st.CurrentItemID == nil || *st.CurrentItemID != lm.items[1] || st.Seq != seq {
		t.Fatalf("current item %v, seq %d", st.CurrentItemID, st.Seq)
	}
	if got := st.WaitingNames(item); fmt.Sprint(got) != "[Dara]" {
		t.Fatalf("waiting %v", got)
	}
	// Positions order the queue; they are not renumbered when someone
	// leaves it (a change moves only the entries it concerns).
	last := math.MinInt
	for _, e := range st.Item(item).Speakers {
		if e.State == models.SpeakerWaiting {
			if e.Position <= last {
				t.Fatalf("positions out of order: %+v", e)
			}
			last = e.Position
		}
	}
}

// TestLiveRuleBreakingCommandsAre409AndChangeNothing runs each rule's
// violation and checks the code, and that neither the state nor the seq
// moved.
func TestLiveRuleBreakingCommandsAre409AndChangeNothing(t *testing.T) {
	e := testenv.New(t)
	lm := newLiveMeeting(t, e, "m")
	item, item2 := lm.items[0], lm.items[1]
	a, _ := lm.participant(t, "Ana", "ngo", models.StatusApproved)
	b, _ := lm.participant(t, "Ben", "academia", models.StatusApproved)
	c, _ := lm.participant(t, "Chen", "academia", models.StatusApproved)
	d, _ := lm.participant(t, "Dara", "ngo", models.StatusApproved)
	var res liveResult
	lm.mod.MustJSON("POST", lm.path("/agenda/%d/speakers", item), map[string]any{"registration_id": a.ID}, 201, &res)
	ana := res.Speaker.ID
	lm.mod.MustJSON("POST", lm.path("/agenda/%d/speakers", item), map[string]any{"registration_id": b.ID}, 201, &res)
	ben := res.Speaker.ID
	lm.mod.MustJSON("POST", lm.path("/agenda/%d/speakers", item2), map[string]any{"registration_id": d.ID}, 201, &res)
	dara := res.Speaker.ID
	lm.mod.MustJSON("POST", lm.path("/agenda/%d/speakers", item2), map[string]any{"registration_id": c.ID}, 201, &res)
	chen := res.Speaker.ID
	lm.mod.MustJSON("POST", lm.path("/agenda/%d/speakers/%d/start", item, ana), nil, 200, nil)
	lm.mod.MustJSON("POST", lm.path("/agenda/%d/close", item2), nil, 200, nil)
	lm.mod.MustJSON("POST", lm.path("/agenda/%d/speakers/%d/start", item2, dara), nil, 409, nil) // one speaker
	lm.mod.MustJSON("POST", lm.path("/current"), map[string]any{"item_id": item}, 200, nil)
	before := lm.state(t)

	cases := []struct {
		name, method, path string
		body               any
		status             int
		code               string
	}{
		{"a second speaker in the meeting", "POST", lm.path("/agenda/%d/speakers/%d/start", item, ben), nil, 409, "one_speaker"},
		{"a second speaker on another item", "POST", lm.path("/agenda/%d/speakers/%d/start", item2, chen), nil, 409, "one_speaker"},
		{"next on another item while someone speaks", "POST", lm.path("/agenda/%d/next", item2), nil, 409, "speaker_on_other_item"},
		{"already waiting", "POST", lm.path("/agenda/%d/speakers", item), map[string]any{"registration_id": b.ID}, 409, "already_waiting"},
		{"statement on a closed list", "POST", lm.path("/agenda/%d/speakers", item2), map[string]any{"registration_id": a.ID}, 409, "list_closed"},
		{"reply on a closed list", "POST", lm.path("/agenda/%d/speakers", item2), map[string]any{"registration_id": a.ID, "kind": "reply", "reply_to": dara}, 409, "list_closed"},
		{"reorder with a missing entry", "POST", lm.path("/agenda/%d/speakers/order", item2), map[string]any{"ids": []uint{dara}}, 409, "reorder_mismatch"},
		{"reorder with a duplicate", "POST", lm.path("/agenda/%d/speakers/order", item2), map[string]any{"ids": []uint{dara, dara}}, 409, "reorder_mismatch"},
		{"reorder with a speaking entry", "POST", lm.path("/agenda/%d/speakers/order", item), map[string]any{"ids": []uint{ana}}, 409, "reorder_mismatch"},
		{"reorder with an extra entry", "POST", lm.path("/agenda/%d/speakers/order", item2), map[string]any{"ids": []uint{dara, chen, ben}}, 409, "reorder_mismatch"},
		{"start a speaking entry", "POST", lm.path("/agenda/%d/speakers/%d/start", item, ana), nil, 409, "not_waiting"},
		{"stop a waiting entry", "POST", lm.path("/agenda/%d/speakers/%d/stop", item, ben), nil, 409, "not_speaking"},
		{"pause a waiting entry", "POST", lm.path("/agenda/%d/speakers/%d/pause", item, ben), nil, 409, "not_speaking"},
		{"resume a running speech", "POST", lm.path("/agenda/%d/speakers/%d/resume", item, ana), nil, 409, "not_paused"},
		{"withdraw a speech in progress", "DELETE", lm.path("/agenda/%d/speakers/%d", item, ana), nil, 409, "not_waiting"},
		{"close a closed list", "POST", lm.path("/agenda/%d/close", item2), nil, 409, "already_closed"},
		{"reopen an open list", "POST", lm.path("/agenda/%d/reopen", item), nil, 409, "not_closed"},
		{"set the current item again", "POST", lm.path("/current"), map[string]any{"item_id": item}, 409, "already_current"},
		{"reply to an entry of another list", "POST", lm.path("/agenda/%d/speakers", item), map[string]any{"registration_id": c.ID, "kind": "reply", "reply_to": dara}, 422, ""},
		{"a reply without its entry", "POST", lm.path("/agenda/%d/speakers", item), map[string]any{"registration_id": c.ID, "kind": "reply"}, 422, ""},
		{"an unknown kind", "POST", lm.path("/agenda/%d/speakers", item), map[string]any{"registration_id": c.ID, "kind": "rant"}, 422, ""},
		{"extend by nothing", "POST", lm.path("/agenda/%d/speakers/%d/extend", item, ana), map[string]any{"seconds": 0}, 422, ""},
		{"extend by days", "POST", lm.path("/agenda/%d/speakers/%d/extend", item, ana), map[string]any{"seconds": 90000}, 422, ""},
		{"an entry of another item", "POST", lm.path("/agenda/%d/speakers/%d/stop", item2, ana), nil, 404, ""},
		{"an unknown entry", "POST", lm.path("/agenda/%d/speakers/%d/stop", item, 9999), nil, 404, ""},
		{"an unknown item", "POST", lm.path("/agenda/%d/close", 9999), nil, 404, ""},
		{"an unknown registration", "POST", lm.path("/agenda/%d/speakers", item), map[string]any{"registration_id": 9999}, 404, ""},
		{"an unknown field", "POST", lm.path("/agenda/%d/speakers", item), map[string]any{"registration_id": c.ID, "evil": 1}, 400, ""},
		{"an unknown meeting", "POST", "/api/meetings/nope/agenda/1/close", nil, 404, ""},
	}
	for _, tc := range cases {
		r := lm.mod.Do(tc.method, tc.path, tc.body)
		if r.Status != tc.status || (tc.code != "" && !strings.Contains(string(r.Body), `"code":"`+tc.code+`"`)) {
			t.Errorf("%s: %d %s, want %d %s", tc.name, r.Status, r.Body, tc.status, tc.code)
		}
		if !strings.Contains(string(r.Body), `"error":"`) {
			t.Errorf("%s: no message saying which rule: %s", tc.name, r.Body)
		}
	}
	if after := lm.state(t); after.Canonical() != before.Canonical() {
		t.Fatalf("refused commands changed the state:\n%s\n%s", before.Canonical(), after.Canonical())
	}
}
