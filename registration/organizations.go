package registration

import (
	"context"
	"errors"
	"sort"
	"strings"

	"gorm.io/gorm"

	"rostrum/apperr"
	"rostrum/audit"
	"rostrum/auth"
	"rostrum/locale"
	"rostrum/models"
)

// The organization record is the secretariat's. A registration that
// creates an organization gives its first values; after that, what a
// registrant says is kept as the registration's claim, and only the
// secretariat edits or merges the record (this file).

// OrganizationFilter narrows the secretariat's list of organizations.
type OrganizationFilter struct {
	Q      string // words searched in name and acronym
	Limit  int    // 0 means DefaultOrganizationLimit
	Offset int
}

// DefaultOrganizationLimit and MaxOrganizationLimit bound one page.
const (
	DefaultOrganizationLimit = 50
	MaxOrganizationLimit     = 500
)

// Validate checks the filter's values.
func (f *OrganizationFilter) Validate() error {
	fe := apperr.Fields{}
	f.Q = strings.TrimSpace(f.Q)
	if len(f.Q) > 200 {
		fe.Say("q", "err.meetings.at_most_chars", "Max", 200)
	}
	if f.Limit == 0 {
		f.Limit = DefaultOrganizationLimit
	}
	if f.Limit < 0 || f.Limit > MaxOrganizationLimit {
		fe.Say("limit", "err.registration.between", "Max", MaxOrganizationLimit)
	}
	if f.Offset < 0 {
		fe.Say("offset", "err.registration.not_negative")
	}
	return fe.Err()
}

// OrganizationSummary is an organization with its registrations (of every
// meeting) counted by state, and in all as "total".
type OrganizationSummary struct {
	models.Organization
	Registrations map[string]int64
}

func (s *Service) organizationsMatching(ctx context.Context, q string) *gorm.DB {
	db := s.DB.WithContext(ctx).Model(&models.Organization{})
	for _, word := range strings.Fields(q) {
		// The folded name has no spaces, so each word is folded alike and
		// looked for in it: "genève" finds "Université de Genève".
		key := "%" + likeEscaper.Replace(NameKey(word)) + "%"
		acr := "%" + likeEscaper.Replace(strings.ToLower(word)) + "%"
		db = db.Where(`(name_key LIKE ? ESCAPE '\' OR LOWER(acronym) LIKE ? ESCAPE '\')`, key, acr)
	}
	return db
}

// Organizations returns a page of the organizations whose name or acronym
// holds every word of f.Q, by name, with the number of all that match.
func (s *Service) Organizations(ctx context.Context, f OrganizationFilter) ([]OrganizationSummary, int64, error) {
	if err := f.Validate(); err != nil {
		return nil, 0, err
	}
	var total int64
	if err := s.organizationsMatching(ctx, f.Q).Count(&total).Error; err != nil {
		return nil, 0, err
	}
	var orgs []models.Organization
	if err := s.organizationsMatching(ctx, f.Q).Order("name_key, id").Limit(f.Limit).Offset(f.Offset).Find(&orgs).Error; err != nil {
		return nil, 0, err
	}
	out := make([]OrganizationSummary, len(orgs))
	ids := make([]uint, len(orgs))
	index := map[uint]int{}
	for i, o := range orgs {
		out[i] = OrganizationSummary{Organization: o, Registrations: emptyCounts()}
		ids[i], index[o.ID] = o.ID, i
	}
	if len(ids) == 0 {
		return out, total, nil
	}
	var rows []struct {
		OrganizationID uint
		Status         string
		N              int64
	}
	if err := s.DB.WithContext(ctx).Model(&models.Registration{}).
		Select("organization_id, status, COUNT(*) AS n").Where("organization_id IN ?", ids).
		Group("organization_id, status").Scan(&rows).Error; err != nil {
		return nil, 0, err
	}
	for _, r := range rows {
		c := out[index[r.OrganizationID]].Registrations
		c[r.Status] += r.N
		c["total"] += r.N
	}
	return out, total, nil
}

func emptyCounts() map[string]int64 {
	c := map[string]int64{"total": 0}
	for _, st := range models.RegistrationStatuses {
		c[st] = 0
	}
	return c
}

// OrganizationEdit is the secretariat's change to an organization record:
// the fields present (not nil) change, the others stay.
type OrganizationEdit struct {
	Name         *string `json:"name"`
	Acronym      *string `json:"acronym"`
	Type         *string `json:"type"`
	Country      *string `json:"country"`
	Website      *string `json:"website"`
	ECOSOCStatus *string `json:"ecosoc_status"`
}

// Apply validates the fields present in e, changes them on org and
// returns the changed columns, or an Invalid error naming the bad fields.
// A field is checked as on the registration form (an empty acronym or
// website clears it, an empty ECOSOC status is "none").
func (e OrganizationEdit) Apply(org *models.Organization) (map[string]any, error) {
	f := apperr.Fields{}
	cols := map[string]any{}
	if e.Name != nil {
		name, key := checkOrgName(f, "name", *e.Name)
		org.Name, org.NameKey = name, key
		cols["name"], cols["name_key"] = name, key
	}
	if e.Acronym != nil {
		org.Acronym = checkText(f, "acronym", *e.Acronym, false, MaxAcronym)
		cols["acronym"] = org.Acronym
	}
	if e.Type != nil {
		org.Type = checkOrgType(f, "type", *e.Type)
		cols["type"] = org.Type
	}
	if e.Country != nil {
		org.Country = checkCountry(f, "country", *e.Country)
		cols["country"] = org.Country
	}
	if e.Website != nil {
		org.Website, org.WebsiteKey = checkWebsite(f, "website", *e.Website)
		cols["website"], cols["website_key"] = org.Website, org.WebsiteKey
	}
	if e.ECOSOCStatus != nil {
		org.ECOSOCStatus = checkECOSOC(f, "ecosoc_status", *e.ECOSOCStatus)
		cols["ecosoc_status"] = org.ECOSOCStatus
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	return cols, nil
}

func organizationByID(tx *gorm.DB, id uint) (*models.Organization, error) {
	var o models.Organization
	if err := tx.Where("id = ?", id).First(&o).Error; err != nil {
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return nil, apperr.Say(apperr.KindNotFound, "err.registration.no_org", "ID", id)
		}
		return nil, err
	}
	return &o, nil
}

// nameTaken is the conflict of a name whose folded form another
// organization already has.
func nameTaken(name string, other uint) error {
	return apperr.Say(apperr.KindConflict, "err.registration.name_taken_by", "ID", other, "Name", name).
		WithCode("organization_name_taken")
}

// UpdateOrganization applies the secretariat's edit to organization id. A
// new name must stay unique once folded (409 organization_name_taken).
func (s *Service) UpdateOrganization(ctx context.Context, by auth.Actor, id uint, e OrganizationEdit) (*models.Organization, error) {
	var org *models.Organization
	err := s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var err error
		if org, err = organizationByID(tx, id); err != nil {
			return err
		}
		if err := notAState(org); err != nil {
			return err
		}
		cols, err := e.Apply(org)
		if err != nil || len(cols) == 0 {
			return err
		}
		if _, ok := cols["name_key"]; ok {
			var other models.Organization
			if err := tx.Where("name_key = ? AND id <> ?", org.NameKey, id).Limit(1).Find(&other).Error; err != nil {
				return err
			}
			if other.ID != 0 {
				return nameTaken(org.Name, other.ID)
			}
		}
		err = tx.Model(&models.Organization{}).Where("id = ?", id).Updates(cols).Error
		if errors.Is(err, gorm.ErrDuplicatedKey) { // a registration created the name meanwhile
			return apperr.Say(apperr.KindConflict, "err.registration.name_taken", "Name", org.Name).
				WithCode("organization_name_taken")
		}
		if err != nil {
			return err
		}
		meetingIDs, err := meetingsOf(tx, id)
		if err != nil {
			return err
		}
		changed := map[string]any{}
		for k, v := range cols {
			if !strings.HasSuffix(k, "_key") { // derived, for matching
				changed[k] = v
			}
		}
		return audit.RecordEach(tx, s.now(), meetingIDs, audit.Entry{Actor: by, Action: ActEditOrganization,
			Detail: map[string]any{"organization_id": id, "name": org.Name, "changed": changed}})
	})
	if err != nil {
		return nil, err
	}
	return org, nil
}

// meetingsOf lists, in id order, the meetings where organization id has
// registrations.
func meetingsOf(tx *gorm.DB, id uint) ([]uint, error) {
	var ids []uint
	err := tx.Model(&models.Registration{}).Distinct("meeting_id").
		Where("organization_id = ?", id).Order("meeting_id").Pluck("meeting_id", &ids).Error
	return ids, err
}

// MergeCount is, for one meeting, its limit of representatives per
// organization and the active (pending, approved, waitlisted)
// registrations that the organization merged away and the one kept have.
type MergeCount struct {
	Meeting        string // its title, for the message
	Limit          int    // 0 means no limit
	Source, Target int
}

// CheckMerge refuses a merge that would give the kept organization more
// active registrations at a meeting than its limit per organization: the
// same states count as when a registration is checked against the limit
// (a waitlisted one moves to pending by itself when a seat frees up, with
// no second look at its organization).
func CheckMerge(counts []MergeCount) error {
	var over mergeOver
	for _, c := range counts {
		if c.Limit > 0 && c.Source > 0 && c.Source+c.Target > c.Limit {
			over = append(over, c)
		}
	}
	if len(over) == 0 {
		return nil
	}
	sort.Slice(over, func(i, j int) bool { return over[i].Meeting < over[j].Meeting })
	return apperr.Say(apperr.KindConflict, "err.registration.merge_over", "Meetings", over).WithCode("merge_exceeds_organization_limit")
}

// mergeOver lists the meetings whose limit a merge would pass, as an
// argument of a message, in each language.
type mergeOver []MergeCount

func (o mergeOver) In(lang string) string {
	parts := make([]string, len(o))
	for i, c := range o {
		parts[i] = locale.T(lang, "err.registration.merge_meeting", "Meeting", c.Meeting, "Together", c.Source+c.Target, "Limit", c.Limit)
	}
	return strings.Join(parts, "; ")
}

// MergeResult is the organization kept and how many registrations moved to it.
type MergeResult struct {
	Organization models.Organization
	Moved        int64
}

// MergeOrganizations moves every registration of organization id to
// organization into and deletes id, unless that would break a meeting's
// limit per organization (409 merge_exceeds_organization_limit, nothing
// changed). The registrations keep their claims. The meetings concerned
// are locked first, so that no registration slips in between the count
// and the move.
func (s *Service) MergeOrganizations(ctx context.Context, by auth.Actor, id, into uint) (*MergeResult, error) {
	switch {
	case into == 0:
		return nil, apperr.Say(apperr.KindInvalid, "err.fields_invalid").WithField("into", "err.registration.into_required")
	case into == id:
		return nil, apperr.Say(apperr.KindInvalid, "err.fields_invalid").WithField("into", "err.registration.into_other")
	}
	var out MergeResult
	err := s.write(ctx, func(tx *gorm.DB) error {
		source, err := organizationByID(tx, id)
		if err != nil {
			return err
		}
		target, err := organizationByID(tx, into)
		if err != nil {
			return err
		}
		for _, o := range []*models.Organization{source, target} {
			if err := notAState(o); err != nil {
				return err
			}
		}
		meetingIDs, err := meetingsOf(tx, id)
		if err != nil {
			return err
		}
		counts := make([]MergeCount, 0, len(meetingIDs))
		for _, mid := range meetingIDs { // in id order, so two merges lock alike
			m, _, err := lockMeeting(tx, mid)
			if err != nil {
				return err
			}
			src, err := countWhere(tx, "meeting_id = ? AND organization_id = ? AND status IN ?", mid, id, ActiveStatuses)
			if err != nil {
				return err
			}
			tgt, err := countWhere(tx, "meeting_id = ? AND organization_id = ? AND status IN ?", mid, into, ActiveStatuses)
			if err != nil {
				return err
			}
			counts = append(counts, MergeCount{Meeting: m.Title, Limit: m.MaxPerOrganization, Source: src, Target: tgt})
		}
		if err := CheckMerge(counts); err != nil {
			return err
		}
		res := tx.Model(&models.Registration{}).Where("organization_id = ?", id).Update("organization_id", into)
		if res.Error != nil {
			return res.Error
		}
		out.Moved = res.RowsAffected
		if err := tx.Where("id = ?", id).Delete(&models.Organization{}).Error; err != nil {
			return err
		}
		out.Organization = *target
		return audit.RecordEach(tx, s.now(), meetingIDs, audit.Entry{Actor: by, Action: ActMergeOrganization,
			Detail: map[string]any{"organization_id": id, "name": source.Name, "into": into, "into_name": target.Name, "moved": out.Moved}})
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// HasClaim reports whether r recorded its registrant's claim (those from
// before the claims were kept did not).
func HasClaim(r *models.Registration) bool { return r.ClaimedOrgName != "" }

// ClaimDiffers lists the fields (name, acronym, type, country, website,
// ecosoc_status) where what r's registrant claimed differs from the
// organization record, for the secretariat to compare. Names are compared
// folded, as they are matched; a field the registrant left empty (or an
// ECOSOC status of "none") claims nothing and differs from nothing.
func ClaimDiffers(r *models.Registration, org *models.Organization) []string {
	out := []string{}
	if !HasClaim(r) {
		return out
	}
	differs := func(field, claimed, record string) {
		if claimed != "" && claimed != record {
			out = append(out, field)
		}
	}
	if NameKey(r.ClaimedOrgName) != org.NameKey {
		out = append(out, "name")
	}
	differs("acronym", r.ClaimedOrgAcronym, org.Acronym)
	differs("type", r.ClaimedOrgType, org.Type)
	differs("country", r.ClaimedOrgCountry, org.Country)
	if r.ClaimedOrgWebsite != "" && WebsiteKey(r.ClaimedOrgWebsite) != org.WebsiteKey {
		out = append(out, "website")
	}
	if r.ClaimedOrgECOSOCStatus != "none" {
		differs("ecosoc_status", r.ClaimedOrgECOSOCStatus, org.ECOSOCStatus)
	}
	return out
}
