package models

import "time"

// Summary version states: a draft is edited; an approved version is
// frozen; a circulated one has been sent. Edits after approval start a
// new version.
const (
	SummaryDraft      = "draft"
	SummaryApproved   = "approved"
	SummaryCirculated = "circulated"
)

// SpeakerNote is a rapporteur's note on one intervention (a speaker
// entry of the live list). KeyPoints is a JSON array of
// key points {"text","theme"}; notes written before themes hold plain
// strings, which read as points without a theme (summary.KeyPoint).
type SpeakerNote struct {
	ID             uint      `gorm:"primaryKey" json:"id"`
	MeetingID      uint      `gorm:"not null;index" json:"meeting_id"`
	Meeting        Meeting   `gorm:"constraint:OnDelete:CASCADE" json:"-"`
	SpeakerEntryID uint      `gorm:"not null;uniqueIndex" json:"speaker_id"`
	Text           string    `gorm:"type:text;not null;default:''" json:"text"`
	KeyPoints      string    `gorm:"type:text;not null;default:'[]'" json:"-"`
	AuthorID       uint      `gorm:"not null" json:"author_id"`
	Author         User      `json:"-"`
	CreatedAt      time.Time `json:"created_at"`
	UpdatedAt      time.Time `json:"updated_at"`
}

// SummaryVersion is one version of a meeting's Chair's summary. Markdown
// is its current text (the last revision); Generated is the text drafted
// from the record for it, before any merge or edit (empty for versions
// made before migration 0014).
type SummaryVersion struct {
	ID           uint       `gorm:"primaryKey"`
	MeetingID    uint       `gorm:"not null;uniqueIndex:idx_summary_version"`
	Meeting      Meeting    `gorm:"constraint:OnDelete:CASCADE"`
	Number       int        `gorm:"not null;uniqueIndex:idx_summary_version"`
	State        string     `gorm:"size:12;not null"`
	Markdown     string     `gorm:"type:text;not null"`
	Generated    string     `gorm:"type:text;not null;default:''"`
	AuthorID     uint       `gorm:"not null"`
	Author       User       `gorm:"constraint:OnDelete:RESTRICT"`
	ApprovedAt   *time.Time ``
	ApprovedByID *uint      ``
	CirculatedAt *time.Time ``
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// SummaryRevision is one save of a version's Markdown, numbered from 1
// within the version (revision 1 is the text the version started with).
type SummaryRevision struct {
	ID        uint           `gorm:"primaryKey"`
	VersionID uint           `gorm:"not null;uniqueIndex:idx_summary_revision"`
	Version   SummaryVersion `gorm:"constraint:OnDelete:CASCADE"`
	Number    int            `gorm:"not null;uniqueIndex:idx_summary_revision"`
	Markdown  string         `gorm:"type:text;not null"`
	AuthorID  uint           `gorm:"not null"`
	Author    User           `gorm:"constraint:OnDelete:RESTRICT"`
	CreatedAt time.Time
}

// Circulation states: scheduled until it fires (or is cancelled); sent
// once its messages are in the outbox.
const (
	CirculationScheduled = "scheduled"
	CirculationSent      = "sent"
	CirculationCancelled = "cancelled"
)

// Circulation is the sending of a letter, an approved version of the
// summary and documents (any of them) to the meeting's approved
// participants, distribution lists and extra addresses. A version is
// circulated once. Documents is a JSON array of document ids and
// Audience the JSON of who it goes to; a scheduled circulation goes at
// SendAt, resolving its recipients then.
type Circulation struct {
	ID        uint            `gorm:"primaryKey"`
	MeetingID uint            `gorm:"not null;index"`
	VersionID *uint           `gorm:"uniqueIndex"`
	Version   *SummaryVersion `gorm:"constraint:OnDelete:CASCADE"`
	LetterID  *uint           ``
	Documents string          `gorm:"type:text;not null;default:'[]'"`
	Audience  string          `gorm:"type:text;not null;default:'{}'"`
	State     string          `gorm:"size:12;not null;default:'sent';index:idx_circulation_due"`
	SendAt    *time.Time      `gorm:"index:idx_circulation_due"`
	SentAt    *time.Time      ``
	AuthorID  uint            `gorm:"not null"`
	Total     int             `gorm:"not null"`
	CreatedAt time.Time
}

// CirculationRecipient is one address of a circulation and the outbox
// message that carries the summary to it; delivery status is the
// message's.
type CirculationRecipient struct {
	ID              uint          `gorm:"primaryKey"`
	CirculationID   uint          `gorm:"not null;uniqueIndex:idx_circulation_address"`
	Circulation     Circulation   `gorm:"constraint:OnDelete:CASCADE"`
	Address         string        `gorm:"size:254;not null;uniqueIndex:idx_circulation_address"`
	Name            string        `gorm:"size:200;not null;default:''"`
	OutboxMessageID uint          `gorm:"not null;index"`
	OutboxMessage   OutboxMessage `gorm:"constraint:OnDelete:RESTRICT"`
}

// SummaryTables lists the tables of the summary capability, in creation order.
func SummaryTables() []any {
	return []any{&SpeakerNote{}, &SummaryVersion{}, &SummaryRevision{}, &Circulation{}, &CirculationRecipient{}}
}
