// Package locale is the room of Rostrum's languages: the message
// catalogues (one JSON file per language under catalogues/, with plural
// forms), the choice of a reader's language, the direction of its script,
// and the names of countries, numbers and dates as each language writes
// them. Pages, mail and the summary's fixed wording ask it for their
// words; the pages' scripts read the same catalogues (GET /i18n/{lang}.json
// or the copy embedded in each page).
//
// Two sets of catalogues: catalogues/{code}.json hold what participants
// and the room read, in all six languages; catalogues/staff/{code}.json
// hold the words only the secretariat's staff read (their pages, the API's
// errors to them, their mail), in English, French and Spanish, the
// working languages of the Secretariat. A staff message asked for in
// another language is English.
package locale

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"maps"
	"slices"
	"sort"
	"strings"

	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

//go:embed catalogues/*.json catalogues/staff/*.json
var files embed.FS

// Default is the language of a reader who asks for none Rostrum has.
const Default = "en"

// Codes are the languages Rostrum speaks, the six official languages of
// the United Nations, in the order the language switch lists them.
var Codes = []string{"ar", "zh", "en", "fr", "ru", "es"}

// StaffCodes are the languages of the staff's pages and messages, in the
// order their language switch lists them.
var StaffCodes = []string{"en", "fr", "es"}

// tags are Codes as language tags, for the matcher and CLDR's names.
var tags = map[string]language.Tag{
	"ar": language.Arabic, "zh": language.SimplifiedChinese, "en": language.English,
	"fr": language.French, "ru": language.Russian, "es": language.Spanish,
}

// Names are each language's name in itself, for the language switch.
var Names = map[string]string{
	"ar": "العربية", "zh": "中文", "en": "English", "fr": "Français", "ru": "Русский", "es": "Español",
}

var (
	bundle     *i18n.Bundle
	localizers = map[string]*i18n.Localizer{}
	raw        = map[string]map[string]any{}
	rawJSON    = map[string][]byte{}
	rawStaff   = map[string]map[string]any{}
	staffJSON  = map[string][]byte{} // a staff page's catalogue: both sets
	matcher    language.Matcher
)

func init() {
	bundle = i18n.NewBundle(language.English)
	bundle.RegisterUnmarshalFunc("json", json.Unmarshal)
	var supported []language.Tag
	for _, code := range Codes {
		m := load("catalogues/" + code + ".json")
		raw[code] = m
		rawJSON[code], _ = json.Marshal(forScripts(m))
		localizers[code] = i18n.NewLocalizer(bundle, code)
		supported = append(supported, tags[code])
	}
	for _, code := range StaffCodes {
		m := load("catalogues/staff/" + code + ".json")
		rawStaff[code] = m
		both := maps.Clone(raw[code])
		maps.Copy(both, m)
		staffJSON[code], _ = json.Marshal(forScripts(both))
	}
	// The matcher prefers English when nothing matches: it comes first.
	matcher = language.NewMatcher(append([]language.Tag{language.English}, supported...))
}

// serverOnly are the prefixes of the messages only the server writes:
// the summary's wording, mail, errors (the API sends them written) and
// the door's documents.
// Pages' scripts never ask for them, so the catalogue a page embeds
// leaves them out: they were half its bytes.
var serverOnly = []string{"summary.", "mail.", "err.", "circ.", "door."}

// ForScripts reports whether message id is in the catalogues the pages'
// scripts read (GET /i18n/…, the copy each page embeds).
func ForScripts(id string) bool {
	for _, p := range serverOnly {
		if strings.HasPrefix(id, p) {
			return false
		}
	}
	return true
}

func forScripts(m map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for id, v := range m {
		if ForScripts(id) {
			out[id] = v
		}
	}
	return out
}

// load reads catalogue file name into the bundle and returns its
// messages as they are written (id → text or plural forms).
func load(name string) map[string]any {
	b, err := fs.ReadFile(files, name)
	if err != nil {
		panic(err)
	}
	if _, err := bundle.ParseMessageFileBytes(b, name); err != nil {
		panic(fmt.Sprintf("locale: %s: %v", name, err))
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		panic(err)
	}
	return m
}

// Supported reports whether code is one of Codes.
func Supported(code string) bool {
	_, ok := tags[code]
	return ok
}

// Parse reads a language a person or a client named ("fr", "fr-CA",
// "zh-Hans") as one of Codes, and reports whether it is one.
func Parse(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", false
	}
	t, err := language.Parse(s)
	if err != nil {
		return "", false
	}
	base, _ := t.Base()
	code := base.String()
	return code, Supported(code)
}

// Choose picks the reader's language: the query's ?lang= first, then the
// choice kept in the cookie, then the best match of the Accept-Language
// header, and English when none of them names a language Rostrum has.
func Choose(query, cookie, acceptLanguage string) string {
	for _, s := range []string{query, cookie} {
		if code, ok := Parse(s); ok {
			return code
		}
	}
	if acceptLanguage != "" {
		prefs, _, err := language.ParseAcceptLanguage(acceptLanguage)
		if err == nil && len(prefs) > 0 {
			_, i, conf := matcher.Match(prefs...)
			if conf != language.No && i > 0 {
				return Codes[i-1]
			}
		}
	}
	return Default
}

// IsStaff reports whether code is one of StaffCodes.
func IsStaff(code string) bool { return slices.Contains(StaffCodes, code) }

// ForStaff is the language a staff page is shown in for a reader of
// code: code when the staff's catalogues have it, else English.
func ForStaff(code string) string {
	if IsStaff(code) {
		return code
	}
	return Default
}

// Dir is the direction of code's script: "rtl" for Arabic, else "ltr".
func Dir(code string) string {
	if code == "ar" {
		return "rtl"
	}
	return "ltr"
}

func pairs(args []any) map[string]any {
	if len(args) == 0 {
		return nil
	}
	data := make(map[string]any, len(args)/2)
	for i := 0; i+1 < len(args); i += 2 {
		data[fmt.Sprint(args[i])] = args[i+1]
	}
	return data
}

func localizer(code string) *i18n.Localizer {
	if l, ok := localizers[code]; ok {
		return l
	}
	return localizers[Default]
}

// T is message id in language code, its {{.Name}} fields filled from
// args, given as name, value pairs. A message a catalogue lacks (which a
// test forbids) falls back to English, then to its id.
func T(code, id string, args ...any) string {
	s, err := localizer(code).Localize(&i18n.LocalizeConfig{MessageID: id, TemplateData: pairs(args)})
	if err != nil && s == "" {
		return id
	}
	return s
}

// N is message id with the plural form of count in language code; the
// message's {{.Count}} is count written as the language writes numbers.
func N(code, id string, count int, args ...any) string {
	data := pairs(args)
	if data == nil {
		data = map[string]any{}
	}
	data["Count"] = Number(code, count)
	s, err := localizer(code).Localize(&i18n.LocalizeConfig{MessageID: id, PluralCount: count, TemplateData: data})
	if err != nil && s == "" {
		return id
	}
	return s
}

// Number writes n as language code writes numbers (1,234 · 1 234 ·
// 1.234). Arabic is written with the digits 0–9, as United Nations
// documents in Arabic write them (and as the dates are).
func Number(code string, n int) string {
	t := Tag(code)
	if code == "ar" {
		t = language.MustParse("ar-u-nu-latn")
	}
	return message.NewPrinter(t).Sprintf("%d", n)
}

// Tag is code's language tag (English's for an unknown code).
func Tag(code string) language.Tag {
	if t, ok := tags[code]; ok {
		return t
	}
	return language.English
}

// Catalogue is language code's catalogue as JSON: message id → text, or
// → {plural form → text} (CLDR's forms: zero, one, two, few, many,
// other), without the server's own messages (ForScripts). The pages'
// scripts read it.
func Catalogue(code string) []byte {
	if b, ok := rawJSON[code]; ok {
		return b
	}
	return rawJSON[Default]
}

// StaffCatalogue is what a staff page in language code reads: its
// catalogue of both sets, as JSON (English's for a code the staff's set
// lacks).
func StaffCatalogue(code string) []byte {
	return staffJSON[ForStaff(code)]
}

// StaffIDs lists the message ids of code's staff catalogue, sorted.
func StaffIDs(code string) []string {
	var out []string
	for id := range rawStaff[code] {
		out = append(out, id)
	}
	sort.Strings(out)
	return out
}

// IDs lists the message ids of code's catalogue, sorted.
func IDs(code string) []string {
	var out []string
	for id := range raw[code] {
		out = append(out, id)
	}
	sort.Strings(out)
	return out
}

// Forms lists the plural forms message id has in code's catalogue (of
// either set), or nil when it is a plain message.
func Forms(code, id string) []string {
	m, ok := messageOf(code, id).(map[string]any)
	if !ok {
		return nil
	}
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Has reports whether code's catalogue (of either set) holds message id.
func Has(code, id string) bool {
	return messageOf(code, id) != nil
}

// messageOf is id in code's catalogues, participants' first.
func messageOf(code, id string) any {
	if m, ok := raw[code][id]; ok {
		return m
	}
	return rawStaff[code][id]
}
