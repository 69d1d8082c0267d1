package store

import "gorm.io/gorm"

// 0011 as released: the held-seats counter moves from meetings.seats_held,
// a column of a table package meetings owns that only registration wrote,
// to a table of registration's own (models.SeatCount), counted afresh;
// the old column goes.

type seatCount0011 struct {
	MeetingID uint        `gorm:"primaryKey;autoIncrement:false"`
	Meeting   meeting0001 `gorm:"constraint:OnDelete:CASCADE"`
	Held      int         `gorm:"not null;default:0"`
}

func (seatCount0011) TableName() string { return "seat_counts" }

func migrate0011SeatCounts(tx *gorm.DB) error {
	if err := tx.AutoMigrate(&seatCount0011{}); err != nil {
		return err
	}
	if err := tx.Exec(`INSERT INTO seat_counts (meeting_id, held)
		SELECT m.id, (SELECT COUNT(*) FROM registrations r
			WHERE r.meeting_id = m.id AND r.status IN ('pending', 'approved')) FROM meetings m`).Error; err != nil {
		return err
	}
	return tx.Exec(`ALTER TABLE meetings DROP COLUMN seats_held`).Error
}
