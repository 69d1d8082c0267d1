package registration

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"gorm.io/gorm"

	"rostrum/apperr"
	"rostrum/audit"
	"rostrum/auth"
	"rostrum/models"
)

// What registration does for the non-objection procedure (package
// accreditation runs it): it says which organizations may be circulated
// and what their registrants told about them, and it decides their
// registrations at the deadline, inside accreditation's transaction.

// ObjectionReason is the reason an organization reads when a Member State
// objected to it: the State is never named to the organization.
const ObjectionReason = "an objection was raised by a Member State"

// Circulated is an organization as Member States read it in a notice.
type Circulated struct {
	ID          uint   `json:"id"`
	Name        string `json:"name"`
	Acronym     string `json:"acronym"`
	Type        string `json:"type"`
	Country     string `json:"country"`
	CountryName string `json:"country_name"`
	Website     string `json:"website"`
	// Description is the first description one of its registrants for
	// the meeting gave ("" when none did).
	Description string `json:"description"`
}

// ForNotice checks that every organization of ids may be circulated for
// the meeting and returns them as Member States read them. It refuses
// (422) an organization on the ECOSOC list (code ecosoc_track), a State,
// one unknown, and one with no pending or waitlisted registration for the
// meeting: a notice decides registrations, and has none to decide.
func (s *Service) ForNotice(ctx context.Context, meetingID uint, ids []uint) ([]Circulated, error) {
	f := apperr.Fields{}
	if len(ids) == 0 {
		f.Say("organization_ids", "err.registration.one_org")
	} else if len(ids) > 500 {
		f.Say("organization_ids", "err.registration.notice_max", "Max", 500)
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	db := s.DB.WithContext(ctx)
	var orgs []models.Organization
	if err := db.Where("id IN ?", ids).Find(&orgs).Error; err != nil {
		return nil, err
	}
	byID := map[uint]*models.Organization{}
	for i := range orgs {
		byID[orgs[i].ID] = &orgs[i]
	}
	var listed []string
	out := make([]Circulated, 0, len(ids))
	seen := map[uint]bool{}
	for i, id := range ids {
		key := fmt.Sprintf("organization_ids.%d", i)
		o := byID[id]
		switch {
		case seen[id]:
			f.Say(key, "err.registration.named_twice")
			continue
		case o == nil:
			f.Say(key, "err.registration.no_org", "ID", id)
			continue
		case IsState(o.Type):
			f.Say(key, "err.registration.is_state", "Name", o.Name)
			continue
		case o.ECOSOCVerified != "":
			listed = append(listed, o.Name)
			continue
		}
		seen[id] = true
		var regs []models.Registration
		if err := db.Select("id", "claimed_org_description").
			Where("meeting_id = ? AND organization_id = ? AND status IN ?", meetingID, id, []string{models.StatusPending, models.StatusWaitlisted}).
			Order("id").Find(&regs).Error; err != nil {
			return nil, err
		}
		if len(regs) == 0 {
			f.Say(key, "err.registration.nothing_to_decide", "Name", o.Name)
			continue
		}
		c := circulated(o)
		for _, r := range regs {
			if r.ClaimedOrgDescription != "" {
				c.Description = r.ClaimedOrgDescription
				break
			}
		}
		out = append(out, c)
	}
	if len(listed) > 0 {
		return nil, apperr.Say(apperr.KindInvalid, "err.registration.ecosoc_track", "Organizations", strings.Join(listed, "; ")).WithCode("ecosoc_track")
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

func circulated(o *models.Organization) Circulated {
	return Circulated{ID: o.ID, Name: o.Name, Acronym: o.Acronym, Type: o.Type, Country: o.Country,
		CountryName: CountryName(o.Country), Website: o.Website}
}

// Circulated returns the organizations ids, in that order, as Member
// States read them in a notice of the meeting: each with the first
// description one of its registrants for the meeting gave.
func (s *Service) Circulated(ctx context.Context, meetingID uint, ids []uint) ([]Circulated, error) {
	db := s.DB.WithContext(ctx)
	var orgs []models.Organization
	if err := db.Where("id IN ?", ids).Find(&orgs).Error; err != nil {
		return nil, err
	}
	var descs []struct {
		OrganizationID        uint
		ClaimedOrgDescription string
	}
	if err := db.Model(&models.Registration{}).Select("organization_id, claimed_org_description").
		Where("meeting_id = ? AND organization_id IN ? AND claimed_org_description <> ''", meetingID, ids).
		Order("id").Scan(&descs).Error; err != nil {
		return nil, err
	}
	desc := map[uint]string{}
	for _, d := range descs {
		if _, ok := desc[d.OrganizationID]; !ok {
			desc[d.OrganizationID] = d.ClaimedOrgDescription
		}
	}
	byID := map[uint]*models.Organization{}
	for i := range orgs {
		byID[orgs[i].ID] = &orgs[i]
	}
	out := make([]Circulated, 0, len(ids))
	for _, id := range ids {
		if o := byID[id]; o != nil {
			c := circulated(o)
			c.Description = desc[id]
			out = append(out, c)
		}
	}
	return out, nil
}

// NonObjectionOutcome is what the deadline did to one registration.
type NonObjectionOutcome struct {
	RegistrationID uint
	Status         string // approved or rejected; "" when left as it was
	Note           string // why it was left (the meeting is full)
}

// DecideAtDeadline decides, inside tx (the transaction that closes the
// notice), the pending and waitlisted registrations of organization orgID
// for the meeting: rejected with ObjectionReason when a Member State
// objected, approved otherwise, each through the same path as the
// secretariat's decisions (seat rules, mail, audit as "system"). A
// waitlisted registration that the meeting has no seat for stays on the
// waiting list.
func (s *Service) DecideAtDeadline(tx *gorm.DB, meetingID, orgID uint, objected bool) ([]NonObjectionOutcome, error) {
	m, _, err := lockMeeting(tx, meetingID)
	if err != nil {
		return nil, err
	}
	var regs []models.Registration
	if err := tx.Preload("Organization").
		Where("meeting_id = ? AND organization_id = ? AND status IN ?", meetingID, orgID, []string{models.StatusPending, models.StatusWaitlisted}).
		Order("created_at, id").Find(&regs).Error; err != nil {
		return nil, err
	}
	to, reason := models.StatusApproved, "no Member State objected before the deadline"
	if objected {
		to, reason = models.StatusRejected, ObjectionReason
	}
	out := make([]NonObjectionOutcome, 0, len(regs))
	for i := range regs {
		reg := &regs[i]
		reg.Meeting = *m
		st, err := seats(tx, m)
		if err != nil {
			return nil, err
		}
		if err := st.CheckMove(reg.Status, to); err != nil {
			var ae *apperr.Error
			if errors.As(err, &ae) {
				out = append(out, NonObjectionOutcome{RegistrationID: reg.ID, Note: ae.Message})
				continue
			}
			return nil, err
		}
		from := reg.Status
		now := s.now()
		if err := s.move(tx, reg, to, map[string]any{"reason": reason, "decided_at": now}); err != nil {
			return nil, err
		}
		reg.Reason, reg.DecidedAt = reason, &now
		if err := s.enqueue(tx, mailDecision, reg); err != nil {
			return nil, err
		}
		d := decisionDetail{RegistrationID: reg.ID, Name: reg.Name, Organization: reg.Organization.Name,
			From: from, To: to, Reason: reason}
		if HoldsSeat(from) && !HoldsSeat(to) {
			promoted, err := s.promote(tx, m, reg.ID)
			if err != nil {
				return nil, err
			}
			for _, p := range promoted {
				d.Promoted = append(d.Promoted, auditedReg{p.ID, p.Name})
			}
		}
		if err := audit.Record(tx, now, audit.Entry{MeetingID: m.ID, Actor: auth.Actor{}, Action: ActDecide, Detail: d}); err != nil {
			return nil, err
		}
		out = append(out, NonObjectionOutcome{RegistrationID: reg.ID, Status: to})
	}
	return out, nil
}
