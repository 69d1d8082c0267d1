package main

import (
	"encoding/json"
	"testing"
	"time"
)

// sentAt is changes 11..15 sent at t0, of kind "next".
func sentAt(t0 time.Time) *changes {
	c := newChanges()
	for s := int64(11); s <= 15; s++ {
		c.add(s, t0, "next")
	}
	return c
}

func TestFullStateCoversTheChangesItSkipped(t *testing.T) {
	t0 := time.Now()
	v := newViewer(nil, 10)
	v.change(11, 500, t0.Add(time.Millisecond))
	v.state(14, 20000, t0.Add(2*time.Millisecond)) // 12 and 13 skipped, then a resync at 14
	v.change(15, 500, t0.Add(3*time.Millisecond))
	o := (&audience{viewers: []*viewer{v}}).tally(sentAt(t0))
	if o.lost != 0 || o.resyncs != 1 || o.gaps != 0 {
		t.Fatalf("lost %d, resyncs %d, gaps %d; want 0, 1, 0", o.lost, o.resyncs, o.gaps)
	}
	d := o.byKind["next"]
	if d.lat.Summary().N != 5 || d.bytes != 21000 || d.largest != 20000 || o.perViewer[0] != 21000 {
		t.Fatalf("deliveries %d, bytes %d, largest %d, per viewer %v", d.lat.Summary().N, d.bytes, d.largest, o.perViewer)
	}
}

func TestChangeNeitherReceivedNorCoveredIsLost(t *testing.T) {
	t0 := time.Now()
	v := newViewer(nil, 10)
	for _, s := range []int64{11, 12, 14, 15} {
		v.change(s, 100, t0)
	}
	o := (&audience{viewers: []*viewer{v}}).tally(sentAt(t0))
	if o.lost != 1 || o.gaps != 1 {
		t.Fatalf("lost %d, gaps %d; want 1, 1", o.lost, o.gaps)
	}
}

func TestChangesBeforeTheFirstStateAreNotExpected(t *testing.T) {
	t0 := time.Now()
	v := newViewer(nil, 13) // joined after 13
	v.change(14, 100, t0)
	v.change(15, 100, t0)
	if o := (&audience{viewers: []*viewer{v}}).tally(sentAt(t0)); o.lost != 0 || o.byKind["next"].lat.Summary().N != 2 {
		t.Fatalf("lost %d, deliveries %d; want 0, 2", o.lost, o.byKind["next"].lat.Summary().N)
	}
}

func TestPayloadIsTheAskedSizeAndCarriesItsSeq(t *testing.T) {
	for _, size := range []int{300, 1024} {
		b := payload(1234, size)
		var p struct {
			Seq int64 `json:"seq"`
		}
		if err := json.Unmarshal(b, &p); err != nil || len(b) != size || p.Seq != 1234 {
			t.Fatalf("payload(1234, %d) = %d bytes, seq %d, %v", size, len(b), p.Seq, err)
		}
		if _, seq, ok := seqOf([]byte(`{"push":{"channel":"ns:meeting","pub":{"data":` + string(b) + `,"offset":7}}}`)); !ok || seq != 1234 {
			t.Fatalf("seq of a push = %d, %v", seq, ok)
		}
	}
}
