package store_test

import (
	"sync"
	"testing"

	"rostrum/internal/testenv"
	"rostrum/store"
)

// Two instances started at the same moment on an empty PostgreSQL
// database both come up: one migrates, the other waits for it and finds
// the schema done (without the lock the second failed with `relation
// "users" already exists`).
func TestInstancesStartingTogetherOnAnEmptyPostgreSQLBothMigrate(t *testing.T) {
	dsn := testenv.PostgresDSN(t)
	const instances = 4
	var wg sync.WaitGroup
	errs := make([]error, instances)
	for i := range instances {
		db, err := store.Open(dsn, testenv.Logger(t))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = store.Close(db) })
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = store.Migrate(db)
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("instance %d: %v", i, err)
		}
	}
}
