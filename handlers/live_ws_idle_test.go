package handlers_test

import (
	"errors"
	"net"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"rostrum/app"
	"rostrum/internal/testenv"
	"rostrum/models"
)

// An idle viewer holds its read loop and nothing else: the writer runs
// only while something is queued for it (issue 6, memory per viewer).
func TestIdleLiveViewersHoldNoWriterGoroutine(t *testing.T) {
	e := testenv.New(t)
	lm := newLiveMeeting(t, e, "m")
	liveConnect(t, e, lm.slug) // warm up the server's workers
	const n = 60
	base := runtime.NumGoroutine()
	viewers := make([]*liveViewer, n)
	for i := range viewers {
		viewers[i] = liveConnect(t, e, lm.slug)
	}
	// One goroutine per viewer (its read loop), plus a little slack for
	// the server's own workers; a writer per viewer would be 2n.
	limit := base + n + n/4
	deadline := time.Now().Add(5 * time.Second)
	for {
		got := runtime.NumGoroutine()
		if got <= limit {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d goroutines with %d idle viewers, from %d before them; want at most %d", got, n, base, limit)
		}
		runtime.Gosched()
		time.Sleep(10 * time.Millisecond)
	}
	// A change wakes a writer for each of them, once.
	_, tok := lm.participant(t, "Ana", "ngo", models.StatusApproved)
	e.Participant(tok).MustJSON("POST", lm.path("/agenda/%d/speakers", lm.items[0]), nil, 201, nil)
	for _, v := range viewers {
		v.untilSeq(1)
	}
}

// One ticker in the hub pings every viewer, a bucket of them at a time:
// each of more viewers than there are buckets gets its pings, and keeps
// its connection; one that stops answering is dropped once its read
// deadline (two intervals and a second) passes.
func TestHubWidePingsReachEveryViewerAndDropOnlyTheSilentOne(t *testing.T) {
	e := testenv.New(t, func(c *app.Config) { c.LivePingInterval = 50 * time.Millisecond })
	lm := newLiveMeeting(t, e, "m")
	const answering = 12
	pings := make([]atomic.Int32, answering)
	ended := make(chan int, answering)
	for i := range answering {
		v := liveConnect(t, e, lm.slug)
		v.conn.SetPingHandler(func(data string) error {
			pings[i].Add(1)
			return v.conn.WriteControl(websocket.PongMessage, []byte(data), time.Now().Add(time.Second))
		})
		go func() { // reading runs the ping handler
			for {
				if _, _, err := v.conn.ReadMessage(); err != nil {
					ended <- i
					return
				}
			}
		}()
	}
	silent := liveConnect(t, e, lm.slug)
	silent.conn.SetPingHandler(func(string) error { return nil }) // never answers
	_ = silent.conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	for {
		if _, _, err := silent.conn.ReadMessage(); err != nil {
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				t.Fatal("a viewer that answers no pings was not dropped")
			}
			break
		}
	}
	deadline := time.Now().Add(5 * time.Second)
	for e.App.Hub.Viewers(lm.id) != answering {
		if time.Now().After(deadline) {
			t.Fatalf("%d viewers, want the %d answering ones", e.App.Hub.Viewers(lm.id), answering)
		}
		time.Sleep(10 * time.Millisecond)
	}
	select {
	case i := <-ended:
		t.Fatalf("answering viewer %d was dropped", i)
	default:
	}
	// Over a second at 50 ms: about 20 pings each.
	for i := range pings {
		if n := pings[i].Load(); n < 10 {
			t.Fatalf("answering viewer %d got %d pings", i, n)
		}
	}
}
