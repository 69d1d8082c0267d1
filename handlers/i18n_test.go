package handlers_test

import (
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"rostrum/internal/mailtest"
	"rostrum/internal/testenv"
)

// htmlAttrs reads the lang and dir of a page's <html>.
var htmlTag = regexp.MustCompile(`<html lang="([^"]*)" dir="([^"]*)">`)

func langDir(t *testing.T, body []byte) (string, string) {
	t.Helper()
	m := htmlTag.FindSubmatch(body)
	if m == nil {
		t.Fatalf("no <html lang dir> in\n%.400s", body)
	}
	return string(m[1]), string(m[2])
}

func getPage(t *testing.T, e *testenv.Env, path string, headers map[string]string) *testenv.Response {
	t.Helper()
	h := map[string]string{"Accept": "text/html"}
	for k, v := range headers {
		h[k] = v
	}
	res := e.Anon().DoHeaders("GET", path, nil, h)
	if res.Status != 200 {
		t.Fatalf("GET %s: %d\n%s", path, res.Status, res.Body)
	}
	return res
}

func TestPageLanguageIsQueryThenCookieThenAcceptLanguage(t *testing.T) {
	e := testenv.New(t)
	pagesMeeting(t, e, "m")
	// ?lang= wins over the cookie and Accept-Language, and is stored.
	res := getPage(t, e, "/m/m/register?lang=fr", map[string]string{"Cookie": "rostrum_lang=es", "Accept-Language": "ru"})
	if l, _ := langDir(t, res.Body); l != "fr" || !strings.Contains(string(res.Body), "Nom de l&#39;organisation") {
		t.Fatalf("?lang=fr gave %s", l)
	}
	c := res.Header.Get("Set-Cookie")
	if !strings.Contains(c, "rostrum_lang=fr") || !strings.Contains(strings.ToLower(c), "samesite=lax") {
		t.Fatalf("the choice is not kept: Set-Cookie %q", c)
	}
	// Then the cookie, over Accept-Language.
	if l, _ := langDir(t, getPage(t, e, "/m/m/register", map[string]string{"Cookie": "rostrum_lang=es", "Accept-Language": "ru"}).Body); l != "es" {
		t.Fatalf("cookie es gave %s", l)
	}
	// Then Accept-Language, matched to the nearest language Rostrum has.
	if l, _ := langDir(t, getPage(t, e, "/m/m/register", map[string]string{"Accept-Language": "de-CH, ru;q=0.8, en;q=0.5"}).Body); l != "ru" {
		t.Fatalf("Accept-Language ru gave %s", l)
	}
	// Then English.
	res = getPage(t, e, "/", map[string]string{"Accept-Language": "de"})
	if l, d := langDir(t, res.Body); l != "en" || d != "ltr" {
		t.Fatalf("no choice gave %s %s", l, d)
	}
	if v := res.Header.Get("Vary"); !strings.Contains(v, "Cookie") || !strings.Contains(v, "Accept-Language") {
		t.Fatalf("Vary %q: a cache would hand one reader's language to another", v)
	}
}

func TestEveryPublicPageOffersTheSixLanguagesAndIsRightToLeftInArabic(t *testing.T) {
	e := testenv.New(t)
	pagesMeeting(t, e, "m")
	reg, _ := pagesRegister(t, e, "m", sampleRegistration("grace@example.org"))
	for _, path := range []string{"/", "/m/m/register", "/m/m/programme", "/m/m/organizations", "/m/m/summary", "/m/m/documents", "/p/any", reg, "/d/not-a-token"} {
		res := getPage(t, e, path+"?lang=ar", nil)
		if l, d := langDir(t, res.Body); l != "ar" || d != "rtl" {
			t.Errorf("%s: lang=%s dir=%s", path, l, d)
		}
		body := string(res.Body)
		for _, name := range []string{"العربية", "中文", "English", "Français", "Русский", "Español"} {
			if !strings.Contains(body, ">"+name+"</a>") {
				t.Errorf("%s: the language switch lacks %s", path, name)
			}
		}
		if !strings.Contains(body, `id="i18n"`) {
			t.Errorf("%s: no catalogue for its scripts", path)
		}
	}
}

func TestScreenSpeaksTheMeetingsLanguage(t *testing.T) {
	e := testenv.New(t)
	pagesMeeting(t, e, "m")
	e.Admin().MustJSON("PATCH", "/api/meetings/m", map[string]any{"language": "es"}, 200, nil)
	res := getPage(t, e, "/m/m/screen", map[string]string{"Accept-Language": "fr"})
	if l, _ := langDir(t, res.Body); l != "es" || !strings.Contains(string(res.Body), "Próximos oradores") {
		t.Fatalf("screen in %s, want the meeting's es", l)
	}
	if l, _ := langDir(t, getPage(t, e, "/m/m/screen?lang=ar", nil).Body); l != "ar" {
		t.Fatalf("?lang=ar gave %s", l)
	}
	res = e.Admin().Do("PATCH", "/api/meetings/m", map[string]any{"language": "de"})
	if res.Status != 422 || !strings.Contains(string(res.Body), `"language"`) {
		t.Fatalf("a meeting in German: %d %s", res.Status, res.Body)
	}
}

func TestARegistrationKeepsItsLanguageAndEveryMailIsInIt(t *testing.T) {
	srv := mailtest.Start(t)
	e := testenv.New(t, testenv.WithSMTP(srv.Host(), srv.Port()))
	registrationMeeting(t, e, "m", 0, 0)

	// The JSON body's language.
	body := testenv.RegistrationBody("Association A", "Aurélie Martin", "aurelie@example.org")
	body["language"] = "fr"
	aurelie := mustRegister(t, e, "m", body)
	got := srv.WaitTo("aurelie@example.org", 1, 10*time.Second)[0]
	if !strings.HasPrefix(got.Subject, "Inscription reçue : ") || !strings.Contains(got.Text, "Bonjour Aurélie Martin,") ||
		!strings.Contains(got.HTML, `<html lang="fr" dir="ltr">`) || !strings.Contains(got.Text, "Statut: En attente") {
		t.Fatalf("confirmation not in French: %q\n%s", got.Subject, got.Text)
	}
	if !strings.Contains(got.Text, aurelie.ManageURL+"?lang=fr") {
		t.Fatalf("the private link does not open the page in French:\n%s", got.Text)
	}
	decide(e.Admin(), aurelie.ID, "approve", 200)
	if a := srv.WaitTo("aurelie@example.org", 2, 10*time.Second)[1]; !strings.HasPrefix(a.Subject, "Inscription approuvée : ") ||
		!strings.Contains(a.Text, "Motif indiqué par le secrétariat : r") || strings.Contains(a.Text, "Dear") {
		t.Fatalf("decision not in French: %q\n%s", a.Subject, a.Text)
	}
	if a := srv.To("aurelie@example.org")[1]; !strings.Contains(a.Text, "/m/m/link?lang=fr") {
		t.Fatalf("the lost-link page is not linked in French:\n%s", a.Text)
	}

	// The circulated summary reaches her in French too.
	admin := e.Admin()
	admin.MustJSON("POST", "/api/meetings/m/summary", nil, 201, nil)
	admin.MustJSON("POST", "/api/meetings/m/summary/1/approve", nil, 200, nil)
	admin.MustJSON("POST", "/api/meetings/m/summary/1/circulate", map[string]any{"extra": []string{}}, 202, nil)
	if c := srv.WaitTo("aurelie@example.org", 3, 20*time.Second)[2]; !strings.HasPrefix(c.Subject, "Résumé du Président : ") ||
		!strings.Contains(c.Text, "Bonjour Aurélie Martin,") || !strings.Contains(c.Text, "Le secrétariat") {
		t.Fatalf("circulation not in French: %q\n%s", c.Subject, c.Text)
	}

	// The form's language, posted without JavaScript.
	form := "org_name=Red+B&org_type=ngo&org_country=AR&org_ecosoc_status=none&name=Bruno&email=bruno%40example.org&consent=true&language=es"
	res := e.Anon().DoHeaders("POST", "/m/m/register", form, map[string]string{"Content-Type": "application/x-www-form-urlencoded", "Accept": "text/html"})
	if res.Status != 201 {
		t.Fatalf("form: %d %s", res.Status, res.Body)
	}
	if l, _ := langDir(t, res.Body); l != "es" || !strings.Contains(string(res.Body), "Gracias, hemos recibido su inscripción") {
		t.Fatalf("the no-script answer is not in Spanish:\n%s", res.Body)
	}
	if b := srv.WaitTo("bruno@example.org", 1, 10*time.Second)[0]; !strings.HasPrefix(b.Subject, "Inscripción recibida: ") {
		t.Fatalf("form registration mail: %q", b.Subject)
	}

	// No language in the body: the client's (Accept-Language).
	res = e.Anon().DoHeaders("POST", "/api/meetings/m/registrations", testenv.RegistrationBody("Org C", "Ли Вэй", "li@example.org"), map[string]string{"Accept-Language": "ru-RU"})
	if res.Status != 201 {
		t.Fatalf("%d %s", res.Status, res.Body)
	}
	if r := srv.WaitTo("li@example.org", 1, 10*time.Second)[0]; !strings.HasPrefix(r.Subject, "Регистрация получена: ") {
		t.Fatalf("Accept-Language ru: %q", r.Subject)
	}

	// A language Rostrum does not speak is refused, and nothing is stored.
	body = testenv.RegistrationBody("Org D", "Dora", "dora@example.org")
	body["language"] = "de"
	res = e.Anon().Do("POST", "/api/meetings/m/registrations", body)
	var er struct{ Fields map[string]string }
	_ = json.Unmarshal(res.Body, &er)
	if res.Status != 422 || er.Fields["language"] == "" {
		t.Fatalf("German: %d %s", res.Status, res.Body)
	}
}

func TestPublicPagesAreReadableWithoutScript(t *testing.T) {
	e := testenv.New(t)
	pagesMeeting(t, e, "m")
	admin := e.Admin()
	// An approved organization, a programme and a circulated summary.
	_, id := pagesRegister(t, e, "m", sampleRegistration("grace@example.org"))
	decide(admin, id, "approve", 200)
	admin.MustJSON("POST", "/api/meetings/m/summary", nil, 201, nil)
	admin.MustJSON("PUT", "/api/meetings/m/summary/1", map[string]any{"markdown": "# Chair's Summary\n\n1. Participants stressed the capacity-building gap."}, 200, nil)
	admin.MustJSON("POST", "/api/meetings/m/summary/1/approve", nil, 200, nil)
	admin.MustJSON("POST", "/api/meetings/m/summary/1/circulate", map[string]any{"extra": []string{}}, 202, nil)

	cases := []struct{ path, want string }{
		{"/", "Informal intersessional consultative meeting"},
		{"/m/m/register", `<option value="KE">Kenya</option>`},
		{"/m/m/summary", "Participants stressed the capacity-building gap."},
		{"/m/m/summary", `href="/api/meetings/m/summary/1.pdf"`},
		{"/m/m/organizations", "<bdi>Kenya ICT Action Network</bdi> (<bdi>KICTANet</bdi>)"},
		{"/m/m/programme", "Existing and potential threats"},
		{"/m/m/programme", "3 minutes per speaker"},
		{"/m/m/organizations?lang=fr", "Organisation non gouvernementale"},
		{"/m/m/register?lang=zh", `<option value="KE">肯尼亚</option>`},
		{"/m/m/programme?lang=ru", "3 минуты на оратора"},
	}
	for _, c := range cases {
		body := string(getPage(t, e, c.path, nil).Body)
		if !strings.Contains(body, c.want) {
			t.Errorf("GET %s lacks %q", c.path, c.want)
		}
		// Each shares the header (meeting, switch, navigation) and footer.
		if !strings.Contains(body, `class="site-header"`) || !strings.Contains(body, `class="site-footer"`) || !strings.Contains(body, `class="lang-switch"`) {
			t.Errorf("GET %s lacks the shared header or footer", c.path)
		}
		if strings.HasPrefix(c.path, "/m/") && !strings.Contains(body, `class="site-nav"`) {
			t.Errorf("GET %s lacks the meeting's navigation", c.path)
		}
	}
	if res := e.Anon().DoHeaders("GET", "/m/nope/summary", nil, map[string]string{"Accept": "text/html"}); res.Status != http.StatusNotFound {
		t.Fatalf("unknown meeting: %d", res.Status)
	}
}

func TestCataloguesAreServedForScripts(t *testing.T) {
	e := testenv.New(t)
	var fr map[string]any
	e.Anon().MustJSON("GET", "/i18n/fr.json", nil, 200, &fr)
	if fr["floor.request"] != "Demander la parole" {
		t.Fatalf("fr catalogue: %v", fr["floor.request"])
	}
	if ar, ok := fr["organizations.count"].(map[string]any); !ok || ar["one"] == nil {
		t.Fatalf("plural forms: %v", fr["organizations.count"])
	}
	if res := e.Anon().Do("GET", "/i18n/de.json", nil); res.Status != 404 {
		t.Fatalf("de: %d", res.Status)
	}
	var v struct {
		Countries        []struct{ Code, Name string }
		StakeholderTypes []struct{ Key, Label string } `json:"stakeholder_types"`
		MeetingKinds     []struct{ Key, Label string } `json:"meeting_kinds"`
	}
	e.Anon().MustJSON("GET", "/api/vocabulary?lang=ru", nil, 200, &v)
	if v.StakeholderTypes[0].Label != "Неправительственная организация" {
		t.Fatalf("vocabulary in Russian: %+v", v.StakeholderTypes[0])
	}
	// A process's page names each meeting's kind in the reader's language.
	for _, k := range v.MeetingKinds {
		if k.Key == "substantive_session" && k.Label != "Основная сессия" {
			t.Fatalf("a substantive session in Russian: %q", k.Label)
		}
	}
	if len(v.MeetingKinds) != 3 {
		t.Fatalf("meeting kinds: %+v", v.MeetingKinds)
	}
	for _, c := range v.Countries {
		if c.Code == "DE" && c.Name != "Германия" {
			t.Fatalf("DE in Russian: %q", c.Name)
		}
	}
}

func TestMissionsAreInvitedInTheMeetingsLanguageAndMembersMailedInTheirs(t *testing.T) {
	srv := mailtest.Start(t)
	e := testenv.New(t, testenv.WithSMTP(srv.Host(), srv.Port()))
	newLiveMeeting(t, e, "m")
	e.Admin().MustJSON("PATCH", "/api/meetings/m", map[string]any{"language": "es"}, 200, nil)
	importMissions(t, e, singapore)
	tok := invite(t, e, srv, "m", singapore)["SG"]
	inv := srv.To(singapore.Email)[0]
	if !strings.HasPrefix(inv.Subject, "Invitación: ") || !strings.Contains(inv.Text, "Singapur") || !strings.Contains(inv.HTML, `lang="es"`) {
		t.Fatalf("invitation not in the meeting's Spanish: %q\n%s", inv.Subject, inv.Text)
	}
	// The focal point's page sends its language with each member.
	e.Participant(tok).MustJSON("POST", "/api/delegation/members",
		map[string]any{"name": "Wei Ling", "email": "wei@example.org", "language": "zh"}, 201, nil)
	if m := srv.WaitTo("wei@example.org", 1, 15*time.Second)[0]; !strings.HasPrefix(m.Subject, "已登记为新加坡代表团成员：") {
		t.Fatalf("member's mail not in Chinese: %q", m.Subject)
	}
}
