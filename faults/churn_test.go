package faults_test

import (
	"context"
	"fmt"
	"net"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/gorilla/websocket"

	"rostrum/internal/apiclient"
	"rostrum/internal/browser"
	"rostrum/internal/livetest"
	"rostrum/internal/loopback"
)

// leaveKinds are the ways a websocket viewer leaves a meeting.
var leaveKinds = []string{
	"close frame",    // a page unloads politely
	"tcp reset",      // a phone drops off the network: RST, no close frame
	"never reads",    // connects, then reads nothing at all until it goes
	"sleeps",         // reads a while, then stops reading and answering pings (a phone's screen locks)
	"half upgrade",   // the upgrade request goes out, the answer is never read
	"closes at once", // connects and closes before reading its state
}

// TestDefaultServerSurvivesViewersLeavingEveryWay runs the server exactly
// as `go run .` does with the shipped config.yaml (the per-address
// connection limit on) while 500 viewers connect and leave in every way a
// client leaves, Chromium tabs on the room's screen among them, and the
// moderator keeps running the list. The process lives (a panic on
// fasthttp's own goroutine would end this test binary), /healthz answers,
// and the viewers that stay converge on the server's state.
func TestDefaultServerSurvivesViewersLeavingEveryWay(t *testing.T) {
	f := newMatrixFixture(t)
	if f.e.Config.MaxConnectionsPerIP == 0 {
		t.Fatal("this test is about the shipped per-address limit, which is off")
	}
	waitingAB(t, f)
	addr := strings.TrimPrefix(f.e.URL, "http://")
	wsURL := apiclient.LiveURL(f.e.URL, "m", "")

	// Viewers that stay for the whole meeting, each from its own address.
	ctx, cancel := context.WithCancel(context.Background())
	var stayers []*reconnectingViewer
	for i := range 10 {
		stayers = append(stayers, newViewer(fmt.Sprintf("stayer %d", i), f.e.URL, "m", "", ""))
	}
	for _, v := range stayers {
		go v.run(ctx)
	}
	defer func() {
		cancel()
		for _, v := range stayers {
			<-v.stopped
		}
	}()

	// The moderator runs the list all along.
	modCtx, stopMod := context.WithCancel(ctx)
	mod := f.actors["moderator"]
	var commands atomic.Int64
	modDone := make(chan struct{})
	go func() {
		defer close(modDone)
		next := fmt.Sprintf("/api/meetings/m/agenda/%d/next", f.item)
		if res := mod.Do("POST", next, nil); res.Status != 200 {
			t.Errorf("next: %d %s", res.Status, res.Body)
			return
		}
		commands.Add(1)
		pace := time.NewTicker(10 * time.Millisecond) // a brisk moderator, not a flood
		defer pace.Stop()
		for i := 0; modCtx.Err() == nil; i++ {
			<-pace.C
			action := []string{"pause", "resume", "extend"}[i%3]
			var body any
			if action == "extend" {
				body = map[string]any{"seconds": 5}
			}
			res := mod.Do("POST", fmt.Sprintf("/api/meetings/m/agenda/%d/speakers/%d/%s", f.item, f.entries["a"], action), body)
			if res.Status != 200 {
				t.Errorf("%s: %d %s", action, res.Status, res.Body)
				return
			}
			commands.Add(1)
		}
	}()

	// 500 viewers leave, a sixth each way, 25 at a time.
	const leavers = 500
	var lingering sync.Map // connections of viewers that stopped reading, closed at the end
	var wg sync.WaitGroup
	sem := make(chan struct{}, 25)
	var failures atomic.Int64
	for i := range leavers {
		kind := leaveKinds[i%len(leaveKinds)]
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			if err := leave(kind, addr, wsURL, &lingering); err != nil {
				failures.Add(1)
				t.Errorf("viewer %d (%s): %v", i, kind, err)
			}
		}()
	}
	closeTabs := screenTabsClosed(t, f.e.URL, 4)
	wg.Wait()
	lingering.Range(func(k, _ any) bool { k.(net.Conn).Close(); return true })
	stopMod()
	<-modDone
	if t.Failed() {
		t.FailNow()
	}

	// The process is alive, answers, and everyone who stayed holds the
	// server's state.
	f.e.Anon().MustJSON("GET", "/healthz", nil, 200, nil)
	var want livetest.State
	f.e.Anon().MustJSON("GET", "/api/meetings/m/live", nil, 200, &want)
	waitViewersConverge(t, stayers, want, make([]int, len(stayers)), 0)
	stillServesEnv(t, f.e)
	t.Logf("FIGURE churn leavers=%d tabs closed=%d commands=%d seq=%d", leavers, closeTabs, commands.Load(), want.Seq)
}

// leave connects one viewer from an address of its own and leaves as kind
// says; connections that should linger are put in lingering.
func leave(kind, addr, wsURL string, lingering *sync.Map) error {
	src := loopback.Next()
	if kind == "half upgrade" {
		c, err := loopback.Dialer(src).Dial("tcp", addr)
		if err != nil {
			return err
		}
		fmt.Fprintf(c, "GET /ws/meetings/m HTTP/1.1\r\nHost: %s\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n", addr)
		return c.Close()
	}
	var raw net.Conn
	d := websocket.Dialer{HandshakeTimeout: 10 * time.Second, ReadBufferSize: 1024,
		NetDialContext: func(ctx context.Context, network, a string) (net.Conn, error) {
			c, err := loopback.Dialer(src).DialContext(ctx, network, a)
			if err == nil && (kind == "never reads" || kind == "sleeps") {
				c.(*net.TCPConn).SetReadBuffer(4096) // keep the kernel from reading for it
			}
			raw = c
			return c, err
		}}
	conn, _, err := d.Dial(wsURL, nil)
	if err != nil {
		return err
	}
	if kind == "closes at once" {
		return conn.Close()
	}
	if kind == "never reads" {
		lingering.Store(raw, true)
		return nil
	}
	conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	var first livetest.Message
	if err := conn.ReadJSON(&first); err != nil || first.Type != "state" {
		conn.Close()
		return fmt.Errorf("first message %q: %v", first.Type, err)
	}
	switch kind {
	case "close frame":
		_ = conn.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseGoingAway, "bye"), time.Now().Add(time.Second))
		return conn.Close()
	case "tcp reset":
		raw.(*net.TCPConn).SetLinger(0)
		return conn.Close()
	case "sleeps":
		lingering.Store(raw, true)
		return nil
	}
	return fmt.Errorf("unknown kind %q", kind)
}

// screenTabsClosed opens the room's screen in n Chromium tabs, waits until
// each is live, and closes them; it returns how many it closed (none when
// this run has no browser).
func screenTabsClosed(t *testing.T, base string, n int) int {
	t.Helper()
	if os.Getenv("ROSTRUM_TEST_BROWSER") == "0" {
		return 0
	}
	b := browser.New(t)
	for range n {
		tab, closeTab := chromedp.NewContext(b)
		// The tab opens here, bound to tab (not to a step's deadline).
		if err := chromedp.Do(tab); err != nil {
			t.Fatalf("open tab: %v", err)
		}
		browser.Do(t, tab, chromedp.Navigate(base+"/m/m/screen"))
		wctx, cancel := context.WithTimeout(tab, 20*time.Second)
		_, err := chromedp.Run(wctx, chromedp.Poll[bool](`document.querySelector("#connection").textContent.includes("Live")`,
			chromedp.WithPollingInterval(50*time.Millisecond)))
		cancel()
		if err != nil {
			rctx, cancel := context.WithTimeout(tab, 5*time.Second)
			text, _ := chromedp.Run(rctx, chromedp.Evaluate[string](`document.body.innerText`))
			cancel()
			t.Fatalf("the screen never went live: %v; it shows:\n%s", err, text)
		}
		closeTab() // the tab closes: Chromium drops its websocket
	}
	return n
}
