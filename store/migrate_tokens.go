package store

import (
	"regexp"

	"gorm.io/gorm"
)

// migrateTokenHashOnly is migration 0009. Participants' private tokens
// were stored in plain text beside their hash, and every mail that
// carried a manage link stayed in the outbox with it: a copy of the
// database was a copy of every participant's link. Afterwards only the
// hash is stored:
//
//   - registrations.token is dropped. The model no longer has the column
//     (it would be NOT NULL without a default, so inserts without it
//     would fail had it stayed); SQLite has dropped columns in place
//     since 3.35, and the column is in no index.
//   - delivered mail has its links' tokens replaced by
//     outbox.Redacted; mail not yet delivered (pending, or failed and
//     waiting to be re-sent) keeps its link until it is, with the token
//     in outbox_messages.secret for the worker to remove then.
//
// The SQL statements below, not the models of the day, say what it does,
// so that it keeps doing the same when the models change. Rows whose
// bodies are rewritten may linger in free pages of SQLite's file (and in
// PostgreSQL's dead tuples) until VACUUM.
func migrateTokenHashOnly(tx *gorm.DB) error {
	// A database created after the models changed but while 0001 and
	// 0002 migrated the models of the day (before their definitions were
	// frozen) has no token column, and its outbox already has a secret
	// column.
	if !tx.Migrator().HasColumn("outbox_messages", "secret") {
		if err := tx.Exec(`ALTER TABLE outbox_messages ADD COLUMN secret VARCHAR(100) NOT NULL DEFAULT ''`).Error; err != nil {
			return err
		}
	}
	if tx.Migrator().HasColumn("registrations", "token") {
		if err := tx.Exec(`ALTER TABLE registrations DROP COLUMN token`).Error; err != nil {
			return err
		}
	}
	return scrubManageLinks(tx)
}

// manageLink matches the token of a manage link, /r/<token> (tokens are
// 43 characters of base64url; auth.Participant accepts 20 to 100).
var manageLink = regexp.MustCompile(`/r/([A-Za-z0-9_-]{20,100})`)

// redactedToken is outbox.Redacted (store cannot import outbox).
const redactedToken = "[removed-once-delivered]"

// scrubManageLinks removes the tokens of manage links from delivered
// mail and marks each undelivered message's token as its secret, a
// batch of rows at a time.
func scrubManageLinks(tx *gorm.DB) error {
	type row struct {
		ID     uint
		Status string
		Text   string
		HTML   string
	}
	var last uint
	for {
		var rows []row
		err := tx.Table("outbox_messages").Select("id, status, text, html").
			Where("id > ? AND (text LIKE ? OR html LIKE ?)", last, "%/r/%", "%/r/%").
			Order("id").Limit(500).Find(&rows).Error
		if err != nil || len(rows) == 0 {
			return err
		}
		for _, r := range rows {
			last = r.ID
			var tokens []string
			for _, m := range manageLink.FindAllStringSubmatch(r.Text+"\n"+r.HTML, -1) {
				tokens = append(tokens, m[1])
			}
			if len(tokens) == 0 {
				continue
			}
			var cols map[string]any
			if r.Status == "sent" {
				redact := func(s string) string { return manageLink.ReplaceAllString(s, "/r/"+redactedToken) }
				cols = map[string]any{"text": redact(r.Text), "html": redact(r.HTML), "secret": ""}
			} else {
				// One link per registration mail: its token is the secret.
				cols = map[string]any{"secret": tokens[0]}
			}
			if err := tx.Table("outbox_messages").Where("id = ?", r.ID).Updates(cols).Error; err != nil {
				return err
			}
		}
	}
}
