package meetings

import (
	"context"
	"strconv"
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
func InputOf(m *models.Meeting) Input {
	ts := func(t time.Time) string { return t.UTC().Format(time.RFC3339) }
	return Input{
		Slug: m.Slug, Title: m.Title, Venue: m.Venue, Chair: m.Chair,
		StartsAt: ts(m.StartsAt), EndsAt: ts(m.EndsAt), Timezone: m.Timezone,
		RegistrationClosesAt: ts(m.RegistrationClosesAt), Capacity: m.Capacity,
		MaxPerOrganization: m.MaxPerOrganization, MaxPerDelegation: m.MaxPerDelegation, Attribution: m.Attribution,
		Categories: m.Categories, SpeakerOrder: m.SpeakerOrder, Language: m.Language,
	}
}

// CheckHeld refuses limits below what is held: a capacity (0: no limit)
// below the held seats, or a per-organization limit below the most active
// registrations of one organization.
func CheckHeld(m *models.Meeting, h Held) error {
	f := apperr.Fields{}
	if m.Capacity > 0 && m.Capacity < h.Seats {
		f.Add("capacity", "cannot be below the "+strconv.Itoa(h.Seats)+" seats already held (pending and approved)")
	}
	if m.MaxPerOrganization > 0 && m.MaxPerOrganization < h.MostOfOneOrganization {
		f.Add("max_per_organization", "cannot be below the "+strconv.Itoa(h.MostOfOneOrganization)+" active registrations of one organization")
	}
	if len(f) == 0 {
		return nil
	}
	e := apperr.Conflict("the new limits are below what registrations already hold").WithCode(CodeBelowHeld)
	e.Fields = f
	return e
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
		if err := change(&in); err != nil {
			return err
		}
		if in.Slug != cur.Slug {
			return apperr.Invalid("the slug cannot change", map[string]string{"slug": "cannot change: links already sent name it"})
		}
		if next, err = in.Validate(); err != nil {
			return err
		}
		if err := CheckHeld(next, held); err != nil {
			return err
		}
		next.ID, next.CreatedAt = cur.ID, cur.CreatedAt
		changed := changedFields(InputOf(cur), InputOf(next))
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
	add("language", was.Language, now.Language)
	return out
}
