package store

import (
	"time"

	"gorm.io/gorm"
)

// Migrations is the list Migrate runs, for the tests of package store_test
// that migrate one step at a time.
var Migrations = migrations

// SetCheckpointEvery sets the background checkpoint's interval for the
// databases opened after it, and returns the previous one.
func SetCheckpointEvery(d time.Duration) time.Duration {
	old := checkpointEvery
	checkpointEvery = d
	return old
}

// StopCheckpoints stops db's background checkpoints, as Close does.
func StopCheckpoints(db *gorm.DB) {
	sqlDB, _ := db.DB()
	stopCheckpoints(sqlDB)
}
