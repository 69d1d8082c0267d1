package store

import "gorm.io/gorm"

// 0006_meeting_seats_held as released (commit 98cbe0a). The seat check
// counted a meeting's held seats inside every registration's write
// transaction: a cost that grew with every registration. The counter
// starts from that count.
func migrate0006MeetingSeatsHeld(tx *gorm.DB) error {
	// Databases made while 0001 migrated the current model (until the
	// definitions were frozen) have the column already.
	if !tx.Migrator().HasColumn(&meeting0006{}, "SeatsHeld") {
		if err := tx.Migrator().AddColumn(&meeting0006{}, "SeatsHeld"); err != nil {
			return err
		}
	}
	return tx.Exec(`UPDATE meetings SET seats_held = (SELECT COUNT(*) FROM registrations r
		WHERE r.meeting_id = meetings.id AND r.status IN ('pending', 'approved'))`).Error
}

// meeting0006 is the column 0006 adds to meetings, as the model declared
// it then. Never edit it.
type meeting0006 struct {
	SeatsHeld int `gorm:"not null;default:0"`
}

func (meeting0006) TableName() string { return "meetings" }
