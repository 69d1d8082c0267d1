package auth

import (
	"context"
	"errors"

	"gorm.io/gorm"

	"rostrum/apperr"
	"rostrum/models"
	"rostrum/store"
)

// CodeLastAdmin refuses to disable or demote the last active admin: no
// one could then manage the staff accounts.
const CodeLastAdmin = "last_admin"

// Users lists the staff accounts, oldest first.
func (s *Service) Users(ctx context.Context) ([]models.User, error) {
	var us []models.User
	return us, s.DB.WithContext(ctx).Order("id").Find(&us).Error
}

// UserChange is an edit of a staff account: the fields present change.
type UserChange struct {
	Role     *string `json:"role"`
	Disabled *bool   `json:"disabled"`
}

// ChangeUser changes account id's role or disabled flag. Disabling ends
// the account's sessions in the same transaction; the last active admin
// can be neither disabled nor demoted. The active admins are counted
// under a lock on their rows, so that two admins disabling each other at
// once cannot both succeed.
func (s *Service) ChangeUser(ctx context.Context, id uint, ch UserChange) (*models.User, error) {
	if ch.Role != nil && !models.ValidRole(*ch.Role) {
		return nil, apperr.Say(apperr.KindInvalid, "err.auth.invalid_role").WithField("role", "err.auth.role")
	}
	var u models.User
	err := s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var admins []models.User
		if err := store.LockForUpdate(tx).Where("role = ? AND disabled = ?", models.RoleAdmin, false).Find(&admins).Error; err != nil {
			return err
		}
		if err := tx.Where("id = ?", id).First(&u).Error; err != nil {
			if errors.Is(err, gorm.ErrRecordNotFound) {
				return apperr.Say(apperr.KindNotFound, "err.auth.no_account", "Account", id)
			}
			return err
		}
		wasActiveAdmin := u.Role == models.RoleAdmin && !u.Disabled
		if ch.Role != nil {
			u.Role = *ch.Role
		}
		if ch.Disabled != nil {
			u.Disabled = *ch.Disabled
		}
		if wasActiveAdmin && (u.Role != models.RoleAdmin || u.Disabled) && len(admins) <= 1 {
			return apperr.Say(apperr.KindConflict, "err.auth.last_admin", "Email", u.Email).WithCode(CodeLastAdmin)
		}
		if err := tx.Model(&models.User{}).Where("id = ?", u.ID).
			Updates(map[string]any{"role": u.Role, "disabled": u.Disabled}).Error; err != nil {
			return err
		}
		if u.Disabled {
			return tx.Where("user_id = ?", u.ID).Delete(&models.Session{}).Error
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &u, nil
}
