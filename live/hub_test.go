package live

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"

	"rostrum/apperr"
	"rostrum/auth"
	"rostrum/models"
	"rostrum/store"
)

// liveDB is a fresh database with one meeting, one agenda item and three
// approved registrations.
type liveDB struct {
	svc     *Service
	meeting uint
	item    uint
	regs    []uint
	mod     auth.Actor
}

func newLiveDB(t testing.TB, feed Feed) *liveDB {
	t.Helper()
	db, err := store.Open(filepath.Join(t.TempDir(), "live.db"), slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = store.Close(db) })
	if err := store.Migrate(db); err != nil {
		t.Fatal(err)
	}
	m := models.Meeting{Slug: "m", Title: "M", StartsAt: t0, EndsAt: t0.Add(time.Hour), RegistrationClosesAt: t0}
	if err := db.Create(&m).Error; err != nil {
		t.Fatal(err)
	}
	it := models.AgendaItem{MeetingID: m.ID, Position: 1, Title: "Item", SpeakingTimeSeconds: 120}
	if err := db.Create(&it).Error; err != nil {
		t.Fatal(err)
	}
	l := &liveDB{svc: NewService(db, feed, dbRegistry{}, slog.New(slog.DiscardHandler)), meeting: m.ID, item: it.ID,
		mod: auth.Actor{User: &models.User{ID: 1, Email: "mod@example.org", Role: models.RoleModerator}}}
	for _, n := range []string{"Ana", "Ben", "Chen"} {
		org := models.Organization{Name: n + " Org", NameKey: n, Type: "ngo", Country: "CH"}
		if err := db.Create(&org).Error; err != nil {
			t.Fatal(err)
		}
		tok := auth.NewToken()
		r := models.Registration{MeetingID: m.ID, OrganizationID: org.ID, Name: n, Email: n + "@example.org",
			Status: models.StatusApproved, Token: tok, TokenHash: auth.HashToken(tok), ConsentAt: t0}
		if err := db.Create(&r).Error; err != nil {
			t.Fatal(err)
		}
		l.regs = append(l.regs, r.ID)
	}
	return l
}

func (l *liveDB) do(t testing.TB, cmd Command) int64 {
	t.Helper()
	res, err := l.svc.Do(context.Background(), l.mod, l.meeting, cmd)
	if err != nil {
		t.Fatalf("%s: %v", cmd.Action, err)
	}
	return res.Seq
}

// testConn is a viewer's connection in these tests: every frame written
// goes to frames, until a close frame; then the viewer leaves, as its
// connection's handler would, and frames is closed. A cut only unblocks a
// stuck write, so that a test sees which close frame followed.
type testConn struct {
	frames chan Frame
	ended  chan struct{} // a close frame was written
	cut    chan struct{}
	once   sync.Once
	endOne sync.Once
	// stuck makes the first write wait until the connection is cut, as
	// a write to a peer that does not read; stuckOnPatch does the same
	// to the first change after the state.
	stuck, stuckOnPatch bool
}

func (c *testConn) Cut() { c.once.Do(func() { close(c.cut) }) }

func (c *testConn) WriteFrame(f Frame) error {
	if c.stuck || c.stuckOnPatch && bytes.HasPrefix(f.Data, []byte(`{"type":"patch"`)) {
		c.stuck, c.stuckOnPatch = false, false
		<-c.cut
	}
	c.frames <- f
	if f.CloseCode != 0 {
		c.endOne.Do(func() { close(c.ended) })
	}
	return nil
}

// join adds a viewer on a testConn and returns the frames it is sent.
func join(t *testing.T, h *Hub, meeting uint, staff bool, you any, stuck bool) (*Viewer, *testConn) {
	t.Helper()
	c := &testConn{frames: make(chan Frame, 100), ended: make(chan struct{}), cut: make(chan struct{}), stuck: stuck}
	v, err := h.Join(context.Background(), meeting, staff, you, c)
	if err != nil {
		t.Fatal(err)
	}
	go func() {
		<-c.ended
		v.Leave()
		close(c.frames)
	}()
	return v, c
}

type msgHead struct {
	Type string `json:"type"`
	Seq  int64  `json:"seq"`
}

// nextMessage returns the next text frame's type and seq, skipping pings.
func nextMessage(t *testing.T, ch <-chan Frame) (msgHead, Frame) {
	t.Helper()
	for {
		select {
		case f, ok := <-ch:
			if !ok {
				t.Fatal("viewer ended")
			}
			if f.Ping {
				continue
			}
			var h msgHead
			if f.Data != nil {
				if err := json.Unmarshal(f.Data, &h); err != nil {
					t.Fatal(err)
				}
			}
			return h, f
		case <-time.After(10 * time.Second):
			t.Fatal("no message")
		}
	}
}

func closeHub(h *Hub) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	h.Close(ctx)
}

func newHub(l *liveDB, feed Feed) *Hub {
	h := NewHub(l.svc, feed, slog.New(slog.DiscardHandler))
	h.PingInterval = time.Hour
	h.CheckInterval = time.Hour
	return h
}

func TestHubDropsAViewerWhoseQueueIsFullAndServesTheOthers(t *testing.T) {
	feed := NewLocalFeed()
	l := newLiveDB(t, feed)
	h := newHub(l, feed)
	h.SendBuffer = 2
	h.Start()
	t.Cleanup(func() { closeHub(h) })
	_, fast := join(t, h, l.meeting, false, map[string]string{"role": "viewer"}, false)
	fastFrames := fast.frames
	if m, _ := nextMessage(t, fastFrames); m.Type != "state" || m.Seq != 0 {
		t.Fatalf("first %+v", m)
	}
	// The slow viewer's connection is stuck writing its state message.
	_, slow := join(t, h, l.meeting, false, nil, true)
	dropped := slow.cut
	for i, reg := range l.regs {
		seq := l.do(t, Command{Action: ActAddSpeaker, ItemID: l.item, RegistrationID: reg})
		if m, _ := nextMessage(t, fastFrames); m.Type != "patch" || m.Seq != seq {
			t.Fatalf("fast viewer got %+v, want patch %d", m, seq)
		}
		if i < 2 {
			select {
			case <-dropped:
				t.Fatalf("dropped after %d changes with room for 2", i+1)
			default:
			}
		}
	}
	select {
	case <-dropped:
	case <-time.After(10 * time.Second):
		t.Fatal("the slow viewer was not dropped")
	}
	// It is told to come back later: its next frame after the one it was
	// stuck on (the state message, unless the drop came before its writer
	// started) is the close frame, ahead of the queued changes; the fast
	// one carries on.
	f := <-slow.frames
	if f.CloseCode == 0 {
		if m := string(f.Data); !strings.HasPrefix(m, `{"type":"state"`) {
			t.Fatalf("slow viewer's first frame %q", m)
		}
		f = <-slow.frames
	}
	if f.CloseCode != CloseTryLater {
		t.Fatalf("after the drop: %+v, want close %d", f, CloseTryLater)
	}
	for range slow.frames { // it leaves
	}
	seq := l.do(t, Command{Action: ActClose, ItemID: l.item})
	if m, _ := nextMessage(t, fastFrames); m.Seq != seq {
		t.Fatalf("fast viewer after the drop: %+v", m)
	}
	if got := h.Viewers(l.meeting); got != 1 {
		t.Fatalf("%d viewers", got)
	}
}

// A change goes to the idle viewers through a few writers (deliver); a
// viewer whose socket is full blocks the writer that took it until its
// deadline. With more such viewers than writers, the others must still
// get the change at once: another writer joins whenever the writers
// stop making progress.
func TestViewersWhoseWritesBlockDoNotHoldUpTheOthers(t *testing.T) {
	feed := NewLocalFeed()
	l := newLiveDB(t, feed)
	h := newHub(l, feed)
	h.Start()
	t.Cleanup(func() { closeHub(h) })
	stuck := 3 * deliverWriters(1000)
	var good, blocked []*testConn
	defer func() {
		for _, c := range blocked { // as their write deadlines would
			c.Cut()
		}
	}()
	for i := range stuck + 40 {
		_, c := join(t, h, l.meeting, false, nil, false)
		c.stuckOnPatch = i < stuck
		if m, _ := nextMessage(t, c.frames); m.Type != "state" {
			t.Fatalf("first message %+v", m)
		}
		if i < stuck {
			blocked = append(blocked, c)
		} else {
			good = append(good, c)
		}
	}
	seq := l.do(t, Command{Action: ActAddSpeaker, ItemID: l.item, RegistrationID: l.regs[0]})
	for i, c := range good {
		if m, _ := nextMessage(t, c.frames); m.Type != "patch" || m.Seq != seq {
			t.Fatalf("viewer %d got %+v, want patch %d", i, m, seq)
		}
	}
}

// lossyFeed loses every notification.
type lossyFeed struct{ *LocalFeed }

func (lossyFeed) Publish(context.Context, Change) error { return nil }

func TestHubHealsLostNotificationsBySeq(t *testing.T) {
	feed := lossyFeed{NewLocalFeed()}
	l := newLiveDB(t, feed)
	h := newHub(l, feed)
	h.CheckInterval = 10 * time.Millisecond
	h.Start()
	t.Cleanup(func() { closeHub(h) })
	_, c := join(t, h, l.meeting, true, nil, false)
	ch := c.frames
	nextMessage(t, ch)
	var last int64
	for _, reg := range l.regs {
		last = l.do(t, Command{Action: ActAddSpeaker, ItemID: l.item, RegistrationID: reg})
	}
	for want := int64(1); want <= last; want++ {
		m, f := nextMessage(t, ch)
		if m.Type != "patch" || m.Seq != want {
			t.Fatalf("got %+v, want patch %d", m, want)
		}
		var by struct {
			By *byLine `json:"by"`
		}
		_ = json.Unmarshal(f.Data, &by)
		if by.By == nil || by.By.Actor != "staff:mod@example.org" || by.By.Action != ActAddSpeaker {
			t.Fatalf("staff viewer's patch lacks who: %s", f.Data)
		}
	}
}

func TestViewerTakesTheFullStateAfterAGap(t *testing.T) {
	feed := NewLocalFeed()
	l := newLiveDB(t, feed)
	h := newHub(l, feed)
	ctx := context.Background()
	v, c := join(t, h, l.meeting, false, nil, false)
	ch := c.frames
	nextMessage(t, ch)
	// Two changes, of which this instance hears only of the second one's
	// patch: the viewer must not apply it on top of seq 0.
	l.do(t, Command{Action: ActAddSpeaker, ItemID: l.item, RegistrationID: l.regs[0]})
	l.do(t, Command{Action: ActAddSpeaker, ItemID: l.item, RegistrationID: l.regs[1]})
	evs, err := l.svc.Events(ctx, l.meeting, 1, 10)
	if err != nil || len(evs) != 1 {
		t.Fatal(err, len(evs))
	}
	v.room.fanOut(encodeChange(&evs[0], time.Now()))
	m, f := nextMessage(t, ch)
	if m.Type != "state" || m.Seq != 2 {
		t.Fatalf("after a gap: %+v", m)
	}
	var st struct {
		Data State `json:"data"`
	}
	if err := json.Unmarshal(f.Data, &st); err != nil || len(st.Data.Items[0].Speakers) != 2 {
		t.Fatalf("state %s", f.Data)
	}
	// A resync asked for by the viewer also gets the full state.
	v.Resync()
	if m, _ := nextMessage(t, ch); m.Type != "state" || m.Seq != 2 {
		t.Fatalf("resync: %+v", m)
	}
	closeHub(h)
	if _, f := nextMessage(t, ch); f.CloseCode != CloseGoingAway {
		t.Fatalf("shutdown frame %+v", f)
	}
	if _, err := h.Join(ctx, l.meeting, false, nil, &testConn{}); err != ErrClosing {
		t.Fatalf("join after close: %v", err)
	}
}

func TestStateIsEncodedOncePerSeqAndFollowsTheAgenda(t *testing.T) {
	l := newLiveDB(t, NewLocalFeed())
	ctx := context.Background()
	seq, a, err := l.svc.StateJSON(ctx, l.meeting)
	if err != nil || seq != 0 {
		t.Fatal(err, seq)
	}
	l.do(t, Command{Action: ActAddSpeaker, ItemID: l.item, RegistrationID: l.regs[0]})
	seq, b, _ := l.svc.StateJSON(ctx, l.meeting)
	if seq != 1 || string(a) == string(b) {
		t.Fatalf("stale state after a change: %d", seq)
	}
	// An agenda item added outside the live list shows up too.
	it := models.AgendaItem{MeetingID: l.meeting, Position: 2, Title: "Second", SpeakingTimeSeconds: 60}
	if err := l.svc.DB.Create(&it).Error; err != nil {
		t.Fatal(err)
	}
	_, c, _ := l.svc.StateJSON(ctx, l.meeting)
	var st State
	if err := json.Unmarshal(c, &st); err != nil || len(st.Items) != 2 || st.Seq != 1 || st.ServerTime.IsZero() {
		t.Fatalf("state %s", c)
	}
}

// A viewer whose room empties (its last viewer leaves) between finding it
// and entering it joins the room a later viewer made meanwhile, so that
// both get every change; it never takes the meeting away from that room.
func TestAViewerJoiningAsItsRoomEmptiesSharesTheNewRoom(t *testing.T) {
	feed := NewLocalFeed()
	l := newLiveDB(t, feed)
	h := newHub(l, feed)
	h.Start()
	t.Cleanup(func() { closeHub(h) })
	stale, err := h.room(context.Background(), l.meeting)
	if err != nil {
		t.Fatal(err)
	}
	h.mu.Lock()
	delete(h.rooms, l.meeting) // the room's last viewer left
	h.mu.Unlock()
	_, later := join(t, h, l.meeting, false, nil, false)
	c := &testConn{frames: make(chan Frame, 100), ended: make(chan struct{}), cut: make(chan struct{})}
	v, err := h.admit(l.meeting, stale, &Viewer{hub: h, conn: c, you: []byte("{}"), needState: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(v.Leave)
	for _, ch := range []<-chan Frame{later.frames, c.frames} {
		if m, _ := nextMessage(t, ch); m.Type != "state" {
			t.Fatalf("first %+v", m)
		}
	}
	seq := l.do(t, Command{Action: ActAddSpeaker, ItemID: l.item, RegistrationID: l.regs[0]})
	for i, ch := range []<-chan Frame{later.frames, c.frames} {
		if m, _ := nextMessage(t, ch); m.Type != "patch" || m.Seq != seq {
			t.Fatalf("viewer %d got %+v, want patch %d", i, m, seq)
		}
	}
}

// dbRegistry reads registrations straight from the database, standing in
// for package registration (live.Registry) in these tests.
type dbRegistry struct{}

func (dbRegistry) Registration(tx *gorm.DB, meetingID, id uint) (*models.Registration, error) {
	var r models.Registration
	err := tx.Preload("Organization").Where("id = ? AND meeting_id = ?", id, meetingID).First(&r).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, apperr.NotFound("no registration %d for this meeting", id)
	}
	return &r, err
}
