package live

import (
	"context"
	"sync"
)

// Change tells that a meeting's live list reached seq. It carries no
// state: whoever receives it reads the state (or the changes after the seq
// it has) from the database, so a lost or late notification is healed by
// the next one, by the hub's periodic check, or by a viewer's resync.
type Change struct {
	MeetingID uint  `json:"meeting_id"`
	Seq       int64 `json:"seq"`
}

// Feed carries Changes from the instance that committed them to every
// instance's hub. LocalFeed serves one process; several instances put a
// shared engine under this interface (PostgreSQL LISTEN/NOTIFY).
type Feed interface {
	// Publish announces a committed change. It must not block for long.
	Publish(ctx context.Context, c Change) error
	// Subscribe returns a channel of changes and a function that ends the
	// subscription. A slow subscriber may miss changes (see Change).
	Subscribe() (<-chan Change, func())
}

// LocalFeed is an in-process Feed.
type LocalFeed struct {
	mu   sync.Mutex
	subs map[chan Change]struct{}
}

// NewLocalFeed returns an in-process feed.
func NewLocalFeed() *LocalFeed { return &LocalFeed{subs: map[chan Change]struct{}{}} }

// Publish hands c to every subscriber that has room for it.
func (f *LocalFeed) Publish(_ context.Context, c Change) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	for ch := range f.subs {
		select {
		case ch <- c:
		default: // the subscriber heals by seq
		}
	}
	return nil
}

// Subscribe registers a subscriber with a buffer of 1024 changes.
func (f *LocalFeed) Subscribe() (<-chan Change, func()) {
	ch := make(chan Change, 1024)
	f.mu.Lock()
	f.subs[ch] = struct{}{}
	f.mu.Unlock()
	var once sync.Once
	return ch, func() {
		once.Do(func() {
			f.mu.Lock()
			delete(f.subs, ch)
			f.mu.Unlock()
		})
	}
}
