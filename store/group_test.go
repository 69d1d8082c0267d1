package store

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"sync"
	"testing"

	"gorm.io/gorm"
)

type groupRow struct {
	ID   uint
	Name string `gorm:"uniqueIndex"`
}

func groupDB(t *testing.T) *gorm.DB {
	t.Helper()
	db, err := Open(filepath.Join(t.TempDir(), "g.db"), slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = Close(db) })
	if err := db.AutoMigrate(&groupRow{}); err != nil {
		t.Fatal(err)
	}
	return db
}

func names(t *testing.T, db *gorm.DB) map[string]bool {
	t.Helper()
	var ns []string
	if err := db.Model(&groupRow{}).Pluck("name", &ns).Error; err != nil {
		t.Fatal(err)
	}
	m := map[string]bool{}
	for _, n := range ns {
		m[n] = true
	}
	return m
}

// Many callers at once: each one that hears nil is stored, each one whose
// function failed left nothing behind (not even the writes it made before
// failing), and the others in its group are unaffected.
func TestGroupCommitKeepsEachCallersOutcome(t *testing.T) {
	db := groupDB(t)
	g := NewGroupCommit(db, 16)
	defer g.Close()
	const callers = 200
	errs := make([]error, callers)
	var wg sync.WaitGroup
	for i := range callers {
		wg.Go(func() {
			errs[i] = g.Do(context.Background(), func(tx *gorm.DB) error {
				name := fmt.Sprintf("n%d", i)
				if err := tx.Create(&groupRow{Name: name}).Error; err != nil {
					return err
				}
				if i%3 == 0 {
					// A second write and then a failure: both must go.
					if err := tx.Create(&groupRow{Name: name + "-extra"}).Error; err != nil {
						return err
					}
					return errors.New("refused")
				}
				if i%7 == 0 {
					// A constraint violation inside the group.
					return tx.Create(&groupRow{Name: name}).Error
				}
				return nil
			})
		})
	}
	wg.Wait()
	stored := names(t, db)
	for i := range callers {
		name := fmt.Sprintf("n%d", i)
		if (errs[i] == nil) != stored[name] {
			t.Errorf("caller %d: err %v, stored %v", i, errs[i], stored[name])
		}
		if stored[name+"-extra"] {
			t.Errorf("caller %d failed but its first writes stayed", i)
		}
		if i%3 != 0 && i%7 != 0 && errs[i] != nil {
			t.Errorf("caller %d should have succeeded: %v", i, errs[i])
		}
		if (i%3 == 0 || i%7 == 0) && errs[i] == nil {
			t.Errorf("caller %d should have failed", i)
		}
	}
}

// A caller sees the writes of those committed before it in its group, as
// if the transactions had run one after the other.
func TestGroupCommitRunsCallersInTurn(t *testing.T) {
	db := groupDB(t)
	g := NewGroupCommit(db, 64)
	defer g.Close()
	var wg sync.WaitGroup
	var won, lost int
	var mu sync.Mutex
	for range 50 {
		wg.Go(func() {
			err := g.Do(context.Background(), func(tx *gorm.DB) error {
				var n int64
				if err := tx.Model(&groupRow{}).Where("name = ?", "only").Count(&n).Error; err != nil {
					return err
				}
				if n > 0 {
					return errors.New("taken")
				}
				return tx.Create(&groupRow{Name: "only"}).Error
			})
			mu.Lock()
			defer mu.Unlock()
			if err == nil {
				won++
			} else {
				lost++
			}
		})
	}
	wg.Wait()
	if won != 1 || lost != 49 {
		t.Fatalf("won %d, lost %d; want 1 and 49", won, lost)
	}
}

// A panic reaches its own caller only; the group commits the others.
func TestGroupCommitPanicStaysWithItsCaller(t *testing.T) {
	db := groupDB(t)
	g := NewGroupCommit(db, 8)
	defer g.Close()
	var got any
	func() {
		defer func() { got = recover() }()
		_ = g.Do(context.Background(), func(tx *gorm.DB) error {
			tx.Create(&groupRow{Name: "before-panic"})
			panic("boom")
		})
	}()
	if got != "boom" {
		t.Fatalf("recovered %v, want boom", got)
	}
	if err := g.Do(context.Background(), func(tx *gorm.DB) error { return tx.Create(&groupRow{Name: "after"}).Error }); err != nil {
		t.Fatal(err)
	}
	if s := names(t, db); s["before-panic"] || !s["after"] {
		t.Fatalf("stored %v", s)
	}
}

// After Close nothing new is accepted, and a caller whose context ended
// before its turn is not run.
func TestGroupCommitRefusesAfterCloseAndSkipsCancelled(t *testing.T) {
	db := groupDB(t)
	g := NewGroupCommit(db, 8)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	ran := false
	err := g.Do(ctx, func(tx *gorm.DB) error { ran = true; return nil })
	if !errors.Is(err, context.Canceled) || ran {
		t.Fatalf("cancelled caller: err %v, ran %v", err, ran)
	}
	g.Close()
	if err := g.Do(context.Background(), func(tx *gorm.DB) error { return nil }); !errors.Is(err, ErrClosed) {
		t.Fatalf("after Close: %v", err)
	}
}

// Close runs what is already queued: every caller hears back, and each
// either was stored (nil) or was refused before it queued (ErrClosed).
func TestGroupCommitCloseRunsWhatIsQueued(t *testing.T) {
	db := groupDB(t)
	g := NewGroupCommit(db, 4)
	const callers = 100
	errs := make([]error, callers)
	var wg sync.WaitGroup
	for i := range callers {
		wg.Go(func() {
			errs[i] = g.Do(context.Background(), func(tx *gorm.DB) error {
				return tx.Create(&groupRow{Name: fmt.Sprintf("q%d", i)}).Error
			})
		})
	}
	g.Close()
	wg.Wait()
	stored := names(t, db)
	for i, err := range errs {
		name := fmt.Sprintf("q%d", i)
		if (err == nil) != stored[name] || (err != nil && !errors.Is(err, ErrClosed)) {
			t.Errorf("caller %d: err %v, stored %v", i, err, stored[name])
		}
	}
}
