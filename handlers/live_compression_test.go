package handlers_test

import (
	"context"
	"net"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"rostrum/internal/apiclient"
	"rostrum/internal/livetest"
	"rostrum/internal/testenv"
	"rostrum/models"
)

// countingConn counts the bytes read from the network.
type countingConn struct {
	net.Conn
	read *atomic.Int64
}

func (c countingConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	c.read.Add(int64(n))
	return n, err
}

// A browser that offers permessage-deflate gets the full state compressed
// (it is mostly repeated keys); the small patches that follow, and every
// frame to a client that does not offer it, go as they are. Either way
// the client reads the same state.
func TestTheFullStateIsCompressedForClientsThatOfferIt(t *testing.T) {
	e := testenv.New(t)
	lm := newLiveMeeting(t, e, "m")
	for i, n := range []string{"Ana Lima", "Ben Okafor", "Chen Wu", "Dara Singh", "Eva Novak", "Femi Adeyemi", "Grace Mutung'u", "Hana Sato"} {
		r, _ := lm.participant(t, n, models.OrganizationTypes[i%len(models.OrganizationTypes)], models.StatusApproved)
		lm.mod.MustJSON("POST", lm.path("/agenda/%d/speakers", lm.items[0]), map[string]any{"registration_id": r.ID}, 201, nil)
	}
	want := lm.state(t)

	stateOn := func(compress bool) (livetest.State, int64) {
		var read atomic.Int64
		d := websocket.Dialer{HandshakeTimeout: 5 * time.Second, EnableCompression: compress,
			NetDialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
				c, err := (&net.Dialer{}).DialContext(ctx, network, addr)
				return countingConn{c, &read}, err
			}}
		c, _, err := d.Dial(apiclient.LiveURL(e.URL, "m", ""), nil)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		var m livetest.Message
		c.SetReadDeadline(time.Now().Add(10 * time.Second))
		if err := c.ReadJSON(&m); err != nil || m.Type != "state" {
			t.Fatalf("first message %q: %v", m.Type, err)
		}
		var st livetest.State
		if _, err := st.Follow(m); err != nil {
			t.Fatal(err)
		}
		return st, read.Load() // the handshake's answer and the state
	}
	plainState, plain := stateOn(false)
	deflatedState, deflated := stateOn(true)
	if plainState.Canonical() != want.Canonical() || deflatedState.Canonical() != want.Canonical() {
		t.Fatal("a viewer's state differs from the server's")
	}
	if deflated*2 > plain {
		t.Fatalf("the state took %d bytes compressed, %d plain: want less than half", deflated, plain)
	}
	t.Logf("state on the wire: %d bytes plain, %d compressed", plain, deflated)
}
