package handlers

import (
	"errors"
	"log/slog"

	"github.com/gofiber/fiber/v2"

	"rostrum/apperr"
)

// ErrorBody is the JSON shape of every error answer.
type ErrorBody struct {
	Error  string            `json:"error"`
	Code   string            `json:"code,omitempty"`
	Fields map[string]string `json:"fields,omitempty"`
}

var kindStatus = map[apperr.Kind]int{
	apperr.KindInvalid:      fiber.StatusUnprocessableEntity,
	apperr.KindNotFound:     fiber.StatusNotFound,
	apperr.KindConflict:     fiber.StatusConflict,
	apperr.KindForbidden:    fiber.StatusForbidden,
	apperr.KindUnauthorized: fiber.StatusUnauthorized,
	apperr.KindTooLarge:     fiber.StatusRequestEntityTooLarge,
	apperr.KindRateLimited:  fiber.StatusTooManyRequests,
	apperr.KindBadRequest:   fiber.StatusBadRequest,
}

// Status returns the HTTP status for err and the body to send. Errors that
// are neither domain errors nor Fiber errors are internal: their text is
// logged, never sent.
func Status(err error) (int, ErrorBody) {
	var ae *apperr.Error
	if errors.As(err, &ae) {
		if st, ok := kindStatus[ae.Kind]; ok {
			return st, ErrorBody{Error: ae.Message, Code: ae.Code, Fields: ae.Fields}
		}
	}
	var fe *fiber.Error
	if errors.As(err, &fe) {
		msg := fe.Message
		if fe.Code == fiber.StatusRequestEntityTooLarge {
			msg = "the request body is too large"
		}
		return fe.Code, ErrorBody{Error: msg}
	}
	return fiber.StatusInternalServerError, ErrorBody{Error: "internal error; it has been logged"}
}

// ErrorHandler is Fiber's error handler: it turns every error a handler
// returns into one JSON answer (or a short text page for browsers asking
// for HTML).
func ErrorHandler(log *slog.Logger) fiber.ErrorHandler {
	return func(c *fiber.Ctx, err error) error {
		status, body := Status(err)
		if status >= 500 {
			log.Error("request failed", "method", c.Method(), "path", c.Path(), "err", err)
		}
		if status == fiber.StatusTooManyRequests && c.GetRespHeader(fiber.HeaderRetryAfter) == "" {
			c.Set(fiber.HeaderRetryAfter, "60")
		}
		return c.Status(status).JSON(body)
	}
}
