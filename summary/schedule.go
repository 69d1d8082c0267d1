package summary

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"gorm.io/gorm"

	"rostrum/apperr"
	"rostrum/audit"
	"rostrum/auth"
	"rostrum/models"
)

// notScheduledMsg says, for each state but scheduled, why a circulation
// cannot be cancelled: one message per state, so that each language
// agrees the state's word with "circulation".
var notScheduledMsg = map[string]string{
	models.CirculationSent:      "err.summary.not_scheduled_sent",
	models.CirculationCancelled: "err.summary.not_scheduled_cancelled",
}

// Cancel cancels scheduled circulation id of m. One that has gone (or
// is going at this moment) cannot be: 409.
func (s *Service) Cancel(ctx context.Context, m *models.Meeting, id uint, by auth.Actor) (*CirculationView, error) {
	err := s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		res := tx.Model(&models.Circulation{}).Where("id = ? AND meeting_id = ? AND state = ?", id, m.ID, models.CirculationScheduled).
			Updates(map[string]any{"state": models.CirculationCancelled, "version_id": nil})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			var c models.Circulation
			if err := tx.Where("id = ? AND meeting_id = ?", id, m.ID).Limit(1).Find(&c).Error; err != nil {
				return err
			}
			if c.ID == 0 {
				return apperr.Say(apperr.KindNotFound, "err.summary.no_circulation", "ID", id)
			}
			return apperr.Say(apperr.KindConflict, notScheduledMsg[c.State], "ID", id).WithCode("not_scheduled")
		}
		return audit.Record(tx, time.Now().UTC(), audit.Entry{MeetingID: m.ID, Actor: by, Action: ActCancel,
			Detail: map[string]any{"circulation_id": id}})
	})
	if err != nil {
		return nil, err
	}
	return s.Circulation(ctx, m, id)
}

// Circulations lists m's circulations, newest first, without their
// recipients.
func (s *Service) Circulations(ctx context.Context, m *models.Meeting) ([]CirculationView, error) {
	var cs []models.Circulation
	if err := s.DB.WithContext(ctx).Preload("Version").Where("meeting_id = ?", m.ID).Order("id DESC").Find(&cs).Error; err != nil {
		return nil, err
	}
	out := make([]CirculationView, len(cs))
	for i, c := range cs {
		out[i] = CirculationView{ID: c.ID, Total: c.Total, State: c.State, SendAt: c.SendAt, SentAt: c.SentAt,
			LetterID: c.LetterID, CreatedAt: c.CreatedAt, Recipients: []RecipientView{}}
		if c.Version != nil {
			out[i].Version = c.Version.Number
		}
	}
	return out, nil
}

// FireDue sends every scheduled circulation whose time has come. Each
// is claimed in the transaction that queues its messages (an UPDATE
// from scheduled to sent): across instances and restarts exactly one
// transaction commits it, and one that fails or dies leaves it
// scheduled for the next look.
func (s *Service) FireDue(ctx context.Context, now time.Time) (int, error) {
	var due []models.Circulation
	if err := s.DB.WithContext(ctx).Where("state = ? AND send_at <= ?", models.CirculationScheduled, now.UTC()).
		Order("send_at").Limit(20).Find(&due).Error; err != nil {
		return 0, err
	}
	fired := 0
	var errs []error
	for i := range due {
		// One that cannot go now (its meeting unreadable, say) keeps its
		// place and does not hold up the others.
		ok, err := s.fire(ctx, &due[i])
		if err != nil {
			errs = append(errs, fmt.Errorf("circulation %d: %w", due[i].ID, err))
		}
		if ok {
			fired++
		}
	}
	if fired > 0 && s.Notify != nil {
		s.Notify()
	}
	return fired, errors.Join(errs...)
}

func (s *Service) fire(ctx context.Context, c *models.Circulation) (bool, error) {
	m, err := s.Meetings.Meeting(ctx, c.MeetingID)
	if err != nil {
		return false, err
	}
	var in CirculationInput
	in.Letter = c.LetterID
	_ = json.Unmarshal([]byte(c.Documents), &in.Documents)
	_ = json.Unmarshal([]byte(c.Audience), &in.To)
	if c.VersionID != nil {
		var v models.SummaryVersion
		if err := s.DB.WithContext(ctx).Where("id = ?", *c.VersionID).First(&v).Error; err != nil {
			return false, err
		}
		in.Summary = &v.Number
	}
	// Rendering and reading the audience happen before the transaction,
	// as for a circulation sent at once.
	ml, err := s.mailing(ctx, m, &in)
	if err != nil {
		return false, err
	}
	extras, err := extraRecipients(in.To.Extra)
	if err != nil {
		return false, err
	}
	rcpts, err := s.audience(ctx, m, in.To, extras)
	if err != nil {
		return false, err
	}
	fired := false
	err = s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		now := time.Now().UTC()
		res := tx.Model(&models.Circulation{}).Where("id = ? AND state = ?", c.ID, models.CirculationScheduled).
			Updates(map[string]any{"state": models.CirculationSent, "sent_at": now, "total": len(rcpts)})
		if res.Error != nil || res.RowsAffected == 0 {
			return res.Error // another instance sent it, or it was cancelled
		}
		c.State, c.SentAt, c.Total = models.CirculationSent, &now, len(rcpts)
		fired = true
		return s.dispatch(tx, m, c, rcpts, ml, auth.Actor{}, now)
	})
	return fired, err
}

// RunScheduler sends scheduled circulations as they fall due, looking
// every interval, until ctx ends.
func (s *Service) RunScheduler(ctx context.Context, interval time.Duration, log *slog.Logger) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		if _, err := s.FireDue(ctx, time.Now()); err != nil && ctx.Err() == nil {
			log.Error("scheduled circulation", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
