package models

import "time"

// Kinds of State (Mission.Kind, and the Type of the organization record
// that stands for the State in registrations).
const (
	KindMemberState   = "member_state"
	KindObserverState = "observer_state"
)

// Mission is a State's Permanent Mission: the secretariat imports them,
// one per country, and invites them to meetings. Package delegations owns
// it.
type Mission struct {
	ID        uint   `gorm:"primaryKey"`
	Country   string `gorm:"size:2;not null;uniqueIndex"`
	Kind      string `gorm:"size:20;not null"`
	Name      string `gorm:"size:300;not null"`
	Email     string `gorm:"size:254;not null"`
	CreatedAt time.Time
	UpdatedAt time.Time
}

// MissionInvitation is a mission's invitation to a meeting and its focal
// point's private link: only the SHA-256 of the link's token is stored,
// and inviting again replaces it (the old link stops working). Package
// delegations owns it.
type MissionInvitation struct {
	ID        uint      `gorm:"primaryKey"`
	MeetingID uint      `gorm:"not null;uniqueIndex:idx_invitation_meeting_mission"`
	Meeting   Meeting   `gorm:"constraint:OnDelete:CASCADE"`
	MissionID uint      `gorm:"not null;uniqueIndex:idx_invitation_meeting_mission;index"`
	Mission   Mission   `gorm:"constraint:OnDelete:CASCADE"`
	TokenHash string    `gorm:"size:64;not null;uniqueIndex"`
	InvitedAt time.Time `gorm:"not null"`
}

// DelegationTables are the tables of package delegations.
func DelegationTables() []any { return []any{&Mission{}, &MissionInvitation{}} }
