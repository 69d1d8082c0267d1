// Package pgfeed carries change notices between Rostrum instances over
// PostgreSQL's LISTEN/NOTIFY. A notice says only "meeting M reached seq N";
// the state itself is always read from the database, so a notice lost
// while a listener reconnects is healed by seq and resync, never guessed.
package pgfeed

import (
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"gorm.io/gorm"
)

// ChannelFor names the NOTIFY channel for a database URL. Channels are
// shared by a whole PostgreSQL database, so instances that keep their
// tables in another schema (search_path in the URL, as the tests do) get a
// channel of their own.
func ChannelFor(dsn string) string {
	if u, err := url.Parse(dsn); err == nil {
		if sp := u.Query().Get("search_path"); sp != "" {
			return "rostrum_live_" + strings.Map(func(r rune) rune {
				if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_' {
					return r
				}
				return '_'
			}, strings.ToLower(sp))
		}
	}
	return "rostrum_live"
}

// Publish sends "meeting:seq" on the channel through db. Called after the
// change's transaction commits (inside it, NOTIFY would also work, but the
// in-process feed publishes after commit and both must behave alike).
func Publish(ctx context.Context, db *gorm.DB, channel string, meetingID uint, seq int64) error {
	return db.WithContext(ctx).Exec("SELECT pg_notify(?, ?)", channel,
		strconv.FormatUint(uint64(meetingID), 10)+":"+strconv.FormatInt(seq, 10)).Error
}

// Parse reads a notice's payload.
func Parse(payload string) (meetingID uint, seq int64, err error) {
	m, s, ok := strings.Cut(payload, ":")
	if !ok {
		return 0, 0, fmt.Errorf("pgfeed: bad payload %q", payload)
	}
	mid, err := strconv.ParseUint(m, 10, 32)
	if err != nil {
		return 0, 0, fmt.Errorf("pgfeed: bad meeting in %q", payload)
	}
	seq, err = strconv.ParseInt(s, 10, 64)
	if err != nil {
		return 0, 0, fmt.Errorf("pgfeed: bad seq in %q", payload)
	}
	return uint(mid), seq, nil
}

// Listen holds one dedicated connection that LISTENs on the channel and
// calls notice for every notice until ctx ends. When the connection drops
// it reconnects with backoff and calls reconnected afterwards, because
// notices sent in between are lost: the caller then re-reads every
// meeting it serves.
func Listen(ctx context.Context, dsn, channel string, log *slog.Logger, notice func(meetingID uint, seq int64), reconnected func()) {
	backoff := 100 * time.Millisecond
	first := true
	for ctx.Err() == nil {
		conn, err := pgx.Connect(ctx, dsn)
		if err == nil {
			_, err = conn.Exec(ctx, "LISTEN "+pgx.Identifier{channel}.Sanitize())
		}
		if err != nil {
			if conn != nil {
				_ = conn.Close(context.Background())
			}
			if ctx.Err() != nil {
				return
			}
			log.Warn("live feed: cannot listen; retrying", "err", err, "in", backoff)
			select {
			case <-ctx.Done():
				return
			case <-time.After(backoff):
			}
			backoff = min(backoff*2, 5*time.Second)
			continue
		}
		backoff = 100 * time.Millisecond
		if !first && reconnected != nil {
			reconnected()
		}
		first = false
		for {
			n, err := conn.WaitForNotification(ctx)
			if err != nil {
				if ctx.Err() == nil {
					log.Warn("live feed: connection lost; reconnecting", "err", err)
				}
				break
			}
			mid, seq, err := Parse(n.Payload)
			if err != nil {
				log.Warn("live feed: ignoring notice", "err", err)
				continue
			}
			notice(mid, seq)
		}
		_ = conn.Close(context.Background())
	}
}
