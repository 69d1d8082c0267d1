package handlers

import (
	"bytes"
	"net/url"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"rostrum/apperr"
	"rostrum/meetings"
	"rostrum/models"
)

// zonedMeeting is a meeting with the common name of its zone ("Geneva"
// for Europe/Zurich), which pages show beside its times.
// Process is the slug of its process, "" when it belongs to none.
type zonedMeeting struct {
	models.Meeting
	ZoneCity string `json:"zone_city"`
	Process  string `json:"process"`
}

func zoned(m *models.Meeting, processes map[uint]string) zonedMeeting {
	z := zonedMeeting{Meeting: *m, ZoneCity: meetings.ZoneCity(m.Timezone)}
	if m.ProcessID != nil {
		z.Process = processes[*m.ProcessID]
	}
	return z
}

// zonedOne is zoned for one meeting, its process read for it.
func (h *Handler) zonedOne(c *fiber.Ctx, m *models.Meeting) (zonedMeeting, error) {
	p, err := h.Meetings.ProcessOf(c.UserContext(), m)
	if err != nil || p == nil {
		return zoned(m, nil), err
	}
	return zoned(m, map[uint]string{p.ID: p.Slug}), nil
}

type meetingView struct {
	zonedMeeting
	Counts map[string]int64 `json:"counts"`
	// ScreenNextSpeakers is how many next speakers the room's screen
	// lists (the server's setting screen_next_speakers).
	ScreenNextSpeakers int `json:"screen_next_speakers"`
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
	z, err := h.zonedOne(c, m)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(meetingView{zonedMeeting: z, Counts: map[string]int64{}, ScreenNextSpeakers: h.Opts.ScreenNextSpeakers})
}

// editMeeting: PATCH /api/meetings/:slug (admin). The body names the
// fields that change; the rest keep their values.
func (h *Handler) editMeeting(c *fiber.Ctx) error {
	if !strings.HasPrefix(strings.ToLower(c.Get(fiber.HeaderContentType)), fiber.MIMEApplicationJSON) {
		return apperr.Say(apperr.KindBadRequest, "err.api.json_body")
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
	z, err := h.zonedOne(c, m)
	if err != nil {
		return err
	}
	return c.JSON(meetingView{zonedMeeting: z, Counts: counts.ByStatus, ScreenNextSpeakers: h.Opts.ScreenNextSpeakers})
}

// listMeetings: GET /api/meetings (public; ?all=1 includes past ones).
func (h *Handler) listMeetings(c *fiber.Ctx) error {
	ms, err := h.Meetings.List(c.UserContext(), c.Query("all") == "")
	if err != nil {
		return err
	}
	processes, err := h.Meetings.ProcessSlugs(c.UserContext())
	if err != nil {
		return err
	}
	out := make([]zonedMeeting, len(ms))
	for i := range ms {
		out[i] = zoned(&ms[i], processes)
	}
	return c.JSON(fiber.Map{"meetings": out})
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
	z, err := h.zonedOne(c, m)
	if err != nil {
		return err
	}
	return c.JSON(meetingView{zonedMeeting: z, Counts: counts.ByStatus, ScreenNextSpeakers: h.Opts.ScreenNextSpeakers})
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

// editAgendaItem: PATCH /api/meetings/:slug/agenda/:id (admin): title,
// speaking time, slot; a change every viewer of the live list sees.
func (h *Handler) editAgendaItem(c *fiber.Ctx) error {
	m, err := h.meeting(c)
	if err != nil {
		return err
	}
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	if !strings.HasPrefix(strings.ToLower(c.Get(fiber.HeaderContentType)), fiber.MIMEApplicationJSON) {
		return apperr.Say(apperr.KindBadRequest, "err.api.json_body")
	}
	body := c.Body()
	item, _, err := h.Live.EditItem(c.UserContext(), actor(c), m.ID, id, func(in *meetings.ItemEdit) error {
		return decodeBody(body, in)
	})
	if err != nil {
		return err
	}
	return c.JSON(item)
}

// orderAgenda: POST /api/meetings/:slug/agenda/order {"ids"} (admin):
// the agenda's new order, naming each item once.
func (h *Handler) orderAgenda(c *fiber.Ctx) error {
	m, err := h.meeting(c)
	if err != nil {
		return err
	}
	var in struct {
		IDs []uint `json:"ids"`
	}
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	if _, err := h.Live.ReorderItems(c.UserContext(), actor(c), m.ID, in.IDs); err != nil {
		return err
	}
	items, err := h.Meetings.Items(c.UserContext(), m.ID)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"items": items})
}

// deleteAgendaItem: DELETE /api/meetings/:slug/agenda/:id (admin), only
// while no one has spoken on it (409 item_spoken).
func (h *Handler) deleteAgendaItem(c *fiber.Ctx) error {
	m, err := h.meeting(c)
	if err != nil {
		return err
	}
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	if _, err := h.Live.RemoveItem(c.UserContext(), actor(c), m.ID, id); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

// meetingCalendar: GET /m/:slug/calendar.ics (public) → the meeting as an
// iCalendar file: one event per agenda slot, or the meeting.
func (h *Handler) meetingCalendar(c *fiber.Ctx) error {
	m, err := h.meeting(c)
	if err != nil {
		return err
	}
	items, err := h.Meetings.Items(c.UserContext(), m.ID)
	if err != nil {
		return err
	}
	domain := "rostrum"
	if u, err := url.Parse(h.Opts.PublicURL); err == nil && u.Hostname() != "" {
		domain = u.Hostname()
	}
	var b bytes.Buffer
	if err := meetings.WriteCalendar(&b, m, items, domain, time.Now()); err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "text/calendar; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+m.Slug+`.ics"`)
	return c.Send(b.Bytes())
}
