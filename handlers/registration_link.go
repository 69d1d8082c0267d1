package handlers

import (
	"strings"

	"github.com/gofiber/fiber/v2"
)

// newLinksPerAddress is how many new links one address may be sent an
// hour. Each new link ends the one before, so without it anyone who knows
// a participant's address could keep their open page logged out and
// their mailbox full.
const newLinksPerAddress = 3

// newLinkThrottle counts requests for a new link per client address, as
// many a minute as registrations (Opts.RegistrationRateLimit; 0 lets
// everything through), in a count of its own, so that a script cannot
// try addresses from one host.
func (h *Handler) newLinkThrottle() fiber.Handler {
	return h.asRegistrations("new-link", "err.rate.link", false)
}

type resendLinkInput struct {
	Email string `json:"email"`
}

// resendLink: POST /api/meetings/:slug/registrations/resend-link
// {"email"} (public) → 202 whatever the address: a registered address
// of the meeting is mailed a new private link (the old one stops
// working); the answer never tells whether the address is registered.
// A malformed address is 422, which tells nothing either.
func (h *Handler) resendLink(c *fiber.Ctx) error {
	var in resendLinkInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	if _, err := h.meeting(c); err != nil {
		return err
	}
	email := strings.ToLower(strings.TrimSpace(in.Email))
	if !h.mayMail(c, "new-link-to", email, newLinksPerAddress) {
		h.Log.Info("new link not sent: too many for this address this hour", "meeting", c.Params("slug"))
	} else if err := h.Registrations.SendNewLink(c.UserContext(), c.Params("slug"), email); err != nil {
		return err
	}
	return c.Status(fiber.StatusAccepted).JSON(fiber.Map{
		"message": "If this address is registered for the meeting, a new private link is on its way to it; the old link no longer works.",
	})
}
