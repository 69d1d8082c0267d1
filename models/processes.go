package models

import "time"

// Process is a process of several meetings: the substantive sessions
// and intersessional meetings of one working group, say. Its meetings
// share what is shared across all meetings anyway (organization records,
// ECOSOC status, missions); a representative registering for one of them
// may have the form pre-filled from their registration for another.
type Process struct {
	ID        uint      `gorm:"primaryKey" json:"id"`
	Slug      string    `gorm:"size:64;not null;uniqueIndex" json:"slug"`
	Title     string    `gorm:"size:300;not null" json:"title"`
	Acronym   string    `gorm:"size:60;not null;default:''" json:"acronym"`
	CreatedAt time.Time `json:"created_at"`
}

// What a meeting is in its process: a meeting's kind.
const (
	MeetingKindOther          = "meeting" // no particular kind (the default)
	MeetingKindSubstantive    = "substantive_session"
	MeetingKindIntersessional = "intersessional"
)

// PrefillLink is a one-time link, valid for a day, mailed to an address
// that registered for a meeting of a process: it opens the registration
// form of another meeting of that process (MeetingID) filled in from that
// earlier registration (RegistrationID). Only the SHA-256 of the link's
// token is stored.
type PrefillLink struct {
	ID             uint         `gorm:"primaryKey"`
	MeetingID      uint         `gorm:"not null;index"`
	Meeting        Meeting      `gorm:"constraint:OnDelete:CASCADE"`
	RegistrationID uint         `gorm:"not null;index"`
	Registration   Registration `gorm:"constraint:OnDelete:CASCADE"`
	TokenHash      string       `gorm:"size:64;not null;uniqueIndex"`
	ExpiresAt      time.Time    `gorm:"not null"`
	UsedAt         *time.Time
	CreatedAt      time.Time
}

// ProcessTables are the processes' tables: the processes themselves
// (package meetings) and the pre-fill links (package registration).
func ProcessTables() []any { return []any{&Process{}, &PrefillLink{}} }
