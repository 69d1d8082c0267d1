package models

import "time"

// Outbox message states.
const (
	OutboxPending = "pending" // waiting for (another) attempt
	OutboxSent    = "sent"    // accepted by the SMTP server
	OutboxFailed  = "failed"  // gave up after the last attempt; can be re-sent
)

// OutboxMessage is one queued email. Capabilities that need to show
// delivery progress (circulation) read Status, Attempts and LastError.
type OutboxMessage struct {
	ID      uint    `gorm:"primaryKey" json:"id"`
	Kind    string  `gorm:"size:40;not null;index" json:"kind"`
	Ref     *string `gorm:"size:200;uniqueIndex" json:"ref,omitempty"`
	ToAddr  string  `gorm:"size:254;not null" json:"to"`
	ToName  string  `gorm:"size:200;not null;default:''" json:"to_name"`
	Subject string  `gorm:"size:500;not null" json:"subject"`
	Text    string  `gorm:"type:text;not null" json:"-"`
	HTML    string  `gorm:"type:text;not null;default:''" json:"-"`
	// Secret is a secret the bodies carry (a participant's private link)
	// until the message is delivered; then the bodies hold
	// outbox.Redacted in its place and Secret is emptied.
	Secret        string     `gorm:"size:100;not null;default:''" json:"-"`
	Status        string     `gorm:"size:10;not null;index:idx_outbox_due" json:"status"`
	Attempts      int        `gorm:"not null;default:0" json:"attempts"`
	NextAttemptAt time.Time  `gorm:"not null;index:idx_outbox_due" json:"next_attempt_at"`
	LastError     string     `gorm:"size:1000;not null;default:''" json:"last_error"`
	SentAt        *time.Time `json:"sent_at,omitempty"`
	CreatedAt     time.Time  `json:"created_at"`

	// MessageKey is random and fixed at enqueue; the Message-ID header is
	// <MessageKey@domain of smtp_from>, the same on every attempt, so that
	// a receiver can recognise a message delivered twice.
	MessageKey string `gorm:"size:64;not null;default:''" json:"-"`
	// ClaimToken and ClaimedUntil are a worker's lease on the row while it
	// sends it: another worker leaves the row alone until the lease expires.
	// The token starts with a digest of the worker's instance and a dot
	// (outbox.Worker.Instance), so that an instance restarted after a crash
	// finds and takes back its own leases at once.
	ClaimToken   string     `gorm:"size:64;not null;default:'';index" json:"-"`
	ClaimedUntil *time.Time `json:"-"`
}

// OutboxBlob is the content of an attachment, stored once however many
// messages carry it (a circulation attaches one PDF to every recipient's
// message).
type OutboxBlob struct {
	SHA256    string    `gorm:"primaryKey;size:64"`
	Size      int64     `gorm:"not null"`
	Data      []byte    `gorm:"not null"`
	CreatedAt time.Time `gorm:"not null"`
}

// OutboxAttachment joins a message to a blob under a file name.
type OutboxAttachment struct {
	ID              uint   `gorm:"primaryKey"`
	OutboxMessageID uint   `gorm:"not null;index"`
	Position        int    `gorm:"not null"`
	Filename        string `gorm:"size:255;not null"`
	ContentType     string `gorm:"size:255;not null"`
	BlobSHA256      string `gorm:"size:64;not null;index"`

	OutboxMessage OutboxMessage `gorm:"constraint:OnDelete:CASCADE" json:"-"`
	Blob          OutboxBlob    `gorm:"foreignKey:BlobSHA256;references:SHA256" json:"-"`
}

// OutboxTables lists the tables of the outbox capability, in creation order.
func OutboxTables() []any {
	return []any{&OutboxMessage{}, &OutboxBlob{}, &OutboxAttachment{}}
}
