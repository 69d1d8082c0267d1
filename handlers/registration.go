package handlers

import "github.com/gofiber/fiber/v2"

// registrationRoutes registers registration and accreditation routes.
func (h *Handler) registrationRoutes(api fiber.Router, admin, anyStaff fiber.Handler) {}
