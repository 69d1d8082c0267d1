package store_test

import (
	"context"
	"testing"

	"rostrum/internal/testenv"
	"rostrum/store"
)

// A meeting registered on SQLite reads the same through the API after
// copy-db moved it to PostgreSQL, and new rows get fresh ids there.
func TestCopyMovesAMeetingFromSQLiteToPostgres(t *testing.T) {
	pg := testenv.PostgresDSN(t)
	e := testenv.New(t)
	admin := e.Admin()
	admin.MustJSON("POST", "/api/processes", map[string]any{"slug": "oewg", "title": "Open-ended Working Group"}, 201, nil)
	admin.MustJSON("POST", "/api/meetings", map[string]any{
		"slug": "moved", "title": "Moved meeting", "starts_at": "2030-12-02T10:00:00Z", "ends_at": "2030-12-04T18:00:00Z",
		"registration_closes_at": "2030-11-30T00:00:00Z", "capacity": 2, "process": "oewg",
	}, 201, nil)
	for _, email := range []string{"a@example.org", "b@example.org", "c@example.org"} {
		e.Anon().MustJSON("POST", "/api/meetings/moved/registrations", map[string]any{
			"organization": map[string]any{"name": "Café Société", "type": "ngo", "country": "FR", "ecosoc_status": "none"},
			"name":         "P", "email": email, "consent": true,
		}, 201, nil)
	}
	var before struct {
		Counts map[string]int `json:"counts"`
	}
	e.Anon().MustJSON("GET", "/api/meetings/moved", nil, 200, &before)
	cfg := e.Config
	e.Stop()

	src, err := store.Open(cfg.DB, testenv.Logger(t))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close(src)
	dst, err := store.Open(pg, testenv.Logger(t))
	if err != nil {
		t.Fatal(err)
	}
	if err := store.Copy(context.Background(), src, dst, testenv.Logger(t)); err != nil {
		t.Fatal(err)
	}
	if err := store.Copy(context.Background(), src, dst, testenv.Logger(t)); err == nil {
		t.Fatal("a second copy into a database that is no longer empty was accepted")
	}
	// Every table came along, row for row (seat counts, the audit log and
	// the outbox included, not only what the API reads back below).
	for _, m := range store.Models() {
		var a, b int64
		if err := src.Model(m).Count(&a).Error; err != nil {
			t.Fatal(err)
		}
		if err := dst.Model(m).Count(&b).Error; err != nil {
			t.Fatal(err)
		}
		if a != b {
			t.Errorf("%T: %d rows on SQLite, %d after the copy", m, a, b)
		}
	}
	store.Close(dst)

	cfg.DB = pg
	e2 := testenv.Start(t, cfg)
	var after struct {
		Counts map[string]int `json:"counts"`
	}
	e2.Anon().MustJSON("GET", "/api/meetings/moved", nil, 200, &after)
	if after.Counts["pending"] != 2 || after.Counts["waitlisted"] != 1 || before.Counts["pending"] != 2 {
		t.Fatalf("counts before %v, after %v", before.Counts, after.Counts)
	}
	// The meeting's process came along.
	var p struct{ Meetings []struct{ Slug string } }
	e2.Anon().MustJSON("GET", "/api/processes/oewg", nil, 200, &p)
	if len(p.Meetings) != 1 || p.Meetings[0].Slug != "moved" {
		t.Fatalf("the process after the copy: %+v", p)
	}
	// The admin and its password came along; new rows get new ids.
	e2.Admin().MustJSON("POST", "/api/meetings/moved/agenda", map[string]any{"title": "Capacity-building"}, 201, nil)
	e2.Anon().MustJSON("POST", "/api/meetings/moved/registrations", map[string]any{
		"organization": map[string]any{"name": "cafe  société", "type": "ngo", "country": "FR", "ecosoc_status": "none"},
		"name":         "P", "email": "d@example.org", "consent": true,
	}, 201, nil)
}
