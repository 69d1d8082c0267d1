// Package documents is a meeting's document library: the papers the
// secretariat issues (a programme of work, a working paper, background
// papers), uploaded as PDF or Word files, published when ready, and
// enclosed with the chair's letters and circulations.
//
// It owns the documents table. A file's bytes are kept in its row, not
// in a directory: two instances on one PostgreSQL database both serve
// every file, a database backup (or copy-db) holds the library whole, and
// there is no second store to keep in step with the first. Lists select
// every column but the bytes.
package documents

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"

	"rostrum/apperr"
	"rostrum/audit"
	"rostrum/auth"
	"rostrum/models"
	"rostrum/textcheck"
)

// MaxSize is the largest file the library takes.
const MaxSize = 20 << 20

// Kinds of file the library takes, by what their content is.
const (
	PDF  = "application/pdf"
	DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
)

// Languages are the UN's official languages, by their ISO 639-1 codes.
var Languages = map[string]string{"ar": "Arabic", "zh": "Chinese", "en": "English", "fr": "French", "ru": "Russian", "es": "Spanish"}

// Audited actions.
const (
	ActUpload  = "document_upload"
	ActPublish = "document_publish"
)

// Service stores a meeting's documents.
type Service struct{ DB *gorm.DB }

// Upload is a file as the secretariat sends it.
type Upload struct {
	Title, Symbol, Language string
	Filename                string // the sender's name for it: only its stem is kept
	Data                    []byte
}

// View is a document without its bytes.
type View struct {
	ID          uint       `json:"id"`
	Title       string     `json:"title"`
	Symbol      string     `json:"symbol"`
	Language    string     `json:"language"`
	Filename    string     `json:"filename"`
	ContentType string     `json:"content_type"`
	Size        int64      `json:"size"`
	SHA256      string     `json:"sha256"`
	Published   bool       `json:"published"`
	PublishedAt *time.Time `json:"published_at"`
	CreatedAt   time.Time  `json:"created_at"`
}

func view(d *models.Document) View {
	return View{ID: d.ID, Title: d.Title, Symbol: d.Symbol, Language: d.Language, Filename: d.Filename,
		ContentType: d.ContentType, Size: d.Size, SHA256: d.SHA256, Published: d.PublishedAt != nil,
		PublishedAt: d.PublishedAt, CreatedAt: d.CreatedAt}
}

// File is a document with its bytes.
type File struct {
	View
	Data []byte
}

// Sniff says what data is by its content: a PDF (it starts with %PDF-)
// or a Word document (a zip archive holding word/document.xml), or ""
// for anything else, whatever it is called.
func Sniff(data []byte) string {
	if bytes.HasPrefix(data, []byte("%PDF-")) {
		return PDF
	}
	if !bytes.HasPrefix(data, []byte("PK\x03\x04")) {
		return ""
	}
	z, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return ""
	}
	var doc, types bool
	for _, f := range z.File {
		switch f.Name {
		case "word/document.xml":
			doc = true
		case "[Content_Types].xml":
			types = true
		}
	}
	if doc && types {
		return DOCX
	}
	return ""
}

// extension is the file name extension of a content type.
func extension(ct string) string {
	if ct == PDF {
		return ".pdf"
	}
	return ".docx"
}

// SafeFilename is a name for a file of content type ct that any browser
// and mail client takes as it is: the stem of name (or of fallback when
// name has none) in ASCII letters, digits, dots, hyphens and underscores,
// at most 80 of them, and the extension of what the file is.
func SafeFilename(name, fallback, ct string) string {
	stem := func(s string) string {
		if i := strings.LastIndexAny(s, `/\`); i >= 0 {
			s = s[i+1:]
		}
		if i := strings.LastIndexByte(s, '.'); i > 0 {
			s = s[:i]
		}
		var b strings.Builder
		dash := false
		for _, r := range s {
			ok := r < utf8.RuneSelf && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '.')
			if ok {
				b.WriteRune(r)
				dash = false
			} else if !dash && b.Len() > 0 {
				b.WriteByte('-')
				dash = true
			}
			if b.Len() >= 80 {
				break
			}
		}
		return strings.Trim(b.String(), "-.")
	}
	s := stem(name)
	if s == "" {
		s = stem(fallback)
	}
	if s == "" {
		s = "document"
	}
	return s + extension(ct)
}

// Check validates an upload and returns its content type.
func Check(in Upload) (string, error) {
	f := apperr.Fields{}
	line := func(field, v string, max int, required bool) {
		switch {
		case required && strings.TrimSpace(v) == "":
			f.Say(field, "err.field.required")
		case !utf8.ValidString(v):
			f.Say(field, "err.summary.utf8")
		case utf8.RuneCountInString(v) > max:
			f.Say(field, "err.summary.at_most_chars", "Max", max)
		default:
			if id, r := textcheck.Fault(v, false); id != "" {
				f.Say(field, id, "Char", fmt.Sprintf("U+%04X", r))
			}
		}
	}
	line("title", in.Title, 300, true)
	line("symbol", in.Symbol, 60, false)
	if _, ok := Languages[in.Language]; !ok {
		f.Say("language", "err.documents.language")
	}
	ct := ""
	switch {
	case len(in.Data) == 0:
		f.Say("file", "err.documents.file")
	case len(in.Data) > MaxSize:
		f.Say("file", "err.documents.file_size")
	default:
		if ct = Sniff(in.Data); ct == "" {
			f.Say("file", "err.documents.file_type")
		}
	}
	return ct, f.Err()
}

// Upload stores a new, unpublished document of meeting m.
func (s *Service) Upload(ctx context.Context, m *models.Meeting, in Upload, by auth.Actor) (*View, error) {
	in.Title, in.Symbol, in.Language = strings.TrimSpace(in.Title), strings.TrimSpace(in.Symbol), strings.TrimSpace(in.Language)
	if in.Language == "" {
		in.Language = "en"
	}
	ct, err := Check(in)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(in.Data)
	d := &models.Document{MeetingID: m.ID, Title: in.Title, Symbol: in.Symbol, Language: in.Language,
		Filename: SafeFilename(in.Filename, in.Title, ct), ContentType: ct, Size: int64(len(in.Data)),
		SHA256: hex.EncodeToString(sum[:]), Data: in.Data}
	if by.User != nil {
		d.UploaderID = by.User.ID
	}
	err = s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Omit("Meeting").Create(d).Error; err != nil {
			return err
		}
		return audit.Record(tx, time.Now().UTC(), audit.Entry{MeetingID: m.ID, Actor: by, Action: ActUpload,
			Detail: map[string]any{"document_id": d.ID, "title": d.Title, "size": d.Size}})
	})
	if err != nil {
		return nil, err
	}
	v := view(d)
	return &v, nil
}

// Publish makes document id of m public. Publishing twice changes nothing.
func (s *Service) Publish(ctx context.Context, m *models.Meeting, id uint, by auth.Actor) (*View, error) {
	var out View
	err := s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		d, err := s.meta(tx, m.ID, id)
		if err != nil {
			return err
		}
		if d.PublishedAt == nil {
			now := time.Now().UTC()
			if err := tx.Model(&models.Document{}).Where("id = ? AND published_at IS NULL", d.ID).Update("published_at", now).Error; err != nil {
				return err
			}
			d.PublishedAt = &now
			if err := audit.Record(tx, now, audit.Entry{MeetingID: m.ID, Actor: by, Action: ActPublish,
				Detail: map[string]any{"document_id": d.ID, "title": d.Title}}); err != nil {
				return err
			}
		}
		out = view(d)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// metaColumns are every column but the bytes.
var metaColumns = []string{"id", "meeting_id", "title", "symbol", "language", "filename", "content_type", "size", "sha256", "uploader_id", "published_at", "created_at"}

func (s *Service) meta(db *gorm.DB, meetingID, id uint) (*models.Document, error) {
	var d models.Document
	if err := db.Select(metaColumns).Where("id = ? AND meeting_id = ?", id, meetingID).Limit(1).Find(&d).Error; err != nil {
		return nil, err
	}
	if d.ID == 0 {
		return nil, apperr.Say(apperr.KindNotFound, "err.documents.no_document", "ID", id)
	}
	return &d, nil
}

// List is m's documents in the order they were uploaded: the published
// ones, or all of them for staff.
func (s *Service) List(ctx context.Context, m *models.Meeting, staff bool) ([]View, error) {
	q := s.DB.WithContext(ctx).Select(metaColumns).Where("meeting_id = ?", m.ID)
	if !staff {
		q = q.Where("published_at IS NOT NULL")
	}
	var ds []models.Document
	if err := q.Order("id").Find(&ds).Error; err != nil {
		return nil, err
	}
	out := make([]View, len(ds))
	for i := range ds {
		out[i] = view(&ds[i])
	}
	return out, nil
}

// PublishedOf returns the published documents of each of the meetings
// meetingIDs, in the order they were uploaded, by meeting id: a
// process's page lists every meeting's with one query. A meeting with
// none has no entry.
func (s *Service) PublishedOf(ctx context.Context, meetingIDs []uint) (map[uint][]View, error) {
	out := map[uint][]View{}
	if len(meetingIDs) == 0 {
		return out, nil
	}
	var ds []models.Document
	err := s.DB.WithContext(ctx).Select(metaColumns).
		Where("meeting_id IN ? AND published_at IS NOT NULL", meetingIDs).Order("id").Find(&ds).Error
	if err != nil {
		return nil, err
	}
	for i := range ds {
		out[ds[i].MeetingID] = append(out[ds[i].MeetingID], view(&ds[i]))
	}
	return out, nil
}

// Meta returns the documents ids of meeting meetingID without their
// bytes, in the order asked, or a NotFound naming the first missing one.
func (s *Service) Meta(ctx context.Context, meetingID uint, ids ...uint) ([]View, error) {
	out := make([]View, 0, len(ids))
	for _, id := range ids {
		d, err := s.meta(s.DB.WithContext(ctx), meetingID, id)
		if err != nil {
			return nil, err
		}
		out = append(out, view(d))
	}
	return out, nil
}

// File returns document id of m with its bytes. Unpublished documents
// are staff's: to anyone else they do not exist.
func (s *Service) File(ctx context.Context, meetingID, id uint, staff bool) (*File, error) {
	var d models.Document
	q := s.DB.WithContext(ctx).Where("id = ? AND meeting_id = ?", id, meetingID)
	if !staff {
		q = q.Where("published_at IS NOT NULL")
	}
	if err := q.Limit(1).Find(&d).Error; err != nil {
		return nil, err
	}
	if d.ID == 0 {
		return nil, apperr.Say(apperr.KindNotFound, "err.documents.no_document", "ID", id)
	}
	return &File{View: view(&d), Data: d.Data}, nil
}
