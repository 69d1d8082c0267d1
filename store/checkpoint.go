package store

import (
	"context"
	"database/sql"
	"log/slog"
	"sync"
	"time"
)

// Checkpoints happen beside the writers, not inside a commit.
//
// Under WAL, SQLite copies the log back into the database file (a
// checkpoint) by default in whichever commit takes the log past 1,000
// pages, and that commit waits for the copy and two fsyncs before it
// returns. Measured on a live list: every hundred or so commands one
// *Next* took 11–13 ms to commit instead of 0.1 ms, and with it every
// viewer's copy of the change (BENCHMARKS.md, "Checkpoints"). So every
// connection turns automatic checkpoints off (sqliteDriver's hook) and
// one connection of the pool's own runs a PASSIVE checkpoint every
// checkpointEvery: it copies what no reader still needs, never takes the
// write lock, and a commit meanwhile only appends to the log. Once a
// checkpoint has copied the whole log, the next writer starts the log
// from its beginning again, so the file stops growing.
//
// On close, SQLite's last connection checkpoints what is left and
// removes the log, as before.

// checkpointEvery is how often the background checkpoint runs. A run
// with nothing new in the log costs a lock and returns.
var checkpointEvery = time.Second

// checkpointers holds the running checkpointer of each open SQLite
// database, for Close to stop.
var checkpointers sync.Map // *sql.DB → *checkpointer

type checkpointer struct {
	conn *sql.Conn
	stop chan struct{}
	done chan struct{}
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
	c := &checkpointer{conn: conn, stop: make(chan struct{}), done: make(chan struct{})}
	checkpointers.Store(db, c)
	go c.run(log)
	return nil
}

func (c *checkpointer) run(log *slog.Logger) {
	defer close(c.done)
	tick := time.NewTicker(checkpointEvery)
	defer tick.Stop()
	for {
		select {
		case <-c.stop:
			return
		case <-tick.C:
		}
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
