package faults_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"sync"
	"time"

	"github.com/gorilla/websocket"

	"rostrum/internal/apiclient"
	"rostrum/internal/livetest"
)

// reconnectingViewer is a websocket viewer that behaves as the pages do:
// it keeps its state up to date from state and patch messages, asks for a
// resync when it sees a gap, and when the connection drops it reconnects
// by itself with backoff.
type reconnectingViewer struct {
	name   string
	wsURL  string
	header http.Header

	mu       sync.Mutex
	state    livetest.State
	connects int
	changed  chan struct{} // closed and replaced on every change
	lastErr  error
	stopped  chan struct{}
}

func newViewer(name, base, slug, token string, cookie string) *reconnectingViewer {
	u := apiclient.LiveURL(base, slug, token)
	h := http.Header{}
	if cookie != "" {
		h.Set("Cookie", cookie)
	}
	return &reconnectingViewer{name: name, wsURL: u, header: h, changed: make(chan struct{}), stopped: make(chan struct{})}
}

func (v *reconnectingViewer) run(ctx context.Context) {
	defer close(v.stopped)
	backoff := 25 * time.Millisecond
	for ctx.Err() == nil {
		d := websocket.Dialer{HandshakeTimeout: 2 * time.Second}
		conn, _, err := d.DialContext(ctx, v.wsURL, v.header)
		if err != nil {
			v.note(err)
			select {
			case <-ctx.Done():
				return
			case <-time.After(backoff): // the client's reconnect backoff, not a test wait
			}
			backoff = min(backoff*2, 500*time.Millisecond)
			continue
		}
		backoff = 25 * time.Millisecond
		v.mu.Lock()
		v.connects++
		v.mu.Unlock()
		stop := context.AfterFunc(ctx, func() { conn.Close() })
		v.read(conn)
		stop()
		conn.Close()
	}
}

func (v *reconnectingViewer) read(conn *websocket.Conn) {
	for {
		var m livetest.Message
		if err := conn.ReadJSON(&m); err != nil {
			v.note(err)
			return
		}
		v.mu.Lock()
		followed, err := v.state.Follow(m)
		if err != nil {
			// A gap, or a patch or state it cannot apply: ask for the
			// full state, as a page does.
			v.mu.Unlock()
			if err := conn.WriteJSON(map[string]string{"type": "resync"}); err != nil {
				v.note(err)
				return
			}
			continue
		}
		if !followed {
			v.mu.Unlock()
			continue
		}
		close(v.changed)
		v.changed = make(chan struct{})
		v.mu.Unlock()
	}
}

func (v *reconnectingViewer) note(err error) {
	v.mu.Lock()
	v.lastErr = err
	v.mu.Unlock()
}

// snapshot returns the viewer's state, its connection count and a channel
// closed at its next change.
func (v *reconnectingViewer) snapshot() (livetest.State, int, <-chan struct{}) {
	v.mu.Lock()
	defer v.mu.Unlock()
	var st livetest.State
	b, _ := json.Marshal(v.state)
	_ = json.NewDecoder(bytes.NewReader(b)).Decode(&st)
	return st, v.connects, v.changed
}
