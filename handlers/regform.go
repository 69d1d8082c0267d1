package handlers

import (
	"bytes"
	"html/template"
	"sort"
	"strings"

	"github.com/gofiber/fiber/v2"

	"rostrum/apperr"
	"rostrum/static"
)

// registeredPage is the answer to the registration form posted without
// JavaScript: the manage link after success, or the field errors.
var registeredPage = template.Must(template.ParseFS(static.FS, "pages/registered.tmpl"))

// formFields names the API's field keys as the form labels them, in the
// form's order.
var formFields = []registeredField{
	{"organization.name", "Organization name"}, {"organization.acronym", "Acronym"},
	{"organization.type", "Stakeholder type"}, {"organization.country", "Country of headquarters"},
	{"organization.website", "Website"}, {"organization.ecosoc_status", "ECOSOC consultative status"},
	{"organization.description", "Short description of the organization"},
	{"name", "Full name"}, {"email", "Email"}, {"job_title", "Job title"}, {"consent", "Privacy consent"}, {"consent_version", "Privacy notice"},
}

type registeredData struct {
	Status, ManageURL string
	Meeting           string // the meeting's title, so the answer says what one registered for
	Error, FormURL    string
	Fields            []registeredError
}

type registeredField struct{ Key, Label string }

type registeredError struct{ Label, Message string }

// registerForm: POST /m/:slug/register, the registration form posted by a
// browser without JavaScript (the page's script posts JSON to the API
// instead). It answers an HTML page: 201 with the manage link, or the
// error's status with the messages.
func (h *Handler) registerForm(c *fiber.Ctx) error {
	slug := c.Params("slug")
	data := registeredData{FormURL: "/m/" + slug + "/register"}
	if m, err := h.meeting(c); err == nil {
		data.Meeting = m.Title
	}
	status := fiber.StatusCreated
	var err error
	if len(c.Body()) > maxRegistrationBody {
		err = apperr.TooLarge("a registration must be smaller than %d KiB", maxRegistrationBody>>10)
	} else if !isForm(c) {
		err = apperr.BadRequest("send the registration form as an HTML form")
	} else if reg, rerr := h.Registrations.Register(c.UserContext(), slug, registrationFromForm(c)); rerr != nil {
		err = rerr
	} else {
		data.Status, data.ManageURL = reg.Status, h.Registrations.ManageURL(reg.Token)
	}
	if err != nil {
		var body ErrorBody
		status, body = Status(err)
		if status >= 500 {
			return err
		}
		data.Error = body.Error
		data.Fields = fieldErrors(body.Fields)
	}
	var buf bytes.Buffer
	if err := registeredPage.Execute(&buf, data); err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Type("html", "utf-8")
	return c.Status(status).Send(buf.Bytes())
}

// fieldErrors lists field errors in the form's order, then any other
// field the server named.
func fieldErrors(fields map[string]string) []registeredError {
	var out []registeredError
	known := map[string]bool{}
	for _, f := range formFields {
		known[f.Key] = true
		if msg, ok := fields[f.Key]; ok {
			out = append(out, registeredError{f.Label, msg})
		}
	}
	var rest []string
	for key := range fields {
		if !known[key] {
			rest = append(rest, key)
		}
	}
	sort.Strings(rest)
	for _, key := range rest {
		out = append(out, registeredError{strings.ReplaceAll(key, "_", " "), fields[key]})
	}
	return out
}
