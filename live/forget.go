package live

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"gorm.io/gorm"

	"rostrum/auth"
	"rostrum/models"
	"rostrum/redact"
)

// ActEraseName is the live record's action when a participant's personal
// data are erased (package privacy): their requests for the floor keep
// their organization and stakeholder type, so the record and its balance
// stay true, and lose their name.
const ActEraseName = "erase_name"

// Request is one of a participant's requests for the floor, as their
// export shows it.
type Request struct {
	ID              uint       `json:"id"`
	ItemID          uint       `json:"item_id"`
	Name            string     `json:"name"`
	Organization    string     `json:"organization"`
	StakeholderType string     `json:"stakeholder_type"`
	Kind            string     `json:"kind"`
	State           string     `json:"state"`
	RequestedAt     time.Time  `json:"requested_at"`
	StartedAt       *time.Time `json:"started_at"`
	EndedAt         *time.Time `json:"ended_at"`
	SpokenMS        int64      `json:"spoken_ms"`
}

// RequestsOf lists every request for the floor registration regID made
// or was given in meeting meetingID, withdrawn ones too, oldest first.
func (s *Service) RequestsOf(ctx context.Context, meetingID, regID uint) ([]Request, error) {
	var es []models.SpeakerEntry
	if err := s.DB.WithContext(ctx).Where("meeting_id = ? AND registration_id = ?", meetingID, regID).
		Order("id").Find(&es).Error; err != nil {
		return nil, err
	}
	out := make([]Request, 0, len(es))
	for _, e := range es {
		out = append(out, Request{ID: e.ID, ItemID: e.AgendaItemID, Name: e.Name, Organization: e.Organization,
			StakeholderType: e.StakeholderType, Kind: e.Kind, State: e.State, RequestedAt: e.RequestedAt,
			StartedAt: e.StartedAt, EndedAt: e.EndedAt, SpokenMS: e.SpokenMS})
	}
	return out, nil
}

// EntryIDsOf lists the ids of registration regID's requests for the
// floor in meeting meetingID (the summary's notes are on them).
func (s *Service) EntryIDsOf(ctx context.Context, meetingID, regID uint) ([]uint, error) {
	var ids []uint
	err := s.DB.WithContext(ctx).Model(&models.SpeakerEntry{}).
		Where("meeting_id = ? AND registration_id = ?", meetingID, regID).Order("id").Pluck("id", &ids).Error
	return ids, err
}

// EventsAbout lists the live record's events about registration regID
// in meeting meetingID: those it made, and those naming it or one of its
// requests for the floor (a moderator adding it, giving it the floor,
// stopping its speech), oldest first.
func (s *Service) EventsAbout(ctx context.Context, meetingID, regID uint) ([]AuditEntry, error) {
	entries, err := s.EntryIDsOf(ctx, meetingID, regID)
	if err != nil {
		return nil, err
	}
	// Details are commands as encoding/json writes them: a field is
	// followed by a comma or the object's end.
	where := "registration_id = ?"
	args := []any{regID}
	mention := func(field string, id uint) {
		n := strconv.FormatUint(uint64(id), 10)
		where += ` OR detail LIKE ? ESCAPE '\' OR detail LIKE ? ESCAPE '\'`
		args = append(args, `%"`+field+`":`+n+`,%`, `%"`+field+`":`+n+`}%`)
	}
	mention("registration_id", regID)
	for _, id := range entries {
		mention("speaker_id", id)
	}
	var evs []models.LiveEvent
	if err := s.DB.WithContext(ctx).Where("meeting_id = ?", meetingID).Where(where, args...).
		Order("seq").Find(&evs).Error; err != nil {
		return nil, err
	}
	out := make([]AuditEntry, 0, len(evs))
	for _, ev := range evs {
		out = append(out, AuditEntry{Seq: ev.Seq, At: ev.At, Actor: ev.Actor, Action: ev.Action, Detail: json.RawMessage(ev.Detail)})
	}
	return out, nil
}

// Forget erases, inside tx (the erasure's transaction), the names of
// registration regID from meeting meetingID's live record: its requests
// for the floor lose their name (organization, stakeholder type, times
// stay, so the record, the balance and the summary's statistics do not
// change), its events name it by number only, and the patches of past
// changes no longer carry the names. When requests in the live state
// changed, the erasure is itself a change with the next seq, so every
// viewer's copy loses the name too: the caller calls Announce with the
// returned seq once tx has committed (0: nothing to announce).
func (s *Service) Forget(tx *gorm.DB, now time.Time, meetingID, regID uint, names []string) (int64, error) {
	// The list's lock first, as every change of it takes it.
	lm, err := lockMeeting(tx, meetingID)
	if err != nil {
		return 0, err
	}
	var inState []models.SpeakerEntry
	if err := tx.Where("meeting_id = ? AND registration_id = ?", meetingID, regID).Find(&inState).Error; err != nil {
		return 0, err
	}
	if err := tx.Model(&models.LiveEvent{}).Where("meeting_id = ? AND registration_id = ?", meetingID, regID).
		UpdateColumn("actor", "participant:"+strconv.FormatUint(uint64(regID), 10)).Error; err != nil {
		return 0, err
	}
	// Past patches hold the entries' names as whole JSON strings.
	for _, name := range names {
		if name == "" {
			continue
		}
		var evs []models.LiveEvent
		if err := tx.Select("id", "patch", "detail").Where(`meeting_id = ? AND (patch LIKE ? ESCAPE '\' OR detail LIKE ? ESCAPE '\')`,
			meetingID, "%"+redact.Like(redact.Quoted(name))+"%", "%"+redact.Like(redact.Quoted(name))+"%").Find(&evs).Error; err != nil {
			return 0, err
		}
		for _, ev := range evs {
			if err := tx.Model(&models.LiveEvent{}).Where("id = ?", ev.ID).Updates(map[string]any{
				"patch": redact.JSONValue(ev.Patch, name, ""), "detail": redact.JSONValue(ev.Detail, name, "")}).Error; err != nil {
				return 0, err
			}
		}
	}
	if len(inState) == 0 {
		return 0, nil
	}
	if err := tx.Model(&models.SpeakerEntry{}).Where("meeting_id = ? AND registration_id = ?", meetingID, regID).
		UpdateColumn("name", "").Error; err != nil {
		return 0, err
	}
	var changed []json.RawMessage
	for _, e := range inState {
		if e.State == models.SpeakerWithdrawn || e.Name == "" {
			continue // not in any viewer's copy, or nothing to change there
		}
		changed = append(changed, json.RawMessage(fmt.Sprintf(`{"id":%d,"item_id":%d,"name":""}`, e.ID, e.AgendaItemID)))
	}
	if len(changed) == 0 {
		return 0, nil
	}
	return record(tx, lm, auth.Actor{}, now.Truncate(time.Microsecond), ActEraseName,
		map[string]any{"registration_id": regID}, Patch{CurrentItemID: lm.CurrentItemID, Speakers: changed})
}

// Announce publishes a change Forget wrote, once its transaction has
// committed.
func (s *Service) Announce(ctx context.Context, meetingID uint, seq int64) {
	if seq > 0 {
		s.publish(ctx, meetingID, seq)
	}
}
