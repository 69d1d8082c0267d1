package handlers

import (
	"io"
	"mime"
	"strings"

	"github.com/gofiber/fiber/v2"

	"rostrum/apperr"
	"rostrum/documents"
	"rostrum/lists"
	"rostrum/summary"
)

// uploadDocument: POST /api/meetings/{slug}/documents (admin), a
// multipart form: the file in field file (PDF or DOCX, at most 20 MB, by
// content), title, symbol, language → 201 the document, unpublished.
func (h *Handler) uploadDocument(c *fiber.Ctx) error {
	m, err := h.meeting(c)
	if err != nil {
		return err
	}
	if !strings.HasPrefix(strings.ToLower(c.Get(fiber.HeaderContentType)), fiber.MIMEMultipartForm) {
		return apperr.Say(apperr.KindBadRequest, "err.documents.multipart")
	}
	in := documents.Upload{Title: c.FormValue("title"), Symbol: c.FormValue("symbol"), Language: c.FormValue("language")}
	if fh, err := c.FormFile("file"); err == nil {
		f, err := fh.Open()
		if err != nil {
			return err
		}
		defer f.Close()
		// One byte more than allowed tells a file too large from one just
		// large enough.
		if in.Data, err = io.ReadAll(io.LimitReader(f, documents.MaxSize+1)); err != nil {
			return err
		}
		in.Filename = fh.Filename
	}
	d, err := h.Documents.Upload(c.UserContext(), m, in, actor(c))
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(d)
}

// publishDocument: POST /api/meetings/{slug}/documents/{id}/publish (admin).
func (h *Handler) publishDocument(c *fiber.Ctx) error {
	m, err := h.meeting(c)
	if err != nil {
		return err
	}
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	d, err := h.Documents.Publish(c.UserContext(), m, id, actor(c))
	if err != nil {
		return err
	}
	return c.JSON(d)
}

// listDocuments: GET /api/meetings/{slug}/documents → {"documents":[…]}:
// the published ones, and to staff every one.
func (h *Handler) listDocuments(c *fiber.Ctx) error {
	m, err := h.meeting(c)
	if err != nil {
		return err
	}
	ds, err := h.Documents.List(c.UserContext(), m, actor(c).IsStaff())
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"documents": ds})
}

// documentFile: GET /api/meetings/{slug}/documents/{id}/file, the bytes
// as uploaded. An unpublished document does not exist but for staff.
func (h *Handler) documentFile(c *fiber.Ctx) error {
	m, err := h.meeting(c)
	if err != nil {
		return err
	}
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	f, err := h.Documents.File(c.UserContext(), m.ID, id, actor(c).IsStaff())
	if err != nil {
		return err
	}
	return sendFile(c, f.ContentType, f.Filename, f.Data)
}

// sendFile answers with a file to save: its type as stored, a download
// under a name that needs no quoting, and nothing a browser may sniff or
// run in this origin.
func sendFile(c *fiber.Ctx, contentType, filename string, data []byte) error {
	c.Set(fiber.HeaderContentType, contentType)
	c.Set(fiber.HeaderContentDisposition, mime.FormatMediaType("attachment", map[string]string{"filename": filename}))
	c.Set(fiber.HeaderXContentTypeOptions, "nosniff")
	c.Set(fiber.HeaderContentSecurityPolicy, "sandbox; default-src 'none'")
	return c.Send(data)
}

// createLetter: POST /api/meetings/{slug}/letters (admin)
// {"addressee","place","date","salutation","body_markdown","closing",
// "signature":{"name","titles"},"enclosures":[id or "summary:N"]} → 201.
func (h *Handler) createLetter(c *fiber.Ctx) error {
	m, err := h.meeting(c)
	if err != nil {
		return err
	}
	var in summary.LetterInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	l, err := h.Summary.CreateLetter(c.UserContext(), m, in, actor(c))
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(l)
}

// listLetters: GET /api/meetings/{slug}/letters (staff) → {"letters":[…]}.
func (h *Handler) listLetters(c *fiber.Ctx) error {
	m, err := h.meeting(c)
	if err != nil {
		return err
	}
	ls, err := h.Summary.Letters(c.UserContext(), m)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"letters": ls})
}

// letterDocument: GET /api/meetings/{slug}/letters/{id}.{pdf,docx} (staff).
func (h *Handler) letterDocument(c *fiber.Ctx) error {
	m, err := h.meeting(c)
	if err != nil {
		return err
	}
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	doc, err := h.Summary.LetterDocument(c.UserContext(), m, id, c.Params("format"))
	if err != nil {
		return err
	}
	return sendFile(c, doc.ContentType, doc.Filename, doc.Data)
}

// listInput is a distribution list as JSON: its addresses, or "from":
// "missions" to take the Permanent Missions' addresses.
type listInput struct {
	lists.Input
	From string `json:"from"`
}

// saveList: POST /api/lists (admin) {"name","addresses":[{"name","email"}]}
// or {"name","from":"missions"}, or a CSV (Content-Type: text/csv, the
// list's name in ?name=) with the columns name and email → 201 the list.
// A list of the same name is replaced.
func (h *Handler) saveList(c *fiber.Ctx) error {
	ct, _, _ := mime.ParseMediaType(c.Get(fiber.HeaderContentType))
	var (
		v   *lists.View
		err error
	)
	switch ct {
	case "text/csv":
		as, perr := lists.ParseCSV(c.Body())
		if perr != nil {
			return perr
		}
		v, err = h.Lists.Save(c.UserContext(), lists.Input{Name: c.Query("name"), Addresses: as})
	default:
		var in listInput
		if err := decodeJSON(c, &in); err != nil {
			return err
		}
		switch in.From {
		case "":
			v, err = h.Lists.Save(c.UserContext(), in.Input)
		case "missions":
			if len(in.Addresses) > 0 {
				return apperr.Say(apperr.KindInvalid, "err.lists.addresses_or_source").WithField("from", "err.lists.leave_out_addresses")
			}
			v, err = h.Lists.BuildMissions(c.UserContext(), in.Name)
		default:
			return apperr.Say(apperr.KindInvalid, "err.lists.unknown_source").WithField("from", "err.lists.missions_or_nothing")
		}
	}
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(v)
}

// listLists: GET /api/lists (admin) → {"lists":[{"id","name","count"}]}.
func (h *Handler) listLists(c *fiber.Ctx) error {
	ls, err := h.Lists.All(c.UserContext())
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"lists": ls})
}

// getList: GET /api/lists/{id} (admin) → the list with its addresses.
func (h *Handler) getList(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	v, err := h.Lists.Get(c.UserContext(), id)
	if err != nil {
		return err
	}
	return c.JSON(v)
}

// sendCirculation: POST /api/meetings/{slug}/circulations (admin)
// {"letter","summary","documents","to":{"participants","lists","extra"},
// "send_at"} → 202 {"id","total","send_at",…}: sent now, or scheduled.
func (h *Handler) sendCirculation(c *fiber.Ctx) error {
	m, err := h.meeting(c)
	if err != nil {
		return err
	}
	var in summary.CirculationInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	circ, err := h.Summary.Send(c.UserContext(), m, in, actor(c))
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusAccepted).JSON(circ)
}

// listCirculations: GET /api/meetings/{slug}/circulations (staff) →
// {"circulations":[{"id","version","letter","state","send_at","sent_at","total"}]}.
func (h *Handler) listCirculations(c *fiber.Ctx) error {
	m, err := h.meeting(c)
	if err != nil {
		return err
	}
	cs, err := h.Summary.Circulations(c.UserContext(), m)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"circulations": cs})
}

// cancelCirculation: DELETE /api/meetings/{slug}/circulations/{id}
// (admin): a scheduled circulation is cancelled; one that went is 409.
func (h *Handler) cancelCirculation(c *fiber.Ctx) error {
	m, err := h.meeting(c)
	if err != nil {
		return err
	}
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	circ, err := h.Summary.Cancel(c.UserContext(), m, id, actor(c))
	if err != nil {
		return err
	}
	return c.JSON(circ)
}
