package safely

import (
	"strings"
	"testing"
	"time"

	"rostrum/internal/logtest"
)

func TestGoLogsAPanicWithItsStackAndTheProcessGoesOn(t *testing.T) {
	log, buf := logtest.New()
	done := make(chan struct{})
	Go(log, "worker", func() {
		defer close(done)
		panic("bad input")
	})
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("the goroutine did not end")
	}
	// The log line is written by the deferred Recover, after close(done).
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(buf.String(), "bad input") && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	out := buf.String()
	for _, want := range []string{"panic recovered", "in=worker", "bad input", "safely_test.go"} {
		if !strings.Contains(out, want) {
			t.Errorf("log lacks %q:\n%s", want, out)
		}
	}
}

func TestLoopStartsAgainAfterAPanicAndEndsWhenFnReturns(t *testing.T) {
	log, buf := logtest.New()
	runs := 0
	Loop(log, "loop", func() {
		runs++
		if runs < 3 {
			panic("again")
		}
	})
	if runs != 3 {
		t.Fatalf("runs = %d, want 3", runs)
	}
	if n := strings.Count(buf.String(), "panic recovered"); n != 2 {
		t.Errorf("logged %d panics, want 2:\n%s", n, buf.String())
	}
}

func TestRecoverWithoutAPanicLogsNothing(t *testing.T) {
	log, buf := logtest.New()
	func() {
		defer Recover(log, "quiet")
	}()
	if buf.String() != "" {
		t.Errorf("logged %q", buf.String())
	}
}
