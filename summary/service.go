package summary

import (
	"context"
	"encoding/json"
	"errors"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/pmezard/go-difflib/difflib"
	"gorm.io/gorm"

	"rostrum/apperr"
	"rostrum/audit"
	"rostrum/auth"
	"rostrum/models"
	"rostrum/store"
)

// SpeakerEntry is one intervention as the live list recorded it.
type SpeakerEntry struct {
	ID           uint
	AgendaItemID uint
	Organization Organization
	Kind         string
	State        string
	StartedAt    *time.Time
	EndedAt      *time.Time
	SpeakingTime time.Duration
}

// Speakers reads the interventions of a meeting from the live list, in
// speaking order within each agenda item. The summary depends on this
// small interface, not on the live package.
type Speakers interface {
	SpeakerEntries(ctx context.Context, meetingID uint) ([]SpeakerEntry, error)
}

// Service stores notes and summary versions, renders documents and
// circulates approved versions through the outbox.
type Service struct {
	DB       *gorm.DB // the summary's own tables: notes, versions, revisions, circulations
	Speakers Speakers
	Agenda   Agenda
	Registry Registry
	// Attendance, when set, says who was checked in at the door: when
	// anyone was, the summary counts those who attended rather than
	// those approved.
	Attendance Attendance
	Library    Library // the meeting's documents, for letters' enclosures
	Lists      DistributionLists
	Meetings   Meetings
	Fonts      *Fonts
	PublicURL  string
	// Notify, when set, is called after a circulation commits, to wake
	// the outbox worker.
	Notify func()
	// OnRender, when set, is called before each rendering of a document
	// (format "fragment" is the public page's HTML), for tests and
	// measurements.
	OnRender func(meetingID uint, version int, format string)

	cache docCache
}

// Limits on what notes and summaries may hold.
const (
	MaxNoteText     = 10000
	MaxKeyPoints    = 20
	MaxKeyPointText = 500
	MaxThemeText    = 100
	MaxMarkdown     = 1 << 20
)

// NoteInput is a rapporteur's note on one intervention.
type NoteInput struct {
	Text      string     `json:"text"`
	KeyPoints []KeyPoint `json:"key_points"`
}

// Validate checks the note's sizes and drops empty key points.
func (in *NoteInput) Validate() error {
	f := apperr.Fields{}
	if !utf8.ValidString(in.Text) {
		f.Say("text", "err.summary.utf8")
	}
	if utf8.RuneCountInString(in.Text) > MaxNoteText {
		f.Say("text", "err.summary.at_most_chars", "Max", MaxNoteText)
	}
	var kps []KeyPoint
	for _, kp := range in.KeyPoints {
		if !utf8.ValidString(kp.Text) || !utf8.ValidString(kp.Theme) {
			f.Say("key_points", "err.summary.utf8")
		}
		if utf8.RuneCountInString(kp.Text) > MaxKeyPointText {
			f.Say("key_points", "err.summary.key_point_max", "Max", MaxKeyPointText)
		}
		if utf8.RuneCountInString(kp.Theme) > MaxThemeText {
			f.Say("key_points", "err.summary.theme_max", "Max", MaxThemeText)
		}
		if strings.TrimSpace(kp.Text) != "" {
			kp.Theme = strings.Join(strings.Fields(kp.Theme), " ")
			kps = append(kps, kp)
		}
	}
	if len(kps) > MaxKeyPoints {
		f.Say("key_points", "err.summary.key_points_max", "Max", MaxKeyPoints)
	}
	in.KeyPoints = kps
	return f.Err()
}

// NoteView is a note as the API shows it, with its intervention.
type NoteView struct {
	SpeakerID    uint       `json:"speaker_id"`
	AgendaItemID uint       `json:"agenda_item_id"`
	Organization string     `json:"organization"`
	Country      string     `json:"country"`
	Type         string     `json:"stakeholder_type"`
	Kind         string     `json:"kind"`
	State        string     `json:"state"`
	StartedAt    *time.Time `json:"started_at"`
	EndedAt      *time.Time `json:"ended_at"`
	// SpeakingSeconds is the time spoken (pauses excluded).
	SpeakingSeconds int64      `json:"speaking_seconds"`
	Text            string     `json:"text"`
	KeyPoints       []KeyPoint `json:"key_points"`
	AuthorID        uint       `json:"author_id,omitempty"`
	UpdatedAt       *time.Time `json:"updated_at"`
}

func (s *Service) entries(ctx context.Context, meetingID uint) ([]SpeakerEntry, error) {
	if s.Speakers == nil {
		return nil, nil
	}
	return s.Speakers.SpeakerEntries(ctx, meetingID)
}

// SaveNote writes the note on speaker entry id of meeting m.
func (s *Service) SaveNote(ctx context.Context, m *models.Meeting, speakerID uint, in NoteInput, author uint) (*NoteView, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	entries, err := s.entries(ctx, m.ID)
	if err != nil {
		return nil, err
	}
	var entry *SpeakerEntry
	for i := range entries {
		if entries[i].ID == speakerID {
			entry = &entries[i]
		}
	}
	if entry == nil {
		return nil, apperr.Say(apperr.KindNotFound, "err.summary.no_speaker", "ID", speakerID)
	}
	kps := in.KeyPoints
	if kps == nil {
		kps = []KeyPoint{}
	}
	kpJSON, _ := json.Marshal(kps)
	var note models.SpeakerNote
	err = retryDuplicate(func() error {
		note = models.SpeakerNote{}
		return s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
			if err := store.LockForUpdate(tx).Where("speaker_entry_id = ?", speakerID).Limit(1).Find(&note).Error; err != nil {
				return err
			}
			note.MeetingID, note.SpeakerEntryID = m.ID, speakerID
			note.Text, note.KeyPoints, note.AuthorID = in.Text, string(kpJSON), author
			return tx.Save(&note).Error
		})
	})
	if err != nil {
		return nil, err
	}
	v := noteView(*entry, &note)
	return &v, nil
}

func noteView(e SpeakerEntry, n *models.SpeakerNote) NoteView {
	v := NoteView{SpeakerID: e.ID, AgendaItemID: e.AgendaItemID, Organization: e.Organization.Name,
		Country: e.Organization.Country, Type: e.Organization.Type, Kind: e.Kind, State: e.State,
		StartedAt: e.StartedAt, EndedAt: e.EndedAt, KeyPoints: []KeyPoint{},
		SpeakingSeconds: int64(e.SpeakingTime.Round(time.Second) / time.Second)}
	if n != nil && n.ID != 0 {
		v.Text, v.AuthorID = n.Text, n.AuthorID
		_ = json.Unmarshal([]byte(n.KeyPoints), &v.KeyPoints)
		if v.KeyPoints == nil {
			v.KeyPoints = []KeyPoint{}
		}
		t := n.UpdatedAt
		v.UpdatedAt = &t
	}
	return v
}

// Notes lists every intervention of meeting m with its note (empty when
// none was written yet), in speaking order.
func (s *Service) Notes(ctx context.Context, m *models.Meeting) ([]NoteView, error) {
	entries, err := s.entries(ctx, m.ID)
	if err != nil {
		return nil, err
	}
	var notes []models.SpeakerNote
	if err := s.DB.WithContext(ctx).Where("meeting_id = ?", m.ID).Find(&notes).Error; err != nil {
		return nil, err
	}
	byEntry := map[uint]*models.SpeakerNote{}
	for i := range notes {
		byEntry[notes[i].SpeakerEntryID] = &notes[i]
	}
	out := make([]NoteView, 0, len(entries))
	for _, e := range entries {
		out = append(out, noteView(e, byEntry[e.ID]))
	}
	return out, nil
}

// Record gathers what the summary of m is drafted from.
func (s *Service) Record(ctx context.Context, m *models.Meeting) (Record, error) {
	r := Record{Title: m.Title, Symbol: m.Symbol, Language: m.Language, Body: m.Body, BodyAcronym: m.BodyAcronym, IssuedOn: time.Now(), Venue: m.Venue, Chair: m.Chair, StartsAt: m.StartsAt, EndsAt: m.EndsAt,
		Timezone: m.Timezone, Attribution: m.Attribution}
	items, err := s.Agenda.Items(ctx, m.ID)
	if err != nil {
		return r, err
	}
	notes, err := s.Notes(ctx, m)
	if err != nil {
		return r, err
	}
	idx := map[uint]int{}
	for i, it := range items {
		idx[it.ID] = i
		r.Items = append(r.Items, Item{Title: it.Title, StartsAt: it.StartsAt, EndsAt: it.EndsAt})
	}
	for _, n := range notes {
		i, ok := idx[n.AgendaItemID]
		if !ok || n.StartedAt == nil {
			continue // never given the floor: not an intervention
		}
		d := time.Duration(n.SpeakingSeconds) * time.Second
		r.Items[i].Interventions = append(r.Items[i].Interventions, Intervention{
			Organization: Organization{Name: n.Organization, Type: n.Type, Country: n.Country},
			Kind:         n.Kind, SpeakingTime: d, Note: n.Text, KeyPoints: n.KeyPoints,
		})
	}
	approved, err := s.Registry.Approved(ctx, m.ID)
	if err != nil {
		return r, err
	}
	if s.Attendance != nil {
		attended, err := s.Attendance.Attended(ctx, m.ID)
		if err != nil {
			return r, err
		}
		if len(attended) > 0 {
			approved, r.Attended = attended, len(attended)
		}
	}
	seen := map[uint]bool{}
	for _, p := range approved {
		if o := p.Organization; !seen[o.ID] {
			seen[o.ID] = true
			r.Organizations = append(r.Organizations, Organization{Name: o.Name, Type: o.Type, Country: o.Country})
		}
	}
	sort.SliceStable(r.Organizations, func(i, j int) bool { return r.Organizations[i].Name < r.Organizations[j].Name })
	return r, nil
}

// Stage is what the version allows.
func (v *VersionView) Stage() Stage { return Stage{Number: v.Version, State: v.State} }

// VersionView is a summary version as the API shows it.
type VersionView struct {
	Version       int        `json:"version"`
	State         string     `json:"state"`
	Markdown      string     `json:"markdown,omitempty"`
	Author        string     `json:"author"`
	Revisions     int        `json:"revisions"`
	CreatedAt     time.Time  `json:"created_at"`
	UpdatedAt     time.Time  `json:"updated_at"`
	ApprovedAt    *time.Time `json:"approved_at,omitempty"`
	CirculatedAt  *time.Time `json:"circulated_at,omitempty"`
	CirculationID uint       `json:"circulation_id,omitempty"`
	// Conflicts are the merge conflicts left in the Markdown (with it only).
	Conflicts []Conflict `json:"conflicts,omitempty"`
}

func (s *Service) view(ctx context.Context, v *models.SummaryVersion, withMarkdown bool) (*VersionView, error) {
	db := s.DB.WithContext(ctx)
	out := &VersionView{Version: v.Number, State: v.State, Author: v.Author.Name, CreatedAt: v.CreatedAt,
		UpdatedAt: v.UpdatedAt, ApprovedAt: v.ApprovedAt, CirculatedAt: v.CirculatedAt}
	if out.Author == "" {
		out.Author = v.Author.Email
	}
	if withMarkdown {
		out.Markdown = v.Markdown
		out.Conflicts = Conflicts(v.Markdown)
	}
	var n int64
	if err := db.Model(&models.SummaryRevision{}).Where("version_id = ?", v.ID).Count(&n).Error; err != nil {
		return nil, err
	}
	out.Revisions = int(n)
	var c models.Circulation
	if err := db.Where("version_id = ?", v.ID).Limit(1).Find(&c).Error; err != nil {
		return nil, err
	}
	out.CirculationID = c.ID
	return out, nil
}

// Actions of the audit log (package audit) that summary records.
const (
	ActCreateVersion = "create_summary_version"
	ActEditSummary   = "edit_summary"
	ActApprove       = "approve_summary"
	ActCirculate     = "circulate_summary"
)

// userID is the staff account of by (0 for the system, as the demo).
func userID(by auth.Actor) uint {
	if by.User == nil {
		return 0
	}
	return by.User.ID
}

// CreateVersion drafts a new version of m's summary from the record.
func (s *Service) CreateVersion(ctx context.Context, m *models.Meeting, by auth.Actor) (*VersionView, error) {
	author := userID(by)
	rec, err := s.Record(ctx, m)
	if err != nil {
		return nil, err
	}
	generated := Draft(rec)
	var v models.SummaryVersion
	err = retryDuplicate(func() error {
		return s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
			var last models.SummaryVersion
			if err := store.LockForUpdate(tx).Where("meeting_id = ?", m.ID).Order("number DESC").Limit(1).Find(&last).Error; err != nil {
				return err
			}
			md, err := carryForward(tx, &last, generated)
			if err != nil {
				return err
			}
			v = models.SummaryVersion{MeetingID: m.ID, Number: last.Number + 1, State: models.SummaryDraft, Markdown: md,
				Generated: generated, AuthorID: author}
			if err := tx.Create(&v).Error; err != nil {
				return err
			}
			if err := tx.Create(&models.SummaryRevision{VersionID: v.ID, Number: 1, Markdown: md, AuthorID: author}).Error; err != nil {
				return err
			}
			return audit.Record(tx, time.Now(), audit.Entry{MeetingID: m.ID, Actor: by, Action: ActCreateVersion,
				Detail: map[string]any{"version": v.Number}})
		})
	})
	if err != nil {
		return nil, err
	}
	return s.Version(ctx, m, v.Number)
}

// carryForward merges the secretariat's edits of the last version into
// the text generated for the next. The base is the text generated for the
// last version; a version built before that was kept (migration 0014)
// started as its generated text, so its first revision is the base.
func carryForward(tx *gorm.DB, last *models.SummaryVersion, generated string) (string, error) {
	if last.ID == 0 {
		return generated, nil
	}
	base := last.Generated
	if base == "" {
		var first models.SummaryRevision
		if err := tx.Where("version_id = ?", last.ID).Order("number").Limit(1).Find(&first).Error; err != nil {
			return "", err
		}
		base = first.Markdown
	}
	return Merge(base, last.Markdown, generated, last.Number+1).Markdown, nil
}

// Versions lists m's summary versions, newest first, without Markdown.
func (s *Service) Versions(ctx context.Context, m *models.Meeting) ([]VersionView, error) {
	var vs []models.SummaryVersion
	if err := s.DB.WithContext(ctx).Preload("Author").Where("meeting_id = ?", m.ID).Order("number DESC").Find(&vs).Error; err != nil {
		return nil, err
	}
	out := make([]VersionView, 0, len(vs))
	for i := range vs {
		v, err := s.view(ctx, &vs[i], false)
		if err != nil {
			return nil, err
		}
		out = append(out, *v)
	}
	return out, nil
}

func (s *Service) version(ctx context.Context, db *gorm.DB, m *models.Meeting, n int) (*models.SummaryVersion, error) {
	var v models.SummaryVersion
	if err := db.Preload("Author").Where("meeting_id = ? AND number = ?", m.ID, n).Limit(1).Find(&v).Error; err != nil {
		return nil, err
	}
	if v.ID == 0 {
		return nil, apperr.Say(apperr.KindNotFound, "err.summary.no_version", "Version", n)
	}
	return &v, nil
}

// Version returns version n of m's summary with its Markdown.
func (s *Service) Version(ctx context.Context, m *models.Meeting, n int) (*VersionView, error) {
	v, err := s.version(ctx, s.DB.WithContext(ctx), m, n)
	if err != nil {
		return nil, err
	}
	return s.view(ctx, v, true)
}

// LatestCirculated returns the newest circulated version of m's summary.
func (s *Service) LatestCirculated(ctx context.Context, m *models.Meeting) (*VersionView, error) {
	var v models.SummaryVersion
	err := s.DB.WithContext(ctx).Preload("Author").Where("meeting_id = ? AND state = ?", m.ID, models.SummaryCirculated).
		Order("number DESC").Limit(1).Find(&v).Error
	if err != nil {
		return nil, err
	}
	if v.ID == 0 {
		return nil, apperr.Say(apperr.KindNotFound, "err.summary.none_circulated")
	}
	return s.view(ctx, &v, true)
}

// SaveMarkdown saves an edit of draft version n, kept as a revision.
func (s *Service) SaveMarkdown(ctx context.Context, m *models.Meeting, n int, md string, by auth.Actor) (*VersionView, error) {
	author := userID(by)
	if !utf8.ValidString(md) {
		return nil, apperr.Say(apperr.KindInvalid, "err.summary.not_valid").WithField("markdown", "err.summary.utf8")
	}
	if len(md) > MaxMarkdown {
		return nil, apperr.Say(apperr.KindInvalid, "err.summary.too_long").WithField("markdown", "err.summary.one_mib")
	}
	err := s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		v, err := s.version(ctx, store.LockForUpdate(tx), m, n)
		if err != nil {
			return err
		}
		if err := StageOf(v).Editable(); err != nil {
			return err
		}
		if v.Markdown == md {
			return nil // nothing changed: no new revision
		}
		var last models.SummaryRevision
		if err := tx.Where("version_id = ?", v.ID).Order("number DESC").Limit(1).Find(&last).Error; err != nil {
			return err
		}
		if err := tx.Create(&models.SummaryRevision{VersionID: v.ID, Number: last.Number + 1, Markdown: md, AuthorID: author}).Error; err != nil {
			return err
		}
		now := time.Now().UTC()
		if err := tx.Model(v).Updates(map[string]any{"markdown": md, "updated_at": now}).Error; err != nil {
			return err
		}
		return audit.Record(tx, now, audit.Entry{MeetingID: m.ID, Actor: by, Action: ActEditSummary,
			Detail: map[string]any{"version": n, "revision": last.Number + 1}})
	})
	if err != nil {
		return nil, err
	}
	return s.Version(ctx, m, n)
}

// Approve freezes draft version n.
func (s *Service) Approve(ctx context.Context, m *models.Meeting, n int, by auth.Actor) (*VersionView, error) {
	err := s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		v, err := s.version(ctx, store.LockForUpdate(tx), m, n)
		if err != nil {
			return err
		}
		next, err := StageOf(v).Next("approve")
		if err != nil {
			return err
		}
		if cs := Conflicts(v.Markdown); len(cs) > 0 {
			return apperr.Say(apperr.KindConflict, "err.summary.unresolved", "Version", n, "Count", len(cs)).
				WithCode("unresolved_conflicts")
		}
		now := time.Now().UTC()
		if err := tx.Model(v).Updates(map[string]any{"state": next, "approved_at": now, "approved_by_id": userID(by)}).Error; err != nil {
			return err
		}
		return audit.Record(tx, now, audit.Entry{MeetingID: m.ID, Actor: by, Action: ActApprove, Detail: map[string]any{"version": n}})
	})
	if err != nil {
		return nil, err
	}
	return s.Version(ctx, m, n)
}

// RevisionView is one save of a version.
type RevisionView struct {
	Revision  int       `json:"revision"`
	Author    string    `json:"author"`
	CreatedAt time.Time `json:"created_at"`
	Length    int       `json:"length"`
}

// Revisions lists the saves of version n, oldest first.
func (s *Service) Revisions(ctx context.Context, m *models.Meeting, n int) ([]RevisionView, error) {
	db := s.DB.WithContext(ctx)
	v, err := s.version(ctx, db, m, n)
	if err != nil {
		return nil, err
	}
	var rs []models.SummaryRevision
	if err := db.Preload("Author").Where("version_id = ?", v.ID).Order("number").Find(&rs).Error; err != nil {
		return nil, err
	}
	out := make([]RevisionView, 0, len(rs))
	for _, r := range rs {
		a := r.Author.Name
		if a == "" {
			a = r.Author.Email
		}
		out = append(out, RevisionView{Revision: r.Number, Author: a, CreatedAt: r.CreatedAt, Length: len(r.Markdown)})
	}
	return out, nil
}

// Diff is a unified diff between two revisions of a version.
func (s *Service) Diff(ctx context.Context, m *models.Meeting, n, from, to int) (string, error) {
	db := s.DB.WithContext(ctx)
	v, err := s.version(ctx, db, m, n)
	if err != nil {
		return "", err
	}
	get := func(k int) (string, error) {
		var r models.SummaryRevision
		if err := db.Where("version_id = ? AND number = ?", v.ID, k).Limit(1).Find(&r).Error; err != nil {
			return "", err
		}
		if r.ID == 0 {
			return "", apperr.Say(apperr.KindNotFound, "err.summary.no_revision", "Revision", k, "Version", n)
		}
		return r.Markdown, nil
	}
	a, err := get(from)
	if err != nil {
		return "", err
	}
	b, err := get(to)
	if err != nil {
		return "", err
	}
	return UnifiedDiff(a, b, "revision "+itoa(from), "revision "+itoa(to))
}

// UnifiedDiff is the line diff of a and b with three lines of context.
func UnifiedDiff(a, b, nameA, nameB string) (string, error) {
	return difflib.GetUnifiedDiffString(difflib.UnifiedDiff{
		A: difflib.SplitLines(a), B: difflib.SplitLines(b), FromFile: nameA, ToFile: nameB, Context: 3,
	})
}

func itoa(n int) string { return strconv.Itoa(n) }

// retryDuplicate runs fn again (up to seven times) when it lost a race for a
// unique number or row: on PostgreSQL two transactions can both find no
// row to lock and insert the same key; the loser retries and sees the
// winner's row.
func retryDuplicate(fn func() error) error {
	var err error
	for i := 0; i < 8; i++ {
		if err = fn(); !errors.Is(err, gorm.ErrDuplicatedKey) {
			return err
		}
	}
	return err
}
