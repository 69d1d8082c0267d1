package store

import (
	"time"

	"gorm.io/gorm"
)

// The table of 0002_outbox as released (commit 6263bd2): the queue of
// mail before the worker's leases and attachments, which 0010 adds.
// Never edit it; a change to the outbox is a new migration.

func migrate0002Outbox(tx *gorm.DB) error {
	return tx.AutoMigrate(&outboxMessage0002{})
}

type outboxMessage0002 struct {
	ID            uint      `gorm:"primaryKey"`
	Kind          string    `gorm:"size:40;not null;index"`
	Ref           *string   `gorm:"size:200;uniqueIndex"`
	ToAddr        string    `gorm:"size:254;not null"`
	ToName        string    `gorm:"size:200;not null;default:''"`
	Subject       string    `gorm:"size:500;not null"`
	Text          string    `gorm:"type:text;not null"`
	HTML          string    `gorm:"type:text;not null;default:''"`
	Status        string    `gorm:"size:10;not null;index:idx_outbox_due"`
	Attempts      int       `gorm:"not null;default:0"`
	NextAttemptAt time.Time `gorm:"not null;index:idx_outbox_due"`
	LastError     string    `gorm:"size:1000;not null;default:''"`
	SentAt        *time.Time
	CreatedAt     time.Time
}

func (outboxMessage0002) TableName() string { return "outbox_messages" }
