package handlers

import (
	"io"
	"mime"
	"strconv"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"rostrum/apperr"
	"rostrum/models"
	"rostrum/registration"
)

func viewOrganization(o *models.Organization) organizationView {
	return organizationView{
		ID: o.ID, Name: o.Name, Acronym: o.Acronym, Type: o.Type, Country: o.Country,
		CountryName: registration.CountryName(o.Country), Website: o.Website, ECOSOCStatus: o.ECOSOCStatus,
		ECOSOCVerified: o.ECOSOCVerified, ECOSOCYear: o.ECOSOCYear,
	}
}

// organizationListItem is an organization with its registrations (of
// every meeting) counted by state and in all ("total").
type organizationListItem struct {
	organizationView
	Registrations map[string]int64 `json:"registrations"`
}

// listOrganizations: GET /api/organizations?q=&limit=&offset= (staff) →
// {"organizations": [...], "total"}: by name, searched in name and acronym.
func (h *Handler) listOrganizations(c *fiber.Ctx) error {
	f := registration.OrganizationFilter{Q: c.Query("q")}
	for name, dst := range map[string]*int{"limit": &f.Limit, "offset": &f.Offset} {
		if v := c.Query(name); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil {
				return apperr.Say(apperr.KindInvalid, "err.api.bad_query").WithField(name, "err.api.whole_number")
			}
			*dst = n
		}
	}
	orgs, total, err := h.Registrations.Organizations(c.UserContext(), f)
	if err != nil {
		return err
	}
	out := make([]organizationListItem, len(orgs))
	for i := range orgs {
		out[i] = organizationListItem{organizationView: viewOrganization(&orgs[i].Organization), Registrations: orgs[i].Registrations}
	}
	return c.JSON(fiber.Map{"organizations": out, "total": total})
}

// updateOrganization: PATCH /api/organizations/:id (admin)
// {"name","acronym","type","country","website","ecosoc_status"}, any of
// them → the organization. 422 with a field map; 409
// organization_name_taken when another organization has the name.
func (h *Handler) updateOrganization(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	var in registration.OrganizationEdit
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	o, err := h.Registrations.UpdateOrganization(c.UserContext(), actor(c), id, in)
	if err != nil {
		return err
	}
	h.Log.Info("organization edited", "organization", id, "by", actor(c).Label())
	return c.JSON(viewOrganization(o))
}

type mergeInput struct {
	Into uint `json:"into"`
}

// mergeOrganizations: POST /api/organizations/:id/merge (admin) {"into"}
// → {"organization": the one kept, "moved": registrations moved}; the
// merged organization is deleted. 409 merge_exceeds_organization_limit
// when a meeting's limit per organization would be exceeded.
func (h *Handler) mergeOrganizations(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	var in mergeInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	res, err := h.Registrations.MergeOrganizations(c.UserContext(), actor(c), id, in.Into)
	if err != nil {
		return err
	}
	h.Log.Info("organizations merged", "organization", id, "into", in.Into, "moved", res.Moved, "by", actor(c).Label())
	return c.JSON(fiber.Map{"organization": viewOrganization(&res.Organization), "moved": res.Moved})
}

// importECOSOC: POST /api/ecosoc/import (admin), the UN's list of
// organizations in consultative status with ECOSOC as CSV (columns name,
// status, year), sent as a text/csv body or as the multipart form field
// "file" → {"matched","new","ambiguous":[…],"removed"}.
func (h *Handler) importECOSOC(c *fiber.Ctx) error {
	var body []byte
	mt, _, _ := mime.ParseMediaType(c.Get(fiber.HeaderContentType))
	switch mt {
	case "text/csv":
		body = c.Body()
	case fiber.MIMEMultipartForm:
		fh, err := c.FormFile("file")
		if err != nil {
			return apperr.Say(apperr.KindBadRequest, "err.api.list_field")
		}
		f, err := fh.Open()
		if err != nil {
			return err
		}
		defer f.Close()
		if body, err = io.ReadAll(f); err != nil {
			return err
		}
	default:
		return apperr.Say(apperr.KindBadRequest, "err.api.list_csv")
	}
	if !utf8.Valid(body) {
		return apperr.Say(apperr.KindBadRequest, "err.api.csv_utf8")
	}
	rows, err := registration.ParseECOSOCCSV(body)
	if err != nil {
		return err
	}
	rep, err := h.Registrations.ImportECOSOC(c.UserContext(), rows)
	if err != nil {
		return err
	}
	h.Log.Info("ECOSOC list imported", "matched", rep.Matched, "new", rep.New, "ambiguous", len(rep.Ambiguous),
		"removed", rep.Removed, "by", actor(c).Label())
	return c.JSON(rep)
}
