package handlers

import (
	"math"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"rostrum/apperr"
)

// throttle is a fixed-window rate limit per client address: the
// request's hit is counted before it runs, and once an address has made
// more than max hits in the window it gets 429 with Retry-After.
// skipSuccess takes back the hit of a request that succeeded (status
// under 400), so that only failures count. The counts live in
// h.Limits: in memory on one instance, in the database when several
// instances share it, so that every instance applies one count.
type throttle struct {
	name        string // keeps the throttles' counts apart
	max         int
	window      time.Duration
	skipSuccess bool
	refuse      func(retryAfter string) error
}

func (h *Handler) throttled(t throttle) fiber.Handler {
	return func(c *fiber.Ctx) error {
		ctx := c.UserContext()
		key := t.name + ":" + c.IP()
		hits, left, err := h.Limits.Hit(ctx, key, t.window)
		if err != nil {
			// The count is unavailable (the database is): let the request
			// through rather than refuse everyone; it will meet the same
			// database anyway.
			h.Log.Warn("rate limit unavailable", "throttle", t.name, "err", err)
			return c.Next()
		}
		if hits > t.max {
			retry := strconv.Itoa(max(1, int(math.Ceil(left.Seconds()))))
			c.Set(fiber.HeaderRetryAfter, retry)
			return t.refuse(retry)
		}
		err = c.Next()
		if t.skipSuccess && c.Response().StatusCode() < fiber.StatusBadRequest {
			if uerr := h.Limits.Undo(ctx, key); uerr != nil {
				h.Log.Warn("rate limit undo", "throttle", t.name, "err", uerr)
			}
		}
		return err
	}
}

// registrationThrottle lets each client address register at most
// Opts.RegistrationRateLimit times a minute (0 lets everything through);
// further attempts get 429 with Retry-After, counting failed attempts too,
// so that a script cannot try addresses or fill a meeting from one host.
// The JSON API and the HTML form share one count (one throttle name).
func (h *Handler) registrationThrottle() fiber.Handler {
	perMinute := h.Opts.RegistrationRateLimit
	if perMinute <= 0 {
		return func(c *fiber.Ctx) error { return c.Next() }
	}
	return h.throttled(throttle{name: "register", max: perMinute, window: time.Minute,
		refuse: func(retry string) error {
			return apperr.RateLimited("too many registrations from this address; try again in %s seconds", retry)
		}})
}
