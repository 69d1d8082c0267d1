package outbox_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"gorm.io/gorm"

	"rostrum/internal/mailtest"
	"rostrum/internal/testenv"
	"rostrum/models"
	"rostrum/outbox"
)

// An instance killed in the middle of a batch leaves its mail leased.
// When it starts again it takes that mail back at once and sends it,
// long before the lease (here an hour) would let anyone else; another
// instance sharing the database leaves the lease alone.
func TestRestartedInstanceTakesBackItsOwnLeasesAtOnce(t *testing.T) {
	restartedInstanceTakesBack(t, openDB(t, sqliteDSN(t)))
}

func TestRestartedInstanceTakesBackItsOwnLeasesAtOnceOnPostgres(t *testing.T) {
	restartedInstanceTakesBack(t, openDB(t, testenv.PostgresDSN(t)))
}

func restartedInstanceTakesBack(t *testing.T, db *gorm.DB) {
	srv := mailtest.Start(t)
	const crashed, other = "rostrum-1/127.0.0.1:8080", "rostrum-2/127.0.0.1:8080"
	hourLease := func(c *outbox.Config) { c.Lease = time.Hour }
	var ids []uint
	for i := range 5 {
		ids = append(ids, enqueue(t, db, simple(fmt.Sprintf("delegate%d@example.org", i))).ID)
	}
	dead := newWorker(t, db, srv, hourLease)
	dead.Instance = crashed
	if n, err := dead.ClaimAndAbandon(context.Background()); err != nil || n != len(ids) {
		t.Fatalf("claimed %d, %v", n, err)
	}

	// Another instance starts (Run takes back its own leases first, then
	// works): none of the crashed instance's mail is its to send.
	neighbour := newWorker(t, db, srv, hourLease)
	neighbour.Instance = other
	oc := watch(neighbour)
	ctx, cancel := context.WithCancel(context.Background())
	stopped := make(chan struct{})
	extra := enqueue(t, db, simple("neighbour@example.org"))
	go func() {
		defer close(stopped)
		neighbour.Run(ctx)
	}()
	// Once it has sent the message enqueued for it, it has passed over
	// the leased ones.
	oc.waitFor(t, "the other instance's own message", 10*time.Second, func(l []outbox.Outcome) bool {
		return len(l) == 1 && l[0].ID == extra.ID
	})
	cancel()
	<-stopped
	if srv.Count() != 1 {
		t.Fatalf("another instance sent %d messages, want only its own", srv.Count())
	}
	for _, id := range ids {
		if got := load(t, db, id); got.ClaimToken == "" || got.Status != models.OutboxPending {
			t.Fatalf("another instance touched a leased message: %+v", got)
		}
	}

	// The crashed instance starts again.
	restarted := newWorker(t, db, srv, hourLease)
	restarted.Instance = crashed
	roc := watch(restarted)
	run(t, restarted)
	roc.waitFor(t, "the crashed instance's mail", 10*time.Second, func(l []outbox.Outcome) bool {
		return count(l, models.OutboxSent) == len(ids)
	})
	for _, id := range ids {
		if got := load(t, db, id); got.Status != models.OutboxSent || got.Attempts != 1 {
			t.Fatalf("after the restart: %+v", got)
		}
	}
	if d := srv.Duplicates(); len(d) != 0 {
		t.Fatalf("%d messages arrived twice", len(d))
	}
}
