package live

import (
	"slices"

	"gorm.io/gorm"

	"rostrum/models"
)

// A command reads the meeting's floor, changes it and writes what changed.
// Reading every entry that is waiting, speaking or has spoken was most of
// a command's time on a real list (a Next on 64 waiting with a day's
// speeches behind it: some hundred rows through the driver), and a
// command's time is time before any viewer hears of it. So the floor a
// command leaves is kept, and the next command of the meeting starts from
// it when the meeting's seq, read under the meeting's lock, is still the
// one that command wrote. Every change of the entries bumps the seq
// (Service.change, Forget), on whichever instance it ran, so an equal seq
// means equal entries; anything else reads them again. The agenda items
// and their lists' headers, a few rows that may change outside a change
// (an item appended), are read again every time.

// takeFloor returns lm's floor for a command: the kept one when it is
// still current (lm is locked), else read from tx. The kept floor leaves
// the cache either way, so a command that fails halfway leaves nothing
// half-changed behind.
func (s *Service) takeFloor(tx *gorm.DB, lm *models.LiveMeeting) (*Floor, error) {
	s.floorMu.Lock()
	kept := s.floors[lm.MeetingID]
	delete(s.floors, lm.MeetingID)
	s.floorMu.Unlock()
	if kept == nil || kept.Seq != lm.Seq {
		return loadFloor(tx, lm)
	}
	var entries []*Entry
	for _, l := range kept.Lists {
		entries = append(entries, l.Entries...)
	}
	slices.SortFunc(entries, func(a, b *Entry) int { return int(a.ID) - int(b.ID) })
	return assembleFloor(tx, lm, entries)
}

// keepFloor keeps f, as a committed command left it (f.Seq is its seq),
// for the meeting's next command, unless a later one is kept already.
func (s *Service) keepFloor(f *Floor) {
	s.floorMu.Lock()
	defer s.floorMu.Unlock()
	if s.floors == nil {
		s.floors = map[uint]*Floor{}
	}
	if old := s.floors[f.MeetingID]; old == nil || old.Seq < f.Seq {
		s.floors[f.MeetingID] = f
	}
}
