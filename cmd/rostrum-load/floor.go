package main

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"sync"
	"time"

	"github.com/gorilla/websocket"

	"rostrum/internal/loopback"
)

// The floor is the least a Go server can do to fan one message out to
// websocket viewers on this machine: it speaks just enough of
// Centrifugo's client protocol for the load tool's viewers (a connect and
// a subscribe, each answered), and a publication through its API is
// framed once and written straight to every socket by one goroutine per
// processor, with no queue, no deadline, no database and no command
// behind it. A run against it measures what the kernel and the load
// client cost on this machine, which bounds every server from below: a
// target that the floor itself does not meet cannot be met here by a
// server that does more. It is a yardstick only: a blocked socket stalls
// its writer, which no real server may allow.

// serveFloor serves the floor on addr until ctx ends.
func serveFloor(ctx context.Context, addr string) error {
	f := &floor{conns: map[net.Conn]struct{}{}}
	mux := http.NewServeMux()
	mux.HandleFunc("/connection/websocket", f.viewer)
	mux.HandleFunc("/api/publish", f.publish)
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: mux}
	go func() {
		<-ctx.Done()
		_ = srv.Close()
	}()
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

type floor struct {
	mu    sync.Mutex
	conns map[net.Conn]struct{}
}

var floorUpgrader = websocket.Upgrader{ReadBufferSize: 1024, WriteBufferSize: 1024}

// viewer answers a viewer's connect and subscribe, then keeps its socket
// for the publications until it leaves.
func (f *floor) viewer(w http.ResponseWriter, r *http.Request) {
	c, err := floorUpgrader.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	defer c.Close()
	for range 2 {
		_, msg, err := c.ReadMessage()
		if err != nil {
			return
		}
		var cmd struct {
			ID      uint32          `json:"id"`
			Connect json.RawMessage `json:"connect"`
		}
		if json.Unmarshal(msg, &cmd) != nil {
			return
		}
		answer := `"subscribe":{}`
		if cmd.Connect != nil {
			answer = `"connect":{"client":"floor"}`
		}
		reply := `{"id":` + strconv.FormatUint(uint64(cmd.ID), 10) + `,` + answer + `}`
		if err := c.WriteMessage(websocket.TextMessage, []byte(reply)); err != nil {
			return
		}
	}
	nc := c.UnderlyingConn()
	f.mu.Lock()
	f.conns[nc] = struct{}{}
	f.mu.Unlock()
	defer func() {
		f.mu.Lock()
		delete(f.conns, nc)
		f.mu.Unlock()
	}()
	for {
		if _, _, err := c.NextReader(); err != nil {
			return
		}
	}
}

// publish frames the publication once and writes it to every socket,
// answering when the writes are done.
func (f *floor) publish(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Channel string          `json:"channel"`
		Data    json.RawMessage `json:"data"`
	}
	if err := json.NewDecoder(io.LimitReader(r.Body, 1<<20)).Decode(&in); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	ch, _ := json.Marshal(in.Channel)
	msg := fmt.Appendf(nil, `{"push":{"channel":%s,"pub":{"data":%s}}}`, ch, in.Data)
	frame := wsTextFrame(msg)
	f.mu.Lock()
	conns := make([]net.Conn, 0, len(f.conns))
	for c := range f.conns {
		conns = append(conns, c)
	}
	f.mu.Unlock()
	var wg sync.WaitGroup
	n := runtime.GOMAXPROCS(0)
	for k := range n {
		wg.Go(func() {
			for i := k; i < len(conns); i += n {
				_, _ = conns[i].Write(frame)
			}
		})
	}
	wg.Wait()
	_, _ = w.Write([]byte(`{"result":{}}`))
}

// wsTextFrame is msg as one unmasked websocket text frame (RFC 6455 5.2).
func wsTextFrame(msg []byte) []byte {
	var head []byte
	switch n := len(msg); {
	case n < 126:
		head = []byte{0x81, byte(n)}
	case n <= 0xffff:
		head = []byte{0x81, 126, 0, 0}
		binary.BigEndian.PutUint16(head[2:], uint16(n))
	default:
		head = []byte{0x81, 127, 0, 0, 0, 0, 0, 0, 0, 0}
		binary.BigEndian.PutUint64(head[2:], uint64(n))
	}
	return append(head, msg...)
}

// startFloor runs the floor as a process of its own (this program's
// floor command), as Centrifugo and Rostrum run beside the load client,
// and returns its URL, its process id and a function that stops it.
func startFloor(ctx context.Context) (url string, pid int, stop func(), err error) {
	port, err := freePort()
	if err != nil {
		return "", 0, nil, err
	}
	self, err := os.Executable()
	if err != nil {
		return "", 0, nil, err
	}
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	cmd := exec.Command(self, "-floor-listen", addr, "floor")
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Start(); err != nil {
		return "", 0, nil, err
	}
	stop = func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	}
	// Wait until it answers.
	deadline := time.Now().Add(10 * time.Second)
	for {
		c, err := loopback.DialContext(ctx, "tcp", addr)
		if err == nil {
			c.Close()
			break
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			stop()
			return "", 0, nil, fmt.Errorf("the floor did not start on %s: %w", addr, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
	return "http://" + addr, cmd.Process.Pid, stop, nil
}
