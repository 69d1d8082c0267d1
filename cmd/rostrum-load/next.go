package main

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"slices"
	"time"

	"rostrum/internal/apiclient"
)

// participantCommandsPerMinute is the shipped participant_command_rate
// (config.yaml): commands on the list one participant may send a minute.
// The play keeps every participant under it, as people in a room do not
// press the button ten times a minute.
const participantCommandsPerMinute = 10

// nextPlay is a real meeting's list of speakers: Waiting speakers wait on
// the current item (the moderator put them there), and each round the
// moderator presses Next: the speech in progress ends and the first
// waiting speaker takes the floor. Between rounds participants ask for
// the floor and withdraw with their own links (bearer tokens), which keeps
// the list at about Waiting: one asks to replace the one who took the
// floor, one waiting withdraws and another asks.
type nextPlay struct {
	admin    *apiclient.Client
	slug     string
	item     uint
	waitFor  int
	pause    time.Duration // from the Next to the participants' commands
	people   []*person
	waiting  []*person // in the list's order, as the server answered
	speaking *person
	free     []*person // not on the list, longest off it first
	rng      *rand.Rand

	requests, withdrawals, held int // held: left out to stay under the participants' limit
}

// person is a participant of the play.
type person struct {
	regID uint
	api   *apiclient.Client // with the participant's token
	entry uint              // their entry while on the list
	sent  []time.Time       // their commands of the last minute
}

// mayAct says whether p can send a command now without passing the
// participants' limit (whatever its window, fixed or sliding).
func (p *person) mayAct(now time.Time) bool {
	p.sent = slices.DeleteFunc(p.sent, func(t time.Time) bool { return now.Sub(t) > 61*time.Second })
	return len(p.sent) < participantCommandsPerMinute
}

// newNextPlay registers the participants, puts Waiting of them on the
// list as the moderator, and keeps the rest free to ask for the floor.
func newNextPlay(admin *apiclient.Client, cfg FanoutConfig) (*nextPlay, error) {
	waiting := max(cfg.Waiting, 1)
	// Each round costs about three participant commands; enough people
	// that each sends well under their limit in a minute of rounds.
	rounds := min(cfg.Commands, int(time.Minute/max(cfg.Interval, time.Millisecond)))
	extra := max(16, 2*3*rounds/participantCommandsPerMinute)
	slug, item, regs, err := setupMeeting(admin, waiting+extra)
	if err != nil {
		return nil, err
	}
	p := &nextPlay{admin: admin, slug: slug, item: item, waitFor: waiting, pause: cfg.Interval / 2,
		rng: rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 1))}
	// The participants share a pool of connections (from loopback
	// addresses of their own); each carries its own token.
	shared := apiclient.New(admin.Base, 8)
	for _, r := range regs {
		p.people = append(p.people, &person{regID: r.ID, api: &apiclient.Client{Base: admin.Base, HTTP: shared.HTTP, Bearer: r.Token}})
	}
	for i, who := range p.people {
		if i >= waiting {
			p.free = append(p.free, who)
			continue
		}
		var out struct {
			Speaker struct {
				ID uint `json:"id"`
			} `json:"speaker"`
		}
		if _, err := admin.Do("POST", p.path("/speakers"), map[string]any{"registration_id": who.regID, "kind": "statement"}, &out); err != nil {
			return nil, fmt.Errorf("put speaker %d on the list: %w", i, err)
		}
		who.entry = out.Speaker.ID
		p.waiting = append(p.waiting, who)
	}
	return p, nil
}

func (p *nextPlay) path(rest string) string {
	return fmt.Sprintf("/api/meetings/%s/agenda/%d%s", p.slug, p.item, rest)
}

func (p *nextPlay) meeting() string { return p.slug }

func (p *nextPlay) title(cfg FanoutConfig) string {
	return fmt.Sprintf("Live fan-out (next): %d viewers, %d waiting, Next every %s for %d rounds", cfg.Viewers, p.waitFor, cfg.Interval, cfg.Commands)
}

// round: the moderator's Next, then (after a pause, between rounds) the
// participants' requests and a withdrawal.
func (p *nextPlay) round(ctx context.Context, i int, c *changes) error {
	var out struct {
		Seq     int64 `json:"seq"`
		Speaker struct {
			ID uint `json:"id"`
		} `json:"speaker"`
	}
	t0 := time.Now()
	if _, err := p.admin.Do("POST", p.path("/next"), nil, &out); err != nil {
		return fmt.Errorf("round %d: next: %w", i, err)
	}
	c.add(out.Seq, t0, "next")
	if p.speaking != nil {
		p.speaking.entry = 0
		p.free = append(p.free, p.speaking)
		p.speaking = nil
	}
	if at := slices.IndexFunc(p.waiting, func(w *person) bool { return w.entry == out.Speaker.ID }); at >= 0 {
		p.speaking = p.waiting[at]
		p.waiting = slices.Delete(p.waiting, at, at+1)
	}

	select {
	case <-ctx.Done():
		return nil
	case <-time.After(p.pause):
	}
	for len(p.waiting) < p.waitFor {
		ok, err := p.request(c)
		if err != nil || !ok {
			return err
		}
	}
	if ok, err := p.withdraw(c); err != nil || !ok {
		return err
	}
	_, err := p.request(c)
	return err
}

// request: the free participant longest off the list (who may act) asks
// for the floor. ok is false when none may.
func (p *nextPlay) request(c *changes) (ok bool, err error) {
	now := time.Now()
	at := slices.IndexFunc(p.free, func(w *person) bool { return w.mayAct(now) })
	if at < 0 {
		p.held++
		return false, nil
	}
	who := p.free[at]
	var out struct {
		Seq     int64 `json:"seq"`
		Speaker struct {
			ID uint `json:"id"`
		} `json:"speaker"`
	}
	who.sent = append(who.sent, now)
	if _, err := who.api.Do("POST", p.path("/speakers"), map[string]any{"kind": "statement"}, &out); err != nil {
		if limited(err) {
			p.held++
			return false, nil
		}
		return false, fmt.Errorf("participant %d asks for the floor: %w", who.regID, err)
	}
	c.add(out.Seq, now, "request")
	p.requests++
	who.entry = out.Speaker.ID
	p.free = slices.Delete(p.free, at, at+1)
	p.waiting = append(p.waiting, who)
	return true, nil
}

// withdraw: a waiting participant (not the next to speak) who may act
// withdraws their request.
func (p *nextPlay) withdraw(c *changes) (ok bool, err error) {
	now := time.Now()
	var can []int
	for i, w := range p.waiting {
		if i > 0 && w.mayAct(now) {
			can = append(can, i)
		}
	}
	if len(can) == 0 {
		p.held++
		return false, nil
	}
	at := can[p.rng.IntN(len(can))]
	who := p.waiting[at]
	var out struct {
		Seq int64 `json:"seq"`
	}
	who.sent = append(who.sent, now)
	if _, err := who.api.Do("DELETE", p.path(fmt.Sprintf("/speakers/%d", who.entry)), nil, &out); err != nil {
		if limited(err) {
			p.held++
			return false, nil
		}
		return false, fmt.Errorf("participant %d withdraws: %w", who.regID, err)
	}
	c.add(out.Seq, now, "withdraw")
	p.withdrawals++
	who.entry = 0
	p.waiting = slices.Delete(p.waiting, at, at+1)
	p.free = append(p.free, who)
	return true, nil
}

// limited says whether err is the server's participants' limit.
func limited(err error) bool {
	var e *apiclient.Error
	return errors.As(err, &e) && e.Status == http.StatusTooManyRequests
}

func (p *nextPlay) report(t *Table) {
	t.Add("participants", "%d approved, %d waiting now", len(p.people), len(p.waiting))
	t.Add("participant requests / withdrawals", "%d / %d (%d held back by the %d a minute limit)", p.requests, p.withdrawals, p.held, participantCommandsPerMinute)
	p.requests, p.withdrawals, p.held = 0, 0, 0
}
