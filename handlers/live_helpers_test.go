package handlers_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"rostrum/auth"
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

// liveStateView is the full state as clients see it.
type liveStateView struct {
	Seq           int64                        `json:"seq"`
	ServerTime    time.Time                    `json:"server_time"`
	CurrentItemID *uint                        `json:"current_item_id"`
	Items         []liveItemView               `json:"items"`
	Balance       map[string]*live.TypeBalance `json:"balance"`
}

type liveItemView struct {
	ID                  uint          `json:"id"`
	Title               string        `json:"title"`
	SpeakingTimeSeconds int           `json:"speaking_time_seconds"`
	Closed              bool          `json:"closed"`
	Speakers            []*live.Entry `json:"speakers"`
	Timer               *live.Timer   `json:"timer"`
}

func (lm *liveMeeting) state(t *testing.T) liveStateView {
	t.Helper()
	var st liveStateView
	lm.e.Anon().MustJSON("GET", lm.path("/live"), nil, 200, &st)
	return st
}

func (st liveStateView) item(id uint) *liveItemView {
	for i := range st.Items {
		if st.Items[i].ID == id {
			return &st.Items[i]
		}
	}
	return nil
}

// waitingNames lists the waiting speakers of item in order.
func (st liveStateView) waitingNames(item uint) []string {
	var out []string
	for _, e := range st.item(item).Speakers {
		if e.State == models.SpeakerWaiting {
			out = append(out, e.Name)
		}
	}
	return out
}

func (st liveStateView) entry(id uint) *live.Entry {
	for _, it := range st.Items {
		for _, e := range it.Speakers {
			if e.ID == id {
				return e
			}
		}
	}
	return nil
}

// comparable returns the state without its server time, as JSON.
func (st liveStateView) comparable(t *testing.T) string {
	st.ServerTime = time.Time{}
	b, err := json.Marshal(st)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// applyPatch applies a patch the way static/js/livestate.js does.
func (st *liveStateView) applyPatch(t *testing.T, seq int64, data json.RawMessage) {
	t.Helper()
	var p struct {
		CurrentItemID *uint                        `json:"current_item_id"`
		Items         []live.ItemHeader            `json:"items"`
		Speakers      []*live.Entry                `json:"speakers"`
		Balance       map[string]*live.TypeBalance `json:"balance"`
		AddedItems    []liveItemView               `json:"added_items"`
	}
	if err := json.Unmarshal(data, &p); err != nil {
		t.Fatal(err)
	}
	st.Seq = seq
	st.CurrentItemID = p.CurrentItemID
	for _, it := range p.AddedItems {
		if st.item(it.ID) == nil {
			st.Items = append(st.Items, it)
		}
	}
	for _, h := range p.Items {
		it := st.item(h.ID)
		it.Closed, it.Timer = h.Closed, h.Timer
	}
	for _, e := range p.Speakers {
		it := st.item(e.AgendaItemID)
		if i := slices.IndexFunc(it.Speakers, func(x *live.Entry) bool { return x.ID == e.ID }); i >= 0 {
			it.Speakers[i] = e
		} else {
			it.Speakers = append(it.Speakers, e)
		}
		slices.SortStableFunc(it.Speakers, live.CompareEntries)
	}
	if p.Balance != nil {
		st.Balance = p.Balance
	}
}

// liveMsg is any message from the server.
type liveMsg struct {
	Type    string            `json:"type"`
	Seq     int64             `json:"seq"`
	ID      string            `json:"id"`
	Code    string            `json:"code"`
	Message string            `json:"message"`
	Fields  map[string]string `json:"fields"`
	Data    json.RawMessage   `json:"data"`
	You     map[string]any    `json:"you"`
	By      *struct {
		Actor  string `json:"actor"`
		Action string `json:"action"`
	} `json:"by"`
	Speaker *live.Entry `json:"speaker"`
}

// liveViewer is a real websocket client of a meeting that keeps the state it
// was sent up to date, as the pages do.
type liveViewer struct {
	t     *testing.T
	conn  *websocket.Conn
	state liveStateView
	// other holds the messages that are neither state nor patch (acks,
	// errors), in order.
	other []liveMsg
	seqs  []int64
}

type liveDialOpt func(h http.Header, q url.Values)

func liveWithToken(tok string) liveDialOpt {
	return func(_ http.Header, q url.Values) { q.Set("token", tok) }
}

func liveWithClient(c *testenv.Client) liveDialOpt {
	return func(h http.Header, _ url.Values) {
		u, _ := url.Parse(c.Base)
		var parts []string
		for _, ck := range c.HTTP.Jar.Cookies(u) {
			parts = append(parts, ck.Name+"="+ck.Value)
		}
		h.Set("Cookie", strings.Join(parts, "; "))
	}
}

func liveWithOrigin(o string) liveDialOpt {
	return func(h http.Header, _ url.Values) { h.Set("Origin", o) }
}

func dialLive(t *testing.T, e *testenv.Env, slug string, opts ...liveDialOpt) (*websocket.Conn, *http.Response, error) {
	h, q := http.Header{}, url.Values{}
	for _, o := range opts {
		o(h, q)
	}
	u := "ws" + strings.TrimPrefix(e.URL, "http") + "/ws/meetings/" + slug
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

// read reads the next message (with a deadline) and applies it.
func (v *liveViewer) read() liveMsg {
	v.t.Helper()
	_ = v.conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	var m liveMsg
	if err := v.conn.ReadJSON(&m); err != nil {
		v.t.Fatalf("read: %v", err)
	}
	switch m.Type {
	case "state":
		var st liveStateView
		if err := json.Unmarshal(m.Data, &st); err != nil {
			v.t.Fatal(err)
		}
		if st.Seq != m.Seq {
			v.t.Fatalf("state message seq %d, data seq %d", m.Seq, st.Seq)
		}
		v.state = st
		v.seqs = append(v.seqs, m.Seq)
	case "patch":
		if m.Seq != v.state.Seq+1 {
			v.t.Fatalf("patch seq %d after %d", m.Seq, v.state.Seq)
		}
		v.state.applyPatch(v.t, m.Seq, m.Data)
		v.seqs = append(v.seqs, m.Seq)
	default:
		v.other = append(v.other, m)
	}
	return m
}

// until reads until a message satisfies ok, and returns it.
func (v *liveViewer) until(ok func(liveMsg) bool) liveMsg {
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
func (v *liveViewer) cmd(id string, fields map[string]any) liveMsg {
	v.t.Helper()
	msg := map[string]any{"type": "cmd", "id": id}
	for k, x := range fields {
		msg[k] = x
	}
	v.send(msg)
	return v.until(func(m liveMsg) bool { return (m.Type == "ack" || m.Type == "error") && m.ID == id })
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
