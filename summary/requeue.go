package summary

import (
	"time"

	"gorm.io/gorm"

	"rostrum/models"
)

// requeue puts failed outbox messages back in the queue, due now.
func requeue(tx *gorm.DB, ids []uint) error {
	return tx.Model(&models.OutboxMessage{}).Where("id IN ? AND status = ?", ids, models.OutboxFailed).
		Updates(map[string]any{"status": models.OutboxPending, "attempts": 0, "last_error": "", "next_attempt_at": time.Now().UTC()}).Error
}
