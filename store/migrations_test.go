package store

import (
	"fmt"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-gormigrate/gormigrate/v2"
	"gorm.io/gorm"
)

// openMigratedTo opens a new SQLite database migrated up to id: a
// database as it was made before the migrations that follow id.
func openMigratedTo(t *testing.T, id string) *gorm.DB {
	t.Helper()
	db, err := Open(filepath.Join(t.TempDir(), "old.db"), slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = Close(db) })
	if err := gormigrate.New(db, gormigrate.DefaultOptions, migrations).MigrateTo(id); err != nil {
		t.Fatal(err)
	}
	return db
}

// A database from before the seat counter gets the counter filled from
// its registrations: pending and approved hold seats, others do not; 0011
// then moves it to seat_counts.
func TestSeatCounterMigrationCountsExistingSeats(t *testing.T) {
	db := openMigratedTo(t, "0005_registration_indexes")
	// 0006 counts the seats into meetings.seats_held, which 0011 copies.
	day := time.Date(2030, 12, 2, 10, 0, 0, 0, time.UTC)
	for _, slug := range []string{"a", "b"} {
		if err := db.Exec(`INSERT INTO meetings (slug, title, starts_at, ends_at, registration_closes_at, capacity, created_at)
			VALUES (?, ?, ?, ?, ?, 10, ?)`, slug, slug, day, day, day, day).Error; err != nil {
			t.Fatal(err)
		}
	}
	if err := db.Exec(`INSERT INTO organizations (name, name_key, type, country, created_at) VALUES ('Org', 'org', 'ngo', 'KE', ?)`, day).Error; err != nil {
		t.Fatal(err)
	}
	for i, st := range []string{"pending", "approved", "approved", "waitlisted", "rejected", "withdrawn"} {
		key := fmt.Sprintf("%s%d", st, i)
		if err := db.Exec(`INSERT INTO registrations (meeting_id, organization_id, name, email, status, token, token_hash, consent_at, created_at, updated_at)
			VALUES (1, 1, 'P', ?, ?, ?, ?, ?, ?, ?)`, key+"@example.org", st, key, key, day, day, day).Error; err != nil {
			t.Fatalf("%s: %v", st, err)
		}
	}
	if err := Migrate(db); err != nil {
		t.Fatal(err)
	}
	// (0011 moves the counter on to registration's own table.)
	var got []int
	db.Table("seat_counts").Order("meeting_id").Pluck("held", &got)
	if len(got) != 2 || got[0] != 3 || got[1] != 0 {
		t.Fatalf("seat_counts %v, want [3 0]", got)
	}
}

// A database from before the claims gets the claim and pending-name
// columns, empty, and keeps its registrations.
func TestClaimsMigrationAddsEmptyColumnsToExistingRegistrations(t *testing.T) {
	db := openMigratedTo(t, "0007_rate_limits")
	day := time.Date(2030, 12, 2, 10, 0, 0, 0, time.UTC)
	if err := db.Exec(`INSERT INTO meetings (slug, title, starts_at, ends_at, registration_closes_at, created_at)
		VALUES ('a', 'A', ?, ?, ?, ?)`, day, day, day, day).Error; err != nil {
		t.Fatal(err)
	}
	if err := db.Exec(`INSERT INTO organizations (name, name_key, type, country, created_at) VALUES ('Org', 'org', 'ngo', 'KE', ?)`, day).Error; err != nil {
		t.Fatal(err)
	}
	if err := db.Exec(`INSERT INTO registrations (meeting_id, organization_id, name, email, status, token, token_hash, consent_at, created_at, updated_at)
		VALUES (1, 1, 'P', 'p@example.org', 'approved', 't', 'h', ?, ?, ?)`, day, day, day).Error; err != nil {
		t.Fatal(err)
	}
	if err := Migrate(db); err != nil {
		t.Fatal(err)
	}
	var r struct {
		Name, ClaimedOrgName, ClaimedOrgEcosocStatus, PendingName string
		PendingNameAt                                             *time.Time
	}
	if err := db.Raw(`SELECT name, claimed_org_name, claimed_org_ecosoc_status, pending_name, pending_name_at FROM registrations`).Scan(&r).Error; err != nil {
		t.Fatal(err)
	}
	if r.Name != "P" || r.ClaimedOrgName != "" || r.ClaimedOrgEcosocStatus != "" || r.PendingName != "" || r.PendingNameAt != nil {
		t.Fatalf("registration after migrating: %+v", r)
	}
}

// A database from before the outbox worker, the live list and the summary
// (the foundation's 0001-0004) gets their columns and tables, and keeps
// its queued mail, which the worker can then lease.
func TestCatchUpMigrationCompletesAFoundationDatabase(t *testing.T) {
	db := openMigratedTo(t, "0004_summary")
	day := time.Date(2030, 12, 2, 10, 0, 0, 0, time.UTC)
	if err := db.Exec(`INSERT INTO outbox_messages (kind, to_addr, subject, text, status, next_attempt_at, created_at)
		VALUES ('confirmation', 'p@example.org', 'S', 'T', 'pending', ?, ?)`, day, day).Error; err != nil {
		t.Fatal(err)
	}
	if err := Migrate(db); err != nil {
		t.Fatal(err)
	}
	var m struct {
		Subject, MessageKey, ClaimToken string
		ClaimedUntil                    *time.Time
	}
	if err := db.Raw(`SELECT subject, message_key, claim_token, claimed_until FROM outbox_messages`).Scan(&m).Error; err != nil {
		t.Fatal(err)
	}
	if m.Subject != "S" || m.MessageKey != "" || m.ClaimToken != "" || m.ClaimedUntil != nil {
		t.Fatalf("queued mail after migrating: %+v", m)
	}
	for _, table := range []string{"outbox_blobs", "outbox_attachments", "live_meetings", "speaker_lists", "speaker_entries",
		"live_events", "speaker_notes", "summary_versions", "summary_revisions", "circulations", "circulation_recipients"} {
		if !db.Migrator().HasTable(table) {
			t.Errorf("no table %s after migrating", table)
		}
	}
}

// 0021 rebuilds circulations on SQLite (version_id may now be null):
// a database that circulated before keeps its circulations and every
// recipient of them, which a cascade from the old table would delete.
func TestCirculationsMigrationKeepsEveryCirculationAndRecipient(t *testing.T) {
	db := openMigratedTo(t, "0017_speaker_order")
	day := time.Date(2030, 12, 2, 10, 0, 0, 0, time.UTC)
	for _, stmt := range []string{
		`INSERT INTO users (email, name, role, password_hash, created_at) VALUES ('a@example.org', 'A', 'admin', 'x', ?)`,
		`INSERT INTO meetings (slug, title, starts_at, ends_at, registration_closes_at, capacity, created_at) VALUES ('m', 'M', ?, ?, ?, 10, ?)`,
		`INSERT INTO summary_versions (meeting_id, number, state, markdown, author_id, created_at, updated_at) VALUES (1, 1, 'circulated', '# S', 1, ?, ?)`,
		`INSERT INTO outbox_messages (kind, to_addr, subject, text, status, next_attempt_at, created_at) VALUES ('circulation', 'p@example.org', 'S', 'T', 'sent', ?, ?)`,
		`INSERT INTO circulations (meeting_id, version_id, author_id, total, created_at) VALUES (1, 1, 1, 1, ?)`,
	} {
		args := []any{}
		for range strings.Count(stmt, "?") {
			args = append(args, day)
		}
		if err := db.Exec(stmt, args...).Error; err != nil {
			t.Fatalf("%s: %v", stmt, err)
		}
	}
	if err := db.Exec(`INSERT INTO circulation_recipients (circulation_id, address, outbox_message_id) VALUES (1, 'p@example.org', 1)`).Error; err != nil {
		t.Fatal(err)
	}
	if err := Migrate(db); err != nil {
		t.Fatal(err)
	}
	var n int64
	db.Table("circulation_recipients").Count(&n)
	var c struct {
		VersionID *uint
		State     string
		SentAt    *time.Time
	}
	db.Raw(`SELECT version_id, state, sent_at FROM circulations WHERE id = 1`).Scan(&c)
	if n != 1 || c.VersionID == nil || *c.VersionID != 1 || c.State != "sent" || c.SentAt == nil || !c.SentAt.Equal(day) {
		t.Fatalf("after 0021: %d recipients, circulation %+v", n, c)
	}
	var fk []map[string]any
	db.Raw("PRAGMA foreign_key_check").Scan(&fk)
	if len(fk) != 0 {
		t.Fatalf("dangling references: %v", fk)
	}
}
