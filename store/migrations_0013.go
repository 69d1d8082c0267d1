package store

import "gorm.io/gorm"

// 0013 as released: a meeting gets the document symbol its Chair's
// summary is issued under (models.Meeting.Symbol), empty for meetings
// made before. (0012 is another branch's; the IDs need only be unique.)

type meetingSymbol0013 struct {
	Symbol string `gorm:"size:60;not null;default:''"`
}

func (meetingSymbol0013) TableName() string { return "meetings" }

func migrate0013MeetingSymbol(tx *gorm.DB) error {
	return tx.Migrator().AddColumn(&meetingSymbol0013{}, "Symbol")
}
