package meetings

import (
	"context"
	"strings"
	"time"

	"gorm.io/gorm"

	"rostrum/apperr"
	"rostrum/audit"
	"rostrum/auth"
	"rostrum/models"
)

// ActEditMeeting is the audit log's action for an edit of a meeting.
const ActEditMeeting = "edit_meeting"

// CodeBelowHeld refuses a capacity or per-organization limit below what
// the meeting's registrations already hold.
const CodeBelowHeld = "below_held"

// Held is what a meeting's registrations hold: its held seats (pending
// and approved) and the largest number of active registrations of any one
// organization.
type Held struct {
	Seats                 int
	MostOfOneOrganization int
}

// Registrations is what an edit asks of the registrations (package
// registration owns them): inside tx, take the lock that orders the
// meeting's registrations and say what they hold under it, so that no
// registration can slip in between the check and the edit's commit.
type Registrations interface {
	LockHeld(tx *gorm.DB, meetingID uint) (Held, error)
}

// InputOf is meeting m as the form that creates it: an edit changes the
// fields it names and is validated as a new meeting would be.
// The process is named by its slug, which the caller fills in (it is in
// another table).
func InputOf(m *models.Meeting) Input {
	ts := func(t time.Time) string { return t.UTC().Format(time.RFC3339) }
	retention := m.RetentionDays // a copy: a PATCH decoded into the input must not change m
	return Input{
		Slug: m.Slug, Title: m.Title, Venue: m.Venue, Chair: m.Chair, Symbol: m.Symbol,
		Body: m.Body, BodyAcronym: m.BodyAcronym, Kind: m.Kind,
		StartsAt: ts(m.StartsAt), EndsAt: ts(m.EndsAt), Timezone: m.Timezone,
		RegistrationClosesAt: ts(m.RegistrationClosesAt), Capacity: m.Capacity,
		MaxPerOrganization: m.MaxPerOrganization, MaxPerDelegation: m.MaxPerDelegation, Attribution: m.Attribution,
		Categories: m.Categories, SpeakerOrder: m.SpeakerOrder, Language: m.Language,
		PrivacyNotice: m.PrivacyNotice, RetentionDays: &retention,
	}
}

// CheckHeld refuses limits below what is held: a capacity (0: no limit)
// below the held seats, or a per-organization limit below the most active
// registrations of one organization.
func CheckHeld(m *models.Meeting, h Held) error {
	f := apperr.Fields{}
	if m.Capacity > 0 && m.Capacity < h.Seats {
		f.Say("capacity", "err.meetings.capacity_held", "Seats", h.Seats)
	}
	if m.MaxPerOrganization > 0 && m.MaxPerOrganization < h.MostOfOneOrganization {
		f.Say("max_per_organization", "err.meetings.per_org_held", "Count", h.MostOfOneOrganization)
	}
	if len(f) == 0 {
		return nil
	}
	return apperr.Say(apperr.KindConflict, "err.meetings.below_held").WithCode(CodeBelowHeld).WithFields(f)
}

// Edit changes the meeting named slug for actor a: change edits the
// meeting as its Input (the fields a PATCH names), the result is
// validated as on create, the limits are checked against what is held
// under the registrations' lock, and the meeting and its audit row are
// written in that one transaction. The slug cannot change: it is in every
// link already sent.
func (s *Service) Edit(ctx context.Context, a auth.Actor, slug string, change func(*Input) error) (*models.Meeting, error) {
	m, err := s.BySlug(ctx, slug)
	if err != nil {
		return nil, err
	}
	var next *models.Meeting
	err = s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		// The registrations' lock first, then the meeting as it is under
		// it: a registration reads the limits after taking the same lock.
		held, err := s.Registrations.LockHeld(tx, m.ID)
		if err != nil {
			return err
		}
		cur, err := ByID(tx, m.ID)
		if err != nil {
			return err
		}
		in := InputOf(cur)
		if in.Process, err = processSlug(tx, cur.ProcessID); err != nil {
			return err
		}
		// What it was, apart from in: a PATCH decodes into in, and JSON
		// writes through in's pointers (retention_days).
		was := InputOf(cur)
		was.Process = in.Process
		if err := change(&in); err != nil {
			return err
		}
		if in.Slug != cur.Slug {
			return apperr.Say(apperr.KindInvalid, "err.meetings.slug_fixed").WithField("slug", "err.meetings.slug_fixed_why")
		}
		if next, err = in.Validate(); err != nil {
			return err
		}
		if err := CheckHeld(next, held); err != nil {
			return err
		}
		if next.ProcessID, err = processID(tx, in.Process); err != nil {
			return err
		}
		next.ID, next.CreatedAt = cur.ID, cur.CreatedAt
		// A new text of the notice is a new version: registrations keep
		// the version they agreed to, and a form opened before the edit
		// is refused until the registrant has read the new text.
		next.PrivacyNoticeVersion = cur.PrivacyNoticeVersion
		if next.PrivacyNotice != cur.PrivacyNotice {
			next.PrivacyNoticeVersion++
		}
		now := InputOf(next)
		now.Process = strings.TrimSpace(in.Process)
		changed := changedFields(was, now)
		if len(changed) == 0 {
			return nil
		}
		if err := tx.Save(next).Error; err != nil {
			return err
		}
		return audit.Record(tx, time.Now(), audit.Entry{MeetingID: m.ID, Actor: a, Action: ActEditMeeting, Detail: changed})
	})
	if err != nil {
		return nil, err
	}
	return next, nil
}

// changedFields lists, by JSON name, each field whose value differs:
// {"capacity": {"from": 10, "to": 12}}.
func changedFields(was, now Input) map[string]any {
	out := map[string]any{}
	add := func(name string, a, b any) {
		if a != b {
			out[name] = map[string]any{"from": a, "to": b}
		}
	}
	add("title", was.Title, now.Title)
	add("venue", was.Venue, now.Venue)
	add("chair", was.Chair, now.Chair)
	add("starts_at", was.StartsAt, now.StartsAt)
	add("ends_at", was.EndsAt, now.EndsAt)
	add("timezone", was.Timezone, now.Timezone)
	add("registration_closes_at", was.RegistrationClosesAt, now.RegistrationClosesAt)
	add("capacity", was.Capacity, now.Capacity)
	add("max_per_organization", was.MaxPerOrganization, now.MaxPerOrganization)
	add("max_per_delegation", was.MaxPerDelegation, now.MaxPerDelegation)
	add("categories", strings.Join(models.CategorySet(was.Categories).List(), ","), strings.Join(models.CategorySet(now.Categories).List(), ","))
	add("attribution", was.Attribution, now.Attribution)
	add("speaker_order", was.SpeakerOrder, now.SpeakerOrder)
	add("symbol", was.Symbol, now.Symbol)
	add("body", was.Body, now.Body)
	add("body_acronym", was.BodyAcronym, now.BodyAcronym)
	add("process", was.Process, now.Process)
	add("kind", was.Kind, now.Kind)
	// The audit log keeps every text of the privacy notice, so the text
	// of any version a registration accepted can be found again.
	add("privacy_notice", was.PrivacyNotice, now.PrivacyNotice)
	if was.RetentionDays != nil && now.RetentionDays != nil {
		add("retention_days", *was.RetentionDays, *now.RetentionDays)
	}
	add("language", was.Language, now.Language)
	return out
}
