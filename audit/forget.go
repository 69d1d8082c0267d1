package audit

import (
	"context"
	"encoding/json"
	"strconv"

	"gorm.io/gorm"

	"rostrum/models"
	"rostrum/redact"
)

// aboutPatterns are LIKE patterns that find the lines of a meeting's log
// about registration id: the registration decided or renamed
// ("registration_id"), or promoted from the waiting list by another's
// decision (an "id" in "promoted").
func aboutPatterns(id uint) []string {
	n := strconv.FormatUint(uint64(id), 10)
	return []string{`%"registration_id":` + n + `,%`, `%"registration_id":` + n + `}%`, `%{"id":` + n + `,%`}
}

// About lists the lines of meeting meetingID's log about registration
// regID, oldest first (a participant's export).
func (s *Service) About(ctx context.Context, meetingID, regID uint) ([]Event, error) {
	p := aboutPatterns(regID)
	var evs []models.AuditEvent
	if err := s.DB.WithContext(ctx).Where(`meeting_id = ? AND (detail LIKE ? ESCAPE '\' OR detail LIKE ? ESCAPE '\' OR detail LIKE ? ESCAPE '\' OR actor LIKE ? ESCAPE '\')`,
		meetingID, p[0], p[1], p[2], "participant:"+strconv.FormatUint(uint64(regID), 10)+" %").Order("at, id").Find(&evs).Error; err != nil {
		return nil, err
	}
	out := make([]Event, 0, len(evs))
	for _, ev := range evs {
		out = append(out, Event{At: ev.At, Actor: ev.Actor, Action: ev.Action, Detail: json.RawMessage(ev.Detail)})
	}
	return out, nil
}

// Forget erases, inside tx (the erasure's transaction), a person's names
// and address from meeting meetingID's log: every line keeps its action,
// time and registration numbers, and the details that held a name or the
// address as a whole value hold "" instead; lines the participant made
// name them by number only. (A namesake's name in the same log is erased
// too: the log is matched by value, and the price of that is a blank
// where a name was.)
func (s *Service) Forget(tx *gorm.DB, meetingID, regID uint, names []string, address string) error {
	label := "participant:" + strconv.FormatUint(uint64(regID), 10)
	if err := tx.Model(&models.AuditEvent{}).Where(`meeting_id = ? AND actor LIKE ? ESCAPE '\'`, meetingID, label+" %").
		UpdateColumn("actor", label).Error; err != nil {
		return err
	}
	for _, v := range append(append([]string{}, names...), address) {
		if v == "" {
			continue
		}
		var evs []models.AuditEvent
		if err := tx.Select("id", "detail").Where(`meeting_id = ? AND detail LIKE ? ESCAPE '\'`,
			meetingID, "%"+redact.Like(redact.Quoted(v))+"%").Find(&evs).Error; err != nil {
			return err
		}
		for _, ev := range evs {
			if err := tx.Model(&models.AuditEvent{}).Where("id = ?", ev.ID).
				UpdateColumn("detail", redact.JSONValue(ev.Detail, v, "")).Error; err != nil {
				return err
			}
		}
	}
	return nil
}
