package main

import (
	"bufio"
	"context"
	"encoding/gob"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"time"
)

// One process cannot hold every viewer of a large audience (each is an
// open file, and the hard limit here is 20,000 a process), so a run across
// instances holds each instance's viewers in a process of their own: the
// tool starts itself again as a viewers process, with childEnv set. The
// viewers process connects its viewers, says how that went, and on the
// parent's word waits for the last change and hands over every viewer's
// receipts: the seq, the wall-clock time it arrived (UnixNano; parent and
// child run on the same machine, so their clocks are one) and its bytes.
// The parent computes the latencies from its own send times. Messages go
// as gob on the child's stdout; the parent's words are lines on its
// stdin, whose end (the parent finished, or died) ends the child.

// childEnv names the environment variable that makes the tool a viewers
// process (a variable, not a command, so that a test binary can be one
// too: see TestMain).
const childEnv = "ROSTRUM_LOAD_CHILD"

// openFilesSpare is what a process needs open besides its viewers'
// sockets: standard files, the poller, database connections, its log.
const openFilesSpare = 100

// audienceHello is a viewers process's first message: its viewers are
// connected.
type audienceHello struct {
	Connected int
	Failed    int64
	Took      time.Duration
	Connect   []time.Duration // each viewer's time to connect
}

// audienceReport is every connected viewer's record, sent on the
// parent's "collect SEQ".
type audienceReport struct {
	Viewers []viewerRecord
}

// viewerRecord is what one viewer received: Seqs[i] arrived at At[i]
// (UnixNano) in a message of Bytes[i] bytes.
type viewerRecord struct {
	First, Last   int64
	Gaps, Resyncs int
	Closed        bool
	Seqs, At      []int64
	Bytes         []int32
}

// runViewersProcess is a viewers process: flags -url (the live websocket),
// -viewers (how many) and -instance (its number, for messages).
func runViewersProcess(args []string) error {
	fs := flag.NewFlagSet("rostrum-load viewers process", flag.ContinueOnError)
	wsURL := fs.String("url", "", "the meeting's live websocket URL")
	n := fs.Int("viewers", 0, "viewers to connect")
	instance := fs.Int("instance", 1, "the instance's number")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *wsURL == "" || *n < 1 {
		return errors.New("a viewers process needs -url and -viewers")
	}
	progressPrefix = fmt.Sprintf("instance %d: ", *instance)
	if err := raiseOpenFiles(*n + openFilesSpare); err != nil {
		return err
	}
	// The parent's words; when its end of stdin closes, this process is
	// done (or orphaned): it ends at once, its sockets with it.
	words := make(chan string)
	go func() {
		sc := bufio.NewScanner(os.Stdin)
		for sc.Scan() {
			words <- sc.Text()
		}
		os.Exit(0)
	}()

	a := connectAudience(context.Background(), *n, rostrumViewer(*wsURL))
	out := bufio.NewWriter(os.Stdout)
	enc := gob.NewEncoder(out)
	send := func(v any) error {
		if err := enc.Encode(v); err != nil {
			return err
		}
		return out.Flush()
	}
	if err := send(audienceHello{Connected: a.connected, Failed: a.failed, Took: a.took, Connect: a.connect.values()}); err != nil {
		return err
	}
	for w := range words {
		seq, ok := cutSeq(w, "collect ")
		if !ok {
			return fmt.Errorf("viewers process: unknown word %q", w)
		}
		a.waitFor(seq, 10*time.Second)
		if err := send(a.report()); err != nil {
			return err
		}
	}
	return nil
}

// cutSeq reads the seq after prefix in s.
func cutSeq(s, prefix string) (int64, bool) {
	rest, ok := strings.CutPrefix(s, prefix)
	if !ok {
		return 0, false
	}
	seq, err := strconv.ParseInt(rest, 10, 64)
	return seq, err == nil
}

// report is every connected viewer's record.
func (a *audience) report() audienceReport {
	var r audienceReport
	for _, v := range a.viewers {
		if v == nil {
			continue
		}
		v.mu.Lock()
		rec := viewerRecord{First: v.first, Last: v.last, Gaps: v.gaps, Resyncs: v.resyncs, Closed: v.closed.Load()}
		for seq, got := range v.got {
			rec.Seqs = append(rec.Seqs, seq)
			rec.At = append(rec.At, got.at.UnixNano())
			rec.Bytes = append(rec.Bytes, int32(got.bytes))
		}
		v.mu.Unlock()
		r.Viewers = append(r.Viewers, rec)
	}
	return r
}

// audience rebuilds the viewers of a report (without connections), for
// tally.
func (r audienceReport) audience(h audienceHello) *audience {
	a := &audience{connected: h.Connected, failed: h.Failed, took: h.Took}
	a.connect.d = h.Connect
	for _, rec := range r.Viewers {
		v := newViewer(nil, rec.First)
		v.last, v.gaps, v.resyncs = rec.Last, rec.Gaps, rec.Resyncs
		v.closed.Store(rec.Closed)
		for i, seq := range rec.Seqs {
			v.got[seq] = receipt{at: time.Unix(0, rec.At[i]), bytes: int(rec.Bytes[i])}
		}
		a.viewers = append(a.viewers, v)
	}
	return a
}

// viewersProcess is the parent's handle on a viewers process.
type viewersProcess struct {
	instance int
	cmd      *exec.Cmd
	stdin    io.WriteCloser
	dec      *gob.Decoder
	hello    audienceHello
	stopOnce sync.Once
	ended    string // how the process ended, once stopped
}

// startViewersProcess starts a viewers process that connects n viewers to
// wsURL, the live list of instance.
func startViewersProcess(ctx context.Context, instance int, wsURL string, n int) (*viewersProcess, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("viewers process: %w", err)
	}
	cmd := exec.CommandContext(ctx, exe, "-url", wsURL, "-viewers", strconv.Itoa(n), "-instance", strconv.Itoa(instance))
	cmd.Env = append(os.Environ(), childEnv+"=viewers")
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start the viewers process of instance %d: %w", instance, err)
	}
	return &viewersProcess{instance: instance, cmd: cmd, stdin: stdin, dec: gob.NewDecoder(bufio.NewReader(stdout))}, nil
}

// connected waits until the process has connected its viewers.
func (p *viewersProcess) connected() error {
	if err := p.dec.Decode(&p.hello); err != nil {
		return p.failed("connecting its viewers", err)
	}
	return nil
}

// collect asks for every viewer's record once they all have seq (or ten
// seconds have passed) and rebuilds them.
func (p *viewersProcess) collect(seq int64) (*audience, error) {
	if _, err := fmt.Fprintf(p.stdin, "collect %d\n", seq); err != nil {
		return nil, p.failed("asked for its viewers' records", err)
	}
	var r audienceReport
	if err := p.dec.Decode(&r); err != nil {
		return nil, p.failed("sending its viewers' records", err)
	}
	return r.audience(p.hello), nil
}

// failed ends the process and says what went wrong; its own message, if
// it had one, is above on stderr.
func (p *viewersProcess) failed(doing string, err error) error {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		err = errors.New("it ended")
	}
	return fmt.Errorf("the viewers process of instance %d failed %s: %v (%s)", p.instance, doing, err, p.stop())
}

// stop closes the process's stdin, which ends it, and waits for it (at
// most ten seconds, then it is killed); it says how the process ended.
func (p *viewersProcess) stop() string {
	p.stopOnce.Do(func() {
		_ = p.stdin.Close()
		done := make(chan error, 1)
		go func() { done <- p.cmd.Wait() }()
		var err error
		select {
		case err = <-done:
		case <-time.After(10 * time.Second):
			_ = p.cmd.Process.Kill()
			err = <-done
		}
		p.ended = "exit status 0"
		if err != nil {
			p.ended = err.Error()
		}
	})
	return p.ended
}
