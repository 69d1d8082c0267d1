package audit

import (
	"testing"
	"time"
)

func TestMergeIsNewestFirstKeepsTiesInLogOrderAndStopsAtTheLimit(t *testing.T) {
	t0 := time.Date(2030, 12, 2, 10, 0, 0, 0, time.UTC)
	at := func(min int) time.Time { return t0.Add(time.Duration(min) * time.Minute) }
	live := []Event{{Seq: 3, At: at(5), Action: "next"}, {Seq: 2, At: at(3), Action: "start"}, {Seq: 1, At: at(1), Action: "add_speaker"}}
	other := []Event{{At: at(4), Action: "edit_meeting"}, {At: at(3), Action: "decide_registration"}, {At: at(0), Action: "approve_summary"}}
	got := Merge(5, live, other)
	want := []string{"next", "edit_meeting", "start", "decide_registration", "add_speaker"}
	if len(got) != len(want) {
		t.Fatalf("%d lines, want %d", len(got), len(want))
	}
	for i, w := range want {
		if got[i].Action != w {
			t.Fatalf("line %d is %s, want %s (%+v)", i, got[i].Action, w, got)
		}
	}
}
