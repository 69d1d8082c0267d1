package handlers_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"rostrum/app"
	"rostrum/internal/livetest"
	"rostrum/internal/testenv"
	"rostrum/models"
)

// TestLiveConcurrentCommandsKeepTheListConsistent has many participants
// ask for the floor and withdraw at once (over websocket and REST) while
// the moderator moves the list on; positions stay unique, one person
// speaks at most, the seq has no gap, and a viewer ends with the server's
// state.
func TestLiveConcurrentCommandsKeepTheListConsistent(t *testing.T) {
	e := testenv.New(t)
	lm := newLiveMeeting(t, e, "m")
	item := lm.items[0]
	watcher := liveConnect(t, e, lm.slug)
	const n, rounds = 12, 4
	var wg sync.WaitGroup
	var acks atomic.Int64
	errs := make(chan error, n*rounds*4)
	for i := range n {
		_, tok := lm.participant(t, fmt.Sprintf("P%02d", i), models.OrganizationTypes[i%len(models.OrganizationTypes)], models.StatusApproved)
		wg.Add(1)
		go func() {
			defer wg.Done()
			if i%2 == 0 { // over REST
				p := e.Participant(tok)
				for range rounds {
					r := p.Do("POST", lm.path("/agenda/%d/speakers", item), nil)
					if r.Status != 201 {
						errs <- fmt.Errorf("REST add: %d %s", r.Status, r.Body)
						continue
					}
					acks.Add(1)
					var res liveResult
					_ = json.Unmarshal(r.Body, &res)
					r = p.Do("DELETE", lm.path("/agenda/%d/speakers/%d", item, res.Speaker.ID), nil)
					if r.Status == 200 {
						acks.Add(1)
					} else if r.Status != 409 { // the moderator may have given them the floor
						errs <- fmt.Errorf("REST withdraw: %d %s", r.Status, r.Body)
					}
				}
				return
			}
			c, _, err := dialLive(t, e, lm.slug, liveWithToken(tok))
			if err != nil {
				errs <- err
				return
			}
			defer c.Close()
			_ = c.SetReadDeadline(time.Now().Add(30 * time.Second))
			send := func(id string, cmd map[string]any) (livetest.Message, error) {
				cmd["type"], cmd["id"] = "cmd", id
				if err := c.WriteJSON(cmd); err != nil {
					return livetest.Message{}, err
				}
				for {
					var m livetest.Message
					if err := c.ReadJSON(&m); err != nil {
						return m, err
					}
					if m.ID == id && (m.Type == "ack" || m.Type == "error") {
						return m, nil
					}
				}
			}
			for r := range rounds {
				m, err := send(fmt.Sprintf("a%d", r), map[string]any{"action": "add_speaker", "item_id": item})
				if err != nil || m.Type != "ack" {
					errs <- fmt.Errorf("ws add: %v %+v", err, m)
					continue
				}
				acks.Add(1)
				m, err = send(fmt.Sprintf("w%d", r), map[string]any{"action": "remove_speaker", "speaker_id": m.Speaker.ID})
				if err != nil || (m.Type != "ack" && m.Code != "not_waiting") {
					errs <- fmt.Errorf("ws withdraw: %v %+v", err, m)
				} else if m.Type == "ack" {
					acks.Add(1)
				}
			}
		}()
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		for range 2 * rounds {
			r := lm.mod.Do("POST", lm.path("/agenda/%d/next", item), nil)
			if r.Status == 200 {
				acks.Add(1)
			} else if r.Status != 409 {
				errs <- fmt.Errorf("next: %d %s", r.Status, r.Body)
			}
		}
	}()
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	st := lm.state(t)
	if st.Seq != acks.Load() {
		t.Fatalf("seq %d after %d acknowledged changes", st.Seq, acks.Load())
	}
	watcher.untilSeq(st.Seq) // fails on any gap
	if watcher.state.Canonical() != st.Canonical() {
		t.Fatal("the watcher's state differs from the server's")
	}
	speaking, positions := 0, map[int]bool{}
	for _, it := range st.Items {
		waitingPeople := map[uint]bool{}
		for _, e := range it.Speakers {
			switch e.State {
			case models.SpeakerSpeaking:
				speaking++
			case models.SpeakerWaiting:
				if positions[e.Position] || e.Position < 1 || waitingPeople[e.RegistrationID] {
					t.Fatalf("duplicate position or person: %+v", e)
				}
				positions[e.Position], waitingPeople[e.RegistrationID] = true, true
			}
		}
	}
	for p := 1; p <= len(positions); p++ {
		if !positions[p] {
			t.Fatalf("positions not 1..n: %v", positions)
		}
	}
	if speaking > 1 {
		t.Fatalf("%d speakers at once", speaking)
	}
	var events int64
	e.App.DB.Model(&models.LiveEvent{}).Where("meeting_id = ?", lm.id).Count(&events)
	if events != st.Seq {
		t.Fatalf("%d audit rows for seq %d", events, st.Seq)
	}
}

// TestLiveSlowViewerIsDroppedWithoutDelayingOthers connects a viewer that
// never reads. Each change must reach the other viewer before the next is
// made, all along; the slow one is dropped once its queue is full.
func TestLiveSlowViewerIsDroppedWithoutDelayingOthers(t *testing.T) {
	e := testenv.New(t, func(c *app.Config) { c.LiveSendBuffer = 2 })
	lm := newLiveMeeting(t, e, "m")
	item := lm.items[0]
	var ids []uint
	for i := range 40 {
		r, _ := lm.participant(t, fmt.Sprintf("Speaker with a rather long name %02d", i), "ngo", models.StatusApproved)
		var res liveResult
		lm.mod.MustJSON("POST", lm.path("/agenda/%d/speakers", item), map[string]any{"registration_id": r.ID}, 201, &res)
		ids = append(ids, res.Speaker.ID)
	}
	fast := liveConnect(t, e, lm.slug)
	d := websocket.Dialer{NetDialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
		c, err := (&net.Dialer{}).DialContext(ctx, network, addr)
		if tc, ok := c.(*net.TCPConn); ok {
			_ = tc.SetReadBuffer(1024) // fill up soon
		}
		return c, err
	}}
	slow, _, err := d.Dial("ws"+e.URL[len("http"):]+"/ws/meetings/"+lm.slug, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer slow.Close()
	// It reads its first message, the state (so it has joined), and then
	// nothing more.
	if _, _, err := slow.ReadMessage(); err != nil {
		t.Fatal(err)
	}
	if got := e.App.Hub.Viewers(lm.id); got != 2 {
		t.Fatalf("%d viewers", got)
	}
	seq := fast.state.Seq
	for round := 0; e.App.Hub.Viewers(lm.id) > 1; round++ {
		if round > 5000 {
			t.Fatal("the slow viewer was never dropped")
		}
		// The slow viewer asks for the full state again (it writes, never
		// reads): the server's writes to it back up, while the changes
		// queue for it until there are too many.
		// (Once dropped, its writes fail: the loop ends on the count.)
		_ = slow.WriteMessage(websocket.TextMessage, []byte(`{"type":"resync"}`))
		slices.Reverse(ids)
		lm.mod.MustJSON("POST", lm.path("/agenda/%d/speakers/order", item), map[string]any{"ids": ids}, 200, nil)
		seq++
		fast.untilSeq(seq) // every change reaches the fast viewer before the next
	}
	// Its connection is closed: what it writes is refused. (What the
	// server had sent before may still trickle in, so reading proves
	// nothing.)
	_ = slow.SetWriteDeadline(time.Now().Add(10 * time.Second))
	for i := 0; ; i++ {
		if err := slow.WriteMessage(websocket.TextMessage, []byte(`{"type":"resync"}`)); err != nil {
			break
		}
		if i > 10000 {
			t.Fatal("the slow viewer's connection is still open")
		}
	}
	lm.mod.MustJSON("POST", lm.path("/agenda/%d/close", item), nil, 200, nil)
	fast.untilSeq(seq + 1)
}

func TestLiveViewersArePinged(t *testing.T) {
	e := testenv.New(t, func(c *app.Config) { c.LivePingInterval = 20 * time.Millisecond })
	lm := newLiveMeeting(t, e, "m")
	v := liveConnect(t, e, lm.slug)
	pings := make(chan struct{}, 100)
	v.conn.SetPingHandler(func(data string) error {
		pings <- struct{}{}
		return v.conn.WriteControl(websocket.PongMessage, []byte(data), time.Now().Add(time.Second))
	})
	go func() {
		for {
			if _, _, err := v.conn.ReadMessage(); err != nil {
				return
			}
		}
	}()
	for range 3 {
		select {
		case <-pings:
		case <-time.After(10 * time.Second):
			t.Fatal("no ping")
		}
	}
}

func TestLiveViewerThatStopsAnsweringPingsIsDropped(t *testing.T) {
	e := testenv.New(t, func(c *app.Config) { c.LivePingInterval = 20 * time.Millisecond })
	lm := newLiveMeeting(t, e, "m")
	v := liveConnect(t, e, lm.slug)
	v.conn.SetPingHandler(func(string) error { return nil }) // never pongs
	_ = v.conn.SetReadDeadline(time.Now().Add(20 * time.Second))
	for {
		if _, _, err := v.conn.ReadMessage(); err != nil {
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				t.Fatal("a viewer that never answers pings was not dropped")
			}
			break
		}
	}
}
