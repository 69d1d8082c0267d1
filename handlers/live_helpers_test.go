package handlers_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"rostrum/auth"
	"rostrum/internal/apiclient"
	"rostrum/internal/livetest"
	"rostrum/internal/testenv"
	"rostrum/live"
	"rostrum/models"
)

// liveMeeting is a meeting with two agenda items, ready for a live list.
type liveMeeting struct {
	e     *testenv.Env
	admin *testenv.Client
	mod   *testenv.Client
	slug  string
	id    uint
	items []uint
}

func newLiveMeeting(t *testing.T, e *testenv.Env, slug string) *liveMeeting {
	t.Helper()
	admin := e.Admin()
	var m struct {
		ID uint `json:"id"`
	}
	admin.MustJSON("POST", "/api/meetings", meetingInput(slug), 201, &m)
	lm := &liveMeeting{e: e, admin: admin, mod: e.Staff(models.RoleModerator), slug: slug, id: m.ID}
	// The agenda is stored directly, before anyone watches, so that the
	// live list starts at seq 0 (adding items through the API is a live
	// change of its own: TestAgendaItemAddedDuringAMeetingReachesEveryViewer).
	for i, title := range []string{"Existing and potential threats", "International law"} {
		it := models.AgendaItem{MeetingID: m.ID, Position: i + 1, Title: title, SpeakingTimeSeconds: 180}
		if err := e.App.DB.Create(&it).Error; err != nil {
			t.Fatal(err)
		}
		lm.items = append(lm.items, it.ID)
	}
	return lm
}

// participant stores a registration directly (the registration
// capability is built elsewhere) and returns it with its token.
func (lm *liveMeeting) participant(t *testing.T, name, orgType, status string) (models.Registration, string) {
	t.Helper()
	db := lm.e.App.DB
	org := models.Organization{Name: name + " Org", NameKey: strings.ToLower(name + " org " + auth.NewToken()[:6]), Type: orgType, Country: "CH"}
	if err := db.Create(&org).Error; err != nil {
		t.Fatal(err)
	}
	tok := auth.NewToken()
	r := models.Registration{
		MeetingID: lm.id, OrganizationID: org.ID, Name: name,
		Email:  strings.ToLower(strings.ReplaceAll(name, " ", ".")) + "@example.org",
		Status: status, Token: tok, TokenHash: auth.HashToken(tok), ConsentAt: time.Now().UTC(),
	}
	if err := db.Create(&r).Error; err != nil {
		t.Fatal(err)
	}
	r.Organization = org
	return r, tok
}

func (lm *liveMeeting) path(format string, args ...any) string {
	return "/api/meetings/" + lm.slug + fmt.Sprintf(format, args...)
}

// state is the live state as anyone reads it (GET .../live).
func (lm *liveMeeting) state(t *testing.T) livetest.State {
	t.Helper()
	var st livetest.State
	lm.e.Anon().MustJSON("GET", lm.path("/live"), nil, 200, &st)
	return st
}

// liveViewer is a real websocket client of a meeting that keeps the state it
// was sent up to date, as the pages do.
type liveViewer struct {
	t     *testing.T
	conn  *websocket.Conn
	state livetest.State
	// other holds the messages that are neither state nor patch (acks,
	// errors), in order.
	other []livetest.Message
	seqs  []int64
}

type liveDialOpt func(h http.Header, q url.Values)

func liveWithToken(tok string) liveDialOpt {
	return func(_ http.Header, q url.Values) { q.Set("token", tok) }
}

func liveWithClient(c *testenv.Client) liveDialOpt {
	return func(h http.Header, _ url.Values) { h.Set("Cookie", c.CookieHeader()) }
}

func liveWithOrigin(o string) liveDialOpt {
	return func(h http.Header, _ url.Values) { h.Set("Origin", o) }
}

func dialLive(t *testing.T, e *testenv.Env, slug string, opts ...liveDialOpt) (*websocket.Conn, *http.Response, error) {
	h, q := http.Header{}, url.Values{}
	for _, o := range opts {
		o(h, q)
	}
	u := apiclient.LiveURL(e.URL, slug, "")
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	d := websocket.Dialer{HandshakeTimeout: 5 * time.Second}
	return d.Dial(u, h)
}

// liveConnect opens a viewer and reads its first message, the state.
func liveConnect(t *testing.T, e *testenv.Env, slug string, opts ...liveDialOpt) *liveViewer {
	t.Helper()
	c, resp, err := dialLive(t, e, slug, opts...)
	if err != nil {
		status := 0
		if resp != nil {
			status = resp.StatusCode
		}
		t.Fatalf("dial: %v (status %d)", err, status)
	}
	t.Cleanup(func() { _ = c.Close() })
	v := &liveViewer{t: t, conn: c}
	m := v.read()
	if m.Type != "state" {
		t.Fatalf("first message is %q, want state", m.Type)
	}
	return v
}

// read reads the next message (with a deadline) and applies it; a state
// or patch the viewer cannot follow fails the test.
func (v *liveViewer) read() livetest.Message {
	v.t.Helper()
	_ = v.conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	var m livetest.Message
	if err := v.conn.ReadJSON(&m); err != nil {
		v.t.Fatalf("read: %v", err)
	}
	followed, err := v.state.Follow(m)
	switch {
	case err != nil:
		v.t.Fatal(err)
	case followed:
		v.seqs = append(v.seqs, m.Seq)
	default:
		v.other = append(v.other, m)
	}
	return m
}

// until reads until a message satisfies ok, and returns it.
func (v *liveViewer) until(ok func(livetest.Message) bool) livetest.Message {
	v.t.Helper()
	for {
		if m := v.read(); ok(m) {
			return m
		}
	}
}

// untilSeq reads until the viewer's state has reached seq.
func (v *liveViewer) untilSeq(seq int64) {
	v.t.Helper()
	for v.state.Seq < seq {
		v.read()
	}
}

// cmd sends a command and waits for its answer.
func (v *liveViewer) cmd(id string, fields map[string]any) livetest.Message {
	v.t.Helper()
	msg := map[string]any{"type": "cmd", "id": id}
	for k, x := range fields {
		msg[k] = x
	}
	v.send(msg)
	return v.until(func(m livetest.Message) bool { return (m.Type == "ack" || m.Type == "error") && m.ID == id })
}

func (v *liveViewer) send(msg any) {
	v.t.Helper()
	if err := v.conn.WriteJSON(msg); err != nil {
		v.t.Fatalf("write: %v", err)
	}
}

// liveResult is the answer of a REST command.
type liveResult struct {
	Seq     int64       `json:"seq"`
	Speaker *live.Entry `json:"speaker"`
}
