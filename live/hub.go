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
	"rostrum/safely"
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
	CloseGoingAway = 1001 // the server shuts down
	CloseTryLater  = 1013 // the viewer fell behind; reconnect
	CloseInternal  = 1011 // the state could not be read
	ClosePolicy    = 1008 // the viewer sent commands without reading the answers
	// CloseUnauthorized: the staff session behind the viewer has ended.
	CloseUnauthorized = 4401
	maxCatchUpBatch   = 256
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
	// Prepare, when set, turns a change's message, which goes to many
	// viewers, into the transport's ready-made frame, once for all of
	// them; the frame reaches Conn.WriteFrame as Frame.Prepared.
	Prepare func(msg []byte) any
	// StaffAllowed, when set, says whether a staff viewer's credentials
	// (its connection's) still hold: a session that has ended by logout,
	// expiry or deletion must stop receiving what only staff see. The hub
	// asks at every ping of a staff viewer and whenever RecheckStaff is
	// called; a viewer that no longer passes is closed.
	StaffAllowed func(ctx context.Context, conn Conn) bool

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
	joined    int   // viewers ever joined, to deal them into ping buckets
}

// broadcast is one change encoded for both audiences.
type broadcast struct {
	seq                           int64
	public, staff                 []byte
	publicPrepared, staffPrepared any
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
		// A panic while fanning out one change is logged and the loop goes
		// on; the viewers it missed resync from the next check.
		safely.Loop(h.Log, "live hub", func() { h.run(ctx, changes) })
	}()
}

// run fans out changes and pings viewers until ctx ends.
func (h *Hub) run(ctx context.Context, changes <-chan Change) {
	tick := time.NewTicker(h.CheckInterval)
	defer tick.Stop()
	// One ticker pings every viewer, a bucket at a time.
	pings := time.NewTicker(max(h.PingInterval/pingBuckets, time.Millisecond))
	defer pings.Stop()
	var bucket uint8
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
		case <-pings.C:
			h.pingSweep(bucket)
			bucket = (bucket + 1) % pingBuckets
		}
	}
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
			b := encodeChange(&evs[i], h.Service.Now())
			if h.Prepare != nil {
				b.publicPrepared, b.staffPrepared = h.Prepare(b.public), h.Prepare(b.staff)
			}
			r.fanOut(b)
		}
	}
}

// fanOut queues b for every viewer of r, dropping those with a full
// queue, and has the viewers that were idle written to (delivery).
func (r *room) fanOut(b *broadcast) {
	r.mu.Lock()
	if b.seq <= r.lastSeq {
		r.mu.Unlock()
		return
	}
	r.lastSeq = b.seq
	d := newDelivery(len(r.viewers))
	for v := range r.viewers {
		switch ok, woke := v.send(b); {
		case !ok:
			v.end(CloseTryLater, "too slow; reconnect", true)
		case woke:
			d.add(v)
		}
	}
	r.mu.Unlock()
	d.close()
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
			v.conn.Cut()
		}
	}
	if h.cancel != nil {
		h.cancel()
		<-h.done
	}
}
