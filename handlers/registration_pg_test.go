package handlers_test

import (
	"testing"

	"rostrum/internal/testenv"
)

// On PostgreSQL the limits rest on the meeting row's lock (SELECT ... FOR
// UPDATE) rather than on SQLite's single writer.
func TestLimitsHoldUnderConcurrentRegistrationsOnPostgres(t *testing.T) {
	e := testenv.New(t, testenv.WithDB(testenv.PostgresDSN(t)))
	registrationLimitsUnderLoad(t, e)
}

// The queries of the list (LIKE with ESCAPE, grouping by state and type),
// promotion and organization matching run on PostgreSQL as on SQLite.
func TestListFiltersAndCountsOnPostgres(t *testing.T) {
	listFiltersAndCounts(t, testenv.New(t, testenv.WithDB(testenv.PostgresDSN(t))))
}

func TestFreedSeatGoesToOldestWaitlistedRegistrationOnPostgres(t *testing.T) {
	freedSeatGoesToOldestWaitlisted(t, testenv.New(t, testenv.WithDB(testenv.PostgresDSN(t))))
}

func TestOrganizationsMatchOnPostgres(t *testing.T) {
	organizationsMatch(t, testenv.New(t, testenv.WithDB(testenv.PostgresDSN(t))))
}
