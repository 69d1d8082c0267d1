package main

import (
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"text/tabwriter"
	"time"
)

// Latencies collects durations from many goroutines.
type Latencies struct {
	mu sync.Mutex
	d  []time.Duration
}

func (l *Latencies) Add(d time.Duration) {
	l.mu.Lock()
	l.d = append(l.d, d)
	l.mu.Unlock()
}

// values is a copy of the durations collected.
func (l *Latencies) values() []time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.d)
}

// Summary is the percentiles of a set of durations.
type Summary struct {
	N                  int
	P50, P90, P99, Max time.Duration
}

func (l *Latencies) Summary() Summary {
	l.mu.Lock()
	d := slices.Clone(l.d)
	l.mu.Unlock()
	if len(d) == 0 {
		return Summary{}
	}
	slices.Sort(d)
	at := func(p float64) time.Duration {
		i := int(p*float64(len(d))+0.5) - 1
		return d[max(0, min(i, len(d)-1))]
	}
	return Summary{N: len(d), P50: at(0.50), P90: at(0.90), P99: at(0.99), Max: d[len(d)-1]}
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2f ms", float64(d)/float64(time.Millisecond)) }

// Table prints rows aligned: a name and its value, or (with Header) a
// name and a value per column.
type Table struct {
	Title  string
	Header []string // column names after the first, when the table has several
	Rows   [][]string
}

func (t *Table) Add(name string, format string, args ...any) {
	t.Rows = append(t.Rows, []string{name, fmt.Sprintf(format, args...)})
}

// AddRow adds a name and one value per column.
func (t *Table) AddRow(name string, values ...string) {
	t.Rows = append(t.Rows, append([]string{name}, values...))
}

func (t *Table) Print(w io.Writer) {
	fmt.Fprintf(w, "\n%s\n%s\n", t.Title, strings.Repeat("-", len(t.Title)))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	if len(t.Header) > 0 {
		fmt.Fprintf(tw, "\t%s\n", strings.Join(t.Header, "\t"))
	}
	for _, r := range t.Rows {
		fmt.Fprintf(tw, "%s\n", strings.Join(r, "\t"))
	}
	tw.Flush()
}

// progressPrefix starts every status line of this process (a viewers
// process names its instance).
var progressPrefix = ""

// Progress prints one status line every interval until stopped; line is
// called to produce it.
func Progress(interval time.Duration, line func() string) (stop func()) {
	done := make(chan struct{})
	var stopped atomic.Bool
	go func() {
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				fmt.Fprintf(os.Stderr, "  %s%s\n", progressPrefix, line())
			}
		}
	}()
	return func() {
		if stopped.CompareAndSwap(false, true) {
			close(done)
		}
	}
}
