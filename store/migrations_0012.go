package store

import (
	"time"

	"gorm.io/gorm"
)

// 0012_editing_and_accounts as released (issue 14): agenda items get an
// optional time slot, staff accounts can be disabled, a password can be
// reset by a one-time link (only its hash stored), and edits outside the
// live list are audited.

type agendaItem0012 struct {
	StartsAt *time.Time
	EndsAt   *time.Time
}

func (agendaItem0012) TableName() string { return "agenda_items" }

type user0012 struct {
	Disabled bool `gorm:"not null;default:false"`
}

func (user0012) TableName() string { return "users" }

type passwordReset0012 struct {
	ID        uint      `gorm:"primaryKey"`
	UserID    uint      `gorm:"not null;index"`
	User      user0001  `gorm:"constraint:OnDelete:CASCADE"`
	TokenHash string    `gorm:"size:64;not null;uniqueIndex"`
	ExpiresAt time.Time `gorm:"not null"`
	UsedAt    *time.Time
	CreatedAt time.Time
}

func (passwordReset0012) TableName() string { return "password_resets" }

type auditEvent0012 struct {
	ID        uint        `gorm:"primaryKey"`
	MeetingID uint        `gorm:"not null;index:idx_audit_meeting_at"`
	Meeting   meeting0001 `gorm:"constraint:OnDelete:CASCADE"`
	At        time.Time   `gorm:"not null;index:idx_audit_meeting_at"`
	Actor     string      `gorm:"size:300;not null"`
	UserID    *uint
	Action    string `gorm:"size:40;not null"`
	Detail    string `gorm:"type:text;not null;default:''"`
}

func (auditEvent0012) TableName() string { return "audit_events" }

func migrate0012EditingAndAccounts(tx *gorm.DB) error {
	m := tx.Migrator()
	for _, col := range []string{"StartsAt", "EndsAt"} {
		if err := m.AddColumn(&agendaItem0012{}, col); err != nil {
			return err
		}
	}
	if err := m.AddColumn(&user0012{}, "Disabled"); err != nil {
		return err
	}
	return tx.AutoMigrate(&passwordReset0012{}, &auditEvent0012{})
}
