package livetest

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
)

// start is a state at seq 3 with one item whose list has a waiting entry.
func start(t *testing.T) State {
	t.Helper()
	var st State
	data := `{"seq":3,"server_time":"2026-11-25T10:00:00Z","current_item_id":7,
		"items":[{"id":7,"title":"Threats","speaking_time_seconds":180,"closed":false,
			"speakers":[{"id":1,"item_id":7,"name":"Ana","state":"waiting","position":1}],"timer":null}],
		"balance":{"ngo":{"spoken":0}}}`
	if err := json.Unmarshal([]byte(data), &st); err != nil {
		t.Fatal(err)
	}
	return st
}

func TestPatchUpsertsSpeakersInDisplayOrderAndKeepsAnAbsentBalance(t *testing.T) {
	st := start(t)
	balance := st.Balance
	err := st.ApplyPatch(4, json.RawMessage(`{"current_item_id":7,"speakers":[
		{"id":2,"item_id":7,"name":"Ben","state":"waiting","position":1},
		{"id":1,"item_id":7,"name":"Ana","state":"waiting","position":2}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if st.Seq != 4 || len(st.Item(7).Speakers) != 2 {
		t.Fatalf("state after patch: %s", st.Canonical())
	}
	if got := strings.Join(st.WaitingNames(7), ","); got != "Ben,Ana" {
		t.Fatalf("waiting %s, want Ben,Ana (by position)", got)
	}
	if st.Entry(1).Position != 2 {
		t.Fatalf("entry 1 not replaced: %+v", st.Entry(1))
	}
	if st.Balance == nil || st.Balance["ngo"] != balance["ngo"] {
		t.Fatal("a patch without a balance replaced the balance")
	}
}

// A withdrawn request leaves the list: the patch that withdraws it is the
// last the viewer hears of it (the server's state no longer holds it).
func TestPatchDropsAWithdrawnRequest(t *testing.T) {
	st := start(t)
	err := st.ApplyPatch(4, json.RawMessage(`{"current_item_id":7,"speakers":[
		{"id":1,"item_id":7,"name":"Ana","state":"withdrawn","position":0}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if st.Seq != 4 || len(st.Item(7).Speakers) != 0 || st.Entry(1) != nil {
		t.Fatalf("state after the withdrawal: %s", st.Canonical())
	}
	// A withdrawal the viewer never saw the request of (a replayed change)
	// leaves the list as it is.
	if err := st.ApplyPatch(5, json.RawMessage(`{"current_item_id":7,"speakers":[
		{"id":9,"item_id":7,"name":"Cy","state":"withdrawn","position":0}]}`)); err != nil || len(st.Item(7).Speakers) != 0 {
		t.Fatalf("unknown withdrawn entry: %v %s", err, st.Canonical())
	}
}

func TestPatchAppendsAddedItemsAndSetsHeadersOnThem(t *testing.T) {
	st := start(t)
	err := st.ApplyPatch(4, json.RawMessage(`{"current_item_id":7,
		"added_items":[{"id":9,"title":"Law","speaking_time_seconds":120,"speakers":[]}],
		"items":[{"id":9,"closed":true}],
		"speakers":[{"id":5,"item_id":9,"name":"Cy","state":"waiting","position":1}]}`))
	if err != nil {
		t.Fatal(err)
	}
	ids := []uint{}
	for _, it := range st.Items {
		ids = append(ids, it.ID)
	}
	if !slices.Equal(ids, []uint{7, 9}) || !st.Item(9).Closed || len(st.Item(9).Speakers) != 1 {
		t.Fatalf("state after patch: %s", st.Canonical())
	}
}

func TestPatchNamingAnUnknownItemIsRefusedWhole(t *testing.T) {
	for name, data := range map[string]string{
		"header":  `{"current_item_id":8,"items":[{"id":8,"closed":true}]}`,
		"speaker": `{"current_item_id":8,"speakers":[{"id":2,"item_id":7,"state":"waiting","position":2},{"id":3,"item_id":8,"state":"waiting","position":1}]}`,
		"garbage": `{"speakers":7}`,
	} {
		t.Run(name, func(t *testing.T) {
			st := start(t)
			before := st.Canonical()
			if err := st.ApplyPatch(4, json.RawMessage(data)); err == nil {
				t.Fatal("patch accepted")
			}
			if after := st.Canonical(); after != before {
				t.Fatalf("a refused patch changed the state:\n%s\n%s", before, after)
			}
		})
	}
}

func TestFollowReplacesOnStateAppliesTheNextPatchAndRefusesAGap(t *testing.T) {
	st := start(t)
	if ok, err := st.Follow(Message{Type: "ack", ID: "1"}); ok || err != nil {
		t.Fatalf("ack: %v %v", ok, err)
	}
	if ok, err := st.Follow(Message{Type: "patch", Seq: 5, Data: json.RawMessage(`{}`)}); !ok || err == nil {
		t.Fatalf("patch 5 after 3: %v %v", ok, err)
	}
	if ok, err := st.Follow(Message{Type: "patch", Seq: 4, Data: json.RawMessage(`{"current_item_id":null}`)}); !ok || err != nil || st.Seq != 4 || st.CurrentItemID != nil {
		t.Fatalf("patch 4 after 3: %v %v %s", ok, err, st.Canonical())
	}
	if _, err := st.Follow(Message{Type: "state", Seq: 9, Data: json.RawMessage(`{"seq":8,"items":[]}`)}); err == nil || st.Seq != 4 {
		t.Fatalf("state whose data disagrees with its seq: %v, seq %d", err, st.Seq)
	}
	if ok, err := st.Follow(Message{Type: "state", Seq: 9, Data: json.RawMessage(`{"seq":9,"items":[]}`)}); !ok || err != nil || st.Seq != 9 || len(st.Items) != 0 {
		t.Fatalf("state 9: %v %v %s", ok, err, st.Canonical())
	}
}

func TestCanonicalLeavesOutTheServerTime(t *testing.T) {
	a, b := start(t), start(t)
	b.ServerTime = b.ServerTime.Add(1e9)
	if a.Canonical() != b.Canonical() {
		t.Fatal("two reads of one state differ")
	}
	if !a.ServerTime.Equal(b.ServerTime.Add(-1e9)) {
		t.Fatal("Canonical changed the state's server time")
	}
}
