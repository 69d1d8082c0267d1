package locale

import (
	"encoding/json"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

// pluralForms are the CLDR plural categories each language's rules use
// (the ones go-i18n picks from): a plural message must have every one.
var pluralForms = map[string][]string{
	"en": {"one", "other"},
	"fr": {"many", "one", "other"},
	"es": {"many", "one", "other"},
	"ar": {"few", "many", "one", "other", "two", "zero"},
	"zh": {"other"},
	"ru": {"few", "many", "one", "other"},
}

var field = regexp.MustCompile(`\{\{\s*\.(\w+)\s*\}\}`)

func fieldsOf(code, id string) []string {
	var texts []string
	if forms := Forms(code, id); forms != nil {
		for _, f := range forms {
			texts = append(texts, messageOf(code, id).(map[string]any)[f].(string))
		}
	} else {
		texts = append(texts, messageOf(code, id).(string))
	}
	set := map[string]bool{}
	for _, t := range texts {
		for _, m := range field.FindAllStringSubmatch(t, -1) {
			set[m[1]] = true
		}
	}
	var out []string
	for f := range set {
		out = append(out, f)
	}
	slices.Sort(out)
	return out
}

func TestEveryCatalogueHasEveryMessageOfEveryOther(t *testing.T) {
	all := map[string]bool{}
	for _, code := range Codes {
		for _, id := range IDs(code) {
			all[id] = true
		}
	}
	for _, code := range Codes {
		for id := range all {
			if !Has(code, id) {
				t.Errorf("%s.json lacks %q", code, id)
			}
		}
	}
}

func TestPluralMessagesHaveEveryFormOfTheirLanguage(t *testing.T) {
	for _, code := range Codes {
		for _, id := range IDs(code) {
			forms := Forms(code, id)
			if forms == nil {
				if Forms(Default, id) != nil {
					t.Errorf("%s: %q is plural in English but not here", code, id)
				}
				continue
			}
			if !slices.Equal(forms, pluralForms[code]) {
				t.Errorf("%s: %q has forms %v, the language needs %v", code, id, forms, pluralForms[code])
			}
		}
	}
}

func TestTranslationsFillTheSameFieldsAsEnglish(t *testing.T) {
	for _, id := range IDs(Default) {
		want := fieldsOf(Default, id)
		for _, code := range Codes {
			if !Has(code, id) {
				continue
			}
			// Arabic's zero form may say "none" without the number.
			got := fieldsOf(code, id)
			if !slices.Equal(got, want) {
				t.Errorf("%s: %q fills %v, English fills %v", code, id, got, want)
			}
		}
	}
}

func TestNonEnglishParticipantMessagesAreTranslated(t *testing.T) {
	// A message may equal English only when it holds no words of its own
	// (dates' patterns, "Documents", "Programme").
	same := map[string]bool{"date.day": true, "date.with_zone": true, "summary.documents": true, "documents.heading": true, "door.participants": true, "nav.programme": true, "meeting.dates": true,
		// UN documents in Arabic, Chinese and Russian keep "Distr.: General";
		// French and Spanish write some words as English does.
		"summary.distr": true, "summary.introduction": true, "summary.col_interventions": true, "summary.total": true,
		// The order of a clause's subject and verb: French, Spanish,
		// Russian and Arabic put them as English does.
		"summary.clause": true,
		// A field's error is its name and message, punctuated as English does.
		"api.field_error": true}
	for _, code := range Codes {
		if code == Default {
			continue
		}
		for _, id := range IDs(code) {
			if Forms(code, id) == nil && raw[code][id] == raw[Default][id] && !same[id] {
				t.Errorf("%s: %q is still English: %q", code, id, raw[code][id])
			}
		}
	}
}

func TestLanguageIsChosenByQueryThenCookieThenAcceptLanguage(t *testing.T) {
	cases := []struct{ query, cookie, accept, want string }{
		{"fr", "es", "ru", "fr"},
		{"", "es", "ru", "es"},
		{"", "", "ru-RU,ru;q=0.9,en;q=0.5", "ru"},
		{"", "", "de-CH, fr;q=0.8", "fr"},
		{"", "", "zh-TW", "zh"},
		{"xx", "ar", "", "ar"},    // an unknown query is ignored
		{"", "de", "es-MX", "es"}, // so is a cookie naming no language of ours
		{"", "", "de", "en"},
		{"", "", "", "en"},
	}
	for _, c := range cases {
		if got := Choose(c.query, c.cookie, c.accept); got != c.want {
			t.Errorf("Choose(%q, %q, %q) = %q, want %q", c.query, c.cookie, c.accept, got, c.want)
		}
	}
}

func TestArabicIsWrittenRightToLeft(t *testing.T) {
	for _, code := range Codes {
		want := "ltr"
		if code == "ar" {
			want = "rtl"
		}
		if Dir(code) != want {
			t.Errorf("Dir(%s) = %s", code, Dir(code))
		}
	}
}

func TestPluralsFollowEachLanguagesRules(t *testing.T) {
	cases := []struct {
		code string
		n    int
		want string
	}{
		{"en", 1, "1 organization"}, {"en", 2, "2 organizations"},
		{"fr", 0, "0 organisation"}, {"fr", 2, "2 organisations"},
		{"ru", 1, "1 организация"}, {"ru", 3, "3 организации"}, {"ru", 5, "5 организаций"}, {"ru", 21, "21 организация"},
		{"ar", 2, "منظمتان"}, {"ar", 3, "3 منظمات"}, {"ar", 11, "11 منظمةً"},
		{"zh", 7, "7个组织"},
		{"en", 1500, "1,500 organizations"},
	}
	for _, c := range cases {
		if got := N(c.code, "organizations.count", c.n); got != c.want {
			t.Errorf("N(%s, %d) = %q, want %q", c.code, c.n, got, c.want)
		}
	}
}

func TestCountryNamesComeFromCLDRInTheReadersLanguage(t *testing.T) {
	cases := map[[2]string]string{
		{"fr", "DE"}: "Allemagne", {"es", "DE"}: "Alemania", {"ru", "DE"}: "Германия",
		{"zh", "DE"}: "德国", {"ar", "DE"}: "ألمانيا", {"en", "DE"}: "Germany",
		{"fr", "MK"}: "Macédoine du Nord", {"en", "TR"}: "Türkiye",
		// The observer States, as the United Nations names them.
		{"en", "VA"}: "Holy See", {"en", "PS"}: "State of Palestine", {"fr", "VA"}: "Saint-Siège",
		{"ar", "PS"}: "دولة فلسطين", {"ru", "VA"}: "Святой Престол",
	}
	for k, want := range cases {
		if got := CountryName(k[0], k[1]); got != want {
			t.Errorf("CountryName(%s, %s) = %q, want %q", k[0], k[1], got, want)
		}
	}
}

func TestDatesAreWrittenAsEachLanguageWritesThem(t *testing.T) {
	s := time.Date(2019, 12, 2, 10, 0, 0, 0, time.UTC)
	e := time.Date(2019, 12, 4, 10, 0, 0, 0, time.UTC)
	cases := map[string]string{
		"en": "2 December 2019 – 4 December 2019",
		"fr": "du 2 décembre 2019 au 4 décembre 2019",
		"es": "del 2 de diciembre de 2019 al 4 de diciembre de 2019",
		"zh": "2019年12月2日至2019年12月4日",
		"ru": "с 2 декабря 2019 г. по 4 декабря 2019 г.",
	}
	for code, want := range cases {
		if got := Days(code, s, e); got != want {
			t.Errorf("Days(%s) = %q, want %q", code, got, want)
		}
	}
	if got := Days("fr", s, s); got != "2 décembre 2019" {
		t.Errorf("one day: %q", got)
	}
	if !strings.Contains(Day("ar", s), "ديسمبر") {
		t.Errorf("Arabic month: %q", Day("ar", s))
	}
}

func TestAMomentInAMessageIsWrittenAsEachLanguageWritesATime(t *testing.T) {
	m := Moment{T: time.Date(2019, 12, 2, 10, 30, 0, 0, time.UTC), Layout: "2 January 2006 at 15:04 UTC", Zone: true}
	cases := map[string]string{
		"en": "2 December 2019 at 10:30 UTC",
		"fr": "2 décembre 2019 à 10:30 UTC",
		"es": "2 de diciembre de 2019 a las 10:30 UTC",
	}
	for code, want := range cases {
		if got := m.In(code); got != want {
			t.Errorf("%s: %q, want %q", code, got, want)
		}
	}
}

func TestEveryStaffCatalogueHasEveryStaffMessageOfEveryOther(t *testing.T) {
	all := map[string]bool{}
	for _, code := range StaffCodes {
		for _, id := range StaffIDs(code) {
			all[id] = true
		}
	}
	for _, code := range StaffCodes {
		for id := range all {
			if _, ok := rawStaff[code][id]; !ok {
				t.Errorf("staff/%s.json lacks %q", code, id)
			}
		}
	}
}

// A message lives in one set: a staff page reads both, and one id with
// two texts would show whichever came last.
func TestNoMessageIsInBothSets(t *testing.T) {
	for _, code := range StaffCodes {
		for _, id := range StaffIDs(code) {
			if _, ok := raw[code][id]; ok {
				t.Errorf("%q is in both %s.json and staff/%s.json", id, code, code)
			}
		}
	}
}

func TestStaffMessagesAreTranslatedAndFillEnglishsFields(t *testing.T) {
	// Words French and Spanish write as English does.
	same := map[string]bool{"staff.role.rapporteur": true, "desk.versions": true, "desk.col.version": true, "desk.version_state": true,
		"admin.staff.role.rapporteur": true,
		"admin.col.dates":             true, "admin.link.notes": true, "admin.link.badges": true, // French
		"admin.track.ecosoc": true, "admin.track.ecosoc_status": true, "admin.decided.refused_line": true} // names and fields only
	for _, id := range StaffIDs(Default) {
		want := fieldsOf(Default, id)
		for _, code := range StaffCodes[1:] {
			if got := fieldsOf(code, id); !slices.Equal(got, want) {
				t.Errorf("staff %s: %q fills %v, English fills %v", code, id, got, want)
			}
			if Forms(code, id) == nil && rawStaff[code][id] == rawStaff[Default][id] && !same[id] {
				t.Errorf("staff %s: %q is still English: %q", code, id, rawStaff[code][id])
			}
			if forms := Forms(code, id); forms != nil && !slices.Equal(forms, pluralForms[code]) {
				t.Errorf("staff %s: %q has forms %v, the language needs %v", code, id, forms, pluralForms[code])
			}
		}
	}
}

func TestAStaffPageInALanguageTheStaffSetLacksIsEnglish(t *testing.T) {
	for code, want := range map[string]string{"fr": "fr", "es": "es", "en": "en", "ar": "en", "zh": "en", "ru": "en"} {
		if got := ForStaff(code); got != want {
			t.Errorf("ForStaff(%s) = %s, want %s", code, got, want)
		}
	}
	id := StaffIDs(Default)[0]
	if T("ar", id) != T("en", id) || T("fr", id) == T("en", id) {
		t.Errorf("%q: ar %q, en %q, fr %q", id, T("ar", id), T("en", id), T("fr", id))
	}
	if !strings.Contains(string(StaffCatalogue("ar")), `"`+id+`"`) || !strings.Contains(string(StaffCatalogue("fr")), `"home.title"`) {
		t.Error("a staff page's catalogue lacks one of the two sets")
	}
}

// The catalogue a page embeds is what its scripts ask for, not the
// server's mail, errors and summary wording.
func TestThePagesCatalogueLeavesTheServersMessagesOut(t *testing.T) {
	for _, code := range Codes {
		var m map[string]any
		if err := json.Unmarshal(Catalogue(code), &m); err != nil {
			t.Fatal(err)
		}
		if m["floor.request"] == nil {
			t.Errorf("%s: the pages' catalogue lacks floor.request", code)
		}
		for id := range m {
			if !ForScripts(id) {
				t.Errorf("%s: the pages' catalogue holds the server's %q", code, id)
			}
		}
		if Has(code, "summary.disclaimer") && m["summary.disclaimer"] != nil {
			t.Errorf("%s: summary wording embedded", code)
		}
	}
}
