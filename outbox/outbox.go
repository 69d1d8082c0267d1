// Package outbox is Rostrum's persistent mail queue. A capability enqueues
// a message inside its own database transaction, so that a registration
// (or a circulation) and its mail are stored together or not at all; a
// worker delivers queued mail over SMTP with retries and backoff, so that
// nothing acknowledged is lost while the mail server is down.
package outbox

import (
	"time"

	"gorm.io/gorm"

	"rostrum/models"
)

// Attachment is a file sent with a message.
type Attachment struct {
	Filename    string
	ContentType string
	Data        []byte
}

// Message is one email to one recipient.
type Message struct {
	// Kind says what the mail is for, e.g. "registration_confirmation",
	// "decision", "circulation".
	Kind    string
	To      string // address
	ToName  string // display name, may be empty
	Subject string
	Text    string // plain-text body (always set)
	HTML    string // optional HTML alternative (already escaped)
	// Ref, when set, is unique across the outbox: enqueueing a second
	// message with the same Ref returns the first and stores nothing.
	Ref         string
	Attachments []Attachment
}

// Enqueue stores m in the caller's transaction tx. The message goes out
// after tx commits (call Worker.Notify then to send it at once).
//
// This first version stores the message row; attachments and validation
// are the outbox worker's to add.
func Enqueue(tx *gorm.DB, m Message) (*models.OutboxMessage, error) {
	row := &models.OutboxMessage{
		Kind: m.Kind, ToAddr: m.To, ToName: m.ToName, Subject: m.Subject,
		Text: m.Text, HTML: m.HTML, Status: models.OutboxPending,
		NextAttemptAt: time.Now().UTC(),
	}
	if m.Ref != "" {
		ref := m.Ref
		row.Ref = &ref
		var existing models.OutboxMessage
		err := tx.Where("ref = ?", ref).Limit(1).Find(&existing).Error
		if err != nil {
			return nil, err
		}
		if existing.ID != 0 {
			return &existing, nil
		}
	}
	if err := tx.Create(row).Error; err != nil {
		return nil, err
	}
	return row, nil
}
