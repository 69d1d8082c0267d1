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
// queued 80 ms after the first instead of 10 (BENCHMARKS.md, "The
// hub's own path"). deliver instead hands the viewers to a few writers
// that take them in turn, like the cores that do the writing.
//
// A write blocks while a viewer's socket is full (a phone that stopped
// reading). The writers take viewers one at a time from a shared index,
// so a blocked write holds up only its own writer; and when the index
// has not moved for deliverStall while viewers wait, another writer
// joins, so that stuck sockets never hold the others' change for long.
// A stuck write itself ends when its deadline passes or the viewer is
// cut (Conn).

// deliverStall is how long the writers may make no progress before
// another joins them.
const deliverStall = 20 * time.Millisecond

// deliverWriters is how many writers a fan-out starts with.
func deliverWriters(n int) int {
	return min(n, 2*runtime.GOMAXPROCS(0))
}

// deliver runs the drain of every viewer in idle (each marked as
// draining by send) and returns at once; the writes go on in the
// background.
func deliver(idle []*Viewer) {
	if len(idle) == 0 {
		return
	}
	d := &delivery{viewers: idle}
	w := deliverWriters(len(idle))
	for range w {
		go d.write()
	}
	if len(idle) > w {
		go d.watch()
	}
}

type delivery struct {
	viewers []*Viewer
	next    atomic.Int64 // the next viewer to take
}

// write drains viewers in turn until none is left.
func (d *delivery) write() {
	for {
		i := d.next.Add(1) - 1
		if i >= int64(len(d.viewers)) {
			return
		}
		d.viewers[i].drain()
	}
}

// watch adds a writer whenever the writers have taken no viewer for
// deliverStall while viewers wait, until every viewer has been taken.
func (d *delivery) watch() {
	t := time.NewTicker(deliverStall)
	defer t.Stop()
	taken := d.next.Load()
	for range t.C {
		now := d.next.Load()
		if now >= int64(len(d.viewers)) {
			return
		}
		if now == taken {
			go d.write()
		}
		taken = now
	}
}
