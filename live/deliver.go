package live

import (
	"runtime"
	"sync/atomic"
	"time"
)

// A change goes to every idle viewer of a meeting at once: thousands of
// writes, each a system call of a few microseconds. Starting a goroutine
// per viewer (as every other write to a viewer does, wakeLocked) made
// thousands of goroutines runnable at the same moment; the fan-out's own
// loop, preempted after its 10 ms among them, waited behind them on the
// scheduler's global queue, and at 10,000 viewers the last viewers were
// queued 80 ms after the first instead of 10 (BENCHMARKS.md, "Where
// the rest went"). A delivery instead hands the viewers to a few writers
// that take them in turn, like the cores that do the writing.
//
// A write blocks while a viewer's socket is full (a phone that stopped
// reading). The writers take viewers one at a time from a shared
// channel, so a blocked write holds up only its own writer; and when
// none has taken a viewer for deliverStall while viewers wait, another
// writer joins, so that stuck sockets never hold the others' change for
// long.
// A stuck write itself ends when its deadline passes or the viewer is
// cut (Conn).

// deliverStall is how long the writers may make no progress before
// another joins them.
const deliverStall = 20 * time.Millisecond

// deliverWriters is how many writers a fan-out starts with.
func deliverWriters(n int) int {
	return min(n, 2*runtime.GOMAXPROCS(0))
}

// delivery is one change's writes to the viewers it woke. The fan-out
// adds the viewers as it queues the change for them, and the writers
// start with the first, so that no core waits while the fan-out goes
// through the rest.
type delivery struct {
	viewers chan *Viewer // room for every viewer of the room: add never blocks
	taken   atomic.Int64 // viewers the writers have taken
	closed  atomic.Bool  // no viewer is added any more
	started bool
}

// newDelivery returns a delivery for up to n viewers.
func newDelivery(n int) *delivery {
	return &delivery{viewers: make(chan *Viewer, n)}
}

// add hands v (marked as draining by send) to the writers, starting
// them with the first viewer. Only the fan-out calls it.
func (d *delivery) add(v *Viewer) {
	if !d.started {
		d.started = true
		w := deliverWriters(cap(d.viewers))
		for range w {
			go d.write()
		}
		if cap(d.viewers) > w {
			go d.watch()
		}
	}
	d.viewers <- v
}

// close says that every viewer has been added; the writes go on in the
// background.
func (d *delivery) close() {
	d.closed.Store(true)
	close(d.viewers)
}

// write drains viewers in turn until none is left.
func (d *delivery) write() {
	for v := range d.viewers {
		d.taken.Add(1)
		v.drain()
	}
}

// watch adds a writer whenever the writers have taken no viewer for
// deliverStall while viewers wait, until every viewer has been taken.
func (d *delivery) watch() {
	t := time.NewTicker(deliverStall)
	defer t.Stop()
	taken := d.taken.Load()
	for range t.C {
		if d.closed.Load() && len(d.viewers) == 0 {
			return
		}
		now := d.taken.Load()
		if now == taken && len(d.viewers) > 0 {
			go d.write()
		}
		taken = now
	}
}
