package registration

import (
	"fmt"
	"net/mail"
	"strconv"
	"strings"
	"unicode/utf8"

	"rostrum/apperr"
	"rostrum/locale"
	"rostrum/models"
	"rostrum/textcheck"
)

// OrganizationInput is the organization part of a registration form.
type OrganizationInput struct {
	Name         string `json:"name"`
	Acronym      string `json:"acronym"`
	Type         string `json:"type"`
	Country      string `json:"country"` // ISO 3166-1 alpha-2
	Website      string `json:"website"`
	ECOSOCStatus string `json:"ecosoc_status"` // general, special, roster or none (empty means none)
	// Description is a short description of the organization (optional),
	// kept as the registration's claim: Member States read it in a
	// non-objection notice.
	Description string `json:"description"`
}

// Input is a registration as a representative submits it.
type Input struct {
	Organization OrganizationInput `json:"organization"`
	Name         string            `json:"name"`
	Email        string            `json:"email"`
	JobTitle     string            `json:"job_title"`
	Consent      bool              `json:"consent"`
	// ConsentVersion is the version of the meeting's privacy notice the
	// registrant read and agreed to (the form sends the version it showed).
	ConsentVersion *int `json:"consent_version"`
	// Language is the registrant's language, a code of locale.Codes;
	// every mail to them is written in it. Empty means English (the
	// handlers fill in the language of the page or of the request).
	Language string `json:"language"`
}

// Applicant is a validated, normalized Input: text trimmed, email
// lower-cased, country upper-cased, website absolute, keys folded.
type Applicant struct {
	Organization models.Organization
	// Description is the organization's description as the registrant
	// gave it (the record has none: it is a claim).
	Description string
	Name        string
	Email       string
	JobTitle    string
	Language    string
}

// Field names used in validation errors. Organization fields are named by
// their JSON path.
const (
	FieldOrgName    = "organization.name"
	FieldOrgAcronym = "organization.acronym"
	FieldOrgType    = "organization.type"
	FieldOrgCountry = "organization.country"
	FieldOrgWebsite = "organization.website"
	FieldOrgECOSOC  = "organization.ecosoc_status"
	FieldOrgDescr   = "organization.description"
	FieldName       = "name"
	FieldEmail      = "email"
	FieldJobTitle   = "job_title"
	FieldConsent    = "consent"
	FieldConsentVer = "consent_version"
	FieldReason     = "reason"
	FieldLanguage   = "language"
)

// Limits on the length of text fields, in characters.
const (
	MaxOrgName  = 300
	MaxAcronym  = 50
	MaxWebsite  = 300
	MaxName     = 200
	MaxEmail    = 254
	MaxJobTitle = 200
	MaxReason   = 1000
	MaxDescr    = 500
)

// checkText trims v and records a field error when it is not valid UTF-8,
// holds control characters or bidirectional controls (textcheck), is
// required but empty, or is longer than max characters. It returns the trimmed text.
func checkText(f apperr.Fields, field, v string, required bool, max int) string {
	return checkTextLines(f, field, v, required, max, false)
}

// checkTextLines is checkText that allows line breaks and tabs when
// multiline is set.
func checkTextLines(f apperr.Fields, field, v string, required bool, max int, multiline bool) string {
	if !utf8.ValidString(v) {
		f.Say(field, "err.field.utf8")
		return ""
	}
	v = strings.TrimSpace(v)
	switch {
	case required && v == "":
		f.Say(field, "err.field.required")
	case utf8.RuneCountInString(v) > max:
		tooLong(f, field, max)
	default:
		if id, r := textcheck.Fault(v, multiline); id != "" {
			f.Say(field, id, "Char", fmt.Sprintf("U+%04X", r))
		}
	}
	return v
}

// tooLong records that field holds more than max characters; the
// message's plural form follows max (Russian and Arabic need it), its
// number is written as digits alone, as the English text always was.
func tooLong(f apperr.Fields, field string, max int) {
	f.SayN(field, "err.field.too_long", max, "Max", strconv.Itoa(max))
}

func oneOf(v string, set []string) bool {
	for _, s := range set {
		if s == v {
			return true
		}
	}
	return false
}

// validate checks every field of o, recording errors under prefix plus
// the field's JSON name, and returns the organization it describes.
func (o OrganizationInput) validate(f apperr.Fields, prefix string) models.Organization {
	var org models.Organization
	org.Name, org.NameKey = checkOrgName(f, prefix+"name", o.Name)
	org.Acronym = checkText(f, prefix+"acronym", o.Acronym, false, MaxAcronym)
	org.Type = checkOrgType(f, prefix+"type", o.Type)
	org.Country = checkCountry(f, prefix+"country", o.Country)
	org.Website, org.WebsiteKey = checkWebsite(f, prefix+"website", o.Website)
	org.ECOSOCStatus = checkECOSOC(f, prefix+"ecosoc_status", o.ECOSOCStatus)
	return org
}

// checkOrgName returns the trimmed name and its folded key.
func checkOrgName(f apperr.Fields, field, v string) (name, key string) {
	name = checkText(f, field, v, true, MaxOrgName)
	key = NameKey(name)
	if name != "" && key == "" {
		f.Say(field, "err.field.required")
	}
	return name, key
}

func checkOrgType(f apperr.Fields, field, v string) string {
	switch t := strings.TrimSpace(v); {
	case t == "":
		f.Say(field, "err.field.org_type")
	case !oneOf(t, models.OrganizationTypes):
		f.Say(field, "err.field.org_type_list")
	default:
		return t
	}
	return ""
}

func checkCountry(f apperr.Fields, field, v string) string {
	if strings.TrimSpace(v) == "" {
		f.Say(field, "err.field.country")
	} else if c, ok := Country(v); !ok {
		f.Say(field, "err.field.country_list")
	} else {
		return c
	}
	return ""
}

// checkWebsite returns the absolute website ("" for none) and its key.
func checkWebsite(f apperr.Fields, field, v string) (website, key string) {
	web := checkText(f, field, v, false, MaxWebsite)
	if web == "" {
		return "", ""
	}
	w, ok := NormalizeWebsite(web)
	switch {
	case !ok:
		f.Say(field, "err.field.website")
	case utf8.RuneCountInString(w) > MaxWebsite:
		tooLong(f, field, MaxWebsite)
	default:
		return w, WebsiteKey(w)
	}
	return "", ""
}

// checkECOSOC returns the status; empty means "none".
func checkECOSOC(f apperr.Fields, field, v string) string {
	switch st := strings.TrimSpace(v); {
	case st == "":
		return "none"
	case !oneOf(st, models.ECOSOCStatuses):
		f.Say(field, "err.field.ecosoc_list")
	default:
		return st
	}
	return ""
}

// ValidEmail returns the lower-cased address and reports whether s is one
// bare email address (no display name) with a dotted domain.
func ValidEmail(s string) (string, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "" || len(s) > MaxEmail {
		return "", false
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Name != "" || a.Address != s {
		return "", false
	}
	// Quoted local parts and address literals are legal but never seen
	// in practice, and they make poor mail targets; refuse them.
	at := strings.LastIndexByte(s, '@')
	domain := s[at+1:]
	if at < 1 || strings.ContainsAny(s, " \"[]") || !strings.Contains(domain, ".") ||
		strings.HasPrefix(domain, ".") || strings.HasSuffix(domain, ".") {
		return "", false
	}
	return s, true
}

// Validate checks in and returns the applicant it describes, or an Invalid
// error with a message per bad field. HTML in any field is kept as text:
// it is escaped wherever it is shown, never interpreted.
func (in Input) Validate() (Applicant, error) {
	return in.ValidateFor(nil)
}

// ValidateFor is Validate for a registration for meeting m (nil: none),
// whose privacy notice the registrant must have agreed to in its current
// version (CheckConsentVersion).
func (in Input) ValidateFor(m *models.Meeting) (Applicant, error) {
	f := apperr.Fields{}
	if m != nil {
		in.CheckConsentVersion(f, m)
	}
	var a Applicant
	a.Organization = in.Organization.validate(f, "organization.")
	a.Description = checkTextLines(f, FieldOrgDescr, in.Organization.Description, false, MaxDescr, true)

	a.Name = checkText(f, FieldName, in.Name, true, MaxName)
	if email := checkText(f, FieldEmail, in.Email, true, MaxEmail); email != "" {
		if e, ok := ValidEmail(email); ok {
			a.Email = e
		} else {
			f.Say(FieldEmail, "err.field.email")
		}
	}
	a.JobTitle = checkText(f, FieldJobTitle, in.JobTitle, false, MaxJobTitle)
	a.Language = checkLanguage(f, in.Language)
	if !in.Consent {
		f.Say(FieldConsent, "err.field.consent")
	}
	if err := f.Err(); err != nil {
		return Applicant{}, err
	}
	return a, nil
}

// CheckConsentVersion records a field error when meeting m has a privacy
// notice and in does not name its current version: a registrant agrees
// to a text, and a form opened before the notice changed (or a client
// that never showed it) must show the new text first. A meeting without
// a notice needs only the consent box, for the form's built-in text.
func (in Input) CheckConsentVersion(f apperr.Fields, m *models.Meeting) {
	if m.PrivacyNotice == "" {
		return
	}
	switch {
	case in.ConsentVersion == nil || *in.ConsentVersion == 0:
		f.Say(FieldConsentVer, "err.field.notice_unread", "Version", m.PrivacyNoticeVersion)
	case *in.ConsentVersion != m.PrivacyNoticeVersion:
		f.Say(FieldConsentVer, "err.field.notice_changed", "Seen", *in.ConsentVersion, "Version", m.PrivacyNoticeVersion)
	}
}

// ConsentVersionOf is the notice version a registration for m records
// when its registrant agreed: the notice's, or 0 for the built-in text.
func ConsentVersionOf(m *models.Meeting) int {
	if m.PrivacyNotice == "" {
		return 0
	}
	return m.PrivacyNoticeVersion
}

// DetailsInput is what a participant may change on their own
// registration: their name and job title. Email and organization are
// fixed, because the duplicate and per-organization rules were checked
// against them; a participant who needs to change them withdraws and
// registers again.
type DetailsInput struct {
	Name     string `json:"name"`
	JobTitle string `json:"job_title"`
}

// Validate returns the trimmed details or an Invalid error.
func (in DetailsInput) Validate() (DetailsInput, error) {
	f := apperr.Fields{}
	out := DetailsInput{
		Name:     checkText(f, FieldName, in.Name, true, MaxName),
		JobTitle: checkText(f, FieldJobTitle, in.JobTitle, false, MaxJobTitle),
	}
	return out, f.Err()
}

// ValidReason checks the reason given with a decision.
func ValidReason(reason string) (string, error) {
	f := apperr.Fields{}
	r := checkTextLines(f, FieldReason, reason, false, MaxReason, true)
	return r, f.Err()
}

// checkLanguage returns the language code v names ("fr", "fr-CA" → "fr"),
// English when v is empty, and records a field error when it names a
// language Rostrum does not speak.
func checkLanguage(f apperr.Fields, v string) string {
	if strings.TrimSpace(v) == "" {
		return locale.Default
	}
	code, ok := locale.Parse(v)
	if !ok {
		f.Say(FieldLanguage, "err.field.language", "Codes", strings.Join(locale.Codes, ", "))
		return ""
	}
	return code
}
