package models

import "time"

// Document is a file of a meeting's document library (a programme of
// work, a working paper, a background paper) as the secretariat uploaded
// it: a PDF or a Word document, its bytes kept in the row (Data) so that
// every instance serves it from the one database, backups and copy-db
// carry it, and nothing lives beside the database. Lists never read Data.
// Until PublishedAt is set only staff see it.
type Document struct {
	ID          uint       `gorm:"primaryKey"`
	MeetingID   uint       `gorm:"not null;index"`
	Meeting     Meeting    `gorm:"constraint:OnDelete:CASCADE"`
	Title       string     `gorm:"size:300;not null"`
	Symbol      string     `gorm:"size:60;not null;default:''"`
	Language    string     `gorm:"size:2;not null"`
	Filename    string     `gorm:"size:120;not null"`
	ContentType string     `gorm:"size:100;not null"`
	Size        int64      `gorm:"not null"`
	SHA256      string     `gorm:"size:64;not null"`
	Data        []byte     `gorm:"not null"`
	UploaderID  uint       `gorm:"not null"`
	PublishedAt *time.Time ``
	CreatedAt   time.Time
}

// Letter is a letter of a meeting's chair (a cover letter): the parts of
// a diplomatic letter, its body in Markdown, and what it encloses.
// Titles is the signature's lines under the name, and Enclosures the
// enclosed things in order ("document:ID" or "summary:N"), each a JSON
// array of strings.
type Letter struct {
	ID           uint    `gorm:"primaryKey"`
	MeetingID    uint    `gorm:"not null;index"`
	Meeting      Meeting `gorm:"constraint:OnDelete:CASCADE"`
	Addressee    string  `gorm:"size:1000;not null"`
	Place        string  `gorm:"size:100;not null"`
	Date         string  `gorm:"size:10;not null"`
	Salutation   string  `gorm:"size:200;not null"`
	BodyMarkdown string  `gorm:"type:text;not null"`
	Closing      string  `gorm:"size:500;not null"`
	SignedBy     string  `gorm:"size:200;not null"`
	Titles       string  `gorm:"type:text;not null;default:'[]'"`
	Enclosures   string  `gorm:"type:text;not null;default:'[]'"`
	AuthorID     uint    `gorm:"not null"`
	CreatedAt    time.Time
}

// LetterTables lists the tables of the document library and the letters
// (package summary owns letters, documents owns documents), in creation
// order.
func LetterTables() []any { return []any{&Document{}, &Letter{}} }

// DistributionList is a named address list of the secretariat (the
// Permanent Missions, the observers), shared by every meeting.
type DistributionList struct {
	ID        uint   `gorm:"primaryKey"`
	Name      string `gorm:"size:200;not null;uniqueIndex"`
	CreatedAt time.Time
	UpdatedAt time.Time
}

// DistributionAddress is one address of a distribution list.
type DistributionAddress struct {
	ID       uint             `gorm:"primaryKey"`
	ListID   uint             `gorm:"not null;uniqueIndex:idx_list_address"`
	List     DistributionList `gorm:"constraint:OnDelete:CASCADE"`
	Position int              `gorm:"not null"`
	Name     string           `gorm:"size:200;not null;default:''"`
	Email    string           `gorm:"size:254;not null;uniqueIndex:idx_list_address"`
}

// ListTables lists the tables of package lists, in creation order.
func ListTables() []any { return []any{&DistributionList{}, &DistributionAddress{}} }
