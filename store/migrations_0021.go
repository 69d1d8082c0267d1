package store

import (
	"fmt"
	"time"

	"gorm.io/gorm"
)

// 0021 as released: a meeting's document library (documents, the bytes
// in the row), its chair's letters (letters) and the secretariat's
// distribution lists (distribution_lists, distribution_addresses); a
// circulation may carry a letter and documents instead of (or beside) a
// summary version, so its version_id may be null, and it may be
// scheduled (state, send_at) and cancelled.

type document0021 struct {
	ID          uint        `gorm:"primaryKey"`
	MeetingID   uint        `gorm:"not null;index"`
	Meeting     meeting0001 `gorm:"constraint:OnDelete:CASCADE"`
	Title       string      `gorm:"size:300;not null"`
	Symbol      string      `gorm:"size:60;not null;default:''"`
	Language    string      `gorm:"size:2;not null"`
	Filename    string      `gorm:"size:120;not null"`
	ContentType string      `gorm:"size:100;not null"`
	Size        int64       `gorm:"not null"`
	SHA256      string      `gorm:"size:64;not null"`
	Data        []byte      `gorm:"not null"`
	UploaderID  uint        `gorm:"not null"`
	PublishedAt *time.Time  ``
	CreatedAt   time.Time
}

func (document0021) TableName() string { return "documents" }

type letter0021 struct {
	ID           uint        `gorm:"primaryKey"`
	MeetingID    uint        `gorm:"not null;index"`
	Meeting      meeting0001 `gorm:"constraint:OnDelete:CASCADE"`
	Addressee    string      `gorm:"size:1000;not null"`
	Place        string      `gorm:"size:100;not null"`
	Date         string      `gorm:"size:10;not null"`
	Salutation   string      `gorm:"size:200;not null"`
	BodyMarkdown string      `gorm:"type:text;not null"`
	Closing      string      `gorm:"size:500;not null"`
	SignedBy     string      `gorm:"size:200;not null"`
	Titles       string      `gorm:"type:text;not null;default:'[]'"`
	Enclosures   string      `gorm:"type:text;not null;default:'[]'"`
	AuthorID     uint        `gorm:"not null"`
	CreatedAt    time.Time
}

func (letter0021) TableName() string { return "letters" }

type distributionList0021 struct {
	ID        uint   `gorm:"primaryKey"`
	Name      string `gorm:"size:200;not null;uniqueIndex"`
	CreatedAt time.Time
	UpdatedAt time.Time
}

func (distributionList0021) TableName() string { return "distribution_lists" }

type distributionAddress0021 struct {
	ID       uint                 `gorm:"primaryKey"`
	ListID   uint                 `gorm:"not null;uniqueIndex:idx_list_address"`
	List     distributionList0021 `gorm:"constraint:OnDelete:CASCADE"`
	Position int                  `gorm:"not null"`
	Name     string               `gorm:"size:200;not null;default:''"`
	Email    string               `gorm:"size:254;not null;uniqueIndex:idx_list_address"`
}

func (distributionAddress0021) TableName() string { return "distribution_addresses" }

type circulation0021 struct {
	LetterID  *uint      ``
	Documents string     `gorm:"type:text;not null;default:'[]'"`
	Audience  string     `gorm:"type:text;not null;default:'{}'"`
	State     string     `gorm:"size:12;not null;default:'sent';index:idx_circulation_due"`
	SendAt    *time.Time `gorm:"index:idx_circulation_due"`
	SentAt    *time.Time ``
}

func (circulation0021) TableName() string { return "circulations" }

func migrate0021Documents(tx *gorm.DB) error {
	if err := tx.AutoMigrate(&document0021{}, &letter0021{}, &distributionList0021{}, &distributionAddress0021{}); err != nil {
		return err
	}
	if !Postgres(tx) {
		return circulationsVersionOptional0021SQLite(tx)
	}
	if err := tx.Exec("ALTER TABLE circulations ALTER COLUMN version_id DROP NOT NULL").Error; err != nil {
		return err
	}
	for _, col := range []string{"LetterID", "Documents", "Audience", "State", "SendAt", "SentAt"} {
		if err := tx.Migrator().AddColumn(&circulation0021{}, col); err != nil {
			return err
		}
	}
	if err := tx.Exec("UPDATE circulations SET sent_at = created_at").Error; err != nil {
		return err
	}
	return tx.Migrator().CreateIndex(&circulation0021{}, "idx_circulation_due")
}

// circulationsVersionOptional0021SQLite rebuilds circulations with a
// nullable version_id and the new columns: SQLite cannot drop a NOT NULL.
// Foreign keys are off on the one connection that does it, so that
// dropping the old table does not cascade to circulation_recipients
// (whose references then name the new table); foreign_key_check proves
// nothing dangles.
func circulationsVersionOptional0021SQLite(db *gorm.DB) error {
	return db.Connection(func(conn *gorm.DB) error {
		if err := conn.Exec("PRAGMA foreign_keys = OFF").Error; err != nil {
			return err
		}
		defer conn.Exec("PRAGMA foreign_keys = ON")
		return conn.Transaction(func(tx *gorm.DB) error {
			for _, stmt := range []string{
				"CREATE TABLE `circulations__new` (`id` integer PRIMARY KEY AUTOINCREMENT,`meeting_id` integer NOT NULL," +
					"`version_id` integer,`letter_id` integer,`documents` text NOT NULL DEFAULT '[]',`audience` text NOT NULL DEFAULT '{}'," +
					"`state` text NOT NULL DEFAULT 'sent',`send_at` datetime,`sent_at` datetime,`author_id` integer NOT NULL," +
					"`total` integer NOT NULL,`created_at` datetime," +
					"CONSTRAINT `fk_circulations_version` FOREIGN KEY (`version_id`) REFERENCES `summary_versions`(`id`) ON DELETE CASCADE)",
				"INSERT INTO `circulations__new` (`id`,`meeting_id`,`version_id`,`author_id`,`total`,`created_at`,`sent_at`) " +
					"SELECT `id`,`meeting_id`,`version_id`,`author_id`,`total`,`created_at`,`created_at` FROM `circulations`",
				"DROP TABLE `circulations`",
				"ALTER TABLE `circulations__new` RENAME TO `circulations`",
				"CREATE INDEX `idx_circulations_meeting_id` ON `circulations`(`meeting_id`)",
				"CREATE UNIQUE INDEX `idx_circulations_version_id` ON `circulations`(`version_id`)",
				"CREATE INDEX `idx_circulation_due` ON `circulations`(`state`,`send_at`)",
			} {
				if err := tx.Exec(stmt).Error; err != nil {
					return err
				}
			}
			var dangling []map[string]any
			if err := tx.Raw("PRAGMA foreign_key_check").Scan(&dangling).Error; err != nil {
				return err
			}
			if len(dangling) > 0 {
				return fmt.Errorf("rebuilding circulations left %d dangling references", len(dangling))
			}
			return nil
		})
	})
}
