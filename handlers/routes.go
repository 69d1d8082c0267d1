package handlers

import (
	"github.com/gofiber/fiber/v2"

	"rostrum/models"
)

// Routes registers every route. Read it top to bottom as the table of
// contents of Rostrum's surface.
func (h *Handler) Routes(app *fiber.App) {
	app.Get("/healthz", h.healthz)

	api := app.Group("/api", h.identify)
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

// healthz answers 200 while the database answers.
func (h *Handler) healthz(c *fiber.Ctx) error {
	if err := pingDB(c, h); err != nil {
		return c.Status(fiber.StatusServiceUnavailable).JSON(fiber.Map{"status": "database unavailable"})
	}
	return c.JSON(fiber.Map{"status": "ok"})
}
