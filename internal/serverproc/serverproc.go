// Package serverproc builds the rostrum binary from this checkout and runs
// it as a real operating-system process on a loopback port, so that tools
// (the load tool) and tests (the crash suite) can drive it from outside,
// kill it with SIGKILL and start it again on the same database.
package serverproc

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Admin credentials every server started here is given.
const (
	AdminEmail    = "load-admin@example.org"
	AdminPassword = "load-test-password"
)

// Build compiles the rostrum binary of the module the caller runs in into
// dir and returns its path.
func Build(dir string) (string, error) {
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOMOD: %w", err)
	}
	root := filepath.Dir(strings.TrimSpace(string(out)))
	bin := filepath.Join(dir, "rostrum")
	// The server runs what `go run .` runs: the shipped config.yaml,
	// copied beside the binary, then Config.Env.
	shipped, err := os.ReadFile(filepath.Join(root, "config.yaml"))
	if err != nil {
		return "", fmt.Errorf("shipped configuration: %w", err)
	}
	if err := os.WriteFile(filepath.Join(dir, "config.yaml"), shipped, 0o600); err != nil {
		return "", err
	}
	cmd := exec.Command("go", "build", "-o", bin, ".")
	cmd.Dir = root
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("build rostrum: %w", err)
	}
	return bin, nil
}

// FreePort asks the kernel for a free loopback port.
func FreePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// Config says how to run the server.
type Config struct {
	Bin string   // the binary (from Build)
	Dir string   // where the log (and the SQLite file when DB is empty) go
	DB  string   // the database; default Dir/rostrum.db
	Env []string // ROSTRUM_* variables: what a test or measurement is about
}

// Server is a running rostrum process. Restart starts it again on the same
// port and database after Kill or Stop.
type Server struct {
	URL  string
	Port int
	PID  int
	Log  string // path of the combined stdout/stderr log
	cfg  Config
	cmd  *exec.Cmd
	done chan struct{}
}

// Start starts the server on a free loopback port and waits until /healthz
// answers 200.
func Start(ctx context.Context, cfg Config) (*Server, error) {
	port, err := FreePort()
	if err != nil {
		return nil, err
	}
	if cfg.DB == "" {
		cfg.DB = filepath.Join(cfg.Dir, "rostrum.db")
	}
	s := &Server{Port: port, URL: "http://127.0.0.1:" + strconv.Itoa(port), Log: filepath.Join(cfg.Dir, "server.log"), cfg: cfg}
	return s, s.Restart(ctx)
}

// Restart starts the process (again) on the server's port and database.
func (s *Server) Restart(ctx context.Context) error {
	if s.cmd != nil && s.done != nil {
		select {
		case <-s.done:
		default:
			return errors.New("serverproc: Restart while the server still runs")
		}
	}
	cmd := exec.Command(s.cfg.Bin, "-config", filepath.Join(filepath.Dir(s.cfg.Bin), "config.yaml"))
	cmd.Env = append(os.Environ(),
		"ROSTRUM_LISTEN=127.0.0.1:"+strconv.Itoa(s.Port),
		"ROSTRUM_DB="+s.cfg.DB,
		"ROSTRUM_ADMIN_EMAIL="+AdminEmail,
		"ROSTRUM_ADMIN_PASSWORD="+AdminPassword,
		"ROSTRUM_LOG_LEVEL=warn",
	)
	cmd.Env = append(cmd.Env, s.cfg.Env...)
	logf, err := os.OpenFile(s.Log, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		logf.Close()
		return err
	}
	s.cmd, s.PID, s.done = cmd, cmd.Process.Pid, make(chan struct{})
	go func(done chan struct{}) {
		_ = cmd.Wait()
		logf.Close()
		close(done)
	}(s.done)
	return s.waitHealthy(ctx, 30*time.Second)
}

func (s *Server) waitHealthy(ctx context.Context, within time.Duration) error {
	deadline := time.Now().Add(within)
	client := &http.Client{Timeout: 2 * time.Second}
	for {
		res, err := client.Get(s.URL + "/healthz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == 200 {
				return nil
			}
		}
		select {
		case <-s.done:
			return fmt.Errorf("server exited during start; log: %s", s.Log)
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			s.Kill()
			return fmt.Errorf("server did not answer /healthz within %s; log: %s", within, s.Log)
		}
	}
}

// Exited reports whether the process has ended (by itself, or by Kill or
// Stop).
func (s *Server) Exited() bool {
	if s.done == nil {
		return false
	}
	select {
	case <-s.done:
		return true
	default:
		return false
	}
}

// Kill ends the process with SIGKILL, as a crash or the OOM killer would,
// and waits until it is gone.
func (s *Server) Kill() {
	if s.cmd == nil || s.cmd.Process == nil {
		return
	}
	_ = s.cmd.Process.Signal(syscall.SIGKILL)
	<-s.done
}

// Stop asks the process to shut down gracefully (SIGINT) and kills it when
// it has not exited within 10s.
func (s *Server) Stop() {
	if s.cmd == nil || s.cmd.Process == nil {
		return
	}
	_ = s.cmd.Process.Signal(os.Interrupt)
	select {
	case <-s.done:
	case <-time.After(10 * time.Second):
		s.Kill()
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
