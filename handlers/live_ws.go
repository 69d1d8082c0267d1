package handlers

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	fws "github.com/fasthttp/websocket"
	"github.com/gofiber/contrib/websocket"
	"github.com/gofiber/fiber/v2"

	"rostrum/apperr"
	"rostrum/auth"
	"rostrum/live"
	"rostrum/locale"
	"rostrum/safely"
)

// Websocket limits. A frame up to maxCommandFrame bytes is read; a larger
// one, up to maxFrame, is skipped and answered with a "too_large" error
// while the connection carries on; beyond maxFrame the connection closes
// (1009), as the peer is hostile.
const (
	maxCommandFrame = 32 << 10
	maxFrame        = 1 << 20
	writeWait       = 10 * time.Second
	commandTimeout  = 10 * time.Second
)

const localsMeeting = "live_meeting"

// liveWriteBuffers lends write buffers to connections only while they
// write, so that thousands of idle viewers do not each hold one.
var liveWriteBuffers sync.Pool

// liveUpgrade checks the websocket request before the upgrade: the
// meeting exists, and a staff or participant session comes from this
// site (a page elsewhere must not use a viewer's credentials).
func (h *Handler) liveUpgrade(c *fiber.Ctx) error {
	if !websocket.IsWebSocketUpgrade(c) {
		return fiber.ErrUpgradeRequired
	}
	m, err := h.meeting(c)
	if err != nil {
		return err
	}
	a := actor(c)
	if (a.User != nil || a.Registration != nil) && !sameOrigin(c) {
		return apperr.Say(apperr.KindForbidden, "err.ws.origin")
	}
	c.Locals(localsMeeting, m.ID)
	setErrorLanguage(c, errorLanguage(c)) // the socket's errors speak the page's language
	return c.Next()
}

// sameOrigin reports whether the request's Origin (when a browser sent
// one) is this server.
func sameOrigin(c *fiber.Ctx) bool {
	o := c.Get(fiber.HeaderOrigin)
	if o == "" {
		return true // not a browser
	}
	u, err := url.Parse(o)
	return err == nil && strings.EqualFold(u.Host, c.Hostname())
}

// viewerYou is the viewer's own part of the state message.
type viewerYou struct {
	Role           string `json:"role"` // viewer, participant, or the staff role
	RegistrationID uint   `json:"registration_id,omitempty"`
	Name           string `json:"name,omitempty"`
}

func youOf(a auth.Actor) viewerYou {
	switch {
	case a.User != nil:
		return viewerYou{Role: a.User.Role, Name: a.User.Name}
	case a.Registration != nil:
		return viewerYou{Role: "participant", RegistrationID: a.Registration.ID, Name: a.Registration.Name}
	}
	return viewerYou{Role: "viewer"}
}

// liveSocket serves GET /ws/meetings/:slug. The handler's goroutine runs
// the read loop and never writes; everything written (the hub's changes,
// answers to commands, pings, the close frame) goes through the viewer's
// queue, whose writer the hub starts on demand, one at a time.
//
// The server keeps hijacked connections (app sets fasthttp's
// KeepHijackedConns): this handler owns its connection and closes it
// exactly once, through liveConn.Cut, whether the peer left, the hub
// dropped it or the handler panicked.
func (h *Handler) liveSocket() fiber.Handler {
	return websocket.New(func(conn *websocket.Conn) {
		meetingID, _ := conn.Locals(localsMeeting).(uint)
		a, _ := conn.Locals(actorKey).(auth.Actor)
		lc := &liveConn{conn: conn, actor: a}
		defer lc.Cut()
		// Compressed only when a frame asks (the full state), and set
		// before Join starts the viewer's writer.
		conn.EnableWriteCompression(false)
		v, err := h.Hub.Join(context.Background(), meetingID, a.IsStaff(), youOf(a), lc)
		if err != nil {
			_ = conn.WriteControl(websocket.CloseMessage,
				websocket.FormatCloseMessage(live.CloseGoingAway, "server shutting down"), time.Now().Add(time.Second))
			return
		}
		defer func() {
			// The connection is over: stop a writer even if it is blocked,
			// and wait for it before the connection is released.
			lc.Cut()
			v.Leave()
		}()
		h.liveReader(conn, v, a, meetingID)
	}, websocket.Config{ReadBufferSize: 1024, WriteBufferSize: 1024, WriteBufferPool: &liveWriteBuffers,
		// Offered to browsers, used for the full state only (Frame.Compress).
		EnableCompression: true,
		RecoverHandler:    h.liveRecover})
}

// liveRecover logs a panic of a websocket handler with its stack; the
// peer gets nothing of it (the connection is already closed).
func (h *Handler) liveRecover(*websocket.Conn) {
	if r := recover(); r != nil {
		safely.Log(h.Log, "live websocket", r)
	}
}

// liveConn is a viewer's websocket: it writes the viewer's frames and
// closes the connection once.
type liveConn struct {
	conn   *websocket.Conn
	actor  auth.Actor // who opened it
	closed sync.Once
}

// StaffSocketAllowed returns the hub's StaffAllowed: whether the staff
// session that opened a live socket still holds. After a logout, expiry
// or deletion the socket must stop receiving what only staff see.
func StaffSocketAllowed(authn *auth.Service, log *slog.Logger) func(context.Context, live.Conn) bool {
	return func(ctx context.Context, c live.Conn) bool {
		lc, ok := c.(*liveConn)
		if !ok {
			return false
		}
		_, err := socketActor(ctx, authn, lc.actor)
		if err != nil && !apperr.Is(err, apperr.KindUnauthorized) {
			log.Warn("live: recheck a staff socket", "err", err)
			return true // the database hiccupped: the next ping asks again
		}
		return err == nil
	}
}

// Cut closes the connection at once, even while a write to a peer that
// does not read is blocked (closing the socket ends the write); later
// calls do nothing.
func (c *liveConn) Cut() {
	c.closed.Do(func() { _ = c.conn.NetConn().Close() })
}

func (c *liveConn) WriteFrame(f live.Frame) error {
	deadline := time.Now().Add(writeWait)
	switch {
	case f.CloseCode != 0:
		// A peer that does not read will not get this; don't wait long.
		err := c.conn.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(f.CloseCode, f.CloseReason), time.Now().Add(time.Second))
		// Let the reader see the peer's close answer, or give up soon.
		_ = c.conn.SetReadDeadline(time.Now().Add(2 * time.Second))
		return err
	case f.Ping:
		if err := c.conn.WriteControl(websocket.PingMessage, nil, deadline); err != nil {
			c.Cut()
			return err
		}
	default:
		_ = c.conn.SetWriteDeadline(deadline)
		if f.Compress {
			// Only where the peer negotiated permessage-deflate.
			c.conn.EnableWriteCompression(true)
			defer c.conn.EnableWriteCompression(false)
		}
		var err error
		if pm, ok := f.Prepared.(*fws.PreparedMessage); ok {
			err = c.conn.WritePreparedMessage(pm)
		} else {
			err = c.conn.WriteMessage(websocket.TextMessage, f.Data)
		}
		if err != nil {
			c.Cut()
			return err
		}
	}
	return nil
}

// PrepareLiveMessage frames a message that goes to many viewers once for
// all of them (the hub's Prepare): each viewer's write then skips copying
// it through a write buffer.
func PrepareLiveMessage(msg []byte) any {
	pm, err := fws.NewPreparedMessage(fws.TextMessage, msg)
	if err != nil {
		return nil
	}
	return pm
}

// wsIn is a frame from a viewer: {"type":"resync"} or {"type":"cmd",
// "id", "action", ...fields of live.Command}.
type wsIn struct {
	Type string `json:"type"`
	ID   string `json:"id"`
	live.Command
}

type wsAck struct {
	Type    string      `json:"type"`
	ID      string      `json:"id"`
	Seq     int64       `json:"seq"`
	Speaker *live.Entry `json:"speaker,omitempty"`
}

type wsError struct {
	Type    string            `json:"type"`
	ID      string            `json:"id"`
	Code    string            `json:"code"`
	Message string            `json:"message"`
	Fields  map[string]string `json:"fields,omitempty"`
}

// liveReader reads the viewer's frames until the connection ends.
func (h *Handler) liveReader(conn *websocket.Conn, v *live.Viewer, a auth.Actor, meetingID uint) {
	// A viewer that answers neither of two pings (plus a second's grace)
	// is dead: its read deadline passes and the connection ends.
	pongWait := h.Hub.PongWait()
	lang, _ := conn.Locals(errorLangKey).(string) // liveUpgrade's
	conn.SetReadLimit(maxFrame)
	_ = conn.SetReadDeadline(time.Now().Add(pongWait))
	// heard pushes the deadline on whenever the peer is heard from (a
	// frame, a pong) and reports whether what it sent is to be served.
	// Once the server has said goodbye (WriteFrame then gives the peer two
	// seconds to answer), nothing the peer sends is served, and a peer
	// that keeps talking must not keep the connection open by it.
	heard := func() bool {
		if v.Closing() {
			return false
		}
		_ = conn.SetReadDeadline(time.Now().Add(pongWait))
		return true
	}
	conn.SetPongHandler(func(string) error { heard(); return nil })
	for {
		mt, r, err := conn.NextReader()
		if err != nil {
			return
		}
		if !heard() {
			continue
		}
		b, err := io.ReadAll(io.LimitReader(r, maxCommandFrame+1))
		if err != nil {
			return
		}
		if len(b) > maxCommandFrame {
			if _, err := io.Copy(io.Discard, r); err != nil {
				return
			}
			h.wsReplyError(v, lang, "", apperr.Say(apperr.KindTooLarge, "err.ws.frame_size", "Bytes", maxCommandFrame))
			continue
		}
		if mt != websocket.TextMessage {
			h.wsReplyError(v, lang, "", apperr.Say(apperr.KindBadRequest, "err.ws.text_frames").WithCode("bad_frame"))
			continue
		}
		// A text frame must be UTF-8 (RFC 6455); encoding/json would turn
		// bad bytes into U+FFFD and act on text the sender never wrote.
		if !utf8.Valid(b) {
			h.wsReplyError(v, lang, "", apperr.Say(apperr.KindBadRequest, "err.ws.utf8").WithCode("bad_utf8"))
			continue
		}
		h.liveFrame(v, lang, a, meetingID, b)
	}
}

// liveFrame handles one frame from a viewer.
func (h *Handler) liveFrame(v *live.Viewer, lang string, a auth.Actor, meetingID uint, b []byte) {
	var in wsIn
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&in); err != nil || dec.More() {
		bad := apperr.Say(apperr.KindBadRequest, "err.ws.malformed")
		if err != nil {
			bad = apperr.Say(apperr.KindBadRequest, "err.ws.malformed_because", "Why", jsonErrText(err))
		}
		h.wsReplyError(v, lang, in.ID, bad.WithCode("bad_json"))
		return
	}
	if len(in.ID) > 100 {
		h.wsReplyError(v, lang, "", apperr.Say(apperr.KindInvalid, "err.ws.id_long").WithField("id", "err.ws.id_max"))
		return
	}
	switch in.Type {
	case "resync":
		v.Resync()
	case "cmd":
		known := false
		for _, act := range live.Actions {
			known = known || act == in.Action
		}
		if !known {
			h.wsReplyError(v, lang, in.ID, apperr.Say(apperr.KindBadRequest, "err.live.unknown_action", "Action", strconv.Quote(in.Action)).WithCode("unknown_action"))
			return
		}
		ctx, cancel := liveContext()
		defer cancel()
		a, err := h.socketActor(ctx, a)
		if err != nil {
			h.wsReplyError(v, lang, in.ID, err)
			return
		}
		if _, err := h.participantThrottle(ctx, a); err != nil {
			h.wsReplyError(v, lang, in.ID, err)
			return
		}
		res, err := h.Live.Do(ctx, a, meetingID, in.Command)
		if err != nil {
			h.wsReplyError(v, lang, in.ID, err)
			return
		}
		out, _ := json.Marshal(wsAck{Type: "ack", ID: in.ID, Seq: res.Seq, Speaker: res.Speaker})
		v.Reply(out)
	default:
		h.wsReplyError(v, lang, in.ID, apperr.Say(apperr.KindBadRequest, "err.ws.unknown_type", "Type", strconv.Quote(in.Type)).WithCode("unknown_type"))
	}
}

// socketActor is who a socket's command comes from now. The socket was
// identified once, at the upgrade; a staff session may have ended since
// (logout, expiry, deletion) and a participant's registration may have
// changed, so each command reads them again (one indexed lookup) rather
// than trust what the upgrade saw. A socket whose credentials have gone
// is refused as unauthorized, like a REST request without them.
func (h *Handler) socketActor(ctx context.Context, a auth.Actor) (auth.Actor, error) {
	return socketActor(ctx, h.Auth, a)
}

func socketActor(ctx context.Context, authn *auth.Service, a auth.Actor) (auth.Actor, error) {
	now, err := authn.Current(ctx, a)
	if err != nil {
		return auth.Actor{}, err
	}
	switch {
	case a.User != nil && now.User == nil:
		return auth.Actor{}, apperr.Say(apperr.KindUnauthorized, "err.ws.session_ended")
	case a.Registration != nil && now.Registration == nil:
		return auth.Actor{}, apperr.Say(apperr.KindUnauthorized, "err.link_no_longer_valid")
	}
	return now, nil
}

// wsReplyError answers a frame with an error, the websocket's form of
// ErrorHandler: domain errors say what went wrong, in the language of the
// page that opened the socket (lang; "" is English), others are logged.
func (h *Handler) wsReplyError(v *live.Viewer, lang, id string, err error) {
	if lang == "" {
		lang = locale.Default
	}
	out := wsError{Type: "error", ID: id}
	var ae *apperr.Error
	if errors.As(err, &ae) {
		out.Code, out.Message, out.Fields = apperr.CodeOf(ae), ae.MessageIn(lang), ae.FieldsIn(lang)
	} else {
		h.Log.Error("live command failed", "err", err)
		out.Code, out.Message = apperr.CodeInternal, locale.T(lang, "err.internal")
	}
	b, _ := json.Marshal(out)
	v.Reply(b)
}
