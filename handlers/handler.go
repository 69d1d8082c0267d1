// Package handlers is Rostrum's HTTP and websocket surface: each handler
// decodes a request, checks who is asking, calls a capability and encodes
// the answer. Errors travel back as apperr values and are turned into HTTP
// answers in one place, ErrorHandler.
package handlers

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"rostrum/accreditation"
	"rostrum/apperr"
	"rostrum/audit"
	"rostrum/auth"
	"rostrum/delegations"
	"rostrum/documents"
	"rostrum/door"
	"rostrum/lists"
	"rostrum/live"
	"rostrum/meetings"
	"rostrum/models"
	"rostrum/privacy"
	"rostrum/ratelimit"
	"rostrum/registration"
	"rostrum/summary"
)

// Options are the settings handlers need from the configuration.
type Options struct {
	PublicURL     string
	SecureCookies bool
	// RegistrationRateLimit is how many registrations one client address
	// may send a minute; 0 means no limit.
	RegistrationRateLimit int
	// ParticipantCommandRate is how many commands on the live list (asking
	// for the floor, withdrawing) one participant's registration may send
	// a minute, REST and websocket together; 0 means no limit. Staff
	// commands are not limited.
	ParticipantCommandRate int
	// ScreenNextSpeakers is how many next speakers the room's screen
	// lists (config screen_next_speakers); meetings carry it to the page.
	ScreenNextSpeakers int
}

// Handler holds what the handlers need. One value serves every route.
type Handler struct {
	Log  *slog.Logger
	Opts Options
	// Health says whether the database answers (GET /healthz).
	Health   func(ctx context.Context) error
	Auth     *auth.Service
	Meetings *meetings.Service
	// Registrations is registration and accreditation.
	Registrations *registration.Service
	Live          *live.Service // the live list of speakers: commands and state
	Hub           *live.Hub     // its websocket viewers
	// Summary is notes, the Chair's summary and its circulation.
	Summary *summary.Service
	// Audit reads the meeting's audited changes outside the live list.
	Audit AuditLog
	// Privacy exports and erases a participant's personal data.
	Privacy *privacy.Service
	// Door prints badges and lists of participants.
	Door *door.Service
	// Delegations is the States' missions and their focal points.
	Delegations *delegations.Service
	// Accreditation is the non-objection procedure: notices, objections
	// and the job that closes notices at their deadline.
	Accreditation *accreditation.Service
	// Documents is each meeting's document library.
	Documents *documents.Service
	// Lists is the secretariat's distribution lists.
	Lists *lists.Service

	// Limits counts the registration, login and participant command
	// throttles' hits: a
	// ratelimit.Memory on one instance, ratelimit.Postgres when several
	// instances share a database.
	Limits ratelimit.Counter
}

// AuditLog is what the audit endpoint asks of package audit.
type AuditLog interface {
	Log(ctx context.Context, meetingID uint, before time.Time, limit int) ([]audit.Event, error)
}

// decodeJSON reads the body into v, refusing unknown fields, trailing data
// and bodies that are not JSON.
func decodeJSON(c *fiber.Ctx, v any) error {
	ct := strings.ToLower(c.Get(fiber.HeaderContentType))
	if !strings.HasPrefix(ct, fiber.MIMEApplicationJSON) {
		return apperr.Say(apperr.KindBadRequest, "err.api.json_body")
	}
	return decodeBody(c.Body(), v)
}

// decodeBody decodes body into v as decodeJSON does; fields v already
// holds and the body does not name keep their values (a PATCH).
func decodeBody(body []byte, v any) error {
	// encoding/json would quietly turn invalid UTF-8 into U+FFFD and store
	// text the sender never wrote.
	if !utf8.Valid(body) {
		return apperr.Say(apperr.KindBadRequest, "err.api.body_utf8")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return apperr.Say(apperr.KindBadRequest, "err.api.malformed", "Why", jsonErrText(err))
	}
	if dec.More() {
		return apperr.Say(apperr.KindBadRequest, "err.api.trailing")
	}
	return nil
}

// jsonErrText describes a decoding error without echoing the input.
func jsonErrText(err error) apperr.Msg {
	var te *json.UnmarshalTypeError
	var se *json.SyntaxError
	switch {
	case errors.As(err, &te):
		return apperr.Msg{ID: "err.json.field_type", Args: []any{"Field", strconv.Quote(te.Field), "Type", te.Type.String()}}
	case errors.As(err, &se):
		return apperr.Msg{ID: "err.json.syntax", Args: []any{"Byte", strconv.FormatInt(se.Offset, 10)}}
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		return apperr.Msg{ID: "err.json.unknown_field", Args: []any{"Field", strings.TrimPrefix(err.Error(), "json: unknown field ")}}
	case err.Error() == "EOF":
		return apperr.Msg{ID: "err.json.empty"}
	default:
		return apperr.Msg{ID: "err.json.shape"}
	}
}

// paramID parses a numeric path parameter.
func paramID(c *fiber.Ctx, name string) (uint, error) {
	n, err := strconv.ParseUint(c.Params(name), 10, 32)
	if err != nil || n == 0 {
		return 0, apperr.Say(apperr.KindNotFound, "err.api.no_param", "Name", name, "Value", strconv.Quote(c.Params(name)))
	}
	return uint(n), nil
}

// meeting returns the meeting named by the :slug path parameter, or a
// NotFound error.
func (h *Handler) meeting(c *fiber.Ctx) (*models.Meeting, error) {
	return h.Meetings.BySlug(c.UserContext(), c.Params("slug"))
}
