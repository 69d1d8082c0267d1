package live

import (
	"context"
	"sync/atomic"
	"testing"
	"time"
)

// A staff viewer whose session ends (expiry, deletion, or a logout on
// another instance) is closed at its next ping: it stops receiving what
// only staff see. Public viewers are never asked about.
func TestAStaffViewerWhoseSessionEndedIsClosedAtItsNextPing(t *testing.T) {
	feed := NewLocalFeed()
	l := newLiveDB(t, feed)
	h := newHub(l, feed)
	h.PingInterval = 20 * time.Millisecond
	var allowed atomic.Bool
	allowed.Store(true)
	var askedAboutPublic atomic.Bool
	staffConn := make(chan Conn, 1)
	h.StaffAllowed = func(_ context.Context, c Conn) bool {
		select {
		case sc := <-staffConn:
			staffConn <- sc
			if sc != c {
				askedAboutPublic.Store(true)
			}
		default:
		}
		return allowed.Load()
	}
	h.Start()
	t.Cleanup(func() { closeHub(h) })
	_, staff := join(t, h, l.meeting, true, nil, false)
	staffConn <- staff
	_, public := join(t, h, l.meeting, false, nil, false)
	if m, _ := nextMessage(t, staff.frames); m.Type != "state" {
		t.Fatalf("first %+v", m)
	}
	allowed.Store(false)
	select {
	case <-staff.ended:
	case <-time.After(10 * time.Second):
		t.Fatal("the staff viewer was not closed after its session ended")
	}
	var code int
	for f := range staff.frames {
		if f.CloseCode != 0 {
			code = f.CloseCode
		}
	}
	if code != CloseUnauthorized {
		t.Errorf("closed with %d, want %d", code, CloseUnauthorized)
	}
	select {
	case <-public.ended:
		t.Error("a public viewer was closed")
	default:
	}
	if askedAboutPublic.Load() {
		t.Error("StaffAllowed was asked about a public viewer")
	}
}
