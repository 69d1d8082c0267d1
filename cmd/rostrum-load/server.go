package main

import (
	"context"
	"os"

	"rostrum/internal/serverproc"
)

// Server is a Rostrum process the tool built and started.
type Server struct {
	*serverproc.Server
	dir string
}

const (
	adminEmail    = serverproc.AdminEmail
	adminPassword = serverproc.AdminPassword
)

// StartServer builds and starts a fresh server on its own SQLite database
// (or db, when set), with env added to its environment.
func StartServer(ctx context.Context, db string, env ...string) (*Server, error) {
	dir, err := os.MkdirTemp("", "rostrum-load-")
	if err != nil {
		return nil, err
	}
	bin, err := serverproc.Build(dir)
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	s, err := serverproc.Start(ctx, serverproc.Config{Bin: bin, Dir: dir, DB: db, Env: env})
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	return &Server{Server: s, dir: dir}, nil
}

// Stop ends the server and removes its files.
func (s *Server) Stop() {
	s.Server.Stop()
	_ = os.RemoveAll(s.dir)
}

// freePort asks the kernel for a free loopback port.
var freePort = serverproc.FreePort

// ReadProc reads the resident memory and CPU time of pid (Linux).
var ReadProc = serverproc.ReadProc

type procStats = serverproc.ProcStats
