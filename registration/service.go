package registration

import (
	"context"
	"errors"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"rostrum/apperr"
	"rostrum/audit"
	"rostrum/auth"
	"rostrum/locale"
	"rostrum/meetings"
	"rostrum/models"
	"rostrum/store"
)

// Service stores registrations and organizations. Every write that a limit
// depends on runs in one transaction that first locks the meeting's row
// (SELECT ... FOR UPDATE on PostgreSQL; on SQLite the immediate write
// transaction already holds the database's write lock), so that counting
// seats, checking the per-organization limit and writing the registration
// cannot interleave with another writer of the same meeting.
type Service struct {
	DB *gorm.DB
	// PublicURL prefixes the manage links sent by mail (no trailing slash).
	PublicURL string
	// Notify, when set, is called after a transaction that queued mail has
	// committed, to wake the mail worker.
	Notify func()
	// Now returns the current time; nil means time.Now.
	Now func() time.Time
	// Group, when set, runs the write transactions grouped with others'
	// (SQLite's single writer); nil runs each in its own transaction.
	Group *store.GroupCommit
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC()
	}
	return time.Now().UTC()
}

// ManageURL is the participant's own page for a registration's token.
func (s *Service) ManageURL(token string) string { return s.PublicURL + "/r/" + token }

// write runs fn in a transaction (grouped with others' when s.Group is
// set) and wakes the mail worker once it has committed.
func (s *Service) write(ctx context.Context, fn func(tx *gorm.DB) error) error {
	var err error
	if s.Group != nil {
		err = s.Group.Do(ctx, fn)
	} else {
		err = s.DB.WithContext(ctx).Transaction(fn)
	}
	if err != nil {
		return err
	}
	if s.Notify != nil {
		s.Notify()
	}
	return nil
}

// lockMeeting reads meeting id inside tx and takes the lock that orders
// the meeting's registrations: its seat counter's row, created on first
// use (FOR UPDATE on PostgreSQL; on SQLite the write transaction holds
// the database). It returns the meeting and its seats as they are under
// the lock.
func lockMeeting(tx *gorm.DB, id uint) (*models.Meeting, Seats, error) {
	var sc []models.SeatCount
	if err := store.LockForUpdate(tx).Where("meeting_id = ?", id).Limit(1).Find(&sc).Error; err != nil {
		return nil, Seats{}, err
	}
	if len(sc) == 0 {
		// The meeting's first registration: another may create the row
		// at the same moment on PostgreSQL; either way it is then locked.
		if _, err := meetings.ByID(tx, id); err != nil {
			return nil, Seats{}, err
		}
		if err := tx.Clauses(clause.OnConflict{DoNothing: true}).Omit(clause.Associations).
			Create(&models.SeatCount{MeetingID: id}).Error; err != nil {
			return nil, Seats{}, err
		}
		if err := store.LockForUpdate(tx).Where("meeting_id = ?", id).Limit(1).Find(&sc).Error; err != nil {
			return nil, Seats{}, err
		}
	}
	// The meeting is read under the lock: an edit of its capacity or
	// per-organization limit takes the same lock (LockHeld), so the
	// limits read here are those in force until this transaction ends.
	m, err := meetings.ByID(tx, id)
	if err != nil {
		return nil, Seats{}, err
	}
	return m, Seats{Capacity: m.Capacity, Held: sc[0].Held}, nil
}

// LockHeld takes, inside tx, the lock that orders meeting id's
// registrations and returns what they hold under it: the held seats and
// the most active registrations of one organization. An edit of the
// meeting's limits checks these and commits before any registration that
// waits for the lock reads the limits (meetings.Service.Edit).
func (s *Service) LockHeld(tx *gorm.DB, meetingID uint) (meetings.Held, error) {
	_, st, err := lockMeeting(tx, meetingID)
	if err != nil {
		return meetings.Held{}, err
	}
	var most struct{ N int }
	perOrg := tx.Model(&models.Registration{}).Select("count(*) as n").
		Where("meeting_id = ? AND status IN ?", meetingID, ActiveStatuses).Group("organization_id")
	if err := tx.Table("(?) as per_org", perOrg).Select("coalesce(max(n), 0) as n").Scan(&most).Error; err != nil {
		return meetings.Held{}, err
	}
	return meetings.Held{Seats: st.Held, MostOfOneOrganization: most.N}, nil
}

func countWhere(tx *gorm.DB, query string, args ...any) (int, error) {
	var n int64
	err := tx.Model(&models.Registration{}).Where(query, args...).Count(&n).Error
	return int(n), err
}

// seats reads the meeting's held seats inside tx (the counter, as an
// earlier move in tx may have changed it since m was read).
func seats(tx *gorm.DB, m *models.Meeting) (Seats, error) {
	var held int
	err := tx.Model(&models.SeatCount{}).Where("meeting_id = ?", m.ID).Select("held").Scan(&held).Error
	return Seats{Capacity: m.Capacity, Held: held}, err
}

// countSeat adds the seat a registration moving from one state to another
// takes (+1) or frees (-1) to its meeting's counter. from is "" for a new
// registration.
func countSeat(tx *gorm.DB, meetingID uint, from, to string) error {
	d := 0
	if HoldsSeat(to) {
		d++
	}
	if HoldsSeat(from) {
		d--
	}
	if d == 0 {
		return nil
	}
	// lockMeeting has created the row.
	return tx.Model(&models.SeatCount{}).Where("meeting_id = ?", meetingID).
		UpdateColumn("held", gorm.Expr("held + ?", d)).Error
}

// Register stores a new registration for the meeting named slug: the
// organization is matched or created, the duplicate-email, closing-date and
// per-organization rules are checked, and the registration is pending, or
// waitlisted when every seat is held. A confirmation mail with the manage
// link is queued in the same transaction. The returned registration
// carries its Token (shown once, in the manage link).
func (s *Service) Register(ctx context.Context, slug string, in Input) (*models.Registration, error) {
	m, err := meetings.BySlug(ctx, s.DB, slug)
	if err != nil {
		return nil, err
	}
	a, err := in.ValidateFor(m)
	if err != nil {
		return nil, err
	}
	token := auth.NewToken()
	var reg *models.Registration
	err = s.write(ctx, func(tx *gorm.DB) error {
		m, st, err := lockMeeting(tx, m.ID)
		if err != nil {
			return err
		}
		now := s.now()
		// The notice may have changed since the check above: agreement
		// is to the text in force under the lock an edit also takes.
		f := apperr.Fields{}
		if in.CheckConsentVersion(f, m); len(f) > 0 {
			return f.Err()
		}
		if !now.Before(m.RegistrationClosesAt) {
			return apperr.Say(apperr.KindConflict, "err.registration_closed", "Meeting", m.Title,
				"When", locale.Moment{T: m.RegistrationClosesAt, Layout: "2 January 2006 at 15:04 MST", Zone: true}).WithCode("registration_closed")
		}
		dup, err := countWhere(tx, "meeting_id = ? AND email = ? AND status IN ?", m.ID, a.Email, ActiveStatuses)
		if err != nil {
			return err
		}
		if dup > 0 {
			return apperr.Say(apperr.KindConflict, "err.duplicate_email", "Email", a.Email).WithCode("duplicate_email")
		}
		org, err := findOrCreateOrganization(tx, a.Organization)
		if err != nil {
			return err
		}
		if err := CheckCategory(m, org.Type); err != nil {
			return err
		}
		active, err := countWhere(tx, "meeting_id = ? AND organization_id = ? AND status IN ?", m.ID, org.ID, ActiveStatuses)
		if err != nil {
			return err
		}
		if err := CheckOrganizationLimit(org.Name, m.MaxPerOrganization, active); err != nil {
			return err
		}
		reg = &models.Registration{
			MeetingID: m.ID, OrganizationID: org.ID, Name: a.Name, Email: a.Email, JobTitle: a.JobTitle,
			Status: st.InitialStatus(), Token: token, TokenHash: auth.HashToken(token), ConsentAt: now, CheckinCode: NewCheckinCode(),
			ConsentVersion: ConsentVersionOf(m), Language: a.Language,
		}
		setClaim(reg, a.Organization)
		reg.ClaimedOrgDescription = a.Description
		if err := tx.Create(reg).Error; err != nil {
			return err
		}
		if err := countSeat(tx, m.ID, "", reg.Status); err != nil {
			return err
		}
		reg.Organization, reg.Meeting = *org, *m
		return s.enqueue(tx, mailConfirmation, reg)
	})
	if err != nil {
		return nil, err
	}
	return reg, nil
}

// findOrCreateOrganization returns the organization whose folded name, or
// failing that whose folded website, matches o, creating o when none does.
// A matched organization is returned as it is: the record is the
// secretariat's, and an anonymous registrant's details never change it
// (they are kept as the registration's claim).
func findOrCreateOrganization(tx *gorm.DB, o models.Organization) (*models.Organization, error) {
	var found models.Organization
	if err := tx.Where("name_key = ?", o.NameKey).Limit(1).Find(&found).Error; err != nil {
		return nil, err
	}
	if found.ID == 0 && o.WebsiteKey != "" {
		if err := tx.Where("website_key = ?", o.WebsiteKey).Order("id").Limit(1).Find(&found).Error; err != nil {
			return nil, err
		}
	}
	if found.ID != 0 && found.Country == "" && !IsState(found.Type) {
		// A record the ECOSOC list created knows only its name: the first
		// registration for it gives the rest, as for a record it creates.
		cols := map[string]any{"acronym": o.Acronym, "type": o.Type, "country": o.Country, "website": o.Website, "website_key": o.WebsiteKey}
		if err := tx.Model(&models.Organization{}).Where("id = ? AND country = ''", found.ID).Updates(cols).Error; err != nil {
			return nil, err
		}
		found.Acronym, found.Type, found.Country, found.Website, found.WebsiteKey = o.Acronym, o.Type, o.Country, o.Website, o.WebsiteKey
	}
	if found.ID != 0 {
		return &found, nil
	}
	// Registrations for two meetings may create one organization at once
	// on PostgreSQL (their meeting locks differ): the unique name key
	// decides, and the loser reads the winner's row.
	res := tx.Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "name_key"}}, DoNothing: true}).Create(&o)
	if res.Error != nil {
		return nil, res.Error
	}
	if res.RowsAffected == 0 || o.ID == 0 {
		if err := tx.Where("name_key = ?", o.NameKey).First(&found).Error; err != nil {
			return nil, err
		}
		return &found, nil
	}
	return &o, nil
}

// setClaim records on reg what its registrant said about the
// organization.
func setClaim(reg *models.Registration, o models.Organization) {
	reg.ClaimedOrgName, reg.ClaimedOrgAcronym, reg.ClaimedOrgType = o.Name, o.Acronym, o.Type
	reg.ClaimedOrgCountry, reg.ClaimedOrgWebsite, reg.ClaimedOrgECOSOCStatus = o.Country, o.Website, o.ECOSOCStatus
}

// Outcome is the result of a decision or a withdrawal: the registration in
// its new state and the waitlisted registrations that moved to pending
// because a seat was freed.
type Outcome struct {
	Registration models.Registration
	Promoted     []models.Registration
}

// Actions of the audit log (package audit) that registration records.
const (
	ActDecide            = "decide_registration"
	ActDecideNameChange  = "decide_name_change"
	ActEditOrganization  = "edit_organization"
	ActMergeOrganization = "merge_organization"
)

// Decide applies the secretariat's decision (approve, reject, waitlist)
// with a reason to registration id, by by; the decision and the
// promotions it causes are one line of the meeting's audit log.
func (s *Service) Decide(ctx context.Context, by auth.Actor, id uint, decision, reason string) (*Outcome, error) {
	return s.decide(ctx, by, 0, id, decision, reason)
}

// decisionDetail is what the audit log keeps of a decision.
type decisionDetail struct {
	RegistrationID uint         `json:"registration_id"`
	Name           string       `json:"name"`
	Organization   string       `json:"organization"`
	From           string       `json:"from"`
	To             string       `json:"to"`
	Reason         string       `json:"reason,omitempty"`
	Bulk           bool         `json:"bulk,omitempty"`
	Promoted       []auditedReg `json:"promoted,omitempty"`
}

type auditedReg struct {
	ID   uint   `json:"id"`
	Name string `json:"name"`
}

// decide is Decide limited to the meeting meetingID (0: any meeting), as
// one of a bulk decision when meetingID is not 0.
func (s *Service) decide(ctx context.Context, by auth.Actor, meetingID, id uint, decision, reason string) (*Outcome, error) {
	to, err := TargetOf(decision)
	if err != nil {
		return nil, err
	}
	reason, err = ValidReason(reason)
	if err != nil {
		return nil, err
	}
	var out Outcome
	err = s.write(ctx, func(tx *gorm.DB) error {
		reg, m, err := lockRegistration(tx, meetingID, id)
		if err != nil {
			return err
		}
		st, err := seats(tx, m)
		if err != nil {
			return err
		}
		if err := st.CheckMove(reg.Status, to); err != nil {
			return err
		}
		from := reg.Status
		now := s.now()
		if err := s.move(tx, reg, to, map[string]any{"reason": reason, "decided_at": now}); err != nil {
			return err
		}
		reg.Reason, reg.DecidedAt = reason, &now
		if err := s.enqueue(tx, mailDecision, reg); err != nil {
			return err
		}
		out.Registration = *reg
		if HoldsSeat(from) && !HoldsSeat(to) {
			if out.Promoted, err = s.promote(tx, m, reg.ID); err != nil {
				return err
			}
		}
		d := decisionDetail{RegistrationID: reg.ID, Name: reg.Name, Organization: reg.Organization.Name,
			From: from, To: to, Reason: reason, Bulk: meetingID != 0}
		for _, p := range out.Promoted {
			d.Promoted = append(d.Promoted, auditedReg{p.ID, p.Name})
		}
		return audit.Record(tx, now, audit.Entry{MeetingID: m.ID, Actor: by, Action: ActDecide, Detail: d})
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// lockRegistration locks the meeting of registration id and reads the
// registration after the lock, so that its state cannot change under the
// caller. meetingID, when not 0, must be the registration's meeting.
func lockRegistration(tx *gorm.DB, meetingID, id uint) (*models.Registration, *models.Meeting, error) {
	var reg models.Registration
	if err := tx.Select("id", "meeting_id").Where("id = ?", id).First(&reg).Error; err != nil {
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return nil, nil, apperr.Say(apperr.KindNotFound, "err.registration.no_registration", "ID", id)
		}
		return nil, nil, err
	}
	if meetingID != 0 && reg.MeetingID != meetingID {
		return nil, nil, apperr.Say(apperr.KindNotFound, "err.registration.not_in_meeting", "ID", id)
	}
	m, _, err := lockMeeting(tx, reg.MeetingID)
	if err != nil {
		return nil, nil, err
	}
	reg = models.Registration{}
	if err := tx.Preload("Organization").Where("id = ?", id).First(&reg).Error; err != nil {
		return nil, nil, err
	}
	reg.Meeting = *m
	return &reg, m, nil
}

// move changes reg's state to to (with extra columns), guarding against a
// concurrent change of its state.
func (s *Service) move(tx *gorm.DB, reg *models.Registration, to string, extra map[string]any) error {
	cols := map[string]any{"status": to, "updated_at": s.now()}
	for k, v := range extra {
		cols[k] = v
	}
	res := tx.Model(&models.Registration{}).Where("id = ? AND status = ?", reg.ID, reg.Status).Updates(cols)
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected != 1 {
		return apperr.Say(apperr.KindConflict, "err.registration.changed", "ID", reg.ID)
	}
	if err := countSeat(tx, reg.MeetingID, reg.Status, to); err != nil {
		return err
	}
	reg.Status = to
	return nil
}

// promote moves the oldest waitlisted registrations (except except) to
// pending while seats are free, each with its own mail. A meeting without
// capacity has no seats to free: there the waiting list is the
// secretariat's own hold and only its decisions move it.
func (s *Service) promote(tx *gorm.DB, m *models.Meeting, except uint) ([]models.Registration, error) {
	if m.Capacity == 0 {
		return nil, nil
	}
	st, err := seats(tx, m)
	if err != nil {
		return nil, err
	}
	free := st.Free()
	if free == 0 {
		return nil, nil
	}
	var next []models.Registration
	if err := tx.Preload("Organization").
		Where("meeting_id = ? AND status = ? AND id <> ?", m.ID, models.StatusWaitlisted, except).
		Order("created_at, id").Limit(free).Find(&next).Error; err != nil {
		return nil, err
	}
	for i := range next {
		r := &next[i]
		if err := CanTransition(r.Status, models.StatusPending); err != nil {
			return nil, err
		}
		if err := s.move(tx, r, models.StatusPending, nil); err != nil {
			return nil, err
		}
		r.Meeting = *m
		if err := s.enqueue(tx, mailPromoted, r); err != nil {
			return nil, err
		}
	}
	return next, nil
}

// Withdraw withdraws the participant's own registration id; a seat it held
// goes to the oldest waitlisted registration.
func (s *Service) Withdraw(ctx context.Context, id uint) (*Outcome, error) {
	var out Outcome
	err := s.write(ctx, func(tx *gorm.DB) error {
		reg, m, err := lockRegistration(tx, 0, id)
		if err != nil {
			return err
		}
		o, err := s.withdraw(tx, reg, m, "", mailWithdrawn)
		if o != nil {
			out = *o
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// withdraw is every withdrawal's path inside tx, with reg and its meeting
// m locked (lockRegistration): reg moves to withdrawn (with reason, when
// not ""), its participant gets the mail of kind (none when kind is "", as
// when they erase their data and the address goes with it), and a seat it held goes
// to the oldest waitlisted registration.
func (s *Service) withdraw(tx *gorm.DB, reg *models.Registration, m *models.Meeting, reason, kind string) (*Outcome, error) {
	from := reg.Status
	if err := CanTransition(from, models.StatusWithdrawn); err != nil {
		return nil, err
	}
	var extra map[string]any
	if reason != "" {
		extra = map[string]any{"reason": reason}
		reg.Reason = reason
	}
	if err := s.move(tx, reg, models.StatusWithdrawn, extra); err != nil {
		return nil, err
	}
	if kind != "" {
		if err := s.enqueue(tx, kind, reg); err != nil {
			return nil, err
		}
	}
	out := &Outcome{Registration: *reg}
	if HoldsSeat(from) {
		var err error
		if out.Promoted, err = s.promote(tx, m, reg.ID); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// UpdateDetails changes the participant's name and job title on their own
// registration id. A withdrawn registration is closed to changes. Once
// approved, a new name is not shown until the secretariat accepts it: it
// waits as PendingName (asking for the shown name again drops the
// request); the job title changes at once.
func (s *Service) UpdateDetails(ctx context.Context, id uint, in DetailsInput) (*models.Registration, error) {
	d, err := in.Validate()
	if err != nil {
		return nil, err
	}
	var reg models.Registration
	err = s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := withOrganizationAndMeeting(tx, &reg, "id = ?", id); err != nil {
			if errors.Is(err, gorm.ErrRecordNotFound) {
				return apperr.Say(apperr.KindNotFound, "err.registration.no_registration", "ID", id)
			}
			return err
		}
		if reg.Status == models.StatusWithdrawn {
			return errWithdrawn()
		}
		now := s.now()
		cols := map[string]any{"job_title": d.JobTitle, "updated_at": now}
		switch {
		case !NameChangeNeedsApproval(reg.Status):
			cols["name"], cols["pending_name"], cols["pending_name_at"] = d.Name, "", nil
			reg.Name, reg.PendingName, reg.PendingNameAt = d.Name, "", nil
		case d.Name == reg.Name:
			cols["pending_name"], cols["pending_name_at"] = "", nil
			reg.PendingName, reg.PendingNameAt = "", nil
		case d.Name != reg.PendingName:
			cols["pending_name"], cols["pending_name_at"] = d.Name, now
			reg.PendingName, reg.PendingNameAt = d.Name, &now
		}
		// The state guard keeps a withdrawal that commits meanwhile final,
		// and an approval that commits meanwhile from letting the name
		// through unreviewed.
		res := tx.Model(&models.Registration{}).Where("id = ? AND status = ?", id, reg.Status).Updates(cols)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected != 1 {
			return apperr.Say(apperr.KindConflict, "err.registration_changed").WithCode("changed")
		}
		reg.JobTitle = d.JobTitle
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &reg, nil
}

func errWithdrawn() error {
	return apperr.Say(apperr.KindConflict, "err.registration_withdrawn").WithCode("withdrawn")
}

// DecideNameChange accepts or refuses the new name the participant of
// registration id asked for: accepted, it becomes the name shown
// everywhere; refused, the request is dropped. seen, when not "", is the
// name the secretariat reviewed: if the participant has asked for another
// since, nothing changes (409 name_change_changed). The participant gets a
// mail either way.
func (s *Service) DecideNameChange(ctx context.Context, by auth.Actor, id uint, accept bool, seen string) (*models.Registration, error) {
	var reg models.Registration
	err := s.write(ctx, func(tx *gorm.DB) error {
		if err := withOrganizationAndMeeting(tx, &reg, "id = ?", id); err != nil {
			if errors.Is(err, gorm.ErrRecordNotFound) {
				return apperr.Say(apperr.KindNotFound, "err.registration.no_registration", "ID", id)
			}
			return err
		}
		if reg.Status == models.StatusWithdrawn {
			return errWithdrawn()
		}
		if reg.PendingName == "" {
			return apperr.Say(apperr.KindConflict, "err.registration.no_name_change", "Name", reg.Name).WithCode("no_name_change")
		}
		changed := apperr.Say(apperr.KindConflict, "err.registration.name_change_changed", "Name", reg.PendingName).WithCode("name_change_changed")
		if seen != "" && seen != reg.PendingName {
			return changed
		}
		cols := map[string]any{"pending_name": "", "pending_name_at": nil, "updated_at": s.now()}
		if accept {
			cols["name"] = reg.PendingName
		}
		res := tx.Model(&models.Registration{}).Where("id = ? AND pending_name = ?", id, reg.PendingName).Updates(cols)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected != 1 {
			return changed
		}
		mail := reg // the refusal's mail names the name asked for
		if accept {
			reg.Name = reg.PendingName
			mail = reg
			mail.PendingName = ""
		}
		asked := reg.PendingName
		reg.PendingName, reg.PendingNameAt = "", nil
		if err := s.enqueue(tx, mailNameChange, &mail); err != nil {
			return err
		}
		return audit.Record(tx, s.now(), audit.Entry{MeetingID: reg.MeetingID, Actor: by, Action: ActDecideNameChange,
			Detail: map[string]any{"registration_id": reg.ID, "name": reg.Name, "asked": asked, "accepted": accept}})
	})
	if err != nil {
		return nil, err
	}
	return &reg, nil
}

// BulkResult is the outcome of a decision on one registration of a bulk
// request.
type BulkResult struct {
	ID       uint   `json:"id"`
	OK       bool   `json:"ok"`
	Status   string `json:"status,omitempty"`
	Error    string `json:"error,omitempty"`
	Code     string `json:"code,omitempty"`
	Promoted []uint `json:"promoted,omitempty"`
}

// MaxBulk is the most registrations one bulk decision may name.
const MaxBulk = 1000

// DecideMany applies one decision to each registration of ids in the
// meeting, each in its own transaction, so that one refused registration
// (an impossible transition, capacity reached) does not hold back the
// others. Errors other than the domain's abort the rest.
func (s *Service) DecideMany(ctx context.Context, by auth.Actor, meetingID uint, ids []uint, decision, reason string) ([]BulkResult, error) {
	f := apperr.Fields{}
	if len(ids) == 0 {
		f.Say("ids", "err.registration.one_registration")
	} else if len(ids) > MaxBulk {
		f.Say("ids", "err.registration.bulk_max", "Max", MaxBulk)
	}
	if _, err := TargetOf(decision); err != nil {
		f.Say("decision", "err.registration.decision")
	}
	if _, err := ValidReason(reason); err != nil {
		var ae *apperr.Error
		errors.As(err, &ae)
		f[FieldReason] = apperr.FieldMessage{Text: ae.Fields[FieldReason], Msg: ae.FieldMsgs[FieldReason]}
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	seen := map[uint]bool{}
	out := make([]BulkResult, 0, len(ids))
	for _, id := range ids {
		if seen[id] {
			continue
		}
		seen[id] = true
		o, err := s.decide(ctx, by, meetingID, id, decision, reason)
		var ae *apperr.Error
		switch {
		case err == nil:
			r := BulkResult{ID: id, OK: true, Status: o.Registration.Status}
			for _, p := range o.Promoted {
				r.Promoted = append(r.Promoted, p.ID)
			}
			out = append(out, r)
		case errors.As(err, &ae):
			out = append(out, BulkResult{ID: id, Error: ae.Message, Code: apperr.CodeOf(ae)})
		default:
			return nil, err
		}
	}
	return out, nil
}
