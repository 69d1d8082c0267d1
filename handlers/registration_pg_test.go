package handlers_test

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"rostrum/auth"
	"rostrum/internal/testenv"
)

// postgresSchema returns a DSN of ROSTRUM_TEST_POSTGRES pointing at a fresh
// schema of its own, dropped when the test ends; the test is skipped when
// the variable is not set.
func postgresSchema(t *testing.T) string {
	t.Helper()
	dsn := os.Getenv("ROSTRUM_TEST_POSTGRES")
	if dsn == "" {
		t.Skip("PostgreSQL test skipped: set ROSTRUM_TEST_POSTGRES=postgres://postgres@127.0.0.1:5432/test?sslmode=disable")
	}
	db, err := gorm.Open(postgres.Open(dsn), &gorm.Config{Logger: logger.Discard})
	if err != nil {
		t.Fatal(err)
	}
	schema := "t_reg_" + strings.ToLower(strings.NewReplacer("-", "", "_", "").Replace(auth.NewToken()[:12]))
	if err := db.Exec("CREATE SCHEMA " + schema).Error; err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		db.Exec("DROP SCHEMA " + schema + " CASCADE")
		if sqlDB, err := db.DB(); err == nil {
			sqlDB.Close()
		}
	})
	sep := "?"
	if strings.Contains(dsn, "?") {
		sep = "&"
	}
	return fmt.Sprintf("%s%ssearch_path=%s", dsn, sep, schema)
}

// On PostgreSQL the limits rest on the meeting row's lock (SELECT ... FOR
// UPDATE) rather than on SQLite's single writer.
func TestLimitsHoldUnderConcurrentRegistrationsOnPostgres(t *testing.T) {
	e := testenv.New(t, testenv.WithDB(postgresSchema(t)))
	registrationLimitsUnderLoad(t, e)
}

// The queries of the list (LIKE with ESCAPE, grouping by state and type),
// promotion and organization matching run on PostgreSQL as on SQLite.
func TestListFiltersAndCountsOnPostgres(t *testing.T) {
	listFiltersAndCounts(t, testenv.New(t, testenv.WithDB(postgresSchema(t))))
}

func TestFreedSeatGoesToOldestWaitlistedRegistrationOnPostgres(t *testing.T) {
	freedSeatGoesToOldestWaitlisted(t, testenv.New(t, testenv.WithDB(postgresSchema(t))))
}

func TestOrganizationsMatchOnPostgres(t *testing.T) {
	organizationsMatch(t, testenv.New(t, testenv.WithDB(postgresSchema(t))))
}
