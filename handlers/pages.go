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

// registerPageHTML is the registration form with its options filled in
// from the vocabulary. The form posts itself when the browser runs no
// script, so its options cannot wait for one; they change only with the
// program, so the page is rendered once.
var registerPageHTML = sync.OnceValues(func() ([]byte, error) {
	t, err := template.ParseFS(static.FS, "pages/register.tmpl")
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	err = t.Execute(&buf, map[string]any{
		"StakeholderTypes": models.StakeholderTypes,
		"Countries":        registration.Countries(),
		"ECOSOCStatuses":   models.ECOSOCStatusTerms,
		"ECOSOCDefault":    "none",
	})
	return buf.Bytes(), err
})

// registerPage: GET /m/:slug/register. Like the other pages a shell; its
// module reads the slug from the address.
func registerPage(c *fiber.Ctx) error {
	b, err := registerPageHTML()
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-cache")
	c.Type("html", "utf-8")
	return c.Send(b)
}
