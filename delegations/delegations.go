// Package delegations is the room of the States: their Permanent Missions
// (the secretariat imports them), the missions' invitations to meetings
// and the focal-point links those carry, by which a mission registers its
// delegation.
//
// It owns missions and mission_invitations, apart from registration,
// because a mission is not a participant: it is an address book entry of
// the secretariat and a key that acts for a State, with its own link and
// its own life across meetings. The members of a delegation, though, are
// participants like any other, so they stay registration's: this package
// asks registration (Delegates) to register, list and withdraw them, and
// registration checks the limit per delegation inside its own write
// transaction.
package delegations

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"rostrum/apperr"
	"rostrum/auth"
	"rostrum/locale"
	"rostrum/meetings"
	"rostrum/models"
	"rostrum/registration"
	"rostrum/textcheck"
)

// Delegates is what this room asks of registration, which owns the
// delegation members' registrations.
type Delegates interface {
	RegisterDelegate(ctx context.Context, meetingID uint, st registration.State, in registration.DelegateInput) (*models.Registration, error)
	Delegation(ctx context.Context, meetingID uint, country string) ([]models.Registration, error)
	WithdrawDelegate(ctx context.Context, meetingID uint, country string, id uint) (*registration.Outcome, error)
}

// Service stores missions and their invitations.
type Service struct {
	DB *gorm.DB
	// PublicURL prefixes the focal-point links sent by mail.
	PublicURL string
	// Notify, when set, wakes the mail worker after mail was queued.
	Notify    func()
	Delegates Delegates
}

// FocalPointURL is the focal point's page for a link's token.
func (s *Service) FocalPointURL(token string) string { return s.PublicURL + "/d/" + token }

// MissionInput is one mission as the secretariat imports it.
type MissionInput struct {
	Country string `json:"country"`
	Kind    string `json:"kind"`
	Name    string `json:"name"`
	Email   string `json:"email"`
}

// MaxImport is the most missions one import may hold (193 Member States
// and the observers, with room to spare).
const MaxImport = 1000

// validate checks every mission of in, naming a bad field by the
// mission's position: "0.country".
func validate(in []MissionInput) ([]models.Mission, error) {
	f := apperr.Fields{}
	if len(in) == 0 {
		f.Say("missions", "err.delegations.one")
	} else if len(in) > MaxImport {
		f.Say("missions", "err.delegations.max", "Max", MaxImport)
	}
	out := make([]models.Mission, 0, len(in))
	seen := map[string]int{}
	for i, m := range in {
		p := fmt.Sprintf("%d.", i)
		code, ok := registration.Country(m.Country)
		switch {
		case !ok:
			f.Say(p+"country", "err.delegations.country")
		case seen[code] > 0:
			f.Say(p+"country", "err.delegations.twice", "Country", countryName(code), "At", seen[code]-1)
		default:
			seen[code] = i + 1
		}
		kind := strings.TrimSpace(m.Kind)
		if kind != models.KindMemberState && kind != models.KindObserverState {
			f.Say(p+"kind", "err.delegations.kind")
		}
		name := strings.TrimSpace(m.Name)
		switch {
		case name == "":
			f.Say(p+"name", "err.field.required")
		case len([]rune(name)) > 300:
			f.Say(p+"name", "err.meetings.at_most_chars", "Max", 300)
		default:
			if id, r := textcheck.Fault(name, false); id != "" {
				f.Say(p+"name", id, "Char", fmt.Sprintf("U+%04X", r))
			}
		}
		email, ok := registration.ValidEmail(strings.TrimSpace(m.Email))
		if !ok {
			f.Say(p+"email", "err.field.email")
		}
		out = append(out, models.Mission{Country: code, Kind: kind, Name: name, Email: email})
	}
	return out, f.Err()
}

// ParseCSV reads missions from CSV with a header row naming the columns
// country, kind, name and email (in any order).
func ParseCSV(body []byte) ([]MissionInput, error) {
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(body, []byte("\ufeff"))))
	r.TrimLeadingSpace = true
	head, err := r.Read()
	if err != nil {
		return nil, apperr.Say(apperr.KindBadRequest, "err.delegations.header")
	}
	col := map[string]int{}
	for i, h := range head {
		col[strings.ToLower(strings.TrimSpace(h))] = i
	}
	for _, want := range []string{"country", "kind", "name", "email"} {
		if _, ok := col[want]; !ok {
			return nil, apperr.Say(apperr.KindBadRequest, "err.delegations.column", "Column", strconv.Quote(want))
		}
	}
	var out []MissionInput
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, apperr.Say(apperr.KindBadRequest, "err.registration.csv_unreadable", "Why", err.Error())
		}
		get := func(k string) string {
			if i := col[k]; i < len(rec) {
				return rec[i]
			}
			return ""
		}
		out = append(out, MissionInput{Country: get("country"), Kind: get("kind"), Name: get("name"), Email: get("email")})
	}
}

// Import stores the missions of in, each replacing the mission of its
// country if there is one; nothing is stored unless every one is valid.
func (s *Service) Import(ctx context.Context, in []MissionInput) (int, error) {
	ms, err := validate(in)
	if err != nil {
		return 0, err
	}
	err = s.DB.WithContext(ctx).Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "country"}},
		DoUpdates: clause.AssignmentColumns([]string{"kind", "name", "email", "updated_at"}),
	}).Create(&ms).Error
	return len(ms), err
}

// Missions lists the missions in the order of their countries' names.
func (s *Service) Missions(ctx context.Context) ([]models.Mission, error) {
	var ms []models.Mission
	if err := s.DB.WithContext(ctx).Find(&ms).Error; err != nil {
		return nil, err
	}
	order := map[string]int{}
	for i, c := range registration.Countries() {
		order[c.Code] = i
	}
	sortBy(ms, func(m models.Mission) int { return order[m.Country] })
	return ms, nil
}

// Invited is one mission an invitation was mailed to.
type Invited struct {
	Country string `json:"country"`
	Name    string `json:"name"`
	Email   string `json:"email"`
}

// Invite mails each mission of countries (every mission when countries is
// empty) its focal point's private link to the meeting named slug. A
// mission invited before gets a new link and its old one stops working.
// Each invitation and its mail are stored in one transaction.
func (s *Service) Invite(ctx context.Context, slug string, countries []string) ([]Invited, error) {
	m, err := meetings.BySlug(ctx, s.DB, slug)
	if err != nil {
		return nil, err
	}
	db := s.DB.WithContext(ctx)
	var ms []models.Mission
	if len(countries) == 0 {
		err = db.Order("id").Find(&ms).Error
	} else {
		f := apperr.Fields{}
		codes := make([]string, 0, len(countries))
		for i, c := range countries {
			code, ok := registration.Country(c)
			if !ok {
				f.Say(fmt.Sprintf("countries.%d", i), "err.delegations.country")
			}
			codes = append(codes, code)
		}
		if err := f.Err(); err != nil {
			return nil, err
		}
		err = db.Where("country IN ?", codes).Order("id").Find(&ms).Error
		if err == nil && len(ms) < len(dedupe(codes)) {
			have := map[string]bool{}
			for _, x := range ms {
				have[x.Country] = true
			}
			for i, c := range codes {
				if !have[c] {
					f.Say(fmt.Sprintf("countries.%d", i), "err.delegations.not_imported", "Country", countryName(c))
				}
			}
			return nil, f.Err()
		}
	}
	if err != nil {
		return nil, err
	}
	if len(countries) == 0 { // every mission of a kind the meeting admits
		ms = slices.DeleteFunc(ms, func(x models.Mission) bool { return !m.Categories.Admits(x.Kind) })
	} else {
		f := apperr.Fields{}
		at := map[string]int{}
		for i, c := range countries {
			code, _ := registration.Country(c)
			at[code] = i
		}
		for _, x := range ms {
			if !m.Categories.Admits(x.Kind) {
				f.Say(fmt.Sprintf("countries.%d", at[x.Country]), "err.delegations.not_admitted", "Country", countryName(x.Country), "Kind", stateKind(x.Kind))
			}
		}
		if err := f.Err(); err != nil {
			return nil, err
		}
	}
	if len(ms) == 0 {
		return nil, apperr.Say(apperr.KindConflict, "err.delegations.none").WithCode("no_missions")
	}
	out := make([]Invited, 0, len(ms))
	err = db.Transaction(func(tx *gorm.DB) error {
		for _, ms := range ms {
			token := auth.NewToken()
			inv := models.MissionInvitation{MeetingID: m.ID, MissionID: ms.ID, TokenHash: auth.HashToken(token), InvitedAt: time.Now().UTC()}
			if err := tx.Omit(clause.Associations).Clauses(clause.OnConflict{
				Columns:   []clause.Column{{Name: "meeting_id"}, {Name: "mission_id"}},
				DoUpdates: clause.AssignmentColumns([]string{"token_hash", "invited_at"}),
			}).Create(&inv).Error; err != nil {
				return err
			}
			if err := s.enqueue(tx, m, &ms, token); err != nil {
				return err
			}
			out = append(out, Invited{Country: registration.CountryName(ms.Country), Name: ms.Name, Email: ms.Email})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if s.Notify != nil {
		s.Notify()
	}
	return out, nil
}

func dedupe(xs []string) map[string]bool {
	out := map[string]bool{}
	for _, x := range xs {
		out[x] = true
	}
	return out
}

// FocalPoint is who holds a focal-point link: a mission, for one meeting.
type FocalPoint struct {
	Meeting models.Meeting
	Mission models.Mission
}

// State is the State the focal point acts for.
func (f *FocalPoint) State() registration.State {
	return registration.State{Country: f.Mission.Country, Kind: f.Mission.Kind}
}

// ByToken returns the focal point whose link has token, or nil.
func (s *Service) ByToken(ctx context.Context, token string) (*FocalPoint, error) {
	if len(token) < 20 || len(token) > 100 {
		return nil, nil
	}
	db := s.DB.WithContext(ctx)
	var inv models.MissionInvitation
	if err := db.Preload("Mission").Where("token_hash = ?", auth.HashToken(token)).Limit(1).Find(&inv).Error; err != nil {
		return nil, err
	}
	if inv.ID == 0 {
		return nil, nil
	}
	m, err := meetings.ByID(db, inv.MeetingID)
	if err != nil {
		return nil, err
	}
	return &FocalPoint{Meeting: *m, Mission: inv.Mission}, nil
}

// Register registers a member of the focal point's delegation.
func (s *Service) Register(ctx context.Context, f *FocalPoint, in registration.DelegateInput) (*models.Registration, error) {
	return s.Delegates.RegisterDelegate(ctx, f.Meeting.ID, f.State(), in)
}

// Members lists the focal point's delegation.
func (s *Service) Members(ctx context.Context, f *FocalPoint) ([]models.Registration, error) {
	return s.Delegates.Delegation(ctx, f.Meeting.ID, f.Mission.Country)
}

// Withdraw withdraws member id of the focal point's delegation.
func (s *Service) Withdraw(ctx context.Context, f *FocalPoint, id uint) (*registration.Outcome, error) {
	return s.Delegates.WithdrawDelegate(ctx, f.Meeting.ID, f.Mission.Country, id)
}

// Invited lists the missions invited to meeting meetingID, in id order:
// the States a non-objection notice of the meeting is circulated to.
func (s *Service) Invited(ctx context.Context, meetingID uint) ([]models.Mission, error) {
	var ms []models.Mission
	err := s.DB.WithContext(ctx).Where("id IN (?)", s.DB.Model(&models.MissionInvitation{}).
		Select("mission_id").Where("meeting_id = ?", meetingID)).Order("id").Find(&ms).Error
	return ms, err
}

// FocalPointOf returns the focal point of mission missionID for meeting
// meetingID, or nil when the mission is not invited to it: who holds a
// link that package accreditation mailed to the mission.
func (s *Service) FocalPointOf(ctx context.Context, meetingID, missionID uint) (*FocalPoint, error) {
	db := s.DB.WithContext(ctx)
	var inv models.MissionInvitation
	if err := db.Preload("Mission").Where("meeting_id = ? AND mission_id = ?", meetingID, missionID).Limit(1).Find(&inv).Error; err != nil {
		return nil, err
	}
	if inv.ID == 0 {
		return nil, nil
	}
	m, err := meetings.ByID(db, meetingID)
	if err != nil {
		return nil, err
	}
	return &FocalPoint{Meeting: *m, Mission: inv.Mission}, nil
}

// ByIDs returns the missions ids, by id (those that exist).
func (s *Service) ByIDs(ctx context.Context, ids []uint) (map[uint]models.Mission, error) {
	out := map[uint]models.Mission{}
	if len(ids) == 0 {
		return out, nil
	}
	var ms []models.Mission
	if err := s.DB.WithContext(ctx).Where("id IN ?", ids).Find(&ms).Error; err != nil {
		return nil, err
	}
	for _, m := range ms {
		out[m.ID] = m
	}
	return out, nil
}

// countryName is a country as an argument of a message: its name in each
// language.
type countryName string

func (c countryName) In(lang string) string { return registration.CountryNameIn(lang, string(c)) }

// stateKind is a kind of State as an argument of a message: "Member
// State", "Observer State" in each language.
type stateKind string

func (k stateKind) In(lang string) string {
	if lang == locale.Default {
		return models.CategoryLabel(string(k))
	}
	return locale.T(lang, "type."+string(k))
}
