package store

import (
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
}

// Migrate brings the schema up to date.
func Migrate(db *gorm.DB) error {
	return gormigrate.New(db, gormigrate.DefaultOptions, migrations).Migrate()
}
