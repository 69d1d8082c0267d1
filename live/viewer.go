package live

import (
	"context"
	"encoding/json"
	"sync"
	"time"

	"rostrum/safely"
)

// A viewer's connection has at most one writer at a time, started on
// demand: queueing anything for an idle viewer starts a drain goroutine
// that writes until the queue is empty and then ends. The read loop (the
// websocket handler's goroutine) never writes; answers to commands go
// through the same queue. An idle viewer thus costs a queue's few words
// and no writer goroutine: with thousands of viewers the writers'
// stacks, not the messages, were most of the memory per viewer (see
// BENCHMARKS.md, live fan-out).

// Frame is what a viewer's connection writes: a text message, a ping,
// or a close frame after which the connection ends.
type Frame struct {
	Data     []byte
	Prepared any // Data as the transport's frame (Hub.Prepare), or nil
	// Compress asks the transport to compress this frame where the peer
	// agreed to (permessage-deflate): the full state, tens of kilobytes
	// of repeated keys, and not the small patches, which compression
	// would barely shrink for its CPU.
	Compress    bool
	Ping        bool
	CloseCode   int
	CloseReason string
}

// Conn is a viewer's connection as the hub sees it.
type Conn interface {
	// WriteFrame writes one frame. The hub calls it from at most one
	// goroutine at a time. After an error nothing more is written.
	WriteFrame(Frame) error
	// Cut ends the connection at once, even during a blocked write.
	Cut()
}

// Viewer is one websocket connection watching a meeting.
type Viewer struct {
	hub        *Hub
	room       *room
	conn       Conn
	staff      bool
	you        json.RawMessage
	pingBucket uint8

	mu       sync.Mutex
	queue    []*broadcast // changes not yet written; nil when empty
	replies  [][]byte
	resync   bool
	ping     bool
	code     int // a close frame is due (or written)
	reason   string
	draining bool // a drain goroutine runs
	stopped  bool // the connection has ended or failed: write nothing more
	drains   sync.WaitGroup

	// only the drain goroutine of the moment uses these
	seq       int64
	needState bool
}

// pingBuckets spreads the pings over the interval: every PingInterval /
// pingBuckets the hub pings one bucket of viewers, so each viewer is
// pinged once per interval and never all of them at once.
const pingBuckets = 10

// Join adds a viewer of meeting whose frames go to conn, and starts
// sending it the full state. staff viewers also get who made each
// change; you is the viewer's own part of the state message (role,
// registration). The caller calls Leave when the connection has ended.
func (h *Hub) Join(ctx context.Context, meetingID uint, staff bool, you any, conn Conn) (*Viewer, error) {
	youJSON, err := json.Marshal(you)
	if err != nil {
		return nil, err
	}
	r, err := h.room(ctx, meetingID)
	if err != nil {
		return nil, err
	}
	return h.admit(meetingID, r, &Viewer{hub: h, staff: staff, you: youJSON, conn: conn, needState: true})
}

// admit adds v to r, the room of meetingID that room returned, and
// starts sending it the full state.
func (h *Hub) admit(meetingID uint, r *room, v *Viewer) (*Viewer, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closing {
		return nil, ErrClosing
	}
	if cur := h.rooms[meetingID]; cur != r {
		// The room emptied meanwhile: join the one a later viewer made,
		// or bring this one back (a stale lastSeq only replays changes
		// this viewer's state already holds).
		if cur != nil {
			r = cur
		} else {
			h.rooms[meetingID] = r
		}
	}
	r.mu.Lock()
	r.viewers[v] = struct{}{}
	v.pingBucket = uint8(r.joined % pingBuckets)
	r.joined++
	r.mu.Unlock()
	v.room = r
	h.viewers.Add(1)
	v.mu.Lock()
	v.wakeLocked() // the state message
	v.mu.Unlock()
	return v, nil
}

// room returns meeting's room, reading its seq from the database only when
// it has no viewers yet. (Joining thus runs no query for all viewers but
// the first: a query deepens the stack of the goroutine that runs it, and
// a viewer's read loop would keep that stack for as long as it watches.)
func (h *Hub) room(ctx context.Context, meetingID uint) (*room, error) {
	h.mu.Lock()
	r := h.rooms[meetingID]
	h.mu.Unlock()
	if r != nil {
		return r, nil
	}
	seq, err := h.Service.Seq(ctx, meetingID)
	if err != nil {
		return nil, err
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if r := h.rooms[meetingID]; r != nil {
		return r, nil // another viewer came first
	}
	r = &room{meetingID: meetingID, viewers: map[*Viewer]struct{}{}, lastSeq: seq}
	h.rooms[meetingID] = r
	return r, nil
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

// Leave removes v; its connection has ended. It returns once v's writer
// (if one runs) has stopped, so the caller may release the connection.
func (v *Viewer) Leave() {
	v.mu.Lock()
	v.stopped = true
	v.queue, v.replies = nil, nil
	v.mu.Unlock()
	v.drains.Wait()
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
	if present {
		h.viewers.Done()
	}
}

// end queues a close frame once, ahead of anything still queued; kill
// also cuts the connection at once (the writer may be stuck on a slow
// network).
func (v *Viewer) end(code int, reason string, kill bool) {
	v.mu.Lock()
	first := v.code == 0
	if first {
		v.code, v.reason = code, reason
		v.queue, v.replies = nil, nil
		v.wakeLocked()
	}
	v.mu.Unlock()
	if first && kill {
		v.conn.Cut()
	}
}

// Closing reports whether the hub has ended v: a close frame is due or
// written, and what the peer sends from then on is not to be served.
func (v *Viewer) Closing() bool {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.code != 0
}

// Resync asks for the full state to be sent next.
func (v *Viewer) Resync() {
	v.mu.Lock()
	v.resync = true
	v.wakeLocked()
	v.mu.Unlock()
}

// Reply queues an answer to one of the viewer's commands. A viewer that
// sends commands without reading the answers is dropped.
func (v *Viewer) Reply(msg []byte) {
	v.mu.Lock()
	full := false
	switch {
	case v.stopped: // nobody to answer
	case len(v.replies) >= maxReplies:
		full = true
	default:
		v.replies = append(v.replies, msg)
		v.wakeLocked()
	}
	v.mu.Unlock()
	if full {
		v.end(ClosePolicy, "too many unread answers", true)
	}
}

const maxReplies = 16

// send queues b, or reports that the queue is full (ok is false).
// Nothing is queued for a connection that has ended. woke says that v
// was idle: it is now marked as draining, and the caller must see that
// v.drain runs (deliver).
func (v *Viewer) send(b *broadcast) (ok, woke bool) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.stopped {
		return true, false
	}
	if len(v.queue) >= v.hub.SendBuffer {
		return false, false
	}
	v.queue = append(v.queue, b)
	return true, v.claimLocked() // else its drain takes b next
}

// pingNow queues a ping.
func (v *Viewer) pingNow() {
	v.mu.Lock()
	v.ping = true
	v.wakeLocked()
	v.mu.Unlock()
}

// wakeLocked starts the drain goroutine unless one runs or the
// connection has ended. v.mu is held.
func (v *Viewer) wakeLocked() {
	if v.claimLocked() {
		go v.drain()
	}
}

// claimLocked marks v as draining unless a drain runs or the connection
// has ended, and reports whether it did: the caller must then see that
// v.drain runs. v.mu is held.
func (v *Viewer) claimLocked() bool {
	if v.draining || v.stopped {
		return false
	}
	v.draining = true
	v.drains.Add(1)
	return true
}

// drain writes what is queued, one frame at a time, then ends.
func (v *Viewer) drain() {
	defer v.drains.Done()
	defer func() {
		// A panic while writing to one viewer ends that viewer (it
		// reconnects and resyncs), never the process or the others.
		if r := recover(); r != nil {
			safely.Log(v.hub.Log, "live viewer's writer", r)
			v.mu.Lock()
			v.stopped, v.draining = true, false
			v.queue, v.replies = nil, nil
			v.mu.Unlock()
			v.conn.Cut()
		}
	}()
	for {
		f, ok := v.next()
		if !ok {
			return
		}
		if err := v.conn.WriteFrame(f); err != nil || f.CloseCode != 0 {
			v.mu.Lock()
			v.stopped, v.draining = true, false
			v.queue, v.replies = nil, nil
			v.mu.Unlock()
			return
		}
	}
}

// next takes the next frame to write; when there is none, the drain
// goroutine ends (ok is false) under the same lock, so that whatever is
// queued later starts a new one.
func (v *Viewer) next() (Frame, bool) {
	for {
		v.mu.Lock()
		switch {
		case v.stopped:
			v.draining = false
			v.mu.Unlock()
			return Frame{}, false
		case v.code != 0:
			v.mu.Unlock()
			return Frame{CloseCode: v.code, CloseReason: v.reason}, true
		case v.ping:
			v.ping = false
			v.mu.Unlock()
			return Frame{Ping: true}, true
		case len(v.replies) > 0:
			msg := v.replies[0]
			v.replies = pop(v.replies)
			v.mu.Unlock()
			return Frame{Data: msg}, true
		case v.resync:
			v.resync, v.needState = false, true
		}
		if v.needState {
			v.mu.Unlock()
			msg, seq, err := v.hub.stateMessage(context.Background(), v)
			if err != nil {
				v.hub.Log.Error("live: read state for a viewer", "meeting", v.room.meetingID, "err", err)
				v.end(CloseInternal, "state unavailable", false)
				continue
			}
			v.needState, v.seq = false, seq
			return Frame{Data: msg, Compress: true}, true
		}
		if len(v.queue) == 0 {
			v.draining = false
			v.mu.Unlock()
			return Frame{}, false
		}
		b := v.queue[0]
		v.queue = pop(v.queue)
		v.mu.Unlock()
		if b.seq <= v.seq {
			continue // already in the state this viewer has
		}
		if b.seq != v.seq+1 {
			v.needState = true // a gap: send the full state instead
			continue
		}
		v.seq = b.seq
		if v.staff {
			return Frame{Data: b.staff, Prepared: b.staffPrepared}, true
		}
		return Frame{Data: b.public, Prepared: b.publicPrepared}, true
	}
}

// pop drops the head of a queue, and lets an emptied queue's array go.
func pop[T any](q []T) []T {
	var zero T
	q[0] = zero
	if len(q) == 1 {
		return nil
	}
	return q[1:]
}

// pingSweep pings the viewers of one bucket; the hub's loop calls it
// every PingInterval/pingBuckets with the buckets in turn.
func (h *Hub) pingSweep(bucket uint8) {
	h.mu.Lock()
	rooms := make([]*room, 0, len(h.rooms))
	for _, r := range h.rooms {
		rooms = append(rooms, r)
	}
	h.mu.Unlock()
	var staff []*Viewer
	for _, r := range rooms {
		r.mu.Lock()
		for v := range r.viewers {
			if v.pingBucket == bucket {
				v.pingNow()
				if v.staff {
					staff = append(staff, v)
				}
			}
		}
		r.mu.Unlock()
	}
	if len(staff) > 0 {
		go h.recheck(staff)
	}
}

// RecheckStaff asks StaffAllowed about every staff viewer now (after a
// logout, say), closing those whose credentials have gone.
func (h *Hub) RecheckStaff() {
	h.mu.Lock()
	var staff []*Viewer
	for _, r := range h.rooms {
		r.mu.Lock()
		for v := range r.viewers {
			if v.staff {
				staff = append(staff, v)
			}
		}
		r.mu.Unlock()
	}
	h.mu.Unlock()
	h.recheck(staff)
}

// recheck closes the staff viewers whose credentials no longer hold.
func (h *Hub) recheck(staff []*Viewer) {
	if h.StaffAllowed == nil {
		return
	}
	defer safely.Recover(h.Log, "live: recheck staff viewers")
	for _, v := range staff {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		ok := h.StaffAllowed(ctx, v.conn)
		cancel()
		if !ok {
			v.end(CloseUnauthorized, "your session has ended; log in again", false)
		}
	}
}

// PongWait is how long a viewer's connection may stay silent: a viewer
// that answers neither of two pings (plus a second's grace) is dead.
func (h *Hub) PongWait() time.Duration {
	return 2*h.PingInterval + time.Second
}
