package ratelimit_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"rostrum/internal/testenv"
	"rostrum/ratelimit"
	"rostrum/store"
)

func postgresCounter(t *testing.T) *ratelimit.Postgres {
	t.Helper()
	db, err := store.Open(testenv.PostgresDSN(t), testenv.Logger(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = store.Close(db) })
	if err := store.Migrate(db); err != nil {
		t.Fatal(err)
	}
	return &ratelimit.Postgres{DB: db}
}

// counters runs a test on both counters (PostgreSQL when it is there).
func counters(t *testing.T, test func(t *testing.T, c ratelimit.Counter)) {
	t.Run("memory", func(t *testing.T) { test(t, ratelimit.NewMemory()) })
	t.Run("postgres", func(t *testing.T) { test(t, postgresCounter(t)) })
}

// Every hit counts once, however many come at the same moment (on
// PostgreSQL from as many connections as instances would use).
func TestCounterCountsConcurrentHitsExactly(t *testing.T) {
	counters(t, func(t *testing.T, c ratelimit.Counter) {
		const n = 200
		seen := make([]bool, n+1)
		var mu sync.Mutex
		var wg sync.WaitGroup
		for range n {
			wg.Go(func() {
				hits, left, err := c.Hit(context.Background(), "k", time.Minute)
				if err != nil || left <= 0 || left > time.Minute {
					t.Errorf("hit: %d, %v, %v", hits, left, err)
					return
				}
				mu.Lock()
				defer mu.Unlock()
				if hits < 1 || hits > n || seen[hits] {
					t.Errorf("hit count %d twice or out of range", hits)
					return
				}
				seen[hits] = true
			})
		}
		wg.Wait()
		// Other keys are apart.
		if hits, _, _ := c.Hit(context.Background(), "other", time.Minute); hits != 1 {
			t.Fatalf("another key starts at %d", hits)
		}
	})
}

// A window ends: the next hit starts a new one at 1. Undo takes back one
// hit of the current window, never below nothing.
func TestCounterWindowsEndAndUndoTakesBackOne(t *testing.T) {
	counters(t, func(t *testing.T, c ratelimit.Counter) {
		ctx := context.Background()
		key := fmt.Sprintf("w%d", time.Now().UnixNano())
		for want := 1; want <= 3; want++ {
			if hits, _, err := c.Hit(ctx, key, 300*time.Millisecond); err != nil || hits != want {
				t.Fatalf("hit %d: %d, %v", want, hits, err)
			}
		}
		if err := c.Undo(ctx, key); err != nil {
			t.Fatal(err)
		}
		if hits, _, _ := c.Hit(ctx, key, 300*time.Millisecond); hits != 3 {
			t.Fatalf("after an undo: %d, want 3", hits)
		}
		time.Sleep(400 * time.Millisecond)
		if hits, left, _ := c.Hit(ctx, key, time.Minute); hits != 1 || left < 50*time.Second {
			t.Fatalf("after the window: %d hits, %v left; want 1 and a new minute", hits, left)
		}
		for range 3 {
			_ = c.Undo(ctx, key)
		}
		if hits, _, _ := c.Hit(ctx, key, time.Minute); hits != 1 {
			t.Fatalf("undo below nothing: next hit %d, want 1", hits)
		}
	})
}
