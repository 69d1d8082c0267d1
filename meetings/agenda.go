package meetings

import (
	"context"
	"strings"
	"time"

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
		f.Say("speaking_time_seconds", "err.meetings.speaking_time")
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

// ItemEdit is an agenda item as an edit sees it: the fields a PATCH
// names change, the rest keep their values. A slot is both times or
// neither (null clears it), in RFC 3339.
type ItemEdit struct {
	Title               string  `json:"title"`
	SpeakingTimeSeconds int     `json:"speaking_time_seconds"`
	StartsAt            *string `json:"starts_at"`
	EndsAt              *string `json:"ends_at"`
}

// itemOf locks nothing: it reads item id of meetingID through tx (the
// live list's transaction, which holds the meeting's lock).
func itemOf(tx *gorm.DB, meetingID, id uint) (*models.AgendaItem, error) {
	var items []models.AgendaItem
	if err := tx.Where("id = ? AND meeting_id = ?", id, meetingID).Limit(1).Find(&items).Error; err != nil {
		return nil, err
	}
	if len(items) == 0 {
		return nil, apperr.Say(apperr.KindNotFound, "err.live.no_item", "ID", id)
	}
	return &items[0], nil
}

// EditItem changes item id of meetingID inside tx (the live list's
// transaction: live.Service.EditItem) as change says, validated as a new
// item is, and returns it.
func EditItem(tx *gorm.DB, meetingID, id uint, change func(*ItemEdit) error) (*models.AgendaItem, error) {
	it, err := itemOf(tx, meetingID, id)
	if err != nil {
		return nil, err
	}
	ts := func(t *time.Time) *string {
		if t == nil {
			return nil
		}
		s := t.UTC().Format(time.RFC3339)
		return &s
	}
	in := ItemEdit{Title: it.Title, SpeakingTimeSeconds: it.SpeakingTimeSeconds, StartsAt: ts(it.StartsAt), EndsAt: ts(it.EndsAt)}
	if err := change(&in); err != nil {
		return nil, err
	}
	next, err := ItemInput{Title: in.Title, SpeakingTimeSeconds: in.SpeakingTimeSeconds}.Item(meetingID)
	if err != nil {
		return nil, err
	}
	if in.SpeakingTimeSeconds == 0 {
		return nil, apperr.Say(apperr.KindInvalid, "err.meetings.invalid_item").WithField("speaking_time_seconds", "err.meetings.speaking_time")
	}
	f := apperr.Fields{}
	var starts, ends *time.Time
	switch {
	case in.StartsAt == nil && in.EndsAt == nil:
	case in.StartsAt == nil || in.EndsAt == nil:
		f.Say("ends_at", "err.meetings.slot_both")
	default:
		loc, err := meetingZone(tx, meetingID)
		if err != nil {
			return nil, err
		}
		s, e := parseTime(f, "starts_at", *in.StartsAt, loc), parseTime(f, "ends_at", *in.EndsAt, loc)
		if len(f) == 0 && !e.After(s) {
			f.Say("ends_at", "err.meetings.ends_after")
		}
		starts, ends = &s, &e
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	it.Title, it.SpeakingTimeSeconds, it.StartsAt, it.EndsAt = next.Title, next.SpeakingTimeSeconds, starts, ends
	err = tx.Model(&models.AgendaItem{}).Where("id = ?", it.ID).Updates(map[string]any{
		"title": it.Title, "speaking_time_seconds": it.SpeakingTimeSeconds, "starts_at": it.StartsAt, "ends_at": it.EndsAt,
	}).Error
	return it, err
}

// ReorderItems puts meetingID's agenda in the order of ids, which must
// name each of its items exactly once, inside tx (the live list's
// transaction: live.Service.ReorderItems).
func ReorderItems(tx *gorm.DB, meetingID uint, ids []uint) error {
	items, err := ItemsIn(tx, meetingID)
	if err != nil {
		return err
	}
	have := map[uint]bool{}
	for _, it := range items {
		have[it.ID] = true
	}
	seen := map[uint]bool{}
	for _, id := range ids {
		if !have[id] || seen[id] {
			return badOrder()
		}
		seen[id] = true
	}
	if len(ids) != len(items) {
		return badOrder()
	}
	// Positions are unique per meeting: move every item out of the way
	// (negative positions) before giving each its new place.
	if err := tx.Model(&models.AgendaItem{}).Where("meeting_id = ?", meetingID).
		UpdateColumn("position", gorm.Expr("-position")).Error; err != nil {
		return err
	}
	for i, id := range ids {
		if err := tx.Model(&models.AgendaItem{}).Where("id = ?", id).UpdateColumn("position", i+1).Error; err != nil {
			return err
		}
	}
	return nil
}

// DeleteItem removes item id of meetingID inside tx (the live list's
// transaction: live.Service.RemoveItem, which first removes its list).
func DeleteItem(tx *gorm.DB, meetingID, id uint) (*models.AgendaItem, error) {
	it, err := itemOf(tx, meetingID, id)
	if err != nil {
		return nil, err
	}
	return it, tx.Where("id = ?", id).Delete(&models.AgendaItem{}).Error
}

// meetingZone is the time zone in which meetingID's times are typed.
func meetingZone(tx *gorm.DB, meetingID uint) (*time.Location, error) {
	var m models.Meeting
	if err := tx.Select("timezone").First(&m, meetingID).Error; err != nil {
		return nil, err
	}
	return Zone(m.Timezone), nil
}

// badOrder is the error of an order that does not name each agenda item
// of the meeting once.
func badOrder() error {
	return apperr.Say(apperr.KindInvalid, "err.meetings.order").WithField("ids", "err.meetings.order_ids")
}
