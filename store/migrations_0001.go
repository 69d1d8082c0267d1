package store

import (
	"time"

	"gorm.io/gorm"
)

// The tables of 0001_foundation as released (commit 6263bd2, "Foundation:
// config, storage, staff sessions, meetings and agenda"): the models of
// that commit, copied field for field with their gorm tags, so that the
// migration creates on a new database what it created then. Never edit
// them; a change to one of these tables is a new migration.

func migrate0001Foundation(tx *gorm.DB) error {
	return tx.AutoMigrate(&user0001{}, &session0001{}, &meeting0001{},
		&agendaItem0001{}, &organization0001{}, &registration0001{})
}

type user0001 struct {
	ID           uint   `gorm:"primaryKey"`
	Email        string `gorm:"size:254;not null;uniqueIndex"`
	Name         string `gorm:"size:200;not null;default:''"`
	Role         string `gorm:"size:20;not null"`
	PasswordHash string `gorm:"size:100;not null"`
	CreatedAt    time.Time
}

func (user0001) TableName() string { return "users" }

type session0001 struct {
	ID        uint      `gorm:"primaryKey"`
	TokenHash string    `gorm:"size:64;not null;uniqueIndex"`
	UserID    uint      `gorm:"not null;index"`
	User      user0001  `gorm:"constraint:OnDelete:CASCADE"`
	CSRFToken string    `gorm:"size:64;not null"`
	ExpiresAt time.Time `gorm:"not null;index"`
	CreatedAt time.Time
}

func (session0001) TableName() string { return "sessions" }

// meeting0001 has no seats_held: 0006 adds it.
type meeting0001 struct {
	ID                   uint      `gorm:"primaryKey"`
	Slug                 string    `gorm:"size:64;not null;uniqueIndex"`
	Title                string    `gorm:"size:300;not null"`
	Venue                string    `gorm:"size:300;not null;default:''"`
	Chair                string    `gorm:"size:200;not null;default:''"`
	StartsAt             time.Time `gorm:"not null"`
	EndsAt               time.Time `gorm:"not null"`
	Timezone             string    `gorm:"size:64;not null;default:'UTC'"`
	RegistrationClosesAt time.Time `gorm:"not null"`
	Capacity             int       `gorm:"not null;default:0"`
	MaxPerOrganization   int       `gorm:"not null;default:0"`
	Attribution          string    `gorm:"size:20;not null;default:'chatham_house'"`
	CreatedAt            time.Time
}

func (meeting0001) TableName() string { return "meetings" }

type agendaItem0001 struct {
	ID                  uint        `gorm:"primaryKey"`
	MeetingID           uint        `gorm:"not null;index;uniqueIndex:idx_agenda_position"`
	Meeting             meeting0001 `gorm:"constraint:OnDelete:CASCADE"`
	Position            int         `gorm:"not null;uniqueIndex:idx_agenda_position"`
	Title               string      `gorm:"size:300;not null"`
	SpeakingTimeSeconds int         `gorm:"not null;default:180"`
	CreatedAt           time.Time
}

func (agendaItem0001) TableName() string { return "agenda_items" }

type organization0001 struct {
	ID           uint   `gorm:"primaryKey"`
	Name         string `gorm:"size:300;not null"`
	NameKey      string `gorm:"size:300;not null;uniqueIndex"`
	Acronym      string `gorm:"size:50;not null;default:''"`
	Type         string `gorm:"size:30;not null"`
	Country      string `gorm:"size:2;not null"`
	Website      string `gorm:"size:300;not null;default:''"`
	WebsiteKey   string `gorm:"size:300;not null;default:'';index"`
	ECOSOCStatus string `gorm:"column:ecosoc_status;size:10;not null;default:'none'"`
	CreatedAt    time.Time
}

func (organization0001) TableName() string { return "organizations" }

// registration0001 has no claim or pending name: 0008 adds them.
type registration0001 struct {
	ID             uint             `gorm:"primaryKey"`
	MeetingID      uint             `gorm:"not null;index:idx_reg_meeting_status"`
	Meeting        meeting0001      `gorm:"constraint:OnDelete:CASCADE"`
	OrganizationID uint             `gorm:"not null;index"`
	Organization   organization0001 ``
	Name           string           `gorm:"size:200;not null"`
	Email          string           `gorm:"size:254;not null;index"`
	JobTitle       string           `gorm:"size:200;not null;default:''"`
	Status         string           `gorm:"size:12;not null;index:idx_reg_meeting_status"`
	Reason         string           `gorm:"size:1000;not null;default:''"`
	Token          string           `gorm:"size:64;not null"`
	TokenHash      string           `gorm:"size:64;not null;uniqueIndex"`
	ConsentAt      time.Time        `gorm:"not null"`
	DecidedAt      *time.Time
	CreatedAt      time.Time `gorm:"index"`
	UpdatedAt      time.Time
}

func (registration0001) TableName() string { return "registrations" }
