package faults_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"rostrum/internal/livetest"
)

// FuzzWebsocketCommand sends any frame (up to the 32 KiB command limit)
// over a moderator's websocket and checks that the server answers it or
// ignores it without breaking the connection, and that the list of
// speakers still obeys its rules. It drives the real decoder, the command
// path and the hub through a real connection.
func FuzzWebsocketCommand(f *testing.F) {
	for _, seed := range []string{
		`{"type":"cmd","id":"1","action":"next","item_id":1}`,
		`{"type":"cmd","id":"2","action":"add_speaker","item_id":1,"registration_id":2,"kind":"reply","reply_to":1}`,
		`{"type":"cmd","id":"3","action":"reorder","item_id":1,"ids":[2,1,1]}`,
		`{"type":"cmd","id":"4","action":"extend","speaker_id":1,"seconds":-5}`,
		`{"type":"resync"}`,
		`{"type":"cmd","id":"\u0000","action":"set_current","item_id":4294967296}`,
		"{\"type\":\"cmd\",\"id\":\"\xff\",\"action\":\"close\",\"item_id\":1}",
		`[[[[[[[[[[]]]]]]]]]]`,
		``,
	} {
		f.Add([]byte(seed))
	}
	mf := newMatrixFixture(f)
	mf.addSpeakers(f, "a", "b", "d")
	conn, _, err := dialAs(mf, "m", "moderator", "")
	if err != nil {
		f.Fatal(err)
	}
	defer conn.Close()
	n := 0
	f.Fuzz(func(t *testing.T, frame []byte) {
		if len(frame) > 32<<10 {
			frame = frame[:32<<10]
		}
		if err := conn.WriteMessage(websocket.TextMessage, frame); err != nil {
			t.Fatalf("write: %v", err)
		}
		// A sentinel after the frame: its answer proves the connection
		// read past the fuzzed frame and is still healthy.
		n++
		id := fmt.Sprintf("sentinel-%d", n)
		if err := conn.WriteJSON(map[string]string{"type": "cmd", "id": id, "action": "no_such_action"}); err != nil {
			t.Fatalf("write sentinel: %v", err)
		}
		conn.SetReadDeadline(time.Now().Add(10 * time.Second))
		for {
			var r livetest.Message
			if err := conn.ReadJSON(&r); err != nil {
				t.Fatalf("after frame %q the connection broke: %v", frame, err)
			}
			if r.Type == "error" && r.Code == "internal" {
				t.Fatalf("frame %q: internal error %q", frame, r.Message)
			}
			if r.ID == id {
				if r.Type != "error" || r.Code != "unknown_action" {
					t.Fatalf("sentinel answered %+v", r)
				}
				break
			}
		}
		if n%50 == 0 {
			res, err := http.Get(mf.e.URL + "/api/meetings/m/live")
			if err != nil {
				t.Fatal(err)
			}
			var st livetest.State
			err = json.NewDecoder(res.Body).Decode(&st)
			res.Body.Close()
			if err != nil || res.StatusCode != 200 {
				t.Fatalf("GET live: %d %v", res.StatusCode, err)
			}
			checkFloorRules(t, st)
		}
	})
}
