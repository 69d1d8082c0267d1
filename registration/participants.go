package registration

import (
	"context"
	"errors"

	"gorm.io/gorm"

	"rostrum/auth"
	"rostrum/meetings"
	"rostrum/models"
)

// ByToken returns the registration whose secret token is token, with its
// organization and meeting, or nil. Only the token's hash is stored: a
// lookup by hash is the comparison.
func (s *Service) ByToken(ctx context.Context, token string) (*models.Registration, error) {
	if len(token) < 20 || len(token) > 100 {
		return nil, nil
	}
	return s.ByTokenHash(ctx, auth.HashToken(token))
}

// ByTokenHash returns the registration whose token has hash, or nil
// (auth.Participants).
func (s *Service) ByTokenHash(ctx context.Context, hash string) (*models.Registration, error) {
	var r models.Registration
	err := withOrganizationAndMeeting(s.DB.WithContext(ctx), &r, "token_hash = ?", hash)
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &r, nil
}

// withOrganizationAndMeeting reads the registration matching query into
// r with its organization, and its meeting asked of meetings (which owns
// it); gorm.ErrRecordNotFound when none matches.
func withOrganizationAndMeeting(db *gorm.DB, r *models.Registration, query string, args ...any) error {
	if err := db.Preload("Organization").Where(query, args...).First(r).Error; err != nil {
		return err
	}
	m, err := meetings.ByID(db, r.MeetingID)
	if err != nil {
		return err
	}
	r.Meeting = *m
	return nil
}
