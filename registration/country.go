package registration

import (
	"slices"
	"strings"
	"sync"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"
	"golang.org/x/text/language/display"

	"rostrum/locale"
)

// Country codes are checked against the region data of
// golang.org/x/text/language: Unicode CLDR's copy of ISO 3166-1, kept up
// to date by the Go team and already in the module graph, rather than a
// hand-copied table that would age quietly. CLDR knows more regions than
// ISO 3166-1 assigns, so a code counts as a country when CLDR calls it a
// country, it is its own canonical form (not a deprecated alias such as DD
// or ZR), it has an ISO alpha-3 code (which excludes UK, EU, UN and the
// like), it still has a name (which excludes withdrawn codes such as YU
// and AN), and it is not one of the four codes ISO merely reserves for
// other bodies. That leaves the 249 assigned codes plus XK, which CLDR, the
// European Union and many UN documents use for Kosovo and which a
// registrant from Kosovo needs.
var reservedNotAssigned = map[string]bool{"AC": true, "CP": true, "DG": true, "TA": true}

// Country returns the canonical upper-case ISO 3166-1 alpha-2 code for
// code and reports whether it names a country.
func Country(code string) (string, bool) {
	code = strings.ToUpper(strings.TrimSpace(code))
	if len(code) != 2 || code[0] < 'A' || code[0] > 'Z' || code[1] < 'A' || code[1] > 'Z' {
		return "", false
	}
	r, err := language.ParseRegion(code)
	if err != nil || r.String() != code || !r.IsCountry() || r.Canonicalize() != r ||
		r.ISO3() == "ZZZ" || reservedNotAssigned[code] || display.English.Regions().Name(r) == "" {
		return "", false
	}
	return code, true
}

// CountryName returns the English name of a country code (CLDR's,
// through locale, which also knows the names changed since x/text's CLDR
// release), or the code itself when it is unknown.
func CountryName(code string) string {
	if n := locale.CountryName(locale.Default, code); n != "" {
		return n
	}
	return code
}

// CountryEntry is a country as the registration form offers it.
type CountryEntry struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

// Countries lists every code Country accepts with its English name, in
// the order of an English reader (Åland Islands after Afghanistan).
var Countries = sync.OnceValue(func() []CountryEntry {
	var out []CountryEntry
	for a := 'A'; a <= 'Z'; a++ {
		for b := 'A'; b <= 'Z'; b++ {
			if code, ok := Country(string([]rune{a, b})); ok {
				out = append(out, CountryEntry{code, CountryName(code)})
			}
		}
	}
	c := collate.New(language.English)
	slices.SortStableFunc(out, func(x, y CountryEntry) int { return c.CompareString(x.Name, y.Name) })
	return out
})

// CountriesIn lists every code Country accepts with its name in language
// lang (Unicode CLDR's, through locale), in the order a reader of lang
// sorts them.
func CountriesIn(lang string) []CountryEntry {
	if !locale.Supported(lang) || lang == locale.Default {
		return Countries()
	}
	if v, ok := countriesIn.Load(lang); ok {
		return v.([]CountryEntry)
	}
	en := Countries()
	out := make([]CountryEntry, len(en))
	for i, c := range en {
		out[i] = CountryEntry{c.Code, CountryNameIn(lang, c.Code)}
	}
	locale.Sort(lang, out, func(c CountryEntry) string { return c.Name })
	countriesIn.Store(lang, out)
	return out
}

var countriesIn sync.Map

// CountryNameIn is the name of country code in language lang, or the
// English name when CLDR has none in lang.
func CountryNameIn(lang, code string) string {
	if lang == "" || lang == locale.Default {
		return CountryName(code)
	}
	if n := locale.CountryName(lang, code); n != "" {
		return n
	}
	return CountryName(code)
}
