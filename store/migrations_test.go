package store

import (
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"github.com/go-gormigrate/gormigrate/v2"

	"rostrum/models"
)

// A database from before the seat counter gets the counter (since 0011
// in seat_counts) filled from its registrations: pending and approved
// hold seats, others do not.
func TestSeatCounterMigrationCountsExistingSeats(t *testing.T) {
	db, err := Open(filepath.Join(t.TempDir(), "old.db"), slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = Close(db) })
	if err := gormigrate.New(db, gormigrate.DefaultOptions, migrations).MigrateTo("0005_registration_indexes"); err != nil {
		t.Fatal(err)
	}
	// Stand for a database created before the counter.
	if db.Migrator().HasColumn("meetings", "seats_held") {
		if err := db.Migrator().DropColumn("meetings", "seats_held"); err != nil {
			t.Fatal(err)
		}
	}
	day := time.Date(2030, 12, 2, 10, 0, 0, 0, time.UTC)
	var ids []uint
	for _, slug := range []string{"a", "b"} {
		var id uint
		if err := db.Raw(`INSERT INTO meetings (slug, title, starts_at, ends_at, registration_closes_at, capacity, created_at)
			VALUES (?, ?, ?, ?, ?, 10, ?) RETURNING id`, slug, slug, day, day, day, day).Scan(&id).Error; err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	org := models.Organization{Name: "Org", NameKey: "org", Type: "ngo", Country: "KE"}
	if err := db.Create(&org).Error; err != nil {
		t.Fatal(err)
	}
	for i, st := range []string{"pending", "approved", "approved", "waitlisted", "rejected", "withdrawn"} {
		r := models.Registration{MeetingID: ids[0], OrganizationID: org.ID, Name: "P", Email: st + string(rune('a'+i)) + "@example.org",
			Status: st, Token: st + string(rune('a'+i)), TokenHash: st + string(rune('a'+i)), ConsentAt: day}
		if err := db.Create(&r).Error; err != nil {
			t.Fatal(err)
		}
	}
	if err := Migrate(db); err != nil {
		t.Fatal(err)
	}
	var got []int
	db.Model(&models.SeatCount{}).Order("meeting_id").Pluck("held", &got)
	if len(got) != 2 || got[0] != 3 || got[1] != 0 {
		t.Fatalf("seats held %v, want [3 0]", got)
	}
}

// A database from before the claims gets the claim and pending-name
// columns, empty, and keeps its registrations.
func TestClaimsMigrationAddsEmptyColumnsToExistingRegistrations(t *testing.T) {
	db, err := Open(filepath.Join(t.TempDir(), "old.db"), slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = Close(db) })
	if err := gormigrate.New(db, gormigrate.DefaultOptions, migrations).MigrateTo("0007_rate_limits"); err != nil {
		t.Fatal(err)
	}
	// 0001 migrates today's model: take the columns away to stand for a
	// database created before them.
	for _, col := range models.RegistrationClaimColumns {
		if err := db.Migrator().DropColumn(&models.Registration{}, col); err != nil {
			t.Fatalf("drop %s: %v", col, err)
		}
	}
	day := time.Date(2030, 12, 2, 10, 0, 0, 0, time.UTC)
	if err := db.Exec(`INSERT INTO meetings (slug, title, starts_at, ends_at, registration_closes_at, created_at)
		VALUES ('a', 'A', ?, ?, ?, ?)`, day, day, day, day).Error; err != nil {
		t.Fatal(err)
	}
	if err := db.Exec(`INSERT INTO organizations (name, name_key, type, country, created_at) VALUES ('Org', 'org', 'ngo', 'KE', ?)`, day).Error; err != nil {
		t.Fatal(err)
	}
	if err := db.Exec(`INSERT INTO registrations (meeting_id, organization_id, name, email, status, token_hash, consent_at, created_at, updated_at)
		VALUES (1, 1, 'P', 'p@example.org', 'approved', 'h', ?, ?, ?)`, day, day, day).Error; err != nil {
		t.Fatal(err)
	}
	if err := Migrate(db); err != nil {
		t.Fatal(err)
	}
	for _, col := range models.RegistrationClaimColumns {
		if !db.Migrator().HasColumn(&models.Registration{}, col) {
			t.Errorf("no column %s after migrating", col)
		}
	}
	var r models.Registration
	if err := db.First(&r).Error; err != nil {
		t.Fatal(err)
	}
	if r.Name != "P" || r.ClaimedOrgName != "" || r.ClaimedOrgECOSOCStatus != "" || r.PendingName != "" || r.PendingNameAt != nil {
		t.Fatalf("registration after migrating: %+v", r)
	}
}
