package summary

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"

	"rostrum/apperr"
	"rostrum/audit"
	"rostrum/auth"
	"rostrum/documents"
	"rostrum/models"
	"rostrum/textcheck"
)

// Library is what letters and circulations ask of the meeting's
// document library (package documents).
type Library interface {
	Meta(ctx context.Context, meetingID uint, ids ...uint) ([]documents.View, error)
	File(ctx context.Context, meetingID, id uint, staff bool) (*documents.File, error)
}

// ActLetter is the audited action of writing a letter.
const ActLetter = "letter_create"

// Limits of a letter.
const (
	MaxEnclosures   = 50
	MaxTitles       = 6
	MaxLetterBody   = 100000
	letterDateInput = "2006-01-02"
)

// Signature is a letter's signature block: the name, then a line per title.
type Signature struct {
	Name   string   `json:"name"`
	Titles []string `json:"titles"`
}

// Enclosure is one enclosed thing: a document of the library or a
// version of the Chair's summary. As sent, it is a document's id (a
// number) or "summary:N".
type Enclosure struct {
	Document uint `json:"document,omitempty"`
	Summary  int  `json:"summary,omitempty"`
}

// UnmarshalJSON reads 12 or "summary:3" (or "document:12").
func (e *Enclosure) UnmarshalJSON(b []byte) error {
	var n uint
	if err := json.Unmarshal(b, &n); err == nil {
		*e = Enclosure{Document: n}
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("an enclosure is a document id or \"summary:N\"")
	}
	p, _ := parseEnclosure(s)
	*e = p
	return nil
}

// String is the enclosure as stored: "document:12" or "summary:3".
func (e Enclosure) String() string {
	if e.Summary > 0 {
		return fmt.Sprintf("summary:%d", e.Summary)
	}
	return fmt.Sprintf("document:%d", e.Document)
}

func parseEnclosure(s string) (Enclosure, bool) {
	kind, num, _ := strings.Cut(s, ":")
	n, err := strconv.ParseUint(num, 10, 31)
	if err != nil || n == 0 {
		return Enclosure{}, false
	}
	switch kind {
	case "summary":
		return Enclosure{Summary: int(n)}, true
	case "document":
		return Enclosure{Document: uint(n)}, true
	}
	return Enclosure{}, false
}

// LetterInput is a letter as the secretariat writes it. Date is a day
// (YYYY-MM-DD).
type LetterInput struct {
	Addressee    string      `json:"addressee"`
	Place        string      `json:"place"`
	Date         string      `json:"date"`
	Salutation   string      `json:"salutation"`
	BodyMarkdown string      `json:"body_markdown"`
	Closing      string      `json:"closing"`
	Signature    Signature   `json:"signature"`
	Enclosures   []Enclosure `json:"enclosures"`
}

// EnclosureView is an enclosure with what the letter lists it as.
type EnclosureView struct {
	Enclosure
	Title string `json:"title"`
}

// LetterView is a stored letter.
type LetterView struct {
	ID           uint            `json:"id"`
	Addressee    string          `json:"addressee"`
	Place        string          `json:"place"`
	Date         string          `json:"date"`
	Salutation   string          `json:"salutation"`
	BodyMarkdown string          `json:"body_markdown"`
	Closing      string          `json:"closing"`
	Signature    Signature       `json:"signature"`
	Enclosures   []EnclosureView `json:"enclosures"`
	CreatedAt    time.Time       `json:"created_at"`
}

// validate checks a letter's parts, one message per bad field.
func (in *LetterInput) validate() error {
	f := apperr.Fields{}
	text := func(field string, v *string, max int, multiline bool) {
		*v = strings.TrimSpace(*v)
		switch {
		case *v == "":
			f.Say(field, "err.field.required")
		case !utf8.ValidString(*v):
			f.Say(field, "err.summary.utf8")
		case utf8.RuneCountInString(*v) > max:
			f.Say(field, "err.summary.at_most_chars", "Max", max)
		default:
			if id, r := textcheck.Fault(*v, multiline); id != "" {
				f.Say(field, id, "Char", fmt.Sprintf("U+%04X", r))
			}
		}
	}
	text("addressee", &in.Addressee, 1000, true)
	text("place", &in.Place, 100, false)
	text("salutation", &in.Salutation, 200, false)
	text("body_markdown", &in.BodyMarkdown, MaxLetterBody, true)
	text("closing", &in.Closing, 500, false)
	text("signature.name", &in.Signature.Name, 200, false)
	if _, err := time.Parse(letterDateInput, in.Date); err != nil {
		f.Say("date", "err.summary.day")
	}
	if len(in.Signature.Titles) > MaxTitles {
		f.Say("signature.titles", "err.summary.at_most_lines", "Max", MaxTitles)
	} else {
		for i := range in.Signature.Titles {
			text(fmt.Sprintf("signature.titles[%d]", i), &in.Signature.Titles[i], 200, false)
		}
	}
	if len(in.Enclosures) > MaxEnclosures {
		f.Say("enclosures", "err.summary.at_most", "Max", MaxEnclosures)
	}
	seen := map[Enclosure]bool{}
	for i, e := range in.Enclosures {
		switch {
		case e.Document == 0 && e.Summary == 0:
			f.Say(fmt.Sprintf("enclosures[%d]", i), "err.summary.enclosure_what")
		case seen[e]:
			f.Say(fmt.Sprintf("enclosures[%d]", i), "err.summary.enclosed_twice")
		}
		seen[e] = true
	}
	return f.Err()
}

// enclosures checks that each enclosure is m's and names it.
func (s *Service) enclosures(ctx context.Context, m *models.Meeting, es []Enclosure) ([]EnclosureView, error) {
	out := make([]EnclosureView, 0, len(es))
	for i, e := range es {
		field := fmt.Sprintf("enclosures[%d]", i)
		if e.Summary > 0 {
			if _, err := s.version(ctx, s.DB.WithContext(ctx), m, e.Summary); err != nil {
				if apperr.Is(err, apperr.KindNotFound) {
					return nil, apperr.Say(apperr.KindInvalid, "err.summary.no_enclosure").WithField(field, "err.summary.summary_has_no_version", "Version", e.Summary)
				}
				return nil, err
			}
			out = append(out, EnclosureView{Enclosure: e, Title: fmt.Sprintf("Chair's summary of the %s (version %d)", cleanText(m.Title), e.Summary)})
			continue
		}
		if s.Library == nil {
			return nil, fmt.Errorf("summary: no document library")
		}
		ds, err := s.Library.Meta(ctx, m.ID, e.Document)
		if err != nil {
			if apperr.Is(err, apperr.KindNotFound) {
				return nil, apperr.Say(apperr.KindInvalid, "err.summary.no_enclosure").WithField(field, "err.summary.meeting_has_no_document", "ID", e.Document)
			}
			return nil, err
		}
		title := ds[0].Title
		if ds[0].Symbol != "" {
			title += " (" + ds[0].Symbol + ")"
		}
		out = append(out, EnclosureView{Enclosure: e, Title: title})
	}
	return out, nil
}

// CreateLetter stores a letter of m's chair.
func (s *Service) CreateLetter(ctx context.Context, m *models.Meeting, in LetterInput, by auth.Actor) (*LetterView, error) {
	if err := in.validate(); err != nil {
		return nil, err
	}
	if _, err := s.enclosures(ctx, m, in.Enclosures); err != nil {
		return nil, err
	}
	titles, _ := json.Marshal(nonNil(in.Signature.Titles))
	encl := make([]string, len(in.Enclosures))
	for i, e := range in.Enclosures {
		encl[i] = e.String()
	}
	encs, _ := json.Marshal(encl)
	l := &models.Letter{MeetingID: m.ID, Addressee: in.Addressee, Place: in.Place, Date: in.Date,
		Salutation: in.Salutation, BodyMarkdown: in.BodyMarkdown, Closing: in.Closing,
		SignedBy: in.Signature.Name, Titles: string(titles), Enclosures: string(encs), AuthorID: userID(by)}
	err := s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Omit("Meeting").Create(l).Error; err != nil {
			return err
		}
		return audit.Record(tx, time.Now().UTC(), audit.Entry{MeetingID: m.ID, Actor: by, Action: ActLetter,
			Detail: map[string]any{"letter_id": l.ID, "enclosures": encl}})
	})
	if err != nil {
		return nil, err
	}
	return s.Letter(ctx, m, l.ID)
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// Letters lists m's letters, newest first.
func (s *Service) Letters(ctx context.Context, m *models.Meeting) ([]LetterView, error) {
	var ls []models.Letter
	if err := s.DB.WithContext(ctx).Where("meeting_id = ?", m.ID).Order("id DESC").Find(&ls).Error; err != nil {
		return nil, err
	}
	out := make([]LetterView, 0, len(ls))
	for i := range ls {
		v, err := s.letterView(ctx, m, &ls[i])
		if err != nil {
			return nil, err
		}
		out = append(out, *v)
	}
	return out, nil
}

// Letter returns letter id of m.
func (s *Service) Letter(ctx context.Context, m *models.Meeting, id uint) (*LetterView, error) {
	var l models.Letter
	if err := s.DB.WithContext(ctx).Where("id = ? AND meeting_id = ?", id, m.ID).Limit(1).Find(&l).Error; err != nil {
		return nil, err
	}
	if l.ID == 0 {
		return nil, apperr.Say(apperr.KindNotFound, "err.summary.no_letter", "ID", id)
	}
	return s.letterView(ctx, m, &l)
}

func (s *Service) letterView(ctx context.Context, m *models.Meeting, l *models.Letter) (*LetterView, error) {
	v := &LetterView{ID: l.ID, Addressee: l.Addressee, Place: l.Place, Date: l.Date, Salutation: l.Salutation,
		BodyMarkdown: l.BodyMarkdown, Closing: l.Closing, Signature: Signature{Name: l.SignedBy}, CreatedAt: l.CreatedAt}
	_ = json.Unmarshal([]byte(l.Titles), &v.Signature.Titles)
	v.Signature.Titles = nonNil(v.Signature.Titles)
	var encl []string
	_ = json.Unmarshal([]byte(l.Enclosures), &encl)
	es := make([]Enclosure, 0, len(encl))
	for _, e := range encl {
		if p, ok := parseEnclosure(e); ok {
			es = append(es, p)
		}
	}
	views, err := s.enclosures(ctx, m, es)
	if err != nil {
		return nil, err
	}
	v.Enclosures = views
	return v, nil
}

// LetterDate is a letter's date as it is printed: "31 December 2019".
func LetterDate(day string) string {
	t, err := time.Parse(letterDateInput, day)
	if err != nil {
		return day
	}
	return t.Format("2 January 2006")
}

// LetterDoc lays a letter out as a Doc, in the order of a chair's
// letter: the addressee block, place and date (to the right), the
// salutation, the body, the complimentary close, the signature block
// and the list of enclosures. Every renderer of the summary draws it.
func LetterDoc(l *LetterView) *Doc {
	lines := func(first string, rest []string, bold bool) []Span {
		var out []Span
		for i, t := range append([]string{first}, rest...) {
			out = append(out, Span{Text: t, Break: i > 0, Bold: bold && i == 0})
		}
		return out
	}
	addr := strings.Split(strings.ReplaceAll(l.Addressee, "\r\n", "\n"), "\n")
	d := &Doc{}
	d.Blocks = append(d.Blocks,
		Block{Kind: BlockPara, Spans: lines(addr[0], addr[1:], false)},
		Block{Kind: BlockPara, Align: AlignRight, Spans: []Span{{Text: l.Place + ", " + LetterDate(l.Date)}}},
		Block{Kind: BlockPara, Spans: []Span{{Text: l.Salutation}}})
	d.Blocks = append(d.Blocks, Parse(l.BodyMarkdown).Blocks...)
	d.Blocks = append(d.Blocks,
		Block{Kind: BlockPara, Spans: []Span{{Text: l.Closing}}},
		Block{Kind: BlockPara, Spans: lines(l.Signature.Name, l.Signature.Titles, true)})
	if len(l.Enclosures) > 0 {
		d.Blocks = append(d.Blocks, Block{Kind: BlockPara, Spans: []Span{{Text: "Enclosures:", Bold: true}}})
		for _, e := range l.Enclosures {
			d.Blocks = append(d.Blocks, Block{Kind: BlockBullet, Spans: []Span{{Text: e.Title}}})
		}
	}
	return d
}

// LetterFormats are the formats a letter renders in.
var LetterFormats = map[string]string{"pdf": Formats["pdf"], "docx": Formats["docx"]}

// LetterDocument renders letter id of m as a PDF or a Word document.
func (s *Service) LetterDocument(ctx context.Context, m *models.Meeting, id uint, format string) (*Document, error) {
	ct, ok := LetterFormats[format]
	if !ok {
		return nil, apperr.Say(apperr.KindNotFound, "err.summary.no_letter_format", "Format", strconv.Quote(format))
	}
	l, err := s.Letter(ctx, m, id)
	if err != nil {
		return nil, err
	}
	doc := LetterDoc(l)
	title := "Letter of the Chair: " + m.Title
	var b []byte
	switch format {
	case "pdf":
		if s.Fonts == nil {
			return nil, fmt.Errorf("summary: PDF fonts are not loaded")
		}
		b, err = PDF(doc, s.Fonts, title)
	default:
		b, err = DOCX(doc, s.Fonts, title)
	}
	if err != nil {
		return nil, err
	}
	return &Document{Data: b, ContentType: ct, Filename: fmt.Sprintf("%s-letter-%d.%s", m.Slug, l.ID, format)}, nil
}
