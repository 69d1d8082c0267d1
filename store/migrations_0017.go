package store

import "gorm.io/gorm"

// 0017 as released: a meeting places requests for the floor either in
// order of request (as meetings made before did) or in the UN's order of
// precedence.

type meetingSpeakerOrder0017 struct {
	SpeakerOrder string `gorm:"size:20;not null;default:'request'"`
}

func (meetingSpeakerOrder0017) TableName() string { return "meetings" }

func migrate0017SpeakerOrder(tx *gorm.DB) error {
	return tx.Migrator().AddColumn(&meetingSpeakerOrder0017{}, "SpeakerOrder")
}
