package main

import (
	"bufio"
	"fmt"
	"io"
	"net/http"
	"os"
	"time"
)

// profileServer, when path is set, asks the server's profiler (started
// with ROSTRUM_PPROF_LISTEN) for a CPU profile over d and writes it to
// path. It returns a function that waits for the profile.
func profileServer(pprofAddr, path string, d time.Duration) func() {
	if path == "" || pprofAddr == "" {
		return func() {}
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		secs := max(1, int(d.Seconds()))
		res, err := http.Get(fmt.Sprintf("http://%s/debug/pprof/profile?seconds=%d", pprofAddr, secs))
		if err != nil {
			fmt.Fprintln(os.Stderr, "  profile:", err)
			return
		}
		defer res.Body.Close()
		f, err := os.Create(path)
		if err != nil {
			fmt.Fprintln(os.Stderr, "  profile:", err)
			return
		}
		defer f.Close()
		if _, err := io.Copy(f, res.Body); err == nil {
			fmt.Fprintf(os.Stderr, "  CPU profile of the server written to %s (go tool pprof %s)\n", path, path)
		}
	}()
	return func() { <-done }
}

// heapProfile saves the server's heap profile (after a GC) to path.
func heapProfile(pprofAddr, path string) {
	if path == "" || pprofAddr == "" {
		return
	}
	res, err := http.Get(fmt.Sprintf("http://%s/debug/pprof/heap?gc=1", pprofAddr))
	if err != nil {
		fmt.Fprintln(os.Stderr, "  heap profile:", err)
		return
	}
	defer res.Body.Close()
	f, err := os.Create(path)
	if err != nil {
		fmt.Fprintln(os.Stderr, "  heap profile:", err)
		return
	}
	defer f.Close()
	if _, err := io.Copy(f, res.Body); err == nil {
		fmt.Fprintf(os.Stderr, "  heap profile of the server written to %s\n", path)
	}
}

// goroutineCount asks the profiler how many goroutines the server runs.
func goroutineCount(pprofAddr string) string {
	if pprofAddr == "" {
		return "n/a (run with -cpuprofile or -heapprofile)"
	}
	res, err := http.Get(fmt.Sprintf("http://%s/debug/pprof/goroutine?debug=1", pprofAddr))
	if err != nil {
		return err.Error()
	}
	defer res.Body.Close()
	var n int
	_, _ = fmt.Fscanf(res.Body, "goroutine profile: total %d", &n)
	return fmt.Sprint(n)
}

// memStats asks the profiler (before any forced GC) how much of the
// server's memory is heap in use and how much goroutine stacks: the two
// parts of the memory per viewer.
func memStats(pprofAddr string) string {
	if pprofAddr == "" {
		return "n/a (run with -cpuprofile or -heapprofile)"
	}
	res, err := http.Get(fmt.Sprintf("http://%s/debug/pprof/heap?debug=1", pprofAddr))
	if err != nil {
		return err.Error()
	}
	defer res.Body.Close()
	var heap, stack float64
	sc := bufio.NewScanner(res.Body)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		line := sc.Text()
		_, _ = fmt.Sscanf(line, "# HeapInuse = %g", &heap)
		_, _ = fmt.Sscanf(line, "# Stack = %g", &stack)
	}
	return fmt.Sprintf("%.1f MiB / %.1f MiB", heap/(1<<20), stack/(1<<20))
}
