package store

import (
	"time"

	"gorm.io/gorm"
)

// 0021 as released: a meeting's document library (documents, the bytes
// in the row), its chair's letters (letters) and the secretariat's
// distribution lists (distribution_lists, distribution_addresses).

type document0021 struct {
	ID          uint        `gorm:"primaryKey"`
	MeetingID   uint        `gorm:"not null;index"`
	Meeting     meeting0001 `gorm:"constraint:OnDelete:CASCADE"`
	Title       string      `gorm:"size:300;not null"`
	Symbol      string      `gorm:"size:60;not null;default:''"`
	Language    string      `gorm:"size:2;not null"`
	Filename    string      `gorm:"size:120;not null"`
	ContentType string      `gorm:"size:100;not null"`
	Size        int64       `gorm:"not null"`
	SHA256      string      `gorm:"size:64;not null"`
	Data        []byte      `gorm:"not null"`
	UploaderID  uint        `gorm:"not null"`
	PublishedAt *time.Time  ``
	CreatedAt   time.Time
}

func (document0021) TableName() string { return "documents" }

type letter0021 struct {
	ID           uint        `gorm:"primaryKey"`
	MeetingID    uint        `gorm:"not null;index"`
	Meeting      meeting0001 `gorm:"constraint:OnDelete:CASCADE"`
	Addressee    string      `gorm:"size:1000;not null"`
	Place        string      `gorm:"size:100;not null"`
	Date         string      `gorm:"size:10;not null"`
	Salutation   string      `gorm:"size:200;not null"`
	BodyMarkdown string      `gorm:"type:text;not null"`
	Closing      string      `gorm:"size:500;not null"`
	SignedBy     string      `gorm:"size:200;not null"`
	Titles       string      `gorm:"type:text;not null;default:'[]'"`
	Enclosures   string      `gorm:"type:text;not null;default:'[]'"`
	AuthorID     uint        `gorm:"not null"`
	CreatedAt    time.Time
}

func (letter0021) TableName() string { return "letters" }

type distributionList0021 struct {
	ID        uint   `gorm:"primaryKey"`
	Name      string `gorm:"size:200;not null;uniqueIndex"`
	CreatedAt time.Time
	UpdatedAt time.Time
}

func (distributionList0021) TableName() string { return "distribution_lists" }

type distributionAddress0021 struct {
	ID       uint                 `gorm:"primaryKey"`
	ListID   uint                 `gorm:"not null;uniqueIndex:idx_list_address"`
	List     distributionList0021 `gorm:"constraint:OnDelete:CASCADE"`
	Position int                  `gorm:"not null"`
	Name     string               `gorm:"size:200;not null;default:''"`
	Email    string               `gorm:"size:254;not null;uniqueIndex:idx_list_address"`
}

func (distributionAddress0021) TableName() string { return "distribution_addresses" }

func migrate0021Documents(tx *gorm.DB) error {
	return tx.AutoMigrate(&document0021{}, &letter0021{}, &distributionList0021{}, &distributionAddress0021{})
}
