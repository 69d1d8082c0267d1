package handlers

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"rostrum/delegations"
	"rostrum/meetings"
	"rostrum/registration"
)

// noticeHolder returns the focal point whose mission was mailed the
// notice link with token, or nil: that link acts for the mission's
// delegation to the meeting as its invitation's link does.
func (h *Handler) noticeHolder(c *fiber.Ctx, token string) (*delegations.FocalPoint, error) {
	holder, err := h.Accreditation.ByToken(c.UserContext(), token)
	if err != nil || holder == nil {
		return nil, err
	}
	return h.Delegations.FocalPointOf(c.UserContext(), holder.MeetingID, holder.MissionID)
}

// noticeInput is the body of POST /api/meetings/:slug/non-objection.
type noticeInput struct {
	OrganizationIDs []uint `json:"organization_ids"`
	// Deadline is RFC 3339, or a wall-clock time in the meeting's zone.
	Deadline string `json:"deadline"`
}

// createNotice: POST /api/meetings/:slug/non-objection (admin)
// {"organization_ids","deadline"} → 201 {"id","organizations","deadline","missions"}:
// the organizations are circulated to every mission invited to the
// meeting. 422 ecosoc_track for an organization on the ECOSOC list.
func (h *Handler) createNotice(c *fiber.Ctx) error {
	var in noticeInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	n, err := h.Accreditation.Create(c.UserContext(), c.Params("slug"), in.OrganizationIDs, in.Deadline)
	if err != nil {
		return err
	}
	h.Log.Info("non-objection notice circulated", "meeting", c.Params("slug"), "notice", n.ID,
		"organizations", len(n.Organizations), "missions", n.Missions, "by", actor(c).Label())
	return c.Status(fiber.StatusCreated).JSON(n)
}

// listNotices: GET /api/meetings/:slug/non-objection (admin) → {"notices":
// […]}, newest first, each with its state, counts and objections.
func (h *Handler) listNotices(c *fiber.Ctx) error {
	m, err := h.meeting(c)
	if err != nil {
		return err
	}
	ns, err := h.Accreditation.Notices(c.UserContext(), m.ID)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"notices": ns, "timezone": m.Timezone, "zone_city": meetings.ZoneCity(m.Timezone)})
}

// getNotice: GET /api/meetings/:slug/non-objection/:id (admin) → the
// notice: state, counts, organizations and objections (with the States
// that raised them: the secretariat's alone).
func (h *Handler) getNotice(c *fiber.Ctx) error {
	m, err := h.meeting(c)
	if err != nil {
		return err
	}
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	n, err := h.Accreditation.Notice(c.UserContext(), m.ID, id)
	if err != nil {
		return err
	}
	return c.JSON(n)
}

// missionNotices: GET /api/non-objection (mission token) → {"notices":
// […]} of the focal point's meeting, each with the organizations and the
// mission's own objections only.
func (h *Handler) missionNotices(c *fiber.Ctx) error {
	f := focalPoint(c)
	ns, err := h.Accreditation.ForMission(c.UserContext(), f.Meeting.ID, f.Mission.ID)
	if err != nil {
		return err
	}
	// Countries are named in the page's language (it asks in Accept-Language).
	lang := language(c)
	for i := range ns {
		for j := range ns[i].Organizations {
			o := &ns[i].Organizations[j]
			o.CountryName = registration.CountryNameIn(lang, o.Country)
		}
	}
	return c.JSON(fiber.Map{"notices": ns, "state": registration.CountryNameIn(lang, f.Mission.Country), "meeting": fiber.Map{
		"slug": f.Meeting.Slug, "title": f.Meeting.Title, "timezone": f.Meeting.Timezone, "zone_city": meetings.ZoneCity(f.Meeting.Timezone)}})
}

type objectionInput struct {
	OrganizationID uint   `json:"organization_id"`
	Reason         string `json:"reason"`
}

// object: POST /api/non-objection/:id/objections (mission token)
// {"organization_id","reason"} → 201 the objection; 409 deadline_passed
// once the deadline has passed.
func (h *Handler) object(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	var in objectionInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	f := focalPoint(c)
	o, err := h.Accreditation.Object(c.UserContext(), f.Meeting.ID, f.Mission.ID, id, in.OrganizationID, in.Reason)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(fiber.Map{"id": o.ID, "notice_id": o.NoticeID,
		"organization_id": o.OrganizationID, "reason": o.Reason, "at": o.CreatedAt.UTC().Format(time.RFC3339)})
}
