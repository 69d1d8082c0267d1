package main

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Server is a Rostrum process the tool started (or one it was pointed at
// with -url, when PID is what -pid said).
type Server struct {
	URL string
	PID int
	cmd *exec.Cmd
	dir string
}

const (
	adminEmail    = "load-admin@example.org"
	adminPassword = "load-test-password"
)

// freePort asks the kernel for a free loopback port.
func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// buildServer compiles the rostrum binary from the module the tool lives
// in, so that the figures are for the code in this checkout.
func buildServer(dir string) (string, error) {
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOMOD: %w", err)
	}
	root := filepath.Dir(strings.TrimSpace(string(out)))
	bin := filepath.Join(dir, "rostrum")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	cmd.Dir = root
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("build rostrum: %w", err)
	}
	return bin, nil
}

// StartServer builds and starts a fresh server on its own SQLite database
// (or db, when set), with env added to its environment.
func StartServer(ctx context.Context, db string, env ...string) (*Server, error) {
	dir, err := os.MkdirTemp("", "rostrum-load-")
	if err != nil {
		return nil, err
	}
	bin, err := buildServer(dir)
	if err != nil {
		return nil, err
	}
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	if db == "" {
		db = filepath.Join(dir, "rostrum.db")
	}
	cmd := exec.CommandContext(ctx, bin, "-config", "")
	cmd.Env = append(os.Environ(),
		"ROSTRUM_LISTEN=127.0.0.1:"+strconv.Itoa(port),
		"ROSTRUM_DB="+db,
		"ROSTRUM_ADMIN_EMAIL="+adminEmail,
		"ROSTRUM_ADMIN_PASSWORD="+adminPassword,
		"ROSTRUM_LOG_LEVEL=warn",
	)
	cmd.Env = append(cmd.Env, env...)
	logf, err := os.Create(filepath.Join(dir, "server.log"))
	if err != nil {
		return nil, err
	}
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	s := &Server{URL: "http://127.0.0.1:" + strconv.Itoa(port), PID: cmd.Process.Pid, cmd: cmd, dir: dir}
	deadline := time.Now().Add(30 * time.Second)
	for {
		res, err := http.Get(s.URL + "/healthz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == 200 {
				return s, nil
			}
		}
		if time.Now().After(deadline) {
			s.Stop()
			return nil, fmt.Errorf("server did not answer /healthz within 30s; log: %s", filepath.Join(dir, "server.log"))
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// Stop ends the server and removes its files.
func (s *Server) Stop() {
	if s.cmd != nil && s.cmd.Process != nil {
		_ = s.cmd.Process.Signal(os.Interrupt)
		done := make(chan struct{})
		go func() { _ = s.cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			_ = s.cmd.Process.Kill()
		}
	}
	if s.dir != "" {
		_ = os.RemoveAll(s.dir)
	}
}

// ProcStats is what /proc says of a process.
type ProcStats struct {
	RSSBytes int64
	CPU      time.Duration // user + system time so far
}

// ReadProc reads the resident memory and CPU time of pid (Linux).
func ReadProc(pid int) (ProcStats, error) {
	var ps ProcStats
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return ps, err
	}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmRSS:"); ok {
			kb, _ := strconv.ParseInt(strings.Fields(v)[0], 10, 64)
			ps.RSSBytes = kb * 1024
		}
	}
	f.Close()
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return ps, err
	}
	// Fields after the command name, which is in parentheses and may hold spaces.
	rest := string(stat[strings.LastIndexByte(string(stat), ')')+2:])
	fields := strings.Fields(rest)
	if len(fields) > 13 {
		ut, _ := strconv.ParseInt(fields[11], 10, 64)
		st, _ := strconv.ParseInt(fields[12], 10, 64)
		const clkTck = 100 // USER_HZ on Linux
		ps.CPU = time.Duration(ut+st) * time.Second / clkTck
	}
	return ps, nil
}
