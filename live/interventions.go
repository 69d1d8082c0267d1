package live

import (
	"context"
	"sort"
	"time"

	"rostrum/meetings"
)

// Intervention is an entry of the list of speakers that was given the
// floor, with how long it spoke: what the Chair's summary is drafted from.
type Intervention struct {
	Entry
	SpeakingTime time.Duration // pauses excluded; so far, for a speaker who still has the floor
}

// Interventions lists the meeting's entries that were given the floor, by
// agenda item (in the agenda's order) and then in speaking order.
func (s *Service) Interventions(ctx context.Context, meetingID uint) ([]Intervention, error) {
	db := s.DB.WithContext(ctx)
	items, err := meetings.ItemsIn(db, meetingID)
	if err != nil {
		return nil, err
	}
	position := map[uint]int{}
	for _, it := range items {
		position[it.ID] = it.Position
	}
	var entries []Entry
	if err := db.Where("meeting_id = ? AND started_at IS NOT NULL", meetingID).Find(&entries).Error; err != nil {
		return nil, err
	}
	sort.SliceStable(entries, func(i, j int) bool {
		a, b := entries[i], entries[j]
		if pa, pb := position[a.AgendaItemID], position[b.AgendaItemID]; pa != pb {
			return pa < pb
		}
		if !a.StartedAt.Equal(*b.StartedAt) {
			return a.StartedAt.Before(*b.StartedAt)
		}
		return a.ID < b.ID
	})
	now := s.Now()
	out := make([]Intervention, len(entries))
	for i := range entries {
		out[i] = Intervention{Entry: entries[i], SpeakingTime: Elapsed(&entries[i], now)}
	}
	return out, nil
}
