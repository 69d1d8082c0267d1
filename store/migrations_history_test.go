package store_test

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/go-gormigrate/gormigrate/v2"
	"gorm.io/gorm"

	"rostrum/internal/testenv"
	"rostrum/models"
	"rostrum/store"
)

// todaysModels is every model Rostrum reads and writes: what the last
// migration must have built.
func todaysModels() []any { return models.All() }

// undeclared are the parts of the migrated schema that no model declares:
// indexes a migration makes for queries (0005).
var undeclared = []string{
	"registrations index idx_reg_meeting_email (meeting_id, email)",
	"registrations index idx_reg_meeting_org_status (meeting_id, organization_id, status)",
}

// A new database migrated from nothing has what today's models declare,
// column for column (a type stored alike, NOT NULL, default), index for
// index and foreign key for foreign key: a model change without its
// migration fails here.
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
			compareSchema(t, "a new database", schemaLines(t, got, alike), schemaLines(t, want, alike))
		})
	}
}

// catchUp is the migration that adds what 0002-0004 missed.
const catchUp = "0010_catch_up_tables_and_columns"

// A database made while 0001-0004 migrated the models of the day has
// every table, column and index that 0010 adds: 0010 leaves it as it is.
// (Such a database is stood for by one migrated up to 0010, made to run
// 0010 again.)
func TestCatchUpMigrationLeavesACompleteDatabaseAsItIs(t *testing.T) {
	for _, engine := range []string{"sqlite", "postgres"} {
		t.Run(engine, func(t *testing.T) {
			db := openEmpty(t, engine)
			if err := gormigrate.New(db, gormigrate.DefaultOptions, store.Migrations).MigrateTo(catchUp); err != nil {
				t.Fatal(err)
			}
			want := schemaLines(t, db, exactly)
			if err := db.Exec("DELETE FROM migrations WHERE id = ?", catchUp).Error; err != nil {
				t.Fatal(err)
			}
			if err := gormigrate.New(db, gormigrate.DefaultOptions, store.Migrations).MigrateTo(catchUp); err != nil {
				t.Fatalf("%s again: %v", catchUp, err)
			}
			if got := schemaLines(t, db, exactly); !slices.Equal(got, want) {
				t.Fatalf("%s changed a complete database:\n%s", catchUp, lineDiff(want, got))
			}
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

var update = flag.Bool("update", false, "write the golden schema files of migrations that have none")

// Each migration leaves the schema its golden file holds
// (testdata/schema_after_<ID>.txt, made on SQLite), so that a migration
// once released cannot change what it creates: editing a released
// migration, or one of the frozen definitions it migrates, fails here.
// (PostgreSQL's schema is held to today's models by the test above.)
//
// The golden files of released migrations are history: never regenerate
// them, whatever the diff says; add a migration instead.
// `go test ./store -run TestEachMigration -update` writes only the files
// that are missing, that is those of a new migration. A migration not yet
// released (still on a branch, or merged behind another branch's) may be
// redone by deleting its file first.
func TestEachMigrationLeavesTheSchemaOfItsRelease(t *testing.T) {
	db := openEmpty(t, "sqlite")
	seen := map[string]bool{}
	for _, m := range store.Migrations {
		if err := gormigrate.New(db, gormigrate.DefaultOptions, store.Migrations).MigrateTo(m.ID); err != nil {
			t.Fatalf("migrate to %s: %v", m.ID, err)
		}
		name := "schema_after_" + m.ID + ".txt"
		seen[name] = true
		got := strings.Join(schemaLines(t, db, exactly), "\n") + "\n"
		path := filepath.Join("testdata", name)
		want, err := os.ReadFile(path)
		if os.IsNotExist(err) && *update {
			if err := os.MkdirAll("testdata", 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
				t.Fatal(err)
			}
			t.Logf("wrote %s", path)
			continue
		}
		if err != nil {
			t.Fatalf("%v (a new migration's file is written by -update)", err)
		}
		if got != string(want) {
			// The first migration that differs is the one changed; those
			// after it differ because of it.
			t.Fatalf("after %s the schema is not the one it was released with (%s); a released migration never changes: add a new one\n%s",
				m.ID, path, lineDiff(strings.Split(string(want), "\n"), strings.Split(got, "\n")))
		}
	}
	files, _ := filepath.Glob(filepath.Join("testdata", "schema_after_*.txt"))
	for _, f := range files {
		if !seen[filepath.Base(f)] {
			t.Errorf("%s belongs to no migration: a released migration was renamed or removed", f)
		}
	}
}

// lineDiff shows the lines of want missing from got (-) and those of got
// that want has not (+).
func lineDiff(want, got []string) string {
	var b strings.Builder
	for _, l := range want {
		if l != "" && !slices.Contains(got, l) {
			fmt.Fprintf(&b, "- %s\n", l)
		}
	}
	for _, l := range got {
		if l != "" && !slices.Contains(want, l) {
			fmt.Fprintf(&b, "+ %s\n", l)
		}
	}
	return b.String()
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
func schemaLines(t *testing.T, db *gorm.DB, types typeNames) []string {
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
		for _, c := range columns(t, db, table, types) {
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
func columns(t *testing.T, db *gorm.DB, table string, types typeNames) []string {
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
		if types == alike && !store.Postgres(db) {
			r.Type = sqliteAffinity(r.Type)
			if d := r.Default; d != nil && len(*d) >= 2 && strings.HasPrefix(*d, `"`) && strings.HasSuffix(*d, `"`) {
				lit := "'" + strings.ReplaceAll((*d)[1:len(*d)-1], "'", "''") + "'"
				r.Default = &lit
			}
		}
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

// typeNames says how schemaLines names column types.
type typeNames int

const (
	// exactly: as the migration declared them (varchar(100) and text
	// differ), for the golden files.
	exactly typeNames = iota
	// alike: on SQLite, by the affinity that decides how values are
	// stored (varchar(100) and text are both text), and string defaults
	// quoted alike (gorm writes "", a hand-written migration ''); for
	// comparing migrations, which may write their SQL by hand, with
	// AutoMigrate of the models. PostgreSQL's names are kept.
	alike
)

// sqliteAffinity is the type affinity SQLite gives a declared type
// (https://www.sqlite.org/datatype3.html, 3.1).
func sqliteAffinity(declared string) string {
	t := strings.ToUpper(declared)
	switch {
	case strings.Contains(t, "INT"):
		return "integer"
	case strings.Contains(t, "CHAR"), strings.Contains(t, "CLOB"), strings.Contains(t, "TEXT"):
		return "text"
	case strings.Contains(t, "BLOB"), t == "":
		return "blob"
	case strings.Contains(t, "REAL"), strings.Contains(t, "FLOA"), strings.Contains(t, "DOUB"):
		return "real"
	}
	return "numeric"
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
