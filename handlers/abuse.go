package handlers

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"math"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"rostrum/apperr"
	"rostrum/auth"
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
			retry := retrySeconds(left)
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
	return h.asRegistrations("register", "err.rate.registrations", false)
}

// asRegistrations is a throttle counted per client address as
// registrations are (Opts.RegistrationRateLimit a minute; 0 lets
// everything through), in a count of its own (name), refusing with
// message refuse; skipSuccess takes successful requests back, so that
// only failed attempts count.
func (h *Handler) asRegistrations(name, refuse string, skipSuccess bool) fiber.Handler {
	perMinute := h.Opts.RegistrationRateLimit
	if perMinute <= 0 {
		return func(c *fiber.Ctx) error { return c.Next() }
	}
	return h.throttled(throttle{name: name, max: perMinute, window: time.Minute, skipSuccess: skipSuccess,
		refuse: func(retry string) error {
			return tooMany(refuse, retry)
		}})
}

// mayMail counts one more mail of kind name to address email for the
// meeting of c's :slug in the current hour and says whether it may go
// (at most max an hour, whoever asks). The count's key is a digest, so
// the throttles' table holds no address; when the count cannot be read
// the mail goes, as every throttle lets through when its store fails.
func (h *Handler) mayMail(c *fiber.Ctx, name, email string, max int) bool {
	sum := sha256.Sum256([]byte(c.Params("slug") + "\x00" + email))
	hits, _, err := h.Limits.Hit(c.UserContext(), name+":"+hex.EncodeToString(sum[:16]), time.Hour)
	if err != nil {
		h.Log.Warn("rate limit unavailable", "throttle", name, "err", err)
		return true
	}
	return hits <= max
}

// participantThrottle counts a participant's command on the live list
// (REST or websocket, one count per registration) and refuses it once
// the registration has sent more than Opts.ParticipantCommandRate
// commands in the current minute: every request and withdrawal is a
// change that every viewer receives and the audit log keeps, so one
// participant must not be able to flood the list. Staff and anonymous
// actors are not counted (staff run the meeting; anonymous commands are
// refused anyway). A refusal is RateLimited, with the seconds until the
// window ends for Retry-After.
func (h *Handler) participantThrottle(ctx context.Context, a auth.Actor) (retryAfter string, err error) {
	perMinute := h.Opts.ParticipantCommandRate
	if perMinute <= 0 || a.Registration == nil || a.User != nil {
		return "", nil
	}
	key := "participant_command:" + strconv.FormatUint(uint64(a.Registration.ID), 10)
	hits, left, err := h.Limits.Hit(ctx, key, time.Minute)
	if err != nil {
		// As throttled: with the count unavailable, let the command meet
		// the database (which it needs anyway) rather than refuse everyone.
		h.Log.Warn("rate limit unavailable", "throttle", "participant_command", "err", err)
		return "", nil
	}
	if hits <= perMinute {
		return "", nil
	}
	retry := retrySeconds(left)
	return retry, tooMany("err.rate.commands", retry)
}

// retrySeconds is Retry-After for a window with left to run.
// tooMany is a RateLimited error saying message id of the catalogues,
// whose {{.Count}} is the seconds to wait (retry, as Retry-After gives it).
func tooMany(id, retry string) error {
	n, _ := strconv.Atoi(retry)
	return apperr.SayN(apperr.KindRateLimited, id, n)
}

func retrySeconds(left time.Duration) string {
	return strconv.Itoa(max(1, int(math.Ceil(left.Seconds()))))
}
