package handlers

import (
	"bytes"
	"encoding/json"
	"mime"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"rostrum/apperr"
	"rostrum/locale"
	"rostrum/meetings"
	"rostrum/models"
	"rostrum/qr"
	"rostrum/registration"
)

// maxRegistrationBody bounds a registration form; the app-wide body limit
// is for uploads.
const maxRegistrationBody = 64 << 10

// registrationView is a registration as staff and its participant see it.
type registrationView struct {
	ID        uint   `json:"id"`
	MeetingID uint   `json:"meeting_id"`
	Status    string `json:"status"`
	Reason    string `json:"reason"`
	Name      string `json:"name"`
	// PendingName is a new name the approved participant asked for, not
	// shown anywhere until the secretariat accepts it ("" when none).
	PendingName   string           `json:"pending_name"`
	PendingNameAt *time.Time       `json:"pending_name_at"`
	Email         string           `json:"email"`
	JobTitle      string           `json:"job_title"`
	Organization  organizationView `json:"organization"`
	// Claim is the organization as the registrant entered it (null for
	// registrations from before claims were kept); ClaimDiffers names the
	// fields where it disagrees with the record.
	Claim        *claimView `json:"claim"`
	ClaimDiffers []string   `json:"claim_differs"`
	// Track is the registration's accreditation track: "ecosoc" (its
	// organization is on the imported list, whose status
	// ECOSOCVerifiedStatus gives), "non_objection" (it is not:
	// ClaimUnverified when the registrant claimed a status anyway, for
	// the secretariat) or "delegation" (a State's).
	Track                string    `json:"track"`
	ECOSOCVerifiedStatus string    `json:"ecosoc_verified_status,omitempty"`
	ClaimUnverified      bool      `json:"claim_unverified,omitempty"`
	ConsentAt            time.Time `json:"consent_at"`
	// ConsentVersion is the version of the meeting's privacy notice
	// agreed to (0: the form's built-in text).
	ConsentVersion int `json:"consent_version"`
	// AnonymizedAt is when the personal data were erased (null: kept).
	AnonymizedAt *time.Time `json:"anonymized_at"`
	DecidedAt    *time.Time `json:"decided_at"`
	CreatedAt    time.Time  `json:"created_at"`
	UpdatedAt    time.Time  `json:"updated_at"`
	// CheckinCode is what the participant's QR code carries to the door;
	// "" until the registration is approved.
	CheckinCode string     `json:"checkin_code"`
	CheckedInAt *time.Time `json:"checked_in_at"`
}

type organizationView struct {
	ID           uint   `json:"id"`
	Name         string `json:"name"`
	Acronym      string `json:"acronym"`
	Type         string `json:"type"`
	Country      string `json:"country"`
	CountryName  string `json:"country_name"`
	Website      string `json:"website"`
	ECOSOCStatus string `json:"ecosoc_status"`
	// ECOSOCVerified is the status the imported ECOSOC list gives ("" when
	// the organization is not on it) and ECOSOCYear its year.
	ECOSOCVerified string `json:"ecosoc_verified"`
	ECOSOCYear     int    `json:"ecosoc_year,omitempty"`
}

// claimView is what a registrant said about their organization.
type claimView struct {
	Name         string `json:"name"`
	Acronym      string `json:"acronym"`
	Type         string `json:"type"`
	Country      string `json:"country"`
	CountryName  string `json:"country_name"`
	Website      string `json:"website"`
	ECOSOCStatus string `json:"ecosoc_status"`
	Description  string `json:"description"`
}

func viewRegistration(r *models.Registration) registrationView {
	v := registrationView{
		ID: r.ID, MeetingID: r.MeetingID, Status: r.Status, Reason: r.Reason, Name: r.Name, Email: r.Email,
		PendingName: r.PendingName, PendingNameAt: r.PendingNameAt, JobTitle: r.JobTitle, ConsentAt: r.ConsentAt, ConsentVersion: r.ConsentVersion, AnonymizedAt: r.AnonymizedAt, DecidedAt: r.DecidedAt, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt,
		Organization:         viewOrganization(&r.Organization),
		ClaimDiffers:         registration.ClaimDiffers(r, &r.Organization),
		Track:                registration.TrackOf(&r.Organization),
		ECOSOCVerifiedStatus: r.Organization.ECOSOCVerified,
		ClaimUnverified:      registration.ClaimUnverified(r, &r.Organization),
		CheckedInAt:          r.CheckedInAt,
	}
	if r.Status == models.StatusApproved {
		v.CheckinCode = r.CheckinCode
	}
	if registration.HasClaim(r) {
		v.Claim = &claimView{
			Name: r.ClaimedOrgName, Acronym: r.ClaimedOrgAcronym, Type: r.ClaimedOrgType, Country: r.ClaimedOrgCountry,
			CountryName: registration.CountryName(r.ClaimedOrgCountry), Website: r.ClaimedOrgWebsite, ECOSOCStatus: r.ClaimedOrgECOSOCStatus,
			Description: r.ClaimedOrgDescription,
		}
	}
	return v
}

func viewRegistrations(regs []models.Registration) []registrationView {
	out := make([]registrationView, len(regs))
	for i := range regs {
		out[i] = viewRegistration(&regs[i])
	}
	return out
}

// isForm reports whether the request body is an HTML form.
func isForm(c *fiber.Ctx) bool {
	mt, _, _ := mime.ParseMediaType(c.Get(fiber.HeaderContentType))
	return mt == fiber.MIMEApplicationForm || mt == fiber.MIMEMultipartForm
}

// formBool reads a checkbox: browsers send "on" (or the value attribute)
// when ticked and nothing when not.
func formBool(v string) bool {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "on", "true", "1", "yes":
		return true
	}
	return false
}

// registrationFromForm reads a registration from a plain HTML form whose
// fields are named like the JSON, with the organization's fields
// prefixed org_: org_name, org_acronym, org_type, org_country,
// org_website, org_ecosoc_status, name, email, job_title, consent,
// consent_version (the privacy notice's version the form showed).
func registrationFromForm(c *fiber.Ctx, lang string) registration.Input {
	var version *int
	if v, err := strconv.Atoi(strings.TrimSpace(c.FormValue("consent_version"))); err == nil {
		version = &v
	}
	return registration.Input{
		ConsentVersion: version,
		Organization: registration.OrganizationInput{
			Name: c.FormValue("org_name"), Acronym: c.FormValue("org_acronym"), Type: c.FormValue("org_type"),
			Country: c.FormValue("org_country"), Website: c.FormValue("org_website"), ECOSOCStatus: c.FormValue("org_ecosoc_status"),
			Description: c.FormValue("org_description"),
		},
		Name: c.FormValue("name"), Email: c.FormValue("email"), JobTitle: c.FormValue("job_title"),
		Consent: formBool(c.FormValue("consent")), Language: lang,
	}
}

// register: POST /api/meetings/:slug/registrations (public), JSON or an
// HTML form → 201 {"id","status","manage_url"}; a browser's plain form
// post (Accept: text/html) gets 303 to the manage page instead.
func (h *Handler) register(c *fiber.Ctx) error {
	if len(c.Body()) > maxRegistrationBody {
		return apperr.Say(apperr.KindTooLarge, "err.registration_too_large", "KiB", maxRegistrationBody>>10)
	}
	var in registration.Input
	form := isForm(c)
	if form {
		in = registrationFromForm(c, c.FormValue("language"))
	} else if err := decodeJSON(c, &in); err != nil {
		return err
	}
	// A registration without a language of its own keeps the one its
	// client reads (the stored choice, Accept-Language); one with a
	// language gets its errors in it.
	if in.Language == "" {
		in.Language = language(c)
	} else if lang, ok := locale.Parse(in.Language); ok {
		setErrorLanguage(c, lang)
	}
	reg, err := h.Registrations.Register(c.UserContext(), c.Params("slug"), in)
	if err != nil {
		return err
	}
	manage := h.Registrations.ManageURL(reg.Token)
	if form && acceptsHTML(c) {
		return c.Redirect("/r/"+reg.Token, fiber.StatusSeeOther)
	}
	return c.Status(fiber.StatusCreated).JSON(fiber.Map{"id": reg.ID, "status": reg.Status, "manage_url": manage})
}

// acceptsHTML reports whether the client prefers an HTML page to JSON, as
// a browser submitting a form without script does.
func acceptsHTML(c *fiber.Ctx) bool {
	return c.Accepts(fiber.MIMETextHTML, fiber.MIMEApplicationJSON) == fiber.MIMETextHTML &&
		strings.Contains(c.Get(fiber.HeaderAccept), fiber.MIMETextHTML)
}

type decisionInput struct {
	Decision string `json:"decision"`
	Reason   string `json:"reason"`
}

type outcomeView struct {
	registrationView
	Promoted []registrationView `json:"promoted"`
}

func viewOutcome(o *registration.Outcome) outcomeView {
	return outcomeView{registrationView: viewRegistration(&o.Registration), Promoted: viewRegistrations(o.Promoted)}
}

// decide: POST /api/registrations/:id/decision (admin)
// {"decision","reason"} → the registration, with "promoted": the
// waitlisted registrations that took the seat it freed.
func (h *Handler) decide(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	var in decisionInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	o, err := h.Registrations.Decide(c.UserContext(), actor(c), id, in.Decision, in.Reason)
	if err != nil {
		return err
	}
	h.Log.Info("registration decided", "registration", id, "decision", in.Decision, "by", actor(c).Label())
	return c.JSON(viewOutcome(o))
}

type nameChangeInput struct {
	Accept *bool `json:"accept"`
	// Name is the new name the secretariat reviewed (optional): when the
	// participant has asked for another since, nothing changes.
	Name string `json:"name"`
}

// decideNameChange: POST /api/registrations/:id/name-change (admin)
// {"accept": true|false, "name"} → the registration. Accepted, the new
// name is shown everywhere; refused, the request is dropped. 409
// no_name_change when none waits, name_change_changed when "name" is not
// the one waiting.
func (h *Handler) decideNameChange(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	var in nameChangeInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	if in.Accept == nil {
		return apperr.Say(apperr.KindInvalid, "err.fields_invalid").WithField("accept", "err.api.accept_name")
	}
	r, err := h.Registrations.DecideNameChange(c.UserContext(), actor(c), id, *in.Accept, in.Name)
	if err != nil {
		return err
	}
	h.Log.Info("name change decided", "registration", id, "accept", *in.Accept, "by", actor(c).Label())
	return c.JSON(viewRegistration(r))
}

type bulkInput struct {
	IDs      []uint `json:"ids"`
	Decision string `json:"decision"`
	Reason   string `json:"reason"`
}

// decideMany: POST /api/meetings/:slug/registrations/decisions (admin)
// {"ids","decision","reason"} → {"results": [{"id","ok","status"|"error","code"}]}.
func (h *Handler) decideMany(c *fiber.Ctx) error {
	m, err := h.meeting(c)
	if err != nil {
		return err
	}
	var in bulkInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	results, err := h.Registrations.DecideMany(c.UserContext(), actor(c), m.ID, in.IDs, in.Decision, in.Reason)
	if err != nil {
		return err
	}
	h.Log.Info("registrations decided in bulk", "meeting", m.Slug, "count", len(results), "decision", in.Decision, "by", actor(c).Label())
	return c.JSON(fiber.Map{"results": results})
}

func filterFromQuery(c *fiber.Ctx) (registration.Filter, error) {
	f := registration.Filter{Status: c.Query("status"), Type: c.Query("type"), Q: c.Query("q"), NameChange: c.Query("name_change"), Track: c.Query("track")}
	for name, dst := range map[string]*int{"limit": &f.Limit, "offset": &f.Offset} {
		if v := c.Query(name); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil {
				return f, apperr.Say(apperr.KindInvalid, "err.api.bad_query").WithField(name, "err.api.whole_number")
			}
			*dst = n
		}
	}
	return f, nil
}

// listRegistrations: GET /api/meetings/:slug/registrations?status=&type=&q=&limit=&offset=
// (staff) → {"registrations", "total", "counts": {"by_status", "by_type"}}.
func (h *Handler) listRegistrations(c *fiber.Ctx) error {
	m, err := h.meeting(c)
	if err != nil {
		return err
	}
	f, err := filterFromQuery(c)
	if err != nil {
		return err
	}
	regs, total, err := h.Registrations.List(c.UserContext(), m.ID, f)
	if err != nil {
		return err
	}
	counts, err := h.Registrations.Count(c.UserContext(), m.ID)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"registrations": viewRegistrations(regs), "total": total, "counts": counts})
}

// exportRegistrations: GET /api/meetings/:slug/registrations.csv (staff),
// with the list's filters.
func (h *Handler) exportRegistrations(c *fiber.Ctx) error {
	m, err := h.meeting(c)
	if err != nil {
		return err
	}
	f, err := filterFromQuery(c)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := h.Registrations.ExportCSV(c.UserContext(), &buf, m.ID, f); err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+m.Slug+`-registrations.csv"`)
	return c.Send(buf.Bytes())
}

// approvedOrganizations: GET /api/meetings/:slug/organizations (public) →
// {"organizations": [{"name","acronym","type","country","country_name"}]}.
func (h *Handler) approvedOrganizations(c *fiber.Ctx) error {
	m, err := h.meeting(c)
	if err != nil {
		return err
	}
	orgs, err := h.Registrations.ApprovedOrganizations(c.UserContext(), m.ID)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"organizations": orgs})
}

// participantView is what the manage page shows: the registration, its
// meeting, and what the participant may still do.
type participantView struct {
	registrationView
	Meeting     participantMeeting `json:"meeting"`
	ManageURL   string             `json:"manage_url"`
	CanWithdraw bool               `json:"can_withdraw"`
	CanEdit     bool               `json:"can_edit"`
	// CheckinQR is the check-in code's QR code (a data: URL of a PNG),
	// once approved.
	CheckinQR string `json:"checkin_qr,omitempty"`
}

type participantMeeting struct {
	Slug                 string    `json:"slug"`
	Title                string    `json:"title"`
	Venue                string    `json:"venue"`
	StartsAt             time.Time `json:"starts_at"`
	EndsAt               time.Time `json:"ends_at"`
	Timezone             string    `json:"timezone"`
	ZoneCity             string    `json:"zone_city"`
	RegistrationClosesAt time.Time `json:"registration_closes_at"`
	// RetentionEnds is when the daily job erases the participant's
	// personal data (the meeting's retention_days after its end).
	RetentionEnds time.Time `json:"retention_ends"`
}

// viewParticipant shows r to its participant, whose token (the only
// copy: the database keeps its hash) makes the manage link.
func (h *Handler) viewParticipant(r *models.Registration, token string) participantView {
	m := &r.Meeting
	open := r.Status != models.StatusWithdrawn
	var img string
	if r.Status == models.StatusApproved && r.CheckinCode != "" {
		img, _ = qr.DataURL(r.CheckinCode, 320) // a 20-character code always fits a QR code
	}
	v := viewRegistration(r)
	v.ClaimUnverified = false // the secretariat's note, not the participant's
	return participantView{
		CheckinQR:        img,
		registrationView: v,
		Meeting: participantMeeting{Slug: m.Slug, Title: m.Title, Venue: m.Venue, StartsAt: m.StartsAt, EndsAt: m.EndsAt,
			Timezone: m.Timezone, ZoneCity: meetings.ZoneCity(m.Timezone), RegistrationClosesAt: m.RegistrationClosesAt,
			RetentionEnds: meetings.RetentionEnds(m)},
		ManageURL: h.Registrations.ManageURL(token), CanWithdraw: open, CanEdit: open,
	}
}

// getParticipant: GET /api/participant (Bearer token) → the participant's
// own registration.
func (h *Handler) getParticipant(c *fiber.Ctx) error {
	return c.JSON(h.viewParticipant(actor(c).Registration, bearer(c)))
}

// withdraw: POST /api/participant/withdraw (Bearer token) → the
// registration, withdrawn.
func (h *Handler) withdraw(c *fiber.Ctx) error {
	me := actor(c).Registration
	o, err := h.Registrations.Withdraw(c.UserContext(), me.ID)
	if err != nil {
		return err
	}
	return c.JSON(h.viewParticipant(&o.Registration, bearer(c)))
}

// detailsInput is the body of PUT /api/participant. Email and
// organization are named only to explain that they cannot change.
type detailsInput struct {
	Name         string          `json:"name"`
	JobTitle     string          `json:"job_title"`
	Email        *string         `json:"email"`
	Organization json.RawMessage `json:"organization"`
}

// updateParticipant: PUT /api/participant (Bearer token) {"name","job_title"}
// → the registration.
func (h *Handler) updateParticipant(c *fiber.Ctx) error {
	me := actor(c).Registration
	var in detailsInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	f := apperr.Fields{}
	if in.Email != nil && !strings.EqualFold(strings.TrimSpace(*in.Email), me.Email) {
		f.Say("email", "err.field.email_fixed")
	}
	if len(in.Organization) > 0 && string(in.Organization) != "null" {
		f.Say("organization", "err.field.organization_fixed")
	}
	if err := f.Err(); err != nil {
		return err
	}
	r, err := h.Registrations.UpdateDetails(c.UserContext(), me.ID, registration.DetailsInput{Name: in.Name, JobTitle: in.JobTitle})
	if err != nil {
		return err
	}
	return c.JSON(h.viewParticipant(r, bearer(c)))
}
