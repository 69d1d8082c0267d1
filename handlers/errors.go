package handlers

import (
	"errors"
	"log/slog"

	"github.com/gofiber/fiber/v2"

	"rostrum/apperr"
	"rostrum/locale"
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

// Status returns the HTTP status for err and the body to send, in
// English. Errors that are neither domain errors nor Fiber errors are
// internal: their text is logged, never sent.
func Status(err error) (int, ErrorBody) { return StatusIn(err, locale.Default) }

// StatusIn is Status with the messages in language lang: a domain
// error's message and field messages that name a catalogue's message are
// written in it (English when the message is a staff one and lang is
// none of the staff's languages). The code and the fields' names never
// change with the language.
func StatusIn(err error, lang string) (int, ErrorBody) {
	var ae *apperr.Error
	if errors.As(err, &ae) {
		if st, ok := kindStatus[ae.Kind]; ok {
			return st, ErrorBody{Error: ae.MessageIn(lang), Code: apperr.CodeOf(ae), Fields: ae.FieldsIn(lang)}
		}
	}
	var fe *fiber.Error
	if errors.As(err, &fe) {
		msg := fe.Message
		if fe.Code == fiber.StatusRequestEntityTooLarge {
			msg = locale.T(lang, "err.body_too_large")
		}
		body := ErrorBody{Error: msg}
		if k, ok := statusKind[fe.Code]; ok {
			body.Code = apperr.Code(k)
		}
		return fe.Code, body
	}
	return fiber.StatusInternalServerError, ErrorBody{Error: locale.T(lang, "err.internal"), Code: apperr.CodeInternal}
}

// errorLanguage is the language of an error answer: the one a handler
// settled on for the request (setErrorLanguage: a registration's own
// language), else the reader's (?lang=, the stored choice,
// Accept-Language), without storing a choice as a page does.
func errorLanguage(c *fiber.Ctx) string {
	if lang, ok := c.Locals(errorLangKey).(string); ok && lang != "" {
		return lang
	}
	c.Vary(fiber.HeaderCookie, fiber.HeaderAcceptLanguage)
	return locale.Choose(c.Query("lang"), c.Cookies(langCookie), c.Get(fiber.HeaderAcceptLanguage))
}

const errorLangKey = "error_language"

// setErrorLanguage makes lang the language of the request's error answer.
func setErrorLanguage(c *fiber.Ctx, lang string) { c.Locals(errorLangKey, lang) }

// ErrorHandler is Fiber's error handler: it turns every error a handler
// returns into one JSON answer (or a short text page for browsers asking
// for HTML).
func ErrorHandler(log *slog.Logger) fiber.ErrorHandler {
	return func(c *fiber.Ctx, err error) error {
		status, body := StatusIn(err, errorLanguage(c))
		if status >= 500 {
			log.Error("request failed", "method", c.Method(), "path", c.Path(), "err", err)
		}
		if status == fiber.StatusTooManyRequests && c.GetRespHeader(fiber.HeaderRetryAfter) == "" {
			c.Set(fiber.HeaderRetryAfter, "60")
		}
		return c.Status(status).JSON(body)
	}
}
