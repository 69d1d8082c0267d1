package store

import (
	"crypto/rand"
	"encoding/base32"
	"time"

	"gorm.io/gorm"
)

// 0019 as released: at the door. Each registration has a check-in code
// (what its QR code carries), random and apart from its private link, and
// the time and staff member of its first check-in. Registrations made
// before get a code each here.

type registrationCheckin0019 struct {
	ID          uint
	CheckinCode string `gorm:"size:32;not null;default:'';index:idx_reg_checkin_code"`
	CheckedInAt *time.Time
	CheckedInBy string `gorm:"size:300;not null;default:''"`
}

func (registrationCheckin0019) TableName() string { return "registrations" }

// checkinCode0019 is a code as 0019 drew them: 100 random bits in 20
// characters of base32 (capitals and digits: a QR code's alphanumeric
// mode).
func checkinCode0019() string {
	b := make([]byte, 13)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b)[:20]
}

func migrate0019Checkin(tx *gorm.DB) error {
	m := tx.Migrator()
	for _, col := range []string{"CheckinCode", "CheckedInAt", "CheckedInBy"} {
		if err := m.AddColumn(&registrationCheckin0019{}, col); err != nil {
			return err
		}
	}
	if err := m.CreateIndex(&registrationCheckin0019{}, "idx_reg_checkin_code"); err != nil {
		return err
	}
	var ids []uint
	if err := tx.Table("registrations").Where("checkin_code = ''").Pluck("id", &ids).Error; err != nil {
		return err
	}
	for _, id := range ids {
		if err := tx.Table("registrations").Where("id = ?", id).Update("checkin_code", checkinCode0019()).Error; err != nil {
			return err
		}
	}
	return nil
}
