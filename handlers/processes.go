package handlers

import (
	"net/url"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"rostrum/apperr"
	"rostrum/meetings"
	"rostrum/models"
)

// createProcess: POST /api/processes {"slug","title","acronym"} (admin)
// → 201 with the process.
func (h *Handler) createProcess(c *fiber.Ctx) error {
	var in meetings.ProcessInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	p, err := h.Meetings.CreateProcess(c.UserContext(), in)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(p)
}

// listProcesses: GET /api/processes (public).
func (h *Handler) listProcesses(c *fiber.Ctx) error {
	ps, err := h.Meetings.Processes(c.UserContext())
	if err != nil {
		return err
	}
	if ps == nil {
		ps = []models.Process{}
	}
	return c.JSON(fiber.Map{"processes": ps})
}

// processMeeting is one meeting of a process as its page lists it: what
// anyone may read of the meeting, its published documents and its latest
// circulated summary.
type processMeeting struct {
	zonedMeeting
	Documents []processDocument  `json:"documents"`
	Summary   *circulatedSummary `json:"summary"`
}

// processDocument is a published document of a meeting, linked to its
// public file.
type processDocument struct {
	ID       uint   `json:"id"`
	Title    string `json:"title"`
	Symbol   string `json:"symbol"`
	Language string `json:"language"`
	URL      string `json:"url"` // GET /api/meetings/{slug}/documents/{id}/file
}

// circulatedSummary points to a meeting's latest circulated summary.
type circulatedSummary struct {
	Version      int        `json:"version"`
	CirculatedAt *time.Time `json:"circulated_at"`
	URL          string     `json:"url"` // the public page
	PDF          string     `json:"pdf"`
}

type processView struct {
	models.Process
	Meetings []processMeeting `json:"meetings"`
}

// getProcess: GET /api/processes/:slug (public) → the process with its
// meetings, earliest first, each with its published documents in the
// order uploaded (never the unpublished ones, whoever asks: the page is
// the public's) and its latest circulated summary (or null).
func (h *Handler) getProcess(c *fiber.Ctx) error {
	ctx := c.UserContext()
	p, err := h.Meetings.ProcessBySlug(ctx, c.Params("slug"))
	if err != nil {
		return err
	}
	ms, err := h.Meetings.MeetingsOf(ctx, p)
	if err != nil {
		return err
	}
	ids := make([]uint, len(ms))
	for i := range ms {
		ids[i] = ms[i].ID
	}
	docs, err := h.Documents.PublishedOf(ctx, ids)
	if err != nil {
		return err
	}
	out := processView{Process: *p, Meetings: make([]processMeeting, 0, len(ms))}
	slugs := map[uint]string{p.ID: p.Slug}
	for i := range ms {
		m := &ms[i]
		pm := processMeeting{zonedMeeting: zoned(m, slugs), Documents: make([]processDocument, 0, len(docs[m.ID]))}
		for _, d := range docs[m.ID] {
			pm.Documents = append(pm.Documents, processDocument{ID: d.ID, Title: d.Title, Symbol: d.Symbol, Language: d.Language,
				URL: "/api/meetings/" + url.PathEscape(m.Slug) + "/documents/" + strconv.FormatUint(uint64(d.ID), 10) + "/file"})
		}
		v, err := h.Summary.LatestCirculated(ctx, m)
		switch {
		case apperr.Is(err, apperr.KindNotFound):
		case err != nil:
			return err
		default:
			pm.Summary = &circulatedSummary{Version: v.Version, CirculatedAt: v.CirculatedAt,
				URL: "/m/" + m.Slug + "/summary", PDF: "/api/meetings/" + m.Slug + "/summary/" + strconv.Itoa(v.Version) + ".pdf"}
		}
		out.Meetings = append(out.Meetings, pm)
	}
	return c.JSON(out)
}
