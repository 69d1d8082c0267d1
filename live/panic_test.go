package live

import (
	"context"
	"strings"
	"sync"
	"testing"

	"rostrum/internal/logtest"
)

// panicConn is a connection whose every write panics, as a bug in a
// transport would.
type panicConn struct {
	once sync.Once
	cut  chan struct{}
}

func (c *panicConn) WriteFrame(Frame) error { panic("write on a broken transport") }
func (c *panicConn) Cut()                   { c.once.Do(func() { close(c.cut) }) }

// A panic while writing to one viewer is logged with its stack and ends
// that viewer's connection; the process and the other viewers go on.
func TestAPanicWritingToOneViewerEndsOnlyThatViewer(t *testing.T) {
	feed := NewLocalFeed()
	l := newLiveDB(t, feed)
	h := newHub(l, feed)
	var logs *logtest.Buffer
	h.Log, logs = logtest.New()
	h.Start()
	t.Cleanup(func() { closeHub(h) })
	_, healthy := join(t, h, l.meeting, false, nil, false)
	if m, _ := nextMessage(t, healthy.frames); m.Type != "state" {
		t.Fatalf("first %+v", m)
	}
	broken := &panicConn{cut: make(chan struct{})}
	v, err := h.Join(context.Background(), l.meeting, false, nil, broken)
	if err != nil {
		t.Fatal(err)
	}
	<-broken.cut // the writer panicked on the state message and cut its connection
	v.Leave()
	seq := l.do(t, Command{Action: ActAddSpeaker, ItemID: l.item, RegistrationID: l.regs[0]})
	if m, _ := nextMessage(t, healthy.frames); m.Type != "patch" || m.Seq != seq {
		t.Fatalf("the healthy viewer got %+v, want patch %d", m, seq)
	}
	out := logs.String()
	for _, want := range []string{"panic recovered", "write on a broken transport", "live.(*Viewer).drain"} {
		if !strings.Contains(out, want) {
			t.Errorf("log lacks %q:\n%s", want, out)
		}
	}
}
