package app_test

import (
	"context"
	"net"
	"testing"
	"time"

	"rostrum/app"
	"rostrum/internal/testenv"
)

// Serve returns when its context ends, even at once, before the listener
// has started serving (the race left a test server running forever).
func TestServeReturnsWhenCanceledAtOnce(t *testing.T) {
	for i := 0; i < 20; i++ {
		a, err := app.New(testenv.Config(t), testenv.Logger(t))
		if err != nil {
			t.Fatal(err)
		}
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		done := make(chan error, 1)
		go func() { done <- a.Serve(ctx, ln, time.Second) }()
		select {
		case <-done:
		case <-time.After(20 * time.Second):
			t.Fatalf("round %d: Serve did not return after its context ended", i)
		}
	}
}
