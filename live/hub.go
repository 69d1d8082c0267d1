package live

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"strconv"
	"sync"
	"time"

	"rostrum/models"
)

// The hub fans each change out to every viewer of its meeting. A change
// is read from the database once (the patch stored with it) and encoded
// once per audience (public, staff); every viewer's connection gets the
// same bytes through its own bounded queue. A viewer whose queue is full
// is dropped at once, so a slow or dead viewer never delays the others;
// it reconnects and gets the full state.
//
// Messages to viewers (JSON text frames):
//
//	{"type":"state","seq":N,"you":{...},"data":<State>}
//	{"type":"patch","seq":N,"server_time":T,"data":<Patch>[,"by":{"actor","action","at"}]}
//
// A viewer's connection writes seq N+1 only after N; a gap (a lost
// notification, a viewer that joined mid-change) turns into a full state
// instead, so a viewer never shows anything but a state the server had.

// Close codes of the websocket connections the hub ends.
const (
	CloseGoingAway  = 1001 // the server shuts down
	CloseTryLater   = 1013 // the viewer fell behind; reconnect
	CloseInternal   = 1011 // the state could not be read
	ClosePolicy     = 1008 // the viewer sent commands without reading the answers
	maxCatchUpBatch = 256
)

// ErrClosing is returned by Join while the hub shuts down.
var ErrClosing = errors.New("live: the server is shutting down")

// Hub holds the viewers of every meeting and fans changes out to them.
type Hub struct {
	Service *Service
	Feed    Feed
	Log     *slog.Logger
	// SendBuffer is how many messages may wait for one viewer before it is
	// dropped.
	SendBuffer int
	// PingInterval is how often viewers are pinged.
	PingInterval time.Duration
	// CheckInterval is how often the hub compares each watched meeting's
	// seq with what it has sent, healing lost notifications.
	CheckInterval time.Duration

	mu      sync.Mutex
	rooms   map[uint]*room
	closing bool
	viewers sync.WaitGroup
	cancel  context.CancelFunc
	done    chan struct{}
}

// NewHub returns a hub with default sizes.
func NewHub(s *Service, feed Feed, log *slog.Logger) *Hub {
	return &Hub{Service: s, Feed: feed, Log: log, SendBuffer: 64, PingInterval: 25 * time.Second,
		CheckInterval: 2 * time.Second, rooms: map[uint]*room{}}
}

type room struct {
	meetingID uint
	mu        sync.Mutex
	viewers   map[*Viewer]struct{}
	lastSeq   int64 // the last seq fanned out
}

// broadcast is one change encoded for both audiences.
type broadcast struct {
	seq           int64
	public, staff []byte
}

// Frame is what a viewer's connection writes next: a text message, a
// ping, or a close frame after which the connection ends.
type Frame struct {
	Data        []byte
	Ping        bool
	CloseCode   int
	CloseReason string
}

// Viewer is one websocket connection watching a meeting.
type Viewer struct {
	hub   *Hub
	room  *room
	staff bool
	you   json.RawMessage

	send    chan *broadcast
	replies chan []byte
	resync  chan struct{}
	done    chan struct{}
	ping    *time.Ticker
	once    sync.Once
	code    int
	reason  string
	onDrop  func()

	// written only by the goroutine calling Next
	seq       int64
	needState bool
}

// Start runs the hub's fan-out until Close.
func (h *Hub) Start() {
	ctx, cancel := context.WithCancel(context.Background())
	h.cancel = cancel
	h.done = make(chan struct{})
	changes, unsubscribe := h.Feed.Subscribe()
	go func() {
		defer close(h.done)
		defer unsubscribe()
		tick := time.NewTicker(h.CheckInterval)
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case c := <-changes:
				h.catchUp(ctx, c.MeetingID, c.Seq)
			case <-tick.C:
				for _, id := range h.watched() {
					seq, err := h.Service.Seq(ctx, id)
					if err == nil {
						h.catchUp(ctx, id, seq)
					}
				}
			}
		}
	}()
}

func (h *Hub) watched() []uint {
	h.mu.Lock()
	defer h.mu.Unlock()
	ids := make([]uint, 0, len(h.rooms))
	for id := range h.rooms {
		ids = append(ids, id)
	}
	return ids
}

// Join adds a viewer of meeting. staff viewers also get who made each
// change; you is the viewer's own part of the state message (role,
// registration). onDrop must end the connection at once (close its
// network connection): the hub calls it when the viewer falls behind.
func (h *Hub) Join(ctx context.Context, meetingID uint, staff bool, you any, onDrop func()) (*Viewer, error) {
	youJSON, err := json.Marshal(you)
	if err != nil {
		return nil, err
	}
	seq, err := h.Service.Seq(ctx, meetingID)
	if err != nil {
		return nil, err
	}
	v := &Viewer{
		hub: h, staff: staff, you: youJSON,
		send: make(chan *broadcast, h.SendBuffer), replies: make(chan []byte, 16),
		resync: make(chan struct{}, 1), done: make(chan struct{}),
		ping: time.NewTicker(h.PingInterval), onDrop: onDrop, needState: true,
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closing {
		v.ping.Stop()
		return nil, ErrClosing
	}
	r := h.rooms[meetingID]
	if r == nil {
		r = &room{meetingID: meetingID, viewers: map[*Viewer]struct{}{}, lastSeq: seq}
		h.rooms[meetingID] = r
	}
	r.mu.Lock()
	r.viewers[v] = struct{}{}
	r.mu.Unlock()
	v.room = r
	h.viewers.Add(1)
	return v, nil
}

// Viewers counts the viewers of meeting on this instance.
func (h *Hub) Viewers(meetingID uint) int {
	h.mu.Lock()
	r := h.rooms[meetingID]
	h.mu.Unlock()
	if r == nil {
		return 0
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.viewers)
}

// Leave removes v; its connection has ended.
func (v *Viewer) Leave() {
	v.end(0, "", false)
	h := v.hub
	h.mu.Lock()
	r := v.room
	r.mu.Lock()
	_, present := r.viewers[v]
	delete(r.viewers, v)
	empty := len(r.viewers) == 0
	r.mu.Unlock()
	if empty && h.rooms[r.meetingID] == r {
		delete(h.rooms, r.meetingID)
	}
	h.mu.Unlock()
	v.ping.Stop()
	if present {
		h.viewers.Done()
	}
}

// end closes v's queue once with a close frame; kill also ends its
// connection at once (the writer may be stuck on a slow network).
func (v *Viewer) end(code int, reason string, kill bool) {
	v.once.Do(func() {
		v.code, v.reason = code, reason
		close(v.done)
		if kill && v.onDrop != nil {
			v.onDrop()
		}
	})
}

// Resync asks for the full state to be sent next.
func (v *Viewer) Resync() {
	select {
	case v.resync <- struct{}{}:
	default: // one is already pending
	}
}

// Reply queues an answer to one of the viewer's commands. A viewer that
// sends commands without reading the answers is dropped.
func (v *Viewer) Reply(msg []byte) {
	select {
	case v.replies <- msg:
	default:
		v.end(ClosePolicy, "too many unread answers", true)
	}
}

// Next blocks until the viewer's connection has something to write, and
// returns it. Only the connection's writer goroutine calls it. A Frame
// with a CloseCode is the last.
func (v *Viewer) Next(ctx context.Context) Frame {
	for {
		if v.needState {
			msg, seq, err := v.hub.stateMessage(ctx, v)
			if err != nil {
				v.hub.Log.Error("live: read state for a viewer", "meeting", v.room.meetingID, "err", err)
				return Frame{CloseCode: CloseInternal, CloseReason: "state unavailable"}
			}
			v.needState, v.seq = false, seq
			return Frame{Data: msg}
		}
		select {
		case <-v.done:
			return Frame{CloseCode: max(v.code, CloseGoingAway), CloseReason: v.reason}
		case <-ctx.Done():
			return Frame{CloseCode: CloseGoingAway, CloseReason: "connection ends"}
		case msg := <-v.replies:
			return Frame{Data: msg}
		case <-v.resync:
			v.needState = true
		case b := <-v.send:
			if b.seq <= v.seq {
				continue // already in the state this viewer has
			}
			if b.seq != v.seq+1 {
				v.needState = true // a gap: send the full state instead
				continue
			}
			v.seq = b.seq
			if v.staff {
				return Frame{Data: b.staff}
			}
			return Frame{Data: b.public}
		case <-v.ping.C:
			return Frame{Ping: true}
		}
	}
}

// catchUp fans out the meeting's changes after what was last sent, up to
// at least seq.
func (h *Hub) catchUp(ctx context.Context, meetingID uint, seq int64) {
	h.mu.Lock()
	r := h.rooms[meetingID]
	h.mu.Unlock()
	if r == nil {
		return
	}
	for {
		r.mu.Lock()
		last := r.lastSeq
		r.mu.Unlock()
		if seq <= last {
			return
		}
		if seq-last > maxCatchUpBatch {
			// Too far behind to replay: everyone takes the full state.
			r.mu.Lock()
			r.lastSeq = seq
			for v := range r.viewers {
				v.Resync()
			}
			r.mu.Unlock()
			return
		}
		evs, err := h.Service.Events(ctx, meetingID, last, maxCatchUpBatch)
		if err != nil {
			h.Log.Warn("live: read changes", "meeting", meetingID, "err", err)
			return
		}
		if len(evs) == 0 {
			return
		}
		for i := range evs {
			r.fanOut(encodeChange(&evs[i], h.Service.Now()))
		}
	}
}

// fanOut queues b for every viewer of r, dropping those with a full queue.
func (r *room) fanOut(b *broadcast) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if b.seq <= r.lastSeq {
		return
	}
	r.lastSeq = b.seq
	for v := range r.viewers {
		select {
		case v.send <- b:
		default:
			v.end(CloseTryLater, "too slow; reconnect", true)
		}
	}
}

type patchMessage struct {
	Type       string          `json:"type"`
	Seq        int64           `json:"seq"`
	ServerTime time.Time       `json:"server_time"`
	Data       json.RawMessage `json:"data"`
	By         *byLine         `json:"by,omitempty"`
}

type byLine struct {
	Actor  string    `json:"actor"`
	Action string    `json:"action"`
	At     time.Time `json:"at"`
}

// encodeChange encodes one stored change for both audiences.
func encodeChange(ev *models.LiveEvent, now time.Time) *broadcast {
	m := patchMessage{Type: "patch", Seq: ev.Seq, ServerTime: now, Data: json.RawMessage(ev.Patch)}
	public, _ := json.Marshal(m)
	m.By = &byLine{Actor: ev.Actor, Action: ev.Action, At: ev.At}
	staff, _ := json.Marshal(m)
	return &broadcast{seq: ev.Seq, public: public, staff: staff}
}

// stateMessage builds v's state message.
func (h *Hub) stateMessage(ctx context.Context, v *Viewer) ([]byte, int64, error) {
	seq, data, err := h.Service.StateJSON(ctx, v.room.meetingID)
	if err != nil {
		return nil, 0, err
	}
	b := make([]byte, 0, len(data)+len(v.you)+64)
	b = append(b, `{"type":"state","seq":`...)
	b = strconv.AppendInt(b, seq, 10)
	b = append(b, `,"you":`...)
	b = append(b, v.you...)
	b = append(b, `,"data":`...)
	b = append(b, data...)
	b = append(b, '}')
	return b, seq, nil
}

// Close sends every viewer a going-away close frame, waits for their
// connections to end until ctx ends (then cuts the rest), and stops the
// fan-out.
func (h *Hub) Close(ctx context.Context) {
	h.mu.Lock()
	h.closing = true
	var all []*Viewer
	for _, r := range h.rooms {
		r.mu.Lock()
		for v := range r.viewers {
			all = append(all, v)
		}
		r.mu.Unlock()
	}
	h.mu.Unlock()
	for _, v := range all {
		v.end(CloseGoingAway, "server shutting down", false)
	}
	waited := make(chan struct{})
	go func() { h.viewers.Wait(); close(waited) }()
	select {
	case <-waited:
	case <-ctx.Done():
		for _, v := range all {
			if v.onDrop != nil {
				v.onDrop()
			}
		}
	}
	if h.cancel != nil {
		h.cancel()
		<-h.done
	}
}
