package outbox_test

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"

	"rostrum/internal/mailtest"
	"rostrum/internal/testenv"
	"rostrum/models"
	"rostrum/outbox"
)

// Two workers (on SQLite: two pools on one file, as two processes would
// have; on PostgreSQL: two instances) share one outbox of 300 messages:
// every message is delivered exactly once.
func TestTwoWorkersOnSQLiteDeliverEachMessageOnce(t *testing.T) {
	dsn := sqliteDSN(t)
	twoWorkersDeliverOnce(t, openDB(t, dsn), openDB(t, dsn))
}

func TestTwoWorkersOnPostgresDeliverEachMessageOnce(t *testing.T) {
	dsn := testenv.PostgresDSN(t)
	twoWorkersDeliverOnce(t, openDB(t, dsn), openDB(t, dsn))
}

func twoWorkersDeliverOnce(t *testing.T, dbA, dbB *gorm.DB) {
	const n = 300
	srv := mailtest.Start(t)
	want := map[string]bool{}
	err := dbA.Transaction(func(tx *gorm.DB) error {
		for i := range n {
			to := fmt.Sprintf("participant%03d@example.org", i)
			want[to] = true
			if _, err := outbox.Enqueue(tx, outbox.Message{Kind: "circulation", To: to, Subject: "Summary", Text: "Hello"}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}

	var mu sync.Mutex
	sent := map[uint]int{}
	perWorker := [2]int{}
	all := make(chan struct{})
	for i, db := range []*gorm.DB{dbA, dbB} {
		w := newWorker(t, db, srv, func(c *outbox.Config) { c.BatchSize = 7 })
		w.Observe = func(o outbox.Outcome) {
			mu.Lock()
			defer mu.Unlock()
			if o.Status != models.OutboxSent {
				t.Errorf("message %d: %+v", o.ID, o)
				return
			}
			sent[o.ID]++
			perWorker[i]++
			if len(sent) == n && perWorker[0]+perWorker[1] == n {
				close(all)
			}
		}
		run(t, w)
		w.Notify()
	}
	select {
	case <-all:
	case <-time.After(60 * time.Second):
		mu.Lock()
		t.Fatalf("only %d of %d messages recorded as sent", len(sent), n)
	}
	msgs := srv.WaitFor(n, 10*time.Second)
	ids := map[string]bool{}
	got := map[string]int{}
	for _, m := range msgs {
		got[m.To[0]]++
		if ids[m.MessageID] {
			t.Errorf("Message-ID %s delivered twice", m.MessageID)
		}
		ids[m.MessageID] = true
	}
	for to := range want {
		if got[to] != 1 {
			t.Errorf("%s received %d messages, want 1", to, got[to])
		}
	}
	if len(msgs) != n {
		t.Errorf("server received %d messages, want %d", len(msgs), n)
	}
	var pending int64
	dbA.Model(&models.OutboxMessage{}).Where("status <> ?", models.OutboxSent).Count(&pending)
	if pending != 0 {
		t.Errorf("%d messages not marked sent", pending)
	}
	t.Logf("worker A sent %d, worker B sent %d", perWorker[0], perWorker[1])
}
