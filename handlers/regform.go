package handlers

import (
	"net/url"
	"sort"
	"strings"

	"github.com/gofiber/fiber/v2"

	"rostrum/apperr"
	"rostrum/locale"
)

// formFields names the API's field keys by the catalogue's labels of
// the form, in the form's order.
var formFields = []registeredField{
	{"organization.name", "field.org_name"}, {"organization.acronym", "field.acronym"},
	{"organization.type", "field.type"}, {"organization.country", "field.country"},
	{"organization.website", "field.website"}, {"organization.ecosoc_status", "field.ecosoc"},
	{"organization.description", "field.org_description"},
	{"name", "field.name"}, {"email", "field.email"}, {"job_title", "field.job_title"}, {"consent", "field.consent"}, {"consent_version", "field.consent_version"},
	{"language", "field.language"},
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
// instead). It answers an HTML page in the form's language: 201 with the
// manage link, or the error's status with the messages.
func (h *Handler) registerForm(c *fiber.Ctx) error {
	slug := c.Params("slug")
	lang, ok := locale.Parse(c.FormValue("language"))
	if !ok {
		lang = language(c)
	}
	p := newPage(c, lang)
	p.Title = p.T("registered.correct")
	if m, err := h.meeting(c); err == nil {
		p.withMeeting(m, "register")
	}
	data := registeredData{FormURL: "/m/" + url.PathEscape(slug) + "/register"}
	status := fiber.StatusCreated
	var err error
	if len(c.Body()) > maxRegistrationBody {
		err = apperr.Say(apperr.KindTooLarge, "err.registration_too_large", "KiB", maxRegistrationBody>>10)
	} else if !isForm(c) {
		err = apperr.Say(apperr.KindBadRequest, "err.html_form")
	} else if reg, rerr := h.Registrations.Register(c.UserContext(), slug, registrationFromForm(c, lang)); rerr != nil {
		err = rerr
	} else {
		data.Status, data.ManageURL = reg.Status, h.Registrations.ManageURL(reg.Token)
		p.Title = p.T("registered.received")
	}
	if err != nil {
		var body ErrorBody
		status, body = StatusIn(err, lang)
		if status >= 500 {
			return err
		}
		data.Error = body.Error
		data.Fields = fieldErrors(p, body.Fields)
	}
	p.Data = data
	c.Set(fiber.HeaderCacheControl, "no-store")
	return render(c, status, "registered.tmpl", p)
}

// fieldErrors lists field errors in the form's order, then any other
// field the server named.
func fieldErrors(p *pageData, fields map[string]string) []registeredError {
	var out []registeredError
	known := map[string]bool{}
	for _, f := range formFields {
		known[f.Key] = true
		if msg, ok := fields[f.Key]; ok {
			out = append(out, registeredError{p.T(f.Label), msg})
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
