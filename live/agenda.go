package live

import (
	"context"
	"time"

	"gorm.io/gorm"

	"rostrum/auth"
	"rostrum/models"
)

// ActAddItem is the audit log's action for an agenda item appended to
// the agenda. It is not a command: the secretariat adds items through the
// meeting's agenda (POST /api/meetings/{slug}/agenda).
const ActAddItem = "add_item"

// AddItem appends item (validated: meetings.ItemInput.Item) to its
// meeting's agenda as a change of the live state, so that every viewer's
// list of items gains it at once: the item, the next seq and the audit row
// commit together, then the change is published like a command's.
func (s *Service) AddItem(ctx context.Context, a auth.Actor, item *models.AgendaItem) (Result, error) {
	var res Result
	err := s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		lm, err := lockMeeting(tx, item.MeetingID)
		if err != nil {
			return err
		}
		var last struct{ P int }
		if err := tx.Model(&models.AgendaItem{}).Select("coalesce(max(position), 0) as p").
			Where("meeting_id = ?", item.MeetingID).Scan(&last).Error; err != nil {
			return err
		}
		item.Position = last.P + 1
		if err := tx.Create(item).Error; err != nil {
			return err
		}
		added := ItemState{ID: item.ID, Title: item.Title, SpeakingTimeSeconds: item.SpeakingTimeSeconds, Speakers: []*Entry{}}
		detail := map[string]any{"item_id": item.ID, "title": item.Title, "speaking_time_seconds": item.SpeakingTimeSeconds}
		res.Seq, err = record(tx, lm, a, s.Now().Truncate(time.Microsecond), ActAddItem, detail,
			Patch{CurrentItemID: lm.CurrentItemID, AddedItems: []ItemState{added}})
		return err
	})
	if err != nil {
		return Result{}, err
	}
	s.publish(ctx, item.MeetingID, res.Seq)
	return res, nil
}
