// Package accreditation is the room of the non-objection procedure: the
// secretariat circulates to the Member States invited to a meeting the
// names of organizations not in consultative status with ECOSOC (a
// notice); any State may object to one before the notice's deadline; at
// the deadline a job decides their registrations, once, whatever the
// number of instances and restarts.
//
// It owns non_objection_notices, non_objection_entries,
// non_objection_recipients and objections. It is neither registration's
// (which owns organizations and registrations, and decides them when
// asked: Registrations) nor delegations' (which owns the missions and
// their invitations: Missions): a notice joins the two, and an objection
// is a State's word that neither organizations nor other States may read.
package accreditation

import (
	"context"
	"fmt"
	"log/slog"
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
	"rostrum/store"
	"rostrum/textcheck"
)

// Registrations is what this room asks of registration.
type Registrations interface {
	ForNotice(ctx context.Context, meetingID uint, ids []uint) ([]registration.Circulated, error)
	Circulated(ctx context.Context, meetingID uint, ids []uint) ([]registration.Circulated, error)
	DecideAtDeadline(tx *gorm.DB, meetingID, orgID uint, objected bool) ([]registration.NonObjectionOutcome, error)
}

// Missions is what this room asks of delegations.
type Missions interface {
	Invited(ctx context.Context, meetingID uint) ([]models.Mission, error)
	ByIDs(ctx context.Context, ids []uint) (map[uint]models.Mission, error)
}

// Service stores notices and objections and closes notices at their
// deadline.
type Service struct {
	DB            *gorm.DB
	PublicURL     string
	Notify        func() // wakes the mail worker after mail was queued
	Registrations Registrations
	Missions      Missions
	Log           *slog.Logger
	// Now returns the current time; nil means time.Now.
	Now func() time.Time
	// Poll is how often Run looks for notices past their deadline; 0
	// means a second.
	Poll time.Duration
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC()
	}
	return time.Now().UTC()
}

// NoticeURL is the page of notice id for the holder of a mission's link.
func (s *Service) NoticeURL(token string, id uint) string {
	return fmt.Sprintf("%s/d/%s/non-objection/%d", s.PublicURL, token, id)
}

// Created is a new notice as its creator reads it.
type Created struct {
	ID            uint                      `json:"id"`
	Organizations []registration.Circulated `json:"organizations"`
	Deadline      time.Time                 `json:"deadline"`
	Missions      int                       `json:"missions"` // how many missions it was mailed to
}

// Create circulates the organizations ids to every mission invited to the
// meeting named slug, with deadline: the notice, its organizations, one
// link per mission and the mails are stored in one transaction.
// The deadline is an RFC 3339 time, or a wall-clock time in the
// meeting's zone.
func (s *Service) Create(ctx context.Context, slug string, ids []uint, deadlineText string) (*Created, error) {
	m, err := meetings.BySlug(ctx, s.DB, slug)
	if err != nil {
		return nil, err
	}
	deadline, err := meetings.ParseInZone(m, "deadline", deadlineText)
	if err != nil {
		return nil, err
	}
	if !deadline.After(s.now()) {
		return nil, apperr.Say(apperr.KindInvalid, "err.fields_invalid").WithField("deadline", "err.accreditation.future")
	}
	orgs, err := s.Registrations.ForNotice(ctx, m.ID, ids)
	if err != nil {
		return nil, err
	}
	missions, err := s.Missions.Invited(ctx, m.ID)
	if err != nil {
		return nil, err
	}
	if len(missions) == 0 {
		return nil, apperr.Say(apperr.KindConflict, "err.accreditation.no_missions", "Meeting", m.Title).WithCode("no_missions")
	}
	out := &Created{Organizations: orgs, Deadline: deadline.UTC(), Missions: len(missions)}
	err = s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		// An organization is in one open notice of a meeting at a time.
		var busyIDs []uint
		if err := tx.Model(&models.NonObjectionEntry{}).
			Joins("JOIN non_objection_notices ON non_objection_notices.id = non_objection_entries.notice_id").
			Where("non_objection_notices.meeting_id = ? AND non_objection_notices.state = ? AND non_objection_entries.organization_id IN ?",
				m.ID, models.NoticeOpen, ids).Pluck("non_objection_entries.organization_id", &busyIDs).Error; err != nil {
			return err
		}
		var busy []string
		for _, o := range orgs {
			if slices.Contains(busyIDs, o.ID) {
				busy = append(busy, o.Name)
			}
		}
		if len(busy) > 0 {
			return apperr.Say(apperr.KindConflict, "err.accreditation.already_open", "Organizations", strings.Join(busy, "; ")).WithCode("already_circulated")
		}
		n := models.NonObjectionNotice{MeetingID: m.ID, Deadline: deadline.UTC(), State: models.NoticeOpen, CreatedAt: s.now()}
		if err := tx.Omit(clause.Associations).Create(&n).Error; err != nil {
			return err
		}
		out.ID = n.ID
		for _, o := range orgs {
			if err := tx.Omit(clause.Associations).Create(&models.NonObjectionEntry{NoticeID: n.ID, OrganizationID: o.ID}).Error; err != nil {
				return err
			}
		}
		for i := range missions {
			token := auth.NewToken()
			if err := tx.Omit(clause.Associations).Create(&models.NonObjectionRecipient{NoticeID: n.ID, MissionID: missions[i].ID, TokenHash: auth.HashToken(token)}).Error; err != nil {
				return err
			}
			if err := s.enqueue(tx, m, &missions[i], &n, orgs, token); err != nil {
				return err
			}
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

// Holder is who holds a notice's link: a mission, for a meeting.
type Holder struct {
	MeetingID, MissionID uint
}

// ByToken returns the mission and meeting of the notice link with token,
// or nil: such a link is the mission's focal-point key for the meeting,
// as its invitation's link is.
func (s *Service) ByToken(ctx context.Context, token string) (*Holder, error) {
	if len(token) < 20 || len(token) > 100 {
		return nil, nil
	}
	var r models.NonObjectionRecipient
	if err := s.DB.WithContext(ctx).Preload("Notice").Where("token_hash = ?", auth.HashToken(token)).Limit(1).Find(&r).Error; err != nil {
		return nil, err
	}
	if r.ID == 0 {
		return nil, nil
	}
	return &Holder{MeetingID: r.Notice.MeetingID, MissionID: r.MissionID}, nil
}

// MaxReason bounds an objection's reason, in characters.
const MaxReason = 1000

// deadlinePassed is the answer to an objection that comes too late.
func deadlinePassed(n *models.NonObjectionNotice) error {
	return apperr.Say(apperr.KindConflict, "err.deadline_passed",
		"When", locale.Moment{T: n.Deadline.UTC(), Layout: "2 January 2006 at 15:04 UTC", Zone: true}).WithCode("deadline_passed")
}

// Object records the objection of the mission missionID (acting for
// meeting meetingID) to organization orgID of notice id, before the
// notice's deadline (409 deadline_passed after it). The notice's row is
// locked first, so that the deadline job, which claims the same row,
// either sees the objection or refuses it.
func (s *Service) Object(ctx context.Context, meetingID, missionID, id, orgID uint, reason string) (*models.Objection, error) {
	f := apperr.Fields{}
	reason = strings.TrimSpace(reason)
	switch {
	case reason == "":
		f.Say("reason", "err.field.reason_required")
	case len([]rune(reason)) > MaxReason:
		f.SayN("reason", "err.field.too_long", MaxReason, "Max", strconv.Itoa(MaxReason))
	default:
		if id, r := textcheck.Fault(reason, true); id != "" {
			f.Say("reason", id, "Char", fmt.Sprintf("U+%04X", r))
		}
	}
	if orgID == 0 {
		f.Say("organization_id", "err.field.required")
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	var o models.Objection
	err := s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var n models.NonObjectionNotice
		if err := store.LockForUpdate(tx).Where("id = ? AND meeting_id = ?", id, meetingID).Limit(1).Find(&n).Error; err != nil {
			return err
		}
		if n.ID == 0 {
			return apperr.Say(apperr.KindNotFound, "err.no_notice", "ID", id)
		}
		now := s.now()
		if n.State != models.NoticeOpen || !now.Before(n.Deadline) {
			return deadlinePassed(&n)
		}
		var entry models.NonObjectionEntry
		if err := tx.Where("notice_id = ? AND organization_id = ?", id, orgID).Limit(1).Find(&entry).Error; err != nil {
			return err
		}
		if entry.ID == 0 {
			return notInNotice()
		}
		o = models.Objection{NoticeID: id, OrganizationID: orgID, MissionID: missionID, Reason: reason, CreatedAt: now}
		res := tx.Omit(clause.Associations).Clauses(clause.OnConflict{DoNothing: true}).Create(&o)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return apperr.Say(apperr.KindConflict, "err.already_objected").WithCode("already_objected")
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &o, nil
}

// notInNotice is the answer to an objection to an organization the
// notice does not name.
func notInNotice() error {
	f := apperr.Fields{}
	f.Say("organization_id", "err.field.not_in_notice")
	return f.Err()
}
