package store

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"gorm.io/gorm"
)

// GroupCommit runs the write transactions of many callers together (group
// commit). One goroutine takes every transaction waiting for its turn,
// runs each under its own savepoint inside one database transaction, and
// commits once for the group. On SQLite, where writers take turns anyway,
// BEGIN, COMMIT and the hand-over of the write lock are then paid once per
// group instead of once per caller, and a rush of registrations spends its
// single writer's time on the registrations themselves.
//
// Each caller's function sees the writes of those before it in the group,
// exactly as if the transactions had run one after the other. A function
// that fails (or panics) is rolled back to its savepoint alone; the others
// carry on. A caller hears back only once its group has committed, and a
// failed COMMIT fails every caller in the group: nothing is acknowledged
// that is not stored.
//
// It is meant for SQLite's single writer. On PostgreSQL writers run side by
// side and the server already groups their commits; one transaction
// locking several meetings' rows could also deadlock with another
// instance's.
type GroupCommit struct {
	db   *gorm.DB
	max  int
	jobs chan *groupJob
	quit chan struct{}
	done chan struct{}

	mu     sync.RWMutex // held for reading while a caller queues a job
	closed bool
}

type groupJob struct {
	ctx      context.Context
	fn       func(tx *gorm.DB) error
	err      error
	panicked any
	done     chan struct{}
}

// ErrClosed is returned by GroupCommit.Do once Close has begun.
var ErrClosed = errors.New("store: the database is closing")

// NewGroupCommit starts a group committer on db that puts at most max
// transactions in one group.
func NewGroupCommit(db *gorm.DB, max int) *GroupCommit {
	g := &GroupCommit{db: db, max: max, jobs: make(chan *groupJob, max),
		quit: make(chan struct{}), done: make(chan struct{})}
	go g.loop()
	return g
}

// Do runs fn in a transaction shared with other callers' and returns once
// that transaction has committed (nil) or fn or the commit failed. fn must
// use only the tx it is given. A panic in fn is raised again in the
// caller's goroutine. A caller whose ctx ends before its turn is skipped
// with ctx's error; once fn has begun it runs to the end, so that one
// caller going away never interrupts a group.
func (g *GroupCommit) Do(ctx context.Context, fn func(tx *gorm.DB) error) error {
	j := &groupJob{ctx: ctx, fn: fn, done: make(chan struct{})}
	g.mu.RLock()
	if g.closed {
		g.mu.RUnlock()
		return ErrClosed
	}
	select {
	case g.jobs <- j:
	case <-ctx.Done():
		g.mu.RUnlock()
		return ctx.Err()
	}
	g.mu.RUnlock()
	<-j.done
	if j.panicked != nil {
		panic(j.panicked)
	}
	return j.err
}

// Close runs what is already queued, refuses new transactions and stops.
func (g *GroupCommit) Close() {
	g.mu.Lock()
	if !g.closed {
		g.closed = true
		close(g.quit)
	}
	g.mu.Unlock()
	<-g.done
}

func (g *GroupCommit) loop() {
	defer close(g.done)
	group := make([]*groupJob, 0, g.max)
	for {
		var first *groupJob
		select {
		case first = <-g.jobs:
		case <-g.quit:
			// No caller can queue any more (closed is set under the lock):
			// run what is left, then stop.
			select {
			case first = <-g.jobs:
			default:
				return
			}
		}
		group = append(group[:0], first)
	fill:
		for len(group) < g.max {
			select {
			case j := <-g.jobs:
				group = append(group, j)
			default:
				break fill
			}
		}
		g.run(group)
	}
}

// run commits one group and tells its callers.
func (g *GroupCommit) run(group []*groupJob) {
	err := g.db.Transaction(func(tx *gorm.DB) error {
		for _, j := range group {
			if err := j.ctx.Err(); err != nil {
				j.err = err
				continue
			}
			if err := tx.Exec("SAVEPOINT grp").Error; err != nil {
				return err
			}
			j.panicked, j.err = call(j.fn, tx)
			if j.err != nil || j.panicked != nil {
				if err := tx.Exec("ROLLBACK TO SAVEPOINT grp").Error; err != nil {
					return err
				}
			}
			if err := tx.Exec("RELEASE SAVEPOINT grp").Error; err != nil {
				return err
			}
		}
		return nil
	})
	for _, j := range group {
		if err != nil && j.err == nil && j.panicked == nil {
			j.err = fmt.Errorf("group commit: %w", err)
		}
		close(j.done)
	}
}

// call runs fn, turning a panic into a value for the caller to raise.
func call(fn func(tx *gorm.DB) error, tx *gorm.DB) (panicked any, err error) {
	defer func() {
		if p := recover(); p != nil {
			panicked = p
		}
	}()
	return nil, fn(tx)
}
