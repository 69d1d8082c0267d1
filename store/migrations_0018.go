package store

import (
	"time"

	"gorm.io/gorm"
)

// 0018 as released: the accreditation tracks. An organization records the
// status the UN's list of organizations in consultative status with
// ECOSOC gives it (and the year); a registration keeps the short
// description of its organization the registrant gave; the non-objection
// procedure gets its notices, their organizations, the missions each was
// mailed to (with the hash of their link's token) and the States'
// objections, all package accreditation's.

type organizationECOSOC0018 struct {
	ECOSOCVerified string `gorm:"column:ecosoc_verified;size:10;not null;default:''"`
	ECOSOCYear     int    `gorm:"column:ecosoc_year;not null;default:0"`
}

func (organizationECOSOC0018) TableName() string { return "organizations" }

type registrationDescription0018 struct {
	ClaimedOrgDescription string `gorm:"size:500;not null;default:''"`
}

func (registrationDescription0018) TableName() string { return "registrations" }

type nonObjectionNotice0018 struct {
	ID        uint        `gorm:"primaryKey"`
	MeetingID uint        `gorm:"not null;index"`
	Meeting   meeting0001 `gorm:"constraint:OnDelete:CASCADE"`
	Deadline  time.Time   `gorm:"not null"`
	State     string      `gorm:"size:10;not null;default:'open';index"`
	ClosedAt  *time.Time
	CreatedAt time.Time
}

func (nonObjectionNotice0018) TableName() string { return "non_objection_notices" }

type nonObjectionEntry0018 struct {
	ID             uint                   `gorm:"primaryKey"`
	NoticeID       uint                   `gorm:"not null;uniqueIndex:idx_entry_notice_org"`
	Notice         nonObjectionNotice0018 `gorm:"constraint:OnDelete:CASCADE"`
	OrganizationID uint                   `gorm:"not null;uniqueIndex:idx_entry_notice_org;index"`
	Organization   organization0001       `gorm:"constraint:OnDelete:CASCADE"`
	Outcome        string                 `gorm:"size:10;not null;default:''"`
}

func (nonObjectionEntry0018) TableName() string { return "non_objection_entries" }

type nonObjectionRecipient0018 struct {
	ID        uint                   `gorm:"primaryKey"`
	NoticeID  uint                   `gorm:"not null;uniqueIndex:idx_recipient_notice_mission"`
	Notice    nonObjectionNotice0018 `gorm:"constraint:OnDelete:CASCADE"`
	MissionID uint                   `gorm:"not null;uniqueIndex:idx_recipient_notice_mission;index"`
	Mission   mission0016            `gorm:"constraint:OnDelete:CASCADE"`
	TokenHash string                 `gorm:"size:64;not null;uniqueIndex"`
}

func (nonObjectionRecipient0018) TableName() string { return "non_objection_recipients" }

type objection0018 struct {
	ID             uint                   `gorm:"primaryKey"`
	NoticeID       uint                   `gorm:"not null;uniqueIndex:idx_objection_once"`
	Notice         nonObjectionNotice0018 `gorm:"constraint:OnDelete:CASCADE"`
	OrganizationID uint                   `gorm:"not null;uniqueIndex:idx_objection_once"`
	Organization   organization0001       `gorm:"constraint:OnDelete:CASCADE"`
	MissionID      uint                   `gorm:"not null;uniqueIndex:idx_objection_once;index"`
	Mission        mission0016            `gorm:"constraint:OnDelete:CASCADE"`
	Reason         string                 `gorm:"size:1000;not null"`
	CreatedAt      time.Time              `gorm:"not null"`
}

func (objection0018) TableName() string { return "objections" }

func migrate0018Accreditation(tx *gorm.DB) error {
	for _, col := range []string{"ECOSOCVerified", "ECOSOCYear"} {
		if err := tx.Migrator().AddColumn(&organizationECOSOC0018{}, col); err != nil {
			return err
		}
	}
	if err := tx.Migrator().AddColumn(&registrationDescription0018{}, "ClaimedOrgDescription"); err != nil {
		return err
	}
	return tx.AutoMigrate(&nonObjectionNotice0018{}, &nonObjectionEntry0018{}, &nonObjectionRecipient0018{}, &objection0018{})
}
