package handlers

import (
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"rostrum/apperr"
	"rostrum/delegations"
	"rostrum/meetings"
	"rostrum/models"
	"rostrum/registration"
)

const focalPointKey = "focal_point"

// focalPoint returns the mission's focal point asking (set by identify
// from a focal-point link's token), or nil.
func focalPoint(c *fiber.Ctx) *delegations.FocalPoint {
	f, _ := c.Locals(focalPointKey).(*delegations.FocalPoint)
	return f
}

// mission lets through a request carrying a mission's focal-point token.
// A participant's token is not one: it gets 401 like no token.
func (h *Handler) mission(c *fiber.Ctx) error {
	if focalPoint(c) == nil {
		return apperr.Say(apperr.KindUnauthorized, "err.mission_token")
	}
	return c.Next()
}

// missionView is a mission as staff read it: the country by its name.
type missionView struct {
	Country     string `json:"country"`
	CountryName string `json:"country_name"`
	Kind        string `json:"kind"`
	Name        string `json:"name"`
	Email       string `json:"email"`
}

// importMissions: POST /api/missions (admin), a JSON array of missions or
// CSV (text/csv) with the same columns → {"imported": n}.
func (h *Handler) importMissions(c *fiber.Ctx) error {
	var in []delegations.MissionInput
	ct := strings.ToLower(c.Get(fiber.HeaderContentType))
	if strings.HasPrefix(ct, "text/csv") {
		var err error
		if in, err = delegations.ParseCSV(c.Body()); err != nil {
			return err
		}
	} else if err := decodeJSON(c, &in); err != nil {
		return err
	}
	n, err := h.Delegations.Import(c.UserContext(), in)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"imported": n})
}

// listMissions: GET /api/missions (staff) → the missions by country name.
func (h *Handler) listMissions(c *fiber.Ctx) error {
	ms, err := h.Delegations.Missions(c.UserContext())
	if err != nil {
		return err
	}
	out := make([]missionView, len(ms))
	for i, m := range ms {
		out[i] = missionView{Country: m.Country, CountryName: registration.CountryName(m.Country), Kind: m.Kind, Name: m.Name, Email: m.Email}
	}
	return c.JSON(out)
}

// inviteMissions: POST /api/meetings/:slug/missions/invite (admin) {} or
// {"countries":[…]} → 202 {"invited":[…]}.
func (h *Handler) inviteMissions(c *fiber.Ctx) error {
	var in struct {
		Countries []string `json:"countries"`
	}
	if len(c.Body()) > 0 {
		if err := decodeJSON(c, &in); err != nil {
			return err
		}
	}
	out, err := h.Delegations.Invite(c.UserContext(), c.Params("slug"), in.Countries)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusAccepted).JSON(fiber.Map{"invited": out})
}

// delegateView is a delegation member as their focal point sees them; the
// member's private link is theirs alone (mailed to them), never shown here.
type delegateView struct {
	ID        uint       `json:"id"`
	Name      string     `json:"name"`
	Email     string     `json:"email"`
	JobTitle  string     `json:"job_title"`
	Head      bool       `json:"head"`
	Status    string     `json:"status"`
	CreatedAt time.Time  `json:"created_at"`
	DecidedAt *time.Time `json:"decided_at,omitempty"`
}

func viewDelegate(r *models.Registration) delegateView {
	return delegateView{ID: r.ID, Name: r.Name, Email: r.Email, JobTitle: r.JobTitle, Head: r.HeadOfDelegation,
		Status: r.Status, CreatedAt: r.CreatedAt, DecidedAt: r.DecidedAt}
}

// delegationView is the focal point's page: the meeting, the State and
// its delegation.
type delegationView struct {
	Meeting struct {
		Slug             string    `json:"slug"`
		Title            string    `json:"title"`
		Venue            string    `json:"venue"`
		StartsAt         time.Time `json:"starts_at"`
		EndsAt           time.Time `json:"ends_at"`
		Timezone         string    `json:"timezone"`
		ZoneCity         string    `json:"zone_city"`
		MaxPerDelegation int       `json:"max_per_delegation"`
	} `json:"meeting"`
	State   string         `json:"state"`
	Kind    string         `json:"kind"`
	Mission string         `json:"mission"`
	Members []delegateView `json:"members"`
}

// listDelegates: GET /api/delegation/members (mission token) → the
// meeting, the State and its delegation.
func (h *Handler) listDelegates(c *fiber.Ctx) error {
	f := focalPoint(c)
	regs, err := h.Delegations.Members(c.UserContext(), f)
	if err != nil {
		return err
	}
	var v delegationView
	m := &f.Meeting
	v.Meeting.Slug, v.Meeting.Title, v.Meeting.Venue = m.Slug, m.Title, m.Venue
	v.Meeting.StartsAt, v.Meeting.EndsAt, v.Meeting.MaxPerDelegation = m.StartsAt, m.EndsAt, m.MaxPerDelegation
	v.Meeting.Timezone, v.Meeting.ZoneCity = m.Timezone, meetings.ZoneCity(m.Timezone)
	v.State, v.Kind, v.Mission = registration.CountryNameIn(language(c), f.Mission.Country), f.Mission.Kind, f.Mission.Name
	v.Members = make([]delegateView, len(regs))
	for i := range regs {
		v.Members[i] = viewDelegate(&regs[i])
	}
	return c.JSON(v)
}

// registerDelegate: POST /api/delegation/members (mission token)
// {"name","email","job_title","head"} → 201, the member, approved.
func (h *Handler) registerDelegate(c *fiber.Ctx) error {
	var in registration.DelegateInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	if in.Language == "" { // the focal point's page's language
		in.Language = language(c)
	}
	r, err := h.Delegations.Register(c.UserContext(), focalPoint(c), in)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(viewDelegate(r))
}

// withdrawDelegate: DELETE /api/delegation/members/:id (mission token) →
// the member, withdrawn.
func (h *Handler) withdrawDelegate(c *fiber.Ctx) error {
	id, err := c.ParamsInt("id")
	if err != nil || id <= 0 {
		return apperr.Say(apperr.KindNotFound, "err.no_member")
	}
	o, err := h.Delegations.Withdraw(c.UserContext(), focalPoint(c), uint(id))
	if err != nil {
		return err
	}
	return c.JSON(viewDelegate(&o.Registration))
}
