package outbox_test

import (
	"context"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"

	"rostrum/internal/mailtest"
	"rostrum/internal/testenv"
	"rostrum/models"
	"rostrum/outbox"
	"rostrum/store"
)

// openDB opens and migrates the database named by dsn and closes it when
// the test ends.
func openDB(t *testing.T, dsn string) *gorm.DB {
	t.Helper()
	db, err := store.Open(dsn, testenv.Logger(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = store.Close(db) })
	if err := store.Migrate(db); err != nil {
		t.Fatal(err)
	}
	return db
}

// sqliteDSN is a fresh SQLite file in t's temporary directory.
func sqliteDSN(t *testing.T) string { return filepath.Join(t.TempDir(), "outbox.db") }

// newWorker returns a worker for db that delivers to srv, with short
// timeouts and no waiting between attempts unless the test says otherwise.
func newWorker(t *testing.T, db *gorm.DB, srv *mailtest.Server, mods ...func(*outbox.Config)) *outbox.Worker {
	t.Helper()
	cfg := outbox.Config{
		Host: srv.Host(), Port: srv.Port(), From: "Rostrum <no-reply@rostrum.example>", TLS: "none",
		Timeout: 2 * time.Second, PollInterval: 20 * time.Millisecond, BatchSize: 10,
	}
	for _, m := range mods {
		m(&cfg)
	}
	w, err := outbox.NewWorker(db, cfg, testenv.Logger(t))
	if err != nil {
		t.Fatal(err)
	}
	w.Backoff = func(int) time.Duration { return 0 }
	return w
}

// outcomes collects what a worker records, so that tests wait on events
// rather than sleep.
type outcomes struct {
	mu      sync.Mutex
	list    []outbox.Outcome
	changed chan struct{}
}

func watch(w *outbox.Worker) *outcomes {
	o := &outcomes{changed: make(chan struct{})}
	w.Observe = func(oc outbox.Outcome) {
		o.mu.Lock()
		o.list = append(o.list, oc)
		close(o.changed)
		o.changed = make(chan struct{})
		o.mu.Unlock()
	}
	return o
}

// waitFor waits until some recorded outcome satisfies ok.
func (o *outcomes) waitFor(t *testing.T, what string, timeout time.Duration, ok func([]outbox.Outcome) bool) {
	t.Helper()
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		o.mu.Lock()
		done, changed := ok(o.list), o.changed
		o.mu.Unlock()
		if done {
			return
		}
		select {
		case <-changed:
		case <-deadline.C:
			o.mu.Lock()
			defer o.mu.Unlock()
			t.Fatalf("waited %s for %s; outcomes so far: %+v", timeout, what, o.list)
		}
	}
}

// count returns how many outcomes have status.
func count(list []outbox.Outcome, status string) int {
	n := 0
	for _, o := range list {
		if o.Status == status {
			n++
		}
	}
	return n
}

// run runs w until the test ends.
func run(t *testing.T, w *outbox.Worker) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		w.Run(ctx)
	}()
	t.Cleanup(func() {
		cancel()
		<-done
	})
}

// enqueue stores m in a transaction of its own.
func enqueue(t *testing.T, db *gorm.DB, m outbox.Message) *models.OutboxMessage {
	t.Helper()
	var row *models.OutboxMessage
	err := db.Transaction(func(tx *gorm.DB) error {
		var err error
		row, err = outbox.Enqueue(tx, m)
		return err
	})
	if err != nil {
		t.Fatalf("enqueue: %v", err)
	}
	return row
}

// load reads a message row.
func load(t *testing.T, db *gorm.DB, id uint) models.OutboxMessage {
	t.Helper()
	var row models.OutboxMessage
	if err := db.First(&row, id).Error; err != nil {
		t.Fatal(err)
	}
	return row
}

// deliver runs the worker until nothing is due.
func deliver(t *testing.T, w *outbox.Worker) {
	t.Helper()
	if err := w.DeliverDue(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func simple(to string) outbox.Message {
	return outbox.Message{Kind: "test", To: to, Subject: "Hello " + to, Text: "Body for " + to}
}
