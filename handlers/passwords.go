package handlers

import (
	"github.com/gofiber/fiber/v2"

	"rostrum/apperr"
	"rostrum/locale"
	"rostrum/safely"
)

// resetThrottle counts failed uses of reset links per client address as
// loginThrottle counts failed logins: a link's token cannot be guessed,
// but the page's POST must not become a free password oracle either.
func (h *Handler) resetThrottle() fiber.Handler {
	return h.throttled(throttle{name: "reset", max: loginAttempts, window: loginWindow, skipSuccess: true,
		refuse: func(string) error {
			return apperr.Say(apperr.KindRateLimited, "err.auth.reset_attempts")
		}})
}

// passwordThrottle counts wrong current passwords per client address, so
// that a session left open cannot be used to guess its password.
func (h *Handler) passwordThrottle() fiber.Handler {
	return h.throttled(throttle{name: "password", max: loginAttempts, window: loginWindow, skipSuccess: true,
		refuse: func(string) error {
			return apperr.Say(apperr.KindRateLimited, "err.auth.password_attempts")
		}})
}

// sendReset: POST /api/users/:id/reset (admin) mails the account a
// one-time link, valid 24 hours, to set a new password → 202. The mail
// and the answer are in the admin's language.
func (h *Handler) sendReset(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	lang := locale.ForStaff(errorLanguage(c))
	if err := h.Auth.SendReset(c.UserContext(), id, lang); err != nil {
		return err
	}
	return c.Status(fiber.StatusAccepted).JSON(fiber.Map{"message": locale.T(lang, "mail.reset.sent")})
}

type resetInput struct {
	Token    string `json:"token"`
	Password string `json:"password"`
}

// checkReset: POST /api/password-reset/check {"token"} → {"email","name"}
// of the link's account, or why the link no longer works (404, 409
// link_used, 410 link_expired). The token travels in the body, not the
// path, to stay out of logs.
func (h *Handler) checkReset(c *fiber.Ctx) error {
	var in resetInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	u, err := h.Auth.ResetLink(c.UserContext(), in.Token)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"email": u.Email, "name": u.Name})
}

// resetPassword: POST /api/password-reset {"token","password"} sets the
// password of the link's account; every session of the account ends, and
// its live sockets close → 200 {"email"}.
func (h *Handler) resetPassword(c *fiber.Ctx) error {
	var in resetInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	u, err := h.Auth.ResetPassword(c.UserContext(), in.Token, in.Password)
	if err != nil {
		return err
	}
	safely.Go(h.Log, "live: close the sockets of a reset account", h.Hub.RecheckStaff)
	return c.JSON(fiber.Map{"email": u.Email})
}

type passwordChange struct {
	Current string `json:"current"`
	New     string `json:"new"`
}

// changePassword: POST /api/me/password {"current","new"} (any staff): a
// wrong current password is 403; the account's other sessions end, this
// one stays → 204.
func (h *Handler) changePassword(c *fiber.Ctx) error {
	var in passwordChange
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	a := actor(c)
	if err := h.Auth.ChangePassword(c.UserContext(), a.User.ID, a.SessionHash, in.Current, in.New); err != nil {
		return err
	}
	safely.Go(h.Log, "live: close the sockets of ended sessions", h.Hub.RecheckStaff)
	return c.SendStatus(fiber.StatusNoContent)
}
