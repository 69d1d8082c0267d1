// Package mailtest runs a real SMTP server inside a test (on
// github.com/emersion/go-smtp, listening on 127.0.0.1:0) and records every
// message it accepts, parsed into envelope, headers, text and HTML bodies and
// attachments. It can be stopped and restarted on the same port, to play a
// mail server that goes down and comes back, and it can be told to refuse,
// drop or hang on the next messages.
//
//	srv := mailtest.Start(t)
//	env := testenv.New(t, testenv.WithSMTP(srv.Host(), srv.Port()))
//	... register someone ...
//	msgs := srv.WaitFor(1, 10*time.Second)
package mailtest

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
)

// Server is a running test SMTP server.
type Server struct {
	t    testing.TB
	host string
	port int

	mu      sync.Mutex
	srv     *smtp.Server // nil while stopped
	ln      net.Listener
	serving chan struct{}
	msgs    []*Message
	changed chan struct{} // closed and replaced whenever msgs grows
	faults  []fault       // applied to the next messages, in order
	release chan struct{} // closed to let hanging sessions go
	conns   int
	onMsg   func(*Message)

	user, pass string // required AUTH PLAIN credentials, when set
	tlsMode    string // "", "starttls" or "tls"
	tlsConf    *tls.Config
	roots      *x509.CertPool
}

type faultKind int

const (
	faultFail      faultKind = iota + 1 // answer code after DATA
	faultDrop                           // close the connection mid-DATA, record nothing
	faultDropAfter                      // record the message, then close without a reply
	faultHang                           // read the message, then never answer
)

type fault struct {
	kind faultKind
	code int
}

// Start starts a server on 127.0.0.1 on a free port and stops it when the
// test ends.
func Start(t testing.TB, opts ...Option) *Server {
	t.Helper()
	s := &Server{t: t, host: "127.0.0.1", changed: make(chan struct{}), release: make(chan struct{})}
	if err := s.start(opts); err != nil {
		t.Fatalf("mailtest: %v", err)
	}
	t.Cleanup(s.Stop)
	return s
}

// Listen starts a plain server (no TLS, no AUTH) outside a test, for tools
// such as the load tool; Stop it when done. The helpers that fail a test
// (WaitFor, WaitTo, Restart) need a server from Start; Wait works on both.
func Listen() (*Server, error) {
	s := &Server{host: "127.0.0.1", changed: make(chan struct{}), release: make(chan struct{})}
	if err := s.start(nil); err != nil {
		return nil, err
	}
	return s, nil
}

func (s *Server) start(opts []Option) error {
	for _, o := range opts {
		o(s)
	}
	if s.tlsMode != "" {
		s.tlsConf, s.roots = selfSigned(s.t)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	s.port = ln.Addr().(*net.TCPAddr).Port
	s.serve(ln)
	return nil
}

// Host is the address the server listens on (127.0.0.1).
func (s *Server) Host() string { return s.host }

// Port is the server's port; it stays the same across Stop and Restart.
func (s *Server) Port() int { return s.port }

// Addr is host:port.
func (s *Server) Addr() string { return net.JoinHostPort(s.host, strconv.Itoa(s.port)) }

func (s *Server) serve(ln net.Listener) {
	srv := smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) {
		s.mu.Lock()
		s.conns++
		s.mu.Unlock()
		return &session{s: s, conn: c}, nil
	}))
	srv.Domain = "mailtest.localhost"
	srv.MaxMessageBytes = 50 << 20
	srv.MaxRecipients = 100
	srv.AllowInsecureAuth = true
	srv.ReadTimeout = time.Minute
	srv.WriteTimeout = time.Minute
	srv.ErrorLog = discardLogger{}
	accept := ln
	switch s.tlsMode {
	case "starttls":
		srv.TLSConfig = s.tlsConf
	case "tls":
		srv.TLSConfig = s.tlsConf
		accept = tls.NewListener(ln, s.tlsConf)
	}
	done := make(chan struct{})
	s.mu.Lock()
	s.srv, s.ln, s.serving = srv, ln, done
	s.mu.Unlock()
	go func() {
		defer close(done)
		_ = srv.Serve(accept)
	}()
}

// Stop closes the listener and every open connection at once, like a mail
// server that crashes: clients get connection errors, and messages whose
// DATA was not yet answered are not recorded. Stopping a stopped server
// does nothing.
func (s *Server) Stop() {
	s.mu.Lock()
	srv, ln, serving := s.srv, s.ln, s.serving
	s.srv, s.ln = nil, nil
	if srv != nil {
		close(s.release) // hanging sessions die with the server
		s.release = make(chan struct{})
	}
	s.mu.Unlock()
	if srv == nil {
		return
	}
	// Close the listener ourselves: Serve may not have registered it with
	// srv yet.
	_ = ln.Close()
	_ = srv.Close()
	<-serving
}

// Restart starts a stopped server again on the same port (it stops it
// first when it is running). Recorded messages and pending faults are kept.
func (s *Server) Restart() {
	s.t.Helper()
	s.Stop()
	var ln net.Listener
	var err error
	// The port was ours a moment ago; on a busy machine another process
	// may grab it, so try for a little while before giving up.
	deadline := time.Now().Add(5 * time.Second)
	for {
		ln, err = net.Listen("tcp", s.Addr())
		if err == nil || time.Now().After(deadline) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err != nil {
		s.t.Fatalf("mailtest: restart on %s: %v", s.Addr(), err)
	}
	s.serve(ln)
}

// Running reports whether the server accepts connections.
func (s *Server) Running() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.srv != nil
}

// FailNext makes the server answer code (a 4xx or 5xx reply, e.g. 451 or
// 550) at the end of DATA for each of the next n messages, recording none
// of them.
func (s *Server) FailNext(n, code int) {
	if code < 400 || code > 599 {
		panic(fmt.Sprintf("mailtest: FailNext wants a 4xx or 5xx code, got %d", code))
	}
	s.addFaults(n, fault{kind: faultFail, code: code})
}

// DropNext makes the server close the connection in the middle of DATA for
// each of the next n messages, recording none of them.
func (s *Server) DropNext(n int) { s.addFaults(n, fault{kind: faultDrop}) }

// DropAfterDataNext makes the server record each of the next n messages and
// then close the connection before answering: the client cannot know the
// message arrived. This is the window in which any SMTP sender may deliver
// a message twice.
func (s *Server) DropAfterDataNext(n int) { s.addFaults(n, fault{kind: faultDropAfter}) }

// HangNext makes the server read each of the next n messages and then never
// answer (until Stop, or the end of the test), recording none of them: the
// client has to time out.
func (s *Server) HangNext(n int) { s.addFaults(n, fault{kind: faultHang}) }

func (s *Server) addFaults(n int, f fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for range n {
		s.faults = append(s.faults, f)
	}
}

// nextFault pops the fault for the message being received, if any.
func (s *Server) nextFault() (fault, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.faults) == 0 {
		return fault{}, false
	}
	f := s.faults[0]
	s.faults = s.faults[1:]
	return f, true
}

func (s *Server) record(m *Message) {
	s.mu.Lock()
	defer s.mu.Unlock()
	m.Seq = len(s.msgs) + 1
	s.msgs = append(s.msgs, m)
	close(s.changed)
	s.changed = make(chan struct{})
}

// Connections is the number of SMTP connections opened so far.
func (s *Server) Connections() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.conns
}

// OnMessage sets f to run for each message the server is about to accept,
// before it records the message and answers the client (so the client is
// still waiting for the reply while f runs).
func (s *Server) OnMessage(f func(*Message)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.onMsg = f
}

// Messages returns every message accepted so far, in order of arrival.
func (s *Server) Messages() []*Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]*Message(nil), s.msgs...)
}

// Count is the number of messages accepted so far.
func (s *Server) Count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.msgs)
}

// To returns the messages whose envelope recipients include addr (compared
// case-insensitively).
func (s *Server) To(addr string) []*Message {
	var out []*Message
	for _, m := range s.Messages() {
		for _, rcpt := range m.To {
			if strings.EqualFold(rcpt, addr) {
				out = append(out, m)
				break
			}
		}
	}
	return out
}

// Duplicates returns the messages whose Message-ID arrived before them: a
// receiver that drops repeated Message-IDs never shows them. (A sender can
// deliver twice only when the server took a message but its reply was
// lost; Rostrum's outbox keeps the Message-ID across attempts.)
func (s *Server) Duplicates() []*Message {
	seen := map[string]bool{}
	var out []*Message
	for _, m := range s.Messages() {
		if m.MessageID != "" && seen[m.MessageID] {
			out = append(out, m)
		}
		seen[m.MessageID] = true
	}
	return out
}

// Reset forgets the recorded messages and pending faults.
func (s *Server) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.msgs = nil
	s.faults = nil
}

// Wait blocks until at least n messages have been accepted or ctx ends, and
// returns the messages recorded by then.
func (s *Server) Wait(ctx context.Context, n int) ([]*Message, error) {
	for {
		s.mu.Lock()
		if len(s.msgs) >= n {
			out := append([]*Message(nil), s.msgs...)
			s.mu.Unlock()
			return out, nil
		}
		changed, have := s.changed, len(s.msgs)
		s.mu.Unlock()
		select {
		case <-changed:
		case <-ctx.Done():
			return s.Messages(), fmt.Errorf("mailtest: %d of %d messages arrived: %w", have, n, ctx.Err())
		}
	}
}

// WaitFor waits until at least n messages have been accepted and returns
// all of them; it fails the test when timeout passes first. Call it from
// the test's goroutine.
func (s *Server) WaitFor(n int, timeout time.Duration) []*Message {
	s.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	msgs, err := s.Wait(ctx, n)
	if err != nil {
		s.t.Fatal(err)
	}
	return msgs
}

// WaitTo waits until at least n messages for addr have been accepted and
// returns them; it fails the test when timeout passes first.
func (s *Server) WaitTo(addr string, n int, timeout time.Duration) []*Message {
	s.t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		if got := s.To(addr); len(got) >= n {
			return got
		}
		s.mu.Lock()
		changed := s.changed
		s.mu.Unlock()
		if got := s.To(addr); len(got) >= n { // arrived between the two looks
			return got
		}
		left := time.Until(deadline)
		if left <= 0 {
			s.t.Fatalf("mailtest: %d of %d messages to %s arrived within %s", len(s.To(addr)), n, addr, timeout)
		}
		select {
		case <-changed:
		case <-time.After(left):
		}
	}
}

// session receives one SMTP conversation.
type session struct {
	s      *Server
	conn   *smtp.Conn
	from   string
	to     []string
	authed string // the user who authenticated, if any
}

func (ss *session) Mail(from string, _ *smtp.MailOptions) error {
	if ss.s.user != "" && ss.authed == "" {
		return errAuthRequired
	}
	ss.from = from
	return nil
}

func (ss *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	ss.to = append(ss.to, to)
	return nil
}

func (ss *session) Data(r io.Reader) error {
	f, faulty := ss.s.nextFault()
	if faulty && f.kind == faultDrop {
		// Read a little of the message, then vanish.
		_, _ = io.CopyN(io.Discard, r, 64)
		_ = ss.conn.Conn().Close()
		return errors.New("mailtest: dropped")
	}
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	if faulty {
		switch f.kind {
		case faultFail:
			return &smtp.SMTPError{Code: f.code, EnhancedCode: smtp.EnhancedCode{f.code / 100, 0, 0},
				Message: fmt.Sprintf("mailtest: refused with %d as asked", f.code)}
		case faultHang:
			ss.s.mu.Lock()
			release := ss.s.release
			ss.s.mu.Unlock()
			<-release
			_ = ss.conn.Conn().Close()
			return errors.New("mailtest: hung up")
		}
	}
	m, perr := parse(raw)
	if perr != nil {
		return &smtp.SMTPError{Code: 554, EnhancedCode: smtp.EnhancedCode{5, 6, 0}, Message: "mailtest: unparsable message: " + perr.Error()}
	}
	m.From = ss.from
	m.To = append([]string(nil), ss.to...)
	m.User = ss.authed
	_, m.TLS = ss.conn.TLSConnectionState()
	ss.s.mu.Lock()
	onMsg := ss.s.onMsg
	ss.s.mu.Unlock()
	if onMsg != nil {
		onMsg(m)
	}
	ss.s.record(m)
	if faulty && f.kind == faultDropAfter {
		_ = ss.conn.Conn().Close()
		return errors.New("mailtest: dropped after data")
	}
	return nil
}

func (ss *session) Reset() {
	ss.from = ""
	ss.to = nil
}

func (ss *session) Logout() error { return nil }

type discardLogger struct{}

func (discardLogger) Printf(string, ...any) {}
func (discardLogger) Println(...any)        {}
