package handlers

import (
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"rostrum/apperr"
	"rostrum/door"
	"rostrum/models"
)

// The door: check-in of approved participants by their QR code or by
// name, attendance, and the release of the seats of those who did not
// come.

type checkinInput struct {
	Code           string `json:"code"`
	RegistrationID uint   `json:"registration_id"`
}

// doorCounts is the meeting's count at the door after a check-in.
type doorCounts struct {
	CheckedIn int `json:"checked_in"`
	Approved  int `json:"approved"`
}

type checkinView struct {
	Registration registrationView `json:"registration"`
	First        bool             `json:"first"`
	Counts       doorCounts       `json:"counts"`
}

// checkIn: POST /api/meetings/:slug/checkins {"code"} or
// {"registration_id"} (registrar, admin) → 201 {"registration","first":true,
// "counts"} the first time, 200 with "first":false and the first time
// after.
func (h *Handler) checkIn(c *fiber.Ctx) error {
	m, err := h.meeting(c)
	if err != nil {
		return err
	}
	var in checkinInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	ci, err := h.Registrations.CheckInAt(c.UserContext(), actor(c), m.ID, in.Code, in.RegistrationID)
	if err != nil {
		return err
	}
	if ci.First {
		c.Status(fiber.StatusCreated)
	}
	return c.JSON(checkinView{Registration: viewRegistration(&ci.Registration), First: ci.First,
		Counts: doorCounts{CheckedIn: ci.CheckedIn, Approved: ci.Approved}})
}

// undoCheckIn: DELETE /api/meetings/:slug/checkins/:id (registrar, admin)
// → the registration, no longer checked in; 409 not_checked_in.
func (h *Handler) undoCheckIn(c *fiber.Ctx) error {
	m, err := h.meeting(c)
	if err != nil {
		return err
	}
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	ci, err := h.Registrations.UndoCheckIn(c.UserContext(), actor(c), m.ID, id)
	if err != nil {
		return err
	}
	return c.JSON(checkinView{Registration: viewRegistration(&ci.Registration),
		Counts: doorCounts{CheckedIn: ci.CheckedIn, Approved: ci.Approved}})
}

type attendeeView struct {
	ID           uint      `json:"id"`
	Name         string    `json:"name"`
	JobTitle     string    `json:"job_title"`
	Organization string    `json:"organization"`
	Category     string    `json:"category"`
	CheckedInAt  time.Time `json:"checked_in_at"`
	CheckedInBy  string    `json:"checked_in_by"`
}

// attendance: GET /api/meetings/:slug/attendance (staff) →
// {"checked_in","approved","by_category":{key:{"approved","checked_in"}},
// "attended":[…]}, the attended by category in the UN's order, then
// organization and name.
func (h *Handler) attendance(c *fiber.Ctx) error {
	m, err := h.meeting(c)
	if err != nil {
		return err
	}
	a, err := h.Registrations.AttendanceOf(c.UserContext(), m.ID)
	if err != nil {
		return err
	}
	who := make([]attendeeView, 0, len(a.Attended))
	for _, r := range a.Attended {
		who = append(who, attendeeView{ID: r.ID, Name: r.Name, JobTitle: r.JobTitle, Organization: r.Organization.Name,
			Category: r.Organization.Type, CheckedInAt: *r.CheckedInAt, CheckedInBy: r.CheckedInBy})
	}
	return c.JSON(fiber.Map{"checked_in": a.CheckedIn, "approved": a.Approved, "by_category": a.ByCategory, "attended": who})
}

type releaseInput struct {
	Before string `json:"before"`
}

// releaseNoShows: POST /api/meetings/:slug/release-no-shows {"before"}
// (admin) → {"released":[{"id","name"}],"promoted":[ids]}.
func (h *Handler) releaseNoShows(c *fiber.Ctx) error {
	m, err := h.meeting(c)
	if err != nil {
		return err
	}
	var in releaseInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	before, err := time.Parse(time.RFC3339, in.Before)
	if err != nil {
		return apperr.Say(apperr.KindInvalid, "err.door.before_time").WithField("before", "err.door.before_example")
	}
	outs, err := h.Registrations.ReleaseNoShows(c.UserContext(), actor(c), m.ID, before)
	if err != nil {
		return err
	}
	type released struct {
		ID   uint   `json:"id"`
		Name string `json:"name"`
	}
	res := struct {
		Released []released `json:"released"`
		Promoted []uint     `json:"promoted"`
	}{Released: []released{}, Promoted: []uint{}}
	for _, o := range outs {
		res.Released = append(res.Released, released{o.Registration.ID, o.Registration.Name})
		for _, p := range o.Promoted {
			res.Promoted = append(res.Promoted, p.ID)
		}
	}
	return c.JSON(res)
}

// badges: GET /api/meetings/:slug/badges.pdf?ids=1,2,3 or ?status=approved
// (every approved registration; the default), &format=a4|a6 (registrar,
// admin) → a PDF of badges.
func (h *Handler) badges(c *fiber.Ctx) error {
	m, err := h.meeting(c)
	if err != nil {
		return err
	}
	var ids []uint
	if s := strings.TrimSpace(c.Query("ids")); s != "" {
		for _, part := range strings.Split(s, ",") {
			n, err := strconv.ParseUint(strings.TrimSpace(part), 10, 32)
			if err != nil || n == 0 {
				return apperr.Say(apperr.KindInvalid, "err.door.ids").WithField("ids", "err.door.ids_example")
			}
			ids = append(ids, uint(n))
		}
	} else if st := c.Query("status", models.StatusApproved); st != models.StatusApproved {
		return apperr.Say(apperr.KindInvalid, "err.door.badges_approved").WithField("status", "err.door.badges_status")
	}
	pdf, err := h.Door.Badges(c.UserContext(), m, ids, c.Query("format", door.FormatSheet))
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "application/pdf")
	c.Set(fiber.HeaderContentDisposition, `inline; filename="`+m.Slug+`-badges.pdf"`)
	return c.Send(pdf)
}

// unlessPublic lets a request with ?public=1 through to a handler that
// serves the public version itself, and asks the others of mw.
func unlessPublic(mw fiber.Handler) fiber.Handler {
	return func(c *fiber.Ctx) error {
		if c.Query("public") == "1" {
			return c.Next()
		}
		return mw(c)
	}
}

// participantsList: GET /api/meetings/:slug/participants.pdf|.docx (staff)
// → the list of participants with names and titles; with ?public=1
// (anyone, once the meeting has started) the States and organizations
// only.
func (h *Handler) participantsList(c *fiber.Ctx) error {
	m, err := h.meeting(c)
	if err != nil {
		return err
	}
	format := c.Params("format")
	public := c.Query("public") == "1"
	b, err := h.Door.List(c.UserContext(), m, format, public, time.Now())
	if err != nil {
		return err
	}
	name := m.Slug + "-participants"
	if public {
		name += "-public"
	}
	c.Set(fiber.HeaderContentType, door.ListFormats[format])
	c.Set(fiber.HeaderContentDisposition, `inline; filename="`+name+"."+format+`"`)
	return c.Send(b)
}
