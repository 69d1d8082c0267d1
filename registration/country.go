package registration

import (
	"slices"
	"strings"
	"sync"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
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

// renamed are countries whose English short name changed after the CLDR
// release that golang.org/x/text carries (which still says Swaziland,
// Macedonia and Turkey). Drop an entry once x/text names it so.
var renamed = map[string]string{
	"SZ": "Eswatini",        // 2018
	"MK": "North Macedonia", // 2019
	"TR": "Türkiye",         // 2022
}

// CountryName returns the English name of a country code, or the code
// itself when it is unknown.
func CountryName(code string) string {
	if n, ok := renamed[code]; ok {
		return n
	}
	r, err := language.ParseRegion(code)
	if err != nil {
		return code
	}
	if n := display.English.Regions().Name(r); n != "" {
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
