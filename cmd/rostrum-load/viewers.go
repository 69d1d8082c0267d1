package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"

	"rostrum/internal/loopback"
)

// This file is the audience of a fan-out run, whatever serves it: many
// websocket viewers, each recording when every change (by seq) reached it
// and how many bytes it cost, and what their records add up to. The
// server under test only changes how a viewer connects and how its frames
// are read (Rostrum's live list, or Centrifugo's client protocol).

// receipt is what one viewer got of one change.
type receipt struct {
	at    time.Time
	bytes int // websocket message payload; 0 for a change a later full state covered
}

// viewer is one websocket client; it records when each seq arrived.
type viewer struct {
	conn    *websocket.Conn
	first   int64 // seq of the state the viewer started from: changes after it are expected
	mu      sync.Mutex
	got     map[int64]receipt
	last    int64
	gaps    int // a change whose seq did not follow the one before
	resyncs int // full states after the first (each covers the changes it skipped)
	closed  atomic.Bool
	buf     bytes.Buffer // the message being read, reused (see read)
}

func newViewer(c *websocket.Conn, first int64) *viewer {
	return &viewer{conn: c, first: first, last: first, got: make(map[int64]receipt, 256)}
}

// read reads the next message into the viewer's own buffer, valid until
// the next read. Thousands of readers allocating a message each would
// make this process collect garbage in the middle of a fan-out, and its
// pauses would count against whichever server was being measured.
func (v *viewer) read() ([]byte, error) {
	_, r, err := v.conn.NextReader()
	if err != nil {
		return nil, err
	}
	v.buf.Reset()
	if _, err := v.buf.ReadFrom(r); err != nil {
		return nil, err
	}
	return v.buf.Bytes(), nil
}

// change records a change of seq that arrived at now in a message of n
// bytes.
func (v *viewer) change(seq int64, n int, now time.Time) {
	v.mu.Lock()
	if v.last != 0 && seq != v.last+1 {
		v.gaps++
	}
	if _, dup := v.got[seq]; !dup {
		v.got[seq] = receipt{at: now, bytes: n}
	}
	v.last = max(v.last, seq)
	v.mu.Unlock()
}

// state records a full state of seq: it brings the viewer up to seq, so
// every change it had not seen up to there counts as received now (the
// state's bytes go to its own seq).
func (v *viewer) state(seq int64, n int, now time.Time) {
	v.mu.Lock()
	if seq > v.last {
		v.resyncs++
		for s := v.last + 1; s < seq; s++ {
			if _, ok := v.got[s]; !ok {
				v.got[s] = receipt{at: now}
			}
		}
		v.got[seq] = receipt{at: now, bytes: n}
		v.last = seq
	}
	v.mu.Unlock()
}

// lastSeq is the newest seq the viewer has.
func (v *viewer) lastSeq() int64 {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.last
}

// seqOf reads the first seq of a message without decoding all of it
// (Rostrum's messages start {"type":"…","seq":N; a Centrifugo publication
// of this tool carries {"seq":N,…} as its data).
func seqOf(msg []byte) (typ string, seq int64, ok bool) {
	i := bytes.Index(msg, []byte(`"seq":`))
	if i < 0 {
		return "", 0, false
	}
	j := i + len(`"seq":`)
	k := j
	for k < len(msg) && msg[k] >= '0' && msg[k] <= '9' {
		k++
	}
	n, err := strconv.ParseInt(string(msg[j:k]), 10, 64)
	if err != nil {
		return "", 0, false
	}
	t := bytes.Index(msg, []byte(`"type":"`))
	if t >= 0 {
		rest := msg[t+8:]
		if e := bytes.IndexByte(rest, '"'); e >= 0 {
			typ = string(rest[:e])
		}
	}
	return typ, n, true
}

// audience is the viewers of one run.
type audience struct {
	viewers   []*viewer
	connect   Latencies
	connected int
	failed    int64
	took      time.Duration
}

// dialViewer connects one viewer and reads up to the point where changes
// start to count; it returns the viewer and the goroutine that reads the
// rest of its messages.
type dialViewer func(ctx context.Context, d *websocket.Dialer) (*viewer, func(), error)

// connectAudience connects n viewers, a few at a time, as a hall filling
// up; every viewer has an address of its own, like a phone.
func connectAudience(ctx context.Context, n int, dial dialViewer) *audience {
	d := &websocket.Dialer{
		NetDialContext:   loopback.DialContext,
		HandshakeTimeout: 30 * time.Second,
		ReadBufferSize:   2048, WriteBufferSize: 512,
	}
	a := &audience{viewers: make([]*viewer, n)}
	var connected, failed atomic.Int64
	start := time.Now()
	stop := Progress(time.Second, func() string {
		return fmt.Sprintf("connecting: %6d of %d viewers (%d failed)", connected.Load(), n, failed.Load())
	})
	sem := make(chan struct{}, 64)
	var wg sync.WaitGroup
	for i := range a.viewers {
		wg.Add(1)
		sem <- struct{}{}
		go func(i int) {
			defer wg.Done()
			defer func() { <-sem }()
			t0 := time.Now()
			v, read, err := dial(ctx, d)
			if err != nil {
				if failed.Add(1) == 1 {
					fmt.Fprintf(os.Stderr, "  %sa viewer failed to connect: %v\n", progressPrefix, err)
				}
				return
			}
			a.connect.Add(time.Since(t0))
			a.viewers[i] = v
			connected.Add(1)
			go read()
		}(i)
	}
	wg.Wait()
	stop()
	a.took = time.Since(start)
	a.connected, a.failed = int(connected.Load()), failed.Load()
	if a.failed > 0 {
		fmt.Fprintf(os.Stderr, "  %s%d viewers failed to connect\n", progressPrefix, a.failed)
	}
	return a
}

// waitFor waits (at most d) until every viewer still connected has seq.
func (a *audience) waitFor(seq int64, d time.Duration) {
	deadline := time.Now().Add(d)
	for time.Now().Before(deadline) {
		behind := 0
		for _, v := range a.viewers {
			if v != nil && !v.closed.Load() && v.lastSeq() < seq {
				behind++
			}
		}
		if behind == 0 {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// close ends every viewer's connection.
func (a *audience) close() {
	for _, v := range a.viewers {
		if v != nil && v.conn != nil {
			v.conn.Close()
		}
	}
}

// changes are the changes a run made: when each seq was sent, and of what
// kind (the moderator's Next, a participant's request, ...).
type changes struct {
	sent  map[int64]sentChange
	kinds []string // in the order first seen
}

type sentChange struct {
	at   time.Time
	kind string
}

func newChanges() *changes { return &changes{sent: map[int64]sentChange{}} }

func (c *changes) add(seq int64, at time.Time, kind string) {
	c.sent[seq] = sentChange{at: at, kind: kind}
	if !slices.Contains(c.kinds, kind) {
		c.kinds = append(c.kinds, kind)
	}
}

func (c *changes) last() int64 {
	var last int64
	for s := range c.sent {
		last = max(last, s)
	}
	return last
}

func (c *changes) count(kind string) int {
	n := 0
	for _, s := range c.sent {
		if s.kind == kind {
			n++
		}
	}
	return n
}

// delivered is what the audience received of one kind of change.
type delivered struct {
	lat     Latencies
	bytes   int64 // summed over viewers and changes
	n       int64 // viewer × change receipts
	largest int   // one viewer's message for one change
	changes int
	// per change, its first and its last viewer's latency: the first is
	// the server's fixed cost (command, commit, encoding), last minus
	// first the fan-out's spread
	first, last Latencies
}

// outcome adds up what every viewer received of the changes sent.
type outcome struct {
	kinds         []string
	byKind        map[string]*delivered
	perViewer     []int64 // bytes of the changes each viewer received
	lost          int
	gaps, resyncs int
	dropped       int
}

// tally compares what each viewer received with what was sent: a change
// after the viewer's first state that it neither received nor had covered
// by a later full state is lost.
func (a *audience) tally(c *changes) *outcome {
	o := &outcome{kinds: c.kinds, byKind: map[string]*delivered{}}
	for _, k := range c.kinds {
		o.byKind[k] = &delivered{changes: c.count(k)}
	}
	type span struct{ first, last time.Duration }
	spans := map[int64]*span{}
	for _, v := range a.viewers {
		if v == nil {
			continue
		}
		v.mu.Lock()
		if v.closed.Load() {
			o.dropped++
		}
		o.gaps += v.gaps
		o.resyncs += v.resyncs
		var total int64
		for seq, s := range c.sent {
			if seq <= v.first {
				continue
			}
			r, ok := v.got[seq]
			if !ok {
				o.lost++
				continue
			}
			d := o.byKind[s.kind]
			lat := r.at.Sub(s.at)
			d.lat.Add(lat)
			if sp := spans[seq]; sp == nil {
				spans[seq] = &span{lat, lat}
			} else {
				sp.first, sp.last = min(sp.first, lat), max(sp.last, lat)
			}
			d.bytes += int64(r.bytes)
			d.n++
			d.largest = max(d.largest, r.bytes)
			total += int64(r.bytes)
		}
		v.mu.Unlock()
		o.perViewer = append(o.perViewer, total)
	}
	for seq, sp := range spans {
		d := o.byKind[c.sent[seq].kind]
		d.first.Add(sp.first)
		d.last.Add(sp.last)
	}
	return o
}

// deliveries is how many viewer × change receipts were measured.
func (o *outcome) deliveries() int64 {
	var n int64
	for _, d := range o.byKind {
		n += d.n
	}
	return n
}

// p99 is the 99th percentile delivery of kind.
func (o *outcome) p99(kind string) time.Duration {
	if d, ok := o.byKind[kind]; ok {
		return d.lat.Summary().P99
	}
	return 0
}

// addRows puts the deliveries into t: per kind of change the latency from
// the send to each viewer's receipt and the bytes each viewer received
// for one change (websocket message payload), then the bytes per viewer
// over the run and what was lost.
func (o *outcome) addRows(t *Table) {
	t.Add("deliveries measured", "%d", o.deliveries())
	for _, k := range o.kinds {
		d := o.byKind[k]
		s := d.lat.Summary()
		t.Add(k+": changes / deliveries", "%d / %d", d.changes, s.N)
		t.Add(k+": delivery p50 / p90 / p99 / max", "%s / %s / %s / %s", ms(s.P50), ms(s.P90), ms(s.P99), ms(s.Max))
		f, l := d.first.Summary(), d.last.Summary()
		t.Add(k+": a change's first / last viewer, median (max)", "%s (%s) / %s (%s)", ms(f.P50), ms(f.Max), ms(l.P50), ms(l.Max))
		mean := 0.0
		if d.n > 0 {
			mean = float64(d.bytes) / float64(d.n)
		}
		t.Add(k+": bytes per viewer per change mean / max", "%s / %s", byteSize(mean), byteSize(float64(d.largest)))
	}
	var sum, most int64
	for _, b := range o.perViewer {
		sum += b
		most = max(most, b)
	}
	mean := 0.0
	if len(o.perViewer) > 0 {
		mean = float64(sum) / float64(len(o.perViewer))
	}
	t.Add("bytes per viewer, all changes: mean / max", "%s / %s", byteSize(mean), byteSize(float64(most)))
	t.Add("messages lost", "%d  %s", o.lost, okIf(o.lost == 0))
	t.Add("seq gaps seen by viewers / full states resent", "%d / %d", o.gaps, o.resyncs)
	t.Add("viewers dropped by the server", "%d", o.dropped)
}

// byteSize prints a size in bytes, with KB for the larger ones.
func byteSize(b float64) string {
	if b >= 10*1024 {
		return fmt.Sprintf("%.1f KB", b/1024)
	}
	return fmt.Sprintf("%.0f B", b)
}

// addCPU puts into t the CPU the server (0: unknown) and this load
// client spent per delivery while the changes went out: on one machine
// the two share the cores, and a fan-out's spread is what both spend.
func (o *outcome) addCPU(t *Table, server, client time.Duration) {
	n := o.deliveries()
	if n == 0 {
		return
	}
	per := func(d time.Duration) string {
		if d == 0 {
			return "n/a"
		}
		return fmt.Sprintf("%.1f µs", float64(d.Microseconds())/float64(n))
	}
	t.Add("CPU per delivery: server / load client", "%s / %s", per(server), per(client))
}
