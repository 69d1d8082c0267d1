package store

import (
	"time"

	"gorm.io/gorm"
)

// 0022 as released: a meeting names the body it serves (full name and
// acronym, for the Chair's summary), may belong to a process of several
// meetings (models.Process, package meetings') with a kind (substantive
// session, intersessional meeting, or "meeting" as meetings made before
// are), and an address that registered for one meeting of a process may
// be mailed a one-time link that pre-fills the form of another
// (models.PrefillLink, package registration's).

type meetingProcess0022 struct {
	Body        string `gorm:"size:300;not null;default:''"`
	BodyAcronym string `gorm:"size:60;not null;default:''"`
	ProcessID   *uint  `gorm:"index"`
	Kind        string `gorm:"size:30;not null;default:'meeting'"`
}

func (meetingProcess0022) TableName() string { return "meetings" }

type process0022 struct {
	ID        uint   `gorm:"primaryKey"`
	Slug      string `gorm:"size:64;not null;uniqueIndex"`
	Title     string `gorm:"size:300;not null"`
	Acronym   string `gorm:"size:60;not null;default:''"`
	CreatedAt time.Time
}

func (process0022) TableName() string { return "processes" }

// meetingRef0022 and registrationRef0022 name the tables the pre-fill
// links refer to, by their keys only, so that migrating the links
// leaves those tables as they are.
type meetingRef0022 struct {
	ID uint `gorm:"primaryKey"`
}

func (meetingRef0022) TableName() string { return "meetings" }

type registrationRef0022 struct {
	ID uint `gorm:"primaryKey"`
}

func (registrationRef0022) TableName() string { return "registrations" }

type prefillLink0022 struct {
	ID             uint                `gorm:"primaryKey"`
	MeetingID      uint                `gorm:"not null;index"`
	Meeting        meetingRef0022      `gorm:"constraint:OnDelete:CASCADE"`
	RegistrationID uint                `gorm:"not null;index"`
	Registration   registrationRef0022 `gorm:"constraint:OnDelete:CASCADE"`
	TokenHash      string              `gorm:"size:64;not null;uniqueIndex"`
	ExpiresAt      time.Time           `gorm:"not null"`
	UsedAt         *time.Time
	CreatedAt      time.Time
}

func (prefillLink0022) TableName() string { return "prefill_links" }

func migrate0022Processes(tx *gorm.DB) error {
	for _, col := range []string{"Body", "BodyAcronym", "ProcessID", "Kind"} {
		if err := tx.Migrator().AddColumn(&meetingProcess0022{}, col); err != nil {
			return err
		}
	}
	if err := tx.Migrator().CreateIndex(&meetingProcess0022{}, "ProcessID"); err != nil {
		return err
	}
	if err := tx.Migrator().CreateTable(&process0022{}); err != nil {
		return err
	}
	return tx.Migrator().CreateTable(&prefillLink0022{})
}
