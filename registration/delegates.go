package registration

import (
	"context"
	"fmt"
	"strings"

	"gorm.io/gorm"

	"rostrum/apperr"
	"rostrum/auth"
	"rostrum/models"
)

// A State's delegation registers here too: its members are registrations
// like any participant's (they ask for the floor, withdraw and get mail
// the same way), whose organization is the State's own record: its name is
// the country's ("Singapore"), its type the State's kind (member_state or
// observer_state). That record's name key ("State SG") cannot be made by
// folding a name (NameKey lower-cases and drops spaces), so no registrant's
// organization ever matches a State, nor takes its key first.

// State is a State as its delegation registers: its country code and kind
// (models.KindMemberState or models.KindObserverState).
type State struct {
	Country string
	Kind    string
}

// DelegateInput is a delegation member as the mission's focal point enters
// them.
type DelegateInput struct {
	Name     string `json:"name"`
	Email    string `json:"email"`
	JobTitle string `json:"job_title"`
	Head     bool   `json:"head"`
	// Language is the member's language (see Input.Language).
	Language string `json:"language"`
}

func (in DelegateInput) validate() (DelegateInput, error) {
	f := apperr.Fields{}
	out := DelegateInput{
		Name:     checkText(f, FieldName, in.Name, true, MaxName),
		JobTitle: checkText(f, FieldJobTitle, in.JobTitle, false, MaxJobTitle),
		Head:     in.Head,
		Language: checkLanguage(f, in.Language),
	}
	if email := checkText(f, FieldEmail, in.Email, true, MaxEmail); email != "" {
		if e, ok := ValidEmail(email); ok {
			out.Email = e
		} else {
			f.Say(FieldEmail, "err.field.email")
		}
	}
	return out, f.Err()
}

// stateKey is the name key of State country's record.
func stateKey(country string) string { return statePrefix + country }

const statePrefix = "State "

// notAState refuses to change org when it is a State's record: its name is
// the country's and its key binds it to the State's delegation, so it is
// neither renamed, retyped nor merged.
func notAState(org *models.Organization) error {
	if strings.HasPrefix(org.NameKey, statePrefix) {
		return apperr.Say(apperr.KindConflict, "err.registration.state_record", "Name", org.Name).WithCode("state_record")
	}
	return nil
}

// stateRecord is the query of the id of State country's record.
func stateRecord(db *gorm.DB, country string) *gorm.DB {
	return db.Model(&models.Organization{}).Select("id").Where("name_key = ?", stateKey(country))
}

// CheckDelegationLimit refuses one more member of a delegation that
// already has active of them when the meeting allows limit (0: no limit).
func CheckDelegationLimit(state string, limit, active int) error {
	if limit > 0 && active >= limit {
		return apperr.SayN(apperr.KindConflict, "err.delegation_limit", limit, "State", state).WithCode("delegation_limit")
	}
	return nil
}

// RegisterDelegate registers a member of state's delegation to meeting
// meetingID: approved at once (a State's delegation is not accredited by
// the secretariat), within the meeting's limit per delegation, checked
// under the meeting's registration lock so that concurrent requests
// cannot pass it. The member takes a seat like anyone approved, but the
// meeting's capacity does not turn a State away. The confirmation mail
// with the member's private link is queued in the same transaction.
func (s *Service) RegisterDelegate(ctx context.Context, meetingID uint, st State, in DelegateInput) (*models.Registration, error) {
	d, err := in.validate()
	if err != nil {
		return nil, err
	}
	token := auth.NewToken()
	var reg *models.Registration
	err = s.write(ctx, func(tx *gorm.DB) error {
		m, _, err := lockMeeting(tx, meetingID)
		if err != nil {
			return err
		}
		if err := CheckCategory(m, st.Kind); err != nil {
			return err
		}
		org, err := findOrCreateOrganization(tx, models.Organization{
			Name: CountryName(st.Country), NameKey: stateKey(st.Country), Type: st.Kind, Country: st.Country,
			ECOSOCStatus: "none",
		})
		if err != nil {
			return err
		}
		dup, err := countWhere(tx, "meeting_id = ? AND email = ? AND status IN ?", m.ID, d.Email, ActiveStatuses)
		if err != nil {
			return err
		}
		if dup > 0 {
			return apperr.Say(apperr.KindConflict, "err.already_registered", "Email", d.Email).WithCode("duplicate_email")
		}
		active, err := countWhere(tx, "meeting_id = ? AND organization_id = ? AND status IN ?", m.ID, org.ID, ActiveStatuses)
		if err != nil {
			return err
		}
		if err := CheckDelegationLimit(org.Name, m.MaxPerDelegation, active); err != nil {
			return err
		}
		now := s.now()
		reg = &models.Registration{
			MeetingID: m.ID, OrganizationID: org.ID, Name: d.Name, Email: d.Email, JobTitle: d.JobTitle,
			Status: models.StatusApproved, Token: token, TokenHash: auth.HashToken(token), ConsentAt: now,
			DecidedAt: &now, HeadOfDelegation: d.Head, CheckinCode: NewCheckinCode(), Language: d.Language,
		}
		if err := tx.Create(reg).Error; err != nil {
			return err
		}
		if err := countSeat(tx, m.ID, "", reg.Status); err != nil {
			return err
		}
		reg.Organization, reg.Meeting = *org, *m
		return s.enqueue(tx, mailDelegate, reg)
	})
	if err != nil {
		return nil, err
	}
	return reg, nil
}

// Delegation lists the registrations of state's delegation to meeting
// meetingID, withdrawn ones included, oldest first.
func (s *Service) Delegation(ctx context.Context, meetingID uint, country string) ([]models.Registration, error) {
	var out []models.Registration
	db := s.DB.WithContext(ctx)
	err := db.Preload("Organization").Where("meeting_id = ? AND organization_id IN (?)", meetingID, stateRecord(db, country)).
		Order("id").Find(&out).Error
	return out, err
}

// WithdrawDelegate withdraws member id of state country's delegation to
// meeting meetingID, as the member could themselves; another delegation's
// member, or another meeting's, is not found.
func (s *Service) WithdrawDelegate(ctx context.Context, meetingID uint, country string, id uint) (*Outcome, error) {
	var reg models.Registration
	db := s.DB.WithContext(ctx)
	err := db.Where("id = ? AND meeting_id = ? AND organization_id IN (?)", id, meetingID, stateRecord(db, country)).
		Limit(1).Find(&reg).Error
	if err != nil {
		return nil, err
	}
	if reg.ID == 0 {
		return nil, apperr.Say(apperr.KindNotFound, "err.no_member_of_delegation", "ID", fmt.Sprint(id))
	}
	return s.Withdraw(ctx, id)
}
