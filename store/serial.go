package store

import (
	"context"
	"database/sql"
	"errors"
	"sync"
	"time"

	"gorm.io/gorm"
)

// serialPool hands SQLite's single write lock out in Go, first come first
// served. SQLite allows one writer at a time; left to itself, a writer
// that finds the lock taken sleeps in the busy handler with growing
// back-off (1, 2, 5, 10, 20, 50, 100 ms ...), which under a rush of
// registrations turns into long tails. Queuing write transactions on a
// channel instead wakes the next writer the moment the previous one
// commits. Reads outside transactions go straight to the pool and run
// beside the writer under WAL.
type serialPool struct {
	*sql.DB
	lock chan struct{}
	wait time.Duration
}

func newSerialPool(db *sql.DB, wait time.Duration) *serialPool {
	return &serialPool{DB: db, lock: make(chan struct{}, 1), wait: wait}
}

// ErrBusy is returned when a write transaction waited too long for its turn.
var ErrBusy = errors.New("database busy: a write waited too long for its turn")

// BeginTx waits for the write turn, then begins the transaction (BEGIN
// IMMEDIATE, from the DSN), and gives the turn back when it ends.
func (p *serialPool) BeginTx(ctx context.Context, opts *sql.TxOptions) (gorm.ConnPool, error) {
	timer := time.NewTimer(p.wait)
	defer timer.Stop()
	select {
	case p.lock <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	case <-timer.C:
		return nil, ErrBusy
	}
	tx, err := p.DB.BeginTx(ctx, opts)
	if err != nil {
		<-p.lock
		return nil, err
	}
	return &serialTx{Tx: tx, pool: p.DB, release: func() { <-p.lock }}, nil
}

// GetDBConn lets gorm's DB() reach the pool (for Close and pool limits).
func (p *serialPool) GetDBConn() (*sql.DB, error) { return p.DB, nil }

type serialTx struct {
	*sql.Tx
	pool    *sql.DB
	once    sync.Once
	release func()
}

// PrepareContext prepares query on the pool rather than on the
// transaction. GORM's statement cache (PrepareStmt) keeps what it
// prepares; a statement prepared on a transaction dies with it and would
// be prepared again by every transaction, while one prepared on the pool
// lives on and sql.Tx.StmtContext binds it to each transaction's
// connection, preparing it once per connection. A statement the pool
// cannot prepare, because it names a table this transaction created
// (migrations), is prepared on the transaction as before.
func (t *serialTx) PrepareContext(ctx context.Context, query string) (*sql.Stmt, error) {
	if s, err := t.pool.PrepareContext(ctx, query); err == nil {
		return s, nil
	}
	return t.Tx.PrepareContext(ctx, query)
}

func (t *serialTx) Commit() error {
	defer t.once.Do(t.release)
	return t.Tx.Commit()
}

func (t *serialTx) Rollback() error {
	defer t.once.Do(t.release)
	return t.Tx.Rollback()
}
