package live

import (
	"context"
	"testing"
	"time"

	"rostrum/models"
)

// BenchmarkCommandAddAndWithdraw measures the whole write path of a
// change on SQLite: lock, load, rules, write, audit row with its patch.
func BenchmarkCommandAddAndWithdraw(b *testing.B) {
	l := newLiveDB(b, NewLocalFeed())
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		res, err := l.svc.Do(ctx, l.mod, l.meeting, Command{Action: ActAddSpeaker, ItemID: l.item, RegistrationID: l.regs[0]})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := l.svc.Do(ctx, l.mod, l.meeting, Command{Action: ActRemoveSpeaker, SpeakerID: res.Speaker.ID}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRulesReorder100 measures the rules alone on a list of 100
// waiting speakers.
func BenchmarkRulesReorder100(b *testing.B) {
	f := newFloor()
	var ids []uint
	for i := range 100 {
		e, _ := f.AddSpeaker(t0, 10, Speaker{RegistrationID: uint(i + 1), Name: "S", Approved: true}, models.KindStatement, 0)
		e.ID = uint(i + 1)
		ids = append(ids, e.ID)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		ids[0], ids[99] = ids[99], ids[0]
		f.touchedEntries = f.touchedEntries[:0]
		if err := f.Reorder(10, ids); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEncodeChange measures encoding one change for all viewers
// (once per audience).
func BenchmarkEncodeChange(b *testing.B) {
	ev := &models.LiveEvent{Seq: 42, At: t0, Actor: "staff:mod@example.org", Action: ActNext,
		Patch: `{"current_item_id":1,"items":[{"id":1,"closed":false,"timer":null}],"speakers":[]}`}
	now := time.Now()
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		encodeChange(ev, now)
	}
}
