package store

import (
	"time"

	"gorm.io/gorm"
)

// 0007_rate_limits as released (commit 17e97c9): the throttles' counts,
// shared by the instances on PostgreSQL (one instance on SQLite counts in
// memory; the table stays empty). Never edit it.
func migrate0007RateLimits(tx *gorm.DB) error {
	return tx.AutoMigrate(&rateLimit0007{})
}

type rateLimit0007 struct {
	Key    string    `gorm:"primaryKey;size:200"`
	Hits   int       `gorm:"not null"`
	EndsAt time.Time `gorm:"not null;index"`
}

func (rateLimit0007) TableName() string { return "rate_limits" }
