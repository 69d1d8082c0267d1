package meetings

import (
	"context"
	"strings"

	"gorm.io/gorm"

	"rostrum/apperr"
	"rostrum/models"
)

// ItemInput is a new agenda item.
type ItemInput struct {
	Title               string `json:"title"`
	SpeakingTimeSeconds int    `json:"speaking_time_seconds"`
}

// Item validates in as a new agenda item of meeting meetingID. The live
// list's service appends it (live.Service.AddItem): an agenda item added
// during a meeting is a change every viewer must see.
func (in ItemInput) Item(meetingID uint) (*models.AgendaItem, error) {
	f := apperr.Fields{}
	title := strings.TrimSpace(in.Title)
	checkText(f, "title", title, 1, 300)
	secs := in.SpeakingTimeSeconds
	if secs == 0 {
		secs = 180
	}
	if secs < 10 || secs > 3600 {
		f.Add("speaking_time_seconds", "must be between 10 and 3600 seconds")
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	return &models.AgendaItem{MeetingID: meetingID, Title: title, SpeakingTimeSeconds: secs}, nil
}

// Items lists the meeting's agenda in order.
func (s *Service) Items(ctx context.Context, meetingID uint) ([]models.AgendaItem, error) {
	return ItemsIn(s.DB.WithContext(ctx), meetingID)
}

// ItemsIn lists the agenda of meetingID in order, read through db (the
// caller's transaction, or the database).
func ItemsIn(db *gorm.DB, meetingID uint) ([]models.AgendaItem, error) {
	var items []models.AgendaItem
	return items, db.Where("meeting_id = ?", meetingID).Order("position").Find(&items).Error
}

// ItemCount counts the items of meetingID's agenda.
func ItemCount(db *gorm.DB, meetingID uint) (int64, error) {
	var n int64
	return n, db.Model(&models.AgendaItem{}).Where("meeting_id = ?", meetingID).Count(&n).Error
}

// AppendItem stores item (from ItemInput.Item) at the end of its meeting's
// agenda inside tx, the live list's transaction that makes the new item a
// change every viewer sees (live.Service.AddItem).
func AppendItem(tx *gorm.DB, item *models.AgendaItem) error {
	var last struct{ P int }
	if err := tx.Model(&models.AgendaItem{}).Select("coalesce(max(position), 0) as p").
		Where("meeting_id = ?", item.MeetingID).Scan(&last).Error; err != nil {
		return err
	}
	item.Position = last.P + 1
	return tx.Create(item).Error
}
