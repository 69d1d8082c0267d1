package handlers

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"rostrum/apperr"
	"rostrum/summary"
)

func paramVersion(c *fiber.Ctx) (int, error) {
	n, err := strconv.Atoi(c.Params("version"))
	if err != nil || n <= 0 {
		return 0, apperr.Say(apperr.KindNotFound, "err.summary.no_version_param", "Version", strconv.Quote(c.Params("version")))
	}
	return n, nil
}

// listNotes: GET /api/meetings/{slug}/notes (rapporteur, admin) →
// {"notes":[{speaker_id, agenda_item_id, organization, country,
// stakeholder_type, kind, state, started_at, ended_at, text, key_points,
// updated_at}]}.
func (h *Handler) listNotes(c *fiber.Ctx) error {
	m, err := h.meeting(c)
	if err != nil {
		return err
	}
	notes, err := h.Summary.Notes(c.UserContext(), m)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"notes": notes})
}

// putNote: PUT /api/meetings/{slug}/speakers/{id}/note {"text","key_points"}.
func (h *Handler) putNote(c *fiber.Ctx) error {
	m, err := h.meeting(c)
	if err != nil {
		return err
	}
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	var in summary.NoteInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	note, err := h.Summary.SaveNote(c.UserContext(), m, id, in, actor(c).User.ID)
	if err != nil {
		return err
	}
	return c.JSON(note)
}

// createSummary: POST /api/meetings/{slug}/summary (admin) drafts a new
// version from the record → 201 {"version","state":"draft","markdown",...}.
func (h *Handler) createSummary(c *fiber.Ctx) error {
	m, err := h.meeting(c)
	if err != nil {
		return err
	}
	v, err := h.Summary.CreateVersion(c.UserContext(), m, actor(c))
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(v)
}

// listSummaries: GET /api/meetings/{slug}/summary → {"versions":[...]}.
func (h *Handler) listSummaries(c *fiber.Ctx) error {
	m, err := h.meeting(c)
	if err != nil {
		return err
	}
	vs, err := h.Summary.Versions(c.UserContext(), m)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"versions": vs})
}

// latestSummary: GET /api/meetings/{slug}/summary/latest (public) → the
// latest circulated version with its HTML: {"version","state","markdown",
// "html","circulated_at",...}. Rendered once per version; caches keep it
// and ask again with If-None-Match (304 until a new version circulates).
func (h *Handler) latestSummary(c *fiber.Ctx) error {
	m, err := h.meeting(c)
	if err != nil {
		return err
	}
	p, err := h.Summary.LatestPublished(c.UserContext(), m)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "public, no-cache")
	if notModified(c, p.ETag) {
		return c.SendStatus(fiber.StatusNotModified)
	}
	return c.JSON(p)
}

// previewSummary: POST /api/meetings/{slug}/summary/preview {"markdown"}
// → {"html"}: the desk's preview while editing, rendered like the
// documents (all text escaped).
func (h *Handler) previewSummary(c *fiber.Ctx) error {
	var in markdownInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	if len(in.Markdown) > summary.MaxMarkdown {
		return apperr.Say(apperr.KindTooLarge, "err.summary.too_large")
	}
	return c.JSON(fiber.Map{"html": summary.HTML(summary.Parse(in.Markdown))})
}

func (h *Handler) getSummary(c *fiber.Ctx) error {
	m, err := h.meeting(c)
	if err != nil {
		return err
	}
	n, err := paramVersion(c)
	if err != nil {
		return err
	}
	v, err := h.Summary.Version(c.UserContext(), m, n)
	if err != nil {
		return err
	}
	return c.JSON(v)
}

type markdownInput struct {
	Markdown string `json:"markdown"`
}

// putSummary: PUT /api/meetings/{slug}/summary/{version} {"markdown"}
// saves an edit of a draft as a new revision; 409 once approved.
func (h *Handler) putSummary(c *fiber.Ctx) error {
	m, err := h.meeting(c)
	if err != nil {
		return err
	}
	n, err := paramVersion(c)
	if err != nil {
		return err
	}
	var in markdownInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	v, err := h.Summary.SaveMarkdown(c.UserContext(), m, n, in.Markdown, actor(c))
	if err != nil {
		return err
	}
	return c.JSON(v)
}

func (h *Handler) listRevisions(c *fiber.Ctx) error {
	m, err := h.meeting(c)
	if err != nil {
		return err
	}
	n, err := paramVersion(c)
	if err != nil {
		return err
	}
	rs, err := h.Summary.Revisions(c.UserContext(), m, n)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"revisions": rs})
}

// diffRevisions: GET .../{version}/diff?from=1&to=3 → {"from","to","diff"}
// (a unified diff).
func (h *Handler) diffRevisions(c *fiber.Ctx) error {
	m, err := h.meeting(c)
	if err != nil {
		return err
	}
	n, err := paramVersion(c)
	if err != nil {
		return err
	}
	from, err1 := strconv.Atoi(c.Query("from"))
	to, err2 := strconv.Atoi(c.Query("to"))
	if err1 != nil || err2 != nil {
		return apperr.Say(apperr.KindInvalid, "err.summary.compare").WithField("from", "err.summary.revision_number").WithField("to", "err.summary.revision_number")
	}
	d, err := h.Summary.Diff(c.UserContext(), m, n, from, to)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"from": from, "to": to, "diff": d})
}

func (h *Handler) approveSummary(c *fiber.Ctx) error {
	m, err := h.meeting(c)
	if err != nil {
		return err
	}
	n, err := paramVersion(c)
	if err != nil {
		return err
	}
	v, err := h.Summary.Approve(c.UserContext(), m, n, actor(c))
	if err != nil {
		return err
	}
	return c.JSON(v)
}

// summaryDocument: GET /api/meetings/{slug}/summary/{version}.{md,html,pdf,docx}.
// Circulated versions are public; drafts and approved versions are for
// staff.
func (h *Handler) summaryDocument(c *fiber.Ctx) error {
	m, err := h.meeting(c)
	if err != nil {
		return err
	}
	n, err := paramVersion(c)
	if err != nil {
		return err
	}
	format := c.Params("format")
	if _, ok := summary.Formats[format]; !ok {
		return apperr.Say(apperr.KindNotFound, "err.summary.no_format", "Format", strconv.Quote(format))
	}
	a := actor(c)
	if !a.IsStaff() {
		// Say nothing about versions that are not public.
		vs, err := h.Summary.Version(c.UserContext(), m, n)
		if err != nil || !vs.Stage().Public() {
			if a.User == nil && a.Registration == nil {
				return apperr.Say(apperr.KindUnauthorized, "err.summary.log_in")
			}
			return apperr.Say(apperr.KindForbidden, "err.summary.not_circulated")
		}
	}
	doc, err := h.Summary.Document(c.UserContext(), m, n, format)
	if err != nil {
		return err
	}
	if doc.Stage.Public() {
		// Public, and the same bytes until the meeting is renamed.
		c.Set(fiber.HeaderCacheControl, "public, no-cache")
		if notModified(c, doc.ETag) {
			return c.SendStatus(fiber.StatusNotModified)
		}
	}
	c.Set(fiber.HeaderContentType, doc.ContentType)
	disp := "attachment"
	if format == "html" || format == "pdf" {
		disp = "inline"
	}
	c.Set(fiber.HeaderContentDisposition, disp+`; filename="`+doc.Filename+`"`)
	c.Set("X-Content-Type-Options", "nosniff")
	if format == "html" {
		// The standalone document carries its own styles and no script.
		c.Set(fiber.HeaderContentSecurityPolicy, "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'")
	}
	return c.Send(doc.Data)
}

type circulateInput struct {
	Extra []string `json:"extra"`
}

// circulateSummary: POST .../{version}/circulate {"extra":[...]} (admin,
// approved versions only) → 202 {"id","total",...}.
func (h *Handler) circulateSummary(c *fiber.Ctx) error {
	m, err := h.meeting(c)
	if err != nil {
		return err
	}
	n, err := paramVersion(c)
	if err != nil {
		return err
	}
	var in circulateInput
	if len(c.Body()) > 0 {
		if err := decodeJSON(c, &in); err != nil {
			return err
		}
	}
	circ, err := h.Summary.Circulate(c.UserContext(), m, n, in.Extra, actor(c))
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusAccepted).JSON(circ)
}

// getCirculation: GET /api/meetings/{slug}/circulations/{id} →
// {"id","version","total","sent","failed","pending","recipients":[{address,status,attempts,last_error}]}.
func (h *Handler) getCirculation(c *fiber.Ctx) error {
	m, err := h.meeting(c)
	if err != nil {
		return err
	}
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	v, err := h.Summary.Circulation(c.UserContext(), m, id)
	if err != nil {
		return err
	}
	return c.JSON(v)
}

// resendCirculation: POST /api/meetings/{slug}/circulations/{id}/resend
// (admin) queues the failed messages again → the progress.
func (h *Handler) resendCirculation(c *fiber.Ctx) error {
	m, err := h.meeting(c)
	if err != nil {
		return err
	}
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	v, err := h.Summary.Resend(c.UserContext(), m, id)
	if err != nil {
		return err
	}
	return c.JSON(v)
}
