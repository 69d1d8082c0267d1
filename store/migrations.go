package store

import (
	"fmt"

	"github.com/go-gormigrate/gormigrate/v2"
	"gorm.io/gorm"

	"rostrum/models"
)

// migrations run in order, once each, on SQLite and PostgreSQL alike. A
// released migration is never edited: a change to a table is a new entry.
var migrations = []*gormigrate.Migration{
	{ID: "0001_foundation", Migrate: func(tx *gorm.DB) error {
		return tx.AutoMigrate(&models.User{}, &models.Session{}, &models.Meeting{},
			&models.AgendaItem{}, &models.Organization{}, &models.Registration{})
	}},
	{ID: "0002_outbox", Migrate: func(tx *gorm.DB) error {
		return tx.AutoMigrate(models.OutboxTables()...)
	}},
	{ID: "0003_live", Migrate: func(tx *gorm.DB) error {
		return tx.AutoMigrate(models.LiveTables()...)
	}},
	{ID: "0004_summary", Migrate: func(tx *gorm.DB) error {
		return tx.AutoMigrate(models.SummaryTables()...)
	}},
	{ID: "0005_registration_indexes", Migrate: func(tx *gorm.DB) error {
		// The duplicate-email and per-organization checks run inside every
		// registration's write transaction; without these they scan all of a
		// meeting's registrations.
		for _, stmt := range []string{
			"CREATE INDEX IF NOT EXISTS idx_reg_meeting_email ON registrations (meeting_id, email)",
			"CREATE INDEX IF NOT EXISTS idx_reg_meeting_org_status ON registrations (meeting_id, organization_id, status)",
		} {
			if err := tx.Exec(stmt).Error; err != nil {
				return err
			}
		}
		return nil
	}},
	{ID: "0006_meeting_seats_held", Migrate: func(tx *gorm.DB) error {
		// The seat check counted a meeting's held seats inside every
		// registration's write transaction: a cost that grew with every
		// registration. The counter starts from that count. (0001 migrates
		// the current model, so a new database has the column already.)
		if !tx.Migrator().HasColumn("meetings", "seats_held") {
			if err := tx.Exec("ALTER TABLE meetings ADD COLUMN seats_held bigint NOT NULL DEFAULT 0").Error; err != nil {
				return err
			}
		}
		return tx.Exec(`UPDATE meetings SET seats_held = (SELECT COUNT(*) FROM registrations r
			WHERE r.meeting_id = meetings.id AND r.status IN ('pending', 'approved'))`).Error
	}},
	{ID: "0007_rate_limits", Migrate: func(tx *gorm.DB) error {
		// The throttles' counts, shared by the instances on PostgreSQL
		// (one instance on SQLite counts in memory; the table stays empty).
		return tx.AutoMigrate(&models.RateLimit{})
	}},
	{ID: "0008_registration_claims", Migrate: func(tx *gorm.DB) error {
		// A registration keeps what its registrant claimed about the
		// organization instead of writing it into the shared record, and
		// an approved participant's new name waits for the secretariat.
		// Existing registrations keep an empty claim: what they claimed
		// was never stored. (0001 migrates the current model, so a new
		// database has the columns already.)
		for _, col := range models.RegistrationClaimColumns {
			if tx.Migrator().HasColumn(&models.Registration{}, col) {
				continue
			}
			if err := tx.Migrator().AddColumn(&models.Registration{}, col); err != nil {
				return err
			}
		}
		return nil
	}},
	{ID: "0009_token_hash_only", Migrate: migrateTokenHashOnly},
	{ID: "0011_seat_counts", Migrate: func(tx *gorm.DB) error {
		// The held-seats counter moves from meetings.seats_held, a column of
		// a table package meetings owns that only registration wrote, to a
		// table of registration's own (models.SeatCount), counted afresh.
		// meetings.seats_held stays, no longer read or written.
		if err := tx.Exec(`CREATE TABLE IF NOT EXISTS seat_counts (
			meeting_id bigint NOT NULL PRIMARY KEY REFERENCES meetings(id) ON DELETE CASCADE,
			held bigint NOT NULL DEFAULT 0)`).Error; err != nil {
			return err
		}
		return tx.Exec(`INSERT INTO seat_counts (meeting_id, held)
			SELECT m.id, (SELECT COUNT(*) FROM registrations r
				WHERE r.meeting_id = m.id AND r.status IN ('pending', 'approved')) FROM meetings m`).Error
	}},
}

// Migrate brings the schema up to date. On PostgreSQL several instances
// may start at once on an empty database: the migrations run under an
// advisory lock (one per schema), so the first migrates and the others
// wait, then find nothing left to do.
func Migrate(db *gorm.DB) error {
	if !Postgres(db) {
		return gormigrate.New(db, gormigrate.DefaultOptions, migrations).Migrate()
	}
	// The lock is the transaction's, and so are the migrations (DDL is
	// transactional on PostgreSQL): an instance that fails midway leaves
	// nothing half-done for the next.
	return db.Transaction(func(tx *gorm.DB) error {
		if err := tx.Exec("SELECT pg_advisory_xact_lock(hashtext('rostrum migrations ' || current_schema()))").Error; err != nil {
			return fmt.Errorf("lock for migrations: %w", err)
		}
		return gormigrate.New(tx, gormigrate.DefaultOptions, migrations).Migrate()
	})
}
