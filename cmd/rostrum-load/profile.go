package main

import (
	"bufio"
	"fmt"
	"io"
	"net/http"
	"os"
	"time"
)

// noProfiler is shown for the figures only the server's profiler gives.
const noProfiler = "n/a (run with -cpuprofile or -heapprofile)"

// readPage hands read the body of page (a path under /debug/pprof/) of
// the server's profiler at pprofAddr.
func readPage(pprofAddr, page string, read func(io.Reader) error) error {
	res, err := http.Get("http://" + pprofAddr + "/debug/pprof/" + page)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	return read(res.Body)
}

// saveProfile writes the profile at page of the server's profiler to path
// and says so, or says why not; what names the profile.
func saveProfile(pprofAddr, page, path, what string) {
	err := readPage(pprofAddr, page, func(r io.Reader) error {
		f, err := os.Create(path)
		if err != nil {
			return err
		}
		if _, err := io.Copy(f, r); err != nil {
			f.Close()
			return err
		}
		return f.Close()
	})
	if err != nil {
		fmt.Fprintf(os.Stderr, "  %s: %v\n", what, err)
		return
	}
	fmt.Fprintf(os.Stderr, "  %s of the server written to %s (go tool pprof %s)\n", what, path, path)
}

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
		saveProfile(pprofAddr, fmt.Sprintf("profile?seconds=%d", max(1, int(d.Seconds()))), path, "CPU profile")
	}()
	return func() { <-done }
}

// heapProfile saves the server's heap profile (after a GC) to path.
func heapProfile(pprofAddr, path string) {
	if path == "" || pprofAddr == "" {
		return
	}
	saveProfile(pprofAddr, "heap?gc=1", path, "heap profile")
}

// goroutineCount asks the profiler how many goroutines the server runs.
func goroutineCount(pprofAddr string) string {
	if pprofAddr == "" {
		return noProfiler
	}
	var n int
	err := readPage(pprofAddr, "goroutine?debug=1", func(r io.Reader) error {
		_, _ = fmt.Fscanf(r, "goroutine profile: total %d", &n)
		return nil
	})
	if err != nil {
		return err.Error()
	}
	return fmt.Sprint(n)
}

// memStats asks the profiler (before any forced GC) how much of the
// server's memory is heap in use and how much goroutine stacks: the two
// parts of the memory per viewer.
func memStats(pprofAddr string) string {
	if pprofAddr == "" {
		return noProfiler
	}
	var heap, stack float64
	err := readPage(pprofAddr, "heap?debug=1", func(r io.Reader) error {
		sc := bufio.NewScanner(r)
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			line := sc.Text()
			_, _ = fmt.Sscanf(line, "# HeapInuse = %g", &heap)
			_, _ = fmt.Sscanf(line, "# Stack = %g", &stack)
		}
		return sc.Err()
	})
	if err != nil {
		return err.Error()
	}
	return fmt.Sprintf("%.1f MiB / %.1f MiB", heap/(1<<20), stack/(1<<20))
}
