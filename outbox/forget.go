package outbox

import (
	"context"
	"strings"
	"time"

	"gorm.io/gorm"

	"rostrum/models"
)

// Erased is what an erased message's stored subject and bodies hold.
const Erased = "[erased]"

// ErasedError is the last error of a message that was waiting when its
// recipient's data were erased: it will never be sent.
const ErasedError = "not sent: the recipient's personal data were erased"

// Forget erases, inside tx (the erasure's transaction), every message to
// address: its address, name, subject and bodies. A message still
// waiting is given up (failed, with ErasedError) and loses its claim, so
// a worker sending it at this moment cannot write its copy back; a
// message being handed to the SMTP server at this very moment may still
// arrive, once. Kind, dates and delivery status stay, so a
// circulation's progress still adds up.
func Forget(tx *gorm.DB, address string) error {
	if address == "" {
		return nil
	}
	erase := map[string]any{"to_addr": "", "to_name": "", "subject": Erased, "text": Erased, "html": "",
		"secret": "", "claim_token": "", "claimed_until": nil}
	if err := tx.Model(&models.OutboxMessage{}).Where("to_addr = ? AND status = ?", address, models.OutboxPending).
		Updates(merge(erase, map[string]any{"status": models.OutboxFailed, "last_error": ErasedError})).Error; err != nil {
		return err
	}
	return tx.Model(&models.OutboxMessage{}).Where("to_addr = ?", address).Updates(erase).Error
}

func merge(a, b map[string]any) map[string]any {
	out := make(map[string]any, len(a)+len(b))
	for k, v := range a {
		out[k] = v
	}
	for k, v := range b {
		out[k] = v
	}
	return out
}

// Mail is a message as the export of its recipient's data shows it.
type Mail struct {
	ID        uint       `json:"id"`
	Kind      string     `json:"kind"`
	To        string     `json:"to"`
	ToName    string     `json:"to_name"`
	Subject   string     `json:"subject"`
	Text      string     `json:"text"`
	Status    string     `json:"status"`
	CreatedAt time.Time  `json:"created_at"`
	SentAt    *time.Time `json:"sent_at"`
}

// MailTo lists the messages to address, oldest first, with their text
// as stored (a private link already delivered reads Redacted; one not yet
// delivered is shown as Redacted too: the export is not a way to a link).
func MailTo(ctx context.Context, db *gorm.DB, address string) ([]Mail, error) {
	out := []Mail{}
	if address == "" {
		return out, nil
	}
	var rows []models.OutboxMessage
	if err := db.WithContext(ctx).Where("to_addr = ?", address).Order("id").Find(&rows).Error; err != nil {
		return nil, err
	}
	for _, r := range rows {
		text := r.Text
		if r.Secret != "" {
			text = strings.ReplaceAll(text, r.Secret, Redacted)
		}
		out = append(out, Mail{ID: r.ID, Kind: r.Kind, To: r.ToAddr, ToName: r.ToName, Subject: r.Subject,
			Text: text, Status: r.Status, CreatedAt: r.CreatedAt, SentAt: r.SentAt})
	}
	return out, nil
}
