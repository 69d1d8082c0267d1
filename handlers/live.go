package handlers

import (
	"context"
	"time"

	"github.com/gofiber/fiber/v2"

	"rostrum/apperr"
	"rostrum/audit"
	"rostrum/live"
	"rostrum/models"
)

// moderator lets through moderators and admins (with the CSRF header on
// changes). A participant's token is known but not enough: 403, not 401.
func (h *Handler) moderator() fiber.Handler {
	staff := h.staff(models.RoleModerator, models.RoleAdmin)
	return func(c *fiber.Ctx) error {
		if a := actor(c); a.User == nil && a.Registration != nil {
			return apperr.Say(apperr.KindForbidden, "err.api.moderator_only")
		}
		return staff(c)
	}
}

// liveState: GET /api/meetings/:slug/live (public) → the full state.
func (h *Handler) liveState(c *fiber.Ctx) error {
	m, err := h.meeting(c)
	if err != nil {
		return err
	}
	_, body, err := h.Live.StateJSON(c.UserContext(), m.ID)
	if err != nil {
		return err
	}
	c.Type("json", "utf-8")
	return c.Send(body)
}

// liveCmd runs one command of the live list from a REST request; the path
// gives the item (and the entry), the body the rest. Staff need the CSRF
// header here too (the staff middleware checks it on staff-only routes).
func (h *Handler) liveCmd(action string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		a := actor(c)
		if a.User != nil {
			if err := checkCSRF(c, a); err != nil {
				return err
			}
		}
		m, err := h.meeting(c)
		if err != nil {
			return err
		}
		cmd := live.Command{Action: action}
		switch action {
		case live.ActAddSpeaker:
			var in struct {
				RegistrationID uint   `json:"registration_id"`
				Kind           string `json:"kind"`
				ReplyTo        uint   `json:"reply_to"`
			}
			if len(c.Body()) > 0 {
				if err := decodeJSON(c, &in); err != nil {
					return err
				}
			}
			cmd.RegistrationID, cmd.Kind, cmd.ReplyTo = in.RegistrationID, in.Kind, in.ReplyTo
		case live.ActReorder:
			var in struct {
				IDs []uint `json:"ids"`
			}
			if err := decodeJSON(c, &in); err != nil {
				return err
			}
			cmd.IDs = in.IDs
		case live.ActExtend:
			var in struct {
				Seconds int `json:"seconds"`
			}
			if err := decodeJSON(c, &in); err != nil {
				return err
			}
			cmd.Seconds = in.Seconds
		case live.ActSetCurrent:
			var in struct {
				ItemID uint `json:"item_id"`
			}
			if err := decodeJSON(c, &in); err != nil {
				return err
			}
			cmd.ItemID = in.ItemID
		}
		if c.Params("item") != "" {
			if cmd.ItemID, err = paramID(c, "item"); err != nil {
				return err
			}
		}
		if c.Params("id") != "" {
			if cmd.SpeakerID, err = paramID(c, "id"); err != nil {
				return err
			}
		}
		if retry, err := h.participantThrottle(c.UserContext(), a); err != nil {
			c.Set(fiber.HeaderRetryAfter, retry)
			return err
		}
		res, err := h.Live.Do(c.UserContext(), a, m.ID, cmd)
		if err != nil {
			return err
		}
		if action == live.ActAddSpeaker {
			c.Status(fiber.StatusCreated)
		}
		return c.JSON(res)
	}
}

// suggestNext: GET /api/meetings/:slug/agenda/:item/suggest (moderator)
// → {"speaker": entry or null}.
func (h *Handler) suggestNext(c *fiber.Ctx) error {
	m, err := h.meeting(c)
	if err != nil {
		return err
	}
	item, err := paramID(c, "item")
	if err != nil {
		return err
	}
	e, err := h.Live.Suggest(c.UserContext(), m.ID, item)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"speaker": e})
}

// meetingAudit: GET /api/meetings/:slug/audit?before=RFC 3339&limit=n
// (moderator, admin) → {"events": [{seq?, at, actor, action, detail}]},
// newest first: the live list's events (with their seq) and the meeting's
// other audited changes (package audit), merged in time order. The next
// page is before the last line's at.
func (h *Handler) meetingAudit(c *fiber.Ctx) error {
	m, err := h.meeting(c)
	if err != nil {
		return err
	}
	limit := c.QueryInt("limit", 200)
	if limit < 1 || limit > 1000 {
		return apperr.Say(apperr.KindInvalid, "err.api.bad_limit").WithField("limit", "err.api.limit_range")
	}
	var before time.Time
	if b := c.Query("before"); b != "" {
		if before, err = time.Parse(time.RFC3339Nano, b); err != nil {
			return apperr.Say(apperr.KindInvalid, "err.api.bad_before").WithField("before", "err.api.rfc3339")
		}
	}
	ctx := c.UserContext()
	liveEvs, err := h.Live.Audit(ctx, m.ID, before, limit)
	if err != nil {
		return err
	}
	others, err := h.Audit.Log(ctx, m.ID, before, limit)
	if err != nil {
		return err
	}
	lives := make([]audit.Event, len(liveEvs))
	for i, ev := range liveEvs {
		lives[i] = audit.Event{Seq: ev.Seq, At: ev.At, Actor: ev.Actor, Action: ev.Action, Detail: ev.Detail}
	}
	return c.JSON(fiber.Map{"events": audit.Merge(limit, lives, others)})
}

// floorIdentity: GET /api/floor (participant) → who the token belongs to
// and the meeting, so that the participant page can join the live list.
func (h *Handler) floorIdentity(c *fiber.Ctx) error {
	r := actor(c).Registration
	return c.JSON(fiber.Map{
		"registration_id": r.ID, "name": r.Name, "organization": r.Organization.Name,
		"status": r.Status, "meeting": fiber.Map{"slug": r.Meeting.Slug, "title": r.Meeting.Title},
	})
}

// liveContext is the context of the work a websocket command does.
func liveContext() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), commandTimeout)
}
