package handlers

import (
	"strings"

	"github.com/gofiber/fiber/v2"
)

// prefillsPerAddress is how many pre-fill links one address may be sent
// an hour for one meeting, so that nobody can fill a colleague's mailbox
// from the form.
const prefillsPerAddress = 3

// prefillThrottle counts requests for a pre-fill link per client address
// as registrations are counted (Opts.RegistrationRateLimit a minute; 0
// lets everything through), in a count of its own, so that a script
// cannot try addresses from one host.
func (h *Handler) prefillThrottle() fiber.Handler {
	return h.asRegistrations("prefill", "err.rate.link", false)
}

// prefillOpenThrottle counts failed attempts to open a pre-fill link per
// client address (successes are taken back), as registrations are
// counted.
func (h *Handler) prefillOpenThrottle() fiber.Handler {
	return h.asRegistrations("prefill-open", "err.rate.attempts", true)
}

// prefillMessage is the one answer to a request for a pre-fill link,
// whether or not the address is known.
const prefillMessage = "If this address registered for an earlier meeting of this process, a link that fills in this form is on its way to it. It works once, for 24 hours."

// sendPrefill: POST /api/meetings/:slug/prefill {"email"} (public) → 202
// whatever the address: one that registered for another meeting of the
// meeting's process is mailed a one-time link to the form, pre-filled.
// A malformed address is 422, which tells nothing either.
func (h *Handler) sendPrefill(c *fiber.Ctx) error {
	var in resendLinkInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	if _, err := h.meeting(c); err != nil {
		return err
	}
	email := strings.ToLower(strings.TrimSpace(in.Email))
	if !h.mayMail(c, "prefill-to", email, prefillsPerAddress) {
		h.Log.Info("pre-fill link not sent: too many for this address this hour", "meeting", c.Params("slug"))
	} else if err := h.Registrations.SendPrefill(c.UserContext(), c.Params("slug"), email); err != nil {
		return err
	}
	return c.Status(fiber.StatusAccepted).JSON(fiber.Map{"message": prefillMessage})
}

type prefillOpenInput struct {
	Token string `json:"token"`
}

// openPrefill: POST /api/meetings/:slug/prefill/open {"token"} (anyone
// with the link) → what the form is filled with; the link is spent. The
// token travels in the body (the page reads it from the address's
// fragment), never in a logged path.
func (h *Handler) openPrefill(c *fiber.Ctx) error {
	var in prefillOpenInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	p, err := h.Registrations.OpenPrefill(c.UserContext(), c.Params("slug"), in.Token)
	if err != nil {
		return err
	}
	return c.JSON(p)
}
