package door

import (
	"context"
	"fmt"

	"rostrum/apperr"
	"rostrum/models"
	"rostrum/registration"
	"rostrum/summary"
)

// Service prints the door's documents for a meeting.
type Service struct {
	Participants Participants
	Fonts        *summary.Fonts // nil when the fonts are missing: PDFs fail with a clear error
}

// MaxBadgeIDs bounds the registrations one request of badges may name.
const MaxBadgeIDs = 5000

// Badges draws the badges of meeting m's approved registrations, all of
// them or those of ids, in format (FormatSheet or FormatA6). An id that
// is not an approved registration of m is a field error: a badge carries
// a check-in code, which admits only the approved.
func (s *Service) Badges(ctx context.Context, m *models.Meeting, ids []uint, format string) ([]byte, error) {
	if format != FormatSheet && format != FormatA6 {
		return nil, apperr.Say(apperr.KindInvalid, "err.door.badge_format").WithField("format", "err.door.badge_formats")
	}
	if len(ids) > MaxBadgeIDs {
		return nil, apperr.Say(apperr.KindInvalid, "err.door.too_many").WithField("ids", "err.door.at_most", "Max", MaxBadgeIDs)
	}
	if s.Fonts == nil {
		return nil, fmt.Errorf("door: the PDF fonts are not loaded (summary_font_dir)")
	}
	regs, err := s.Participants.Approved(ctx, m.ID)
	if err != nil {
		return nil, err
	}
	byID := map[uint]*models.Registration{}
	for i := range regs {
		byID[regs[i].ID] = &regs[i]
	}
	var chosen []models.Registration
	if len(ids) == 0 {
		chosen = regs
	} else {
		seen := map[uint]bool{}
		for _, id := range ids {
			r, ok := byID[id]
			if !ok {
				return nil, apperr.Say(apperr.KindInvalid, "err.door.no_badge").WithField("ids", "err.door.not_approved", "ID", id)
			}
			if !seen[id] {
				seen[id] = true
				chosen = append(chosen, *r)
			}
		}
	}
	registration.SortForList(chosen)
	badges := make([]Badge, len(chosen))
	for i := range chosen {
		badges[i] = BadgeOf(&chosen[i])
	}
	return BadgesPDF(badges, m.Title, documentLanguage(m), format, s.Fonts)
}
