package main

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"

	"rostrum/internal/apiclient"
	"rostrum/internal/loopback"
)

// FanoutConfig sizes a live fan-out run.
type FanoutConfig struct {
	Viewers  int
	Commands int           // moderator commands to send
	Interval time.Duration // between commands
	// Profile, when set, is called as the commands start and returns a
	// function that waits for the server's CPU profile.
	Profile func() (wait func())
	// Connected, when set, is called once every viewer is connected; it
	// returns the server's goroutine count and its heap and stacks in use
	// for the report.
	Connected func() (goroutines, mem string)
}

// viewer is one websocket client; it records when each seq arrived.
type viewer struct {
	conn    *websocket.Conn
	first   int64 // seq of the state message
	mu      sync.Mutex
	arrived map[int64]time.Time
	last    int64
	gaps    int
	closed  atomic.Bool
}

// seqOf reads the seq of a message without decoding all of it: every
// message starts {"type":"…","seq":N.
func seqOf(msg []byte) (typ string, seq int64, ok bool) {
	i := bytes.Index(msg, []byte(`"seq":`))
	if i < 0 {
		return "", 0, false
	}
	j := i + len(`"seq":`)
	k := j
	for k < len(msg) && msg[k] >= '0' && msg[k] <= '9' {
		k++
	}
	n, err := strconv.ParseInt(string(msg[j:k]), 10, 64)
	if err != nil {
		return "", 0, false
	}
	t := bytes.Index(msg, []byte(`"type":"`))
	if t >= 0 {
		rest := msg[t+8:]
		if e := bytes.IndexByte(rest, '"'); e >= 0 {
			typ = string(rest[:e])
		}
	}
	return typ, n, true
}

func (v *viewer) read() {
	for {
		_, msg, err := v.conn.ReadMessage()
		if err != nil {
			v.closed.Store(true)
			return
		}
		now := time.Now()
		typ, seq, ok := seqOf(msg)
		if !ok || (typ != "patch" && typ != "state") {
			continue
		}
		v.mu.Lock()
		if typ == "patch" {
			if v.last != 0 && seq != v.last+1 {
				v.gaps++
			}
			v.arrived[seq] = now
		}
		if seq > v.last {
			v.last = seq
		}
		v.mu.Unlock()
	}
}

// setupMeeting creates a meeting with one agenda item (made current) and
// approved participants the moderator can put on the list.
func setupMeeting(admin *apiclient.Client, participants int) (slug string, itemID uint, regIDs []uint, err error) {
	slug, err = createMeeting(admin, "live", 0, 0, "chatham_house")
	if err != nil {
		return "", 0, nil, err
	}
	var item struct {
		ID uint `json:"id"`
	}
	if _, err = admin.Do("POST", "/api/meetings/"+slug+"/agenda", map[string]any{"title": "Existing and potential threats", "speaking_time_seconds": 180}, &item); err != nil {
		return "", 0, nil, fmt.Errorf("agenda: %w", err)
	}
	if _, err = admin.Do("POST", "/api/meetings/"+slug+"/current", map[string]any{"item_id": item.ID}, nil); err != nil {
		return "", 0, nil, fmt.Errorf("set current item: %w", err)
	}
	anon := apiclient.New(admin.Base, 4)
	for i := 0; i < participants; i++ {
		anon.Reconnect() // each participant registers from an address of their own
		var reg struct {
			ID uint `json:"id"`
		}
		if _, err = anon.Do("POST", "/api/meetings/"+slug+"/registrations", registrationBody(slug, i, i), &reg); err != nil {
			return "", 0, nil, fmt.Errorf("register: %w", err)
		}
		if _, err = admin.Do("POST", fmt.Sprintf("/api/registrations/%d/decision", reg.ID), map[string]any{"decision": "approve", "reason": "load test"}, nil); err != nil {
			return "", 0, nil, fmt.Errorf("approve: %w", err)
		}
		regIDs = append(regIDs, reg.ID)
	}
	return slug, item.ID, regIDs, nil
}

// Fanout connects N viewers to one meeting, sends moderator commands at a
// fixed interval, and measures for every viewer and every change the time
// from the command's send to the viewer's receipt of the matching seq.
func Fanout(ctx context.Context, srv *Server, cfg FanoutConfig) (*Table, error) {
	admin := apiclient.New(srv.URL, 4)
	if err := admin.Login(adminEmail, adminPassword); err != nil {
		return nil, err
	}
	slug, itemID, regs, err := setupMeeting(admin, 20)
	if err != nil {
		return nil, err
	}
	idle, _ := ReadProc(srv.PID)

	// Connect the viewers, a few at a time, as a hall filling up.
	wsURL := "ws" + strings.TrimPrefix(srv.URL, "http") + "/ws/meetings/" + slug
	dialer := &websocket.Dialer{
		NetDialContext:   loopback.DialContext, // every viewer has an address of its own, like a phone
		HandshakeTimeout: 30 * time.Second,
		ReadBufferSize:   2048, WriteBufferSize: 512,
	}
	viewers := make([]*viewer, cfg.Viewers)
	var connectLat Latencies
	var connected, failed atomic.Int64
	start := time.Now()
	stop := Progress(time.Second, func() string {
		return fmt.Sprintf("connecting: %6d of %d viewers (%d failed)", connected.Load(), cfg.Viewers, failed.Load())
	})
	sem := make(chan struct{}, 64)
	var wg sync.WaitGroup
	for i := range viewers {
		wg.Add(1)
		sem <- struct{}{}
		go func(i int) {
			defer wg.Done()
			defer func() { <-sem }()
			t0 := time.Now()
			c, _, err := dialer.DialContext(ctx, wsURL, http.Header{})
			if err != nil {
				failed.Add(1)
				return
			}
			_, msg, err := c.ReadMessage()
			if err != nil {
				failed.Add(1)
				c.Close()
				return
			}
			connectLat.Add(time.Since(t0))
			_, seq, _ := seqOf(msg)
			v := &viewer{conn: c, first: seq, last: seq, arrived: map[int64]time.Time{}}
			viewers[i] = v
			connected.Add(1)
			go v.read()
		}(i)
	}
	wg.Wait()
	stop()
	connectAll := time.Since(start)
	if failed.Load() > 0 {
		fmt.Fprintf(os.Stderr, "  %d viewers failed to connect\n", failed.Load())
	}
	loaded, _ := ReadProc(srv.PID)
	goroutines, mem := "n/a", "n/a"
	if cfg.Connected != nil {
		goroutines, mem = cfg.Connected()
	}

	// The moderator: add a speaker, then remove them, and so on; every
	// command is one change with its own seq.
	sent := map[int64]time.Time{}
	var entryID uint
	before, _ := ReadProc(srv.PID)
	waitProfile := func() {}
	if cfg.Profile != nil {
		waitProfile = cfg.Profile()
	}
	cmdStart := time.Now()
	tick := time.NewTicker(cfg.Interval)
	stop = Progress(time.Second, func() string {
		return fmt.Sprintf("commands: %4d of %d sent", len(sent), cfg.Commands)
	})
	for i := 0; i < cfg.Commands && ctx.Err() == nil; i++ {
		<-tick.C
		var out struct {
			Seq     int64 `json:"seq"`
			Speaker struct {
				ID uint `json:"id"`
			} `json:"speaker"`
		}
		t0 := time.Now()
		if entryID == 0 {
			_, err = admin.Do("POST", fmt.Sprintf("/api/meetings/%s/agenda/%d/speakers", slug, itemID),
				map[string]any{"registration_id": regs[i%len(regs)], "kind": "statement"}, &out)
			entryID = out.Speaker.ID
		} else {
			_, err = admin.Do("DELETE", fmt.Sprintf("/api/meetings/%s/agenda/%d/speakers/%d", slug, itemID, entryID), nil, &out)
			entryID = 0
		}
		if err != nil {
			tick.Stop()
			stop()
			return nil, fmt.Errorf("moderator command %d: %w", i, err)
		}
		sent[out.Seq] = t0
	}
	tick.Stop()
	stop()
	cmdElapsed := time.Since(cmdStart)
	after, _ := ReadProc(srv.PID)
	waitProfile()

	// Wait (bounded) for the last change to reach everyone still connected.
	var lastSeq int64
	for s := range sent {
		lastSeq = max(lastSeq, s)
	}
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		behind := 0
		for _, v := range viewers {
			if v == nil || v.closed.Load() {
				continue
			}
			v.mu.Lock()
			if v.last < lastSeq {
				behind++
			}
			v.mu.Unlock()
		}
		if behind == 0 {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}

	var lat Latencies
	lost, dropped, gaps := 0, 0, 0
	for _, v := range viewers {
		if v == nil {
			continue
		}
		v.mu.Lock()
		if v.closed.Load() {
			dropped++
		}
		gaps += v.gaps
		for seq, t0 := range sent {
			if seq <= v.first {
				continue
			}
			if at, ok := v.arrived[seq]; ok {
				lat.Add(at.Sub(t0))
			} else {
				lost++
			}
		}
		v.mu.Unlock()
		v.conn.Close()
	}
	s := lat.Summary()
	c := connectLat.Summary()
	n := int(connected.Load())
	t := &Table{Title: fmt.Sprintf("Live fan-out: %d viewers, %d commands every %s", cfg.Viewers, cfg.Commands, cfg.Interval)}
	t.Add("viewers connected", "%d (%d failed) in %s", n, failed.Load(), connectAll.Round(time.Millisecond))
	t.Add("connect p50 / p99 / max", "%s / %s / %s", ms(c.P50), ms(c.P99), ms(c.Max))
	t.Add("deliveries measured", "%d", s.N)
	t.Add("delivery p50 / p90 / p99 / max", "%s / %s / %s / %s", ms(s.P50), ms(s.P90), ms(s.P99), ms(s.Max))
	t.Add("messages lost", "%d  %s", lost, okIf(lost == 0))
	t.Add("seq gaps seen by viewers", "%d", gaps)
	t.Add("viewers dropped by the server", "%d", dropped)
	if n > 0 {
		t.Add("server RSS idle / with viewers", "%.1f MiB / %.1f MiB (%.1f KB per viewer)", float64(idle.RSSBytes)/(1<<20),
			float64(loaded.RSSBytes)/(1<<20), float64(loaded.RSSBytes-idle.RSSBytes)/1024/float64(n))
	}
	t.Add("server goroutines with viewers", "%s", goroutines)
	t.Add("server heap / stacks in use", "%s", mem)
	t.Add("server CPU while commanding", "%.2fs over %s (%.0f%% of one core)", (after.CPU - before.CPU).Seconds(),
		cmdElapsed.Round(time.Millisecond), 100*(after.CPU-before.CPU).Seconds()/cmdElapsed.Seconds())
	if lost > 0 {
		t.Print(os.Stdout)
		return t, fmt.Errorf("live fan-out: %d messages lost", lost)
	}
	return t, nil
}
