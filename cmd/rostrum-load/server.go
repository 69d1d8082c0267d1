package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"time"

	"gorm.io/gorm"

	"rostrum/internal/serverproc"
	"rostrum/store"
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

// StartInstances builds the server once and starts n instances of it on
// one database (a fresh SQLite file when db is empty, which only one
// instance can use), one after the other so that the first migrates the
// schema; env(i) is added to the environment of instance i (from 0).
// stopAll stops them and removes the build.
func StartInstances(ctx context.Context, db string, n int, env func(i int) []string) ([]*Server, error) {
	dir, err := os.MkdirTemp("", "rostrum-load-")
	if err != nil {
		return nil, err
	}
	bin, err := serverproc.Build(dir)
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	var servers []*Server
	for i := range n {
		// Each instance keeps its log (and SQLite file) in a folder of its
		// own; the first one's is the build's folder, removed last.
		sdir := dir
		if i > 0 {
			sdir = filepath.Join(dir, fmt.Sprintf("instance-%d", i+1))
			if err := os.Mkdir(sdir, 0o700); err != nil {
				stopAll(servers)
				return nil, err
			}
		}
		s, err := serverproc.Start(ctx, serverproc.Config{Bin: bin, Dir: sdir, DB: db, Env: env(i)})
		if err != nil {
			stopAll(servers)
			os.RemoveAll(dir)
			return nil, fmt.Errorf("instance %d: %w", i+1, err)
		}
		servers = append(servers, &Server{Server: s, dir: sdir})
	}
	return servers, nil
}

// stopAll stops servers, the first last (its folder holds the others').
func stopAll(servers []*Server) {
	for i := len(servers) - 1; i >= 0; i-- {
		servers[i].Stop()
	}
}

// Stop ends the server and removes its files.
func (s *Server) Stop() {
	s.Server.Stop()
	_ = os.RemoveAll(s.dir)
}

// freshSchema makes db fresh for a run, as a new SQLite file is: on
// PostgreSQL it creates a schema of its own in db's database (as the tests
// do) and returns db with that search_path, and drop removes the schema
// and everything in it. A SQLite path, an empty db or a URL that already
// names a search_path is returned as it is.
func freshSchema(db string) (dsn string, drop func() error, err error) {
	none := func() error { return nil }
	if !store.IsPostgres(db) {
		return db, none, nil
	}
	u, err := url.Parse(db)
	if err != nil {
		return "", nil, fmt.Errorf("-db: %w", err)
	}
	if u.Query().Get("search_path") != "" {
		return db, none, nil
	}
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	schema := "rostrum_load_" + hex.EncodeToString(b)
	admin, err := store.Open(db, slog.New(slog.DiscardHandler))
	if err != nil {
		return "", nil, fmt.Errorf("PostgreSQL at -db: %w", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := admin.WithContext(ctx).Exec(`CREATE SCHEMA "` + schema + `"`).Error; err != nil {
		_ = store.Close(admin)
		return "", nil, fmt.Errorf("create schema %s: %w", schema, err)
	}
	drop = func() error {
		defer store.Close(admin)
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		err := admin.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
			if err := tx.Exec(`SET LOCAL lock_timeout = '10s'`).Error; err != nil {
				return err
			}
			return tx.Exec(`DROP SCHEMA "` + schema + `" CASCADE`).Error
		})
		if err != nil {
			return fmt.Errorf("drop schema %s: %w", schema, err)
		}
		return nil
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String(), drop, nil
}

// freePort asks the kernel for a free loopback port.
var freePort = serverproc.FreePort

// ReadProc reads the resident memory and CPU time of pid (Linux).
var ReadProc = serverproc.ReadProc

type procStats = serverproc.ProcStats
