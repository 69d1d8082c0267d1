package registration

import (
	"context"
	"errors"

	"gorm.io/gorm"

	"rostrum/apperr"
	"rostrum/auth"
	"rostrum/meetings"
	"rostrum/models"
)

// The private link: only its token's hash is stored (models.Registration),
// so a lost link cannot be sent again; a new one replaces it.

// LostLinkURL is the public page of meeting slug where a participant asks
// for a new private link.
func (s *Service) LostLinkURL(slug string) string { return s.PublicURL + "/m/" + slug + "/link" }

// SendNewLink mails a new private link to the registration of address
// email for the meeting named slug (the newest, when the address
// registered more than once), and the link it replaces stops working. An
// address without a registration gets nothing and no error, so that the
// caller cannot tell the two apart. A malformed address is Invalid.
func (s *Service) SendNewLink(ctx context.Context, slug, email string) error {
	m, err := meetings.BySlug(ctx, s.DB, slug)
	if err != nil {
		return err
	}
	addr, ok := ValidEmail(email)
	if !ok {
		return badAddress()
	}
	return s.write(ctx, func(tx *gorm.DB) error {
		var reg models.Registration
		err := tx.Preload("Organization").Where("meeting_id = ? AND email = ?", m.ID, addr).
			Order("id DESC").Limit(1).Find(&reg).Error
		if err != nil || reg.ID == 0 {
			return err
		}
		if err := replaceToken(tx, &reg); err != nil {
			return err
		}
		reg.Meeting = *m
		return s.enqueue(tx, mailLink, &reg)
	})
}

// NewLink gives registration id a new private link without mailing it,
// and returns the link's token; the old link stops working. The demo uses
// it to print a participant's link.
func (s *Service) NewLink(ctx context.Context, id uint) (string, error) {
	var reg models.Registration
	err := s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Where("id = ?", id).First(&reg).Error; err != nil {
			if errors.Is(err, gorm.ErrRecordNotFound) {
				return apperr.Say(apperr.KindNotFound, "err.registration.no_registration", "ID", id)
			}
			return err
		}
		return replaceToken(tx, &reg)
	})
	return reg.Token, err
}

// replaceToken mints a new token for reg, stores its hash in place of the
// old one and leaves the token in reg.Token.
func replaceToken(tx *gorm.DB, reg *models.Registration) error {
	token := auth.NewToken()
	res := tx.Model(&models.Registration{}).Where("id = ?", reg.ID).UpdateColumn("token_hash", auth.HashToken(token))
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected != 1 {
		return apperr.Say(apperr.KindNotFound, "err.registration.no_registration", "ID", reg.ID)
	}
	reg.Token, reg.TokenHash = token, auth.HashToken(token)
	return nil
}

// badAddress is the answer to an address that is not one, on the forms
// that ask for a link.
func badAddress() error {
	f := apperr.Fields{}
	f.Say(FieldEmail, "err.field.email")
	return apperr.Say(apperr.KindInvalid, "err.check_address").WithFields(f)
}
