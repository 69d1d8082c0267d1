package store

import (
	"time"

	"gorm.io/gorm"
)

// 0010_catch_up_tables_and_columns adds what the models gained without a
// migration while 0002, 0003 and 0004 migrated the current models:
//
//   - 0002_outbox, 0003_live and 0004_summary were released with the
//     foundation (commit 6263bd2), when the outbox was one table without
//     the worker's lease and message key and the live list and the summary
//     had no tables yet (LiveTables and SummaryTables were empty). The
//     outbox worker (2a2e4b1), the live list (11c4b6e) and the summary
//     (c569c20) then grew the models, and a database made before them
//     never got their columns or tables.
//
// A database made since has them (0002-0004 migrated the models of the
// day), so each table is created and each column and index added only
// where missing. The definitions are the models as of this migration's
// release; never edit them.
func migrate0010CatchUp(tx *gorm.DB) error {
	m := tx.Migrator()
	for _, col := range []string{"MessageKey", "ClaimToken", "ClaimedUntil"} {
		if m.HasColumn(&outboxMessage0010{}, col) {
			continue
		}
		if err := m.AddColumn(&outboxMessage0010{}, col); err != nil {
			return err
		}
	}
	if !m.HasIndex(&outboxMessage0010{}, "idx_outbox_messages_claim_token") {
		if err := m.CreateIndex(&outboxMessage0010{}, "idx_outbox_messages_claim_token"); err != nil {
			return err
		}
	}
	// In creation order: each table after those it refers to.
	for _, table := range []any{
		&outboxBlob0010{}, &outboxAttachment0010{},
		&liveMeeting0010{}, &speakerList0010{}, &speakerEntry0010{}, &liveEvent0010{},
		&speakerNote0010{}, &summaryVersion0010{}, &summaryRevision0010{}, &circulation0010{}, &circulationRecipient0010{},
	} {
		if m.HasTable(table) {
			continue
		}
		if err := m.CreateTable(table); err != nil {
			return err
		}
	}
	return nil
}

// The outbox as the worker made it (commit 2a2e4b1).

type outboxMessage0010 struct {
	ID            uint      `gorm:"primaryKey"`
	Kind          string    `gorm:"size:40;not null;index"`
	Ref           *string   `gorm:"size:200;uniqueIndex"`
	ToAddr        string    `gorm:"size:254;not null"`
	ToName        string    `gorm:"size:200;not null;default:''"`
	Subject       string    `gorm:"size:500;not null"`
	Text          string    `gorm:"type:text;not null"`
	HTML          string    `gorm:"type:text;not null;default:''"`
	Status        string    `gorm:"size:10;not null;index:idx_outbox_due"`
	Attempts      int       `gorm:"not null;default:0"`
	NextAttemptAt time.Time `gorm:"not null;index:idx_outbox_due"`
	LastError     string    `gorm:"size:1000;not null;default:''"`
	SentAt        *time.Time
	CreatedAt     time.Time

	MessageKey   string `gorm:"size:64;not null;default:''"`
	ClaimToken   string `gorm:"size:64;not null;default:'';index"`
	ClaimedUntil *time.Time
}

func (outboxMessage0010) TableName() string { return "outbox_messages" }

type outboxBlob0010 struct {
	SHA256    string    `gorm:"primaryKey;size:64"`
	Size      int64     `gorm:"not null"`
	Data      []byte    `gorm:"not null"`
	CreatedAt time.Time `gorm:"not null"`
}

func (outboxBlob0010) TableName() string { return "outbox_blobs" }

type outboxAttachment0010 struct {
	ID              uint   `gorm:"primaryKey"`
	OutboxMessageID uint   `gorm:"not null;index"`
	Position        int    `gorm:"not null"`
	Filename        string `gorm:"size:255;not null"`
	ContentType     string `gorm:"size:255;not null"`
	BlobSHA256      string `gorm:"size:64;not null;index"`

	OutboxMessage outboxMessage0010 `gorm:"constraint:OnDelete:CASCADE"`
	Blob          outboxBlob0010    `gorm:"foreignKey:BlobSHA256;references:SHA256"`
}

func (outboxAttachment0010) TableName() string { return "outbox_attachments" }

// The live list's tables (commit 11c4b6e).

type liveMeeting0010 struct {
	MeetingID     uint        `gorm:"primaryKey;autoIncrement:false"`
	Meeting       meeting0001 `gorm:"constraint:OnDelete:CASCADE"`
	Seq           int64       `gorm:"not null;default:0"`
	CurrentItemID *uint
	UpdatedAt     time.Time
}

func (liveMeeting0010) TableName() string { return "live_meetings" }

type speakerList0010 struct {
	AgendaItemID uint           `gorm:"primaryKey;autoIncrement:false"`
	AgendaItem   agendaItem0001 `gorm:"constraint:OnDelete:CASCADE"`
	MeetingID    uint           `gorm:"not null;index"`
	Closed       bool           `gorm:"not null;default:false"`
}

func (speakerList0010) TableName() string { return "speaker_lists" }

type speakerEntry0010 struct {
	ID               uint             `gorm:"primaryKey"`
	MeetingID        uint             `gorm:"not null;index:idx_speaker_meeting_state"`
	AgendaItemID     uint             `gorm:"not null;index"`
	AgendaItem       agendaItem0001   `gorm:"constraint:OnDelete:CASCADE"`
	RegistrationID   uint             `gorm:"not null;index"`
	Registration     registration0001 `gorm:"constraint:OnDelete:CASCADE"`
	Name             string           `gorm:"size:200;not null"`
	Organization     string           `gorm:"size:300;not null"`
	StakeholderType  string           `gorm:"size:30;not null"`
	Kind             string           `gorm:"size:20;not null"`
	ReplyTo          *uint
	State            string    `gorm:"size:10;not null;index:idx_speaker_meeting_state"`
	Position         int       `gorm:"not null;default:0"`
	RequestedAt      time.Time `gorm:"not null"`
	StartedAt        *time.Time
	EndedAt          *time.Time
	TimeLimitSeconds int `gorm:"not null"`
	PausedAt         *time.Time
	PausedMS         int64 `gorm:"column:paused_ms;not null;default:0"`
	SpokenMS         int64 `gorm:"column:spoken_ms;not null;default:0"`
}

func (speakerEntry0010) TableName() string { return "speaker_entries" }

type liveEvent0010 struct {
	ID             uint        `gorm:"primaryKey"`
	MeetingID      uint        `gorm:"not null;uniqueIndex:idx_live_event_seq"`
	Meeting        meeting0001 `gorm:"constraint:OnDelete:CASCADE"`
	Seq            int64       `gorm:"not null;uniqueIndex:idx_live_event_seq"`
	At             time.Time   `gorm:"not null"`
	Actor          string      `gorm:"size:300;not null"`
	UserID         *uint
	RegistrationID *uint
	Action         string `gorm:"size:20;not null"`
	Detail         string `gorm:"type:text;not null;default:''"`
	Patch          string `gorm:"type:text;not null"`
}

func (liveEvent0010) TableName() string { return "live_events" }

// The Chair's summary's tables (commit c569c20).

type speakerNote0010 struct {
	ID             uint        `gorm:"primaryKey"`
	MeetingID      uint        `gorm:"not null;index"`
	Meeting        meeting0001 `gorm:"constraint:OnDelete:CASCADE"`
	SpeakerEntryID uint        `gorm:"not null;uniqueIndex"`
	Text           string      `gorm:"type:text;not null;default:''"`
	KeyPoints      string      `gorm:"type:text;not null;default:'[]'"`
	AuthorID       uint        `gorm:"not null"`
	Author         user0001
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

func (speakerNote0010) TableName() string { return "speaker_notes" }

type summaryVersion0010 struct {
	ID           uint        `gorm:"primaryKey"`
	MeetingID    uint        `gorm:"not null;uniqueIndex:idx_summary_version"`
	Meeting      meeting0001 `gorm:"constraint:OnDelete:CASCADE"`
	Number       int         `gorm:"not null;uniqueIndex:idx_summary_version"`
	State        string      `gorm:"size:12;not null"`
	Markdown     string      `gorm:"type:text;not null"`
	AuthorID     uint        `gorm:"not null"`
	Author       user0001    `gorm:"constraint:OnDelete:RESTRICT"`
	ApprovedAt   *time.Time
	ApprovedByID *uint
	CirculatedAt *time.Time
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

func (summaryVersion0010) TableName() string { return "summary_versions" }

type summaryRevision0010 struct {
	ID        uint               `gorm:"primaryKey"`
	VersionID uint               `gorm:"not null;uniqueIndex:idx_summary_revision"`
	Version   summaryVersion0010 `gorm:"constraint:OnDelete:CASCADE"`
	Number    int                `gorm:"not null;uniqueIndex:idx_summary_revision"`
	Markdown  string             `gorm:"type:text;not null"`
	AuthorID  uint               `gorm:"not null"`
	Author    user0001           `gorm:"constraint:OnDelete:RESTRICT"`
	CreatedAt time.Time
}

func (summaryRevision0010) TableName() string { return "summary_revisions" }

type circulation0010 struct {
	ID        uint               `gorm:"primaryKey"`
	MeetingID uint               `gorm:"not null;index"`
	VersionID uint               `gorm:"not null;uniqueIndex"`
	Version   summaryVersion0010 `gorm:"constraint:OnDelete:CASCADE"`
	AuthorID  uint               `gorm:"not null"`
	Total     int                `gorm:"not null"`
	CreatedAt time.Time
}

func (circulation0010) TableName() string { return "circulations" }

type circulationRecipient0010 struct {
	ID              uint              `gorm:"primaryKey"`
	CirculationID   uint              `gorm:"not null;uniqueIndex:idx_circulation_address"`
	Circulation     circulation0010   `gorm:"constraint:OnDelete:CASCADE"`
	Address         string            `gorm:"size:254;not null;uniqueIndex:idx_circulation_address"`
	Name            string            `gorm:"size:200;not null;default:''"`
	OutboxMessageID uint              `gorm:"not null;index"`
	OutboxMessage   outboxMessage0010 `gorm:"constraint:OnDelete:RESTRICT"`
}

func (circulationRecipient0010) TableName() string { return "circulation_recipients" }
