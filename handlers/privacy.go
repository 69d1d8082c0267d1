package handlers

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"rostrum/privacy"
)

// participantExport is everything held about a participant: their
// registration as they see it (with what they said about their
// organization and the privacy notice's version they agreed to), its
// meeting, and what every other owner holds about them.
type participantExport struct {
	ExportedAt   time.Time          `json:"exported_at"`
	Meeting      participantMeeting `json:"meeting"`
	Registration registrationView   `json:"registration"`
	*privacy.Export
}

// exportParticipant: GET /api/participant/export (Bearer token) → the
// participant's data as JSON, to keep or to read.
func (h *Handler) exportParticipant(c *fiber.Ctx) error {
	me := actor(c).Registration
	x, err := h.Privacy.Export(c.UserContext(), me)
	if err != nil {
		return err
	}
	v := h.viewParticipant(me, bearer(c))
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+me.Meeting.Slug+`-my-data.json"`)
	return c.JSON(participantExport{ExportedAt: time.Now().UTC(), Meeting: v.Meeting, Registration: v.registrationView, Export: x})
}

// eraseParticipant: DELETE /api/participant (Bearer token) → 204. The
// participant's personal data are erased at once (withdrawn first when
// they still hold or wait for a place, the seat going to the waiting
// list); their token is dead afterwards (401).
func (h *Handler) eraseParticipant(c *fiber.Ctx) error {
	me := actor(c).Registration
	if err := h.Privacy.Erase(c.UserContext(), me.ID); err != nil {
		return err
	}
	h.Log.Info("participant erased their personal data", "registration", me.ID, "meeting", me.Meeting.Slug)
	return c.SendStatus(fiber.StatusNoContent)
}
