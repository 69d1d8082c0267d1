// Package outbox is Rostrum's persistent mail queue. A capability enqueues
// a message inside its own database transaction, so that a registration
// (or a circulation) and its mail are stored together or not at all; a
// worker delivers queued mail over SMTP with retries and backoff, so that
// nothing acknowledged is lost while the mail server is down.
//
// Delivery is at least once, and exactly once except in one window that no
// SMTP sender can close: when the mail server has accepted a message but the
// worker dies (or the connection drops) before it records the message as
// sent, the message goes out again on the next attempt. The worker records
// each message right after the server's 250 reply, so the window holds at
// most the one message in flight, and every attempt carries the same
// Message-ID header so that receivers can drop the duplicate.
package outbox

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"mime"
	"net/mail"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"rostrum/apperr"
	"rostrum/models"
)

// Attachment is a file sent with a message.
type Attachment struct {
	Filename    string
	ContentType string // e.g. application/pdf; empty means application/octet-stream
	Data        []byte
}

// Message is one email to one recipient.
type Message struct {
	// Kind says what the mail is for, e.g. "registration_confirmation",
	// "decision", "circulation".
	Kind    string
	To      string // address
	ToName  string // display name, may be empty
	Subject string
	Text    string // plain-text body (always set)
	HTML    string // optional HTML alternative (already escaped)
	// Ref, when set, is unique across the outbox: enqueueing a second
	// message with the same Ref returns the first and stores nothing.
	Ref         string
	Attachments []Attachment
	// Secret, when set, is a secret that Text (and HTML) carry, such as
	// the token of a private link. The outbox keeps it only until the
	// message is delivered: recording the delivery replaces it with
	// Redacted in the stored bodies, in the same statement. A message
	// that failed for good keeps it, so that it can be sent again.
	Secret string
}

// Redacted is what a delivered message's stored bodies hold in place of
// its Secret.
const Redacted = "[removed-once-delivered]"

// Limits on what a message may hold; the column sizes of
// models.OutboxMessage.
const (
	maxKind     = 40
	maxAddr     = 254
	maxName     = 200
	maxSubject  = 500
	maxRef      = 200
	maxSecret   = 100
	maxFilename = 255
	maxAttach   = 25 << 20 // per attachment
)

// Validate checks m and returns an apperr.Invalid naming each bad field.
// Header fields (subject, recipient name, attachment names) must not hold
// line breaks, which would let their text add headers of its own.
func (m Message) Validate() error {
	f := apperr.Fields{}
	switch {
	case strings.TrimSpace(m.Kind) == "":
		f.Say("kind", "err.field.required")
	case len(m.Kind) > maxKind:
		f.Say("kind", "err.summary.at_most_chars", "Max", maxKind)
	}
	if m.To == "" {
		f.Say("to", "err.field.required")
	} else if a, err := mail.ParseAddress(m.To); err != nil || a.Address != m.To || a.Name != "" {
		f.Say("to", "err.outbox.bare_address")
	} else if len(m.To) > maxAddr {
		f.Say("to", "err.summary.at_most_chars", "Max", maxAddr)
	}
	headerText(f, "to_name", m.ToName, maxName, false)
	headerText(f, "subject", m.Subject, maxSubject, true)
	if strings.TrimSpace(m.Text) == "" {
		f.Say("text", "err.field.required")
	} else if !utf8.ValidString(m.Text) {
		f.Say("text", "err.summary.utf8")
	}
	if !utf8.ValidString(m.HTML) {
		f.Say("html", "err.summary.utf8")
	}
	switch {
	case m.Secret == "":
	case len(m.Secret) < 16 || len(m.Secret) > maxSecret:
		f.Say("secret", "err.outbox.secret_size", "Max", maxSecret)
	case !strings.Contains(m.Text, m.Secret):
		f.Say("secret", "err.outbox.secret_in_text")
	}
	if len(m.Ref) > maxRef {
		f.Say("ref", "err.summary.at_most_chars", "Max", maxRef)
	}
	for i, a := range m.Attachments {
		field := fmt.Sprintf("attachments[%d]", i)
		headerText(f, field+".filename", a.Filename, maxFilename, true)
		if strings.ContainsAny(a.Filename, `/\"`) {
			f.Say(field+".filename", "err.outbox.filename")
		}
		if a.ContentType != "" {
			if mt, params, err := mime.ParseMediaType(a.ContentType); err != nil || len(params) > 0 || !strings.Contains(mt, "/") || len(a.ContentType) > 255 {
				f.Say(field+".content_type", "err.outbox.media_type")
			}
		}
		if len(a.Data) == 0 {
			f.Say(field+".data", "err.outbox.empty")
		} else if len(a.Data) > maxAttach {
			f.Say(field+".data", "err.outbox.at_most_bytes", "Max", maxAttach)
		}
	}
	return f.Err()
}

// headerText checks a value that goes into a mail header.
func headerText(f apperr.Fields, field, v string, max int, required bool) {
	switch {
	case required && strings.TrimSpace(v) == "":
		f.Say(field, "err.field.required")
	case strings.ContainsAny(v, "\r\n"):
		f.Say(field, "err.outbox.single_line")
	case !utf8.ValidString(v):
		f.Say(field, "err.summary.utf8")
	case strings.ContainsFunc(v, func(r rune) bool { return unicode.IsControl(r) && r != '\t' }):
		f.Say(field, "err.field.controls")
	case utf8.RuneCountInString(v) > max:
		f.Say(field, "err.summary.at_most_chars", "Max", max)
	}
}

// Enqueue validates m and stores it in the caller's transaction tx. The
// message goes out after tx commits (call Worker.Notify then to send it at
// once). An invalid message is refused with an apperr.Invalid and nothing
// is stored. With a Ref already in the outbox, Enqueue returns the stored
// message and stores nothing.
func Enqueue(tx *gorm.DB, m Message) (*models.OutboxMessage, error) {
	if err := m.Validate(); err != nil {
		return nil, err
	}
	row := &models.OutboxMessage{
		Kind: m.Kind, ToAddr: m.To, ToName: m.ToName, Subject: m.Subject,
		Text: m.Text, HTML: m.HTML, Secret: m.Secret, Status: models.OutboxPending,
		NextAttemptAt: time.Now().UTC(), MessageKey: newKey(),
	}
	if m.Ref != "" {
		ref := m.Ref
		row.Ref = &ref
		var existing models.OutboxMessage
		err := tx.Where("ref = ?", ref).Limit(1).Find(&existing).Error
		if err != nil {
			return nil, err
		}
		if existing.ID != 0 {
			return &existing, nil
		}
	}
	if err := tx.Create(row).Error; err != nil {
		if errors.Is(err, gorm.ErrDuplicatedKey) {
			return nil, apperr.Say(apperr.KindConflict, "err.outbox.ref_busy", "Ref", strconv.Quote(m.Ref))
		}
		return nil, fmt.Errorf("enqueue mail: %w", err)
	}
	for i, a := range m.Attachments {
		sha, err := storeBlob(tx, a.Data)
		if err != nil {
			return nil, err
		}
		ct := a.ContentType
		if ct == "" {
			ct = "application/octet-stream"
		}
		att := &models.OutboxAttachment{OutboxMessageID: row.ID, Position: i, Filename: a.Filename, ContentType: ct, BlobSHA256: sha}
		if err := tx.Omit(clause.Associations).Create(att).Error; err != nil {
			return nil, fmt.Errorf("enqueue attachment: %w", err)
		}
	}
	return row, nil
}

// storeBlob stores data once under its SHA-256 and returns the hash. It
// looks before inserting, so that a thousand messages with the same PDF
// send the PDF's bytes to the database once.
func storeBlob(tx *gorm.DB, data []byte) (string, error) {
	sum := sha256.Sum256(data)
	sha := hex.EncodeToString(sum[:])
	var n int64
	if err := tx.Model(&models.OutboxBlob{}).Where("sha256 = ?", sha).Count(&n).Error; err != nil {
		return "", fmt.Errorf("look up attachment: %w", err)
	}
	if n > 0 {
		return sha, nil
	}
	blob := &models.OutboxBlob{SHA256: sha, Size: int64(len(data)), Data: data, CreatedAt: time.Now().UTC()}
	// Another transaction may store the same bytes at the same moment.
	if err := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(blob).Error; err != nil {
		return "", fmt.Errorf("store attachment: %w", err)
	}
	return sha, nil
}

// newKey returns a random identifier for a message's Message-ID.
func newKey() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
