package testenv

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"testing"
	"time"

	"gorm.io/gorm"

	"rostrum/store"
)

// PostgresEnv names the environment variable that points the tests at a
// PostgreSQL server, e.g.
// postgres://postgres@127.0.0.1:5432/test?sslmode=disable.
const PostgresEnv = "ROSTRUM_TEST_POSTGRES"

// PostgresDSN creates a fresh schema of its own in the database named by
// ROSTRUM_TEST_POSTGRES, drops it when the test ends, and returns a DSN
// whose connections use it (search_path), ready for store.Open or WithDB.
// Without the variable the test is skipped with a message saying so.
//
// Close what you opened on the DSN before the test ends (t.Cleanup
// registered after this call runs first); the drop waits at most 10s
// for locks.
func PostgresDSN(t testing.TB) string {
	t.Helper()
	base := os.Getenv(PostgresEnv)
	if base == "" {
		t.Skipf("PostgreSQL test skipped: %s is not set (e.g. %s=postgres://postgres@127.0.0.1:5432/test?sslmode=disable)", PostgresEnv, PostgresEnv)
	}
	u, err := url.Parse(base)
	if err != nil || !store.IsPostgres(base) {
		t.Fatalf("%s=%q is not a postgres:// URL", PostgresEnv, base)
	}
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	schema := "rostrum_test_" + hex.EncodeToString(b)

	admin, err := store.Open(base, Logger(t))
	if err != nil {
		t.Fatalf("PostgreSQL at %s: %v", PostgresEnv, err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := admin.WithContext(ctx).Exec(`CREATE SCHEMA "` + schema + `"`).Error; err != nil {
		_ = store.Close(admin)
		t.Fatalf("create schema %s: %v", schema, err)
	}
	t.Cleanup(func() {
		defer store.Close(admin)
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		err := admin.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
			if err := tx.Exec(`SET LOCAL lock_timeout = '10s'`).Error; err != nil {
				return err
			}
			return tx.Exec(`DROP SCHEMA "` + schema + `" CASCADE`).Error
		})
		if err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
	})
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}
