package privacy

import (
	"context"
	"log/slog"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"rostrum/audit"
	"rostrum/auth"
	"rostrum/models"
)

// claimMark names one claim: the instance and a random token, so that a
// run finishing late cannot release another's claim.
func claimMark(instance string) string { return instance + "#" + auth.NewToken()[:16] }

// SweepName names the anonymization's row in retention_sweeps.
const SweepName = "anonymize"

// sweepBatch is how many registrations one transaction of the sweep
// anonymizes: short transactions, so the meeting's other writers wait
// little.
const sweepBatch = 50

// Sweeper runs the anonymization once per Interval across every
// instance sharing the database: an instance runs it only after claiming
// the row of retention_sweeps while its next run is due and nobody holds
// an unexpired claim. A run that finishes sets the next one Interval
// later, so an instance that restarts does not run it again; one that
// dies during a run leaves its claim to expire after Lease, and then any
// instance runs it (anonymizing a registration twice is impossible: each
// is guarded by its anonymized_at).
type Sweeper struct {
	DB       *gorm.DB // for its own table, retention_sweeps
	Service  *Service
	Meetings Meetings
	Log      *slog.Logger
	// Interval is how often the sweep runs (retention_sweep_interval).
	Interval time.Duration
	// Lease is how long a claim holds before another instance may take
	// the run over.
	Lease time.Duration
	// Instance names this instance in the claim (for the logs).
	Instance string
	// Now returns the current time; nil means time.Now.
	Now func() time.Time
}

func (w *Sweeper) now() time.Time {
	if w.Now != nil {
		return w.Now().UTC()
	}
	return time.Now().UTC()
}

func (w *Sweeper) lease() time.Duration {
	if w.Lease > 0 {
		return w.Lease
	}
	return time.Hour
}

// Claim takes this run for this instance when it is due and unclaimed;
// it returns the claim's mark ("" when not claimed).
func (w *Sweeper) Claim(ctx context.Context) (string, error) {
	now := w.now()
	db := w.DB.WithContext(ctx)
	if err := db.Clauses(clause.OnConflict{DoNothing: true}).
		Create(&models.RetentionSweep{Name: SweepName, NextAt: now}).Error; err != nil {
		return "", err
	}
	mark := claimMark(w.Instance)
	res := db.Model(&models.RetentionSweep{}).
		Where("name = ? AND next_at <= ? AND (claimed_until IS NULL OR claimed_until <= ?)", SweepName, now, now).
		Updates(map[string]any{"claimed_by": mark, "claimed_until": now.Add(w.lease())})
	if res.Error != nil || res.RowsAffected != 1 {
		return "", res.Error
	}
	return mark, nil
}

// finish records a run that anonymized n registrations and sets the
// next one Interval after it started.
func (w *Sweeper) finish(ctx context.Context, mark string, started time.Time, n int) error {
	now := w.now()
	return w.DB.WithContext(ctx).Model(&models.RetentionSweep{}).Where("name = ? AND claimed_by = ?", SweepName, mark).
		Updates(map[string]any{"next_at": started.Add(w.Interval), "claimed_until": nil,
			"last_run_at": now, "last_count": n}).Error
}

// RunOnce claims the sweep and, when this instance got it, anonymizes
// every registration whose meeting's retention has passed. It reports
// whether it ran and how many registrations it anonymized.
func (w *Sweeper) RunOnce(ctx context.Context) (ran bool, n int, err error) {
	mark, err := w.Claim(ctx)
	if err != nil || mark == "" {
		return false, 0, err
	}
	n, err = w.runClaimed(ctx, mark)
	return true, n, err
}

// runClaimed runs the sweep this instance claimed under mark.
func (w *Sweeper) runClaimed(ctx context.Context, mark string) (int, error) {
	started := w.now()
	n, err := w.Sweep(ctx, started)
	if err != nil {
		return n, err
	}
	return n, w.finish(ctx, mark, started, n)
}

// Sweep anonymizes, as of now, every registration of every meeting whose
// retention has passed; each batch is one transaction with one line in
// its meeting's audit log.
func (w *Sweeper) Sweep(ctx context.Context, now time.Time) (int, error) {
	ms, err := w.Meetings.PastRetention(ctx, now)
	if err != nil {
		return 0, err
	}
	total := 0
	for _, m := range ms {
		for {
			ids, err := w.Service.Registrations.Unanonymized(ctx, m.ID, sweepBatch)
			if err != nil {
				return total, err
			}
			if len(ids) == 0 {
				break
			}
			n, err := w.anonymize(ctx, now, &m, ids)
			total += n
			if err != nil {
				return total, err
			}
		}
	}
	return total, nil
}

// anonymize anonymizes registrations ids of meeting m in one transaction.
func (w *Sweeper) anonymize(ctx context.Context, now time.Time, m *models.Meeting, ids []uint) (int, error) {
	s := w.Service
	var done []uint
	var seqs []int64
	err := s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		done, seqs = nil, nil
		for _, id := range ids {
			e, ok, err := s.Registrations.AnonymizeTx(tx, id, now)
			if err != nil {
				return err
			}
			if !ok {
				continue
			}
			seq, err := s.forgetCopies(tx, now, e)
			if err != nil {
				return err
			}
			if seq > 0 {
				seqs = append(seqs, seq)
			}
			done = append(done, id)
		}
		if len(done) == 0 {
			return nil
		}
		return audit.Record(tx, now, audit.Entry{MeetingID: m.ID, Actor: auth.Actor{}, Action: ActAnonymize,
			Detail: map[string]any{"registrations": done, "retention_days": m.RetentionDays, "ended": m.EndsAt}})
	})
	if err != nil {
		return 0, err
	}
	for _, seq := range seqs {
		s.Live.Announce(ctx, m.ID, seq)
	}
	if len(done) > 0 && w.Log != nil {
		w.Log.Info("personal data anonymized after retention", "meeting", m.Slug, "registrations", len(done))
	}
	return len(done), nil
}

// Start decides at once, before the instance serves, whether it runs the
// sweep now (a due sweep is claimed here, so that an instance that is up
// has made its claim or left it to another), then runs it in the
// background, and after that whenever it is due, checking every poll (a
// twenty-fourth of Interval, at least a second), until ctx ends. done is
// closed when it has stopped.
func (w *Sweeper) Start(ctx context.Context, loop func(func())) (done chan struct{}) {
	mark, err := w.Claim(ctx)
	if err != nil {
		w.Log.Error("retention sweep: claim", "err", err)
	}
	done = make(chan struct{})
	go func() {
		defer close(done)
		loop(func() { w.run(ctx, &mark) })
	}()
	return done
}

// run runs the claimed first sweep, if any, then polls.
func (w *Sweeper) run(ctx context.Context, first *string) {
	poll := max(w.Interval/24, time.Second)
	t := time.NewTicker(poll)
	defer t.Stop()
	for {
		var ran bool
		var n int
		var err error
		if mark := *first; mark != "" {
			*first = "" // a panic in it is not retried under this claim; the lease frees it
			ran = true
			n, err = w.runClaimed(ctx, mark)
		} else {
			ran, n, err = w.RunOnce(ctx)
		}
		switch {
		case err != nil && ctx.Err() == nil:
			w.Log.Error("retention sweep", "err", err)
		case ran && err == nil:
			w.Log.Info("retention sweep done", "anonymized", n, "instance", w.Instance)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
