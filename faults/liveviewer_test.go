package faults_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/gorilla/websocket"

	"rostrum/live"
)

// liveState is the state of a meeting's live list as GET .../live and the
// websocket's state messages carry it (server_time left out: it is the
// only field that differs between two reads of one state).
type liveState struct {
	Seq           int64                        `json:"seq"`
	CurrentItemID *uint                        `json:"current_item_id"`
	Items         []liveItem                   `json:"items"`
	Balance       map[string]*live.TypeBalance `json:"balance"`
}

type liveItem struct {
	ID                  uint          `json:"id"`
	Title               string        `json:"title"`
	SpeakingTimeSeconds int           `json:"speaking_time_seconds"`
	Closed              bool          `json:"closed"`
	Speakers            []*live.Entry `json:"speakers"`
	Timer               *live.Timer   `json:"timer"`
}

// canonical is the state as comparable JSON.
func (st *liveState) canonical() string {
	b, _ := json.Marshal(st)
	return string(b)
}

func (st *liveState) item(id uint) *liveItem {
	for i := range st.Items {
		if st.Items[i].ID == id {
			return &st.Items[i]
		}
	}
	return nil
}

// applyPatch applies a patch message, as the pages' livestate.js does.
func (st *liveState) applyPatch(seq int64, data json.RawMessage) bool {
	var p struct {
		CurrentItemID *uint                        `json:"current_item_id"`
		Items         []live.ItemHeader            `json:"items"`
		Speakers      []*live.Entry                `json:"speakers"`
		Balance       map[string]*live.TypeBalance `json:"balance"`
		AddedItems    []liveItem                   `json:"added_items"`
	}
	if json.Unmarshal(data, &p) != nil {
		return false
	}
	st.Seq = seq
	st.CurrentItemID = p.CurrentItemID
	for _, it := range p.AddedItems {
		if st.item(it.ID) == nil {
			st.Items = append(st.Items, it)
		}
	}
	for _, h := range p.Items {
		it := st.item(h.ID)
		if it == nil {
			return false
		}
		it.Closed, it.Timer = h.Closed, h.Timer
	}
	for _, e := range p.Speakers {
		it := st.item(e.AgendaItemID)
		if it == nil {
			return false
		}
		if i := slices.IndexFunc(it.Speakers, func(x *live.Entry) bool { return x.ID == e.ID }); i >= 0 {
			it.Speakers[i] = e
		} else {
			it.Speakers = append(it.Speakers, e)
		}
		slices.SortStableFunc(it.Speakers, live.CompareEntries)
	}
	if p.Balance != nil {
		st.Balance = p.Balance
	}
	return true
}

// reconnectingViewer is a websocket viewer that behaves as the pages do:
// it keeps its state up to date from state and patch messages, asks for a
// resync when it sees a gap, and when the connection drops it reconnects
// by itself with backoff.
type reconnectingViewer struct {
	name   string
	wsURL  string
	header http.Header

	mu       sync.Mutex
	state    liveState
	connects int
	changed  chan struct{} // closed and replaced on every change
	lastErr  error
	stopped  chan struct{}
}

func newViewer(name, base, slug, token string, cookie string) *reconnectingViewer {
	u := "ws" + strings.TrimPrefix(base, "http") + "/ws/meetings/" + slug
	if token != "" {
		u += "?token=" + url.QueryEscape(token)
	}
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

type liveMessage struct {
	Type string          `json:"type"`
	Seq  int64           `json:"seq"`
	Data json.RawMessage `json:"data"`
}

func (v *reconnectingViewer) read(conn *websocket.Conn) {
	for {
		var m liveMessage
		if err := conn.ReadJSON(&m); err != nil {
			v.note(err)
			return
		}
		v.mu.Lock()
		switch m.Type {
		case "state":
			var st liveState
			if err := json.Unmarshal(m.Data, &st); err == nil {
				v.state = st
			}
		case "patch":
			if m.Seq != v.state.Seq+1 || !v.state.applyPatch(m.Seq, m.Data) {
				// A gap: ask for the full state.
				v.mu.Unlock()
				if err := conn.WriteJSON(map[string]string{"type": "resync"}); err != nil {
					v.note(err)
					return
				}
				continue
			}
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
func (v *reconnectingViewer) snapshot() (liveState, int, <-chan struct{}) {
	v.mu.Lock()
	defer v.mu.Unlock()
	var st liveState
	b, _ := json.Marshal(v.state)
	_ = json.NewDecoder(bytes.NewReader(b)).Decode(&st)
	return st, v.connects, v.changed
}
