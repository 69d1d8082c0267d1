package handlers

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"rostrum/apperr"
	"rostrum/meetings"
	"rostrum/models"
)

type meetingView struct {
	models.Meeting
	Counts map[string]int64 `json:"counts"`
}

// createMeeting: POST /api/meetings (admin).
func (h *Handler) createMeeting(c *fiber.Ctx) error {
	var in meetings.Input
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	m, err := h.Meetings.Create(c.UserContext(), in)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(meetingView{Meeting: *m, Counts: map[string]int64{}})
}

// editMeeting: PATCH /api/meetings/:slug (admin). The body names the
// fields that change; the rest keep their values.
func (h *Handler) editMeeting(c *fiber.Ctx) error {
	if !strings.HasPrefix(strings.ToLower(c.Get(fiber.HeaderContentType)), fiber.MIMEApplicationJSON) {
		return apperr.BadRequest("send the body as JSON with Content-Type: application/json")
	}
	body := c.Body()
	m, err := h.Meetings.Edit(c.UserContext(), actor(c), c.Params("slug"), func(in *meetings.Input) error {
		return decodeBody(body, in)
	})
	if err != nil {
		return err
	}
	counts, err := h.Registrations.Count(c.UserContext(), m.ID)
	if err != nil {
		return err
	}
	return c.JSON(meetingView{Meeting: *m, Counts: counts.ByStatus})
}

// listMeetings: GET /api/meetings (public; ?all=1 includes past ones).
func (h *Handler) listMeetings(c *fiber.Ctx) error {
	ms, err := h.Meetings.List(c.UserContext(), c.Query("all") == "")
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"meetings": ms})
}

// getMeeting: GET /api/meetings/:slug (public) with counts per state.
func (h *Handler) getMeeting(c *fiber.Ctx) error {
	m, err := h.meeting(c)
	if err != nil {
		return err
	}
	counts, err := h.Registrations.Count(c.UserContext(), m.ID)
	if err != nil {
		return err
	}
	return c.JSON(meetingView{Meeting: *m, Counts: counts.ByStatus})
}

// addAgendaItem: POST /api/meetings/:slug/agenda (admin).
func (h *Handler) addAgendaItem(c *fiber.Ctx) error {
	m, err := h.meeting(c)
	if err != nil {
		return err
	}
	var in meetings.ItemInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	item, err := in.Item(m.ID)
	if err != nil {
		return err
	}
	if _, err := h.Live.AddItem(c.UserContext(), actor(c), item); err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(item)
}

// listAgenda: GET /api/meetings/:slug/agenda (public).
func (h *Handler) listAgenda(c *fiber.Ctx) error {
	m, err := h.meeting(c)
	if err != nil {
		return err
	}
	items, err := h.Meetings.Items(c.UserContext(), m.ID)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"items": items})
}
