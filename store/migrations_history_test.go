package store_test

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"gorm.io/gorm"

	"rostrum/internal/testenv"
	"rostrum/models"
	"rostrum/store"
)

// todaysModels is every model Rostrum reads and writes: what the last
// migration must have built.
func todaysModels() []any {
	all := []any{&models.User{}, &models.Session{}, &models.Meeting{}, &models.AgendaItem{},
		&models.Organization{}, &models.Registration{}, &models.RateLimit{}}
	all = append(all, models.OutboxTables()...)
	all = append(all, models.LiveTables()...)
	return append(all, models.SummaryTables()...)
}

// undeclared are the parts of the migrated schema that no model declares:
// indexes a migration makes for queries (0005).
var undeclared = []string{
	"registrations index idx_reg_meeting_email (meeting_id, email)",
	"registrations index idx_reg_meeting_org_status (meeting_id, organization_id, status)",
}

// A new database migrated from nothing has what today's models declare,
// column for column (type, NOT NULL, default), index for index and
// foreign key for foreign key: a model change without its migration
// fails here.
func TestMigrationsBuildWhatTodaysModelsDeclare(t *testing.T) {
	for _, engine := range []string{"sqlite", "postgres"} {
		t.Run(engine, func(t *testing.T) {
			want := openEmpty(t, engine)
			if err := want.AutoMigrate(todaysModels()...); err != nil {
				t.Fatal(err)
			}
			got := openEmpty(t, engine)
			if err := store.Migrate(got); err != nil {
				t.Fatal(err)
			}
			compareSchema(t, "a new database", schemaLines(t, got), schemaLines(t, want))
		})
	}
}

// compareSchema fails the test for every line of want missing from got,
// and every line of got that neither want nor undeclared has.
func compareSchema(t *testing.T, what string, got, want []string) {
	t.Helper()
	for _, l := range want {
		if !slices.Contains(got, l) {
			t.Errorf("%s lacks what today's models declare: %s", what, l)
		}
	}
	for _, l := range got {
		if !slices.Contains(want, l) && !slices.Contains(undeclared, l) {
			t.Errorf("%s has what no model declares: %s", what, l)
		}
	}
}

// openEmpty opens an empty database: a SQLite file of the test's own, or
// a fresh PostgreSQL schema (skipped without ROSTRUM_TEST_POSTGRES).
func openEmpty(t *testing.T, engine string) *gorm.DB {
	t.Helper()
	dsn := filepath.Join(t.TempDir(), "rostrum.db")
	if engine == "postgres" {
		dsn = testenv.PostgresDSN(t)
	}
	db, err := store.Open(dsn, testenv.Logger(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = store.Close(db) })
	return db
}

// schemaLines describes db's tables as sorted lines, one per column,
// index and foreign key, in words that do not depend on the order in
// which they were made:
//
//	users column email text NOT NULL
//	users index idx_users_email UNIQUE (email)
//	sessions foreign key (user_id) REFERENCES users(id) ON UPDATE NO ACTION ON DELETE CASCADE
//
// gormigrate's table and SQLite's own are left out.
func schemaLines(t *testing.T, db *gorm.DB) []string {
	t.Helper()
	m := db.Migrator()
	tables, err := m.GetTables()
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, table := range tables {
		if table == "migrations" || strings.HasPrefix(table, "sqlite_") {
			continue
		}
		for _, c := range columns(t, db, table) {
			lines = append(lines, table+" column "+c)
		}
		indexes, err := m.GetIndexes(table)
		if err != nil {
			t.Fatalf("indexes of %s: %v", table, err)
		}
		for _, ix := range indexes {
			l := fmt.Sprintf("%s index %s", table, ix.Name())
			if pk, _ := ix.PrimaryKey(); pk {
				l += " PRIMARY KEY"
			} else if u, _ := ix.Unique(); u {
				l += " UNIQUE"
			}
			lines = append(lines, l+" ("+strings.Join(ix.Columns(), ", ")+")")
		}
		for _, fk := range foreignKeys(t, db, table) {
			lines = append(lines, table+" foreign key "+fk)
		}
	}
	slices.Sort(lines)
	return lines
}

// columns describes table's columns: name, type, NOT NULL, default. They
// are read from the catalogue rather than through gorm's ColumnTypes,
// which on SQLite reads a "SELECT *" that the prepared-statement cache
// keeps from before a column was added.
func columns(t *testing.T, db *gorm.DB, table string) []string {
	t.Helper()
	var rows []struct {
		Name, Type string
		NotNull    bool
		Default    *string
		PK         bool
	}
	q := `SELECT name, type, "notnull" AS not_null, dflt_value AS "default", pk > 0 AS pk FROM pragma_table_info(?)`
	if store.Postgres(db) {
		q = `SELECT column_name AS name,
			udt_name || COALESCE('(' || character_maximum_length || ')', '') AS type,
			is_nullable = 'NO' AS not_null, column_default AS "default", false AS pk
			FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ?`
	}
	if err := db.Raw(q, table).Scan(&rows).Error; err != nil {
		t.Fatalf("columns of %s: %v", table, err)
	}
	var cols []string
	for _, r := range rows {
		c := r.Name + " " + strings.ToLower(r.Type)
		if r.PK {
			c += " PRIMARY KEY"
		}
		if r.NotNull {
			c += " NOT NULL"
		}
		if r.Default != nil {
			c += " DEFAULT " + *r.Default
		}
		cols = append(cols, c)
	}
	return cols
}

// foreignKeys lists table's foreign keys, which gorm's Migrator does not.
func foreignKeys(t *testing.T, db *gorm.DB, table string) []string {
	t.Helper()
	var fks []string
	if store.Postgres(db) {
		err := db.Raw(`SELECT c.conname || ' ' || pg_get_constraintdef(c.oid) FROM pg_constraint c
			JOIN pg_class r ON r.oid = c.conrelid JOIN pg_namespace n ON n.oid = r.relnamespace
			WHERE c.contype = 'f' AND n.nspname = current_schema() AND r.relname = ?`, table).Scan(&fks).Error
		if err != nil {
			t.Fatalf("foreign keys of %s: %v", table, err)
		}
		return fks
	}
	var rows []struct {
		From, Table, To, OnUpdate, OnDelete string
	}
	if err := db.Raw(`SELECT "from", "table", "to", on_update, on_delete FROM pragma_foreign_key_list(?)`, table).Scan(&rows).Error; err != nil {
		t.Fatalf("foreign keys of %s: %v", table, err)
	}
	for _, r := range rows {
		fks = append(fks, fmt.Sprintf("(%s) REFERENCES %s(%s) ON UPDATE %s ON DELETE %s", r.From, r.Table, r.To, r.OnUpdate, r.OnDelete))
	}
	return fks
}
