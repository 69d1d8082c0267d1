package outbox_test

import (
	"bytes"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"rostrum/internal/mailtest"
	"rostrum/outbox"
)

// lockedBuffer is a log destination the worker may write from its goroutine.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestABurstOfFailedAttemptsIsLoggedAsOneLineWithACount: with the mail
// server down, every queued message fails at once; the log says so in two
// lines (the first failure in full, then how many more), not one each.
func TestABurstOfFailedAttemptsIsLoggedAsOneLineWithACount(t *testing.T) {
	srv := mailtest.Start(t)
	db := openDB(t, sqliteDSN(t))
	var logs lockedBuffer
	w2, err := outbox.NewWorker(db, outbox.Config{
		Host: srv.Host(), Port: srv.Port(), From: "Rostrum <no-reply@rostrum.example>", TLS: "none",
		Timeout: 2 * time.Second, PollInterval: 20 * time.Millisecond, BatchSize: 10,
	}, slog.New(slog.NewTextHandler(&logs, nil)))
	if err != nil {
		t.Fatal(err)
	}
	w2.Backoff = func(int) time.Duration { return time.Hour }
	srv.Stop()
	const n = 35
	for i := range n {
		enqueue(t, db, simple(strings.Repeat("x", i+1)+"@example.org"))
	}
	deliver(t, w2)
	var retry []string
	for _, line := range strings.Split(logs.String(), "\n") {
		if strings.Contains(line, "will retry") {
			retry = append(retry, line)
		}
	}
	if len(retry) != 2 || !strings.Contains(retry[1], "messages=34") {
		t.Fatalf("%d retry lines for %d failed messages:\n%s", len(retry), n, strings.Join(retry, "\n"))
	}
}
