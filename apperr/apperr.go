// Package apperr carries domain errors as values with a kind, so that the
// capabilities can say what went wrong (invalid input, not found, a broken
// rule, a forbidden actor) without knowing about HTTP. The handlers turn a
// kind into a status code in one place.
package apperr

import (
	"errors"
	"fmt"
	"slices"

	"rostrum/locale"
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
	KindGone                         // the thing asked for existed and is no more, e.g. an expired link (410)
)

// kindCodes is the one table of the codes that name a kind in error
// answers, over HTTP and on the websocket alike. An error may carry a more
// specific code (WithCode); these are what the others get.
var kindCodes = []struct {
	kind Kind
	code string
}{
	{KindInvalid, "invalid"},
	{KindNotFound, "not_found"},
	{KindConflict, "conflict"},
	{KindForbidden, "forbidden"},
	{KindUnauthorized, "unauthorized"},
	{KindTooLarge, "too_large"},
	{KindRateLimited, "rate_limited"},
	{KindBadRequest, "bad_request"},
	{KindGone, "gone"},
}

// CodeInternal names an error that is not a domain error: its text is
// logged, never sent.
const CodeInternal = "internal"

// Code returns the code of kind k, or CodeInternal for an unknown kind.
func Code(k Kind) string {
	for _, kc := range kindCodes {
		if kc.kind == k {
			return kc.code
		}
	}
	return CodeInternal
}

// Kinds lists every kind, in the order of the table above.
func Kinds() []Kind {
	out := make([]Kind, len(kindCodes))
	for i, kc := range kindCodes {
		out[i] = kc.kind
	}
	return out
}

// CodeOf returns the code an answer to err carries: the error's own code
// when it has one, else its kind's, else CodeInternal.
func CodeOf(err error) string {
	var e *Error
	if !errors.As(err, &e) {
		return CodeInternal
	}
	if e.Code != "" {
		return e.Code
	}
	return Code(e.Kind)
}

// Error is a domain error with a kind, a message for people and, for
// validation errors, a message per field. Message and Fields are English
// (logs read them, and so do the tests written in English); Msg and
// FieldMsgs name them in the catalogues of package locale, so that the
// one place errors become answers writes them in the reader's language.
type Error struct {
	Kind    Kind
	Message string
	Fields  map[string]string
	// Code is a short machine-readable reason, e.g. "list_closed".
	Code string
	// Msg is Message's id in the catalogues and its arguments; its zero
	// value means Message is English only (an error built with the
	// constructors below, which the converted files no longer use).
	Msg Msg
	// FieldMsgs holds the catalogue's id of each of Fields' messages
	// that has one.
	FieldMsgs map[string]Msg
}

// Msg is a message for people as the catalogues name it: its id, and
// the values of its {{.Name}} fields as name, value pairs. It says what
// to write without choosing a language.
type Msg struct {
	ID   string
	Args []any
	// Plural marks a plural message, whose form Count chooses.
	Plural bool
	Count  int
}

// In is m written in language code (English for an unknown one). An
// argument that is written differently in each language (a date: a
// locale.Moment) is written in code too.
func (m Msg) In(code string) string {
	args := m.Args
	for i, a := range m.Args {
		if l, ok := a.(localized); ok {
			if &args[0] == &m.Args[0] { // copy once: m is shared
				args = slices.Clone(m.Args)
			}
			args[i] = l.In(code)
		}
	}
	if m.Plural {
		return locale.N(code, m.ID, m.Count, args...)
	}
	return locale.T(code, m.ID, args...)
}

// localized is an argument that each language writes its own way.
type localized interface{ In(code string) string }

// Say returns an error of kind k whose message is id in the catalogues,
// filled from args (name, value pairs); its Message is the English text.
func Say(k Kind, id string, args ...any) *Error {
	m := Msg{ID: id, Args: args}
	return &Error{Kind: k, Message: m.In(locale.Default), Msg: m}
}

// SayN is Say with a plural message, whose form count chooses (its
// {{.Count}} is count written as the language writes numbers).
func SayN(k Kind, id string, count int, args ...any) *Error {
	m := Msg{ID: id, Args: args, Plural: true, Count: count}
	return &Error{Kind: k, Message: m.In(locale.Default), Msg: m}
}

// MessageIn is e's message in language code: the catalogue's when e has
// a Msg, else the English Message.
func (e *Error) MessageIn(code string) string {
	if e.Msg.ID == "" {
		return e.Message
	}
	return e.Msg.In(code)
}

// FieldsIn is e's field messages in language code, translated where the
// catalogue has them; nil when e has none.
func (e *Error) FieldsIn(code string) map[string]string {
	if e.Fields == nil {
		return nil
	}
	out := make(map[string]string, len(e.Fields))
	for f, text := range e.Fields {
		if m, ok := e.FieldMsgs[f]; ok {
			text = m.In(code)
		}
		out[f] = text
	}
	return out
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
func Gone(format string, args ...any) *Error         { return newf(KindGone, format, args...) }
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
type Fields map[string]FieldMessage

// FieldMessage is one field's message: English text, and its id in the
// catalogues when it has one.
type FieldMessage struct {
	Text string
	Msg  Msg
}

// Add records msg (English only) for field unless the field already has
// a message.
func (f Fields) Add(field, msg string) {
	if _, ok := f[field]; !ok {
		f[field] = FieldMessage{Text: msg}
	}
}

// Say records message id of the catalogues, filled from args, for field
// unless the field already has a message.
func (f Fields) Say(field, id string, args ...any) {
	f.say(field, Msg{ID: id, Args: args})
}

// SayN is Say with a plural message, whose form count chooses.
func (f Fields) SayN(field, id string, count int, args ...any) {
	f.say(field, Msg{ID: id, Args: args, Plural: true, Count: count})
}

func (f Fields) say(field string, m Msg) {
	if _, ok := f[field]; !ok {
		f[field] = FieldMessage{Text: m.In(locale.Default), Msg: m}
	}
}

// Err returns an Invalid error listing the fields, or nil when there are none.
func (f Fields) Err() error {
	if len(f) == 0 {
		return nil
	}
	return Say(KindInvalid, "err.fields_invalid").WithFields(f)
}

// WithField returns e with field's message id of the catalogues, filled
// from args, beside the messages it has.
func (e *Error) WithField(field, id string, args ...any) *Error {
	m := Msg{ID: id, Args: args}
	if e.Fields == nil {
		e.Fields = map[string]string{}
	}
	if e.FieldMsgs == nil {
		e.FieldMsgs = map[string]Msg{}
	}
	e.Fields[field] = m.In(locale.Default)
	e.FieldMsgs[field] = m
	return e
}

// WithFieldOf returns e with field's message the message of cause, in
// every language cause's message has (a domain error that names a field's
// missing thing: "no distribution list 3").
func (e *Error) WithFieldOf(field string, cause error) *Error {
	if e.Fields == nil {
		e.Fields = map[string]string{}
	}
	e.Fields[field] = cause.Error()
	var c *Error
	if errors.As(cause, &c) && c.Msg.ID != "" {
		if e.FieldMsgs == nil {
			e.FieldMsgs = map[string]Msg{}
		}
		e.Fields[field], e.FieldMsgs[field] = c.Message, c.Msg
	}
	return e
}

// WithFields returns e with the field messages f collected.
func (e *Error) WithFields(f Fields) *Error {
	e.Fields = make(map[string]string, len(f))
	for field, fm := range f {
		e.Fields[field] = fm.Text
		if fm.Msg.ID != "" {
			if e.FieldMsgs == nil {
				e.FieldMsgs = map[string]Msg{}
			}
			e.FieldMsgs[field] = fm.Msg
		}
	}
	return e
}
