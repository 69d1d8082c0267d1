package outbox_test

import (
	"context"
	"testing"

	"gorm.io/gorm"

	"rostrum/models"
	"rostrum/outbox"
)

func TestForgetErasesEveryMessageToTheAddressAndGivesUpThoseWaiting(t *testing.T) {
	db := openDB(t, sqliteDSN(t))
	enqueue := func(to, name string) *models.OutboxMessage {
		var m *models.OutboxMessage
		if err := db.Transaction(func(tx *gorm.DB) error {
			var err error
			m, err = outbox.Enqueue(tx, outbox.Message{Kind: "test", To: to, ToName: name, Subject: "For " + name, Text: "Dear " + name})
			return err
		}); err != nil {
			t.Fatal(err)
		}
		return m
	}
	sent, waiting, other := enqueue("ana@example.org", "Ana Souza"), enqueue("ana@example.org", "Ana Souza"), enqueue("ben@example.org", "Ben")
	if err := db.Model(&models.OutboxMessage{}).Where("id = ?", sent.ID).Update("status", models.OutboxSent).Error; err != nil {
		t.Fatal(err)
	}
	if err := db.Transaction(func(tx *gorm.DB) error { return outbox.Forget(tx, "ana@example.org") }); err != nil {
		t.Fatal(err)
	}
	var rows []models.OutboxMessage
	db.Order("id").Find(&rows)
	for _, r := range rows[:2] {
		if r.ToAddr != "" || r.ToName != "" || r.Subject != outbox.Erased || r.Text != outbox.Erased {
			t.Fatalf("an erased recipient's message: %+v", r)
		}
	}
	if rows[0].Status != models.OutboxSent || rows[1].Status != models.OutboxFailed || rows[1].LastError != outbox.ErasedError {
		t.Fatalf("states after erasure: sent %s, waiting %s (%s)", rows[0].Status, rows[1].Status, rows[1].LastError)
	}
	if rows[2].ToAddr != "ben@example.org" || rows[2].Text != "Dear Ben" {
		t.Fatalf("another recipient's message changed: %+v", rows[2])
	}
	// Re-sending a circulation's failures never sends an erased message.
	if n, err := outbox.Requeue(context.Background(), db, waiting.ID, other.ID); err != nil || n != 0 {
		t.Fatalf("requeued %d (%v), want 0", n, err)
	}
}
