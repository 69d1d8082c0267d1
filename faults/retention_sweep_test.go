package faults_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"rostrum/internal/apiclient"
	"rostrum/internal/serverproc"
	"rostrum/internal/testenv"
	"rostrum/models"
	"rostrum/store"
)

// seedPastRetention registers n participants for a new meeting slug
// through srv, approves them and moves the meeting to 2020 with a
// retention of 0 days: their personal data are due for anonymization.
func seedPastRetention(t *testing.T, srv *serverproc.Server, slug string, n int) []string {
	t.Helper()
	admin := adminClient(t, srv.URL)
	createMeetingAt(t, admin, slug, 0, 0)
	anon := apiclient.New(srv.URL, 1)
	var emails []string
	for i := range n {
		email := fmt.Sprintf("%s-%d@example.org", slug, i)
		var r struct{ ID uint }
		if _, err := anon.Do("POST", "/api/meetings/"+slug+"/registrations",
			testenv.RegistrationBody(fmt.Sprintf("%s org %d", slug, i), fmt.Sprintf("Person %s %d", slug, i), email), &r); err != nil {
			t.Fatal(err)
		}
		if _, err := admin.Do("POST", fmt.Sprintf("/api/registrations/%d/decision", r.ID), map[string]string{"decision": "approve"}, nil); err != nil {
			t.Fatal(err)
		}
		emails = append(emails, email)
	}
	if _, err := admin.Do("PATCH", "/api/meetings/"+slug, map[string]any{"retention_days": 0, "starts_at": "2020-01-06T10:00:00-05:00",
		"ends_at": "2020-01-07T18:00:00-05:00", "registration_closes_at": "2020-01-05T18:00:00-05:00"}, nil); err != nil {
		t.Fatal(err)
	}
	return emails
}

type sweptRegistration struct {
	Email        string     `json:"email"`
	Status       string     `json:"status"`
	AnonymizedAt *time.Time `json:"anonymized_at"`
}

func registrationsAt(t *testing.T, url, slug string) []sweptRegistration {
	t.Helper()
	var list struct{ Registrations []sweptRegistration }
	if _, err := adminClient(t, url).Do("GET", "/api/meetings/"+slug+"/registrations", nil, &list); err != nil {
		t.Fatal(err)
	}
	return list.Registrations
}

// TestRetentionSweepRunsOnceAcrossInstancesAndNotAgainAfterARestart
// starts two instances on one PostgreSQL database with a sweep due: one
// of them runs it (one line in the audit log, every registration
// anonymized, the state kept); the one that ran it is killed with SIGKILL
// and started again: it claims nothing within the interval, so the
// registrations that became due meanwhile wait for the next day.
func TestRetentionSweepRunsOnceAcrossInstancesAndNotAgainAfterARestart(t *testing.T) {
	db := testenv.PostgresDSN(t)
	setup := startProcessOn(t, db)
	emails := seedPastRetention(t, setup, "m", 3)
	setup.Kill()
	gdb, err := store.Open(db, testenv.Logger(t))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close(gdb)
	// The set-up instance ran the day's sweep at its start, before the
	// meeting was due; forget it, so the sweep is due as the instances
	// start.
	if err := gdb.Exec("DELETE FROM retention_sweeps").Error; err != nil {
		t.Fatal(err)
	}
	var a, b *serverproc.Server
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); a = startProcessOn(t, db) }()
	go func() { defer wg.Done(); b = startProcessOn(t, db) }()
	wg.Wait()
	if a == nil || b == nil {
		t.FailNow()
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		done := 0
		for _, r := range registrationsAt(t, b.URL, "m") {
			if r.AnonymizedAt != nil && r.Email == "" && r.Status == models.StatusApproved {
				done++
			}
		}
		if done == len(emails) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d of %d registrations anonymized (and still approved)", done, len(emails))
		}
		time.Sleep(50 * time.Millisecond)
	}
	var log struct{ Events []struct{ Action string } }
	if _, err := adminClient(t, a.URL).Do("GET", "/api/meetings/m/audit?limit=1000", nil, &log); err != nil {
		t.Fatal(err)
	}
	lines := 0
	for _, ev := range log.Events {
		if ev.Action == "anonymize_registrations" {
			lines++
		}
	}
	if lines != 1 {
		t.Fatalf("%d anonymization lines in the audit log, want 1", lines)
	}
	var row models.RetentionSweep
	if err := gdb.First(&row, "name = ?", "anonymize").Error; err != nil {
		t.Fatal(err)
	}
	if row.LastCount != len(emails) || row.ClaimedUntil != nil || row.LastRunAt == nil {
		t.Fatalf("the sweep's row: %+v", row)
	}
	ran := a
	if strings.Contains(row.ClaimedBy, fmt.Sprintf(":%d#", b.Port)) {
		ran = b
	} else if !strings.Contains(row.ClaimedBy, fmt.Sprintf(":%d#", a.Port)) {
		t.Fatalf("the run was claimed by %q, neither instance", row.ClaimedBy)
	}

	// More registrations become due; the instance that ran the sweep is
	// killed and started again.
	seedPastRetention(t, ran, "n", 2)
	ran.Kill()
	if err := ran.Restart(context.Background()); err != nil {
		t.Fatal(err)
	}
	// An instance that answers has made its claim at start, or not.
	var after models.RetentionSweep
	if err := gdb.First(&after, "name = ?", "anonymize").Error; err != nil {
		t.Fatal(err)
	}
	if after.ClaimedBy != row.ClaimedBy || after.ClaimedUntil != nil || !after.NextAt.Equal(row.NextAt) {
		t.Fatalf("the restarted instance claimed the sweep again: %+v, was %+v", after, row)
	}
	for _, r := range registrationsAt(t, ran.URL, "n") {
		if r.AnonymizedAt != nil {
			t.Fatalf("a registration was anonymized by a sweep run twice in a day: %+v", r)
		}
	}
}
