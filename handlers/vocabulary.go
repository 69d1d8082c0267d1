package handlers

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"sync"

	"github.com/gofiber/fiber/v2"

	"rostrum/apperr"
	"rostrum/locale"
	"rostrum/models"
	"rostrum/registration"
)

// Vocabulary is what the pages call the values the API sends: the names
// of the stakeholder types, ECOSOC statuses, registration states and
// countries, in display order, and the error codes an answer may carry.
// Every list comes from the one table the server itself uses.
type Vocabulary struct {
	StakeholderTypes     []stakeholderTermView       `json:"stakeholder_types"`
	Categories           []stakeholderTermView       `json:"categories"`
	ECOSOCStatuses       []models.Term               `json:"ecosoc_statuses"`
	RegistrationStatuses []models.Term               `json:"registration_statuses"`
	MeetingKinds         []models.Term               `json:"meeting_kinds"`
	StaffRoles           []models.Term               `json:"staff_roles"`
	Countries            []registration.CountryEntry `json:"countries"`
	ErrorCodes           []errorCodeView             `json:"error_codes"`
}

type stakeholderTermView struct {
	Key        string `json:"key"`
	Label      string `json:"label"`
	GroupLabel string `json:"group_label"`
}

// errorCodeView is a kind's code and the HTTP status it comes with. An
// error may carry a more specific code (list_closed, capacity_reached, …)
// with the status of its kind.
type errorCodeView struct {
	Code   string `json:"code"`
	Status int    `json:"status"`
}

// buildVocabulary assembles the vocabulary from the server's tables, its
// names in language lang (English's are the tables' own).
func buildVocabulary(lang string) Vocabulary {
	v := Vocabulary{
		ECOSOCStatuses:       models.ECOSOCStatusTerms,
		RegistrationStatuses: models.RegistrationStatusTerms,
		MeetingKinds:         models.MeetingKindTerms,
		StaffRoles:           models.RoleTerms,
		Countries:            registration.CountriesIn(lang),
	}
	name := func(id, english string) string {
		if lang == locale.Default {
			return english
		}
		return locale.T(lang, id)
	}
	if lang != locale.Default {
		v.ECOSOCStatuses = translated(models.ECOSOCStatusTerms, func(k string) string { return locale.T(lang, "ecosoc."+k) })
		v.RegistrationStatuses = translated(models.RegistrationStatusTerms, func(k string) string { return locale.T(lang, "status."+k) })
		v.MeetingKinds = translated(models.MeetingKindTerms, func(k string) string { return locale.T(lang, "meeting_kind."+k) })
	}
	for _, t := range models.StakeholderTypes {
		v.StakeholderTypes = append(v.StakeholderTypes, stakeholderTermView{t.Key, name("type."+t.Key, t.Label), name("type."+t.Key+".group", t.Group)})
	}
	// Categories add the States to the stakeholder types, in the order of
	// precedence: the balance of the floor and a delegation's type are
	// named from them.
	for _, t := range models.CategoryTerms {
		id := "type." + t.Key + ".group"
		if t.Key == "intergovernmental" {
			id = "category.intergovernmental"
		}
		v.Categories = append(v.Categories, stakeholderTermView{t.Key, name(id, t.Label), name("type."+t.Key+".group", models.CategoryOf(t.Key).Group)})
	}
	for _, k := range apperr.Kinds() {
		v.ErrorCodes = append(v.ErrorCodes, errorCodeView{apperr.Code(k), kindStatus[k]})
	}
	v.ErrorCodes = append(v.ErrorCodes, errorCodeView{apperr.CodeInternal, fiber.StatusInternalServerError})
	return v
}

func translated(terms []models.Term, name func(string) string) []models.Term {
	out := make([]models.Term, len(terms))
	for i, t := range terms {
		out[i] = models.Term{Key: t.Key, Label: name(t.Key)}
	}
	return out
}

// vocabularyBodies are the vocabulary's JSON and its entity tag in each
// language, made once: they change only with the program.
var vocabularyBodies = sync.OnceValue(func() map[string][2]string {
	out := map[string][2]string{}
	for _, code := range locale.Codes {
		b, err := json.Marshal(buildVocabulary(code))
		if err != nil {
			panic(err) // plain strings and ints: cannot fail
		}
		sum := sha256.Sum256(b)
		out[code] = [2]string{string(b), `"` + hex.EncodeToString(sum[:8]) + `"`}
	}
	return out
})

// vocabularyBody is the vocabulary in language lang (English when lang
// is not one of Rostrum's).
func vocabularyBody(lang string) ([]byte, string) {
	v, ok := vocabularyBodies()[lang]
	if !ok {
		v = vocabularyBodies()[locale.Default]
	}
	return []byte(v[0]), v[1]
}

// vocabulary: GET /api/vocabulary[?lang=fr], public, its names in the
// language asked for (English by default: the staff's pages). Pages load
// it once; browsers keep it as long as the static files and then
// revalidate by its ETag.
func (h *Handler) vocabulary(c *fiber.Ctx) error {
	lang, _ := locale.Parse(c.Query("lang"))
	body, etag := vocabularyBody(lang)
	c.Set(fiber.HeaderCacheControl, "public, max-age=3600")
	c.Set(fiber.HeaderETag, etag)
	if c.Fresh() {
		return c.SendStatus(fiber.StatusNotModified)
	}
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSONCharsetUTF8)
	return c.Send(body)
}
