package auth

import (
	"context"
	"errors"
	"strings"
	"time"

	"golang.org/x/crypto/bcrypt"
	"gorm.io/gorm"

	"rostrum/apperr"
	"rostrum/locale"
	"rostrum/models"
	"rostrum/store"
)

// ResetValidity is how long a reset link works.
const ResetValidity = 24 * time.Hour

// Codes of a reset link that no longer works.
const (
	CodeLinkUsed    = "link_used"
	CodeLinkExpired = "link_expired"
)

// SendReset mails account id a one-time link, valid ResetValidity, to the
// page where they set a new password. The mail is in lang, the language
// of the admin's request: an account has no language on record, and the
// admin who sends the link knows the colleague who reads it. The link and
// its mail are stored in one transaction; only the SHA-256 of its token
// is kept, and the outbox forgets the token once the mail is delivered.
// Earlier links of the account keep working until one of them is used.
func (s *Service) SendReset(ctx context.Context, id uint, lang string) error {
	token := NewToken()
	err := s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var u models.User
		if err := tx.Where("id = ?", id).First(&u).Error; err != nil {
			if errors.Is(err, gorm.ErrRecordNotFound) {
				return apperr.Say(apperr.KindNotFound, "err.auth.no_account", "Account", id)
			}
			return err
		}
		if u.Disabled {
			return apperr.Say(apperr.KindConflict, "err.auth.disabled_enable", "Email", u.Email).WithCode("disabled")
		}
		expires := time.Now().UTC().Add(ResetValidity)
		pr := models.PasswordReset{UserID: u.ID, TokenHash: HashToken(token), ExpiresAt: expires}
		if err := tx.Omit("User").Create(&pr).Error; err != nil {
			return err
		}
		link := strings.TrimRight(s.PublicURL, "/") + "/reset/" + token
		return enqueueReset(tx, &u, link, expires, token, lang)
	})
	if err == nil && s.Notify != nil {
		s.Notify()
	}
	return err
}

// ResetLink returns the account a reset link is for, or the error using
// it would meet (not found, used, expired), so that the page can say so
// before anyone types a password.
func (s *Service) ResetLink(ctx context.Context, token string) (*models.User, error) {
	var u *models.User
	err := s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		pr, err := usableReset(tx, token, time.Now().UTC())
		if err != nil {
			return err
		}
		u = &pr.User
		return nil
	})
	return u, err
}

// usableReset reads the reset of token with its account, locked, or
// says why it cannot be used.
func usableReset(tx *gorm.DB, token string, now time.Time) (*models.PasswordReset, error) {
	var pr models.PasswordReset
	err := store.LockForUpdate(tx).Where("token_hash = ?", HashToken(token)).First(&pr).Error
	if errors.Is(err, gorm.ErrRecordNotFound) || token == "" {
		return nil, apperr.Say(apperr.KindNotFound, "err.auth.reset_invalid")
	}
	if err != nil {
		return nil, err
	}
	if pr.UsedAt != nil {
		return nil, apperr.Say(apperr.KindConflict, "err.auth.reset_used").WithCode(CodeLinkUsed)
	}
	if !now.Before(pr.ExpiresAt) {
		return nil, apperr.Say(apperr.KindGone, "err.auth.reset_expired",
			"When", locale.Moment{T: pr.ExpiresAt.UTC(), Layout: "2 January 2006 15:04"}).WithCode(CodeLinkExpired)
	}
	if err := tx.Where("id = ?", pr.UserID).First(&pr.User).Error; err != nil {
		return nil, err
	}
	if pr.User.Disabled {
		return nil, apperr.Say(apperr.KindConflict, "err.auth.disabled").WithCode("disabled")
	}
	return &pr, nil
}

// ResetPassword sets the password of the account of a reset link. In one
// transaction: the password must pass PasswordProblem, the link and every
// other unused link of the account stop working, and every session of
// the account ends (the caller closes its live sockets).
func (s *Service) ResetPassword(ctx context.Context, token, password string) (*models.User, error) {
	var u models.User
	err := s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		now := time.Now().UTC()
		pr, err := usableReset(tx, token, now)
		if err != nil {
			return err
		}
		u = pr.User
		if err := s.setPassword(tx, &u, password, "password"); err != nil {
			return err
		}
		if err := tx.Model(&models.PasswordReset{}).Where("user_id = ? AND used_at IS NULL", u.ID).
			Update("used_at", now).Error; err != nil {
			return err
		}
		return tx.Where("user_id = ?", u.ID).Delete(&models.Session{}).Error
	})
	if err != nil {
		return nil, err
	}
	return &u, nil
}

// ChangePassword changes the password of the account of the session with
// sessionHash, given its current password. Every other session of the
// account ends; this one stays.
func (s *Service) ChangePassword(ctx context.Context, userID uint, sessionHash, current, next string) error {
	return s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var u models.User
		if err := tx.Where("id = ?", userID).First(&u).Error; err != nil {
			return err
		}
		if bcrypt.CompareHashAndPassword([]byte(u.PasswordHash), []byte(current)) != nil {
			return apperr.Say(apperr.KindForbidden, "err.auth.wrong_password").WithCode("wrong_password")
		}
		if err := s.setPassword(tx, &u, next, "new"); err != nil {
			return err
		}
		return tx.Where("user_id = ? AND token_hash <> ?", u.ID, sessionHash).Delete(&models.Session{}).Error
	})
}

// setPassword checks password against PasswordProblem (its error naming
// field) and stores its hash for u.
func (s *Service) setPassword(tx *gorm.DB, u *models.User, password, field string) error {
	if m := passwordProblem(password, u.Email); m.ID != "" {
		return apperr.Say(apperr.KindInvalid, "err.auth.choose_another").WithField(field, m.ID, m.Args...)
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(password), s.Cost)
	if err != nil {
		return err
	}
	u.PasswordHash = string(hash)
	return tx.Model(&models.User{}).Where("id = ?", u.ID).Update("password_hash", u.PasswordHash).Error
}
