package handlers

import (
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"rostrum/apperr"
	"rostrum/auth"
	"rostrum/delegations"
	"rostrum/locale"
	"rostrum/models"
	"rostrum/safely"
)

// SessionCookie is the name of the staff session cookie.
const SessionCookie = "rostrum_session"

const actorKey = "actor"

// identify works out who is asking: a staff session (cookie), a
// participant (Authorization: Bearer <token>, or ?token= on websocket
// upgrades, which cannot carry headers from a browser), or nobody.
func (h *Handler) identify(c *fiber.Ctx) error {
	var a auth.Actor
	// An explicit participant token wins over a staff cookie: a participant
	// link opened in a browser where someone is logged in as staff must act
	// as that participant, not as the staff member.
	tok := bearer(c)
	if tok == "" && strings.HasPrefix(c.Path(), "/ws/") {
		tok = c.Query("token")
	}
	switch {
	case tok != "":
		reg, err := h.Registrations.ByToken(c.UserContext(), tok)
		if err != nil {
			return err
		}
		if reg == nil {
			// Not a participant's: a mission's focal-point link, perhaps,
			// which acts on its delegation's routes only (the websocket
			// is for viewers and speakers).
			var f *delegations.FocalPoint
			if !strings.HasPrefix(c.Path(), "/ws/") {
				if f, err = h.Delegations.ByToken(c.UserContext(), tok); err != nil {
					return err
				}
				if f == nil { // the link of a non-objection notice, mailed to the mission
					if f, err = h.noticeHolder(c, tok); err != nil {
						return err
					}
				}
			}
			if f == nil {
				return apperr.Say(apperr.KindUnauthorized, "err.link_invalid")
			}
			c.Locals(focalPointKey, f)
			break
		}
		a.Registration = reg
	case c.Cookies(SessionCookie) != "":
		sess, err := h.Auth.Session(c.UserContext(), c.Cookies(SessionCookie))
		if err != nil {
			return err
		}
		if sess != nil {
			u := sess.User
			a.User = &u
			a.CSRFToken = sess.CSRFToken
			a.SessionHash = sess.TokenHash
		}
	}
	c.Locals(actorKey, a)
	return c.Next()
}

func bearer(c *fiber.Ctx) string {
	h := c.Get(fiber.HeaderAuthorization)
	if len(h) > 7 && strings.EqualFold(h[:7], "bearer ") {
		return strings.TrimSpace(h[7:])
	}
	return ""
}

// actor returns who is asking (set by identify).
func actor(c *fiber.Ctx) auth.Actor {
	a, _ := c.Locals(actorKey).(auth.Actor)
	return a
}

// safeMethod reports whether the request cannot change state.
func safeMethod(c *fiber.Ctx) bool {
	switch c.Method() {
	case fiber.MethodGet, fiber.MethodHead, fiber.MethodOptions:
		return true
	}
	return false
}

// checkCSRF refuses a state-changing staff request whose X-CSRF-Token
// header does not match its session's token.
func checkCSRF(c *fiber.Ctx, a auth.Actor) error {
	if safeMethod(c) {
		return nil
	}
	if got := c.Get("X-CSRF-Token"); got == "" || !auth.EqualTokens(got, a.CSRFToken) {
		return apperr.Say(apperr.KindForbidden, "err.api.csrf")
	}
	return nil
}

// staff lets through staff with one of roles (any staff when none are
// given), checking CSRF on state-changing requests.
func (h *Handler) staff(roles ...string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		a := actor(c)
		if a.User == nil {
			return apperr.Say(apperr.KindUnauthorized, "err.api.log_in")
		}
		if err := checkCSRF(c, a); err != nil {
			return err
		}
		if !a.IsStaff(roles...) {
			return apperr.Say(apperr.KindForbidden, "err.api.needs_role", "Roles", roleList(roles))
		}
		return c.Next()
	}
}

// participant lets through a request carrying a participant's token.
func (h *Handler) participant(c *fiber.Ctx) error {
	if actor(c).Registration == nil {
		return apperr.Say(apperr.KindUnauthorized, "err.participant_token")
	}
	return c.Next()
}

// loginAttempts failed logins from one client address within loginWindow
// are allowed; further attempts get 429 until the window passes.
const (
	loginAttempts = 10
	loginWindow   = 15 * time.Minute
)

// loginThrottle refuses logins from an address after too many failures
// (successful logins do not count), answering 429 with Retry-After.
func (h *Handler) loginThrottle() fiber.Handler {
	return h.throttled(throttle{name: "login", max: loginAttempts, window: loginWindow, skipSuccess: true,
		refuse: func(string) error {
			return apperr.Say(apperr.KindRateLimited, "err.api.login_attempts")
		}})
}

// answerNow turns an error of the handlers after it into its HTTP answer
// at once instead of on the way out, so that the middlewares before it
// (loginThrottle's limiter, which decides whether a request failed by its
// status) see the real status rather than the 200 a returned error leaves
// until ErrorHandler runs.
func answerNow(c *fiber.Ctx) error {
	if err := c.Next(); err != nil {
		return c.App().Config().ErrorHandler(c, err)
	}
	return nil
}

type loginInput struct {
	Email    string `json:"email"`
	Password string `json:"password"`
}

type userView struct {
	ID    uint   `json:"id"`
	Email string `json:"email"`
	Name  string `json:"name"`
	Role  string `json:"role"`
}

func viewUser(u *models.User) userView {
	return userView{ID: u.ID, Email: u.Email, Name: u.Name, Role: u.Role}
}

// listUsers: GET /api/users (admin) → {"users":[{id, email, name, role,
// disabled, created_at}]}.
func (h *Handler) listUsers(c *fiber.Ctx) error {
	us, err := h.Auth.Users(c.UserContext())
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"users": us})
}

// changeUser: PATCH /api/users/:id {"role","disabled"} (admin). A
// disabled account's sessions end at once, and so do its live sockets.
func (h *Handler) changeUser(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	var in auth.UserChange
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	u, err := h.Auth.ChangeUser(c.UserContext(), id, in)
	if err != nil {
		return err
	}
	safely.Go(h.Log, "live: close the sockets of a changed account", h.Hub.RecheckStaff)
	return c.JSON(u)
}

// login: POST /api/login {"email","password"} → {"csrf_token","user"}.
func (h *Handler) login(c *fiber.Ctx) error {
	var in loginInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	token, sess, err := h.Auth.Login(c.UserContext(), in.Email, in.Password)
	if err != nil {
		return err
	}
	c.Cookie(&fiber.Cookie{
		Name: SessionCookie, Value: token, Path: "/", HTTPOnly: true,
		Secure: h.Opts.SecureCookies, SameSite: fiber.CookieSameSiteLaxMode,
		Expires: sess.ExpiresAt,
	})
	return c.JSON(fiber.Map{"csrf_token": sess.CSRFToken, "user": viewUser(&sess.User)})
}

// logout: POST /api/logout ends the staff session.
func (h *Handler) logout(c *fiber.Ctx) error {
	if err := h.Auth.Logout(c.UserContext(), c.Cookies(SessionCookie)); err != nil {
		return err
	}
	// The session's live sockets on this instance close now; on other
	// instances at their next ping.
	safely.Go(h.Log, "live: close the sockets of a logout", h.Hub.RecheckStaff)
	c.Cookie(&fiber.Cookie{Name: SessionCookie, Value: "", Path: "/", HTTPOnly: true,
		Expires: time.Unix(0, 0), SameSite: fiber.CookieSameSiteLaxMode})
	return c.SendStatus(fiber.StatusNoContent)
}

// me: GET /api/me returns the logged-in staff user and the CSRF token, so
// that a page reloaded after login can carry on.
func (h *Handler) me(c *fiber.Ctx) error {
	a := actor(c)
	if a.User == nil {
		return apperr.Say(apperr.KindUnauthorized, "err.api.not_logged_in")
	}
	return c.JSON(fiber.Map{"csrf_token": a.CSRFToken, "user": viewUser(a.User)})
}

// createUser: POST /api/users (admin).
func (h *Handler) createUser(c *fiber.Ctx) error {
	var in auth.NewUserInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	u, err := h.Auth.CreateUser(c.UserContext(), in)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(viewUser(u))
}

// roleList is the roles a route needs, as an argument of a message: each
// language joins them with its own "or".
type roleList []string

func (r roleList) In(lang string) string {
	if len(r) == 0 {
		return ""
	}
	s := r[0]
	for _, role := range r[1:] {
		s = locale.T(lang, "err.api.or", "A", s, "B", role)
	}
	return s
}
