package models

import "time"

// Kinds of speaker entries.
const (
	KindStatement    = "statement"
	KindPointOfOrder = "point_of_order"
	KindReply        = "reply"
)

// States of speaker entries.
const (
	SpeakerWaiting   = "waiting"
	SpeakerSpeaking  = "speaking"
	SpeakerDone      = "done"
	SpeakerWithdrawn = "withdrawn"
)

// LiveMeeting is the one row per meeting that every change of its live
// list locks and bumps: Seq counts the changes (strictly by one per
// change), CurrentItemID is the agenda item on the floor. The timer of a
// running speech lives on its SpeakerEntry (at most one speaks per
// meeting).
type LiveMeeting struct {
	MeetingID     uint      `gorm:"primaryKey;autoIncrement:false"`
	Meeting       Meeting   `gorm:"constraint:OnDelete:CASCADE"`
	Seq           int64     `gorm:"not null;default:0"`
	CurrentItemID *uint     ``
	UpdatedAt     time.Time ``
}

// SpeakerList holds what belongs to the list of one agenda item beyond its
// entries: whether it is closed. A missing row means an open list.
type SpeakerList struct {
	AgendaItemID uint       `gorm:"primaryKey;autoIncrement:false"`
	AgendaItem   AgendaItem `gorm:"constraint:OnDelete:CASCADE"`
	MeetingID    uint       `gorm:"not null;index"`
	Closed       bool       `gorm:"not null;default:false"`
}

// SpeakerEntry is one request for the floor on one agenda item's list.
// Name, Organization and StakeholderType are copied from the registration
// when the request is made, so that the list reads the same however the
// registration changes later.
//
// Timer: StartedAt is when the speech began, PausedMS the time spent
// paused before the current pause, PausedAt the start of the current pause
// (nil when running). SpokenMS is filled when the speech ends.
type SpeakerEntry struct {
	ID               uint         `gorm:"primaryKey" json:"id"`
	MeetingID        uint         `gorm:"not null;index:idx_speaker_meeting_state" json:"-"`
	AgendaItemID     uint         `gorm:"not null;index" json:"item_id"`
	AgendaItem       AgendaItem   `gorm:"constraint:OnDelete:CASCADE" json:"-"`
	RegistrationID   uint         `gorm:"not null;index" json:"registration_id"`
	Registration     Registration `gorm:"constraint:OnDelete:CASCADE" json:"-"`
	Name             string       `gorm:"size:200;not null" json:"name"`
	Organization     string       `gorm:"size:300;not null" json:"organization"`
	StakeholderType  string       `gorm:"size:30;not null" json:"stakeholder_type"`
	Kind             string       `gorm:"size:20;not null" json:"kind"`
	ReplyTo          *uint        `json:"reply_to"`
	State            string       `gorm:"size:10;not null;index:idx_speaker_meeting_state" json:"state"`
	Position         int          `gorm:"not null;default:0" json:"position"`
	RequestedAt      time.Time    `gorm:"not null" json:"requested_at"`
	StartedAt        *time.Time   `json:"started_at"`
	EndedAt          *time.Time   `json:"ended_at"`
	TimeLimitSeconds int          `gorm:"not null" json:"time_limit_seconds"`
	PausedAt         *time.Time   `json:"paused_at"`
	PausedMS         int64        `gorm:"column:paused_ms;not null;default:0" json:"paused_ms"`
	SpokenMS         int64        `gorm:"column:spoken_ms;not null;default:0" json:"spoken_ms"`
}

// LiveEvent is one change of a meeting's live list: its seq, who made it
// and what it was (the audit log), and the patch that viewers receive.
type LiveEvent struct {
	ID             uint      `gorm:"primaryKey"`
	MeetingID      uint      `gorm:"not null;uniqueIndex:idx_live_event_seq"`
	Meeting        Meeting   `gorm:"constraint:OnDelete:CASCADE"`
	Seq            int64     `gorm:"not null;uniqueIndex:idx_live_event_seq"`
	At             time.Time `gorm:"not null"`
	Actor          string    `gorm:"size:300;not null"`
	UserID         *uint     ``
	RegistrationID *uint     ``
	Action         string    `gorm:"size:20;not null"`
	Detail         string    `gorm:"type:text;not null;default:''"`
	Patch          string    `gorm:"type:text;not null"`
}

// LiveTables lists the tables of the live capability, in creation order.
func LiveTables() []any {
	return []any{&LiveMeeting{}, &SpeakerList{}, &SpeakerEntry{}, &LiveEvent{}}
}
