package locale

import (
	"fmt"
	"slices"
	"sync"
	"time"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
)

// renamed are countries whose short name changed after the CLDR release
// that golang.org/x/text carries (which still says Swaziland, Macedonia
// and, in English, French and Spanish, Turkey), as the United Nations
// writes them in each language. Drop an entry once x/text names it so.
// The two non-member observer States are named as the United Nations
// names them, not as CLDR names the territories (Vatican City,
// Palestinian Territories): a delegation is the Holy See's or the State
// of Palestine's.
var renamed = map[string]map[string]string{
	"en": {"SZ": "Eswatini", "MK": "North Macedonia", "TR": "Türkiye", "VA": "Holy See", "PS": "State of Palestine"},
	"fr": {"SZ": "Eswatini", "MK": "Macédoine du Nord", "TR": "Türkiye", "VA": "Saint-Siège", "PS": "État de Palestine"},
	"es": {"SZ": "Eswatini", "MK": "Macedonia del Norte", "TR": "Türkiye", "VA": "Santa Sede", "PS": "Estado de Palestina"},
	"ar": {"SZ": "إسواتيني", "MK": "مقدونيا الشمالية", "VA": "الكرسي الرسولي", "PS": "دولة فلسطين"},
	"zh": {"SZ": "埃斯瓦蒂尼", "MK": "北马其顿", "VA": "教廷", "PS": "巴勒斯坦国"},
	"ru": {"SZ": "Эсватини", "MK": "Северная Македония", "VA": "Святой Престол", "PS": "Государство Палестина"},
}

var namers = sync.OnceValue(func() map[string]display.Namer {
	out := map[string]display.Namer{}
	for code, t := range tags {
		out[code] = display.Regions(t)
	}
	return out
})

// CountryName is the name of ISO 3166-1 code (upper case) in language
// lang, from Unicode CLDR; "" when CLDR has none.
func CountryName(lang, code string) string {
	if !Supported(lang) {
		lang = Default
	}
	if n, ok := renamed[lang][code]; ok {
		return n
	}
	r, err := language.ParseRegion(code)
	if err != nil {
		return ""
	}
	if lang == Default {
		return display.English.Regions().Name(r)
	}
	return namers()[lang].Name(r)
}

// Sort sorts xs by the text key gives, in the order of a reader of lang
// (Åland Islands after Afghanistan; Égypte among the E).
func Sort[T any](lang string, xs []T, key func(T) string) {
	c := collate.New(Tag(lang))
	slices.SortStableFunc(xs, func(a, b T) int { return c.CompareString(key(a), key(b)) })
}

// Day writes t's date as lang writes a date in full ("2 December 2019",
// "2 décembre 2019", "2019年12月2日").
func Day(lang string, t time.Time) string {
	return T(lang, "date.day", "Day", t.Day(), "Month", T(lang, fmt.Sprintf("date.month.%d", int(t.Month()))), "Year", t.Year())
}

// Days writes the days from s to e (both in the meeting's zone) as lang
// writes them: one day, or a range.
func Days(lang string, s, e time.Time) string {
	if s.Year() == e.Year() && s.YearDay() == e.YearDay() {
		return Day(lang, s)
	}
	return T(lang, "date.range", "From", Day(lang, s), "To", Day(lang, e))
}

// Clock writes t's time of day as lang does (24-hour everywhere but
// English, which the UN writes 24-hour too in its programmes).
func Clock(t time.Time) string { return t.Format("15:04") }

// Moment is a time as the argument of a message: English writes it with
// Layout (as the English messages always did), the other languages as
// date.at writes a day and a time, followed by the zone's abbreviation
// when Zone is set.
type Moment struct {
	T      time.Time
	Layout string
	Zone   bool
}

// In writes m in language lang.
func (m Moment) In(lang string) string {
	if !Supported(lang) || lang == Default {
		return m.T.Format(m.Layout)
	}
	s := T(lang, "date.at", "Date", Day(lang, m.T), "Time", Clock(m.T))
	if m.Zone {
		s += " " + m.T.Format("MST")
	}
	return s
}
