package faults_test

import (
	"context"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"rostrum/internal/livetest"
	"rostrum/internal/loopback"
	"rostrum/internal/testenv"
)

// TestBadWebsocketFramesGetAnErrorAndLeaveTheConnectionHealthy sends
// every kind of bad frame over one moderator connection; each gets an
// error frame, nothing changes, and the connection still works.
func TestBadWebsocketFramesGetAnErrorAndLeaveTheConnectionHealthy(t *testing.T) {
	f := newMatrixFixture(t)
	waitingAB(t, f)
	conn, _, err := dialAs(f, "m", "moderator", "")
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	before := liveSeq(t, f.e)
	deep := strings.Repeat("[", 10001) + strings.Repeat("]", 10001)
	frames := []struct {
		name string
		kind int
		data string
		code string
	}{
		{"not JSON", websocket.TextMessage, "next please", "bad_json"},
		{"truncated", websocket.TextMessage, `{"type":"cmd","id":"x","action":"ne`, "bad_json"},
		{"trailing data", websocket.TextMessage, `{"type":"resync"}{"type":"resync"}`, "bad_json"},
		{"unknown field", websocket.TextMessage, `{"type":"cmd","id":"x","action":"next","item_id":1,"as_admin":true}`, "bad_json"},
		{"wrong type", websocket.TextMessage, `{"type":"cmd","id":"x","action":"next","item_id":"one"}`, "bad_json"},
		{"deep nesting", websocket.TextMessage, `{"type":"cmd","id":"x","action":"reorder","ids":` + deep + `}`, "bad_json"},
		{"unknown action", websocket.TextMessage, `{"type":"cmd","id":"x","action":"delete_meeting"}`, "unknown_action"},
		{"unknown type", websocket.TextMessage, `{"type":"sudo","id":"x"}`, "unknown_type"},
		{"binary frame", websocket.BinaryMessage, `{"type":"resync"}`, "bad_frame"},
		{"invalid UTF-8", websocket.TextMessage, "{\"type\":\"cmd\",\"id\":\"\xff\xfe\",\"action\":\"bo\xffgus\"}", "bad_utf8"},
		// A good command with one bad byte is refused, not run.
		{"invalid UTF-8 in a good command", websocket.TextMessage, fmt.Sprintf("{\"type\":\"cmd\",\"id\":\"n\xff\",\"action\":\"next\",\"item_id\":%d}", f.item), "bad_utf8"},
		{"long id", websocket.TextMessage, `{"type":"cmd","id":"` + strings.Repeat("i", 200) + `","action":"next","item_id":1}`, "invalid"},
		{"oversized frame", websocket.TextMessage, `{"type":"cmd","id":"x","action":"next","pad":"` + strings.Repeat("p", 40<<10) + `"}`, "too_large"},
	}
	for _, fr := range frames {
		if err := conn.WriteMessage(fr.kind, []byte(fr.data)); err != nil {
			t.Fatalf("%s: write: %v", fr.name, err)
		}
		conn.SetReadDeadline(time.Now().Add(10 * time.Second))
		for {
			var r livetest.Message
			if err := conn.ReadJSON(&r); err != nil {
				t.Fatalf("%s: the connection broke: %v", fr.name, err)
			}
			if r.Type == "error" {
				if r.Code != fr.code || r.Message == "" {
					t.Errorf("%s: error %s %q, want %s", fr.name, r.Code, r.Message, fr.code)
				}
				break
			}
			if r.Type == "ack" {
				t.Fatalf("%s: acknowledged", fr.name)
			}
		}
	}
	if after := liveSeq(t, f.e); after != before {
		t.Fatalf("bad frames moved seq from %d to %d", before, after)
	}
	// The connection still carries commands.
	if r := wsCommand(t, conn, "after", map[string]any{"action": "next", "item_id": f.item}); r.Type != "ack" {
		t.Fatalf("a good command after the bad frames: %+v", r)
	}
	// A frame beyond 1 MiB is hostile: the server closes the connection
	// (1009) and the server carries on.
	_ = conn.WriteMessage(websocket.TextMessage, []byte(strings.Repeat("x", 2<<20)))
	conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	for {
		if _, _, err := conn.ReadMessage(); err != nil {
			if !websocket.IsCloseError(err, websocket.CloseMessageTooBig) && !isConnReset(err) {
				t.Errorf("after a 2 MiB frame: %v, want close 1009", err)
			}
			break
		}
	}
	f.e.Anon().MustJSON("GET", "/healthz", nil, 200, nil)
}

func isConnReset(err error) bool {
	var ne *net.OpError
	return errorsAs(err, &ne)
}

// TestAbandonedWebsocketsDoNotDelayOtherViewers opens 1,000 websocket
// viewers that never read a byte (and 500 upgrades cut off half-way),
// then runs 30 changes: a viewer that reads gets every one of them, and
// the server keeps answering HTTP.
func TestAbandonedWebsocketsDoNotDelayOtherViewers(t *testing.T) {
	f := newMatrixFixture(t)
	waitingAB(t, f)
	addr := strings.TrimPrefix(f.e.URL, "http://")
	var stuck []net.Conn
	defer func() {
		for _, c := range stuck {
			c.Close()
		}
	}()
	for i := range 1000 {
		d := websocket.Dialer{HandshakeTimeout: 5 * time.Second, ReadBufferSize: 1024,
			NetDialContext: func(ctx context.Context, network, a string) (net.Conn, error) {
				c, err := loopback.DialContext(ctx, network, a) // a phone of its own each
				if err == nil {
					c.(*net.TCPConn).SetReadBuffer(4096) // keep the kernel from reading for us
					stuck = append(stuck, c)
				}
				return c, err
			}}
		if _, _, err := d.Dial("ws://"+addr+"/ws/meetings/m", nil); err != nil {
			t.Fatalf("viewer %d: %v", i, err)
		}
	}
	for i := range 500 { // upgrade requests that never finish
		c, err := loopback.DialContext(context.Background(), "tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		stuck = append(stuck, c)
		fmt.Fprintf(c, "GET /ws/meetings/m HTTP/1.1\r\nHost: %s\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n", addr)
		_ = i
	}
	healthy := newViewer("healthy", f.e.URL, "m", "", "")
	ctx, cancel := context.WithCancel(context.Background())
	go healthy.run(ctx)
	defer func() { cancel(); <-healthy.stopped }()
	mod := f.actors["moderator"]
	var last struct{ Seq int64 }
	for i := range 30 {
		action := []string{"pause", "resume", "extend"}[(i+2)%3]
		var body any
		if action == "extend" {
			body = map[string]any{"seconds": 10}
		}
		if i == 0 {
			mod.MustJSON("POST", fmt.Sprintf("/api/meetings/m/agenda/%d/next", f.item), nil, 200, &last)
			continue
		}
		mod.MustJSON("POST", fmt.Sprintf("/api/meetings/m/agenda/%d/speakers/%d/%s", f.item, f.entries["a"], action), body, 200, &last)
	}
	var want livetest.State
	f.e.Anon().MustJSON("GET", "/api/meetings/m/live", nil, 200, &want)
	waitViewersConverge(t, []*reconnectingViewer{healthy}, want, []int{0}, 0)
	f.e.Anon().MustJSON("GET", "/healthz", nil, 200, nil)
	stillServesEnv(t, f.e)
	t.Logf("FIGURE abandoned-websockets=1000 half-upgrades=500 changes=%d", last.Seq)
}

func stillServesEnv(t *testing.T, e *testenv.Env) {
	t.Helper()
	regSeq++
	e.Anon().MustJSON("POST", "/api/meetings/m/registrations", testenv.RegistrationBody(fmt.Sprintf("Org %d", regSeq), "Still", fmt.Sprintf("still%d@example.org", regSeq)), 201, nil)
}
