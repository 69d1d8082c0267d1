package live

import (
	"context"
	"fmt"
	"log/slog"
	"runtime"
	"sync/atomic"
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

// BenchmarkModeratorCommandAfterHistory measures one moderator command
// (extending a waiting speaker's time: lock, load, rules, write, audit)
// on a list with three waiting speakers and a history of 0 or 2,000
// request/withdraw cycles behind it; state-bytes is the size of the full
// state viewers receive. Neither may grow with the history.
func BenchmarkModeratorCommandAfterHistory(b *testing.B) {
	for _, history := range []int{0, 2000} {
		b.Run(fmt.Sprintf("withdrawn=%d", history), func(b *testing.B) {
			l := newLiveDB(b, NewLocalFeed())
			ctx := context.Background()
			for i := range history {
				l.cycle(b, l.regs[i%len(l.regs)])
			}
			var waiting []uint
			for _, r := range l.regs {
				res, err := l.svc.Do(ctx, l.mod, l.meeting, Command{Action: ActAddSpeaker, ItemID: l.item, RegistrationID: r})
				if err != nil {
					b.Fatal(err)
				}
				waiting = append(waiting, res.Speaker.ID)
			}
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if _, err := l.svc.Do(ctx, l.mod, l.meeting, Command{Action: ActExtend, SpeakerID: waiting[i%len(waiting)], Seconds: 1}); err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			_, body, err := l.svc.StateJSON(ctx, l.meeting)
			if err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(float64(len(body)), "state-bytes")
		})
	}
}

// BenchmarkNextOnAListOf64 measures the moderator's Next on a list of 64
// waiting speakers, as a real meeting's moderator presses it: each Next
// adds one speech to the history the list holds, and the one who spoke
// asks for the floor again (not timed) so that 64 keep waiting.
func BenchmarkNextOnAListOf64(b *testing.B) {
	l, _ := withSpeakers(b, 64)
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		res, err := l.svc.Do(ctx, l.mod, l.meeting, Command{Action: ActNext, ItemID: l.item})
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		if _, err := l.svc.Do(ctx, l.mod, l.meeting, Command{Action: ActAddSpeaker, ItemID: l.item, RegistrationID: res.Speaker.RegistrationID}); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
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

// countConn counts the frames written to it (a viewer's connection with no
// network), and tells when a viewer has written everything up to a seq.
type countConn struct {
	written *atomic.Int64
}

func (c countConn) WriteFrame(Frame) error { c.written.Add(1); return nil }
func (c countConn) Cut()                   {}

// BenchmarkFanOut1000 measures the hub's part of one change reaching
// 1,000 viewers: queueing the encoded change for each viewer and each
// viewer's writer handing it to its connection (no network here; the
// loopback write the load tool measures comes on top). B/op is what one
// change costs in memory across the 1,000.
func BenchmarkFanOut1000(b *testing.B) {
	const viewers = 1000
	l := newLiveDB(b, NewLocalFeed())
	h := NewHub(l.svc, NewLocalFeed(), slog.New(slog.DiscardHandler))
	h.PingInterval, h.CheckInterval, h.SendBuffer = time.Hour, time.Hour, 64
	var written atomic.Int64
	for range viewers {
		v, err := h.Join(context.Background(), l.meeting, false, nil, countConn{&written})
		if err != nil {
			b.Fatal(err)
		}
		defer v.Leave()
	}
	wait := func(n int64) {
		for written.Load() < n {
			runtime.Gosched()
		}
	}
	wait(viewers) // every viewer has its state
	r := h.rooms[l.meeting]
	seq := r.lastSeq
	msg := []byte(`{"type":"patch","seq":1,"data":{"items":[]}}`)
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		seq++
		r.fanOut(&broadcast{seq: seq, public: msg, staff: msg})
		wait(int64(viewers * (i + 2)))
	}
}
