package handlers

import (
	"bytes"
	"context"
	"html/template"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"

	"rostrum/models"
	"rostrum/registration"
	"rostrum/static"
	"rostrum/summary"
)

func pingDB(c *fiber.Ctx, h *Handler) error {
	ctx, cancel := context.WithTimeout(c.UserContext(), 2*time.Second)
	defer cancel()
	return h.Health(ctx)
}

// page serves one HTML page of static/pages. Pages are shells: their ES
// modules read the slug or token from the address and call the JSON API.
func page(name string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		b, err := static.FS.ReadFile("pages/" + name)
		if err != nil {
			return err
		}
		if len(c.Response().Header.Peek(fiber.HeaderCacheControl)) == 0 {
			c.Set(fiber.HeaderCacheControl, "no-cache")
		}
		c.Type("html", "utf-8")
		return c.Send(b)
	}
}

// favicon: GET /favicon.ico, Rostrum's icon (a lectern), which browsers
// fetch for every page whether or not the page names one.
func favicon(c *fiber.Ctx) error {
	b, err := static.FS.ReadFile("favicon.ico")
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "public, max-age=86400")
	c.Type("ico")
	return c.Send(b)
}

// registerTemplate is the registration form. The form posts itself when
// the browser runs no script, so its options and the meeting's privacy
// notice cannot wait for one: the server fills them in.
var registerTemplate = sync.OnceValues(func() (*template.Template, error) {
	return template.ParseFS(static.FS, "pages/register.tmpl")
})

// registerPage: GET /m/:slug/register. The form with the vocabulary's
// options and the meeting's privacy notice (its Markdown rendered by the
// summary's safe renderer: every character of the text is escaped, the
// only markup is the renderer's) and the notice's version, which the
// form sends back as the version agreed to. An unknown meeting gets the
// form without a notice; its script says the meeting does not exist.
func (h *Handler) registerPage(c *fiber.Ctx) error {
	t, err := registerTemplate()
	if err != nil {
		return err
	}
	data := map[string]any{
		"StakeholderTypes": models.StakeholderTypes,
		"Countries":        registration.Countries(),
		"ECOSOCStatuses":   models.ECOSOCStatusTerms,
		"ECOSOCDefault":    "none",
	}
	if m, err := h.Meetings.BySlug(c.UserContext(), c.Params("slug")); err == nil && m.PrivacyNotice != "" {
		data["Notice"] = template.HTML(summary.HTML(summary.Parse(m.PrivacyNotice)))
		data["NoticeVersion"] = m.PrivacyNoticeVersion
	}
	var buf bytes.Buffer
	if err := t.Execute(&buf, data); err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-cache")
	c.Type("html", "utf-8")
	return c.Send(buf.Bytes())
}
