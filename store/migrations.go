package store

import (
	"fmt"

	"github.com/go-gormigrate/gormigrate/v2"
	"gorm.io/gorm"
)

// migrations run in order, once each, on SQLite and PostgreSQL alike.
//
// A released migration is history: it creates on a new database exactly
// what it created when it was released, so it never reads today's models
// (a model change would silently rewrite it). Each defines the tables and
// columns it makes with frozen copies of the models of its day
// (migrations_NNNN.go); a change to a table is a new entry at the end.
// migrations_history_test.go holds each one's schema to its golden file
// (testdata/schema_after_<ID>.txt, never regenerated once released) and
// the migrated schema to today's models.
var migrations = []*gormigrate.Migration{
	{ID: "0001_foundation", Migrate: migrate0001Foundation},
	{ID: "0002_outbox", Migrate: migrate0002Outbox},
	// 0003 and 0004 were released with the foundation, when the live list
	// and the summary had no tables yet: they created nothing, and
	// databases made then recorded them as done. 0010 creates the tables.
	{ID: "0003_live", Migrate: func(*gorm.DB) error { return nil }},
	{ID: "0004_summary", Migrate: func(*gorm.DB) error { return nil }},
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
	{ID: "0006_meeting_seats_held", Migrate: migrate0006MeetingSeatsHeld},
	{ID: "0007_rate_limits", Migrate: migrate0007RateLimits},
	{ID: "0008_registration_claims", Migrate: migrate0008RegistrationClaims},
	{ID: "0009_token_hash_only", Migrate: migrateTokenHashOnly},
	{ID: "0010_catch_up_tables_and_columns", Migrate: migrate0010CatchUp},
	{ID: "0011_seat_counts", Migrate: migrate0011SeatCounts},
	{ID: "0012_editing_and_accounts", Migrate: migrate0012EditingAndAccounts},
	{ID: "0013_meeting_symbol", Migrate: migrate0013MeetingSymbol},
	{ID: "0014_summary_generated", Migrate: migrate0014SummaryGenerated},
	// (No 0015: IDs need only be unique and ordered.)
	{ID: "0016_delegations", Migrate: migrate0016Delegations},
	{ID: "0017_speaker_order", Migrate: migrate0017SpeakerOrder},
	{ID: "0018_accreditation", Migrate: migrate0018Accreditation},
	{ID: "0019_checkin", Migrate: migrate0019Checkin},
	{ID: "0020_personal_data", Migrate: migrate0020PersonalData},
	{ID: "0021_documents_letters_lists", Migrate: migrate0021Documents},
	{ID: "0022_processes", Migrate: migrate0022Processes},
	{ID: "0023_languages", Migrate: migrate0023Languages},
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
