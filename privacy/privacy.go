// Package privacy is the room of personal data: a participant's export
// of everything held about them, their erasure at their request, and the
// daily anonymization of registrations once their meeting's retention
// has passed, run once across instances (the claimed row of
// retention_sweeps, the one table it owns).
//
// Personal data are copied beyond the registration, and each owner
// erases its own copy inside the erasure's one transaction: the live
// record (names on requests for the floor, in past patches and in the
// actor of a participant's own changes), the rapporteurs' notes (the
// name wherever written), the outbox (address, name, subject and
// bodies of every message to the address; waiting ones are given up),
// the circulations' recipients, and the audit log (names and address as
// values in its details). What stays is what the meeting's record and
// statistics count: organization, category, state, attendance, the
// stakeholder types and times of interventions, and the Chair's summary,
// which names organizations and stakeholder groups, never a person.
package privacy

import (
	"context"
	"time"

	"gorm.io/gorm"

	"rostrum/audit"
	"rostrum/auth"
	"rostrum/live"
	"rostrum/models"
	"rostrum/outbox"
	"rostrum/registration"
	"rostrum/summary"
)

// Registrations is what privacy asks of package registration.
type Registrations interface {
	EraseTx(tx *gorm.DB, id uint, now time.Time) (registration.Erased, error)
	AnonymizeTx(tx *gorm.DB, id uint, now time.Time) (registration.Erased, bool, error)
	Unanonymized(ctx context.Context, meetingID uint, limit int) ([]uint, error)
}

// Meetings says which meetings' retention has passed (package meetings).
type Meetings interface {
	PastRetention(ctx context.Context, now time.Time) ([]models.Meeting, error)
}

// LiveRecord is what privacy asks of the live list (package live).
type LiveRecord interface {
	Forget(tx *gorm.DB, now time.Time, meetingID, regID uint, names []string) (int64, error)
	Announce(ctx context.Context, meetingID uint, seq int64)
	RequestsOf(ctx context.Context, meetingID, regID uint) ([]live.Request, error)
	EntryIDsOf(ctx context.Context, meetingID, regID uint) ([]uint, error)
	EventsAbout(ctx context.Context, meetingID, regID uint) ([]live.AuditEntry, error)
}

// Notes is what privacy asks of the summary's notes and circulations
// (package summary).
type Notes interface {
	Forget(tx *gorm.DB, meetingID uint, names []string, address string) error
	NotesOn(ctx context.Context, ids []uint) ([]summary.NoteOn, error)
}

// AuditLog is what privacy asks of the audit log (package audit).
type AuditLog interface {
	Forget(tx *gorm.DB, meetingID, regID uint, names []string, address string) error
	About(ctx context.Context, meetingID, regID uint) ([]audit.Event, error)
}

// Actions of the audit log that privacy records.
const (
	ActErase     = "erase_registration"      // a participant erased their data
	ActAnonymize = "anonymize_registrations" // the daily job, after retention
)

// Service exports and erases a participant's personal data.
type Service struct {
	DB            *gorm.DB
	Registrations Registrations
	Live          LiveRecord
	Notes         Notes
	Audit         AuditLog
	// Notify wakes the mail worker after an erasure that promoted
	// waitlisted registrations (their mail).
	Notify func()
	// Now returns the current time; nil means time.Now.
	Now func() time.Time
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC()
	}
	return time.Now().UTC()
}

// forgetCopies has every other owner erase what it copied of e, inside
// tx; it returns the live change to announce after commit.
func (s *Service) forgetCopies(tx *gorm.DB, now time.Time, e registration.Erased) (int64, error) {
	seq, err := s.Live.Forget(tx, now, e.MeetingID, e.RegistrationID, e.Names)
	if err != nil {
		return 0, err
	}
	if err := s.Notes.Forget(tx, e.MeetingID, e.Names, e.Email); err != nil {
		return 0, err
	}
	if err := s.Audit.Forget(tx, e.MeetingID, e.RegistrationID, e.Names, e.Email); err != nil {
		return 0, err
	}
	return seq, outbox.Forget(tx, e.Email)
}

type promotedDetail struct {
	ID   uint   `json:"id"`
	Name string `json:"name"`
}

// Erase erases, at once and at their own request, the personal data of
// the participant of registration id: withdrawn first when they still
// hold or wait for a place (the seat goes to the waiting list), then
// erased with every copy, in one transaction, with a line in the
// meeting's audit log. Their link is dead afterwards.
func (s *Service) Erase(ctx context.Context, id uint) error {
	now := s.now()
	var e registration.Erased
	var seq int64
	err := s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var err error
		if e, err = s.Registrations.EraseTx(tx, id, now); err != nil {
			return err
		}
		d := map[string]any{"registration_id": id, "by": "participant"}
		if len(e.Promoted) > 0 {
			ps := make([]promotedDetail, 0, len(e.Promoted))
			for _, p := range e.Promoted {
				ps = append(ps, promotedDetail{p.ID, p.Name})
			}
			d["promoted"] = ps
		}
		// Recorded before the copies are erased: the participant's own
		// label loses its name with the rest.
		if err := audit.Record(tx, now, audit.Entry{MeetingID: e.MeetingID,
			Actor: auth.Actor{Registration: &models.Registration{ID: id}}, Action: ActErase, Detail: d}); err != nil {
			return err
		}
		seq, err = s.forgetCopies(tx, now, e)
		return err
	})
	if err != nil {
		return err
	}
	s.Live.Announce(ctx, e.MeetingID, seq)
	if s.Notify != nil && len(e.Promoted) > 0 {
		s.Notify()
	}
	return nil
}

// Export is everything Rostrum holds about a participant beyond their
// registration (which the caller shows as the participant sees it).
type Export struct {
	RequestsForTheFloor  []live.Request    `json:"requests_for_the_floor"`
	NotesOnInterventions []summary.NoteOn  `json:"notes_on_interventions"`
	Mail                 []outbox.Mail     `json:"mail"`
	AuditEvents          []audit.Event     `json:"audit_events"`
	LiveEvents           []live.AuditEntry `json:"live_record_events"`
}

// Export gathers what is held about the participant of reg from every
// owner: their requests for the floor and the notes on them, the mail
// sent to their address, and the lines of the meeting's audit log and
// live record about them.
func (s *Service) Export(ctx context.Context, reg *models.Registration) (*Export, error) {
	var out Export
	var err error
	if out.RequestsForTheFloor, err = s.Live.RequestsOf(ctx, reg.MeetingID, reg.ID); err != nil {
		return nil, err
	}
	ids, err := s.Live.EntryIDsOf(ctx, reg.MeetingID, reg.ID)
	if err != nil {
		return nil, err
	}
	if out.NotesOnInterventions, err = s.Notes.NotesOn(ctx, ids); err != nil {
		return nil, err
	}
	if out.Mail, err = outbox.MailTo(ctx, s.DB, reg.Email); err != nil {
		return nil, err
	}
	if out.AuditEvents, err = s.Audit.About(ctx, reg.MeetingID, reg.ID); err != nil {
		return nil, err
	}
	if out.LiveEvents, err = s.Live.EventsAbout(ctx, reg.MeetingID, reg.ID); err != nil {
		return nil, err
	}
	if out.AuditEvents == nil {
		out.AuditEvents = []audit.Event{}
	}
	if out.LiveEvents == nil {
		out.LiveEvents = []live.AuditEntry{}
	}
	return &out, nil
}
