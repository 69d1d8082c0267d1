// Package ratelimit counts requests per key (a client address and what it
// does) in fixed windows, for the registration and login throttles.
//
// Two counters serve the two ways Rostrum runs: Memory for one instance
// (SQLite), and Postgres for several instances on one database, where each
// hit is one atomic upsert so that every instance sees the same count.
// Fiber's own limiter cannot do the second: it reads a count from its
// storage and writes it back, so two instances counting the same address
// at once lose hits, and behind N instances a client gets up to N times its
// allowance.
package ratelimit

import (
	"context"
	"sync"
	"time"

	"gorm.io/gorm"
)

// Counter counts hits per key in fixed windows.
type Counter interface {
	// Hit adds one hit to key's current window (starting a window of the
	// given length when none runs) and returns the window's hits and the
	// time left until it ends.
	Hit(ctx context.Context, key string, window time.Duration) (hits int, left time.Duration, err error)
	// Undo takes back one hit of key's current window (a request that
	// should not count after all, such as a successful login).
	Undo(ctx context.Context, key string) error
}

// Memory counts in this process.
type Memory struct {
	mu      sync.Mutex
	windows map[string]*memWindow
	swept   time.Time
}

type memWindow struct {
	hits int
	ends time.Time
}

// NewMemory returns an empty in-process counter.
func NewMemory() *Memory {
	return &Memory{windows: map[string]*memWindow{}}
}

// Hit implements Counter.
func (m *Memory) Hit(_ context.Context, key string, window time.Duration) (int, time.Duration, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	now := time.Now()
	if now.Sub(m.swept) > time.Minute {
		// Ended windows go, so that many addresses do not pile up.
		for k, w := range m.windows {
			if !now.Before(w.ends) {
				delete(m.windows, k)
			}
		}
		m.swept = now
	}
	w := m.windows[key]
	if w == nil || !now.Before(w.ends) {
		w = &memWindow{ends: now.Add(window)}
		m.windows[key] = w
	}
	w.hits++
	return w.hits, w.ends.Sub(now), nil
}

// Undo implements Counter.
func (m *Memory) Undo(_ context.Context, key string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if w := m.windows[key]; w != nil && w.hits > 0 && time.Now().Before(w.ends) {
		w.hits--
	}
	return nil
}

// Postgres counts in the rate_limits table (migration
// 0007_rate_limits), shared by every instance on the database. The
// database's clock decides when windows end, so instances whose clocks
// differ still agree.
type Postgres struct {
	DB *gorm.DB

	mu    sync.Mutex
	swept time.Time
}

// Hit implements Counter: one upsert that starts a new window when the
// old one has ended and otherwise adds one, returning the result.
func (p *Postgres) Hit(ctx context.Context, key string, window time.Duration) (int, time.Duration, error) {
	p.sweep(ctx)
	var out struct {
		Hits int
		Left float64
	}
	err := p.DB.WithContext(ctx).Raw(`
		INSERT INTO rate_limits (key, hits, ends_at) VALUES (?, 1, now() + make_interval(secs => ?))
		ON CONFLICT (key) DO UPDATE SET
			hits = CASE WHEN rate_limits.ends_at <= now() THEN 1 ELSE rate_limits.hits + 1 END,
			ends_at = CASE WHEN rate_limits.ends_at <= now() THEN EXCLUDED.ends_at ELSE rate_limits.ends_at END
		RETURNING hits, extract(epoch FROM ends_at - now())::float8 AS left`,
		key, window.Seconds()).Scan(&out).Error
	if err != nil {
		return 0, 0, err
	}
	return out.Hits, time.Duration(out.Left * float64(time.Second)), nil
}

// Undo implements Counter.
func (p *Postgres) Undo(ctx context.Context, key string) error {
	return p.DB.WithContext(ctx).Exec(
		`UPDATE rate_limits SET hits = hits - 1 WHERE key = ? AND hits > 0 AND ends_at > now()`, key).Error
}

// sweep deletes ended windows about once a minute per instance.
func (p *Postgres) sweep(ctx context.Context) {
	p.mu.Lock()
	due := time.Since(p.swept) > time.Minute
	if due {
		p.swept = time.Now()
	}
	p.mu.Unlock()
	if due {
		_ = p.DB.WithContext(ctx).Exec(`DELETE FROM rate_limits WHERE ends_at <= now()`).Error
	}
}
