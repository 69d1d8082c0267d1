package handlers

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"rostrum/models"
)

// Routes registers every route. Read it top to bottom as the table of
// contents of Rostrum's surface.
func (h *Handler) Routes(app *fiber.App) {
	app.Get("/healthz", h.healthz)

	// Every API answer is for its requester alone (a CSRF token, a
	// registration, a draft): none is stored by a browser or a proxy,
	// unless its handler says it is public (the circulated summary).
	api := app.Group("/api", noStore, h.identify)
	admin := h.staff(models.RoleAdmin)
	anyStaff := h.staff()

	// What the pages call the values the API sends.
	api.Get("/vocabulary", h.vocabulary)

	// Staff accounts.
	api.Post("/login", h.loginThrottle(), answerNow, h.login)
	api.Post("/logout", h.logout)
	api.Get("/me", h.me)
	api.Post("/users", admin, h.createUser)

	// Meetings and agenda.
	api.Get("/meetings", h.listMeetings)
	api.Post("/meetings", admin, h.createMeeting)
	api.Get("/meetings/:slug", h.getMeeting)
	api.Get("/meetings/:slug/agenda", h.listAgenda)
	api.Post("/meetings/:slug/agenda", admin, h.addAgendaItem)

	h.registrationRoutes(api, admin, anyStaff)
	h.organizationRoutes(api, admin, anyStaff)
	h.liveRoutes(app, api)
	h.summaryRoutes(app, api)

	h.pageRoutes(app)
}

// noStore marks the answer as not to be stored by any cache. A handler
// whose answer is public and cacheable sets its own Cache-Control.
func noStore(c *fiber.Ctx) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Next()
}

// notModified sets etag as the answer's validator and reports whether
// the client already holds it (If-None-Match), so that 304 will do.
func notModified(c *fiber.Ctx, etag string) bool {
	c.Set(fiber.HeaderETag, etag)
	inm := c.Get(fiber.HeaderIfNoneMatch)
	if inm == "" || etag == "" {
		return false
	}
	for _, t := range strings.Split(inm, ",") {
		if t = strings.TrimSpace(t); t == "*" || strings.TrimPrefix(t, "W/") == etag {
			return true
		}
	}
	return false
}

// healthz answers 200 while the database answers.
func (h *Handler) healthz(c *fiber.Ctx) error {
	if err := pingDB(c, h); err != nil {
		return c.Status(fiber.StatusServiceUnavailable).JSON(fiber.Map{"status": "database unavailable"})
	}
	return c.JSON(fiber.Map{"status": "ok"})
}
