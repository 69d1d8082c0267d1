package main

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"

	"rostrum/internal/apiclient"
	"rostrum/internal/loopback"
)

// ChurnConfig says how many viewers come and go, for how long.
type ChurnConfig struct {
	Viewers  int           // viewers present at any moment (each leaves and comes back)
	Duration time.Duration // how long the churn lasts
	Interval time.Duration // time between moderator commands
}

// churnLeaves are the ways a churning viewer leaves: as a page that
// unloads, a phone that drops off the network (TCP reset), a tab killed
// at once (no close frame), and a phone whose screen locks (it stops
// reading and answering pings, then its connection goes).
var churnLeaves = []string{"close frame", "reset", "abrupt", "sleep"}

// Churn runs the server as shipped while viewers connect, read, leave in
// every way and come back at random, and the moderator keeps sending
// commands. It reports the connections served, whether the process
// survived, its memory before and after, and checks at the end that a new
// viewer gets exactly the state the API reports.
func Churn(ctx context.Context, srv *Server, cfg ChurnConfig) (*Table, error) {
	admin := apiclient.New(srv.URL, 4)
	if err := admin.Login(adminEmail, adminPassword); err != nil {
		return nil, err
	}
	slug, itemID, regs, err := setupMeeting(admin, 20)
	if err != nil {
		return nil, err
	}
	before, _ := ReadProc(srv.PID)
	wsURL := "ws" + strings.TrimPrefix(srv.URL, "http") + "/ws/meetings/" + slug

	ctx, cancel := context.WithTimeout(ctx, cfg.Duration)
	defer cancel()
	var served, failed, messages atomic.Int64
	leaves := make([]atomic.Int64, len(churnLeaves))
	var wg sync.WaitGroup
	for i := range cfg.Viewers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(i), 1))
			for ctx.Err() == nil {
				how := rng.IntN(len(churnLeaves))
				n, err := churnVisit(ctx, wsURL, churnLeaves[how], time.Duration(rng.Int64N(int64(5*time.Second))))
				messages.Add(int64(n))
				if err != nil {
					if ctx.Err() == nil {
						failed.Add(1)
					}
				} else {
					served.Add(1)
					leaves[how].Add(1)
				}
				select { // away a while before coming back
				case <-ctx.Done():
				case <-time.After(time.Duration(rng.Int64N(int64(time.Second)))):
				}
			}
		}()
	}

	// The moderator adds and removes a speaker all along; the process is
	// watched for an exit.
	var commands, commandErrs int
	var peakRSS int64
	start := time.Now()
	stop := Progress(10*time.Second, func() string {
		return fmt.Sprintf("churn: %5.0fs  %7d connections served  %d failed  %d commands", time.Since(start).Seconds(), served.Load(), failed.Load(), commands)
	})
	tick := time.NewTicker(cfg.Interval)
	var entryID uint
	died := false
	for ctx.Err() == nil {
		select {
		case <-ctx.Done():
			continue
		case <-tick.C:
		}
		if srv.Exited() {
			died = true
			break
		}
		if ps, err := ReadProc(srv.PID); err == nil {
			peakRSS = max(peakRSS, ps.RSSBytes)
		}
		var out struct {
			Speaker struct {
				ID uint `json:"id"`
			} `json:"speaker"`
		}
		if entryID == 0 {
			_, err = admin.Do("POST", fmt.Sprintf("/api/meetings/%s/agenda/%d/speakers", slug, itemID),
				map[string]any{"registration_id": regs[commands%len(regs)].ID, "kind": "statement"}, &out)
			entryID = out.Speaker.ID
		} else {
			_, err = admin.Do("DELETE", fmt.Sprintf("/api/meetings/%s/agenda/%d/speakers/%d", slug, itemID, entryID), nil, nil)
			entryID = 0
		}
		commands++
		if err != nil {
			commandErrs++
		}
	}
	tick.Stop()
	cancel()
	wg.Wait()
	stop()
	elapsed := time.Since(start)
	died = died || srv.Exited()

	t := &Table{Title: fmt.Sprintf("Churn: %d viewers coming and going for %s, a command every %s (shipped config.yaml)", cfg.Viewers, cfg.Duration, cfg.Interval)}
	t.Add("connections served", "%d (%.0f/s), %d messages read", served.Load(), float64(served.Load())/elapsed.Seconds(), messages.Load())
	var how []string
	for i, name := range churnLeaves {
		how = append(how, fmt.Sprintf("%s %d", name, leaves[i].Load()))
	}
	t.Add("left by", "%s", strings.Join(how, ", "))
	t.Add("connections that failed", "%d", failed.Load())
	t.Add("moderator commands", "%d (%d failed)", commands, commandErrs)
	t.Add("process restarts", "%d  %s", btoi(died), okIf(!died))
	if died {
		t.Print(os.Stdout)
		return t, fmt.Errorf("churn: the server process exited; its log: %s", srv.Log)
	}
	after, _ := ReadProc(srv.PID)
	t.Add("server RSS before / peak / after", "%.1f MiB / %.1f MiB / %.1f MiB", mib(before.RSSBytes), mib(peakRSS), mib(after.RSSBytes))

	// Everyone has left: a new viewer gets exactly what the API says.
	var want struct {
		Seq int64 `json:"seq"`
	}
	if _, err := admin.Do("GET", "/api/meetings/"+slug+"/live", nil, &want); err != nil {
		return t, fmt.Errorf("churn: read the live state: %w", err)
	}
	res, err := http.Get(srv.URL + "/healthz")
	if err != nil || res.StatusCode != 200 {
		return t, fmt.Errorf("churn: /healthz after the churn: %v", err)
	}
	res.Body.Close()
	d := websocket.Dialer{NetDialContext: loopback.DialContext, HandshakeTimeout: 10 * time.Second}
	c, _, err := d.Dial(wsURL, nil)
	if err != nil {
		return t, fmt.Errorf("churn: a viewer after the churn: %w", err)
	}
	defer c.Close()
	_, msg, err := c.ReadMessage()
	typ, seq, _ := seqOf(msg)
	if err != nil || typ != "state" || seq != want.Seq {
		return t, fmt.Errorf("churn: a new viewer got %s at seq %d (%v), the API says seq %d", typ, seq, err, want.Seq)
	}
	t.Add("a new viewer afterwards", "state at seq %d, as the API  ok", seq)
	return t, nil
}

// churnVisit is one viewer's visit: connect from an address of its own,
// read for stay, then leave as how says. It returns the messages read.
func churnVisit(ctx context.Context, wsURL, how string, stay time.Duration) (int, error) {
	var raw net.Conn
	d := websocket.Dialer{HandshakeTimeout: 10 * time.Second, ReadBufferSize: 1024, WriteBufferSize: 512,
		NetDialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			c, err := loopback.DialContext(ctx, network, addr)
			raw = c
			return c, err
		}}
	c, _, err := d.DialContext(ctx, wsURL, nil)
	if err != nil {
		return 0, err
	}
	read := 0
	until := time.Now().Add(stay)
	if how == "sleep" {
		until = time.Now().Add(stay / 2)
	}
	for time.Now().Before(until) && ctx.Err() == nil {
		_ = c.SetReadDeadline(until)
		if _, _, err := c.ReadMessage(); err != nil {
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				break
			}
			c.Close()
			return read, err
		}
		read++
	}
	switch how {
	case "close frame":
		_ = c.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseGoingAway, ""), time.Now().Add(time.Second))
	case "reset":
		if tc, ok := raw.(*net.TCPConn); ok {
			_ = tc.SetLinger(0)
		}
	case "sleep": // asleep: nothing read, no pong, for the rest of the stay
		select {
		case <-ctx.Done():
		case <-time.After(stay / 2):
		}
	}
	return read, c.Close()
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

func mib(b int64) float64 { return float64(b) / (1 << 20) }
