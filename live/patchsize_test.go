package live

import (
	"context"
	"fmt"
	"testing"
	"time"

	"rostrum/auth"
	"rostrum/models"
)

// withSpeakers is a meeting whose first item has n waiting speakers, each
// of their own organization, and one more registration approved to join.
func withSpeakers(t testing.TB, n int) (*liveDB, []uint) {
	t.Helper()
	l := newLiveDB(t, NewLocalFeed())
	db := l.svc.DB
	var regs []uint
	for i := range n + 1 {
		org := models.Organization{Name: fmt.Sprintf("Organization of speaker %02d", i), NameKey: fmt.Sprintf("org%02d", i),
			Type: models.OrganizationTypes[i%len(models.OrganizationTypes)], Country: "CH"}
		if err := db.Create(&org).Error; err != nil {
			t.Fatal(err)
		}
		r := models.Registration{MeetingID: l.meeting, OrganizationID: org.ID, Name: fmt.Sprintf("Speaker Number %02d", i),
			Email: fmt.Sprintf("s%02d@example.org", i), Status: models.StatusApproved, TokenHash: auth.HashToken(fmt.Sprint(i)), ConsentAt: t0}
		if err := db.Create(&r).Error; err != nil {
			t.Fatal(err)
		}
		regs = append(regs, r.ID)
	}
	for _, id := range regs[:n] {
		l.do(t, Command{Action: ActAddSpeaker, ItemID: l.item, RegistrationID: id})
	}
	return l, regs
}

// patchOf runs cmd and returns the patch message every public viewer
// receives for it, as the hub encodes it.
func patchOf(t testing.TB, l *liveDB, cmd Command) []byte {
	t.Helper()
	seq := l.do(t, cmd)
	evs, err := l.svc.Events(context.Background(), l.meeting, seq-1, 1)
	if err != nil || len(evs) != 1 {
		t.Fatalf("event %d: %v", seq, err)
	}
	return encodeChange(&evs[0], time.Now()).public
}

// The moderator's commands on a list of 64 waiting speakers send what
// changed, not the list: Next at most 1 KB, a reorder of all 64 at most
// 2 KB (the size is deterministic, so it is asserted here; the time is
// measured by the benchmarks and the load tool).
func TestPatchesOnAListOf64CostWhatChanged(t *testing.T) {
	l, regs := withSpeakers(t, 64)
	st, err := l.svc.State(context.Background(), l.meeting)
	if err != nil {
		t.Fatal(err)
	}
	var ids []uint
	for _, e := range st.Items[0].Speakers {
		ids = append([]uint{e.ID}, ids...) // the reverse order
	}
	for _, c := range []struct {
		name string
		cmd  Command
		max  int
	}{
		{"next (first speaker)", Command{Action: ActNext, ItemID: l.item}, 1024},
		{"next", Command{Action: ActNext, ItemID: l.item}, 1024},
		{"pause", Command{Action: ActPause, SpeakerID: ids[len(ids)-2]}, 1024},
		{"withdraw from the middle", Command{Action: ActRemoveSpeaker, SpeakerID: ids[20]}, 1024},
		{"join the end", Command{Action: ActAddSpeaker, ItemID: l.item, RegistrationID: regs[64]}, 1024},
	} {
		if n := len(patchOf(t, l, c.cmd)); n > c.max {
			t.Errorf("%s on a list of 64 sends %d bytes, want at most %d", c.name, n, c.max)
		} else {
			t.Logf("%s: %d bytes", c.name, n)
		}
	}
	st, _ = l.svc.State(context.Background(), l.meeting)
	var waiting []uint
	for _, e := range st.Items[0].Speakers {
		if e.State == models.SpeakerWaiting {
			waiting = append([]uint{e.ID}, waiting...)
		}
	}
	if n := len(patchOf(t, l, Command{Action: ActReorder, ItemID: l.item, IDs: waiting})); n > 2048 {
		t.Errorf("reordering %d waiting sends %d bytes, want at most 2048", len(waiting), n)
	} else {
		t.Logf("reorder of %d: %d bytes", len(waiting), n)
	}
}

// BenchmarkPatchBytes64 reports the bytes each of the moderator's commands
// sends every viewer on a list of 64 waiting speakers (bytes/change), and
// the time the command takes, so that benchstat shows a patch growing.
func BenchmarkPatchBytes64(b *testing.B) {
	for _, action := range []string{ActNext, ActPause, ActReorder} {
		b.Run(action, func(b *testing.B) {
			l, _ := withSpeakers(b, 64)
			l.do(b, Command{Action: ActNext, ItemID: l.item})
			var size int
			paused := false
			for i := 0; i < b.N; i++ {
				var cmd Command
				switch action {
				case ActNext:
					st, _ := l.svc.State(context.Background(), l.meeting)
					if len(waitingIDs(st)) < 2 {
						b.StopTimer()
						l, _ = withSpeakers(b, 64)
						b.StartTimer()
					}
					cmd = Command{Action: ActNext, ItemID: l.item}
				case ActPause:
					st, _ := l.svc.State(context.Background(), l.meeting)
					cmd = Command{Action: ActPause, SpeakerID: speakingID(st)}
					if paused {
						cmd.Action = ActResume
					}
					paused = !paused
				case ActReorder:
					st, _ := l.svc.State(context.Background(), l.meeting)
					ids := waitingIDs(st)
					ids = append(ids[1:], ids[0])
					cmd = Command{Action: ActReorder, ItemID: l.item, IDs: ids}
				}
				size = len(patchOf(b, l, cmd))
			}
			b.ReportMetric(float64(size), "bytes/change")
		})
	}
}

func waitingIDs(st *State) []uint {
	var ids []uint
	for _, e := range st.Items[0].Speakers {
		if e.State == models.SpeakerWaiting {
			ids = append(ids, e.ID)
		}
	}
	return ids
}

func speakingID(st *State) uint {
	for _, e := range st.Items[0].Speakers {
		if e.State == models.SpeakerSpeaking {
			return e.ID
		}
	}
	return 0
}
