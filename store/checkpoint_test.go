package store_test

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"gorm.io/gorm"

	"rostrum/internal/testenv"
	"rostrum/store"
)

// walFrames is how many frames the write-ahead log holds and how many of
// them are in the database file. Asking runs a PASSIVE checkpoint itself,
// so a test asks once, at its end.
func walFrames(t *testing.T, db *gorm.DB) (log, copied int) {
	t.Helper()
	var busy int
	if err := db.Raw("PRAGMA wal_checkpoint(PASSIVE)").Row().Scan(&busy, &log, &copied); err != nil {
		t.Fatal(err)
	}
	return log, copied
}

// openBlobs opens a SQLite database with a table of blobs; wal is its
// write-ahead log's file.
func openBlobs(t *testing.T) (db *gorm.DB, wal string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "c.db")
	db, err := store.Open(path, testenv.Logger(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = store.Close(db) })
	if err := db.Exec("CREATE TABLE blobs (id INTEGER PRIMARY KEY, b BLOB)").Error; err != nil {
		t.Fatal(err)
	}
	return db, path + "-wal"
}

func fileSize(t *testing.T, path string) int64 {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Size()
}

// writePages commits n transactions of about 100 pages (4 KB each).
func writePages(t *testing.T, db *gorm.DB, n int) {
	t.Helper()
	for range n {
		if err := db.Transaction(func(tx *gorm.DB) error {
			return tx.Exec("INSERT INTO blobs (b) VALUES (zeroblob(400 * 1024))").Error
		}); err != nil {
			t.Fatal(err)
		}
	}
}

// A commit never checkpoints: SQLite's default would copy the log into
// the database inside the commit that takes it past 1,000 pages, holding
// that commit (and the live list's change waiting on it) for the copy
// and its fsyncs.
func TestCommitsLeaveCheckpointsToTheBackground(t *testing.T) {
	db, _ := openBlobs(t)
	store.StopCheckpoints(db)
	writePages(t, db, 30) // about 3,000 pages
	if log, _ := walFrames(t, db); log < 2500 {
		t.Fatalf("the log holds %d frames after about 3,000 pages were written: a commit checkpointed and restarted it", log)
	}
}

// The background checkpointer copies the log into the database, so that
// the next writer starts the log again from its beginning: writing as
// much again reuses the log's file instead of doubling it.
func TestTheBackgroundCheckpointKeepsTheLogShort(t *testing.T) {
	defer store.SetCheckpoints(20*time.Millisecond, 10, 200*time.Millisecond)()
	db, wal := openBlobs(t)
	writePages(t, db, 30)
	first := fileSize(t, wal)
	time.Sleep(2 * time.Second) // a hundred looks
	writePages(t, db, 30)
	if now := fileSize(t, wal); now > first+first/4 {
		t.Fatalf("the log grew from %d to %d bytes with as much written again: no checkpoint ran in between", first, now)
	}
}

// A checkpoint's fsyncs slow the commits beside it, so a few commits do
// not call for one: with fewer commits than the threshold the log keeps
// growing.
func TestAFewCommitsWaitForTheNextCheckpoint(t *testing.T) {
	defer store.SetCheckpoints(20*time.Millisecond, 1000, time.Hour)()
	db, wal := openBlobs(t)
	writePages(t, db, 30)
	first := fileSize(t, wal)
	time.Sleep(500 * time.Millisecond)
	writePages(t, db, 30)
	if now := fileSize(t, wal); now < first+first/2 {
		t.Fatalf("the log grew from %d to only %d bytes with as much written again: a checkpoint ran after 30 commits", first, now)
	}
}
