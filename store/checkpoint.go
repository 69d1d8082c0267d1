package store

import (
	"context"
	"database/sql"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	sqlite3 "github.com/mattn/go-sqlite3"
)

// Checkpoints happen beside the writers, not inside a commit.
//
// Under WAL, SQLite copies the log back into the database file (a
// checkpoint) by default in whichever commit takes the log past 1,000
// pages, and that commit waits for the copy and two fsyncs before it
// returns. Measured on a live list: every hundred or so commands one
// *Next* took 11–13 ms to commit instead of 0.1 ms, and with it every
// viewer's copy of the change (BENCHMARKS.md, "Where the rest went"). So every
// connection turns automatic checkpoints off (sqliteDriver's hook) and
// one connection of the pool's own runs a PASSIVE checkpoint: it copies
// what no reader still needs, never takes the write lock, and a commit
// meanwhile only appends to the log. Once a checkpoint has copied the
// whole log, the next writer starts the log from its beginning again, so
// the file stops growing.
//
// A checkpoint's fsyncs still slow the commits that happen meanwhile (on
// ext4 a write waits for the journal an fsync commits): one a second put
// a 10–12 ms stall into one Next in a hundred. So a checkpoint runs
// after checkpointAfter commits, about what SQLite's 1,000 pages hold for
// the live list's commands, or after checkpointIdle with any commit at
// all; the hook counts the commits of each database file.
//
// On close, SQLite's last connection checkpoints what is left and
// removes the log, as before.

var (
	// checkpointEvery is how often the checkpointer looks at the count
	// of commits.
	checkpointEvery = time.Second
	// checkpointAfter is how many commits call for a checkpoint.
	checkpointAfter int64 = 100
	// checkpointIdle is how long a commit waits for a checkpoint at most.
	checkpointIdle = time.Minute
)

// commits counts the commits of each database file (commitCounter).
var commits sync.Map // file name → *atomic.Int64

func commitCounter(file string) *atomic.Int64 {
	v, _ := commits.LoadOrStore(file, new(atomic.Int64))
	return v.(*atomic.Int64)
}

// checkpointers holds the running checkpointer of each open SQLite
// database, for Close to stop.
var checkpointers sync.Map // *sql.DB → *checkpointer

type checkpointer struct {
	conn    *sql.Conn
	commits *atomic.Int64
	stop    chan struct{}
	done    chan struct{}
}

// startCheckpoints runs db's checkpoints on a connection of its own
// until stopCheckpoints.
func startCheckpoints(db *sql.DB, log *slog.Logger) error {
	// A connection held for the purpose: the checkpoints never wait for
	// the pool, and never open a connection after the database's files
	// are gone (a test's temporary directory, say).
	conn, err := db.Conn(context.Background())
	if err != nil {
		return err
	}
	var file string
	if err := conn.Raw(func(dc any) error {
		if sc, ok := dc.(*sqlite3.SQLiteConn); ok {
			file = sc.GetFilename("main")
		}
		return nil
	}); err != nil {
		_ = conn.Close()
		return err
	}
	c := &checkpointer{conn: conn, commits: commitCounter(file), stop: make(chan struct{}), done: make(chan struct{})}
	checkpointers.Store(db, c)
	go c.run(log)
	return nil
}

func (c *checkpointer) run(log *slog.Logger) {
	defer close(c.done)
	tick := time.NewTicker(checkpointEvery)
	defer tick.Stop()
	last, lastAt := c.commits.Load(), time.Now()
	for {
		select {
		case <-c.stop:
			return
		case <-tick.C:
		}
		n := c.commits.Load()
		if n == last || n-last < checkpointAfter && time.Since(lastAt) < checkpointIdle {
			continue
		}
		last, lastAt = n, time.Now()
		// PASSIVE: copy what it can without waiting for readers or
		// writers; what a reader still uses waits for the next run.
		if _, err := c.conn.ExecContext(context.Background(), "PRAGMA wal_checkpoint(PASSIVE)"); err != nil && log != nil {
			log.Warn("store: checkpoint the write-ahead log", "err", err)
		}
	}
}

// stopCheckpoints ends db's checkpointer (if it has one) and gives its
// connection back, before the pool closes.
func stopCheckpoints(db *sql.DB) {
	v, ok := checkpointers.LoadAndDelete(db)
	if !ok {
		return
	}
	c := v.(*checkpointer)
	close(c.stop)
	<-c.done
	_ = c.conn.Close()
}
