package handlers_test

import (
	"fmt"
	"io/fs"
	"regexp"
	"strings"
	"testing"

	"rostrum/apperr"
	"rostrum/handlers"
	"rostrum/internal/testenv"
	"rostrum/models"
	"rostrum/registration"
	"rostrum/static"
)

func TestVocabularyServesEveryListTheServerUses(t *testing.T) {
	e := testenv.New(t)
	var v handlers.Vocabulary
	res := e.Anon().MustJSON("GET", "/api/vocabulary", nil, 200, &v)

	if len(v.StakeholderTypes) != len(models.OrganizationTypes) {
		t.Fatalf("stakeholder types %+v, want %v", v.StakeholderTypes, models.OrganizationTypes)
	}
	for i, key := range models.OrganizationTypes {
		st := v.StakeholderTypes[i]
		if st.Key != key || st.Label == "" || st.GroupLabel == "" {
			t.Errorf("stakeholder type %d is %+v, want %q with its labels", i, st, key)
		}
	}
	countries := map[string]string{}
	for _, c := range v.Countries {
		countries[c.Code] = c.Name
	}
	if countries["CH"] != "Switzerland" || len(v.Countries) != len(registration.Countries()) {
		t.Errorf("countries: CH is %q, %d of %d", countries["CH"], len(v.Countries), len(registration.Countries()))
	}
	if len(v.RegistrationStatuses) != len(models.RegistrationStatuses) || len(v.ECOSOCStatuses) != len(models.ECOSOCStatuses) {
		t.Errorf("states %v, ECOSOC statuses %v", v.RegistrationStatuses, v.ECOSOCStatuses)
	}

	// The codes are apperr's, each with the status an error of its kind gets.
	var want []string
	for _, k := range apperr.Kinds() {
		st, body := handlers.Status(&apperr.Error{Kind: k, Message: "x"})
		want = append(want, fmt.Sprintf("%s %d", body.Code, st))
	}
	want = append(want, fmt.Sprintf("%s %d", apperr.CodeInternal, 500))
	var got []string
	for _, c := range v.ErrorCodes {
		got = append(got, fmt.Sprintf("%s %d", c.Code, c.Status))
	}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("error codes %v, want %v", got, want)
	}

	// Cacheable: the same ETag answers 304.
	etag := res.Header.Get("ETag")
	if etag == "" || !strings.Contains(res.Header.Get("Cache-Control"), "public") {
		t.Fatalf("ETag %q, Cache-Control %q", etag, res.Header.Get("Cache-Control"))
	}
	if again := e.Anon().DoHeaders("GET", "/api/vocabulary", nil, map[string]string{"If-None-Match": etag}); again.Status != 304 || len(again.Body) != 0 {
		t.Errorf("If-None-Match: %d %q", again.Status, again.Body)
	}
}

func TestErrorAnswersCarryTheirKindsCode(t *testing.T) {
	e := testenv.New(t)
	var body handlers.ErrorBody
	e.Anon().MustJSON("GET", "/api/meetings/no-such-meeting", nil, 404, &body)
	if body.Code != apperr.Code(apperr.KindNotFound) {
		t.Errorf("code %q, want %q", body.Code, apperr.Code(apperr.KindNotFound))
	}
	e.Anon().MustJSON("GET", "/api/no-such-route", nil, 404, &body)
	if body.Code != apperr.Code(apperr.KindNotFound) {
		t.Errorf("unknown route: code %q", body.Code)
	}
}

// quotedLabel finds a name as a list would hold it: a JS string or an
// element's whole text (<option>…</option>), not a word in a sentence.
func quotedLabel(name string) *regexp.Regexp {
	q := regexp.QuoteMeta(name)
	return regexp.MustCompile(`["'` + "`" + `]` + q + `["'` + "`" + `]|>\s*` + q + `\s*<`)
}

func TestPagesTakeTheirNamesFromTheServer(t *testing.T) {
	var typeNames, ecosocNames, countryNames []string
	for _, st := range models.StakeholderTypes {
		typeNames = append(typeNames, st.Label, st.Group)
	}
	for _, tm := range models.ECOSOCStatusTerms {
		ecosocNames = append(ecosocNames, tm.Label)
	}
	for _, c := range registration.Countries() {
		countryNames = append(countryNames, c.Name)
	}
	lists := []struct {
		what  string
		names []string
		most  int // a page may name this many in passing
		res   []*regexp.Regexp
	}{
		{what: "stakeholder types", names: typeNames, most: 1},
		{what: "ECOSOC statuses", names: ecosocNames, most: 1},
		{what: "countries", names: countryNames, most: 2},
	}
	for i := range lists {
		for _, n := range lists[i].names {
			lists[i].res = append(lists[i].res, quotedLabel(n))
		}
	}
	err := fs.WalkDir(static.FS, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := static.FS.ReadFile(path)
		if err != nil {
			return err
		}
		for _, l := range lists {
			var found []string
			for i, re := range l.res {
				if re.Match(b) {
					found = append(found, l.names[i])
				}
			}
			if len(found) > l.most {
				t.Errorf("%s has its own list of %s (%q…): take them from the vocabulary (GET /api/vocabulary, or the page's template)", path, l.what, found[:min(3, len(found))])
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestTheLabelListRuleCatchesACopiedList(t *testing.T) {
	for _, page := range []string{
		`<option value="ngo">Non-governmental organization</option>`,
		`ngo: "Non-governmental organization",`,
		`{ general: 'General consultative status' }`,
		`["CH", "Switzerland"],`,
	} {
		hit := false
		for _, n := range []string{"Non-governmental organization", "General consultative status", "Switzerland"} {
			hit = hit || quotedLabel(n).MatchString(page)
		}
		if !hit {
			t.Errorf("not caught: %s", page)
		}
	}
	if quotedLabel("Non-governmental organization").MatchString(`<p>Non-governmental organizations, businesses and academia register here.</p>`) {
		t.Error("prose caught as a list")
	}
}

func TestRegistrationFormCarriesItsOptionsWithoutAScript(t *testing.T) {
	e := testenv.New(t)
	pagesMeeting(t, e, "any")
	res := e.Anon().Do("GET", "/m/any/register", nil)
	body := string(res.Body)
	if res.Status != 200 || !strings.HasPrefix(body, "<!doctype html>") {
		t.Fatalf("%d %.80q", res.Status, body)
	}
	want := []string{`<option value="CH">Switzerland</option>`, `<option value="none" selected>None</option>`}
	for _, st := range models.StakeholderTypes {
		want = append(want, fmt.Sprintf(`<option value="%s">%s</option>`, st.Key, st.Label))
	}
	for _, w := range want {
		if !strings.Contains(body, w) {
			t.Errorf("the form lacks %s", w)
		}
	}
	if n := strings.Count(body, "<option value=\""); n != 1+len(registration.Countries())+1+len(models.StakeholderTypes)+len(models.ECOSOCStatuses) {
		t.Errorf("%d options", n)
	}
}
