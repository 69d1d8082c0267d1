package summary

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"strconv"
	"sync"

	"rostrum/apperr"
	"rostrum/models"
)

// Document formats and their content types.
var Formats = map[string]string{
	"md":   "text/markdown; charset=utf-8",
	"html": "text/html; charset=utf-8",
	"pdf":  "application/pdf",
	"docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}

// Document is a rendered summary.
type Document struct {
	Data        []byte
	ContentType string
	Filename    string
	Stage       Stage // what the version allows: public once circulated
	// frozen versions, whose documents never change.
	ETag string
}

// Render renders markdown in format (md, html, pdf or docx).
func Render(markdown, format string, fonts *Fonts, title string) ([]byte, error) {
	switch format {
	case "md":
		return []byte(markdown), nil
	case "html":
		return []byte(HTMLDocument(Parse(markdown), title)), nil
	case "pdf":
		if fonts == nil {
			return nil, fmt.Errorf("summary: PDF fonts are not loaded")
		}
		return PDF(Parse(markdown), fonts, title)
	case "docx":
		return DOCX(Parse(markdown), fonts, title)
	}
	return nil, apperr.Say(apperr.KindNotFound, "err.summary.no_format", "Format", strconv.Quote(format))
}

// Document renders version n of m's summary. Frozen (approved or
// circulated) versions never change, so their documents are rendered
// once and cached (a PDF takes a tenth of a second and megabytes).
func (s *Service) Document(ctx context.Context, m *models.Meeting, n int, format string) (*Document, error) {
	ct, ok := Formats[format]
	if !ok {
		return nil, apperr.Say(apperr.KindNotFound, "err.summary.no_format", "Format", strconv.Quote(format))
	}
	v, err := s.version(ctx, s.DB.WithContext(ctx), m, n)
	if err != nil {
		return nil, err
	}
	doc := &Document{ContentType: ct, Stage: StageOf(v),
		Filename: fmt.Sprintf("%s-chairs-summary-v%d.%s", m.Slug, v.Number, format)}
	title := "Chair's Summary: " + m.Title
	render := func() ([]byte, error) {
		s.rendered(m, v.Number, format)
		return Render(v.Markdown, format, s.Fonts, title)
	}
	if !doc.Stage.Frozen() { // a draft changes: render it every time
		b, err := render()
		doc.Data = b
		return doc, err
	}
	e, err := s.cache.getOrPut(cacheKey(m, v.Number, format), render)
	if err != nil {
		return nil, err
	}
	doc.Data, doc.ETag = e.data, e.etag
	return doc, nil
}

// Published is the latest circulated version of a summary as its public
// page shows it.
type Published struct {
	*VersionView
	Title string `json:"title"`
	HTML  string `json:"html"`
	// ETag changes with the version (and the meeting's title).
	ETag string `json:"-"`
}

// LatestPublished returns the latest circulated version of m's summary
// with its HTML, rendered once per version.
func (s *Service) LatestPublished(ctx context.Context, m *models.Meeting) (*Published, error) {
	v, err := s.LatestCirculated(ctx, m)
	if err != nil {
		return nil, err
	}
	e, err := s.cache.getOrPut(cacheKey(m, v.Version, "fragment"), func() ([]byte, error) {
		s.rendered(m, v.Version, "fragment")
		return []byte(HTML(Parse(v.Markdown))), nil
	})
	if err != nil {
		return nil, err
	}
	// The answer carries the version's number and dates besides its HTML
	// (a new version of the same text is a new answer).
	tag := etag(fmt.Appendf(nil, "%s|%d|%s|%v", e.etag, v.Version, m.Title, v.CirculatedAt))
	return &Published{VersionView: v, Title: m.Title, HTML: string(e.data), ETag: tag}, nil
}

// cacheKey names a frozen version's rendering: the meeting, the version,
// the format and the title printed on it.
func cacheKey(m *models.Meeting, version int, format string) string {
	return fmt.Sprintf("%d/%d/%s/%s", m.ID, version, format, m.Title)
}

// rendered tells OnRender, if set, that a document is being rendered.
func (s *Service) rendered(m *models.Meeting, version int, format string) {
	if s.OnRender != nil {
		s.OnRender(m.ID, version, format)
	}
}

// etag is a strong validator of b: a hash, so that it is the same on
// every instance that renders the same bytes.
func etag(b []byte) string {
	sum := sha256.Sum256(b)
	return `"` + base64.RawURLEncoding.EncodeToString(sum[:18]) + `"`
}

// docCache keeps the documents of frozen versions (a bounded number,
// oldest out first). A version circulated later has keys of its own, so
// the older ones simply age out.
type docCache struct {
	mu      sync.Mutex
	m       map[string]*cacheEntry
	order   []string
	pending map[string]*sync.WaitGroup // renderings under way
}

type cacheEntry struct {
	data []byte
	etag string
}

const docCacheSize = 32

// getOrPut returns the entry of k, rendering it with render if absent.
// Concurrent requests for the same absent k wait for one rendering.
func (c *docCache) getOrPut(k string, render func() ([]byte, error)) (*cacheEntry, error) {
	for {
		c.mu.Lock()
		if e, ok := c.m[k]; ok {
			c.mu.Unlock()
			return e, nil
		}
		wg, busy := c.pending[k]
		if !busy {
			break // still locked
		}
		c.mu.Unlock()
		wg.Wait()
	}
	if c.m == nil {
		c.m, c.pending = map[string]*cacheEntry{}, map[string]*sync.WaitGroup{}
	}
	wg := &sync.WaitGroup{}
	wg.Add(1)
	c.pending[k] = wg
	c.mu.Unlock()

	b, err := render()

	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.pending, k)
	wg.Done()
	if err != nil {
		return nil, err
	}
	e := &cacheEntry{data: b, etag: etag(b)}
	if len(c.order) >= docCacheSize {
		delete(c.m, c.order[0])
		c.order = c.order[1:]
	}
	c.m[k] = e
	c.order = append(c.order, k)
	return e, nil
}
