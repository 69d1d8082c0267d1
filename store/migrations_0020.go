package store

import (
	"time"

	"gorm.io/gorm"
)

// 0020 as released: personal data. A meeting has a privacy notice with a
// version and a retention period after its end; a registration records
// the notice version it accepted and when its personal data were
// anonymized; one claimed row per job (retention_sweeps) lets the daily
// anonymization run once across instances and restarts.

type meetingPrivacy0020 struct {
	PrivacyNotice        string `gorm:"type:text;not null;default:''"`
	PrivacyNoticeVersion int    `gorm:"not null;default:0"`
	RetentionDays        int    `gorm:"not null;default:180"`
}

func (meetingPrivacy0020) TableName() string { return "meetings" }

type registrationPrivacy0020 struct {
	ConsentVersion int `gorm:"not null;default:0"`
	AnonymizedAt   *time.Time
}

func (registrationPrivacy0020) TableName() string { return "registrations" }

type retentionSweep0020 struct {
	Name         string    `gorm:"primaryKey;size:40"`
	NextAt       time.Time `gorm:"not null"`
	ClaimedBy    string    `gorm:"size:200;not null;default:''"`
	ClaimedUntil *time.Time
	LastRunAt    *time.Time
	LastCount    int `gorm:"not null;default:0"`
}

func (retentionSweep0020) TableName() string { return "retention_sweeps" }

func migrate0020PersonalData(tx *gorm.DB) error {
	for _, col := range []string{"PrivacyNotice", "PrivacyNoticeVersion", "RetentionDays"} {
		if err := tx.Migrator().AddColumn(&meetingPrivacy0020{}, col); err != nil {
			return err
		}
	}
	for _, col := range []string{"ConsentVersion", "AnonymizedAt"} {
		if err := tx.Migrator().AddColumn(&registrationPrivacy0020{}, col); err != nil {
			return err
		}
	}
	return tx.Migrator().CreateTable(&retentionSweep0020{})
}
