package registration

import (
	"context"
	"strconv"
	"time"

	"gorm.io/gorm"

	"rostrum/apperr"
	"rostrum/models"
)

// Erased is what an erasure took out of a registration: what the other
// owners must erase where they copied it (the live record, notes, mail,
// the audit log).
type Erased struct {
	RegistrationID uint
	MeetingID      uint
	// Names are the names the registration was known by: its name and
	// any name it asked for.
	Names []string
	Email string
	// Promoted are the waitlisted registrations that took the seat a
	// withdrawal before the erasure freed.
	Promoted []models.Registration
}

// erasedTokenHash is what an erased registration holds in place of its
// token's hash: unique, and never the SHA-256 of any token, so no link
// reaches it again.
func erasedTokenHash(id uint) string { return "erased:" + strconv.FormatUint(uint64(id), 10) }

// anonymize erases reg's personal data inside tx: name, email, job title,
// a name waiting for the secretariat, and the private link. It keeps what
// the meeting's record and statistics count: the organization (record
// and claim), category, state, decision and the consent given.
func anonymize(tx *gorm.DB, reg *models.Registration, now time.Time) (Erased, error) {
	out := Erased{RegistrationID: reg.ID, MeetingID: reg.MeetingID, Email: reg.Email}
	for _, n := range []string{reg.Name, reg.PendingName} {
		if n != "" {
			out.Names = append(out.Names, n)
		}
	}
	cols := map[string]any{
		"name": "", "email": "", "job_title": "", "pending_name": "", "pending_name_at": nil,
		"token_hash": erasedTokenHash(reg.ID), "anonymized_at": now, "updated_at": now,
		// The check-in code is the person's too: a badge printed before
		// the erasure checks nobody in (checked_in_at stays: attendance).
		"checkin_code": "",
	}
	res := tx.Model(&models.Registration{}).Where("id = ? AND anonymized_at IS NULL", reg.ID).Updates(cols)
	if res.Error != nil {
		return Erased{}, res.Error
	}
	if res.RowsAffected != 1 {
		return Erased{}, apperr.Say(apperr.KindConflict, "err.registration.erased", "ID", reg.ID).WithCode("already_erased")
	}
	reg.Name, reg.Email, reg.JobTitle, reg.PendingName, reg.PendingNameAt = "", "", "", "", nil
	reg.TokenHash, reg.AnonymizedAt, reg.CheckinCode = erasedTokenHash(reg.ID), &now, ""
	return out, nil
}

// EraseTx erases, inside tx, the personal data of registration id at its
// participant's request: a registration that still holds or waits for a
// place is first withdrawn through the withdrawal's own path (its seat
// goes to the oldest waitlisted registration, who is mailed), then its
// data are erased and its link stops working. No mail goes to the erased
// participant: the address is gone with the rest.
func (s *Service) EraseTx(tx *gorm.DB, id uint, now time.Time) (Erased, error) {
	reg, m, err := lockRegistration(tx, 0, id)
	if err != nil {
		return Erased{}, err
	}
	var promoted []models.Registration
	if CanTransition(reg.Status, models.StatusWithdrawn) == nil {
		o, err := s.withdraw(tx, reg, m, "", "")
		if err != nil {
			return Erased{}, err
		}
		promoted = o.Promoted
	}
	e, err := anonymize(tx, reg, now)
	e.Promoted = promoted
	return e, err
}

// AnonymizeTx erases, inside tx, the personal data of registration id
// after its meeting's retention: unlike an erasure at the participant's
// request its state stays, so the meeting's counts stay true. A
// registration already anonymized is left alone (ok false).
func (s *Service) AnonymizeTx(tx *gorm.DB, id uint, now time.Time) (e Erased, ok bool, err error) {
	var reg models.Registration
	if err := tx.Where("id = ? AND anonymized_at IS NULL", id).Limit(1).Find(&reg).Error; err != nil || reg.ID == 0 {
		return Erased{}, false, err
	}
	e, err = anonymize(tx, &reg, now)
	if apperr.CodeOf(err) == "already_erased" {
		return Erased{}, false, nil
	}
	return e, err == nil, err
}

// Unanonymized lists the ids of meeting meetingID's registrations whose
// personal data are still held, at most limit.
func (s *Service) Unanonymized(ctx context.Context, meetingID uint, limit int) ([]uint, error) {
	var ids []uint
	err := s.DB.WithContext(ctx).Model(&models.Registration{}).
		Where("meeting_id = ? AND anonymized_at IS NULL", meetingID).Order("id").Limit(limit).Pluck("id", &ids).Error
	return ids, err
}
