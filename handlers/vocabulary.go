package handlers

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"sync"

	"github.com/gofiber/fiber/v2"

	"rostrum/apperr"
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

// buildVocabulary assembles the vocabulary from the server's tables.
func buildVocabulary() Vocabulary {
	v := Vocabulary{
		ECOSOCStatuses:       models.ECOSOCStatusTerms,
		RegistrationStatuses: models.RegistrationStatusTerms,
		MeetingKinds:         models.MeetingKindTerms,
		StaffRoles:           models.RoleTerms,
		Countries:            registration.Countries(),
	}
	for _, t := range models.StakeholderTypes {
		v.StakeholderTypes = append(v.StakeholderTypes, stakeholderTermView{t.Key, t.Label, t.Group})
	}
	// Categories add the States to the stakeholder types, in the order of
	// precedence: the balance of the floor and a delegation's type are
	// named from them.
	for _, t := range models.CategoryTerms {
		v.Categories = append(v.Categories, stakeholderTermView{t.Key, t.Label, models.CategoryOf(t.Key).Group})
	}
	for _, k := range apperr.Kinds() {
		v.ErrorCodes = append(v.ErrorCodes, errorCodeView{apperr.Code(k), kindStatus[k]})
	}
	v.ErrorCodes = append(v.ErrorCodes, errorCodeView{apperr.CodeInternal, fiber.StatusInternalServerError})
	return v
}

// vocabularyBody is the vocabulary's JSON and its entity tag, made once:
// it changes only with the program.
var vocabularyBody = sync.OnceValues(func() ([]byte, string) {
	b, err := json.Marshal(buildVocabulary())
	if err != nil {
		panic(err) // plain strings and ints: cannot fail
	}
	sum := sha256.Sum256(b)
	return b, `"` + hex.EncodeToString(sum[:8]) + `"`
})

// vocabulary: GET /api/vocabulary, public. Pages load it once; browsers
// keep it as long as the static files and then revalidate by its ETag.
func (h *Handler) vocabulary(c *fiber.Ctx) error {
	body, etag := vocabularyBody()
	c.Set(fiber.HeaderCacheControl, "public, max-age=3600")
	c.Set(fiber.HeaderETag, etag)
	if c.Fresh() {
		return c.SendStatus(fiber.StatusNotModified)
	}
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSONCharsetUTF8)
	return c.Send(body)
}
