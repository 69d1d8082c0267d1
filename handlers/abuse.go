package handlers

import (
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/limiter"

	"rostrum/apperr"
)

// registrationThrottle lets each client address register at most
// Opts.RegistrationRateLimit times a minute (0 lets everything through);
// further attempts get 429 with Retry-After, counting failed attempts too,
// so that a script cannot try addresses or fill a meeting from one host.
// The count lives in this process: behind several instances each counts
// its own share. Every registration route gets the same limiter, so that
// the JSON API and the HTML form share one count.
func (h *Handler) registrationThrottle() fiber.Handler {
	if h.registrationLimit != nil {
		return h.registrationLimit
	}
	perMinute := h.Opts.RegistrationRateLimit
	h.registrationLimit = limiter.New(limiter.Config{
		Next:       func(*fiber.Ctx) bool { return perMinute <= 0 },
		Max:        max(perMinute, 1),
		Expiration: time.Minute,
		LimitReached: func(c *fiber.Ctx) error {
			return apperr.RateLimited("too many registrations from this address; try again in %s seconds", c.GetRespHeader(fiber.HeaderRetryAfter))
		},
	})
	return h.registrationLimit
}
