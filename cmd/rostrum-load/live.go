package main

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/gorilla/websocket"

	"rostrum/internal/apiclient"
)

// The scenarios of a live fan-out run: what the moderator does each round.
const (
	// ScenarioNext is a real meeting: a list of speakers waiting, the
	// moderator pressing Next each round, and between rounds participants
	// asking for the floor and withdrawing with their own links.
	ScenarioNext = "next"
	// ScenarioAddRemove is the small change: the moderator adds a speaker,
	// then removes them, and so on.
	ScenarioAddRemove = "addremove"
)

// FanoutConfig sizes a live fan-out run.
type FanoutConfig struct {
	Scenario string        // ScenarioNext (the default) or ScenarioAddRemove
	Viewers  int           // websocket viewers
	Commands int           // rounds: the moderator's measured commands
	Interval time.Duration // between rounds
	Waiting  int           // next: speakers waiting on the list
	// Profile, when set, is called as the commands start and returns a
	// function that waits for the server's CPU profile.
	Profile func() (wait func())
	// Connected, when set, is called once every viewer is connected; it
	// returns the server's goroutine count and its heap and stacks in use
	// for the report.
	Connected func() (goroutines, mem string)
}

// A play drives the live list of one meeting during a run, a round at a
// time; every change it makes goes into the run's changes with its kind.
type play interface {
	meeting() string // slug
	title(cfg FanoutConfig) string
	round(ctx context.Context, i int, c *changes) error
	// report adds what the play did besides the changes since the last
	// report (a play may serve several runs).
	report(t *Table)
}

// newPlay sets up a meeting for cfg's scenario.
func newPlay(srv *Server, cfg FanoutConfig) (play, error) {
	admin := apiclient.New(srv.URL, 4)
	if err := admin.Login(adminEmail, adminPassword); err != nil {
		return nil, err
	}
	switch cfg.Scenario {
	case ScenarioNext, "":
		return newNextPlay(admin, cfg)
	case ScenarioAddRemove:
		return newAddRemovePlay(admin)
	}
	return nil, fmt.Errorf("unknown scenario %q (want %s or %s)", cfg.Scenario, ScenarioNext, ScenarioAddRemove)
}

// Fanout connects N viewers to one meeting, plays cfg's scenario a round
// per interval, and measures for every viewer and every change the time
// from the command's send to the viewer's receipt of the matching seq,
// and the bytes the viewer received for it.
func Fanout(ctx context.Context, srv *Server, cfg FanoutConfig) (*Table, error) {
	p, err := newPlay(srv, cfg)
	if err != nil {
		return nil, err
	}
	t, _, err := fanoutRun(ctx, srv, p, cfg)
	return t, err
}

// rostrumViewer connects one viewer of the meeting at wsURL: its first
// message is the full state, from whose seq on every change counts.
func rostrumViewer(wsURL string) dialViewer {
	return func(ctx context.Context, d *websocket.Dialer) (*viewer, func(), error) {
		c, _, err := d.DialContext(ctx, wsURL, http.Header{})
		if err != nil {
			return nil, nil, err
		}
		_, msg, err := c.ReadMessage()
		if err != nil {
			c.Close()
			return nil, nil, err
		}
		_, seq, _ := seqOf(msg)
		v := newViewer(c, seq)
		return v, func() { readRostrum(v) }, nil
	}
}

// readRostrum reads a viewer's messages until its connection ends: a
// patch is one change; a full state (sent after a gap or when the viewer
// fell behind) covers every change up to its seq.
func readRostrum(v *viewer) {
	for {
		msg, err := v.read()
		if err != nil {
			v.closed.Store(true)
			return
		}
		now := time.Now()
		typ, seq, ok := seqOf(msg)
		switch {
		case !ok: // not a change (an answer, an error frame)
		case typ == "state":
			v.state(seq, len(msg), now)
		default:
			v.change(seq, len(msg), now)
		}
	}
}

// fanoutRun measures one run of p on srv: the viewers connect, p plays
// cfg.Commands rounds, every change is checked at every viewer.
func fanoutRun(ctx context.Context, srv *Server, p play, cfg FanoutConfig) (*Table, *outcome, error) {
	idle, _ := ReadProc(srv.PID)
	a := connectAudience(ctx, cfg.Viewers, rostrumViewer(apiclient.LiveURL(srv.URL, p.meeting(), "")))
	defer a.close()
	loaded, _ := ReadProc(srv.PID)
	goroutines, mem := "n/a", "n/a"
	if cfg.Connected != nil {
		goroutines, mem = cfg.Connected()
	}

	c := newChanges()
	before, _ := ReadProc(srv.PID)
	selfBefore, _ := ReadProc(os.Getpid())
	waitProfile := func() {}
	if cfg.Profile != nil {
		waitProfile = cfg.Profile()
	}
	elapsed, err := playRounds(ctx, p, cfg, c)
	after, _ := ReadProc(srv.PID)
	selfAfter, _ := ReadProc(os.Getpid())
	waitProfile()
	if err != nil {
		return nil, nil, err
	}

	// Wait (bounded) for the last change to reach everyone still connected.
	a.waitFor(c.last(), 10*time.Second)
	o := a.tally(c)
	cs := a.connect.Summary()
	t := &Table{Title: p.title(cfg)}
	t.Add("viewers connected", "%d (%d failed) in %s", a.connected, a.failed, a.took.Round(time.Millisecond))
	t.Add("connect p50 / p99 / max", "%s / %s / %s", ms(cs.P50), ms(cs.P99), ms(cs.Max))
	o.addRows(t)
	p.report(t)
	if n := a.connected; n > 0 {
		t.Add("server RSS idle / with viewers", "%.1f MiB / %.1f MiB (%.1f KB per viewer)", mib(idle.RSSBytes),
			mib(loaded.RSSBytes), float64(loaded.RSSBytes-idle.RSSBytes)/1024/float64(n))
	}
	if cfg.Connected != nil {
		t.Add("server goroutines with viewers", "%s", goroutines)
		t.Add("server heap / stacks in use", "%s", mem)
	}
	t.Add("server CPU while commanding", "%.2fs over %s (%.0f%% of one core)", (after.CPU - before.CPU).Seconds(),
		elapsed.Round(time.Millisecond), 100*(after.CPU-before.CPU).Seconds()/elapsed.Seconds())
	o.addCPU(t, after.CPU-before.CPU, selfAfter.CPU-selfBefore.CPU)
	if o.lost > 0 {
		t.Print(os.Stdout)
		return t, o, fmt.Errorf("live fan-out: %d messages lost", o.lost)
	}
	return t, o, nil
}

// playRounds plays cfg.Commands rounds of p, one per cfg.Interval,
// recording every change in c; it returns how long they took.
func playRounds(ctx context.Context, p play, cfg FanoutConfig, c *changes) (time.Duration, error) {
	start := time.Now()
	done := 0
	stop := Progress(time.Second, func() string {
		return fmt.Sprintf("rounds: %4d of %d played", done, cfg.Commands)
	})
	tick := time.NewTicker(cfg.Interval)
	var err error
	for i := 0; i < cfg.Commands && ctx.Err() == nil && err == nil; i++ {
		<-tick.C
		if err = p.round(ctx, i, c); err == nil {
			done++
		}
	}
	tick.Stop()
	stop()
	return time.Since(start), err
}

// registered is an approved participant: their registration and the
// token of their participant link.
type registered struct {
	ID    uint
	Token string
}

// setupMeeting creates a meeting with one agenda item (made current) and
// approved participants the moderator can put on the list.
func setupMeeting(admin *apiclient.Client, participants int) (slug string, itemID uint, regs []registered, err error) {
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
	stop := Progress(time.Second, func() string {
		return fmt.Sprintf("registering: %4d of %d participants", len(regs), participants)
	})
	defer stop()
	for i := 0; i < participants; i++ {
		anon.Reconnect() // each participant registers from an address of their own
		var reg struct {
			ID        uint   `json:"id"`
			ManageURL string `json:"manage_url"`
		}
		if _, err = anon.Do("POST", "/api/meetings/"+slug+"/registrations", registrationBody(slug, i, i), &reg); err != nil {
			return "", 0, nil, fmt.Errorf("register: %w", err)
		}
		if _, err = admin.Do("POST", fmt.Sprintf("/api/registrations/%d/decision", reg.ID), map[string]any{"decision": "approve", "reason": "load test"}, nil); err != nil {
			return "", 0, nil, fmt.Errorf("approve: %w", err)
		}
		regs = append(regs, registered{ID: reg.ID, Token: reg.ManageURL[strings.LastIndex(reg.ManageURL, "/r/")+3:]})
	}
	return slug, item.ID, regs, nil
}

// addRemovePlay: the moderator adds a speaker, then removes them; every
// command is one small change.
type addRemovePlay struct {
	admin   *apiclient.Client
	slug    string
	item    uint
	regs    []registered
	entryID uint
}

func newAddRemovePlay(admin *apiclient.Client) (*addRemovePlay, error) {
	slug, item, regs, err := setupMeeting(admin, 20)
	if err != nil {
		return nil, err
	}
	return &addRemovePlay{admin: admin, slug: slug, item: item, regs: regs}, nil
}

func (p *addRemovePlay) meeting() string { return p.slug }

func (p *addRemovePlay) title(cfg FanoutConfig) string {
	return fmt.Sprintf("Live fan-out (add/remove): %d viewers, %d commands every %s", cfg.Viewers, cfg.Commands, cfg.Interval)
}

func (p *addRemovePlay) round(_ context.Context, i int, c *changes) error {
	var out struct {
		Seq     int64 `json:"seq"`
		Speaker struct {
			ID uint `json:"id"`
		} `json:"speaker"`
	}
	t0 := time.Now()
	var err error
	kind := "add"
	if p.entryID == 0 {
		_, err = p.admin.Do("POST", fmt.Sprintf("/api/meetings/%s/agenda/%d/speakers", p.slug, p.item),
			map[string]any{"registration_id": p.regs[i%len(p.regs)].ID, "kind": "statement"}, &out)
		p.entryID = out.Speaker.ID
	} else {
		kind = "remove"
		_, err = p.admin.Do("DELETE", fmt.Sprintf("/api/meetings/%s/agenda/%d/speakers/%d", p.slug, p.item, p.entryID), nil, &out)
		p.entryID = 0
	}
	if err != nil {
		return fmt.Errorf("moderator command %d: %w", i, err)
	}
	c.add(out.Seq, t0, kind)
	return nil
}

func (p *addRemovePlay) report(*Table) {}
