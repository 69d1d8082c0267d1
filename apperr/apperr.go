// Package apperr carries domain errors as values with a kind, so that the
// capabilities can say what went wrong (invalid input, not found, a broken
// rule, a forbidden actor) without knowing about HTTP. The handlers turn a
// kind into a status code in one place.
package apperr

import (
	"errors"
	"fmt"
)

// Kind is the class of a domain error.
type Kind int

const (
	KindInvalid      Kind = iota + 1 // the input is malformed or fails validation (422)
	KindNotFound                     // the thing asked for does not exist (404)
	KindConflict                     // the request breaks a rule of the current state (409)
	KindForbidden                    // the actor may not do this (403)
	KindUnauthorized                 // no valid credentials (401)
	KindTooLarge                     // the request is too big (413)
	KindRateLimited                  // too many requests (429)
	KindBadRequest                   // the request cannot be parsed at all (400)
)

// Error is a domain error with a kind, a message for people and, for
// validation errors, a message per field.
type Error struct {
	Kind    Kind
	Message string
	Fields  map[string]string
	// Code is a short machine-readable reason, e.g. "list_closed".
	Code string
}

func (e *Error) Error() string { return e.Message }

// WithCode returns e with a machine-readable code attached.
func (e *Error) WithCode(code string) *Error {
	e.Code = code
	return e
}

func newf(k Kind, format string, args ...any) *Error {
	return &Error{Kind: k, Message: fmt.Sprintf(format, args...)}
}

// Invalid reports invalid input; fields maps a field name to its message.
func Invalid(message string, fields map[string]string) *Error {
	return &Error{Kind: KindInvalid, Message: message, Fields: fields}
}

func NotFound(format string, args ...any) *Error     { return newf(KindNotFound, format, args...) }
func Conflict(format string, args ...any) *Error     { return newf(KindConflict, format, args...) }
func Forbidden(format string, args ...any) *Error    { return newf(KindForbidden, format, args...) }
func Unauthorized(format string, args ...any) *Error { return newf(KindUnauthorized, format, args...) }
func BadRequest(format string, args ...any) *Error   { return newf(KindBadRequest, format, args...) }
func TooLarge(format string, args ...any) *Error     { return newf(KindTooLarge, format, args...) }
func RateLimited(format string, args ...any) *Error  { return newf(KindRateLimited, format, args...) }

// KindOf returns the kind of err, or 0 when err is not an *Error.
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return 0
}

// Is reports whether err is a domain error of kind k.
func Is(err error, k Kind) bool { return KindOf(err) == k }

// Fields collects field errors while validating input.
type Fields map[string]string

// Add records msg for field unless the field already has a message.
func (f Fields) Add(field, msg string) {
	if _, ok := f[field]; !ok {
		f[field] = msg
	}
}

// Err returns an Invalid error listing the fields, or nil when there are none.
func (f Fields) Err() error {
	if len(f) == 0 {
		return nil
	}
	return Invalid("some fields are invalid", map[string]string(f))
}
