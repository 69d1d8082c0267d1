// Package audit is the meeting's audit log of changes made outside its
// live list: registration decisions, edits of the meeting and of
// organizations, versions of the summary, their approval and circulation.
// Each row is written in the transaction of the change it reports, so a
// change and its audit row are stored together or not at all. The live
// list audits its own changes (agenda edits among them) as live events;
// the audit endpoint merges the two in time order.
package audit

import (
	"context"
	"encoding/json"
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

// Event is one line of the audit log as the endpoint shows it.
type Event struct {
	At     time.Time       `json:"at"`
	Actor  string          `json:"actor"`
	Action string          `json:"action"`
	Detail json.RawMessage `json:"detail"`
}

// Log reads the meeting's audited changes, newest first, at most limit,
// those before before when it is not zero.
func Log(ctx context.Context, db *gorm.DB, meetingID uint, before time.Time, limit int) ([]Event, error) {
	q := db.WithContext(ctx).Where("meeting_id = ?", meetingID).Order("at desc, id desc").Limit(limit)
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
