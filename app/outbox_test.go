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
	if e.App.Handler.Outbox != e.App.Outbox {
		t.Fatal("handlers do not share the app's outbox worker")
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
