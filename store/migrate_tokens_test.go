package store

import (
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-gormigrate/gormigrate/v2"
)

// A database from before 0009 holds participants' tokens in plain text
// and in the manage links of its mail. After the migration the token
// column is gone, delivered mail holds no token, and mail not yet
// delivered keeps its link with the token as its secret, for the worker
// to remove once it is delivered.
func TestTokenHashOnlyMigrationLeavesNoTokenInTheDatabase(t *testing.T) {
	db, err := Open(filepath.Join(t.TempDir(), "old.db"), slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = Close(db) })
	if err := gormigrate.New(db, gormigrate.DefaultOptions, migrations).MigrateTo("0007_rate_limits"); err != nil {
		t.Fatal(err)
	}
	const sentTok, pendingTok = "SentTokenSentTokenSentTokenSentTokenSentTok", "PendTokenPendTokenPendTokenPendTokenPendTok"
	day := time.Date(2030, 12, 2, 10, 0, 0, 0, time.UTC)
	exec := func(q string, args ...any) {
		t.Helper()
		if err := db.Exec(q, args...).Error; err != nil {
			t.Fatal(err)
		}
	}
	exec(`INSERT INTO meetings (id, slug, title, starts_at, ends_at, registration_closes_at, created_at) VALUES (1, 'm', 'M', ?, ?, ?, ?)`, day, day, day, day)
	exec(`INSERT INTO organizations (id, name, name_key, type, country, created_at) VALUES (1, 'Org', 'org', 'ngo', 'KE', ?)`, day)
	for i, tok := range []string{sentTok, pendingTok} {
		exec(`INSERT INTO registrations (meeting_id, organization_id, name, email, status, token, token_hash, consent_at, created_at, updated_at)
			VALUES (1, 1, 'P', ?, 'pending', ?, ?, ?, ?, ?)`, []string{"a@example.org", "b@example.org"}[i], tok, "hash"+tok, day, day, day)
	}
	mail := func(status, tok string) {
		exec(`INSERT INTO outbox_messages (kind, to_addr, subject, text, html, status, next_attempt_at, created_at)
			VALUES ('registration_confirmation', 'a@example.org', 'S', ?, ?, ?, ?, ?)`,
			"Your link:\nhttps://rostrum.example/r/"+tok+"\n", `<a href="https://rostrum.example/r/`+tok+`">link</a>`, status, day, day)
	}
	mail("sent", sentTok)
	mail("pending", pendingTok)
	exec(`INSERT INTO outbox_messages (kind, to_addr, subject, text, status, next_attempt_at, created_at)
		VALUES ('circulation', 'c@example.org', 'S', 'See https://rostrum.example/m/m/summary', 'sent', ?, ?)`, day, day)

	if err := Migrate(db); err != nil {
		t.Fatal(err)
	}
	if db.Migrator().HasColumn("registrations", "token") {
		t.Fatal("registrations still has its token column")
	}
	var msgs []struct {
		Status, Text, HTML, Secret string
	}
	if err := db.Table("outbox_messages").Order("id").Find(&msgs).Error; err != nil {
		t.Fatal(err)
	}
	if m := msgs[0]; strings.Contains(m.Text+m.HTML, sentTok) || !strings.Contains(m.Text, "/r/[removed-once-delivered]") || m.Secret != "" {
		t.Errorf("delivered mail after the migration: %+v", m)
	}
	if m := msgs[1]; !strings.Contains(m.Text, pendingTok) || m.Secret != pendingTok {
		t.Errorf("mail still to deliver after the migration: %+v", m)
	}
	if m := msgs[2]; m.Text != "See https://rostrum.example/m/m/summary" || m.Secret != "" {
		t.Errorf("other mail after the migration: %+v", m)
	}
	var n int64
	if err := db.Table("registrations").Count(&n).Error; err != nil || n != 2 {
		t.Fatalf("%d registrations, %v", n, err)
	}
}
