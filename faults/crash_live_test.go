package faults_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"rostrum/internal/apiclient"
	"rostrum/internal/livetest"
	"rostrum/internal/testenv"
	"rostrum/models"
)

// liveDriver runs a meeting through the REST commands as a moderator
// would, and remembers the state after every acknowledged command.
type liveDriver struct {
	t      *testing.T
	admin  *apiclient.Client
	slug   string
	items  []uint
	regs   []uint
	step   int
	acked  atomic.Int64 // commands acknowledged so far
	mu     sync.Mutex
	last   livetest.State // the state right after the last acknowledged command
	cutErr error          // the transport error that ended the driver (the kill)
}

func (d *liveDriver) get() (livetest.State, error) {
	var st livetest.State
	_, err := d.admin.Do("GET", "/api/meetings/"+d.slug+"/live", nil, &st)
	return st, err
}

// nextCommand picks a command from the state: fill the list, give the
// floor, pause, extend, resume, withdraw someone, change the item.
func (d *liveDriver) nextCommand(st livetest.State) (method, path string, body any) {
	d.step++
	base := "/api/meetings/" + d.slug
	cur := d.items[0]
	if st.CurrentItemID != nil {
		cur = *st.CurrentItemID
	}
	it := st.Item(cur)
	var speaking *uint
	var paused bool
	waitingRegs := map[uint]bool{}
	var waiting []uint
	for _, e := range it.Speakers {
		switch e.State {
		case models.SpeakerSpeaking:
			id := e.ID
			speaking, paused = &id, e.PausedAt != nil
		case models.SpeakerWaiting:
			waitingRegs[e.RegistrationID] = true
			waiting = append(waiting, e.ID)
		}
	}
	if d.step%17 == 0 && speaking == nil {
		other := d.items[0]
		if cur == other {
			other = d.items[1]
		}
		return "POST", base + "/current", map[string]any{"item_id": other}
	}
	switch d.step % 6 {
	case 0, 1:
		for i := range d.regs {
			r := d.regs[(d.step+i)%len(d.regs)]
			if !waitingRegs[r] {
				return "POST", fmt.Sprintf("%s/agenda/%d/speakers", base, cur), map[string]any{"registration_id": r}
			}
		}
	case 3:
		if speaking != nil && !paused {
			return "POST", fmt.Sprintf("%s/agenda/%d/speakers/%d/pause", base, cur, *speaking), nil
		}
	case 4:
		if speaking != nil {
			return "POST", fmt.Sprintf("%s/agenda/%d/speakers/%d/extend", base, cur, *speaking), map[string]any{"seconds": 30}
		}
	case 5:
		if speaking != nil && paused {
			return "POST", fmt.Sprintf("%s/agenda/%d/speakers/%d/resume", base, cur, *speaking), nil
		}
		if len(waiting) > 2 {
			return "DELETE", fmt.Sprintf("%s/agenda/%d/speakers/%d", base, cur, waiting[len(waiting)-1]), nil
		}
	}
	return "POST", fmt.Sprintf("%s/agenda/%d/next", base, cur), nil
}

// run sends commands until the server goes away under it.
func (d *liveDriver) run() {
	st, err := d.get()
	for err == nil {
		method, path, body := d.nextCommand(st)
		var res struct{ Seq int64 }
		_, err = d.admin.Do(method, path, body, &res)
		var ae *apiclient.Error
		if errors.As(err, &ae) {
			if ae.Status != 409 {
				d.t.Errorf("%s %s: %d %s", method, path, ae.Status, ae.Body)
				return
			}
			err = nil // a rule said no; nothing changed
			continue
		}
		if err != nil {
			break
		}
		if st, err = d.get(); err != nil {
			break
		}
		if st.Seq != res.Seq {
			d.t.Errorf("%s %s acknowledged seq %d, state then has seq %d", method, path, res.Seq, st.Seq)
			return
		}
		d.mu.Lock()
		d.last = st
		d.mu.Unlock()
		d.acked.Add(1)
	}
	d.mu.Lock()
	d.cutErr = err
	d.mu.Unlock()
}

// checkFloorRules checks the rules that must hold in any state.
func checkFloorRules(t testing.TB, st livetest.State) {
	t.Helper()
	speaking := 0
	for _, it := range st.Items {
		positions, waitingRegs := map[int]bool{}, map[uint]bool{}
		for _, e := range it.Speakers {
			switch e.State {
			case models.SpeakerSpeaking:
				speaking++
			case models.SpeakerWaiting:
				if positions[e.Position] || waitingRegs[e.RegistrationID] {
					t.Errorf("item %d: position %d or registration %d twice among the waiting", it.ID, e.Position, e.RegistrationID)
				}
				positions[e.Position], waitingRegs[e.RegistrationID] = true, true
			}
		}
	}
	if speaking > 1 {
		t.Errorf("%d entries speaking at once", speaking)
	}
}

// TestCrashDuringLiveMeetingRestoresTheListAndEveryViewerConverges kills
// the server with SIGKILL while a moderator runs the list and viewers
// (anonymous, a participant, a staff session) watch it over websockets.
// After each restart the list, the current item and the timer are as the
// last acknowledged command left them (or one command further, when the
// command cut by the kill had committed), and every viewer reconnects by
// itself and ends with exactly the server's state and seq.
func TestCrashDuringLiveMeetingRestoresTheListAndEveryViewerConverges(t *testing.T) {
	crashDuringLiveMeeting(t, "")
}

// The same on PostgreSQL (a fresh schema), when ROSTRUM_TEST_POSTGRES is set.
func TestCrashDuringLiveMeetingOnPostgreSQL(t *testing.T) {
	crashDuringLiveMeeting(t, testenv.PostgresDSN(t))
}

func crashDuringLiveMeeting(t *testing.T, db string) {
	const rounds = 4
	srv := startProcessOn(t, db)
	admin := adminClient(t, srv.URL)
	createMeetingAt(t, admin, "live", 0, 0)
	d := &liveDriver{t: t, admin: admin, slug: "live"}
	for _, title := range []string{"Existing and potential threats", "International law"} {
		var it struct{ ID uint }
		if _, err := admin.Do("POST", "/api/meetings/live/agenda", map[string]any{"title": title, "speaking_time_seconds": 180}, &it); err != nil {
			t.Fatal(err)
		}
		d.items = append(d.items, it.ID)
	}
	anon := apiclient.New(srv.URL, 2)
	var tokens []string
	for i := range 8 {
		var r testenv.Registered
		body := testenv.RegistrationBody(fmt.Sprintf("Live Org %d", i), fmt.Sprintf("Speaker %d", i), fmt.Sprintf("speaker%d@example.org", i))
		if i%2 == 1 {
			body["organization"].(map[string]any)["type"] = "academia"
		}
		if _, err := anon.Do("POST", "/api/meetings/live/registrations", body, &r); err != nil {
			t.Fatal(err)
		}
		if _, err := admin.Do("POST", fmt.Sprintf("/api/registrations/%d/decision", r.ID), map[string]string{"decision": "approve", "reason": "ok"}, nil); err != nil {
			t.Fatal(err)
		}
		d.regs = append(d.regs, r.ID)
		tokens = append(tokens, r.Token())
	}
	if _, err := admin.Do("POST", "/api/meetings/live/current", map[string]any{"item_id": d.items[0]}, nil); err != nil {
		t.Fatal(err)
	}

	// Viewers: four anonymous screens, two participants, a staff session.
	var viewers []*reconnectingViewer
	for i := range 4 {
		viewers = append(viewers, newViewer(fmt.Sprintf("screen %d", i), srv.URL, "live", "", ""))
	}
	viewers = append(viewers, newViewer("participant 0", srv.URL, "live", tokens[0], ""), newViewer("participant 1", srv.URL, "live", tokens[1], ""),
		newViewer("staff", srv.URL, "live", "", admin.CookieHeader()))
	ctx, stopViewers := context.WithCancel(context.Background())
	for _, v := range viewers {
		go v.run(ctx)
	}
	defer func() {
		stopViewers()
		for _, v := range viewers {
			<-v.stopped
		}
	}()

	for round := 1; round <= rounds; round++ {
		connectsBefore := make([]int, len(viewers))
		for i, v := range viewers {
			_, connectsBefore[i], _ = v.snapshot()
		}
		start := d.acked.Load()
		done := make(chan struct{})
		go func() { defer close(done); d.run() }()
		killAt := start + int64(8+3*round)
		deadline := time.Now().Add(30 * time.Second)
		for d.acked.Load() < killAt {
			if time.Now().After(deadline) || t.Failed() {
				t.Fatalf("round %d: only %d commands acknowledged", round, d.acked.Load()-start)
			}
			time.Sleep(time.Millisecond) // polling the driver's counter, not waiting for the server
		}
		srv.Kill() // SIGKILL while the moderator is in the middle of the next command
		<-done
		if t.Failed() {
			t.FailNow()
		}
		d.mu.Lock()
		last := d.last
		d.mu.Unlock()
		if err := srv.Restart(context.Background()); err != nil {
			t.Fatalf("round %d: restart: %v", round, err)
		}
		st, err := d.get()
		if err != nil {
			t.Fatal(err)
		}
		switch st.Seq {
		case last.Seq:
			if st.Canonical() != last.Canonical() {
				t.Fatalf("round %d: state after restart differs from the last acknowledged one:\n got  %s\n want %s", round, st.Canonical(), last.Canonical())
			}
		case last.Seq + 1: // the command cut by the kill had committed
		default:
			t.Fatalf("round %d: seq %d after restart, last acknowledged %d", round, st.Seq, last.Seq)
		}
		checkFloorRules(t, st)
		hasTimer := false
		for _, it := range st.Items {
			hasTimer = hasTimer || it.Timer != nil
		}
		waitViewersConverge(t, viewers, st, connectsBefore, round)
		t.Logf("round %d: killed after seq %d (acknowledged %d), restored seq %d, timer running or paused: %v; %d viewers converged",
			round, last.Seq, d.acked.Load(), st.Seq, hasTimer, len(viewers))
	}
	t.Logf("FIGURE crash-live rounds=%d viewers=%d", rounds, len(viewers))
}

// waitViewersConverge waits until every viewer has reconnected since the
// kill and holds exactly want.
func waitViewersConverge(t *testing.T, viewers []*reconnectingViewer, want livetest.State, connectsBefore []int, round int) {
	t.Helper()
	deadline := time.After(20 * time.Second)
	for i, v := range viewers {
		for {
			st, connects, changed := v.snapshot()
			if connects > connectsBefore[i] && st.Canonical() == want.Canonical() {
				break
			}
			select {
			case <-changed:
			case <-deadline:
				v.mu.Lock()
				err := v.lastErr
				v.mu.Unlock()
				t.Fatalf("round %d: viewer %s (connected %d times, last error %v) holds seq %d, want seq %d:\n got  %s\n want %s",
					round, v.name, connects, err, st.Seq, want.Seq, st.Canonical(), want.Canonical())
			}
		}
	}
}
