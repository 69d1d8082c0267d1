package faults_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"rostrum/internal/mailtest"
	"rostrum/internal/testenv"
)

// scheduleSummary schedules version 1 of circ's summary to its
// participants a few seconds from now and returns the circulation's id.
func scheduleSummary(t *testing.T, url string) uint {
	t.Helper()
	var c struct {
		ID    uint   `json:"id"`
		State string `json:"state"`
	}
	if _, err := adminClient(t, url).Do("POST", "/api/meetings/circ/circulations", map[string]any{
		"summary": 1, "to": map[string]any{"participants": true, "extra": []string{"press@un.example.org", "archive@un.example.org"}},
		"send_at": time.Now().Add(3 * time.Second).UTC().Format(time.RFC3339Nano),
	}, &c); err != nil {
		t.Fatal(err)
	}
	if c.State != "scheduled" {
		t.Fatalf("circulation %+v, want scheduled", c)
	}
	return c.ID
}

// eachOnce waits until every address of want has the summary and checks
// that none has it twice.
func eachOnce(t *testing.T, mail *mailtest.Server, want []string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	for {
		missing := 0
		for _, addr := range want {
			n := 0
			for _, m := range mail.To(addr) {
				if isCirculation(m) {
					n++
				}
			}
			if n > 1 {
				t.Errorf("%s received the summary %d times", addr, n)
			}
			if n == 0 {
				missing++
			}
		}
		if missing == 0 {
			return
		}
		if _, err := mail.Wait(ctx, mail.Count()+1); err != nil {
			t.Fatalf("%d of %d recipients still without the scheduled summary: %v", missing, len(want), err)
		}
	}
}

// A scheduled circulation survives its instance's SIGKILL: the instance
// started again sends it at its time, to each recipient once.
func TestAScheduledCirculationSurvivesAKilledInstance(t *testing.T) {
	mail := mailtest.Start(t)
	srv := startProcess(t, "ROSTRUM_SMTP_HOST="+mail.Host(), "ROSTRUM_SMTP_PORT="+strconv.Itoa(mail.Port()))
	_, want := approvedSummaryFor(t, srv.URL, 6)
	scheduleSummary(t, srv.URL)
	srv.Kill()
	if err := srv.Restart(context.Background()); err != nil {
		t.Fatal(err)
	}
	eachOnce(t, mail, want)
}

// Two instances on one PostgreSQL database both look for due
// circulations; one of them was killed and started again meanwhile.
// Each recipient gets the summary once.
func TestAScheduledCirculationGoesOnceFromTwoInstancesOnPostgreSQL(t *testing.T) {
	dsn := testenv.PostgresDSN(t)
	mail := mailtest.Start(t)
	env := []string{"ROSTRUM_SMTP_HOST=" + mail.Host(), "ROSTRUM_SMTP_PORT=" + strconv.Itoa(mail.Port())}
	a := startProcessOn(t, dsn, env...)
	b := startProcessOn(t, dsn, env...)
	_, want := approvedSummaryFor(t, a.URL, 10)
	scheduleSummary(t, b.URL)
	a.Kill()
	if err := a.Restart(context.Background()); err != nil {
		t.Fatal(err)
	}
	eachOnce(t, mail, want)
	// Still once, after both have looked again.
	var list struct {
		Circulations []struct {
			State string `json:"state"`
			Total int    `json:"total"`
		} `json:"circulations"`
	}
	if _, err := adminClient(t, a.URL).Do("GET", "/api/meetings/circ/circulations", nil, &list); err != nil {
		t.Fatal(err)
	}
	if len(list.Circulations) != 1 || list.Circulations[0].State != "sent" || list.Circulations[0].Total != len(want) {
		t.Errorf("circulations %+v", list.Circulations)
	}
}
