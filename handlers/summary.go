package handlers

import "github.com/gofiber/fiber/v2"

// summaryRoutes registers notes, the Chair's summary and circulation.
func (h *Handler) summaryRoutes(api fiber.Router) {}
