package summary

import (
	"context"
	"fmt"
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
	State       string
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
	return nil, apperr.NotFound("no document format %q: use md, html, pdf or docx", format)
}

// Document renders version n of m's summary. Frozen (approved or
// circulated) versions never change, so their documents are cached.
func (s *Service) Document(ctx context.Context, m *models.Meeting, n int, format string) (*Document, error) {
	ct, ok := Formats[format]
	if !ok {
		return nil, apperr.NotFound("no document format %q: use md, html, pdf or docx", format)
	}
	v, err := s.version(ctx, s.DB.WithContext(ctx), m, n)
	if err != nil {
		return nil, err
	}
	doc := &Document{ContentType: ct, State: v.State,
		Filename: fmt.Sprintf("%s-chairs-summary-v%d.%s", m.Slug, v.Number, format)}
	frozenVersion := v.State != models.SummaryDraft
	key := fmt.Sprintf("%d/%s", v.ID, format)
	if frozenVersion {
		if b, ok := s.cache.get(key); ok {
			doc.Data = b
			return doc, nil
		}
	}
	title := "Chair's Summary: " + m.Title
	b, err := Render(v.Markdown, format, s.Fonts, title)
	if err != nil {
		return nil, err
	}
	if frozenVersion {
		s.cache.put(key, b)
	}
	doc.Data = b
	return doc, nil
}

// docCache keeps the documents of frozen versions (a bounded number).
type docCache struct {
	mu    sync.Mutex
	m     map[string][]byte
	order []string
}

const docCacheSize = 32

func (c *docCache) get(k string) ([]byte, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	b, ok := c.m[k]
	return b, ok
}

func (c *docCache) put(k string, b []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = map[string][]byte{}
	}
	if _, ok := c.m[k]; ok {
		return
	}
	if len(c.order) >= docCacheSize {
		delete(c.m, c.order[0])
		c.order = c.order[1:]
	}
	c.m[k] = b
	c.order = append(c.order, k)
}
