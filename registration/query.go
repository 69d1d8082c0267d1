package registration

import (
	"context"
	"errors"
	"strings"

	"gorm.io/gorm"

	"rostrum/apperr"
	"rostrum/models"
)

// Filter narrows a list of registrations.
type Filter struct {
	Status string // one state, or empty for all
	Type   string // one stakeholder type, or empty for all
	Q      string // words searched in name, email and organization
	// NameChange "pending" keeps the registrations whose participant asked
	// for a new name the secretariat has not yet accepted or refused.
	NameChange string
	// Track keeps one accreditation track (TrackECOSOC, ...), or all
	// when empty.
	Track  string
	Limit  int // 0 means DefaultLimit
	Offset int
}

// DefaultLimit and MaxLimit bound one page of a list.
const (
	DefaultLimit = 1000
	MaxLimit     = 5000
)

// Validate checks the filter's values.
func (f *Filter) Validate() error {
	fe := apperr.Fields{}
	if f.Status != "" && !oneOf(f.Status, models.RegistrationStatuses) {
		fe.Say("status", "err.meetings.kind", "Kinds", strings.Join(models.RegistrationStatuses, ", "))
	}
	if f.Type != "" && !oneOf(f.Type, models.Categories) {
		fe.Say("type", "err.meetings.kind", "Kinds", strings.Join(models.Categories, ", "))
	}
	if f.Track != "" && !oneOf(f.Track, Tracks) {
		fe.Say("track", "err.meetings.kind", "Kinds", strings.Join(Tracks, ", "))
	}
	if f.NameChange != "" && f.NameChange != "pending" {
		fe.Say("name_change", "err.registration.pending_or_empty")
	}
	f.Q = strings.TrimSpace(f.Q)
	if len(f.Q) > 200 {
		fe.Say("q", "err.meetings.at_most_chars", "Max", 200)
	}
	if f.Limit == 0 {
		f.Limit = DefaultLimit
	}
	if f.Limit < 0 || f.Limit > MaxLimit {
		fe.Say("limit", "err.registration.between", "Max", MaxLimit)
	}
	if f.Offset < 0 {
		fe.Say("offset", "err.registration.not_negative")
	}
	return fe.Err()
}

// likeEscaper escapes LIKE's wildcards in user input.
var likeEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)

func (s *Service) filtered(ctx context.Context, meetingID uint, f Filter) *gorm.DB {
	q := s.DB.WithContext(ctx).Model(&models.Registration{}).
		Joins("JOIN organizations ON organizations.id = registrations.organization_id").
		Where("registrations.meeting_id = ?", meetingID)
	if f.Status != "" {
		q = q.Where("registrations.status = ?", f.Status)
	}
	if f.Type != "" {
		q = q.Where("organizations.type = ?", f.Type)
	}
	if f.NameChange == "pending" {
		q = q.Where("registrations.pending_name <> ''")
	}
	states := []string{models.KindMemberState, models.KindObserverState}
	switch f.Track {
	case TrackDelegation:
		q = q.Where("organizations.type IN ?", states)
	case TrackECOSOC:
		q = q.Where("organizations.type NOT IN ? AND organizations.ecosoc_verified <> ''", states)
	case TrackNonObjection:
		q = q.Where("organizations.type NOT IN ? AND organizations.ecosoc_verified = ''", states)
	}
	for _, word := range strings.Fields(f.Q) {
		w := "%" + likeEscaper.Replace(strings.ToLower(word)) + "%"
		q = q.Where(`(LOWER(registrations.name) LIKE ? ESCAPE '\' OR LOWER(registrations.email) LIKE ? ESCAPE '\' OR LOWER(organizations.name) LIKE ? ESCAPE '\' OR LOWER(organizations.acronym) LIKE ? ESCAPE '\')`, w, w, w, w)
	}
	return q
}

// List returns a page of the meeting's registrations matching f, oldest
// first, with the number of all that match.
func (s *Service) List(ctx context.Context, meetingID uint, f Filter) ([]models.Registration, int64, error) {
	if err := f.Validate(); err != nil {
		return nil, 0, err
	}
	var total int64
	if err := s.filtered(ctx, meetingID, f).Count(&total).Error; err != nil {
		return nil, 0, err
	}
	var regs []models.Registration
	err := s.filtered(ctx, meetingID, f).Preload("Organization").
		Order("registrations.created_at, registrations.id").Limit(f.Limit).Offset(f.Offset).Find(&regs).Error
	return regs, total, err
}

// Counts are a meeting's registrations counted by state, and by
// stakeholder type and state. Every state and type is present.
type Counts struct {
	ByStatus map[string]int64            `json:"by_status"`
	ByType   map[string]map[string]int64 `json:"by_type"`
}

// Registration returns registration id of the meeting with its
// organization, read through tx (the caller's transaction), or a NotFound
// error: who a speaker is, for the live list (live.Registry).
func (s *Service) Registration(tx *gorm.DB, meetingID, id uint) (*models.Registration, error) {
	var r models.Registration
	err := tx.Preload("Organization").Where("id = ? AND meeting_id = ?", id, meetingID).First(&r).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, apperr.Say(apperr.KindNotFound, "err.registration.not_for_meeting", "ID", id)
	}
	if err != nil {
		return nil, err
	}
	return &r, nil
}

// HasRegistered reports whether email has ever registered for the
// meeting, in any state (withdrawn too).
func (s *Service) HasRegistered(ctx context.Context, meetingID uint, email string) (bool, error) {
	var n int64
	err := s.DB.WithContext(ctx).Model(&models.Registration{}).
		Where("meeting_id = ? AND email = ?", meetingID, email).Count(&n).Error
	return n > 0, err
}

// OrganizationCount counts the organizations with a registration, in any
// state, for the meeting.
func (s *Service) OrganizationCount(ctx context.Context, meetingID uint) (int64, error) {
	var n int64
	err := s.DB.WithContext(ctx).Model(&models.Registration{}).
		Where("meeting_id = ?", meetingID).Distinct("organization_id").Count(&n).Error
	return n, err
}

// Approved lists the meeting's approved registrations with their
// organizations, oldest first.
func (s *Service) Approved(ctx context.Context, meetingID uint) ([]models.Registration, error) {
	var regs []models.Registration
	err := s.DB.WithContext(ctx).Preload("Organization").
		Where("meeting_id = ? AND status = ?", meetingID, models.StatusApproved).Order("id").Find(&regs).Error
	return regs, err
}

// OrganizationsOf returns the organization of each of registrations ids,
// by registration id.
func (s *Service) OrganizationsOf(ctx context.Context, ids []uint) (map[uint]models.Organization, error) {
	out := make(map[uint]models.Organization, len(ids))
	for start := 0; start < len(ids); start += 500 { // bounded IN lists
		var regs []models.Registration
		if err := s.DB.WithContext(ctx).Preload("Organization").Select("id", "organization_id").
			Where("id IN ?", ids[start:min(start+500, len(ids))]).Find(&regs).Error; err != nil {
			return nil, err
		}
		for _, r := range regs {
			out[r.ID] = r.Organization
		}
	}
	return out, nil
}

// Count counts the meeting's registrations.
func (s *Service) Count(ctx context.Context, meetingID uint) (Counts, error) {
	c := Counts{ByStatus: map[string]int64{}, ByType: map[string]map[string]int64{}}
	for _, st := range models.RegistrationStatuses {
		c.ByStatus[st] = 0
	}
	for _, t := range models.Categories {
		c.ByType[t] = map[string]int64{"total": 0}
		for _, st := range models.RegistrationStatuses {
			c.ByType[t][st] = 0
		}
	}
	var rows []struct {
		Status string
		Type   string
		N      int64
	}
	err := s.DB.WithContext(ctx).Model(&models.Registration{}).
		Select("registrations.status AS status, organizations.type AS type, COUNT(*) AS n").
		Joins("JOIN organizations ON organizations.id = registrations.organization_id").
		Where("registrations.meeting_id = ?", meetingID).
		Group("registrations.status, organizations.type").Scan(&rows).Error
	if err != nil {
		return c, err
	}
	for _, r := range rows {
		c.ByStatus[r.Status] += r.N
		if c.ByType[r.Type] == nil {
			c.ByType[r.Type] = map[string]int64{"total": 0}
		}
		c.ByType[r.Type][r.Status] += r.N
		c.ByType[r.Type]["total"] += r.N
	}
	return c, nil
}

// PublicOrganization is what anyone may see of an accredited organization:
// no person's data.
type PublicOrganization struct {
	Name        string `json:"name"`
	Acronym     string `json:"acronym"`
	Type        string `json:"type"`
	Country     string `json:"country"`
	CountryName string `json:"country_name"`
}

// ApprovedOrganizations lists, by name, the organizations with at least
// one approved representative for the meeting.
func (s *Service) ApprovedOrganizations(ctx context.Context, meetingID uint) ([]PublicOrganization, error) {
	var orgs []models.Organization
	err := s.DB.WithContext(ctx).Model(&models.Organization{}).
		Where("id IN (?)", s.DB.Model(&models.Registration{}).Select("organization_id").
			Where("meeting_id = ? AND status = ?", meetingID, models.StatusApproved)).
		Order("name_key, id").Find(&orgs).Error
	if err != nil {
		return nil, err
	}
	out := make([]PublicOrganization, len(orgs))
	for i, o := range orgs {
		out[i] = PublicOrganization{Name: o.Name, Acronym: o.Acronym, Type: o.Type, Country: o.Country, CountryName: CountryName(o.Country)}
	}
	return out, nil
}
