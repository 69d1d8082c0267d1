package summary

import (
	"context"
	"time"

	"gorm.io/gorm"
)

// LiveSpeakers reads interventions from the live list's table of speaker
// entries (models.SpeakerEntry): the entries that were given the floor,
// by agenda item and in speaking order, with the country of each
// speaker's organization. Speaking time is the time spoken without
// pauses once the speech ended, else the time since it started.
type LiveSpeakers struct{}

type speakerRow struct {
	ID              uint
	AgendaItemID    uint
	Organization    string
	StakeholderType string
	Country         string
	Kind            string
	State           string
	StartedAt       *time.Time
	EndedAt         *time.Time
	SpokenMS        int64
}

// SpeakerEntries implements Speakers.
func (LiveSpeakers) SpeakerEntries(ctx context.Context, db *gorm.DB, meetingID uint) ([]SpeakerEntry, error) {
	var rows []speakerRow
	err := db.WithContext(ctx).Table("speaker_entries AS e").
		Select("e.id, e.agenda_item_id, e.organization, e.stakeholder_type, COALESCE(o.country, '') AS country, "+
			"e.kind, e.state, e.started_at, e.ended_at, e.spoken_ms").
		Joins("JOIN agenda_items AS i ON i.id = e.agenda_item_id").
		Joins("LEFT JOIN registrations AS r ON r.id = e.registration_id").
		Joins("LEFT JOIN organizations AS o ON o.id = r.organization_id").
		Where("e.meeting_id = ? AND e.started_at IS NOT NULL", meetingID).
		Order("i.position, e.started_at, e.id").
		Scan(&rows).Error
	if err != nil {
		return nil, err
	}
	out := make([]SpeakerEntry, 0, len(rows))
	for _, r := range rows {
		e := SpeakerEntry{ID: r.ID, AgendaItemID: r.AgendaItemID, Kind: r.Kind, State: r.State,
			StartedAt: r.StartedAt, EndedAt: r.EndedAt,
			Organization: Organization{Name: r.Organization, Type: r.StakeholderType, Country: r.Country}}
		if r.SpokenMS > 0 {
			e.SpeakingTime = time.Duration(r.SpokenMS) * time.Millisecond
		} else if r.StartedAt != nil && r.EndedAt != nil && r.EndedAt.After(*r.StartedAt) {
			e.SpeakingTime = r.EndedAt.Sub(*r.StartedAt)
		}
		out = append(out, e)
	}
	return out, nil
}
