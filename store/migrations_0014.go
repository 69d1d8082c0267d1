package store

import "gorm.io/gorm"

// 0014 as released: a summary version keeps the text generated for it
// (models.SummaryVersion.Generated), the base of the three-way merge that
// carries the secretariat's edits into the next version. Versions made
// before have it empty.

type summaryGenerated0014 struct {
	Generated string `gorm:"type:text;not null;default:''"`
}

func (summaryGenerated0014) TableName() string { return "summary_versions" }

func migrate0014SummaryGenerated(tx *gorm.DB) error {
	return tx.Migrator().AddColumn(&summaryGenerated0014{}, "Generated")
}
