package live

import (
	"context"
	"time"

	"gorm.io/gorm"

	"rostrum/auth"
	"rostrum/meetings"
	"rostrum/models"
)

// ActAddItem is the audit log's action for an agenda item appended to
// the agenda. It is not a command: the secretariat adds items through the
// meeting's agenda (POST /api/meetings/{slug}/agenda).
const ActAddItem = "add_item"

// AddItem appends item (validated: meetings.ItemInput.Item) to its
// meeting's agenda as a change of the live state, so that every viewer's
// list of items gains it at once: the item, the next seq and the audit row
// commit together, then the change is published, on a command's path
// (Service.change).
func (s *Service) AddItem(ctx context.Context, a auth.Actor, item *models.AgendaItem) (Result, error) {
	seq, err := s.change(ctx, item.MeetingID, func(tx *gorm.DB, lm *models.LiveMeeting, now time.Time) (int64, error) {
		if err := meetings.AppendItem(tx, item); err != nil {
			return 0, err
		}
		added := ItemState{ID: item.ID, Title: item.Title, SpeakingTimeSeconds: item.SpeakingTimeSeconds, Speakers: []*Entry{}}
		detail := map[string]any{"item_id": item.ID, "title": item.Title, "speaking_time_seconds": item.SpeakingTimeSeconds}
		return record(tx, lm, a, now, ActAddItem, detail, Patch{CurrentItemID: lm.CurrentItemID, AddedItems: []ItemState{added}})
	})
	return Result{Seq: seq}, err
}
