package app_test

import (
	"strings"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"

	"rostrum/app"
	"rostrum/internal/mailtest"
	"rostrum/internal/testenv"
	"rostrum/models"
	"rostrum/outbox"
)

func TestServerDeliversMailEnqueuedInATransaction(t *testing.T) {
	srv := mailtest.Start(t)
	e := testenv.New(t, testenv.WithSMTP(srv.Host(), srv.Port()))
	var row *models.OutboxMessage
	err := e.App.DB.Transaction(func(tx *gorm.DB) error {
		var err error
		row, err = outbox.Enqueue(tx, outbox.Message{Kind: "test", To: "someone@example.org", Subject: "Hello", Text: "Hi"})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	e.App.Outbox.Notify()
	msgs := srv.WaitFor(1, 10*time.Second)
	if msgs[0].To[0] != "someone@example.org" || msgs[0].From != "no-reply@rostrum.localhost" {
		t.Fatalf("envelope %q → %q", msgs[0].From, msgs[0].To)
	}
	_ = row
}

func TestShutdownRecordsTheMailInFlightBeforeClosingTheDatabase(t *testing.T) {
	srv := mailtest.Start(t)
	cfg := testenv.Config(t)
	cfg.SMTPHost, cfg.SMTPPort = srv.Host(), srv.Port()
	e := testenv.Start(t, cfg)
	stopped := make(chan struct{})
	var once sync.Once
	// The server begins shutting down while the mail server holds the
	// message, before it answers; the mail server is slow to answer (a
	// fault injected, not a wait for something to happen), so that a
	// shutdown that did not wait for the worker would close the database
	// first.
	srv.OnMessage(func(*mailtest.Message) {
		once.Do(func() {
			go func() {
				defer close(stopped)
				e.Stop()
			}()
			time.Sleep(300 * time.Millisecond)
		})
	})
	err := e.App.DB.Transaction(func(tx *gorm.DB) error {
		_, err := outbox.Enqueue(tx, outbox.Message{Kind: "test", To: "inflight@example.org", Subject: "Hello", Text: "Hi"})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	e.App.Outbox.Notify()
	select {
	case <-stopped:
	case <-time.After(20 * time.Second):
		t.Fatal("shutdown did not finish")
	}
	a, err := app.New(cfg, testenv.Logger(t)) // the same database, reopened
	if err != nil {
		t.Fatal(err)
	}
	defer a.Shutdown(time.Second)
	var got models.OutboxMessage
	if err := a.DB.First(&got).Error; err != nil {
		t.Fatal(err)
	}
	if got.Status != models.OutboxSent || srv.Count() != 1 {
		t.Fatalf("after shutdown: %+v (%d received)", got, srv.Count())
	}
}

func TestConfigRejectsBadOutboxSettings(t *testing.T) {
	_, err := app.LoadConfig("", []string{
		"ROSTRUM_SMTP_MAX_ATTEMPTS=0", "ROSTRUM_SMTP_RETRY_BASE=1ns", "ROSTRUM_SMTP_TIMEOUT=1h",
	})
	if err == nil {
		t.Fatal("bad outbox settings were accepted")
	}
	for _, key := range []string{"smtp_max_attempts", "smtp_retry_base", "smtp_timeout"} {
		if !strings.Contains(err.Error(), key) {
			t.Errorf("no line names %s: %v", key, err)
		}
	}
	cfg, err := app.LoadConfig("", []string{"ROSTRUM_SMTP_MAX_ATTEMPTS=4", "ROSTRUM_SMTP_RETRY_BASE=30s"})
	if err != nil || cfg.SMTPMaxAttempts != 4 || cfg.SMTPRetryBase != 30*time.Second {
		t.Fatalf("cfg %+v, err %v", cfg, err)
	}
}

// Issue 2's mail rule end to end: a registration succeeds while the mail
// server is down, and its confirmation goes out once the server is back,
// exactly once, with the manage link.
func TestRegistrationWhileMailServerIsDownIsConfirmedOnceItReturns(t *testing.T) {
	srv := mailtest.Start(t)
	srv.Stop()
	e := testenv.New(t, testenv.WithSMTP(srv.Host(), srv.Port()), testenv.WithQuickMailRetries())
	e.Admin().MustJSON("POST", "/api/meetings", map[string]any{
		"slug": "iim", "title": "Informal intersessional consultative meeting",
		"venue": "UN Headquarters, Conference Room 1", "starts_at": "2030-12-02T10:00:00-05:00",
		"ends_at": "2030-12-04T18:00:00-05:00", "timezone": "America/New_York",
		"registration_closes_at": "2030-11-25T23:59:00-05:00", "capacity": 0,
		"max_per_organization": 0, "attribution": "chatham_house",
	}, 201, nil)
	var reg struct {
		ManageURL string `json:"manage_url"`
	}
	e.Anon().MustJSON("POST", "/api/meetings/iim/registrations", map[string]any{
		"organization": map[string]any{"name": "Access Now", "acronym": "", "type": "ngo", "country": "KE", "website": "", "ecosoc_status": "none"},
		"name":         "Ana Pérez", "email": "ana@example.org", "job_title": "Policy officer", "consent": true,
	}, 201, &reg)

	// The worker has tried and failed at least once before the server
	// comes back (so the test proves the retry, not a lucky first try).
	waitRow(t, e, func(m models.OutboxMessage) bool { return m.Attempts >= 1 && m.Status == models.OutboxPending })
	srv.Restart()
	msgs := srv.WaitTo("ana@example.org", 1, 20*time.Second)
	if !strings.Contains(msgs[0].Text, reg.ManageURL) {
		t.Fatalf("confirmation lacks the manage link %s:\n%s", reg.ManageURL, msgs[0].Text)
	}
	waitRow(t, e, func(m models.OutboxMessage) bool { return m.Status == models.OutboxSent })
	if n := len(srv.To("ana@example.org")); n != 1 {
		t.Fatalf("ana@ received %d messages, want exactly 1", n)
	}
}

// waitRow waits until the only outbox row satisfies ok, looking again
// each time the server's outbox worker records an attempt.
func waitRow(t *testing.T, e *testenv.Env, ok func(models.OutboxMessage) bool) {
	t.Helper()
	deadline := time.NewTimer(20 * time.Second)
	defer deadline.Stop()
	for {
		changed := e.App.Outbox.Changed()
		var m models.OutboxMessage
		if err := e.App.DB.Order("id").First(&m).Error; err == nil && ok(m) {
			return
		}
		select {
		case <-changed:
		case <-deadline.C:
			t.Fatalf("outbox row never reached the expected state: %+v", m)
		}
	}
}
