package testenv_test

import (
	"os"
	"testing"

	"rostrum/internal/testenv"
	"rostrum/store"
)

func TestPostgresDSNGivesEachTestASchemaAndDropsIt(t *testing.T) {
	if os.Getenv(testenv.PostgresEnv) == "" {
		t.Skipf("PostgreSQL test skipped: %s is not set", testenv.PostgresEnv)
	}
	var schema string
	t.Run("inside", func(t *testing.T) {
		dsn := testenv.PostgresDSN(t)
		e := testenv.New(t, testenv.WithDB(dsn)) // migrations run in the schema
		e.Anon().MustJSON("GET", "/healthz", nil, 200, nil)
		if err := e.App.DB.Raw("SELECT current_schema()").Scan(&schema).Error; err != nil {
			t.Fatal(err)
		}
		var tables int64
		e.App.DB.Raw("SELECT count(*) FROM information_schema.tables WHERE table_schema = ? AND table_name = 'outbox_messages'", schema).Scan(&tables)
		if tables != 1 {
			t.Fatalf("the migrations did not create their tables in %s", schema)
		}
	})
	if schema == "" || schema == "public" {
		t.Fatalf("ran in schema %q", schema)
	}
	db, err := store.Open(os.Getenv(testenv.PostgresEnv), testenv.Logger(t))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close(db)
	var n int64
	db.Raw("SELECT count(*) FROM information_schema.schemata WHERE schema_name = ?", schema).Scan(&n)
	if n != 0 {
		t.Fatalf("schema %s was not dropped", schema)
	}
}
