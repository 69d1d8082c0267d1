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
	ID            uint       `gorm:"primaryKey" json:"id"`
	Kind          string     `gorm:"size:40;not null;index" json:"kind"`
	Ref           *string    `gorm:"size:200;uniqueIndex" json:"ref,omitempty"`
	ToAddr        string     `gorm:"size:254;not null" json:"to"`
	ToName        string     `gorm:"size:200;not null;default:''" json:"to_name"`
	Subject       string     `gorm:"size:500;not null" json:"subject"`
	Text          string     `gorm:"type:text;not null" json:"-"`
	HTML          string     `gorm:"type:text;not null;default:''" json:"-"`
	Status        string     `gorm:"size:10;not null;index:idx_outbox_due" json:"status"`
	Attempts      int        `gorm:"not null;default:0" json:"attempts"`
	NextAttemptAt time.Time  `gorm:"not null;index:idx_outbox_due" json:"next_attempt_at"`
	LastError     string     `gorm:"size:1000;not null;default:''" json:"last_error"`
	SentAt        *time.Time `json:"sent_at,omitempty"`
	CreatedAt     time.Time  `json:"created_at"`
}

// OutboxTables lists the tables of the outbox capability, in creation order.
func OutboxTables() []any { return []any{&OutboxMessage{}} }
