package handlers_test

import (
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"rostrum/auth"
	"rostrum/handlers"
	"rostrum/internal/livetest"
	"rostrum/internal/testenv"
	"rostrum/live"
	"rostrum/models"
)

// sessionHash is the stored hash of the staff session c's cookie holds.
func sessionHash(t *testing.T, c *testenv.Client) string {
	t.Helper()
	for _, part := range strings.Split(c.CookieHeader(), "; ") {
		if v, ok := strings.CutPrefix(part, handlers.SessionCookie+"="); ok {
			return auth.HashToken(v)
		}
	}
	t.Fatal("client holds no session cookie")
	return ""
}

// auditLog is the meeting's audit log as an admin reads it, newest first.
func (lm *liveMeeting) auditLog(t *testing.T) string {
	t.Helper()
	return string(lm.admin.MustJSON("GET", lm.path("/audit"), nil, 200, nil).Body)
}

// A moderator's websocket is identified once, when it opens. Once the
// session behind it ends — logout, expiry or deletion — its commands are
// refused as unauthorized and change neither the list nor the audit log.
func TestLiveStaffSocketIsRefusedOnceItsSessionEnds(t *testing.T) {
	e := testenv.New(t)
	lm := newLiveMeeting(t, e, "m")
	item := lm.items[0]
	ana, _ := lm.participant(t, "Ana", "ngo", models.StatusApproved)
	var res liveResult
	lm.mod.MustJSON("POST", lm.path("/agenda/%d/speakers", item), map[string]any{"registration_id": ana.ID}, 201, &res)

	endings := []struct {
		name string
		end  func(t *testing.T, mod *testenv.Client)
	}{
		{"logout", func(t *testing.T, mod *testenv.Client) {
			mod.MustJSON("POST", "/api/logout", nil, 204, nil)
		}},
		{"expiry", func(t *testing.T, mod *testenv.Client) {
			q := e.App.DB.Model(&models.Session{}).Where("token_hash = ?", sessionHash(t, mod)).
				Update("expires_at", e.App.Live.Now().Add(-1))
			if q.Error != nil || q.RowsAffected != 1 {
				t.Fatalf("expire the session: %v (%d rows)", q.Error, q.RowsAffected)
			}
		}},
		{"deletion", func(t *testing.T, mod *testenv.Client) {
			q := e.App.DB.Where("token_hash = ?", sessionHash(t, mod)).Delete(&models.Session{})
			if q.Error != nil || q.RowsAffected != 1 {
				t.Fatalf("delete the session: %v (%d rows)", q.Error, q.RowsAffected)
			}
		}},
	}
	for _, end := range endings {
		t.Run(end.name, func(t *testing.T) {
			mod := e.Staff(models.RoleModerator)
			var me struct {
				User struct{ Email string } `json:"user"`
			}
			mod.MustJSON("GET", "/api/me", nil, 200, &me)
			ws := liveConnect(t, e, lm.slug, liveWithClient(mod))
			extend := map[string]any{"action": "extend", "speaker_id": res.Speaker.ID, "seconds": 10}
			if m := ws.cmd("before", extend); m.Type != "ack" {
				t.Fatalf("command while logged in: %+v", m)
			}
			end.end(t, mod)
			state, audit := lm.state(t).Canonical(), lm.auditLog(t)

			if end.name == "logout" {
				// A logout closes the session's sockets at once: nothing
				// more that only staff see reaches it, and it acts no more.
				_ = ws.conn.WriteJSON(map[string]any{"type": "cmd", "id": "late", "action": "close", "item_id": item})
				_ = ws.conn.SetReadDeadline(time.Now().Add(10 * time.Second))
				var closeErr *websocket.CloseError
				for {
					var m livetest.Message
					err := ws.conn.ReadJSON(&m)
					if err == nil {
						if m.Type == "ack" {
							t.Fatalf("a command after logout was acknowledged: %+v", m)
						}
						continue
					}
					if !errors.As(err, &closeErr) || closeErr.Code != live.CloseUnauthorized {
						t.Fatalf("after logout the socket ended with %v, want close %d", err, live.CloseUnauthorized)
					}
					break
				}
				if got := lm.state(t).Canonical(); got != state {
					t.Fatalf("the list changed after logout:\n%s\n%s", state, got)
				}
				again := liveConnect(t, e, lm.slug, liveWithClient(e.Login(me.User.Email, testenv.Password)))
				if m := again.cmd("again", extend); m.Type != "ack" {
					t.Fatalf("command after logging in again: %+v", m)
				}
				return
			}

			for i, cmd := range []map[string]any{
				extend,
				{"action": "remove_speaker", "speaker_id": res.Speaker.ID},
				{"action": "next", "item_id": item},
				{"action": "close", "item_id": item},
			} {
				m := ws.cmd("after"+string(rune('0'+i)), cmd)
				if m.Type != "error" || m.Code != "unauthorized" {
					t.Fatalf("%v after %s: %+v, want error unauthorized", cmd["action"], end.name, m)
				}
			}
			if got := lm.state(t).Canonical(); got != state {
				t.Fatalf("the list changed after %s:\n%s\n%s", end.name, state, got)
			}
			if got := lm.auditLog(t); got != audit {
				t.Fatalf("the audit log changed after %s:\n%s\n%s", end.name, audit, got)
			}
		})
	}
}

// A participant's websocket is identified once, when it opens. A
// registration withdrawn since then no longer acts on the list: neither
// a request for the floor nor withdrawing one goes through.
func TestLiveParticipantSocketIsRefusedOnceTheRegistrationIsWithdrawn(t *testing.T) {
	e := testenv.New(t)
	lm := newLiveMeeting(t, e, "m")
	_, tok := lm.participant(t, "Ana", "ngo", models.StatusApproved)
	ws := liveConnect(t, e, lm.slug, liveWithToken(tok))
	m := ws.cmd("ask", map[string]any{"action": "add_speaker", "item_id": lm.items[0]})
	if m.Type != "ack" {
		t.Fatalf("request while approved: %+v", m)
	}
	e.Participant(tok).MustJSON("POST", "/api/participant/withdraw", nil, 200, nil)
	state, audit := lm.state(t).Canonical(), lm.auditLog(t)

	for _, cmd := range []map[string]any{
		{"action": "add_speaker", "item_id": lm.items[1]},
		{"action": "remove_speaker", "speaker_id": m.Speaker.ID},
	} {
		got := ws.cmd("after", cmd)
		if got.Type != "error" || got.Code != "not_approved" {
			t.Fatalf("%v after withdrawal: %+v, want error not_approved", cmd["action"], got)
		}
	}
	if got := lm.state(t).Canonical(); got != state {
		t.Fatalf("the list changed:\n%s\n%s", state, got)
	}
	if got := lm.auditLog(t); got != audit {
		t.Fatal("the audit log changed")
	}
	// The REST path, which identifies every request afresh, says the same.
	res := e.Participant(tok).Do("DELETE", lm.path("/agenda/%d/speakers/%d", lm.items[0], m.Speaker.ID), nil)
	if res.Status != http.StatusConflict || !strings.Contains(string(res.Body), "not_approved") {
		t.Fatalf("REST withdrawal after the registration's: %d %s", res.Status, res.Body)
	}
}

// The server's close frame ends a socket even when the peer neither
// answers it nor stops talking: after a logout a moderator's page that
// keeps sending frames, or pongs nobody asked for, is cut within the
// close's grace, and the hub lets it go.
func TestLiveSocketEndsAfterItsCloseFrameEvenIfThePeerKeepsTalking(t *testing.T) {
	talk := map[string]func(c *websocket.Conn) error{
		"frames": func(c *websocket.Conn) error {
			return c.WriteMessage(websocket.TextMessage, []byte(`{"type":"resync"}`))
		},
		"pongs": func(c *websocket.Conn) error {
			return c.WriteControl(websocket.PongMessage, nil, time.Now().Add(time.Second))
		},
	}
	for name, say := range talk {
		t.Run(name, func(t *testing.T) {
			e := testenv.New(t)
			lm := newLiveMeeting(t, e, "m")
			mod := e.Staff(models.RoleModerator)
			before := e.App.Hub.Viewers(lm.id)
			ws := liveConnect(t, e, lm.slug, liveWithClient(mod))
			if got := e.App.Hub.Viewers(lm.id); got != before+1 {
				t.Fatalf("%d viewers after connecting, want %d", got, before+1)
			}
			mod.MustJSON("POST", "/api/logout", nil, 204, nil)
			// The peer reads nothing and keeps talking.
			stop := make(chan struct{})
			defer close(stop)
			go func() {
				for {
					select {
					case <-stop:
						return
					case <-time.After(20 * time.Millisecond):
					}
					if say(ws.conn) != nil {
						return
					}
				}
			}()
			deadline := time.Now().Add(15 * time.Second)
			for e.App.Hub.Viewers(lm.id) > before {
				if time.Now().After(deadline) {
					t.Fatalf("the socket is still open 15 s after its close frame, kept alive by the peer's %s", name)
				}
				time.Sleep(50 * time.Millisecond)
			}
		})
	}
}
