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

// kindStatus is the HTTP status of each kind; apperr names the kind's code.
var kindStatus = map[apperr.Kind]int{
	apperr.KindInvalid:      fiber.StatusUnprocessableEntity,
	apperr.KindNotFound:     fiber.StatusNotFound,
	apperr.KindConflict:     fiber.StatusConflict,
	apperr.KindForbidden:    fiber.StatusForbidden,
	apperr.KindUnauthorized: fiber.StatusUnauthorized,
	apperr.KindTooLarge:     fiber.StatusRequestEntityTooLarge,
	apperr.KindRateLimited:  fiber.StatusTooManyRequests,
	apperr.KindBadRequest:   fiber.StatusBadRequest,
	apperr.KindGone:         fiber.StatusGone,
}

// statusKind is kindStatus backwards, so that Fiber's own errors (an
// unknown route, a body past the limit) carry the same codes.
var statusKind = func() map[int]apperr.Kind {
	m := make(map[int]apperr.Kind, len(kindStatus))
	for k, st := range kindStatus {
		m[st] = k
	}
	return m
}()

// Status returns the HTTP status for err and the body to send. Errors that
// are neither domain errors nor Fiber errors are internal: their text is
// logged, never sent.
func Status(err error) (int, ErrorBody) {
	var ae *apperr.Error
	if errors.As(err, &ae) {
		if st, ok := kindStatus[ae.Kind]; ok {
			return st, ErrorBody{Error: ae.Message, Code: apperr.CodeOf(ae), Fields: ae.Fields}
		}
	}
	var fe *fiber.Error
	if errors.As(err, &fe) {
		msg := fe.Message
		if fe.Code == fiber.StatusRequestEntityTooLarge {
			msg = "the request body is too large"
		}
		body := ErrorBody{Error: msg}
		if k, ok := statusKind[fe.Code]; ok {
			body.Code = apperr.Code(k)
		}
		return fe.Code, body
	}
	return fiber.StatusInternalServerError, ErrorBody{Error: "internal error; it has been logged", Code: apperr.CodeInternal}
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
