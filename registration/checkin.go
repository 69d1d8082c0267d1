package registration

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"errors"
	"sort"
	"strings"
	"time"

	"gorm.io/gorm"

	"rostrum/apperr"
	"rostrum/audit"
	"rostrum/auth"
	"rostrum/models"
)

// Actions of the audit log for the door.
const (
	ActCheckIn        = "check_in"
	ActUndoCheckIn    = "undo_check_in"
	ActReleaseNoShows = "release_no_shows"
)

// ReasonNoShow is the reason of a registration withdrawn because its
// participant was not checked in by the time the secretariat set.
const ReasonNoShow = "no_show"

// checkinAlphabet is base32's: capitals and digits, which a QR code holds
// in its compact alphanumeric mode and a registrar can read out.
var checkinEncoding = base32.StdEncoding.WithPadding(base32.NoPadding)

// NewCheckinCode draws a check-in code: 100 random bits in 20 characters.
// It is drawn on its own, never from the private link's token, so that
// knowing one gives nothing of the other.
func NewCheckinCode() string {
	b := make([]byte, 13)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand does not fail on supported systems
	}
	return checkinEncoding.EncodeToString(b)[:20]
}

// NormalizeCode reads a code as typed or scanned: spaces and dashes
// dropped, letters in capitals.
func NormalizeCode(code string) string {
	return strings.ToUpper(strings.NewReplacer(" ", "", "-", "", "\t", "", "\n", "", "\r", "").Replace(code))
}

// CheckIn is the answer to a check-in: the registration, whether this was
// its first check-in, and the meeting's count after it.
type CheckIn struct {
	Registration models.Registration
	First        bool
	CheckedIn    int
	Approved     int
}

// CheckInAt checks in, at the door of meeting meetingID, the registration
// whose check-in code is code or, when code is "", registration id. Only
// an approved registration is checked in (409 not_approved naming its
// state); a code or id of another meeting is 404. The first check-in is
// stored (time and who) and audited; a later one changes nothing and
// answers the first's time. Several registrars checking one code at once
// get exactly one first: the update is guarded by the registration's
// having no check-in.
func (s *Service) CheckInAt(ctx context.Context, by auth.Actor, meetingID uint, code string, id uint) (*CheckIn, error) {
	code = NormalizeCode(code)
	if code == "" && id == 0 {
		return nil, apperr.Say(apperr.KindInvalid, "err.registration.whom").WithField("code", "err.registration.code_or_id")
	}
	out := &CheckIn{}
	err := s.write(ctx, func(tx *gorm.DB) error {
		reg, err := findForDoor(tx, meetingID, code, id)
		if err != nil {
			return err
		}
		if reg.Status != models.StatusApproved {
			return apperr.Say(apperr.KindConflict, "err.registration.not_approved", "Name", reg.Name, "Status", statusWord(reg.Status)).
				WithCode("not_approved")
		}
		now := s.now().Truncate(time.Microsecond)
		res := tx.Model(&models.Registration{}).
			Where("id = ? AND status = ? AND checked_in_at IS NULL", reg.ID, models.StatusApproved).
			Updates(map[string]any{"checked_in_at": now, "checked_in_by": audit.Label(by)})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 1 {
			out.First = true
			reg.CheckedInAt, reg.CheckedInBy = &now, audit.Label(by)
			if err := audit.Record(tx, now, audit.Entry{MeetingID: meetingID, Actor: by, Action: ActCheckIn,
				Detail: map[string]any{"registration_id": reg.ID, "name": reg.Name, "organization": reg.Organization.Name}}); err != nil {
				return err
			}
		} else if err := tx.Select("checked_in_at", "checked_in_by").Where("id = ?", reg.ID).First(reg).Error; err != nil {
			return err
		}
		out.Registration = *reg
		out.CheckedIn, out.Approved, err = doorCounts(tx, meetingID)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// UndoCheckIn forgets the check-in of registration id of meeting
// meetingID (a mistake at the door), audited. 409 not_checked_in when it
// has none.
func (s *Service) UndoCheckIn(ctx context.Context, by auth.Actor, meetingID, id uint) (*CheckIn, error) {
	out := &CheckIn{}
	err := s.write(ctx, func(tx *gorm.DB) error {
		reg, err := findForDoor(tx, meetingID, "", id)
		if err != nil {
			return err
		}
		if reg.CheckedInAt == nil {
			return apperr.Say(apperr.KindConflict, "err.registration.not_checked_in", "Name", reg.Name).WithCode("not_checked_in")
		}
		res := tx.Model(&models.Registration{}).Where("id = ? AND checked_in_at IS NOT NULL", reg.ID).
			Updates(map[string]any{"checked_in_at": nil, "checked_in_by": ""})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected != 1 {
			return apperr.Say(apperr.KindConflict, "err.registration.not_checked_in", "Name", reg.Name).WithCode("not_checked_in")
		}
		first := *reg.CheckedInAt
		reg.CheckedInAt, reg.CheckedInBy = nil, ""
		if err := audit.Record(tx, s.now(), audit.Entry{MeetingID: meetingID, Actor: by, Action: ActUndoCheckIn,
			Detail: map[string]any{"registration_id": reg.ID, "name": reg.Name, "checked_in_at": first}}); err != nil {
			return err
		}
		out.Registration = *reg
		out.CheckedIn, out.Approved, err = doorCounts(tx, meetingID)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// findForDoor reads the registration of meeting meetingID with check-in
// code code (when not "") or id, with its organization and meeting.
func findForDoor(tx *gorm.DB, meetingID uint, code string, id uint) (*models.Registration, error) {
	var reg models.Registration
	var err error
	if code != "" {
		err = withOrganizationAndMeeting(tx, &reg, "meeting_id = ? AND checkin_code = ?", meetingID, code)
	} else {
		err = withOrganizationAndMeeting(tx, &reg, "meeting_id = ? AND id = ?", meetingID, id)
	}
	if errors.Is(err, gorm.ErrRecordNotFound) {
		if code != "" {
			return nil, apperr.Say(apperr.KindNotFound, "err.registration.no_code")
		}
		return nil, apperr.Say(apperr.KindNotFound, "err.registration.not_in_meeting", "ID", id)
	}
	return &reg, err
}

// doorCounts counts the meeting's approved registrations and those of
// them checked in.
func doorCounts(tx *gorm.DB, meetingID uint) (checkedIn, approved int, err error) {
	if approved, err = countWhere(tx, "meeting_id = ? AND status = ?", meetingID, models.StatusApproved); err != nil {
		return 0, 0, err
	}
	checkedIn, err = countWhere(tx, "meeting_id = ? AND status = ? AND checked_in_at IS NOT NULL", meetingID, models.StatusApproved)
	return checkedIn, approved, err
}

// Attendance is who came: the meeting's approved registrations checked in,
// with counts by category.
type Attendance struct {
	CheckedIn  int                        `json:"checked_in"`
	Approved   int                        `json:"approved"`
	ByCategory map[string]AttendanceCount `json:"by_category"`
	// Attended are the participants checked in, by category in the UN's
	// order, then name.
	Attended []models.Registration `json:"-"`
}

// AttendanceCount is one category's approved and checked-in participants.
type AttendanceCount struct {
	Approved  int `json:"approved"`
	CheckedIn int `json:"checked_in"`
}

// AttendanceOf counts and lists who was checked in at meeting meetingID's
// door.
func (s *Service) AttendanceOf(ctx context.Context, meetingID uint) (*Attendance, error) {
	approved, err := s.Approved(ctx, meetingID)
	if err != nil {
		return nil, err
	}
	a := &Attendance{ByCategory: map[string]AttendanceCount{}}
	for _, c := range models.Categories {
		a.ByCategory[c] = AttendanceCount{}
	}
	for _, r := range approved {
		c := a.ByCategory[r.Organization.Type]
		c.Approved++
		a.Approved++
		if r.CheckedInAt != nil {
			c.CheckedIn++
			a.CheckedIn++
			a.Attended = append(a.Attended, r)
		}
		a.ByCategory[r.Organization.Type] = c
	}
	SortForList(a.Attended)
	return a, nil
}

// Attended lists the participants checked in at meeting meetingID (none
// when nobody was): the Chair's summary counts them as those who attended.
func (s *Service) Attended(ctx context.Context, meetingID uint) ([]models.Registration, error) {
	var regs []models.Registration
	err := s.DB.WithContext(ctx).Preload("Organization").
		Where("meeting_id = ? AND status = ? AND checked_in_at IS NOT NULL", meetingID, models.StatusApproved).
		Order("id").Find(&regs).Error
	return regs, err
}

// SortForList orders registrations as a list of participants does: by
// category in the UN's order of precedence (Member States, observer
// States, intergovernmental organizations, then the stakeholder types),
// then by organization and by name.
func SortForList(regs []models.Registration) {
	rank := map[string]int{}
	for i, c := range models.Categories {
		rank[c] = i
	}
	sort.SliceStable(regs, func(i, j int) bool {
		a, b := &regs[i], &regs[j]
		if ra, rb := rank[a.Organization.Type], rank[b.Organization.Type]; ra != rb {
			return ra < rb
		}
		if ka, kb := NameKey(a.Organization.Name), NameKey(b.Organization.Name); ka != kb {
			return ka < kb
		}
		if a.HeadOfDelegation != b.HeadOfDelegation {
			return a.HeadOfDelegation
		}
		return NameKey(a.Name) < NameKey(b.Name)
	})
}

// ReleaseNoShows withdraws, in meeting meetingID, every registration
// approved at or before before and not checked in (reason no_show, with
// a mail each), as a withdrawal by the participant would: the seats they
// held go to the waiting list. before may not be in the future: whether
// someone came by then is not yet known. One audit line lists them.
func (s *Service) ReleaseNoShows(ctx context.Context, by auth.Actor, meetingID uint, before time.Time) ([]Outcome, error) {
	if before.After(s.now()) {
		return nil, apperr.Say(apperr.KindInvalid, "err.registration.before_future").WithField("before", "err.registration.before_now")
	}
	var out []Outcome
	err := s.write(ctx, func(tx *gorm.DB) error {
		out = nil
		m, _, err := lockMeeting(tx, meetingID)
		if err != nil {
			return err
		}
		var regs []models.Registration
		if err := tx.Preload("Organization").
			Where("meeting_id = ? AND status = ? AND checked_in_at IS NULL AND (decided_at IS NULL OR decided_at <= ?)",
				meetingID, models.StatusApproved, before.UTC()).Order("id").Find(&regs).Error; err != nil {
			return err
		}
		var released []auditedReg
		for i := range regs {
			r := &regs[i]
			r.Meeting = *m
			o, err := s.withdraw(tx, r, m, ReasonNoShow, mailNoShow)
			if err != nil {
				return err
			}
			out = append(out, *o)
			released = append(released, auditedReg{r.ID, r.Name})
		}
		if len(released) == 0 {
			return nil
		}
		return audit.Record(tx, s.now(), audit.Entry{MeetingID: meetingID, Actor: by, Action: ActReleaseNoShows,
			Detail: map[string]any{"before": before.UTC(), "released": released}})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
