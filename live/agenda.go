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

// Actions of the audit log for agenda edits, each a change of the live
// list: every viewer's copy holds the agenda's titles and order.
const (
	ActEditItem     = "edit_item"
	ActReorderItems = "reorder_items"
	ActRemoveItem   = "remove_item"
)

// CodeItemSpoken refuses to delete an agenda item someone has spoken on:
// the record of the meeting (and the summary) holds that speech.
const CodeItemSpoken = "item_spoken"

// EditItem changes agenda item itemID of the meeting (meetings.EditItem)
// as a change of the live list: viewers get the item's new header.
func (s *Service) EditItem(ctx context.Context, a auth.Actor, meetingID, itemID uint, change func(*meetings.ItemEdit) error) (*models.AgendaItem, Result, error) {
	var item *models.AgendaItem
	seq, err := s.change(ctx, meetingID, func(tx *gorm.DB, lm *models.LiveMeeting, now time.Time) (int64, error) {
		var err error
		if item, err = meetings.EditItem(tx, meetingID, itemID, change); err != nil {
			return 0, err
		}
		f, err := loadFloor(tx, lm)
		if err != nil {
			return 0, err
		}
		var headers []ItemHeader
		for _, l := range f.Lists {
			if l.ItemID == itemID {
				h := headerOf(l)
				h.Title, h.SpeakingTimeSeconds = l.Title, l.SpeakingTimeSeconds
				headers = append(headers, h)
			}
		}
		detail := map[string]any{"item_id": item.ID, "title": item.Title, "speaking_time_seconds": item.SpeakingTimeSeconds,
			"starts_at": item.StartsAt, "ends_at": item.EndsAt}
		return record(tx, lm, a, now, ActEditItem, detail, Patch{CurrentItemID: lm.CurrentItemID, Items: headers})
	})
	return item, Result{Seq: seq}, err
}

// ReorderItems puts the meeting's agenda in the order of ids
// (meetings.ReorderItems) as a change of the live list.
func (s *Service) ReorderItems(ctx context.Context, a auth.Actor, meetingID uint, ids []uint) (Result, error) {
	seq, err := s.change(ctx, meetingID, func(tx *gorm.DB, lm *models.LiveMeeting, now time.Time) (int64, error) {
		if err := meetings.ReorderItems(tx, meetingID, ids); err != nil {
			return 0, err
		}
		order := append([]uint{}, ids...)
		return record(tx, lm, a, now, ActReorderItems, map[string]any{"ids": order},
			Patch{CurrentItemID: lm.CurrentItemID, AgendaOrder: order})
	})
	return Result{Seq: seq}, err
}

// RemoveItem deletes agenda item itemID of the meeting as a change of the
// live list, only while no one has been given the floor on it: its
// waiting requests are withdrawn with it, and it stops being the current
// item.
func (s *Service) RemoveItem(ctx context.Context, a auth.Actor, meetingID, itemID uint) (Result, error) {
	seq, err := s.change(ctx, meetingID, func(tx *gorm.DB, lm *models.LiveMeeting, now time.Time) (int64, error) {
		var spoken int64
		if err := tx.Model(&models.SpeakerEntry{}).Where("meeting_id = ? AND agenda_item_id = ? AND (started_at IS NOT NULL OR state IN ?)",
			meetingID, itemID, []string{models.SpeakerSpeaking, models.SpeakerDone}).Count(&spoken).Error; err != nil {
			return 0, err
		}
		if spoken > 0 {
			return 0, say(CodeItemSpoken, "err.live.item_spoken")
		}
		var withdrawn []uint
		if err := tx.Model(&models.SpeakerEntry{}).Where("meeting_id = ? AND agenda_item_id = ? AND state = ?",
			meetingID, itemID, models.SpeakerWaiting).Pluck("id", &withdrawn).Error; err != nil {
			return 0, err
		}
		// The item's list goes with it (the rows reference the item).
		if err := tx.Where("meeting_id = ? AND agenda_item_id = ?", meetingID, itemID).Delete(&models.SpeakerEntry{}).Error; err != nil {
			return 0, err
		}
		if err := tx.Where("meeting_id = ? AND agenda_item_id = ?", meetingID, itemID).Delete(&models.SpeakerList{}).Error; err != nil {
			return 0, err
		}
		item, err := meetings.DeleteItem(tx, meetingID, itemID)
		if err != nil {
			return 0, err
		}
		if lm.CurrentItemID != nil && *lm.CurrentItemID == itemID {
			lm.CurrentItemID = nil
		}
		detail := map[string]any{"item_id": itemID, "title": item.Title, "withdrawn_requests": withdrawn}
		return record(tx, lm, a, now, ActRemoveItem, detail, Patch{CurrentItemID: lm.CurrentItemID, RemovedItems: []uint{itemID}})
	})
	return Result{Seq: seq}, err
}
