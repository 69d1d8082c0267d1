package accreditation

import (
	"context"
	"time"

	"gorm.io/gorm"

	"rostrum/apperr"
	"rostrum/models"
	"rostrum/registration"
)

// StaffObjection is an objection as the secretariat reads it: the State
// named.
type StaffObjection struct {
	OrganizationID uint      `json:"organization_id"`
	Organization   string    `json:"organization"`
	Country        string    `json:"country"`
	State          string    `json:"state"` // the country's name
	Mission        string    `json:"mission"`
	Reason         string    `json:"reason"`
	At             time.Time `json:"at"`
}

// StaffEntry is one organization of a notice for the secretariat: its
// objections counted and, once closed, its outcome.
type StaffEntry struct {
	ID          uint   `json:"id"`
	Name        string `json:"name"`
	Type        string `json:"type"`
	Country     string `json:"country"`
	CountryName string `json:"country_name"`
	Objections  int    `json:"objections"`
	Outcome     string `json:"outcome"` // "" while open; approved or rejected
}

// StaffNotice is a notice as the secretariat reads it.
type StaffNotice struct {
	ID            uint             `json:"id"`
	State         string           `json:"state"` // open or closed
	Deadline      time.Time        `json:"deadline"`
	ClosedAt      *time.Time       `json:"closed_at"`
	CreatedAt     time.Time        `json:"created_at"`
	Organizations []StaffEntry     `json:"organizations"`
	Missions      int              `json:"missions"` // how many it was mailed to
	Counts        map[string]int   `json:"counts"`   // organizations, objected, objections, approved, rejected
	Objections    []StaffObjection `json:"objections"`
}

// Notices lists the meeting's notices, newest first, as the secretariat
// reads them.
func (s *Service) Notices(ctx context.Context, meetingID uint) ([]StaffNotice, error) {
	var ns []models.NonObjectionNotice
	if err := s.DB.WithContext(ctx).Where("meeting_id = ?", meetingID).Order("id DESC").Find(&ns).Error; err != nil {
		return nil, err
	}
	out := make([]StaffNotice, 0, len(ns))
	for i := range ns {
		v, err := s.staffView(ctx, &ns[i])
		if err != nil {
			return nil, err
		}
		out = append(out, *v)
	}
	return out, nil
}

// Notice returns notice id of the meeting as the secretariat reads it.
func (s *Service) Notice(ctx context.Context, meetingID, id uint) (*StaffNotice, error) {
	var n models.NonObjectionNotice
	if err := s.DB.WithContext(ctx).Where("id = ? AND meeting_id = ?", id, meetingID).Limit(1).Find(&n).Error; err != nil {
		return nil, err
	}
	if n.ID == 0 {
		return nil, apperr.Say(apperr.KindNotFound, "err.no_notice", "ID", id)
	}
	return s.staffView(ctx, &n)
}

func (s *Service) staffView(ctx context.Context, n *models.NonObjectionNotice) (*StaffNotice, error) {
	db := s.DB.WithContext(ctx)
	var entries []models.NonObjectionEntry
	if err := db.Where("notice_id = ?", n.ID).Order("id").Find(&entries).Error; err != nil {
		return nil, err
	}
	var objs []models.Objection
	if err := db.Where("notice_id = ?", n.ID).Order("id").Find(&objs).Error; err != nil {
		return nil, err
	}
	orgIDs := make([]uint, len(entries))
	for i, e := range entries {
		orgIDs[i] = e.OrganizationID
	}
	orgs, err := s.Registrations.Circulated(ctx, n.MeetingID, orgIDs)
	if err != nil {
		return nil, err
	}
	orgByID := map[uint]registration.Circulated{}
	for _, o := range orgs {
		orgByID[o.ID] = o
	}
	missionIDs := make([]uint, len(objs))
	for i, o := range objs {
		missionIDs[i] = o.MissionID
	}
	missions, err := s.Missions.ByIDs(ctx, missionIDs)
	if err != nil {
		return nil, err
	}
	var recipients int64
	if err := db.Model(&models.NonObjectionRecipient{}).Where("notice_id = ?", n.ID).Count(&recipients).Error; err != nil {
		return nil, err
	}
	v := &StaffNotice{ID: n.ID, State: n.State, Deadline: n.Deadline.UTC(), ClosedAt: n.ClosedAt, CreatedAt: n.CreatedAt,
		Missions: int(recipients), Organizations: []StaffEntry{}, Objections: []StaffObjection{},
		Counts: map[string]int{"organizations": len(entries), "objected": 0, "objections": len(objs), "approved": 0, "rejected": 0}}
	per := map[uint]int{}
	for _, o := range objs {
		per[o.OrganizationID]++
		ms := missions[o.MissionID]
		v.Objections = append(v.Objections, StaffObjection{OrganizationID: o.OrganizationID, Organization: orgByID[o.OrganizationID].Name,
			Country: ms.Country, State: registration.CountryName(ms.Country), Mission: ms.Name, Reason: o.Reason, At: o.CreatedAt})
	}
	for _, e := range entries {
		o := orgByID[e.OrganizationID]
		o.ID = e.OrganizationID
		v.Organizations = append(v.Organizations, StaffEntry{ID: o.ID, Name: o.Name, Type: o.Type, Country: o.Country,
			CountryName: o.CountryName, Objections: per[o.ID], Outcome: e.Outcome})
		if per[o.ID] > 0 {
			v.Counts["objected"]++
		}
		if e.Outcome != "" {
			v.Counts[e.Outcome]++
		}
	}
	return v, nil
}

// MissionNotice is a notice as a mission reads it: the organizations
// circulated and the mission's own objections, never another's.
type MissionNotice struct {
	ID            uint                      `json:"id"`
	Open          bool                      `json:"open"` // objections are received
	Deadline      time.Time                 `json:"deadline"`
	Organizations []registration.Circulated `json:"organizations"`
	// Objected holds, by organization id, the reason of this mission's
	// objection.
	Objected map[uint]string `json:"objected"`
}

// ForMission lists the meeting's notices, newest first, as mission
// missionID reads them.
func (s *Service) ForMission(ctx context.Context, meetingID, missionID uint) ([]MissionNotice, error) {
	db := s.DB.WithContext(ctx)
	var ns []models.NonObjectionNotice
	if err := db.Where("meeting_id = ?", meetingID).Order("id DESC").Find(&ns).Error; err != nil {
		return nil, err
	}
	now := s.now()
	out := make([]MissionNotice, 0, len(ns))
	for _, n := range ns {
		var entries []models.NonObjectionEntry
		if err := db.Where("notice_id = ?", n.ID).Order("id").Find(&entries).Error; err != nil {
			return nil, err
		}
		ids := make([]uint, len(entries))
		for i, e := range entries {
			ids[i] = e.OrganizationID
		}
		orgs, err := s.Registrations.Circulated(ctx, meetingID, ids)
		if err != nil {
			return nil, err
		}
		var objs []models.Objection
		if err := db.Where("notice_id = ? AND mission_id = ?", n.ID, missionID).Find(&objs).Error; err != nil {
			return nil, err
		}
		mn := MissionNotice{ID: n.ID, Open: n.State == models.NoticeOpen && now.Before(n.Deadline), Deadline: n.Deadline.UTC(),
			Organizations: orgs, Objected: map[uint]string{}}
		for _, o := range objs {
			mn.Objected[o.OrganizationID] = o.Reason
		}
		out = append(out, mn)
	}
	return out, nil
}

// CloseDue closes every open notice whose deadline has passed and returns
// how many this call closed (another instance may close some first).
func (s *Service) CloseDue(ctx context.Context) (int, error) {
	var due []uint
	if err := s.DB.WithContext(ctx).Model(&models.NonObjectionNotice{}).
		Where("state = ? AND deadline <= ?", models.NoticeOpen, s.now()).Order("deadline, id").Pluck("id", &due).Error; err != nil {
		return 0, err
	}
	closed := 0
	for _, id := range due {
		ok, err := s.close(ctx, id)
		if err != nil {
			return closed, err
		}
		if ok {
			closed++
		}
	}
	return closed, nil
}

// close claims notice id and decides its registrations, all in one
// transaction: the claim is an UPDATE of the row from open to closed, so
// that of two instances (or two passes) only one changes it, and a crash
// before the commit leaves the notice open, for the next pass, with
// nothing decided. It reports whether this call closed the notice.
func (s *Service) close(ctx context.Context, id uint) (bool, error) {
	claimed := false
	var mailed bool
	err := s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		now := s.now()
		res := tx.Model(&models.NonObjectionNotice{}).Where("id = ? AND state = ? AND deadline <= ?", id, models.NoticeOpen, now).
			Updates(map[string]any{"state": models.NoticeClosed, "closed_at": now})
		if res.Error != nil || res.RowsAffected != 1 {
			return res.Error
		}
		claimed = true
		var n models.NonObjectionNotice
		if err := tx.Where("id = ?", id).First(&n).Error; err != nil {
			return err
		}
		// Read after the claim: an objection that committed before it
		// is seen, and one that waits for the row finds it closed.
		var entries []models.NonObjectionEntry
		if err := tx.Where("notice_id = ?", id).Order("organization_id").Find(&entries).Error; err != nil {
			return err
		}
		for _, e := range entries {
			var objections int64
			if err := tx.Model(&models.Objection{}).Where("notice_id = ? AND organization_id = ?", id, e.OrganizationID).Count(&objections).Error; err != nil {
				return err
			}
			outs, err := s.Registrations.DecideAtDeadline(tx, n.MeetingID, e.OrganizationID, objections > 0)
			if err != nil {
				return err
			}
			outcome := models.StatusApproved
			if objections > 0 {
				outcome = models.StatusRejected
			}
			if err := tx.Model(&models.NonObjectionEntry{}).Where("id = ?", e.ID).Update("outcome", outcome).Error; err != nil {
				return err
			}
			mailed = mailed || len(outs) > 0
		}
		return nil
	})
	if err != nil {
		return false, err
	}
	if claimed && s.Log != nil {
		s.Log.Info("non-objection notice closed", "notice", id)
	}
	if mailed && s.Notify != nil {
		s.Notify()
	}
	return claimed, nil
}

// Run closes notices as their deadlines pass until ctx ends.
func (s *Service) Run(ctx context.Context) {
	every := s.Poll
	if every <= 0 {
		every = time.Second
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if _, err := s.CloseDue(ctx); err != nil && ctx.Err() == nil && s.Log != nil {
			s.Log.Warn("close non-objection notices", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
