package summary

import (
	"context"
	"encoding/json"
	"strconv"
	"time"

	"gorm.io/gorm"

	"rostrum/models"
	"rostrum/redact"
)

// Forget erases, inside tx (the erasure's transaction), a person's
// names and address from what the summary keeps of meeting meetingID:
// every rapporteur's note of the meeting has the names replaced
// (redact.Prose: a note may name the speaker, or reply to them), and the
// circulations' recipients at address lose it and their name. Versions
// of the Chair's summary are left as they are: drafted from the record,
// they name organizations and stakeholder groups, never a person, and an
// approved or circulated version is an issued document.
func (s *Service) Forget(tx *gorm.DB, meetingID uint, names []string, address string) error {
	// Every note of the meeting is read and matched here, not in SQL:
	// SQLite's LOWER folds ASCII only, and a name may be written in any
	// case. An erasure is rare and a meeting's notes are few.
	var notes []models.SpeakerNote
	if err := tx.Select("id", "text", "key_points").Where("meeting_id = ?", meetingID).Find(&notes).Error; err != nil {
		return err
	}
	for _, n := range notes {
		text, kps := n.Text, n.KeyPoints
		for _, name := range names {
			text, kps = redact.Prose(text, name), redact.ProseInJSON(kps, name)
		}
		if text == n.Text && kps == n.KeyPoints {
			continue
		}
		if err := tx.Model(&models.SpeakerNote{}).Where("id = ?", n.ID).
			UpdateColumns(map[string]any{"text": text, "key_points": kps}).Error; err != nil {
			return err
		}
	}
	if address == "" {
		return nil
	}
	var recipients []models.CirculationRecipient
	if err := tx.Select("circulation_recipients.id").Joins("JOIN circulations ON circulations.id = circulation_recipients.circulation_id").
		Where("circulations.meeting_id = ? AND circulation_recipients.address = ?", meetingID, address).Find(&recipients).Error; err != nil {
		return err
	}
	for _, r := range recipients {
		// The address is unique within a circulation: each erased
		// recipient gets its own mark.
		if err := tx.Model(&models.CirculationRecipient{}).Where("id = ?", r.ID).
			UpdateColumns(map[string]any{"address": "erased:" + strconv.FormatUint(uint64(r.ID), 10), "name": ""}).Error; err != nil {
			return err
		}
	}
	return nil
}

// NoteOn is a rapporteur's note on one of a participant's interventions,
// as their export shows it.
type NoteOn struct {
	SpeakerID uint       `json:"speaker_id"`
	Text      string     `json:"text"`
	KeyPoints []KeyPoint `json:"key_points"`
	UpdatedAt time.Time  `json:"updated_at"`
}

// NotesOn lists the notes written on the speaker entries ids.
func (s *Service) NotesOn(ctx context.Context, ids []uint) ([]NoteOn, error) {
	out := []NoteOn{}
	if len(ids) == 0 {
		return out, nil
	}
	var notes []models.SpeakerNote
	if err := s.DB.WithContext(ctx).Where("speaker_entry_id IN ?", ids).Order("speaker_entry_id").Find(&notes).Error; err != nil {
		return nil, err
	}
	for _, n := range notes {
		v := NoteOn{SpeakerID: n.SpeakerEntryID, Text: n.Text, KeyPoints: []KeyPoint{}, UpdatedAt: n.UpdatedAt}
		_ = json.Unmarshal([]byte(n.KeyPoints), &v.KeyPoints)
		out = append(out, v)
	}
	return out, nil
}
