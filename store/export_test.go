package store

import (
	"time"

	"gorm.io/gorm"
)

// Migrations is the list Migrate runs, for the tests of package store_test
// that migrate one step at a time.
var Migrations = migrations

// SetCheckpoints sets how often the checkpointer looks, how many commits
// call for a checkpoint and how long any commit waits for one at most;
// the function it returns sets them back.
func SetCheckpoints(every time.Duration, after int64, idle time.Duration) (restore func()) {
	oldEvery, oldAfter, oldIdle := checkpointEvery, checkpointAfter, checkpointIdle
	checkpointEvery, checkpointAfter, checkpointIdle = every, after, idle
	return func() { checkpointEvery, checkpointAfter, checkpointIdle = oldEvery, oldAfter, oldIdle }
}

// StopCheckpoints stops db's background checkpoints, as Close does.
func StopCheckpoints(db *gorm.DB) {
	sqlDB, _ := db.DB()
	stopCheckpoints(sqlDB)
}
