// Package meetings owns the meetings and their agenda (the tables
// meetings and agenda_items). A meeting's slug names it in every URL; its
// agenda items each carry a list of speakers, whose live list (package
// live) appends items through AppendItem and reads them through ItemsIn.
package meetings

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"

	"rostrum/apperr"
	"rostrum/locale"
	"rostrum/models"
	"rostrum/textcheck"
)

var slugRE = regexp.MustCompile(`^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$`)

// Input is a new meeting as the secretariat enters it.
type Input struct {
	Slug                 string `json:"slug"`
	Title                string `json:"title"`
	Venue                string `json:"venue"`
	Chair                string `json:"chair"`
	Symbol               string `json:"symbol"`
	StartsAt             string `json:"starts_at"`
	EndsAt               string `json:"ends_at"`
	Timezone             string `json:"timezone"`
	RegistrationClosesAt string `json:"registration_closes_at"`
	Capacity             int    `json:"capacity"`
	MaxPerOrganization   int    `json:"max_per_organization"`
	MaxPerDelegation     int    `json:"max_per_delegation"`
	Attribution          string `json:"attribution"`
	// Categories are the participant categories admitted (models.Categories);
	// none listed admits all.
	Categories []string `json:"categories"`
	// SpeakerOrder places requests for the floor: models.SpeakerOrderRequest
	// (the default) or models.SpeakerOrderPrecedence.
	SpeakerOrder string `json:"speaker_order"`
	// Body is the full name of the body the meeting serves, BodyAcronym
	// its short name ("OEWG"), both for the Chair's summary.
	Body        string `json:"body"`
	BodyAcronym string `json:"body_acronym"`
	// Process is the slug of the process the meeting belongs to ("" for
	// none), Kind what it is in it (models.MeetingKinds).
	Process string `json:"process"`
	Kind    string `json:"kind"`
	// PrivacyNotice is the Markdown the registration form shows ("" for
	// none: the form's built-in text applies).
	PrivacyNotice string `json:"privacy_notice"`
	// RetentionDays is how long after the meeting's end registrations
	// keep their personal data; DefaultRetentionDays when not given.
	RetentionDays *int `json:"retention_days"`
	// Language is the language of the summary's fixed wording and of the
	// room's screen, a code of locale.Codes (English when empty).
	Language string `json:"language"`
}

// DefaultRetentionDays is how long after its end a meeting keeps its
// registrations' personal data unless the secretariat says otherwise.
const DefaultRetentionDays = 180

// Limits of the privacy fields.
const (
	MaxPrivacyNotice = 20000 // characters
	MaxRetentionDays = 3650
)

// checkFault says, for field, why v holds a character it may not.
func checkFault(f apperr.Fields, field, v string, multiline bool) {
	if id, r := textcheck.Fault(v, multiline); id != "" {
		f.Say(field, id, "Char", fmt.Sprintf("U+%04X", r))
	}
}

func checkText(f apperr.Fields, field, v string, min, max int) {
	n := utf8.RuneCountInString(v)
	switch {
	case !utf8.ValidString(v):
		f.Say(field, "err.field.utf8")
	case n < min && min == 1:
		f.Say(field, "err.field.required")
	case n < min:
		f.Say(field, "err.meetings.too_short")
	case n > max:
		f.Say(field, "err.meetings.at_most_chars", "Max", max)
	default:
		// Titles, venue and chair are shown on the room's screen and in
		// the summary: one line, without controls that reorder text.
		checkFault(f, field, v, false)
	}
}

// wallClockLayouts are the times a form's datetime-local control sends:
// a date and a time of day without an offset, read in the meeting's zone.
var wallClockLayouts = []string{"2006-01-02T15:04", "2006-01-02T15:04:05"}

// parseTime reads v as an RFC 3339 time, or as a wall-clock time in loc
// (the meeting's zone) when it has no offset. The server, not the
// browser, turns what the secretariat typed into an instant: the browser
// would read it in its own zone, and 10:00 New York typed in Zurich
// would become 04:00 New York. A wall-clock time without an offset
// cannot be mistaken for an RFC 3339 one, so both forms share the field.
func parseTime(f apperr.Fields, field, v string, loc *time.Location) time.Time {
	if v == "" {
		f.Say(field, "err.meetings.time_required")
		return time.Time{}
	}
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return t.UTC()
	}
	for _, layout := range wallClockLayouts {
		if t, err := time.ParseInLocation(layout, v, loc); err == nil {
			return t.UTC()
		}
	}
	f.Say(field, "err.meetings.time_format")
	return time.Time{}
}

// Validate checks in and returns the meeting it describes.
func (in Input) Validate() (*models.Meeting, error) {
	f := apperr.Fields{}
	slug := strings.TrimSpace(in.Slug)
	if !slugRE.MatchString(slug) {
		f.Say("slug", "err.meetings.slug")
	}
	checkText(f, "title", strings.TrimSpace(in.Title), 1, 300)
	checkText(f, "venue", in.Venue, 0, 300)
	checkText(f, "chair", in.Chair, 0, 200)
	checkText(f, "symbol", in.Symbol, 0, 60)
	checkText(f, "body", strings.TrimSpace(in.Body), 0, 300)
	checkText(f, "body_acronym", strings.TrimSpace(in.BodyAcronym), 0, 60)
	if strings.TrimSpace(in.BodyAcronym) != "" && strings.TrimSpace(in.Body) == "" {
		f.Say("body_acronym", "err.meetings.body_name")
	}
	kind := in.Kind
	if kind == "" {
		kind = models.MeetingKindOther
	}
	if !slices.Contains(models.MeetingKinds, kind) {
		f.Say("kind", "err.meetings.kind", "Kinds", strings.Join(models.MeetingKinds, ", "))
	}
	tz := strings.TrimSpace(in.Timezone)
	if tz == "" {
		tz = "UTC"
	}
	loc, err := time.LoadLocation(tz)
	if err != nil {
		f.Say("timezone", "err.meetings.timezone")
		loc = time.UTC
	}
	starts := parseTime(f, "starts_at", in.StartsAt, loc)
	ends := parseTime(f, "ends_at", in.EndsAt, loc)
	closes := parseTime(f, "registration_closes_at", in.RegistrationClosesAt, loc)
	if !starts.IsZero() && !ends.IsZero() && !ends.After(starts) {
		f.Say("ends_at", "err.meetings.ends_after")
	}
	if !closes.IsZero() && !ends.IsZero() && closes.After(ends) {
		f.Say("registration_closes_at", "err.meetings.closes_before_end")
	}
	if in.Capacity < 0 || in.Capacity > 1_000_000 {
		f.Say("capacity", "err.meetings.limit_between", "Max", 1000000)
	}
	if in.MaxPerOrganization < 0 || in.MaxPerOrganization > 10_000 {
		f.Say("max_per_organization", "err.meetings.limit_between", "Max", 10000)
	}
	if in.MaxPerDelegation < 0 || in.MaxPerDelegation > 10_000 {
		f.Say("max_per_delegation", "err.meetings.limit_between", "Max", 10000)
	}
	cats := checkCategories(f, in.Categories)
	attr := in.Attribution
	if attr == "" {
		attr = models.AttributionChathamHouse
	}
	if attr != models.AttributionChathamHouse && attr != models.AttributionAttributed {
		f.Say("attribution", "err.meetings.attribution")
	}
	order := in.SpeakerOrder
	if order == "" {
		order = models.SpeakerOrderRequest
	}
	if order != models.SpeakerOrderRequest && order != models.SpeakerOrderPrecedence {
		f.Say("speaker_order", "err.meetings.speaker_order")
	}
	notice := strings.TrimSpace(in.PrivacyNotice)
	switch {
	case !utf8.ValidString(notice):
		f.Say("privacy_notice", "err.field.utf8")
	case utf8.RuneCountInString(notice) > MaxPrivacyNotice:
		f.Say("privacy_notice", "err.meetings.at_most_chars", "Max", MaxPrivacyNotice)
	default:
		checkFault(f, "privacy_notice", notice, true)
	}
	retention := DefaultRetentionDays
	if in.RetentionDays != nil {
		retention = *in.RetentionDays
	}
	if retention < 0 || retention > MaxRetentionDays {
		f.Say("retention_days", "err.meetings.retention", "Max", MaxRetentionDays)
	}
	lang := locale.Default
	if strings.TrimSpace(in.Language) != "" {
		var ok bool
		if lang, ok = locale.Parse(in.Language); !ok {
			f.Say("language", "err.field.language", "Codes", strings.Join(locale.Codes, ", "))
		}
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	return &models.Meeting{
		PrivacyNotice: notice, RetentionDays: retention,
		Slug: slug, Title: strings.TrimSpace(in.Title), Venue: strings.TrimSpace(in.Venue),
		Chair: strings.TrimSpace(in.Chair), Symbol: strings.TrimSpace(in.Symbol), StartsAt: starts, EndsAt: ends, Timezone: tz,
		RegistrationClosesAt: closes, Capacity: in.Capacity, MaxPerOrganization: in.MaxPerOrganization,
		MaxPerDelegation: in.MaxPerDelegation, Attribution: attr, Categories: cats,
		SpeakerOrder: order, Body: strings.TrimSpace(in.Body), BodyAcronym: strings.TrimSpace(in.BodyAcronym),
		Kind: kind, Language: lang,
	}, nil
}

// checkCategories returns the categories of in in the order of
// models.Categories, or nil when in lists none or all.
func checkCategories(f apperr.Fields, in []string) models.CategorySet {
	seen := map[string]bool{}
	for _, c := range in {
		if !slices.Contains(models.Categories, c) {
			f.Say("categories", "err.meetings.categories", "Categories", strings.Join(models.Categories, ", "))
			return nil
		}
		seen[c] = true
	}
	if len(seen) == 0 || len(seen) == len(models.Categories) {
		return nil
	}
	var out models.CategorySet
	for _, c := range models.Categories {
		if seen[c] {
			out = append(out, c)
		}
	}
	return out
}

// Service stores meetings.
type Service struct {
	DB *gorm.DB
	// Registrations says what a meeting's registrations hold, under
	// their lock, for an edit of its limits.
	Registrations Registrations
}

// Create validates in and stores the meeting.
func (s *Service) Create(ctx context.Context, in Input) (*models.Meeting, error) {
	m, err := in.Validate()
	if err != nil {
		return nil, err
	}
	if m.PrivacyNotice != "" {
		m.PrivacyNoticeVersion = 1
	}
	err = s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if m.ProcessID, err = processID(tx, in.Process); err != nil {
			return err
		}
		return tx.Create(m).Error
	})
	if err != nil {
		if errors.Is(err, gorm.ErrDuplicatedKey) {
			return nil, apperr.Say(apperr.KindInvalid, "err.meetings.slug_taken").WithField("slug", "err.meetings.meeting_slug_exists")
		}
		return nil, err
	}
	return m, nil
}

// BySlug returns the meeting named slug.
func (s *Service) BySlug(ctx context.Context, slug string) (*models.Meeting, error) {
	return BySlug(ctx, s.DB, slug)
}

// Meeting returns meeting id, or a NotFound error.
func (s *Service) Meeting(ctx context.Context, id uint) (*models.Meeting, error) {
	return ByID(s.DB.WithContext(ctx), id)
}

// ByID returns meeting id read through db (the caller's transaction), or
// a NotFound error.
func ByID(db *gorm.DB, id uint) (*models.Meeting, error) {
	var m models.Meeting
	err := db.Where("id = ?", id).First(&m).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, apperr.Say(apperr.KindNotFound, "err.no_meeting", "Slug", id)
	}
	if err != nil {
		return nil, err
	}
	return &m, nil
}

// BySlug returns the meeting named slug, or a NotFound error.
func BySlug(ctx context.Context, db *gorm.DB, slug string) (*models.Meeting, error) {
	var m models.Meeting
	err := db.WithContext(ctx).Where("slug = ?", slug).First(&m).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, apperr.Say(apperr.KindNotFound, "err.no_meeting", "Slug", strconv.Quote(slug))
	}
	if err != nil {
		return nil, err
	}
	return &m, nil
}

// List returns every meeting, soonest first; open only keeps meetings that
// have not ended.
func (s *Service) List(ctx context.Context, open bool) ([]models.Meeting, error) {
	q := s.DB.WithContext(ctx).Order("starts_at, id")
	if open {
		q = q.Where("ends_at > ?", time.Now().UTC())
	}
	var ms []models.Meeting
	return ms, q.Find(&ms).Error
}

// PastRetention lists the meetings whose registrations' retention has
// ended by now: RetentionDays whole days after EndsAt.
func (s *Service) PastRetention(ctx context.Context, now time.Time) ([]models.Meeting, error) {
	var ended []models.Meeting
	if err := s.DB.WithContext(ctx).Where("ends_at <= ?", now.UTC()).Order("id").Find(&ended).Error; err != nil {
		return nil, err
	}
	out := ended[:0]
	for _, m := range ended {
		if !now.Before(RetentionEnds(&m)) {
			out = append(out, m)
		}
	}
	return out, nil
}

// RetentionEnds is when meeting m's registrations lose their personal
// data: RetentionDays days of 24 hours after it ends.
func RetentionEnds(m *models.Meeting) time.Time {
	return m.EndsAt.Add(time.Duration(m.RetentionDays) * 24 * time.Hour)
}
