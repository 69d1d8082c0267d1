package registration

import (
	"context"
	"errors"

	"gorm.io/gorm"

	"rostrum/auth"
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
	err := s.DB.WithContext(ctx).Preload("Organization").Preload("Meeting").
		Where("token_hash = ?", hash).First(&r).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &r, nil
}
