package store

import (
	"time"

	"gorm.io/gorm"
)

// 0016 as released: States take part through their Permanent Missions
// (models.Mission) and the focal-point links of their invitations
// (models.MissionInvitation), both package delegations'; a meeting gets
// the most members one delegation may register and the participant
// categories it admits ("" for all, as meetings made before have); a
// registration may be its delegation's head.

type meetingDelegations0016 struct {
	MaxPerDelegation int    `gorm:"not null;default:0"`
	Categories       string `gorm:"size:300;not null;default:''"`
}

func (meetingDelegations0016) TableName() string { return "meetings" }

type registrationHead0016 struct {
	HeadOfDelegation bool `gorm:"not null;default:false"`
}

func (registrationHead0016) TableName() string { return "registrations" }

type mission0016 struct {
	ID        uint   `gorm:"primaryKey"`
	Country   string `gorm:"size:2;not null;uniqueIndex"`
	Kind      string `gorm:"size:20;not null"`
	Name      string `gorm:"size:300;not null"`
	Email     string `gorm:"size:254;not null"`
	CreatedAt time.Time
	UpdatedAt time.Time
}

func (mission0016) TableName() string { return "missions" }

type missionInvitation0016 struct {
	ID        uint        `gorm:"primaryKey"`
	MeetingID uint        `gorm:"not null;uniqueIndex:idx_invitation_meeting_mission"`
	Meeting   meeting0001 `gorm:"constraint:OnDelete:CASCADE"`
	MissionID uint        `gorm:"not null;uniqueIndex:idx_invitation_meeting_mission;index"`
	Mission   mission0016 `gorm:"constraint:OnDelete:CASCADE"`
	TokenHash string      `gorm:"size:64;not null;uniqueIndex"`
	InvitedAt time.Time   `gorm:"not null"`
}

func (missionInvitation0016) TableName() string { return "mission_invitations" }

func migrate0016Delegations(tx *gorm.DB) error {
	for _, col := range []string{"MaxPerDelegation", "Categories"} {
		if err := tx.Migrator().AddColumn(&meetingDelegations0016{}, col); err != nil {
			return err
		}
	}
	if err := tx.Migrator().AddColumn(&registrationHead0016{}, "HeadOfDelegation"); err != nil {
		return err
	}
	return tx.AutoMigrate(&mission0016{}, &missionInvitation0016{})
}
