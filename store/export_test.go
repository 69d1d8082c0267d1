package store

// Migrations is the list Migrate runs, for the tests of package store_test
// that migrate one step at a time.
var Migrations = migrations
