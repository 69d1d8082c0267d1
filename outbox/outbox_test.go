package outbox_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"rostrum/apperr"
	"rostrum/internal/mailtest"
	"rostrum/models"
	"rostrum/outbox"
)

func TestDeliversTextHTMLAndAttachment(t *testing.T) {
	srv := mailtest.Start(t)
	db := openDB(t, sqliteDSN(t))
	w := newWorker(t, db, srv)
	pdf := []byte("%PDF-1.7\n\x00\x01\x02 binary \xff\xfe bytes\n%%EOF\n")
	row := enqueue(t, db, outbox.Message{
		Kind: "circulation", To: "delegate@example.org", ToName: "Zoë Ångström-Ndiaye",
		Subject: "Chair’s summary — informal consultation",
		Text:    "Dear participant,\nplease find the summary attached.\n",
		HTML:    "<p>Dear participant,</p><p>please find the <b>summary</b> attached.</p>",
		Attachments: []outbox.Attachment{
			{Filename: "chairs-summary.pdf", ContentType: "application/pdf", Data: pdf},
			{Filename: "notes.txt", Data: []byte("plain notes")},
		},
	})
	deliver(t, w)

	msgs := srv.WaitFor(1, 5*time.Second)
	if len(msgs) != 1 {
		t.Fatalf("got %d messages, want 1", len(msgs))
	}
	m := msgs[0]
	if m.From != "no-reply@rostrum.example" || len(m.To) != 1 || m.To[0] != "delegate@example.org" {
		t.Errorf("envelope from %q to %q", m.From, m.To)
	}
	if m.Subject != "Chair’s summary — informal consultation" {
		t.Errorf("subject %q", m.Subject)
	}
	if !strings.Contains(m.HeaderTo, "Zoë Ångström-Ndiaye") || !strings.Contains(m.HeaderTo, "<delegate@example.org>") {
		t.Errorf("To header %q", m.HeaderTo)
	}
	if want := "<" + row.MessageKey + "@rostrum.example>"; m.MessageID != want || row.MessageKey == "" {
		t.Errorf("Message-ID %q, want %q", m.MessageID, want)
	}
	if m.Header.Get("Auto-Submitted") != "auto-generated" {
		t.Errorf("Auto-Submitted %q", m.Header.Get("Auto-Submitted"))
	}
	if !strings.Contains(m.Text, "please find the summary attached.") {
		t.Errorf("text body %q", m.Text)
	}
	if !strings.Contains(m.HTML, "<b>summary</b>") {
		t.Errorf("html body %q", m.HTML)
	}
	if len(m.Attachments) != 2 {
		t.Fatalf("attachments: %+v", m.Attachments)
	}
	a := m.Attachments[0]
	if a.Filename != "chairs-summary.pdf" || a.ContentType != "application/pdf" || !bytes.Equal(a.Data, pdf) {
		t.Errorf("attachment 0: %q %q %q", a.Filename, a.ContentType, a.Data)
	}
	a = m.Attachments[1]
	if a.Filename != "notes.txt" || a.ContentType != "application/octet-stream" || string(a.Data) != "plain notes" {
		t.Errorf("attachment 1: %q %q %q", a.Filename, a.ContentType, a.Data)
	}
	got := load(t, db, row.ID)
	if got.Status != models.OutboxSent || got.Attempts != 1 || got.SentAt == nil || got.LastError != "" || got.ClaimToken != "" {
		t.Errorf("row after delivery: %+v", got)
	}
}

func TestMailEnqueuedWhileSMTPIsDownGoesOutOnceWhenItReturns(t *testing.T) {
	srv := mailtest.Start(t)
	srv.Stop()
	db := openDB(t, sqliteDSN(t))
	w := newWorker(t, db, srv)
	// A real backoff, scaled down: the worker must not hammer a dead
	// server, and must come back to it.
	w.Backoff = func(int) time.Duration { return 50 * time.Millisecond }
	oc := watch(w)
	run(t, w)

	row := enqueue(t, db, simple("late@example.org"))
	w.Notify()
	oc.waitFor(t, "two failed attempts while the server is down", 10*time.Second, func(l []outbox.Outcome) bool {
		return count(l, models.OutboxPending) >= 2
	})
	if got := load(t, db, row.ID); got.Status != models.OutboxPending || got.Attempts < 2 || !strings.Contains(got.LastError, "connect") {
		t.Fatalf("while the server is down: %+v", got)
	}

	srv.Restart()
	srv.WaitFor(1, 10*time.Second)
	oc.waitFor(t, "the message recorded as sent", 10*time.Second, func(l []outbox.Outcome) bool {
		return count(l, models.OutboxSent) == 1
	})
	// Nothing is due any more; a further pass must send nothing.
	deliver(t, newWorker(t, db, srv))
	if n := srv.Count(); n != 1 {
		t.Fatalf("server received %d messages, want exactly 1", n)
	}
	if got := load(t, db, row.ID); got.Status != models.OutboxSent || got.SentAt == nil {
		t.Fatalf("after the server came back: %+v", got)
	}
}

func TestTemporaryRefusalWaitsForBackoffThenRetries(t *testing.T) {
	srv := mailtest.Start(t)
	db := openDB(t, sqliteDSN(t))
	w := newWorker(t, db, srv)
	row := enqueue(t, db, simple("retry@example.org"))
	clock := time.Now().UTC()
	w.Now = func() time.Time { return clock }
	var asked []int
	w.Backoff = func(attempt int) time.Duration {
		asked = append(asked, attempt)
		return time.Hour
	}

	srv.FailNext(1, 451)
	deliver(t, w)
	got := load(t, db, row.ID)
	if got.Status != models.OutboxPending || got.Attempts != 1 || !strings.Contains(got.LastError, "451") {
		t.Fatalf("after a 451: %+v", got)
	}
	if len(asked) != 1 || asked[0] != 1 || !got.NextAttemptAt.Equal(clock.Add(time.Hour)) {
		t.Fatalf("backoff asked for %v, next attempt at %s (now %s)", asked, got.NextAttemptAt, clock)
	}

	deliver(t, w) // not yet due
	if srv.Count() != 0 {
		t.Fatalf("sent before its next attempt was due")
	}

	clock = clock.Add(time.Hour + time.Second)
	deliver(t, w)
	if srv.Count() != 1 {
		t.Fatalf("server received %d messages, want 1", srv.Count())
	}
	if got := load(t, db, row.ID); got.Status != models.OutboxSent || got.Attempts != 2 || got.LastError != "" {
		t.Fatalf("after the retry: %+v", got)
	}
}

func TestPermanentRefusalFailsAndRequeueSendsIt(t *testing.T) {
	srv := mailtest.Start(t)
	db := openDB(t, sqliteDSN(t))
	w := newWorker(t, db, srv)
	row := enqueue(t, db, simple("refused@example.org"))
	other := enqueue(t, db, simple("fine@example.org"))

	srv.FailNext(1, 550)
	deliver(t, w)
	got := load(t, db, row.ID)
	if got.Status != models.OutboxFailed || got.Attempts != 1 || !strings.Contains(got.LastError, "550") {
		t.Fatalf("after a 550: %+v", got)
	}
	if o := load(t, db, other.ID); o.Status != models.OutboxSent {
		t.Fatalf("the next message on the same connection: %+v", o)
	}

	// A sent message is never requeued; the failed one is.
	n, err := w.Requeue(context.Background(), row.ID, other.ID)
	if err != nil || n != 1 {
		t.Fatalf("requeue: %d, %v", n, err)
	}
	if got := load(t, db, row.ID); got.Status != models.OutboxPending || got.Attempts != 0 {
		t.Fatalf("after requeue: %+v", got)
	}
	deliver(t, w)
	if got := load(t, db, row.ID); got.Status != models.OutboxSent || got.Attempts != 1 {
		t.Fatalf("after the requeued attempt: %+v", got)
	}
	if n := len(srv.To("refused@example.org")); n != 1 {
		t.Fatalf("refused@ received %d messages, want 1", n)
	}
	if n := len(srv.To("fine@example.org")); n != 1 {
		t.Fatalf("fine@ received %d messages, want 1", n)
	}
}

func TestMessageFailsAfterMaxAttempts(t *testing.T) {
	srv := mailtest.Start(t)
	db := openDB(t, sqliteDSN(t))
	w := newWorker(t, db, srv, func(c *outbox.Config) { c.MaxAttempts = 3 })
	row := enqueue(t, db, simple("busy@example.org"))
	srv.FailNext(5, 421)
	for i := 1; i <= 3; i++ {
		deliver(t, w)
		got := load(t, db, row.ID)
		want := models.OutboxPending
		if i == 3 {
			want = models.OutboxFailed
		}
		if got.Status != want || got.Attempts != i {
			t.Fatalf("after attempt %d: status %s attempts %d, want %s %d", i, got.Status, got.Attempts, want, i)
		}
	}
	deliver(t, w)
	if got := load(t, db, row.ID); got.Attempts != 3 {
		t.Fatalf("a failed message was tried again: %+v", got)
	}
}

func TestConnectionDroppedMidDataIsRetried(t *testing.T) {
	srv := mailtest.Start(t)
	db := openDB(t, sqliteDSN(t))
	w := newWorker(t, db, srv)
	row := enqueue(t, db, simple("dropped@example.org"))
	srv.DropNext(1)
	deliver(t, w)
	if got := load(t, db, row.ID); got.Status != models.OutboxPending || got.Attempts != 1 {
		t.Fatalf("after a dropped connection: %+v", got)
	}
	deliver(t, w)
	if got := load(t, db, row.ID); got.Status != models.OutboxSent || srv.Count() != 1 {
		t.Fatalf("after the retry: %+v, %d received", got, srv.Count())
	}
}

func TestHungServerTimesOutAndIsRetried(t *testing.T) {
	srv := mailtest.Start(t)
	db := openDB(t, sqliteDSN(t))
	w := newWorker(t, db, srv, func(c *outbox.Config) { c.Timeout = 300 * time.Millisecond })
	row := enqueue(t, db, simple("hung@example.org"))
	srv.HangNext(1)
	deliver(t, w)
	if got := load(t, db, row.ID); got.Status != models.OutboxPending || got.Attempts != 1 || got.LastError == "" {
		t.Fatalf("after a hung server: %+v", got)
	}
	deliver(t, w)
	if got := load(t, db, row.ID); got.Status != models.OutboxSent || srv.Count() != 1 {
		t.Fatalf("after the retry: %+v, %d received", got, srv.Count())
	}
}

// The one window no SMTP sender can close: the server took the message but
// its reply never arrived. The message goes out again, with the same
// Message-ID, so the receiver can drop the copy.
func TestLostReplyResendsWithTheSameMessageID(t *testing.T) {
	srv := mailtest.Start(t)
	db := openDB(t, sqliteDSN(t))
	w := newWorker(t, db, srv)
	row := enqueue(t, db, simple("twice@example.org"))
	srv.DropAfterDataNext(1)
	deliver(t, w)
	deliver(t, w)
	msgs := srv.To("twice@example.org")
	if len(msgs) != 2 {
		t.Fatalf("got %d copies, want 2 (one lost reply, one retry)", len(msgs))
	}
	if msgs[0].MessageID == "" || msgs[0].MessageID != msgs[1].MessageID {
		t.Fatalf("Message-IDs differ: %q %q", msgs[0].MessageID, msgs[1].MessageID)
	}
	if d := srv.Duplicates(); len(d) != 1 || d[0] != msgs[1] {
		t.Fatalf("duplicates: %v", d)
	}
	if got := load(t, db, row.ID); got.Status != models.OutboxSent || got.Attempts != 2 {
		t.Fatalf("row: %+v", got)
	}
}

func TestRefMakesEnqueueIdempotent(t *testing.T) {
	srv := mailtest.Start(t)
	db := openDB(t, sqliteDSN(t))
	w := newWorker(t, db, srv)
	m := simple("once@example.org")
	m.Ref = "circulation:7:registration:42"
	first := enqueue(t, db, m)
	m.Subject = "a different subject"
	second := enqueue(t, db, m)
	if first.ID != second.ID || second.Subject != first.Subject {
		t.Fatalf("second enqueue stored a new message: %d vs %d", first.ID, second.ID)
	}
	var n int64
	db.Model(&models.OutboxMessage{}).Count(&n)
	if n != 1 {
		t.Fatalf("%d rows, want 1", n)
	}
	deliver(t, w)
	enqueue(t, db, m) // after delivery too
	deliver(t, w)
	if srv.Count() != 1 {
		t.Fatalf("server received %d messages, want 1", srv.Count())
	}
}

func TestEnqueueRefusesInvalidMessagesAndHeaderInjection(t *testing.T) {
	db := openDB(t, sqliteDSN(t))
	valid := simple("ok@example.org")
	cases := []struct {
		name  string
		edit  func(*outbox.Message)
		field string
	}{
		{"subject with CRLF", func(m *outbox.Message) { m.Subject = "Hi\r\nBcc: victim@example.org" }, "subject"},
		{"subject with LF", func(m *outbox.Message) { m.Subject = "Hi\nX-Evil: 1" }, "subject"},
		{"name with CR", func(m *outbox.Message) { m.ToName = "Eve\rBcc: victim@example.org" }, "to_name"},
		{"address with CRLF", func(m *outbox.Message) { m.To = "ok@example.org\r\nBcc: victim@example.org" }, "to"},
		{"address with a name", func(m *outbox.Message) { m.To = "Eve <eve@example.org>" }, "to"},
		{"two addresses", func(m *outbox.Message) { m.To = "a@example.org, b@example.org" }, "to"},
		{"not an address", func(m *outbox.Message) { m.To = "not-an-address" }, "to"},
		{"no recipient", func(m *outbox.Message) { m.To = "" }, "to"},
		{"no subject", func(m *outbox.Message) { m.Subject = " " }, "subject"},
		{"no text", func(m *outbox.Message) { m.Text = "" }, "text"},
		{"no kind", func(m *outbox.Message) { m.Kind = "" }, "kind"},
		{"control character in subject", func(m *outbox.Message) { m.Subject = "Hi\x00there" }, "subject"},
		{"invalid UTF-8 in subject", func(m *outbox.Message) { m.Subject = "Hi \xff" }, "subject"},
		{"attachment name with CRLF", func(m *outbox.Message) {
			m.Attachments = []outbox.Attachment{{Filename: "a.pdf\r\nX-Evil: 1", Data: []byte("x")}}
		}, "attachments[0].filename"},
		{"attachment name with a quote", func(m *outbox.Message) {
			m.Attachments = []outbox.Attachment{{Filename: `a".pdf`, Data: []byte("x")}}
		}, "attachments[0].filename"},
		{"attachment content type with parameters", func(m *outbox.Message) {
			m.Attachments = []outbox.Attachment{{Filename: "a.pdf", ContentType: "application/pdf; name=x", Data: []byte("x")}}
		}, "attachments[0].content_type"},
		{"empty attachment", func(m *outbox.Message) {
			m.Attachments = []outbox.Attachment{{Filename: "a.pdf"}}
		}, "attachments[0].data"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m := valid
			tc.edit(&m)
			_, err := outbox.Enqueue(db, m)
			if !apperr.Is(err, apperr.KindInvalid) {
				t.Fatalf("err = %v, want Invalid", err)
			}
			var ae *apperr.Error
			if !asAppErr(err, &ae) || ae.Fields[tc.field] == "" {
				t.Fatalf("fields %v, want a message for %q", ae.Fields, tc.field)
			}
		})
	}
	var n int64
	db.Model(&models.OutboxMessage{}).Count(&n)
	if n != 0 {
		t.Fatalf("%d invalid messages were stored", n)
	}
	if _, err := outbox.Enqueue(db, valid); err != nil {
		t.Fatalf("the valid message: %v", err)
	}
}

func asAppErr(err error, target **apperr.Error) bool {
	return errors.As(err, target)
}

func TestSameAttachmentIsStoredOnceForManyMessages(t *testing.T) {
	srv := mailtest.Start(t)
	db := openDB(t, sqliteDSN(t))
	w := newWorker(t, db, srv)
	pdf := bytes.Repeat([]byte("%PDF summary bytes "), 5000)
	const n = 60
	for i := range n {
		enqueue(t, db, outbox.Message{
			Kind: "circulation", To: fmt.Sprintf("p%d@example.org", i), Subject: "Summary", Text: "Attached.",
			Attachments: []outbox.Attachment{{Filename: "summary.pdf", ContentType: "application/pdf", Data: pdf}},
		})
	}
	var blobs, links int64
	db.Model(&models.OutboxBlob{}).Count(&blobs)
	db.Model(&models.OutboxAttachment{}).Count(&links)
	if blobs != 1 || links != n {
		t.Fatalf("%d blobs and %d attachment rows, want 1 and %d", blobs, links, n)
	}
	deliver(t, w)
	msgs := srv.WaitFor(n, 10*time.Second)
	for _, m := range msgs {
		if len(m.Attachments) != 1 || !bytes.Equal(m.Attachments[0].Data, pdf) {
			t.Fatalf("message to %v lacks the PDF", m.To)
		}
	}
}

func TestBatchSharesOneConnection(t *testing.T) {
	srv := mailtest.Start(t)
	db := openDB(t, sqliteDSN(t))
	w := newWorker(t, db, srv, func(c *outbox.Config) { c.BatchSize = 50 })
	for i := range 25 {
		enqueue(t, db, simple(fmt.Sprintf("c%d@example.org", i)))
	}
	deliver(t, w)
	if srv.Count() != 25 || srv.Connections() != 1 {
		t.Fatalf("%d messages over %d connections, want 25 over 1", srv.Count(), srv.Connections())
	}
}

func TestExpiredLeaseOfACrashedWorkerIsTakenOver(t *testing.T) {
	srv := mailtest.Start(t)
	db := openDB(t, sqliteDSN(t))
	w := newWorker(t, db, srv)
	row := enqueue(t, db, simple("orphan@example.org"))
	clock := time.Now().UTC() // the message is due
	w.Now = func() time.Time { return clock }
	// A worker claimed it and died.
	until := clock.Add(10 * time.Minute)
	if err := db.Model(&models.OutboxMessage{}).Where("id = ?", row.ID).
		Updates(map[string]any{"claim_token": "dead-worker", "claimed_until": until}).Error; err != nil {
		t.Fatal(err)
	}
	deliver(t, w)
	if srv.Count() != 0 {
		t.Fatal("a message under another worker's lease was sent")
	}
	clock = until.Add(time.Second)
	deliver(t, w)
	if srv.Count() != 1 {
		t.Fatalf("the expired lease was not taken over: %d sent", srv.Count())
	}
	if got := load(t, db, row.ID); got.Status != models.OutboxSent || got.ClaimToken != "" {
		t.Fatalf("row: %+v", got)
	}
}

func TestStopFinishesTheMessageInFlightAndHandsBackTheRest(t *testing.T) {
	srv := mailtest.Start(t)
	db := openDB(t, sqliteDSN(t))
	w := newWorker(t, db, srv)
	var ids []uint
	for i := range 5 {
		ids = append(ids, enqueue(t, db, simple(fmt.Sprintf("s%d@example.org", i))).ID)
	}
	ctx, cancel := context.WithCancel(context.Background())
	// Stop the worker while the server holds the first message, before it
	// answers.
	var once sync.Once
	srv.OnMessage(func(*mailtest.Message) { once.Do(cancel) })
	done := make(chan struct{})
	go func() {
		defer close(done)
		w.Run(ctx)
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("the worker did not stop")
	}
	if srv.Count() != 1 {
		t.Fatalf("server received %d messages, want 1", srv.Count())
	}
	if got := load(t, db, ids[0]); got.Status != models.OutboxSent {
		t.Fatalf("the message in flight: %+v", got)
	}
	for _, id := range ids[1:] {
		got := load(t, db, id)
		if got.Status != models.OutboxPending || got.Attempts != 0 || got.ClaimToken != "" || got.ClaimedUntil != nil {
			t.Fatalf("a message not yet tried was not handed back: %+v", got)
		}
	}
	// Another worker takes the rest at once.
	deliver(t, newWorker(t, db, srv))
	if srv.Count() != 5 {
		t.Fatalf("server received %d messages, want 5", srv.Count())
	}
}

func TestNotifyWakesTheWorkerWithoutWaitingForThePoll(t *testing.T) {
	srv := mailtest.Start(t)
	db := openDB(t, sqliteDSN(t))
	w := newWorker(t, db, srv, func(c *outbox.Config) { c.PollInterval = time.Hour })
	oc := watch(w)
	// The worker's first pass sends the first message; then it sleeps for
	// an hour unless notified.
	enqueue(t, db, simple("first@example.org"))
	run(t, w)
	oc.waitFor(t, "the first message to be sent", 10*time.Second, func(l []outbox.Outcome) bool {
		return count(l, models.OutboxSent) == 1
	})
	enqueue(t, db, simple("now@example.org"))
	w.Notify()
	oc.waitFor(t, "the notified message to be sent", 10*time.Second, func(l []outbox.Outcome) bool {
		return count(l, models.OutboxSent) == 2
	})
}

func TestDeliversOverTLSWithAuthentication(t *testing.T) {
	for _, mode := range []struct {
		tls string
		opt mailtest.Option
	}{
		{"none", nil},
		{"starttls", mailtest.WithStartTLS()},
		{"tls", mailtest.WithImplicitTLS()},
	} {
		t.Run(mode.tls, func(t *testing.T) {
			opts := []mailtest.Option{mailtest.WithAuth("rostrum", "s3cret")}
			if mode.opt != nil {
				opts = append(opts, mode.opt)
			}
			srv := mailtest.Start(t, opts...)
			db := openDB(t, sqliteDSN(t))
			setup := func(c *outbox.Config) {
				c.TLS, c.TLSConfig = mode.tls, srv.ClientTLSConfig()
				c.Username, c.Password = "rostrum", "s3cret"
			}
			w := newWorker(t, db, srv, setup)
			row := enqueue(t, db, simple("secure@example.org"))
			deliver(t, w)
			msgs := srv.WaitFor(1, 5*time.Second)
			if msgs[0].User != "rostrum" || msgs[0].TLS != (mode.tls != "none") {
				t.Fatalf("user %q, tls %v", msgs[0].User, msgs[0].TLS)
			}
			if got := load(t, db, row.ID); got.Status != models.OutboxSent {
				t.Fatalf("row: %+v", got)
			}

			// A wrong password is not a delivery: the message waits.
			bad := newWorker(t, db, srv, setup, func(c *outbox.Config) { c.Password = "wrong" })
			other := enqueue(t, db, simple("second@example.org"))
			deliver(t, bad)
			if got := load(t, db, other.ID); got.Status != models.OutboxPending || got.LastError == "" || srv.Count() != 1 {
				t.Fatalf("with a wrong password: %+v, %d received", got, srv.Count())
			}
		})
	}
}

// A worker that takes long over a batch renews its lease as it goes, so a
// second worker never takes (and sends again) the rest of the batch.
func TestLeaseIsRenewedWhileWorkingThroughABatch(t *testing.T) {
	srv := mailtest.Start(t)
	db := openDB(t, sqliteDSN(t))
	lease := time.Minute
	slow := newWorker(t, db, srv, func(c *outbox.Config) { c.Lease = lease })
	other := newWorker(t, db, srv, func(c *outbox.Config) { c.Lease = lease })
	for i := range 5 {
		enqueue(t, db, simple(fmt.Sprintf("l%d@example.org", i)))
	}
	clock := time.Now().UTC()
	slow.Now = func() time.Time { return clock }
	other.Now = func() time.Time { return clock }
	otherSent := 0
	other.Observe = func(outbox.Outcome) { otherSent++ }
	// After each message, 0.6 of a lease passes and the other worker
	// looks for due mail.
	slow.Observe = func(outbox.Outcome) {
		clock = clock.Add(lease * 6 / 10)
		deliver(t, other)
	}
	deliver(t, slow)
	if otherSent != 0 || srv.Count() != 5 || len(srv.Duplicates()) != 0 {
		t.Fatalf("other worker sent %d; server received %d with %d duplicates", otherSent, srv.Count(), len(srv.Duplicates()))
	}
}
