package handlers

import (
	"context"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/filesystem"

	"rostrum/static"
	"rostrum/store"
)

func pingDB(c *fiber.Ctx, h *Handler) error {
	ctx, cancel := context.WithTimeout(c.UserContext(), 2*time.Second)
	defer cancel()
	return store.Ping(ctx, h.DB)
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

// pageRoutes registers the pages and the static assets.
func (h *Handler) pageRoutes(app *fiber.App) {
	app.Get("/", page("index.html"))
	app.Get("/admin", page("admin.html"))
	app.Get("/m/:slug/register", page("register.html"))
	app.Post("/m/:slug/register", h.registrationThrottle(), h.registerForm) // the form without JavaScript
	app.Get("/r/:token", noStore, page("participant.html"))                 // its address is the participant's key
	app.Get("/m/:slug/link", page("link.html"))                             // lost your link?
	app.Get("/m/:slug/console", page("console.html"))
	app.Get("/m/:slug/screen", page("screen.html"))
	app.Get("/m/:slug/notes", page("notes.html"))
	app.Get("/m/:slug/summary", page("summary.html"))
	app.Use("/static", filesystem.New(filesystem.Config{
		Root:   static.HTTP(),
		MaxAge: 3600,
	}))
}
