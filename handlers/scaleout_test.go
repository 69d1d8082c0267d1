package handlers_test

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"rostrum/app"

	"rostrum/internal/livetest"
	"rostrum/internal/testenv"
	"rostrum/models"
)

// Two instances on one PostgreSQL database: viewers on both, moderators
// acting through both at the same moment. Every viewer must see an
// unbroken seq (liveViewer.read fails on a gap) and end with the same
// state as every other viewer and as both instances' GET .../live.
func TestTwoInstancesOnOnePostgresConverge(t *testing.T) {
	dsn := testenv.PostgresDSN(t)
	// Without the periodic check, only LISTEN/NOTIFY can carry a change
	// made through one instance to the viewers of the other.
	noCheck := func(c *app.Config) { c.LiveCheckInterval = 24 * time.Hour }
	a := testenv.New(t, testenv.WithDB(dsn), noCheck)
	b := testenv.New(t, testenv.WithDB(dsn), noCheck)
	lm := newLiveMeeting(t, a, "scale")
	var regs []models.Registration
	for i := 0; i < 20; i++ {
		r, _ := lm.participant(t, fmt.Sprintf("Speaker %02d", i), []string{"ngo", "academia", "private_sector"}[i%3], models.StatusApproved)
		regs = append(regs, r)
	}
	mods := []*testenv.Client{lm.mod, b.Staff(models.RoleModerator)}
	var viewers []*liveViewer
	for i := 0; i < 4; i++ {
		viewers = append(viewers, liveConnect(t, a, lm.slug), liveConnect(t, b, lm.slug))
	}
	item := lm.items[0]
	mods[1].MustJSON("POST", lm.path("/current"), map[string]any{"item_id": item}, 200, nil)

	// Both moderators at once: each adds ten speakers, then both call the
	// next speaker ten times; some of the nexts find an empty list.
	var mu sync.Mutex
	var maxSeq int64
	statuses := map[int]int{}
	var wg sync.WaitGroup
	for m, mod := range mods {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := m * 10; i < m*10+10; i++ {
				res := mod.Do("POST", lm.path("/agenda/%d/speakers", item), map[string]any{"registration_id": regs[i].ID, "kind": "statement"})
				var out liveResult
				if res.Status == 201 {
					res.Decode(t, &out)
				}
				mu.Lock()
				statuses[res.Status]++
				maxSeq = max(maxSeq, out.Seq)
				mu.Unlock()
			}
			for i := 0; i < 10; i++ {
				res := mod.Do("POST", lm.path("/agenda/%d/next", item), nil)
				var out liveResult
				if res.Status == 200 {
					res.Decode(t, &out)
				}
				mu.Lock()
				statuses[res.Status]++
				maxSeq = max(maxSeq, out.Seq)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if statuses[201] != 20 {
		t.Fatalf("adds: %v", statuses)
	}
	for st := range statuses {
		if st != 200 && st != 201 && st != 409 {
			t.Fatalf("unexpected status %d: %v", st, statuses)
		}
	}
	want := lm.state(t)
	if want.Seq != maxSeq {
		t.Fatalf("state seq %d, highest acknowledged %d", want.Seq, maxSeq)
	}
	var fromB livetest.State
	b.Anon().MustJSON("GET", lm.path("/live"), nil, 200, &fromB)
	if fromB.Canonical() != want.Canonical() {
		t.Fatalf("instances disagree:\nA %s\nB %s", want.Canonical(), fromB.Canonical())
	}
	for i, v := range viewers {
		v.untilSeq(want.Seq)
		if got := v.state.Canonical(); got != want.Canonical() {
			t.Fatalf("viewer %d (instance %s) ended with\n%s\nwant\n%s", i, "AB"[i%2:i%2+1], got, want.Canonical())
		}
	}
	speaking, positions := 0, map[int]bool{}
	for _, e := range want.Item(item).Speakers {
		switch e.State {
		case models.SpeakerSpeaking:
			speaking++
		case models.SpeakerWaiting:
			if positions[e.Position] {
				t.Fatalf("duplicate position %d", e.Position)
			}
			positions[e.Position] = true
		}
	}
	if speaking > 1 {
		t.Fatalf("%d speaking", speaking)
	}
}

// A staff session opened on one instance works on another: sessions and
// their CSRF tokens live in the database.
func TestSessionWorksOnEveryInstance(t *testing.T) {
	dsn := testenv.PostgresDSN(t)
	a := testenv.New(t, testenv.WithDB(dsn))
	b := testenv.New(t, testenv.WithDB(dsn))
	admin := a.Admin()
	onB := *admin
	onB.Base = b.URL
	onB.MustJSON("POST", "/api/meetings", meetingInput("cross"), 201, nil)
	noCSRF := onB
	noCSRF.CSRF = ""
	noCSRF.MustJSON("POST", "/api/meetings", meetingInput("cross2"), 403, nil)
}

// Registrations split between two instances never exceed the seats or the
// per-organization limit.
func TestLimitsHoldAcrossInstances(t *testing.T) {
	dsn := testenv.PostgresDSN(t)
	a := testenv.New(t, testenv.WithDB(dsn))
	b := testenv.New(t, testenv.WithDB(dsn))
	in := meetingInput("limits")
	in["capacity"], in["max_per_organization"] = 15, 2
	a.Admin().MustJSON("POST", "/api/meetings", in, 201, nil)
	var wg sync.WaitGroup
	var mu sync.Mutex
	created := 0
	for i := 0; i < 60; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			env := []*testenv.Env{a, b}[i%2]
			res := env.Anon().Do("POST", "/api/meetings/limits/registrations", map[string]any{
				"organization": map[string]any{"name": fmt.Sprintf("Org %d", i%20), "type": "ngo", "country": "KE", "ecosoc_status": "none"},
				"name":         "P", "email": fmt.Sprintf("p%d@example.org", i), "consent": true,
			})
			mu.Lock()
			defer mu.Unlock()
			if res.Status == 201 {
				created++
			} else if res.Status != 409 {
				t.Errorf("status %d: %s", res.Status, res.Body)
			}
		}()
	}
	wg.Wait()
	if created != 40 { // 20 organizations × 2
		t.Fatalf("%d registrations created, want 40 (2 for each of 20 organizations)", created)
	}
	var m struct {
		Counts map[string]int `json:"counts"`
	}
	b.Anon().MustJSON("GET", "/api/meetings/limits", nil, 200, &m)
	if held := m.Counts["pending"] + m.Counts["approved"]; held != 15 || m.Counts["waitlisted"] != 25 {
		t.Fatalf("counts %v: want 15 seats held and 25 waitlisted", m.Counts)
	}
}
