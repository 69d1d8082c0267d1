package pgfeed

import (
	"context"
	"log/slog"
	"os"
	"testing"
	"time"

	"gorm.io/driver/postgres"
	"gorm.io/gorm"
)

func TestParseRefusesBadPayloads(t *testing.T) {
	for _, p := range []string{"", "1", "x:1", "1:y", "-1:2"} {
		if _, _, err := Parse(p); err == nil {
			t.Errorf("%q parsed", p)
		}
	}
	if m, s, err := Parse("7:42"); err != nil || m != 7 || s != 42 {
		t.Fatalf("7:42 → %d %d %v", m, s, err)
	}
}

func TestChannelForSeparatesSchemas(t *testing.T) {
	if ChannelFor("postgres://u@h/db") != "rostrum_live" {
		t.Fatal("default channel")
	}
	a, b := ChannelFor("postgres://u@h/db?search_path=t_a"), ChannelFor("postgres://u@h/db?search_path=t_b")
	if a == b || a == "rostrum_live" {
		t.Fatalf("channels %q %q", a, b)
	}
}

func TestNoticesCrossConnections(t *testing.T) {
	dsn := os.Getenv("ROSTRUM_TEST_POSTGRES")
	if dsn == "" {
		t.Skip("PostgreSQL test skipped: set ROSTRUM_TEST_POSTGRES=postgres://postgres@127.0.0.1:5432/test?sslmode=disable (scripts/test.sh does)")
	}
	db, err := gorm.Open(postgres.Open(dsn), &gorm.Config{})
	if err != nil {
		t.Fatal(err)
	}
	channel := "rostrum_live_pgfeed_test"
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	got := make(chan [2]int64, 10)
	go Listen(ctx, dsn, channel, slog.New(slog.DiscardHandler), func(m uint, s int64) { got <- [2]int64{int64(m), s} }, nil)
	// The listener may not be listening yet: publish until a notice arrives.
	deadline := time.After(10 * time.Second)
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case n := <-got:
			if n != [2]int64{3, 9} {
				t.Fatalf("notice %v", n)
			}
			return
		case <-tick.C:
			if err := Publish(ctx, db, channel, 3, 9); err != nil {
				t.Fatal(err)
			}
		case <-deadline:
			t.Fatal("no notice within 10s")
		}
	}
}
