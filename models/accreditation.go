package models

import "time"

// States of a non-objection notice.
const (
	NoticeOpen   = "open"   // Member States may object until its deadline
	NoticeClosed = "closed" // the deadline passed and the registrations were decided
)

// NonObjectionNotice is one circulation of organizations' names to the
// Member States invited to a meeting: any of them may object to an
// organization before Deadline; at the deadline, the registrations of the
// organizations without objection are approved and the others rejected.
// Package accreditation owns it.
type NonObjectionNotice struct {
	ID        uint      `gorm:"primaryKey"`
	MeetingID uint      `gorm:"not null;index"`
	Meeting   Meeting   `gorm:"constraint:OnDelete:CASCADE"`
	Deadline  time.Time `gorm:"not null"`
	// State is NoticeOpen until the deadline job claims the notice (in the
	// transaction that decides its registrations) and sets NoticeClosed.
	State     string `gorm:"size:10;not null;default:'open';index"`
	ClosedAt  *time.Time
	CreatedAt time.Time
}

// NonObjectionEntry is one organization of a notice, and, once the notice
// is closed, what its registrations became: "approved", or "rejected"
// after an objection. Package accreditation owns it.
type NonObjectionEntry struct {
	ID             uint               `gorm:"primaryKey"`
	NoticeID       uint               `gorm:"not null;uniqueIndex:idx_entry_notice_org"`
	Notice         NonObjectionNotice `gorm:"constraint:OnDelete:CASCADE"`
	OrganizationID uint               `gorm:"not null;uniqueIndex:idx_entry_notice_org;index"`
	Organization   Organization       `gorm:"constraint:OnDelete:CASCADE"`
	Outcome        string             `gorm:"size:10;not null;default:''"`
}

// NonObjectionRecipient is one mission a notice was mailed to, with the
// SHA-256 of the token of the notice's link: that link is the mission's
// focal-point key for the meeting, as its invitation's is. Package
// accreditation owns it.
type NonObjectionRecipient struct {
	ID        uint               `gorm:"primaryKey"`
	NoticeID  uint               `gorm:"not null;uniqueIndex:idx_recipient_notice_mission"`
	Notice    NonObjectionNotice `gorm:"constraint:OnDelete:CASCADE"`
	MissionID uint               `gorm:"not null;uniqueIndex:idx_recipient_notice_mission;index"`
	Mission   Mission            `gorm:"constraint:OnDelete:CASCADE"`
	TokenHash string             `gorm:"size:64;not null;uniqueIndex"`
}

// Objection is a Member State's objection to an organization of a notice,
// with its reason: the secretariat's to read, never an organization's nor
// another State's. One per mission, notice and organization. Package
// accreditation owns it.
type Objection struct {
	ID             uint               `gorm:"primaryKey"`
	NoticeID       uint               `gorm:"not null;uniqueIndex:idx_objection_once"`
	Notice         NonObjectionNotice `gorm:"constraint:OnDelete:CASCADE"`
	OrganizationID uint               `gorm:"not null;uniqueIndex:idx_objection_once"`
	Organization   Organization       `gorm:"constraint:OnDelete:CASCADE"`
	MissionID      uint               `gorm:"not null;uniqueIndex:idx_objection_once;index"`
	Mission        Mission            `gorm:"constraint:OnDelete:CASCADE"`
	Reason         string             `gorm:"size:1000;not null"`
	CreatedAt      time.Time          `gorm:"not null"`
}

// AccreditationTables are the tables of package accreditation.
func AccreditationTables() []any {
	return []any{&NonObjectionNotice{}, &NonObjectionEntry{}, &NonObjectionRecipient{}, &Objection{}}
}
