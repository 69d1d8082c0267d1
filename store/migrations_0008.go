package store

import (
	"time"

	"gorm.io/gorm"
)

// 0008_registration_claims as released (commit 3ce0811). A registration
// keeps what its registrant claimed about the organization instead of
// writing it into the shared record, and an approved participant's new
// name waits for the secretariat. Existing registrations keep an empty
// claim: what they claimed was never stored.
func migrate0008RegistrationClaims(tx *gorm.DB) error {
	for _, col := range registrationClaimColumns0008 {
		// Databases made while 0001 migrated the current model (until
		// the definitions were frozen) have the columns already.
		if tx.Migrator().HasColumn(&registration0008{}, col) {
			continue
		}
		if err := tx.Migrator().AddColumn(&registration0008{}, col); err != nil {
			return err
		}
	}
	return nil
}

// registration0008 is the columns 0008 adds to registrations, as the model
// declared them then. Never edit it.
type registration0008 struct {
	ClaimedOrgName         string `gorm:"size:300;not null;default:''"`
	ClaimedOrgAcronym      string `gorm:"size:50;not null;default:''"`
	ClaimedOrgType         string `gorm:"size:30;not null;default:''"`
	ClaimedOrgCountry      string `gorm:"size:2;not null;default:''"`
	ClaimedOrgWebsite      string `gorm:"size:300;not null;default:''"`
	ClaimedOrgECOSOCStatus string `gorm:"column:claimed_org_ecosoc_status;size:10;not null;default:''"`
	PendingName            string `gorm:"size:200;not null;default:''"`
	PendingNameAt          *time.Time
}

func (registration0008) TableName() string { return "registrations" }

var registrationClaimColumns0008 = []string{
	"claimed_org_name", "claimed_org_acronym", "claimed_org_type", "claimed_org_country",
	"claimed_org_website", "claimed_org_ecosoc_status", "pending_name", "pending_name_at",
}
