package store_test

import (
	"reflect"
	"testing"

	"rostrum/models"
	"rostrum/store"
)

// copy-db copies what Models lists, one table at a time: a table left
// out is lost in the move, and one listed before a table it refers to
// fails the copy on PostgreSQL's foreign keys.
func TestModelsAreEveryTableInForeignKeyOrder(t *testing.T) {
	db := openEmpty(t, "sqlite")
	if err := store.Migrate(db); err != nil {
		t.Fatal(err)
	}
	listed := map[string]int{}
	for i, m := range store.Models() {
		stmt := db.Model(m).Statement
		if err := stmt.Parse(m); err != nil {
			t.Fatal(err)
		}
		listed[stmt.Schema.Table] = i
	}
	for _, m := range models.All() {
		stmt := db.Model(m).Statement
		if err := stmt.Parse(m); err != nil {
			t.Fatal(err)
		}
		if _, ok := listed[stmt.Schema.Table]; !ok {
			t.Errorf("%s (%s) is not in store.Models: copy-db would leave it behind", stmt.Schema.Table, reflect.TypeOf(m).Elem().Name())
		}
	}
	var tables []string
	if err := db.Raw("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name != 'migrations'").Scan(&tables).Error; err != nil {
		t.Fatal(err)
	}
	for _, table := range tables {
		at, ok := listed[table]
		if !ok {
			t.Errorf("table %s is in the schema but not in store.Models", table)
			continue
		}
		var refs []struct{ Table string }
		if err := db.Raw("SELECT \"table\" FROM pragma_foreign_key_list(?)", table).Scan(&refs).Error; err != nil {
			t.Fatal(err)
		}
		for _, r := range refs {
			if r.Table != table && listed[r.Table] > at {
				t.Errorf("%s refers to %s, which store.Models lists after it", table, r.Table)
			}
		}
	}
}
