package registration

import (
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
		f.Add(field, "must be valid UTF-8 text")
		return ""
	}
	v = strings.TrimSpace(v)
	switch {
	case required && v == "":
		f.Add(field, "is required")
	case utf8.RuneCountInString(v) > max:
		f.Add(field, "must be at most "+strconv.Itoa(max)+" characters")
	default:
		if p := textcheck.Problem(v, multiline); p != "" {
			f.Add(field, p)
		}
	}
	return v
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
		f.Add(field, "is required")
	}
	return name, key
}

func checkOrgType(f apperr.Fields, field, v string) string {
	switch t := strings.TrimSpace(v); {
	case t == "":
		f.Add(field, "Choose the type of your organization")
	case !oneOf(t, models.OrganizationTypes):
		f.Add(field, "Choose the type of your organization from the list")
	default:
		return t
	}
	return ""
}

func checkCountry(f apperr.Fields, field, v string) string {
	if strings.TrimSpace(v) == "" {
		f.Add(field, "Choose a country")
	} else if c, ok := Country(v); !ok {
		f.Add(field, "Choose a country from the list")
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
		f.Add(field, "must be a web address such as https://example.org")
	case utf8.RuneCountInString(w) > MaxWebsite:
		f.Add(field, "must be at most "+strconv.Itoa(MaxWebsite)+" characters")
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
		f.Add(field, "Choose a consultative status from the list")
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
			f.Add(FieldEmail, "must be an email address such as name@example.org")
		}
	}
	a.JobTitle = checkText(f, FieldJobTitle, in.JobTitle, false, MaxJobTitle)
	a.Language = checkLanguage(f, in.Language)
	if !in.Consent {
		f.Add(FieldConsent, "you must agree to the processing of your data for this meeting")
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
		f.Add(FieldConsentVer, "this meeting has a privacy notice (version "+strconv.Itoa(m.PrivacyNoticeVersion)+"): read it on the registration form and agree to it")
	case *in.ConsentVersion != m.PrivacyNoticeVersion:
		f.Add(FieldConsentVer, "the privacy notice has changed since this form was opened (you saw version "+strconv.Itoa(*in.ConsentVersion)+", it is now version "+strconv.Itoa(m.PrivacyNoticeVersion)+"): reload the form, read the new notice and agree again")
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
		f.Add(FieldLanguage, "must be one of the languages "+strings.Join(locale.Codes, ", "))
		return ""
	}
	return code
}
