package auth

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"golang.org/x/crypto/bcrypt"
	"gorm.io/gorm"

	"rostrum/apperr"
	"rostrum/models"
	"rostrum/outbox"
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
// page where they set a new password. The link and its mail are stored in
// one transaction; only the SHA-256 of its token is kept, and the outbox
// forgets the token once the mail is delivered. Earlier links of the
// account keep working until one of them is used.
func (s *Service) SendReset(ctx context.Context, id uint) error {
	token := NewToken()
	err := s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var u models.User
		if err := tx.Where("id = ?", id).First(&u).Error; err != nil {
			if errors.Is(err, gorm.ErrRecordNotFound) {
				return apperr.NotFound("no staff account %d", id)
			}
			return err
		}
		if u.Disabled {
			return apperr.Conflict("%s is disabled: enable the account first", u.Email).WithCode("disabled")
		}
		expires := time.Now().UTC().Add(ResetValidity)
		pr := models.PasswordReset{UserID: u.ID, TokenHash: HashToken(token), ExpiresAt: expires}
		if err := tx.Omit("User").Create(&pr).Error; err != nil {
			return err
		}
		link := strings.TrimRight(s.PublicURL, "/") + "/reset/" + token
		text := fmt.Sprintf("Hello %s,\n\nThe secretariat sent you a link to set a new password for your Rostrum staff account %s:\n\n%s\n\n"+
			"The link works once, until %s UTC. Setting a password ends every session of the account.\n"+
			"If you did not expect this mail, ignore it: your password stays as it is.\n",
			nameOr(u), u.Email, link, expires.Format("2 January 2006 15:04"))
		_, err := outbox.Enqueue(tx, outbox.Message{Kind: "password_reset", To: u.Email, ToName: u.Name,
			Subject: "Set a new password for Rostrum", Text: text, Secret: token})
		return err
	})
	if err == nil && s.Notify != nil {
		s.Notify()
	}
	return err
}

func nameOr(u models.User) string {
	if u.Name != "" {
		return u.Name
	}
	return u.Email
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
		return nil, apperr.NotFound("this link to set a password is not valid; ask the secretariat for a new one")
	}
	if err != nil {
		return nil, err
	}
	if pr.UsedAt != nil {
		return nil, apperr.Conflict("this link has been used already; ask the secretariat for a new one").WithCode(CodeLinkUsed)
	}
	if !now.Before(pr.ExpiresAt) {
		return nil, apperr.Gone("this link expired on %s UTC; ask the secretariat for a new one",
			pr.ExpiresAt.UTC().Format("2 January 2006 15:04")).WithCode(CodeLinkExpired)
	}
	if err := tx.Where("id = ?", pr.UserID).First(&pr.User).Error; err != nil {
		return nil, err
	}
	if pr.User.Disabled {
		return nil, apperr.Conflict("this staff account is disabled").WithCode("disabled")
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
			return apperr.Forbidden("the current password is wrong").WithCode("wrong_password")
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
	if msg := PasswordProblem(password, u.Email); msg != "" {
		return apperr.Invalid("choose another password", map[string]string{field: msg})
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(password), s.Cost)
	if err != nil {
		return err
	}
	u.PasswordHash = string(hash)
	return tx.Model(&models.User{}).Where("id = ?", u.ID).Update("password_hash", u.PasswordHash).Error
}
