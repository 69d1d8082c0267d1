package handlers

import "github.com/gofiber/fiber/v2"

// liveRoutes registers the live list of speakers (REST and websocket).
func (h *Handler) liveRoutes(app *fiber.App, api fiber.Router) {}
