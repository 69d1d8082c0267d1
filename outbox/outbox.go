// Package outbox is Rostrum's persistent mail queue. A capability enqueues
// a message inside its own database transaction, so that a registration
// (or a circulation) and its mail are stored together or not at all; a
// worker delivers queued mail over SMTP with retries and backoff, so that
// nothing acknowledged is lost while the mail server is down.
package outbox

import (
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
func Enqueue(tx *gorm.DB, m Message) (*models.OutboxMessage, error) {
	panic("outbox.Enqueue: not yet implemented")
}
