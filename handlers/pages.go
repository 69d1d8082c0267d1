package handlers

import (
	"bytes"
	"context"
	"html/template"
	"net/url"
	"strconv"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"

	"rostrum/apperr"
	"rostrum/locale"
	"rostrum/meetings"
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

// page serves one HTML page of static/pages as it is: the staff's pages,
// shells whose ES modules read the slug from the address and call the
// JSON API (English only for now).
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

// pageTemplates are the pages rendered on the server, each parsed with
// the parts they share (pages/layout.tmpl), once.
var (
	pageTemplatesMu sync.Mutex
	pageTemplates   = map[string]*template.Template{}
)

func pageTemplate(name string) (*template.Template, error) {
	pageTemplatesMu.Lock()
	defer pageTemplatesMu.Unlock()
	if t, ok := pageTemplates[name]; ok {
		return t, nil
	}
	t, err := template.ParseFS(static.FS, "pages/layout.tmpl", "pages/"+name)
	if err != nil {
		return nil, err
	}
	pageTemplates[name] = t
	return t, nil
}

// render writes page name with p, with status.
func render(c *fiber.Ctx, status int, name string, p *pageData) error {
	t, err := pageTemplate(name)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, name, p); err != nil {
		return err
	}
	if len(c.Response().Header.Peek(fiber.HeaderCacheControl)) == 0 {
		c.Set(fiber.HeaderCacheControl, "no-cache")
	}
	c.Type("html", "utf-8")
	return c.Status(status).Send(buf.Bytes())
}

// localized serves page name in the reader's language with nothing but
// its words: the participant's and the focal point's pages, whose
// scripts read the token from the address.
func localized(name, title string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		p := newPage(c, language(c))
		p.Title = p.T(title)
		return render(c, fiber.StatusOK, name, p)
	}
}

// staffPage serves staff page name in the reader's language among the
// staff's (English, French, Spanish), its scripts reading both sets of
// messages: the pages of the secretariat, moderators, rapporteurs and
// registrars, shells whose scripts log in and call the API.
func staffPage(name, title string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		p := newStaffPage(c)
		p.Title = p.T(title)
		return render(c, fiber.StatusOK, name, p)
	}
}

// withMeeting names meeting m in the page's header, with its public
// pages; current is the one the reader is on.
func (p *pageData) withMeeting(m *models.Meeting, current string) {
	lang := m.Language
	if !locale.Supported(lang) {
		lang = locale.Default
	}
	p.Meeting = &pageMeeting{
		Slug: m.Slug, Title: m.Title, Dates: meetings.DatesIn(p.Lang, m), Venue: m.Venue,
		Language: lang, Dir: locale.Dir(lang),
	}
	base := "/m/" + url.PathEscape(m.Slug) + "/"
	for _, l := range [][2]string{
		{"register", "nav.register"}, {"programme", "nav.programme"}, {"organizations", "nav.organizations"},
		{"summary", "nav.summary"}, {"screen", "nav.screen"},
	} {
		p.Nav = append(p.Nav, navLink{Href: base + l[0], Label: p.T(l[1]), Current: l[0] == current})
	}
}

// meetingPage finds the meeting of a page's address; when there is none
// it answers the page that says so (404) and returns nil.
func (h *Handler) meetingPage(c *fiber.Ctx, p *pageData) (*models.Meeting, error) {
	m, err := h.meeting(c)
	if err == nil {
		return m, nil
	}
	if !apperr.Is(err, apperr.KindNotFound) {
		return nil, err
	}
	p.Title = p.T("error.no_meeting")
	return nil, render(c, fiber.StatusNotFound, "notfound.html", p)
}

// meetingCard is a meeting as the home page lists it.
type meetingCard struct {
	ID                        uint
	Slug, Title               string
	Dates, Venue, Closes      string
	Open                      bool
	Register, Screen, Summary string
	Calendar                  string
	// Process is the page of the process the meeting belongs to (""
	// for none); Participants the public list of participants, once the
	// meeting has started.
	Process, Participants string
}

// homePage: GET /, the meetings open for registration, in the reader's
// language.
func (h *Handler) homePage(c *fiber.Ctx) error {
	p := newPage(c, language(c))
	p.Title = p.T("home.title")
	ms, err := h.Meetings.List(c.UserContext(), true)
	if err != nil {
		return err
	}
	processes, err := h.Meetings.ProcessSlugs(c.UserContext())
	if err != nil {
		return err
	}
	now := time.Now()
	cards := make([]meetingCard, len(ms))
	for i := range ms {
		m := &ms[i]
		base := "/m/" + url.PathEscape(m.Slug)
		cards[i] = meetingCard{
			ID: m.ID, Slug: m.Slug, Title: m.Title, Venue: m.Venue,
			Dates: meetings.DatesIn(p.Lang, m), Open: now.Before(m.RegistrationClosesAt),
			Closes:   meetings.TimeIn(p.Lang, m, m.RegistrationClosesAt),
			Register: base + "/register", Screen: base + "/screen", Summary: base + "/summary",
			Calendar: base + "/calendar.ics",
		}
		if m.ProcessID != nil && processes[*m.ProcessID] != "" {
			cards[i].Process = "/p/" + url.PathEscape(processes[*m.ProcessID])
		}
		if !now.Before(m.StartsAt) {
			cards[i].Participants = "/api/meetings/" + url.PathEscape(m.Slug) + "/participants.pdf?public=1"
		}
	}
	p.Data = cards
	return render(c, fiber.StatusOK, "index.html", p)
}

// option is one choice of a select.
type option struct{ Key, Label string }

// registerData is what the registration form offers, in the reader's
// language.
type registerData struct {
	Types, ECOSOC []option
	Countries     []registration.CountryEntry
	ECOSOCDefault string
	Closed        bool
	// Notice is the meeting's privacy notice, its Markdown rendered by
	// the summary's safe renderer (every character of the text escaped,
	// the only markup the renderer's), and NoticeVersion its version,
	// which the form sends back as the version agreed to.
	Notice        template.HTML
	NoticeVersion int
}

// registerPage: GET /m/:slug/register, the registration form with its
// options in the reader's language. The form posts itself when the
// browser runs no script; with one, its module posts JSON instead.
func (h *Handler) registerPage(c *fiber.Ctx) error {
	p := newPage(c, language(c))
	m, err := h.meetingPage(c, p)
	if m == nil {
		return err
	}
	p.withMeeting(m, "register")
	p.Title = p.T("meeting.register_for", "Title", m.Title)
	d := registerData{ECOSOCDefault: "none", Countries: registration.CountriesIn(p.Lang), Closed: !time.Now().Before(m.RegistrationClosesAt)}
	for _, t := range models.StakeholderTypes {
		d.Types = append(d.Types, option{t.Key, p.T("type." + t.Key)})
	}
	for _, t := range models.ECOSOCStatusTerms {
		d.ECOSOC = append(d.ECOSOC, option{t.Key, p.T("ecosoc." + t.Key)})
	}
	if m.PrivacyNotice != "" {
		d.Notice = template.HTML(summary.HTML(summary.Parse(m.PrivacyNotice)))
		d.NoticeVersion = m.PrivacyNoticeVersion
	}
	p.Data = d
	return render(c, fiber.StatusOK, "register.tmpl", p)
}

// orgRow is an accredited organization as the public list shows it.
type orgRow struct{ Name, Acronym, Type, Country string }

// organizationsPage: GET /m/:slug/organizations, the organizations with
// an approved representative, readable without script.
func (h *Handler) organizationsPage(c *fiber.Ctx) error {
	p := newPage(c, language(c))
	m, err := h.meetingPage(c, p)
	if m == nil {
		return err
	}
	p.withMeeting(m, "organizations")
	p.Title = p.T("organizations.title")
	orgs, err := h.Registrations.ApprovedOrganizations(c.UserContext(), m.ID)
	if err != nil {
		return err
	}
	rows := make([]orgRow, len(orgs))
	for i, o := range orgs {
		rows[i] = orgRow{Name: o.Name, Acronym: o.Acronym, Type: p.T("type." + o.Type), Country: registration.CountryNameIn(p.Lang, o.Country)}
	}
	p.Data = rows
	return render(c, fiber.StatusOK, "organizations.html", p)
}

// itemRow is an agenda item as the programme shows it.
type itemRow struct {
	Position       int
	Title          string
	When, Speaking string
}

// programmePage: GET /m/:slug/programme, the agenda with its slots and
// speaking times, readable without script.
func (h *Handler) programmePage(c *fiber.Ctx) error {
	p := newPage(c, language(c))
	m, err := h.meetingPage(c, p)
	if m == nil {
		return err
	}
	p.withMeeting(m, "programme")
	p.Title = p.T("programme.title")
	items, err := h.Meetings.Items(c.UserContext(), m.ID)
	if err != nil {
		return err
	}
	rows := make([]itemRow, len(items))
	for i, it := range items {
		r := itemRow{Position: i + 1, Title: it.Title}
		if it.StartsAt != nil {
			r.When = meetings.TimeIn(p.Lang, m, *it.StartsAt)
			if it.EndsAt != nil {
				r.When += " – " + locale.Clock(it.EndsAt.In(meetings.Zone(m.Timezone)))
			}
		}
		if s := it.SpeakingTimeSeconds; s%60 == 0 {
			r.Speaking = p.N("programme.minutes", s/60)
		} else {
			r.Speaking = p.N("programme.seconds", s)
		}
		rows[i] = r
	}
	p.Data = rows
	return render(c, fiber.StatusOK, "programme.html", p)
}

// summaryData is the latest circulated summary as its public page shows
// it.
type summaryData struct {
	HTML                template.HTML
	Version             string
	PDF, DOCX, Markdown string
}

// summaryPage: GET /m/:slug/summary, the latest circulated version of the
// Chair's summary in the page's HTML, readable without script and by
// search engines. The summary itself is in the meeting's language.
func (h *Handler) summaryPage(c *fiber.Ctx) error {
	p := newPage(c, language(c))
	m, err := h.meetingPage(c, p)
	if m == nil {
		return err
	}
	p.withMeeting(m, "summary")
	p.Title = p.T("nav.summary")
	pub, err := h.Summary.LatestPublished(c.UserContext(), m)
	switch {
	case apperr.Is(err, apperr.KindNotFound):
	case err != nil:
		return err
	default:
		base := "/api/meetings/" + url.PathEscape(m.Slug) + "/summary/" + strconv.Itoa(pub.Version)
		d := summaryData{
			// The summary's renderer escapes every piece of text: its
			// HTML holds no markup a participant wrote.
			HTML: template.HTML(pub.HTML),
			PDF:  base + ".pdf", DOCX: base + ".docx", Markdown: base + ".md",
		}
		if pub.CirculatedAt != nil {
			d.Version = p.T("summary.version", "Version", locale.Number(p.Lang, pub.Version),
				"Date", locale.Day(p.Lang, pub.CirculatedAt.In(meetings.Zone(m.Timezone))))
		}
		p.Data = d
	}
	return render(c, fiber.StatusOK, "summary.html", p)
}

// linkPage: GET /m/:slug/link, "Lost your link?", in the reader's
// language.
func (h *Handler) linkPage(c *fiber.Ctx) error {
	p := newPage(c, language(c))
	m, err := h.meetingPage(c, p)
	if m == nil {
		return err
	}
	p.withMeeting(m, "")
	p.Title = p.T("register.lost_link")
	return render(c, fiber.StatusOK, "link.html", p)
}

// screenPage: GET /m/:slug/screen, the room's screen, in the meeting's
// language unless the address asks for another (?lang=).
func (h *Handler) screenPage(c *fiber.Ctx) error {
	p := newPage(c, language(c))
	m, err := h.meetingPage(c, p)
	if m == nil {
		return err
	}
	lang := m.Language
	if q, ok := locale.Parse(c.Query("lang")); ok {
		lang = q
	}
	if !locale.Supported(lang) {
		lang = locale.Default
	}
	p = newPage(c, lang)
	p.withMeeting(m, "screen")
	p.Title = p.T("nav.screen")
	return render(c, fiber.StatusOK, "screen.html", p)
}
