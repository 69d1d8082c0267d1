package handlers

import (
	"fmt"
	"html/template"
	"net/url"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"rostrum/apperr"
	"rostrum/locale"
)

// langCookie keeps the language a reader chose with the switch every
// public page shows.
const langCookie = "rostrum_lang"

// language is the reader's language: ?lang=, then the stored choice, then
// Accept-Language (locale.Choose). A ?lang= naming a language Rostrum
// speaks is stored, so that the next page keeps it.
func language(c *fiber.Ctx) string {
	q := c.Query("lang")
	code := locale.Choose(q, c.Cookies(langCookie), c.Get(fiber.HeaderAcceptLanguage))
	if chosen, ok := locale.Parse(q); ok && chosen != c.Cookies(langCookie) {
		c.Cookie(&fiber.Cookie{
			Name: langCookie, Value: chosen, Path: "/", SameSite: fiber.CookieSameSiteLaxMode,
			Expires: time.Now().Add(365 * 24 * time.Hour), Secure: c.Protocol() == "https",
		})
	}
	c.Vary(fiber.HeaderCookie, fiber.HeaderAcceptLanguage)
	return code
}

// catalogue: GET /i18n/:lang.json, public: a language's message
// catalogue, the one the pages embed, for a script that wants another.
func (h *Handler) catalogue(c *fiber.Ctx) error {
	code := c.Params("lang")
	if !locale.Supported(code) {
		return apperr.Say(apperr.KindNotFound, "err.api.no_catalogue", "Code", strconv.Quote(code), "Codes", fmt.Sprint(locale.Codes))
	}
	return sendCatalogue(c, locale.Catalogue(code))
}

// staffCatalogue: GET /i18n/staff/:lang.json, public: what a staff page
// in that language reads (both sets of messages; English for a language
// the staff's set lacks), as the staff's pages embed it.
func (h *Handler) staffCatalogue(c *fiber.Ctx) error {
	code := c.Params("lang")
	if !locale.IsStaff(code) {
		return apperr.Say(apperr.KindNotFound, "err.api.no_staff_catalogue", "Code", strconv.Quote(code), "Codes", fmt.Sprint(locale.StaffCodes))
	}
	return sendCatalogue(c, locale.StaffCatalogue(code))
}

// sendCatalogue answers a catalogue's JSON, cacheable: it changes only
// with the program.
func sendCatalogue(c *fiber.Ctx, b []byte) error {
	c.Set(fiber.HeaderCacheControl, "public, max-age=3600")
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSONCharsetUTF8)
	return c.Send(b)
}

// pageData is what every server-rendered page knows: its language and
// direction, its title, the language switch, the meeting it is about (if
// any) with its pages, and the catalogue its scripts read.
type pageData struct {
	Lang, Dir string
	Title     string
	Languages []langLink
	Meeting   *pageMeeting
	Nav       []navLink
	Catalogue template.JS
	Data      any
}

type langLink struct {
	Code, Name, Href string
	Current          bool
}

type navLink struct {
	Href, Label string
	Current     bool
}

// pageMeeting is the meeting a page is about, as its header names it.
type pageMeeting struct {
	Slug, Title, Dates, Venue string
	Language, Dir             string
}

// T is message id in the page's language (for templates: {{.T "id"}}).
func (p *pageData) T(id string, args ...any) string { return locale.T(p.Lang, id, args...) }

// N is plural message id for n in the page's language.
func (p *pageData) N(id string, n int, args ...any) string { return locale.N(p.Lang, id, n, args...) }

// newPage starts the data of a page at the request's path in the
// reader's language.
func newPage(c *fiber.Ctx, lang string) *pageData {
	return pageIn(c, lang, locale.Codes, locale.Catalogue(lang))
}

// newStaffPage starts the data of a staff page: in the reader's language
// when the staff's catalogues have it (English otherwise), its switch
// offering those languages, its scripts reading both sets of messages.
func newStaffPage(c *fiber.Ctx) *pageData {
	lang := locale.ForStaff(language(c))
	return pageIn(c, lang, locale.StaffCodes, locale.StaffCatalogue(lang))
}

func pageIn(c *fiber.Ctx, lang string, codes []string, catalogue []byte) *pageData {
	p := &pageData{Lang: lang, Dir: locale.Dir(lang), Catalogue: template.JS(catalogue)}
	path := c.Path()
	for _, code := range codes {
		p.Languages = append(p.Languages, langLink{
			Code: code, Name: locale.Names[code], Current: code == lang,
			Href: path + "?lang=" + url.QueryEscape(code),
		})
	}
	return p
}

// formPart is the data of fields a page shows in two forms (the
// secretariat's meeting fields, in the form that creates a meeting and the
// one that edits it): the page, the prefix of the copy's element ids, and
// whether the form edits what exists.
type formPart struct {
	*pageData
	ID   string
	Edit bool
}

// FormPart is page p's data for one copy of such fields:
// {{template "meeting-fields" .FormPart "e" true}}.
func (p *pageData) FormPart(id string, edit bool) formPart { return formPart{p, id, edit} }
