package outbox

import (
	"context"
	"crypto/sha256"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/mail"
	"strings"
	"sync"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"rostrum/models"
	"rostrum/store"
)

// Config says where and how the worker delivers mail. Zero durations and
// counts take the defaults below.
type Config struct {
	Host     string
	Port     int
	From     string // "Rostrum <no-reply@example.org>"
	Username string // SMTP AUTH when set
	Password string
	TLS      string // none, starttls or tls (implicit TLS)
	// TLSConfig, when set, replaces the default TLS settings (system
	// roots, server name = Host); tests use it to trust their server.
	TLSConfig *tls.Config

	// Timeout bounds each SMTP step (connect, command, DATA).
	Timeout time.Duration
	// MaxAttempts is how many times a message is tried before it fails.
	MaxAttempts int
	// RetryBase is the wait after the first failed attempt; it doubles
	// after each further one (with ±20% jitter) up to RetryMax. With the
	// defaults, 10 attempts span about a day.
	RetryBase time.Duration
	RetryMax  time.Duration
	// PollInterval is how often the worker looks for due mail when nobody
	// calls Notify.
	PollInterval time.Duration
	// BatchSize is how many messages one claim takes (and one SMTP
	// connection carries).
	BatchSize int
	// Lease is how long a claim keeps other workers off a row; at least
	// (and by default) 6×Timeout. The worker renews it while it works
	// through a batch. A crashed worker's unsent rows are taken back at
	// once when its instance starts again (see Worker.Instance); other
	// workers take them over only once the lease expires.
	Lease time.Duration
}

// Defaults for the zero values of Config.
const (
	DefaultTimeout      = 30 * time.Second
	DefaultMaxAttempts  = 10
	DefaultRetryBase    = 3 * time.Minute
	DefaultRetryMax     = 12 * time.Hour
	DefaultPollInterval = time.Second
	DefaultBatchSize    = 50
)

func (c *Config) setDefaults() {
	if c.Timeout <= 0 {
		c.Timeout = DefaultTimeout
	}
	if c.MaxAttempts <= 0 {
		c.MaxAttempts = DefaultMaxAttempts
	}
	if c.RetryBase <= 0 {
		c.RetryBase = DefaultRetryBase
	}
	if c.RetryMax <= 0 {
		c.RetryMax = DefaultRetryMax
	}
	if c.RetryMax < c.RetryBase {
		c.RetryMax = c.RetryBase
	}
	if c.PollInterval <= 0 {
		c.PollInterval = DefaultPollInterval
	}
	if c.BatchSize <= 0 {
		c.BatchSize = DefaultBatchSize
	}
	// A lease renewed at half-time must outlast the message in flight
	// (connect plus send, each bounded by Timeout) with room to record it.
	if c.Lease < 6*c.Timeout {
		c.Lease = 6 * c.Timeout
	}
}

// Worker delivers the outbox. Several workers (in one process or in
// several instances sharing a PostgreSQL database) may run at once: each
// claims a batch of due messages under a lease, so no message is sent by
// two of them.
type Worker struct {
	// Now and Backoff may be replaced before Run (tests do, to avoid
	// waiting real minutes). Backoff returns the wait after the attempt-th
	// failed attempt. Lease times come from Now, so instances sharing a
	// database need clocks in step (NTP); a skew shortens or stretches
	// leases by the same amount.
	Now     func() time.Time
	Backoff func(attempt int) time.Duration
	// Observe, when set, is called after each outcome is recorded in the
	// database (from the worker's goroutine; keep it quick).
	Observe func(Outcome)
	// Instance names the server instance this worker runs in, the same
	// across its restarts and different from every other instance that
	// shares the database (the app uses the host name and the address it
	// listens on, which no two running processes of one host can share).
	// Set it before Run. Its leases carry it, so that Run, starting again
	// after a crash, takes back at once the mail it had claimed and not
	// sent rather than leave it for the lease to expire; another
	// instance's leases are never touched. Empty: nothing is taken back.
	Instance string

	db     *gorm.DB
	log    *slog.Logger
	cfg    Config
	sender *sender
	wake   chan struct{}

	mu      sync.Mutex
	changed chan struct{} // closed and replaced at each recorded outcome

	retries retryLog
}

// NewWorker checks cfg and returns a worker for db's outbox; Run starts it.
func NewWorker(db *gorm.DB, cfg Config, log *slog.Logger) (*Worker, error) {
	cfg.setDefaults()
	s, err := newSender(cfg)
	if err != nil {
		return nil, err
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	w := &Worker{
		Now:    func() time.Time { return time.Now().UTC() },
		db:     db,
		log:    log.With("component", "outbox"),
		cfg:    cfg,
		sender: s,
		wake:   make(chan struct{}, 1),

		changed: make(chan struct{}),
	}
	w.Backoff = w.defaultBackoff
	return w, nil
}

// Config returns the worker's configuration with defaults filled in.
func (w *Worker) Config() Config { return w.cfg }

// Notify wakes the worker to look for due mail now; call it after
// committing a transaction that enqueued mail. It never blocks.
func (w *Worker) Notify() {
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

func (w *Worker) now() time.Time { return w.Now().UTC() }

// defaultBackoff waits RetryBase·2^(attempt-1), at most RetryMax, give or
// take 20% so that messages failed together do not retry in lockstep.
func (w *Worker) defaultBackoff(attempt int) time.Duration {
	d := w.cfg.RetryBase
	for i := 1; i < attempt && d < w.cfg.RetryMax; i++ {
		d *= 2
	}
	d = min(d, w.cfg.RetryMax)
	return time.Duration(float64(d) * (0.8 + 0.4*rand.Float64()))
}

// Run delivers mail until ctx ends. On the way out it finishes the message
// in flight, records it, hands the rest of its batch back (so another
// worker can take it at once) and says goodbye to the SMTP server.
func (w *Worker) Run(ctx context.Context) {
	defer w.sender.close()
	if err := w.takeBack(ctx); err != nil && ctx.Err() == nil {
		// Not fatal: the leases expire in time.
		w.log.Error("take back mail leased before a restart", "err", err)
	}
	for {
		more, err := w.pass(ctx)
		if ctx.Err() != nil {
			return
		}
		if err != nil {
			w.log.Error("outbox pass", "err", err)
		}
		if more && err == nil {
			continue
		}
		w.retries.flush(w.log)
		w.sender.close() // idle: do not hold a connection open
		t := time.NewTimer(w.cfg.PollInterval)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-w.wake:
			t.Stop()
		case <-t.C:
		}
	}
}

// DeliverDue runs passes until no message is due, and returns. Tools and
// tests use it to flush the outbox; do not call it while Run runs on the
// same Worker (use a second Worker instead).
func (w *Worker) DeliverDue(ctx context.Context) error {
	defer w.sender.close()
	defer w.retries.flush(w.log)
	for {
		more, err := w.pass(ctx)
		if err != nil || !more {
			return err
		}
	}
}

// pass claims one batch of due messages and tries each once. more reports
// that the batch was full, so more mail may be due right away.
func (w *Worker) pass(ctx context.Context) (more bool, err error) {
	b, err := w.claim(ctx)
	if err != nil || b == nil {
		return false, err
	}
	// Records are written even when ctx has ended: the message in flight
	// must be recorded as sent, and the rest handed back.
	rec := context.WithoutCancel(ctx)
	for i := range b.rows {
		if ctx.Err() != nil {
			return false, w.release(rec, b, b.rows[i:])
		}
		row := &b.rows[i]
		if !b.held[row.ID] {
			continue
		}
		if err := w.renew(rec, b); err != nil {
			return false, err
		}
		if !b.held[row.ID] {
			continue
		}
		w.attempt(ctx, rec, b, row)
	}
	return len(b.rows) == w.cfg.BatchSize, nil
}

// attempt sends row once and records the outcome.
func (w *Worker) attempt(ctx, rec context.Context, b *batch, row *models.OutboxMessage) {
	msg, err := w.compose(row, b)
	if err != nil {
		w.recordFailure(rec, b, row, fmt.Errorf("compose: %w", err), true)
		return
	}
	if b.dialErr != nil {
		// The server could not be reached for an earlier message of this
		// batch a moment ago: count the attempt without knocking again.
		w.recordFailure(rec, b, row, b.dialErr, false)
		return
	}
	delivered, err := w.sender.send(ctx, msg)
	var de *dialError
	if errors.As(err, &de) {
		b.dialErr = err
	}
	if delivered {
		w.recordSent(rec, b, row)
		return
	}
	if ctx.Err() != nil && errors.Is(err, context.Canceled) {
		// Stopped before the attempt began: not an attempt.
		_ = w.release(rec, b, []models.OutboxMessage{*row})
		return
	}
	w.recordFailure(rec, b, row, err, permanent(err))
}

// Outcome is what the worker recorded after one attempt at a message.
type Outcome struct {
	ID        uint
	Status    string // models.OutboxSent, OutboxPending (will retry) or OutboxFailed
	Attempts  int
	LastError string
}

func (w *Worker) observe(o Outcome) {
	if w.Observe != nil {
		w.Observe(o)
	}
	w.mu.Lock()
	close(w.changed)
	w.changed = make(chan struct{})
	w.mu.Unlock()
}

// Changed returns a channel that is closed when this worker next records
// the outcome of an attempt. Read the state itself from the database (the
// mail may have been sent by another instance's worker):
//
//	for {
//		ch := w.Changed()
//		if done(readFromDB()) { break }
//		select { case <-ch: case <-ctx.Done(): ... }
//	}
func (w *Worker) Changed() <-chan struct{} {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.changed
}

// batch is what one claim took.
type batch struct {
	token     string
	rows      []models.OutboxMessage
	held      map[uint]bool // rows whose lease is still ours
	renewedAt time.Time
	files     map[uint][]models.OutboxAttachment
	blobs     map[string][]byte
	dialErr   error // the server could not be reached during this batch
}

// leasePrefix is the part of every claim token that names w's instance:
// a digest, so that any instance name fits the column, followed by ".".
// A worker without an Instance has no prefix, and its tokens (hex, no
// ".") match no prefix.
func (w *Worker) leasePrefix() string {
	if w.Instance == "" {
		return ""
	}
	sum := sha256.Sum256([]byte(w.Instance))
	return hex.EncodeToString(sum[:8]) + "."
}

// takeBack releases the leases that w's instance holds, left by the
// process that ran it before and died with claimed mail unsent (SIGKILL,
// a power cut). They are not another process's: two running processes
// cannot share an instance name. The message that was in flight at the
// crash may have been accepted by the server without being recorded; it
// goes out again with the same Message-ID (the package comment's window).
func (w *Worker) takeBack(ctx context.Context) error {
	prefix := w.leasePrefix()
	if prefix == "" {
		return nil
	}
	res := w.db.WithContext(ctx).Model(&models.OutboxMessage{}).
		Where("claim_token LIKE ? AND status = ?", prefix+"%", models.OutboxPending).
		Updates(map[string]any{"claim_token": "", "claimed_until": nil})
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected > 0 {
		w.log.Info("took back mail this instance had claimed before it stopped", "messages", res.RowsAffected, "instance", w.Instance)
	}
	return nil
}

// claim takes up to BatchSize due messages under a fresh lease, in one
// short write transaction: FOR UPDATE SKIP LOCKED on PostgreSQL, so that
// workers of several instances take disjoint batches without waiting for
// one another; on SQLite the transaction holds the write lock from BEGIN.
func (w *Worker) claim(ctx context.Context) (*batch, error) {
	now := w.now()
	b := &batch{token: w.leasePrefix() + newKey(), renewedAt: now, held: map[uint]bool{}}
	var ids []uint
	err := w.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		q := tx.Model(&models.OutboxMessage{}).
			Where("status = ? AND next_attempt_at <= ?", models.OutboxPending, now).
			Where("claimed_until IS NULL OR claimed_until < ?", now).
			Order("next_attempt_at, id").Limit(w.cfg.BatchSize)
		if store.Postgres(tx) {
			q = q.Clauses(clause.Locking{Strength: "UPDATE", Options: "SKIP LOCKED"})
		}
		if err := q.Pluck("id", &ids).Error; err != nil {
			return err
		}
		if len(ids) == 0 {
			return nil
		}
		return tx.Model(&models.OutboxMessage{}).Where("id IN ?", ids).
			Updates(map[string]any{"claim_token": b.token, "claimed_until": now.Add(w.cfg.Lease)}).Error
	})
	if err != nil {
		if ctx.Err() != nil {
			return nil, nil
		}
		return nil, fmt.Errorf("claim due mail: %w", err)
	}
	if len(ids) == 0 {
		return nil, nil
	}
	rec := context.WithoutCancel(ctx)
	db := w.db.WithContext(rec)
	if err := db.Where("claim_token = ?", b.token).Order("next_attempt_at, id").Find(&b.rows).Error; err != nil {
		return nil, fmt.Errorf("load claimed mail: %w", err)
	}
	for _, r := range b.rows {
		b.held[r.ID] = true
	}
	var files []models.OutboxAttachment
	if err := db.Omit(clause.Associations).Where("outbox_message_id IN ?", ids).Order("outbox_message_id, position").Find(&files).Error; err != nil {
		return nil, w.releaseAfter(rec, b, fmt.Errorf("load attachments: %w", err))
	}
	b.files = map[uint][]models.OutboxAttachment{}
	b.blobs = map[string][]byte{}
	var shas []string
	for _, f := range files {
		b.files[f.OutboxMessageID] = append(b.files[f.OutboxMessageID], f)
		if _, ok := b.blobs[f.BlobSHA256]; !ok {
			b.blobs[f.BlobSHA256] = nil
			shas = append(shas, f.BlobSHA256)
		}
	}
	if len(shas) > 0 {
		var blobs []models.OutboxBlob
		if err := db.Where("sha256 IN ?", shas).Find(&blobs).Error; err != nil {
			return nil, w.releaseAfter(rec, b, fmt.Errorf("load attachment data: %w", err))
		}
		for _, bl := range blobs {
			b.blobs[bl.SHA256] = bl.Data
		}
	}
	return b, nil
}

func (w *Worker) releaseAfter(ctx context.Context, b *batch, err error) error {
	if rerr := w.release(ctx, b, b.rows); rerr != nil {
		return errors.Join(err, rerr)
	}
	return err
}

// renew extends the lease on the batch's remaining rows once half of it
// has passed, so that the message in flight always has at least half a
// lease (several SMTP timeouts) to finish in. Rows whose lease was lost
// (the worker stalled past it and another worker took them) are dropped
// from the batch.
func (w *Worker) renew(ctx context.Context, b *batch) error {
	now := w.now()
	if now.Sub(b.renewedAt) < w.cfg.Lease/2 {
		return nil
	}
	err := w.db.WithContext(ctx).Model(&models.OutboxMessage{}).
		Where("claim_token = ? AND status = ?", b.token, models.OutboxPending).
		Update("claimed_until", now.Add(w.cfg.Lease)).Error
	if err != nil {
		return fmt.Errorf("renew lease: %w", err)
	}
	var ids []uint
	if err := w.db.WithContext(ctx).Model(&models.OutboxMessage{}).
		Where("claim_token = ?", b.token).Pluck("id", &ids).Error; err != nil {
		return fmt.Errorf("renew lease: %w", err)
	}
	still := map[uint]bool{}
	for _, id := range ids {
		still[id] = true
	}
	for id := range b.held {
		if !still[id] {
			delete(b.held, id)
			w.log.Warn("lost the lease on a message before sending it; another worker has it", "id", id)
		}
	}
	b.renewedAt = now
	return nil
}

// release hands rows back unsent and without counting an attempt.
func (w *Worker) release(ctx context.Context, b *batch, rows []models.OutboxMessage) error {
	var ids []uint
	for _, r := range rows {
		if b.held[r.ID] {
			ids = append(ids, r.ID)
			delete(b.held, r.ID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	err := w.db.WithContext(ctx).Model(&models.OutboxMessage{}).
		Where("id IN ? AND claim_token = ?", ids, b.token).
		Updates(map[string]any{"claim_token": "", "claimed_until": nil}).Error
	if err != nil {
		return fmt.Errorf("release claimed mail: %w", err)
	}
	return nil
}

// recordSent marks row sent in its own transaction right after the server
// accepted it. This is the window of the package comment: until this
// commits, a crash means the message will be sent again.
func (w *Worker) recordSent(ctx context.Context, b *batch, row *models.OutboxMessage) {
	now := w.now()
	sent := map[string]any{
		"status": models.OutboxSent, "sent_at": now, "attempts": gorm.Expr("attempts + 1"),
		"last_error": "", "claim_token": "", "claimed_until": nil,
	}
	if row.Secret != "" {
		// Delivered: the database keeps no copy of the secret.
		sent["text"] = strings.ReplaceAll(row.Text, row.Secret, Redacted)
		sent["html"] = strings.ReplaceAll(row.HTML, row.Secret, Redacted)
		sent["secret"] = ""
	}
	var res *gorm.DB
	// A busy database must not turn one delivery into two: try a few times.
	for try := range 5 {
		res = w.db.WithContext(ctx).Model(&models.OutboxMessage{}).
			Where("id = ? AND claim_token = ?", row.ID, b.token).
			Updates(sent)
		if res.Error == nil {
			break
		}
		time.Sleep(time.Duration(try+1) * 100 * time.Millisecond)
	}
	delete(b.held, row.ID)
	switch {
	case res.Error != nil:
		w.log.Error("mail was accepted but could not be recorded as sent; it will be sent again when its lease expires",
			"id", row.ID, "err", res.Error)
	case res.RowsAffected == 0:
		w.log.Error("mail was accepted after its lease was lost; another worker may send it again", "id", row.ID)
	default:
		w.log.Info("mail sent", "id", row.ID, "kind", row.Kind, "attempt", row.Attempts+1)
		w.observe(Outcome{ID: row.ID, Status: models.OutboxSent, Attempts: row.Attempts + 1})
	}
}

// recordFailure counts a failed attempt: the message waits for its next
// attempt, or fails for good after a permanent refusal or its last attempt.
func (w *Worker) recordFailure(ctx context.Context, b *batch, row *models.OutboxMessage, cause error, permanent bool) {
	attempts := row.Attempts + 1
	msg := truncate(cause.Error(), 1000)
	updates := map[string]any{
		"attempts": attempts, "last_error": msg, "claim_token": "", "claimed_until": nil,
	}
	if permanent || attempts >= w.cfg.MaxAttempts {
		updates["status"] = models.OutboxFailed
	} else {
		updates["next_attempt_at"] = w.now().Add(w.Backoff(attempts))
	}
	err := w.db.WithContext(ctx).Model(&models.OutboxMessage{}).
		Where("id = ? AND claim_token = ?", row.ID, b.token).Updates(updates).Error
	delete(b.held, row.ID)
	if err != nil {
		// The lease will expire and the message be tried again.
		w.log.Error("record failed mail attempt", "id", row.ID, "err", err)
		return
	}
	status := models.OutboxPending
	if updates["status"] == models.OutboxFailed {
		status = models.OutboxFailed
		w.log.Warn("mail failed", "id", row.ID, "kind", row.Kind, "attempts", attempts, "err", msg)
	} else {
		w.retries.failed(w.log, w.now(), row.ID, attempts, updates["next_attempt_at"], msg)
	}
	w.observe(Outcome{ID: row.ID, Status: status, Attempts: attempts, LastError: msg})
}

// Requeue puts failed messages back in the queue for a fresh round of
// attempts (their attempt count starts again at zero) and wakes the worker.
// Messages that are not failed are left alone: a sent message is never
// sent again. It returns how many messages were requeued.
func (w *Worker) Requeue(ctx context.Context, ids ...uint) (int, error) {
	n, err := Requeue(ctx, w.db, ids...)
	if n > 0 {
		w.Notify()
	}
	return n, err
}

// Requeue is Worker.Requeue for code that holds only the database; the
// requeued mail goes out on the worker's next poll.
func Requeue(ctx context.Context, db *gorm.DB, ids ...uint) (int, error) {
	if len(ids) == 0 {
		return 0, nil
	}
	res := db.WithContext(ctx).Model(&models.OutboxMessage{}).
		// A message whose recipient was erased has no address to go to.
		Where("id IN ? AND status = ? AND to_addr <> ''", ids, models.OutboxFailed).
		Updates(map[string]any{
			"status": models.OutboxPending, "attempts": 0, "next_attempt_at": time.Now().UTC(),
			"claim_token": "", "claimed_until": nil,
		})
	if res.Error != nil {
		return 0, fmt.Errorf("requeue mail: %w", res.Error)
	}
	return int(res.RowsAffected), nil
}

// Delivery is how far a message has gone.
type Delivery struct {
	Status    string // models.OutboxPending, OutboxSent or OutboxFailed
	Attempts  int
	LastError string
}

// Deliveries reports the delivery of messages ids, by id.
func Deliveries(ctx context.Context, db *gorm.DB, ids ...uint) (map[uint]Delivery, error) {
	out := make(map[uint]Delivery, len(ids))
	for start := 0; start < len(ids); start += 500 { // bounded IN lists
		var rows []models.OutboxMessage
		if err := db.WithContext(ctx).Select("id", "status", "attempts", "last_error").
			Where("id IN ?", ids[start:min(start+500, len(ids))]).Find(&rows).Error; err != nil {
			return nil, err
		}
		for _, r := range rows {
			out[r.ID] = Delivery{Status: r.Status, Attempts: r.Attempts, LastError: r.LastError}
		}
	}
	return out, nil
}

// messageID is the Message-ID (without angle brackets) of row: the same on
// every attempt.
func (w *Worker) messageID(row *models.OutboxMessage) string {
	key := row.MessageKey
	if key == "" {
		key = fmt.Sprintf("outbox-%d-%d", row.ID, row.CreatedAt.UnixNano())
	}
	return key + "@" + w.sender.domain
}

func fromDomain(from string) string {
	a, err := mail.ParseAddress(from)
	if err != nil {
		return "rostrum.localhost"
	}
	if _, d, ok := strings.Cut(a.Address, "@"); ok && d != "" {
		return d
	}
	return "rostrum.localhost"
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	// Cut on a rune boundary.
	for n > 0 && s[n]&0xC0 == 0x80 {
		n--
	}
	return s[:n]
}

// retryLog folds the "will retry" lines of a burst of failures into one
// line a minute with a count: a mail server that is down fails every
// message in the queue at once, and a first start after `demo` would
// otherwise bury the server's address under hundreds of lines. The first
// failure of each minute is logged in full; the others of that minute are
// counted and logged as one line when the worker goes idle or the next
// minute's first failure comes.
type retryLog struct {
	mu      sync.Mutex
	since   time.Time // the start of the minute being folded
	folded  int       // failures counted since then and not yet logged
	lastErr string
}

func (r *retryLog) failed(log *slog.Logger, now time.Time, id uint, attempts int, next any, msg string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.since.IsZero() || now.Sub(r.since) >= time.Minute {
		r.flushLocked(log)
		r.since = now
		log.Info("mail attempt failed; will retry", "id", id, "attempts", attempts, "next", next, "err", msg)
		return
	}
	r.folded++
	r.lastErr = msg
}

func (r *retryLog) flush(log *slog.Logger) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.flushLocked(log)
}

func (r *retryLog) flushLocked(log *slog.Logger) {
	if r.folded == 0 {
		return
	}
	log.Info("more mail attempts failed; each will retry", "messages", r.folded, "since", r.since, "last_err", r.lastErr)
	r.folded = 0
}
