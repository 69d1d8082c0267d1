package pgfeed

import (
	"context"
	"log/slog"

	"gorm.io/gorm"

	"rostrum/live"
	"rostrum/safely"
)

// Feed is the live list's change feed across instances: changes are
// published with NOTIFY and every instance LISTENs, handing what it hears
// to its own hub through an in-process feed. A change is also handed to
// the local hub at once, so the instance that made it does not wait for
// the round trip through PostgreSQL (the hub ignores the echo by seq).
type Feed struct {
	db      *gorm.DB
	dsn     string
	channel string
	log     *slog.Logger
	local   *live.LocalFeed
	cancel  context.CancelFunc
	done    chan struct{}
}

var _ live.Feed = (*Feed)(nil)

// NewFeed returns a feed over the PostgreSQL database db opened from dsn.
func NewFeed(db *gorm.DB, dsn string, log *slog.Logger) *Feed {
	return &Feed{db: db, dsn: dsn, channel: ChannelFor(dsn), log: log, local: live.NewLocalFeed()}
}

// Publish announces c to this instance and, through PostgreSQL, to all.
func (f *Feed) Publish(ctx context.Context, c live.Change) error {
	_ = f.local.Publish(ctx, c)
	return Publish(ctx, f.db, f.channel, c.MeetingID, c.Seq)
}

// Subscribe returns this instance's changes, whoever made them.
func (f *Feed) Subscribe() (<-chan live.Change, func()) { return f.local.Subscribe() }

// Start listens until Stop. Notices missed while the listening connection
// was down are healed by the hub's periodic check of every watched
// meeting's seq, and by viewers' resync.
func (f *Feed) Start() {
	ctx, cancel := context.WithCancel(context.Background())
	f.cancel, f.done = cancel, make(chan struct{})
	go func() {
		defer close(f.done)
		safely.Loop(f.log, "live feed (LISTEN)", func() {
			Listen(ctx, f.dsn, f.channel, f.log, func(meetingID uint, seq int64) {
				_ = f.local.Publish(ctx, live.Change{MeetingID: meetingID, Seq: seq})
			}, func() { f.log.Info("live feed: listening again; the hub's check catches up") })
		})
	}()
}

// Stop ends listening and waits for it.
func (f *Feed) Stop() {
	if f.cancel != nil {
		f.cancel()
		<-f.done
	}
}
