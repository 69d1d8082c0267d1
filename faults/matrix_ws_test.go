package faults_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"rostrum/internal/apiclient"
	"rostrum/internal/livetest"
	"rostrum/internal/testenv"
)

// wsActors are the actors of the websocket matrix that can open a
// connection; a staff session or a participant's token from another
// site's page is refused at the upgrade (the websocket's CSRF defence),
// checked in the upgrade cells.
var wsActors = []string{"anonymous", "other-meeting-token", "other-participant", "rapporteur", "participant", "moderator", "admin"}

// dialAs opens the meeting's websocket as actor, with origin ("" for
// none, as a non-browser client).
func dialAs(f *matrixFixture, slug, actor, origin string) (*websocket.Conn, int, error) {
	c := f.actors[actor]
	u := apiclient.LiveURL(f.e.URL, slug, c.Bearer)
	h := http.Header{}
	if ck := c.CookieHeader(); ck != "" {
		h.Set("Cookie", ck)
	}
	if origin != "" {
		h.Set("Origin", origin)
	}
	d := websocket.Dialer{HandshakeTimeout: 5 * time.Second}
	conn, res, err := d.Dial(u, h)
	status := 0
	if res != nil {
		status = res.StatusCode
	}
	return conn, status, err
}

// wsCommand sends a command and reads until its answer (ack or error).
func wsCommand(t *testing.T, conn *websocket.Conn, id string, fields map[string]any) livetest.Message {
	t.Helper()
	msg := map[string]any{"type": "cmd", "id": id}
	for k, v := range fields {
		msg[k] = v
	}
	if err := conn.WriteJSON(msg); err != nil {
		t.Fatalf("write %s: %v", id, err)
	}
	conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	for {
		var r livetest.Message
		if err := conn.ReadJSON(&r); err != nil {
			t.Fatalf("read answer to %s: %v", id, err)
		}
		if (r.Type == "ack" || r.Type == "error") && r.ID == id {
			return r
		}
	}
}

// wsRow is one websocket action: the state it needs and its fields per actor.
type wsRow struct {
	setup  func(t *testing.T, f *matrixFixture)
	fields func(f *matrixFixture, actor string) map[string]any
	// participants may send it (for themselves); other-participant and
	// other-meeting-token never succeed.
	participants bool
}

func onEntry(action, entry string, extra ...any) func(*matrixFixture, string) map[string]any {
	return func(f *matrixFixture, _ string) map[string]any {
		m := map[string]any{"action": action, "item_id": f.item, "speaker_id": f.entries[entry]}
		for i := 0; i+1 < len(extra); i += 2 {
			m[extra[i].(string)] = extra[i+1]
		}
		return m
	}
}

func onItem(action string) func(*matrixFixture, string) map[string]any {
	return func(f *matrixFixture, _ string) map[string]any {
		return map[string]any{"action": action, "item_id": f.item}
	}
}

var wsMatrix = map[string]wsRow{
	"add_speaker": {participants: true, fields: func(f *matrixFixture, actor string) map[string]any {
		m := map[string]any{"action": "add_speaker", "item_id": f.item}
		switch actor {
		case "other-participant":
			m["registration_id"] = f.a.ID // for someone else
		case "moderator", "rapporteur", "anonymous":
			m["registration_id"] = f.d.ID
		case "admin":
			m["registration_id"] = f.g.ID
		}
		return m
	}},
	"remove_speaker": {participants: true, setup: func(t *testing.T, f *matrixFixture) { f.addSpeakers(t, "a", "b", "d") },
		fields: func(f *matrixFixture, actor string) map[string]any {
			e := map[string]string{"moderator": "b", "admin": "d"}[actor]
			if e == "" {
				e = "a" // the participant's own entry, which no one else may remove
			}
			return map[string]any{"action": "remove_speaker", "item_id": f.item, "speaker_id": f.entries[e]}
		}},
	"reorder": {setup: waitingAB, fields: func(f *matrixFixture, _ string) map[string]any {
		return map[string]any{"action": "reorder", "item_id": f.item, "ids": []uint{f.entries["b"], f.entries["a"]}}
	}},
	"next":   {setup: waitingAB, fields: onItem("next")},
	"start":  {setup: waitingAB, fields: onEntry("start", "a")},
	"stop":   {setup: speakingA, fields: onEntry("stop", "a")},
	"pause":  {setup: speakingA, fields: onEntry("pause", "a")},
	"resume": {setup: pausedA, fields: onEntry("resume", "a")},
	"extend": {setup: speakingA, fields: onEntry("extend", "a", "seconds", 30)},
	"close":  {fields: onItem("close")},
	"reopen": {setup: func(t *testing.T, f *matrixFixture) {
		f.actors["admin"].MustJSON("POST", fmt.Sprintf("/api/meetings/m/agenda/%d/close", f.item), nil, 200, nil)
	}, fields: onItem("reopen")},
	"set_current": {fields: func(f *matrixFixture, _ string) map[string]any {
		return map[string]any{"action": "set_current", "item_id": f.item2}
	}},
}

func liveSeq(t *testing.T, e *testenv.Env) int64 {
	t.Helper()
	var st struct{ Seq int64 }
	e.Anon().MustJSON("GET", "/api/meetings/m/live", nil, 200, &st)
	return st.Seq
}

// TestWebsocketAuthorizationMatrix opens the websocket as every actor
// from no origin, the site's own and another site's, then sends every
// action as every actor: the refused ones change nothing (seq unchanged);
// the moderator's go through.
func TestWebsocketAuthorizationMatrix(t *testing.T) {
	cells := 0
	t.Run("upgrade", func(t *testing.T) {
		f := newMatrixFixture(t)
		for _, actor := range matrixActors {
			for _, origin := range []string{"", f.e.URL, "https://evil.example"} {
				want := 101
				credentials := actor != "anonymous"
				if credentials && origin == "https://evil.example" {
					want = 403
				}
				if actor == "mission" {
					want = 401 // a focal point's token is for its delegation's routes, not a viewer's
				}
				conn, status, _ := dialAs(f, "m", actor, origin)
				if conn != nil {
					conn.Close()
				}
				cells++
				if status != want {
					t.Errorf("upgrade as %s from origin %q: %d, want %d", actor, origin, status, want)
				}
			}
		}
		// A token that is no one's is refused, not taken for a viewer.
		f.actors["forged"] = f.e.Participant("forged-" + strings.Repeat("x", 40))
		if _, status, _ := dialAs(f, "m", "forged", ""); status != 401 {
			t.Errorf("upgrade with a forged token: %d, want 401", status)
		}
		cells++
	})
	for _, action := range sortedKeys(wsMatrix) {
		row := wsMatrix[action]
		t.Run(action, func(t *testing.T) {
			f := newMatrixFixture(t)
			if row.setup != nil {
				row.setup(t, f)
			}
			before := liveSeq(t, f.e)
			for _, actor := range wsActors {
				if actor == "moderator" || actor == "participant" && row.participants {
					// Everyone so far was refused: nothing changed.
					if after := liveSeq(t, f.e); before >= 0 && after != before {
						t.Fatalf("%s: refused commands moved seq from %d to %d", action, before, after)
					}
				}
				if actor == "participant" && row.participants {
					before = -1 // the participant's change is allowed
				}
				conn, status, err := dialAs(f, "m", actor, "")
				if err != nil {
					t.Fatalf("dial as %s: %v (%d)", actor, err, status)
				}
				r := wsCommand(t, conn, action+"-"+actor, row.fields(f, actor))
				conn.Close()
				cells++
				var want string
				switch {
				case actor == "anonymous":
					want = "unauthorized"
				case actor == "moderator", actor == "participant" && row.participants:
					want = "ack"
				case actor == "admin":
					want = "allowed" // an ack, or a rule refusing the moderator's change again
				default:
					want = "forbidden"
				}
				got := r.Type
				if r.Type == "error" {
					got = r.Code
				}
				switch want {
				case "allowed":
					if got == "forbidden" || got == "unauthorized" || strings.HasPrefix(got, "bad_") || got == "invalid" {
						t.Errorf("%s as %s: %s (%s), want it let through", action, actor, got, r.Message)
					}
				default:
					if got != want {
						t.Errorf("%s as %s: %s (%s), want %s", action, actor, got, r.Message, want)
					}
				}
			}
		})
	}
	matrixCells.Add(int64(cells))
	t.Logf("FIGURE websocket-matrix actions=%d actors=%d cells=%d", len(wsMatrix), len(wsActors), cells)
}
