package meetings

import (
	"context"
	"errors"
	"strconv"
	"strings"

	"gorm.io/gorm"

	"rostrum/apperr"
	"rostrum/models"
)

// A process is several meetings of one body: its substantive sessions
// and intersessional meetings (models.Process). Package meetings owns the
// processes as it owns the meetings that name them.

// ProcessInput is a new process as the secretariat enters it.
type ProcessInput struct {
	Slug    string `json:"slug"`
	Title   string `json:"title"`
	Acronym string `json:"acronym"`
}

// Validate checks in and returns the process it describes.
func (in ProcessInput) Validate() (*models.Process, error) {
	f := apperr.Fields{}
	slug := strings.TrimSpace(in.Slug)
	if !slugRE.MatchString(slug) {
		f.Say("slug", "err.meetings.slug")
	}
	checkText(f, "title", strings.TrimSpace(in.Title), 1, 300)
	checkText(f, "acronym", strings.TrimSpace(in.Acronym), 0, 60)
	if err := f.Err(); err != nil {
		return nil, err
	}
	return &models.Process{Slug: slug, Title: strings.TrimSpace(in.Title), Acronym: strings.TrimSpace(in.Acronym)}, nil
}

// CreateProcess validates in and stores the process.
func (s *Service) CreateProcess(ctx context.Context, in ProcessInput) (*models.Process, error) {
	p, err := in.Validate()
	if err != nil {
		return nil, err
	}
	if err := s.DB.WithContext(ctx).Create(p).Error; err != nil {
		if errors.Is(err, gorm.ErrDuplicatedKey) {
			return nil, apperr.Say(apperr.KindInvalid, "err.meetings.slug_taken").WithField("slug", "err.meetings.process_slug_exists")
		}
		return nil, err
	}
	return p, nil
}

// Processes returns every process by title.
func (s *Service) Processes(ctx context.Context) ([]models.Process, error) {
	var ps []models.Process
	return ps, s.DB.WithContext(ctx).Order("title, id").Find(&ps).Error
}

// ProcessBySlug returns the process named slug, or a NotFound error.
func (s *Service) ProcessBySlug(ctx context.Context, slug string) (*models.Process, error) {
	var p models.Process
	err := s.DB.WithContext(ctx).Where("slug = ?", slug).First(&p).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, apperr.Say(apperr.KindNotFound, "err.meetings.no_process", "Slug", strconv.Quote(slug))
	}
	if err != nil {
		return nil, err
	}
	return &p, nil
}

// ProcessOf returns the process meeting m belongs to, or nil.
func (s *Service) ProcessOf(ctx context.Context, m *models.Meeting) (*models.Process, error) {
	if m.ProcessID == nil {
		return nil, nil
	}
	var p models.Process
	err := s.DB.WithContext(ctx).Where("id = ?", *m.ProcessID).Limit(1).Find(&p).Error
	if err != nil || p.ID == 0 {
		return nil, err
	}
	return &p, nil
}

// ProcessSlugs returns the slug of every process by its id, for a list
// of meetings.
func (s *Service) ProcessSlugs(ctx context.Context) (map[uint]string, error) {
	ps, err := s.Processes(ctx)
	out := make(map[uint]string, len(ps))
	for _, p := range ps {
		out[p.ID] = p.Slug
	}
	return out, err
}

// MeetingsOf returns the meetings of process p, earliest first.
func (s *Service) MeetingsOf(ctx context.Context, p *models.Process) ([]models.Meeting, error) {
	var ms []models.Meeting
	return ms, s.DB.WithContext(ctx).Where("process_id = ?", p.ID).Order("starts_at, id").Find(&ms).Error
}

// ProcessMeetingIDs returns, read through db, the ids of the other
// meetings of the process meeting id belongs to: none when it belongs to
// none. Registration asks it to find an address's earlier registration
// in the same process.
func ProcessMeetingIDs(db *gorm.DB, id uint) ([]uint, error) {
	m, err := ByID(db, id)
	if err != nil || m.ProcessID == nil {
		return nil, err
	}
	var ids []uint
	err = db.Model(&models.Meeting{}).Where("process_id = ? AND id <> ?", *m.ProcessID, id).Order("id").Pluck("id", &ids).Error
	return ids, err
}

// processID resolves a process's slug ("" for none) inside tx: an
// unknown slug is a field error.
func processID(tx *gorm.DB, slug string) (*uint, error) {
	slug = strings.TrimSpace(slug)
	if slug == "" {
		return nil, nil
	}
	var p models.Process
	if err := tx.Where("slug = ?", slug).Limit(1).Find(&p).Error; err != nil {
		return nil, err
	}
	if p.ID == 0 {
		return nil, apperr.Say(apperr.KindInvalid, "err.meetings.unknown_process").WithField("process", "err.meetings.create_process")
	}
	return &p.ID, nil
}

// processSlug is the slug of process id (nil: none) read inside tx.
func processSlug(tx *gorm.DB, id *uint) (string, error) {
	if id == nil {
		return "", nil
	}
	var p models.Process
	err := tx.Where("id = ?", *id).Limit(1).Find(&p).Error
	return p.Slug, err
}
