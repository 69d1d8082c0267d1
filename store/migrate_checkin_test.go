package store

import (
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"github.com/go-gormigrate/gormigrate/v2"
)

// Registrations made before 0019 get a check-in code each, all different.
func TestCheckinMigrationGivesEveryEarlierRegistrationItsOwnCode(t *testing.T) {
	db, err := Open(filepath.Join(t.TempDir(), "old.db"), slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = Close(db) })
	if err := gormigrate.New(db, gormigrate.DefaultOptions, migrations).MigrateTo("0017_speaker_order"); err != nil {
		t.Fatal(err)
	}
	day := time.Date(2030, 12, 2, 10, 0, 0, 0, time.UTC)
	exec := func(q string, args ...any) {
		t.Helper()
		if err := db.Exec(q, args...).Error; err != nil {
			t.Fatal(err)
		}
	}
	exec(`INSERT INTO meetings (id, slug, title, starts_at, ends_at, registration_closes_at, created_at) VALUES (1, 'm', 'M', ?, ?, ?, ?)`, day, day, day, day)
	exec(`INSERT INTO organizations (id, name, name_key, type, country, created_at) VALUES (1, 'Org', 'org', 'ngo', 'KE', ?)`, day)
	for _, e := range []string{"a@example.org", "b@example.org", "c@example.org"} {
		exec(`INSERT INTO registrations (meeting_id, organization_id, name, email, status, token_hash, consent_at, created_at, updated_at)
			VALUES (1, 1, 'P', ?, 'approved', ?, ?, ?, ?)`, e, "hash"+e, day, day, day)
	}
	if err := Migrate(db); err != nil {
		t.Fatal(err)
	}
	var codes []string
	if err := db.Table("registrations").Pluck("checkin_code", &codes).Error; err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, c := range codes {
		if len(c) != 20 || seen[c] {
			t.Fatalf("codes %q", codes)
		}
		seen[c] = true
	}
}
