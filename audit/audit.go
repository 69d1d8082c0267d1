// Package audit is the meeting's audit log of changes made outside its
// live list: registration decisions (single and bulk), name-change
// decisions, edits and merges of organizations, edits of the meeting,
// versions and edits of the Chair's summary, their approval and
// circulation. The live list audits its own changes (agenda edits among
// them) as live events; GET /api/meetings/{slug}/audit merges the two in
// time order (Merge).
//
// The rule: a row is written by the package that owns the change, with
// Record, inside the transaction of the change, so that a change and its
// audit row are stored together or not at all. No handler writes a row
// after the fact. The owner is told who acts (an auth.Actor argument).
//
// Organizations belong to no meeting: an edit or a merge of one is
// recorded once in each meeting where it has registrations (for a merge,
// where the registrations moved). An organization with no registration
// concerns no meeting's log and its edit is recorded nowhere.
package audit

import (
	"context"
	"encoding/json"
	"sort"
	"strconv"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"rostrum/auth"
	"rostrum/models"
)

// Entry is one change to record.
type Entry struct {
	MeetingID uint
	Actor     auth.Actor
	Action    string
	Detail    any
}

// Record writes e inside tx, the transaction of the change it reports, at
// time at.
func Record(tx *gorm.DB, at time.Time, e Entry) error {
	d, err := json.Marshal(e.Detail)
	if err != nil {
		return err
	}
	ev := models.AuditEvent{MeetingID: e.MeetingID, At: at.UTC().Truncate(time.Microsecond),
		Actor: Label(e.Actor), Action: e.Action, Detail: string(d)}
	if e.Actor.User != nil {
		ev.UserID = &e.Actor.User.ID
	}
	return tx.Omit(clause.Associations).Create(&ev).Error
}

// Label names who made a change, as the live list's audit does: a staff
// account by email, a participant by registration (never by token).
func Label(a auth.Actor) string {
	switch {
	case a.User != nil:
		return "staff:" + a.User.Email
	case a.Registration != nil:
		return "participant:" + strconv.FormatUint(uint64(a.Registration.ID), 10) + " " + a.Registration.Name
	}
	return "system"
}

// RecordEach writes e once for each meeting of meetingIDs, inside tx.
func RecordEach(tx *gorm.DB, at time.Time, meetingIDs []uint, e Entry) error {
	for _, id := range meetingIDs {
		e.MeetingID = id
		if err := Record(tx, at, e); err != nil {
			return err
		}
	}
	return nil
}

// Event is one line of the audit log as the endpoint shows it. Seq is the
// live list's sequence number of a live event, 0 for the others.
type Event struct {
	Seq    int64           `json:"seq,omitempty"`
	At     time.Time       `json:"at"`
	Actor  string          `json:"actor"`
	Action string          `json:"action"`
	Detail json.RawMessage `json:"detail"`
}

// Service reads the audit log (the owners write it with Record).
type Service struct{ DB *gorm.DB }

// Log reads the meeting's audited changes, newest first, at most limit,
// those before before when it is not zero.
func (s *Service) Log(ctx context.Context, meetingID uint, before time.Time, limit int) ([]Event, error) {
	q := s.DB.WithContext(ctx).Where("meeting_id = ?", meetingID).Order("at desc, id desc").Limit(limit)
	if !before.IsZero() {
		q = q.Where("at < ?", before)
	}
	var evs []models.AuditEvent
	if err := q.Find(&evs).Error; err != nil {
		return nil, err
	}
	out := make([]Event, 0, len(evs))
	for _, ev := range evs {
		out = append(out, Event{At: ev.At, Actor: ev.Actor, Action: ev.Action, Detail: json.RawMessage(ev.Detail)})
	}
	return out, nil
}

// Merge merges logs, each newest first, into one newest first, at most
// limit lines. Lines at the same time keep the order of logs.
func Merge(limit int, logs ...[]Event) []Event {
	var out []Event
	for _, l := range logs {
		out = append(out, l...)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].At.After(out[j].At) })
	if len(out) > limit {
		out = out[:limit]
	}
	return out
}
