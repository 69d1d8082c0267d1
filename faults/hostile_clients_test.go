package faults_test

import (
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"rostrum/internal/testenv"
)

// abandon opens n connections to addr from the loopback address src and
// leaves each in one of three hostile states: silent after connecting,
// headers cut off in the middle (slowloris), or a body announced and
// never sent. The caller closes them.
func abandon(t *testing.T, addr, src string, n int) []net.Conn {
	t.Helper()
	d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(src)}, Timeout: 5 * time.Second}
	conns := make([]net.Conn, 0, n)
	for i := range n {
		c, err := d.Dial("tcp", addr)
		if err != nil {
			t.Fatalf("connection %d from %s: %v", i, src, err)
		}
		conns = append(conns, c)
		switch i % 3 {
		case 1:
			_, _ = io.WriteString(c, "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
		case 2:
			_, _ = io.WriteString(c, "POST /api/meetings/m/registrations HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 4000\r\n\r\n{\"name\":")
		}
	}
	return conns
}

func closeAll(conns []net.Conn) {
	for _, c := range conns {
		c.Close()
	}
}

// stillServes checks that /healthz and a registration answer from src.
func stillServes(t *testing.T, e *testenv.Env, src string) {
	t.Helper()
	c := clientFrom(src)
	res, err := c.Get(e.URL + "/healthz")
	if err != nil {
		t.Fatalf("healthz from %s: %v", src, err)
	}
	res.Body.Close()
	if res.StatusCode != 200 {
		t.Fatalf("healthz from %s: %d", src, res.StatusCode)
	}
	regSeq++
	if res := postJSON(t, c, e.URL+"/api/meetings/m/registrations", testenv.RegistrationBody(fmt.Sprintf("Org %d", regSeq), "Still Here", fmt.Sprintf("still%d@example.org", regSeq))); res.StatusCode != 201 {
		t.Fatalf("registration from %s: %d", src, res.StatusCode)
	}
}

func TestServerKeepsServingWith2000AbandonedConnections(t *testing.T) {
	cfg := testenv.Config(t)
	cfg.ReadTimeout = 30 * time.Second // long enough that none is closed during the test
	e := testenv.Start(t, cfg)
	createMeeting(t, e.Admin(), "m", 0, 0)
	addr := strings.TrimPrefix(e.URL, "http://")
	var conns []net.Conn
	for i := range 10 { // ten client addresses, 200 hostile connections each
		conns = append(conns, abandon(t, addr, fmt.Sprintf("127.0.0.%d", 10+i), 200)...)
	}
	defer closeAll(conns)
	stillServes(t, e, "127.0.0.1")
	stillServes(t, e, "127.0.0.2")
	// They are still open: the server answers none of them and closes none.
	conns[0].SetReadDeadline(time.Now().Add(50 * time.Millisecond))
	if _, err := conns[0].Read(make([]byte, 1)); !isTimeout(err) {
		t.Fatalf("an abandoned connection was answered or closed early: %v", err)
	}
	t.Logf("FIGURE abandoned-connections=%d", len(conns))
}

func isTimeout(err error) bool { return errors.Is(err, os.ErrDeadlineExceeded) }

func TestAbandonedConnectionsAreClosedAfterReadTimeout(t *testing.T) {
	cfg := testenv.Config(t)
	cfg.ReadTimeout = 300 * time.Millisecond
	cfg.IdleTimeout = 300 * time.Millisecond
	e := testenv.Start(t, cfg)
	createMeeting(t, e.Admin(), "m", 0, 0)
	conns := abandon(t, strings.TrimPrefix(e.URL, "http://"), "127.0.0.1", 300)
	defer closeAll(conns)
	var wg sync.WaitGroup
	var mu sync.Mutex
	open := 0
	for _, c := range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c.SetReadDeadline(time.Now().Add(10 * time.Second))
			_, err := io.Copy(io.Discard, c) // returns when the server closes
			if isTimeout(err) {
				mu.Lock()
				open++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if open > 0 {
		t.Fatalf("%d of %d abandoned connections were still open 10s after a read timeout of 300ms", open, len(conns))
	}
	stillServes(t, e, "127.0.0.1")
}

func TestOneAddressCannotTakeEveryConnection(t *testing.T) {
	cfg := testenv.Config(t)
	cfg.MaxConnectionsPerIP = 50
	e := testenv.Start(t, cfg)
	createMeeting(t, e.Admin(), "m", 0, 0)
	addr := strings.TrimPrefix(e.URL, "http://")
	conns := abandon(t, addr, "127.0.0.5", 80)
	defer closeAll(conns)
	// The 30 connections over the limit are answered 429 and closed at
	// once; the first 50 stay open (until the read timeout).
	var wg sync.WaitGroup
	closed := make([]bool, len(conns))
	bodies := make([]string, len(conns))
	for i, c := range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c.SetReadDeadline(time.Now().Add(time.Second))
			b, err := io.ReadAll(c)
			closed[i], bodies[i] = !isTimeout(err), string(b)
		}()
	}
	wg.Wait()
	for i := range conns {
		if want := i >= 50; closed[i] != want {
			t.Errorf("connection %d: closed %v, want %v", i+1, closed[i], want)
		}
		if closed[i] && !strings.Contains(bodies[i], "429") {
			t.Errorf("connection %d refused with %q, want 429", i+1, bodies[i])
		}
	}
	stillServes(t, e, "127.0.0.6")
}
