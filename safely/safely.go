// Package safely runs the server's own goroutines so that a panic in one
// of them is logged with its stack and never ends the process: a meeting's
// every screen, console and phone depend on that one process.
//
// What it cannot guard are the goroutines of the libraries underneath,
// fasthttp's above all (its accept loop, its workers before Fiber's
// recover middleware runs, and the goroutine that hands a hijacked
// connection to the websocket handler). There a panic still ends the
// process; what guards them is told in the README's Security section.
package safely

import (
	"fmt"
	"log/slog"
	"runtime/debug"
	"time"
)

// Recover logs a panic in progress with its stack, under what (the name
// of the work that panicked), and reports whether there was one. Call it
// deferred, directly: defer safely.Recover(log, "what").
func Recover(log *slog.Logger, what string) {
	if r := recover(); r != nil {
		Log(log, what, r)
	}
}

// Log logs a recovered panic value r with the current goroutine's stack.
func Log(log *slog.Logger, what string, r any) {
	log.Error("panic recovered; the server goes on", "in", what, "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
}

// Go runs fn on a new goroutine; a panic in it is logged and ends only fn.
func Go(log *slog.Logger, what string, fn func()) {
	go func() {
		defer Recover(log, what)
		fn()
	}()
}

// Loop runs fn until it returns normally: a panic is logged and fn starts
// again after a pause (growing to a second if it keeps panicking), so that
// a long-lived worker survives one bad input. fn must keep no state across
// a restart that a panic could have left half-changed.
func Loop(log *slog.Logger, what string, fn func()) {
	pause := 10 * time.Millisecond
	for !runOnce(log, what, fn) {
		time.Sleep(pause)
		pause = min(2*pause, time.Second)
	}
}

// runOnce runs fn and reports whether it returned without a panic.
func runOnce(log *slog.Logger, what string, fn func()) (ok bool) {
	defer func() {
		if !ok {
			Log(log, what, recover())
		}
	}()
	fn()
	return true
}
