package outbox_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"rostrum/apperr"
	"rostrum/internal/mailtest"
	"rostrum/models"
	"rostrum/outbox"
)

// A message's secret goes out in the mail and is gone from the database
// once the mail is delivered; until then (and after a permanent failure,
// so that it can be re-sent) the stored message keeps it.
func TestSecretIsRemovedFromTheStoredMessageOnceDelivered(t *testing.T) {
	const secret = "s3cr3t-t0ken-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
	srv := mailtest.Start(t)
	db := openDB(t, sqliteDSN(t))
	w := newWorker(t, db, srv)
	msg := func(to string) outbox.Message {
		return outbox.Message{Kind: "test", To: to, Subject: "Your link",
			Text: "Your link: https://rostrum.example/r/" + secret + "\n", HTML: `<a href="https://rostrum.example/r/` + secret + `">link</a>`, Secret: secret}
	}
	srv.FailNext(1, 550) // the first message is refused for good
	refused := enqueue(t, db, msg("bo@example.org"))
	row := enqueue(t, db, msg("ana@example.org"))
	if got := load(t, db, row.ID); got.Secret != secret || !strings.Contains(got.Text, secret) {
		t.Fatalf("before delivery: %+v", got)
	}
	deliver(t, w)
	got := srv.WaitTo("ana@example.org", 1, 5*time.Second)[0]
	if !strings.Contains(got.Text, secret) || !strings.Contains(got.HTML, secret) {
		t.Fatalf("the mail lacks its link:\n%s", got.Text)
	}
	stored := load(t, db, row.ID)
	if stored.Status != models.OutboxSent || stored.Secret != "" || strings.Contains(stored.Text+stored.HTML, secret) ||
		!strings.Contains(stored.Text, "/r/"+outbox.Redacted) {
		t.Fatalf("after delivery: %+v", stored)
	}
	if f := load(t, db, refused.ID); f.Status != models.OutboxFailed || f.Secret != secret || !strings.Contains(f.Text, secret) {
		t.Fatalf("a refused message lost the secret it may still deliver: %+v", f)
	}
	err := db.Transaction(func(tx *gorm.DB) error {
		_, err := outbox.Enqueue(tx, outbox.Message{Kind: "test", To: "cy@example.org", Subject: "S", Text: "no link here", Secret: secret})
		return err
	})
	var ae *apperr.Error
	if !errors.As(err, &ae) || ae.Fields["secret"] == "" {
		t.Fatalf("a secret that is not in the text: %v", err)
	}
}
