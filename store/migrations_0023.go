package store

import "gorm.io/gorm"

// 0023 as released: a registration keeps the language its registrant
// chose (every mail to them is written in it), and a meeting has the
// language of its summary's fixed wording and of the room's screen.

type registrationLanguage0023 struct {
	Language string `gorm:"size:8;not null;default:'en'"`
}

func (registrationLanguage0023) TableName() string { return "registrations" }

type meetingLanguage0023 struct {
	Language string `gorm:"size:8;not null;default:'en'"`
}

func (meetingLanguage0023) TableName() string { return "meetings" }

func migrate0023Languages(tx *gorm.DB) error {
	if err := tx.Migrator().AddColumn(&registrationLanguage0023{}, "Language"); err != nil {
		return err
	}
	return tx.Migrator().AddColumn(&meetingLanguage0023{}, "Language")
}
