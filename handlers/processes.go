package handlers

import (
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
// anyone may read of the meeting, and its latest circulated summary.
type processMeeting struct {
	zonedMeeting
	Summary *circulatedSummary `json:"summary"`
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
// meetings, earliest first, each with its latest circulated summary (or
// null). The meetings' published documents join each meeting here when
// the document library (issue 16, section 2) exists.
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
	out := processView{Process: *p, Meetings: make([]processMeeting, 0, len(ms))}
	slugs := map[uint]string{p.ID: p.Slug}
	for i := range ms {
		m := &ms[i]
		pm := processMeeting{zonedMeeting: zoned(m, slugs)}
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
