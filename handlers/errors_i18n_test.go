package handlers_test

import (
	"fmt"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"rostrum/internal/testenv"
	"rostrum/models"
)

// errorAnswer is the JSON of an error answer.
type errorAnswer struct {
	Error  string            `json:"error"`
	Code   string            `json:"code"`
	Fields map[string]string `json:"fields"`
}

func decodeError(t *testing.T, res *testenv.Response, status int) errorAnswer {
	t.Helper()
	if res.Status != status {
		t.Fatalf("status %d, want %d: %s", res.Status, status, res.Body)
	}
	var out errorAnswer
	res.Decode(t, &out)
	return out
}

// badFrenchRegistration is a registration with a country that is none
// and no consent.
func badRegistration() map[string]any {
	reg := sampleRegistration("amelie@example.org")
	reg["organization"].(map[string]any)["country"] = "XX"
	reg["consent"] = false
	return reg
}

// Finding 8 of issue 15, §4: messages are written for people, in their
// language. A reader of French (by ?lang=, the stored choice,
// Accept-Language, or the registration's own language) reads the
// registration's field messages in French; the fields' names and the
// code do not change.
func TestRegistrationFieldErrorsAreInTheReadersLanguage(t *testing.T) {
	e := testenv.New(t)
	pagesMeeting(t, e, "oewg-2019")
	french := map[string]string{
		"organization.country": "Choisissez un pays dans la liste",
		"consent":              "vous devez accepter le traitement de vos données pour cette réunion",
	}
	withLanguage := badRegistration()
	withLanguage["language"] = "fr-CA"
	for _, tc := range []struct {
		name    string
		path    string
		body    map[string]any
		headers map[string]string
	}{
		{"Accept-Language", "/api/meetings/oewg-2019/registrations", badRegistration(), map[string]string{"Accept-Language": "fr-FR,fr;q=0.9,en;q=0.5"}},
		{"?lang=", "/api/meetings/oewg-2019/registrations?lang=fr", badRegistration(), nil},
		{"the stored choice", "/api/meetings/oewg-2019/registrations", badRegistration(), map[string]string{"Cookie": "rostrum_lang=fr", "Accept-Language": "en"}},
		{"the registration's language", "/api/meetings/oewg-2019/registrations", withLanguage, map[string]string{"Accept-Language": "en"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := e.Anon().DoHeaders("POST", tc.path, tc.body, tc.headers)
			got := decodeError(t, res, 422)
			if got.Error != "certains champs ne sont pas valides" || got.Code != "invalid" {
				t.Errorf("message %q code %q", got.Error, got.Code)
			}
			for field, want := range french {
				if got.Fields[field] != want {
					t.Errorf("%s: %q, want %q", field, got.Fields[field], want)
				}
			}
			if len(got.Fields) != len(french) {
				t.Errorf("fields %v, want only %v", got.Fields, french)
			}
		})
	}
	var n int64
	if err := e.App.DB.Model(&models.Registration{}).Count(&n).Error; err != nil || n != 0 {
		t.Fatalf("%d registrations stored (%v)", n, err)
	}
}

// The registration form without script answers a page in its language:
// its field errors are French there too.
func TestNoScriptRegistrationPageShowsFieldErrorsInTheFormsLanguage(t *testing.T) {
	e := testenv.New(t)
	pagesMeeting(t, e, "oewg-2019")
	form := url.Values{
		"org_name": {"Université de Genève"}, "org_type": {"academia"}, "org_country": {"XX"},
		"org_ecosoc_status": {"none"}, "name": {"Amélie Martin"}, "email": {"amelie@example.org"}, "language": {"fr"},
	}
	res := e.Anon().DoHeaders("POST", "/m/oewg-2019/register", form.Encode(), map[string]string{
		"Content-Type": "application/x-www-form-urlencoded", "Accept": "text/html", "Accept-Language": "en",
	})
	body := html.UnescapeString(string(res.Body))
	if res.Status != 422 {
		t.Fatalf("status %d\n%s", res.Status, body)
	}
	for _, want := range []string{"Choisissez un pays dans la liste", "vous devez accepter le traitement de vos données pour cette réunion"} {
		if !strings.Contains(body, want) {
			t.Errorf("the page lacks %q:\n%s", want, body)
		}
	}
	for _, english := range []string{"Choose a country", "you must agree"} {
		if strings.Contains(body, english) {
			t.Errorf("the French page says %q", english)
		}
	}
}

// English readers read what they always read.
func TestRegistrationFieldErrorsInEnglishAreUnchanged(t *testing.T) {
	e := testenv.New(t)
	pagesMeeting(t, e, "oewg-2019")
	reg := badRegistration()
	reg["name"] = strings.Repeat("a", 201)
	got := decodeError(t, e.Anon().DoHeaders("POST", "/api/meetings/oewg-2019/registrations", reg, map[string]string{"Accept-Language": "de"}), 422)
	want := map[string]string{
		"organization.country": "Choose a country from the list",
		"consent":              "you must agree to the processing of your data for this meeting",
		"name":                 "must be at most 200 characters",
	}
	if got.Error != "some fields are invalid" {
		t.Errorf("message %q", got.Error)
	}
	for field, w := range want {
		if got.Fields[field] != w {
			t.Errorf("%s: %q, want %q", field, got.Fields[field], w)
		}
	}
}

// A participant reading Arabic gets the API's answers to their link and
// their requests for the floor in Arabic: a link that is no longer valid
// (401), a meeting that does not exist (404).
func TestAnArabicParticipantsErrorsAreInArabic(t *testing.T) {
	e := testenv.New(t)
	arabic := map[string]string{"Accept-Language": "ar"}

	got := decodeError(t, e.Participant("not-a-token").DoHeaders("GET", "/api/participant", nil, arabic), http.StatusUnauthorized)
	if got.Error != "رابط المشارك هذا غير صالح" || got.Code != "unauthorized" {
		t.Errorf("401: %q %q", got.Error, got.Code)
	}
	got = decodeError(t, e.Anon().DoHeaders("GET", "/api/floor?lang=ar", nil, nil), http.StatusUnauthorized)
	if got.Error != "أرسل رمز المشارك الخاص بك بصيغة Authorization: Bearer <الرمز>" {
		t.Errorf("401 without a link, by ?lang=: %q", got.Error)
	}

	lm := newLiveMeeting(t, e, "m")
	_, tok := lm.participant(t, "Ana", "ngo", models.StatusApproved)
	ana := e.Participant(tok)
	got = decodeError(t, ana.DoHeaders("POST", "/api/meetings/no-such-meeting/agenda/1/speakers", nil, arabic), http.StatusNotFound)
	if got.Error != `لا يوجد اجتماع "no-such-meeting"` || got.Code != "not_found" {
		t.Errorf("404: %q %q", got.Error, got.Code)
	}
	// The same answers in English, as before.
	got = decodeError(t, ana.Do("POST", "/api/meetings/no-such-meeting/agenda/1/speakers", nil), http.StatusNotFound)
	if got.Error != `no meeting "no-such-meeting"` {
		t.Errorf("404 in English: %q", got.Error)
	}

}

// The 429 of a throttle says how long to wait in the reader's language,
// with the plural form the number needs; on the websocket, the error
// frame speaks the language of the page that opened it.
func TestRateLimitAnswersAreInTheReadersLanguage(t *testing.T) {
	cfg := testenv.Config(t)
	cfg.RegistrationRateLimit = 1
	cfg.ParticipantCommandRate = 1
	e := testenv.Start(t, cfg)
	pagesMeeting(t, e, "oewg-2019")
	c := e.Anon()
	russian := map[string]string{"Accept-Language": "ru"}
	c.DoHeaders("POST", "/api/meetings/oewg-2019/registrations", badRegistration(), russian)
	res := c.DoHeaders("POST", "/api/meetings/oewg-2019/registrations", badRegistration(), russian)
	got := decodeError(t, res, http.StatusTooManyRequests)
	if !strings.HasPrefix(got.Error, "слишком много регистраций с этого адреса; повторите попытку через ") || got.Code != "rate_limited" {
		t.Fatalf("429: %q %q", got.Error, got.Code)
	}
	if !strings.Contains(got.Error, res.Header.Get("Retry-After")+" секунд") {
		t.Errorf("429 does not say the seconds of Retry-After (%s): %q", res.Header.Get("Retry-After"), got.Error)
	}

	lm := newLiveMeeting(t, e, "m")
	_, tok := lm.participant(t, "Ana", "ngo", models.StatusApproved)
	ws := liveConnect(t, e, lm.slug, liveWithToken(tok), func(h http.Header, _ url.Values) { h.Set("Accept-Language", "ar") })
	if m := ws.cmd("a", map[string]any{"action": "add_speaker", "item_id": lm.items[0]}); m.Type != "ack" {
		t.Fatalf("first command: %+v", m)
	}
	m := ws.cmd("b", map[string]any{"action": "add_speaker", "item_id": lm.items[1]})
	if m.Type != "error" || m.Code != "rate_limited" || !strings.HasPrefix(m.Message, "أرسلت أوامر كثيرة جدًا إلى قائمة المتكلمين؛ حاول مرة أخرى بعد ") {
		t.Fatalf("second command by websocket: %+v, want an Arabic rate_limited error", m)
	}
}

// A mission's focal point reading Spanish gets the answers of its routes
// in Spanish: an objection without a reason, a second objection, a member
// with a bad address, a link that is none.
func TestAFocalPointsErrorsAreInItsLanguage(t *testing.T) {
	f := newNoticeFixture(t)
	n, _ := f.circulate(t, time.Hour, f.alphaOrg)
	path := fmt.Sprintf("/api/non-objection/%d/objections", n.ID)
	sg := f.e.Participant(f.focal["SG"])
	spanish := map[string]string{"Accept-Language": "es-MX"}

	got := decodeError(t, sg.DoHeaders("POST", path, map[string]any{"organization_id": f.alphaOrg, "reason": " "}, spanish), 422)
	if got.Fields["reason"] != "este campo es obligatorio: lo lee la secretaría (ninguna organización ni ningún otro Estado lo lee)" {
		t.Errorf("no reason: %q", got.Fields["reason"])
	}
	sg.MustJSON("POST", path, map[string]any{"organization_id": f.alphaOrg, "reason": "Not relevant to the mandate."}, 201, nil)
	got = decodeError(t, sg.DoHeaders("POST", path, map[string]any{"organization_id": f.alphaOrg, "reason": "Twice"}, spanish), 409)
	if got.Error != "su misión ya ha presentado una objeción a esta organización en este aviso" || got.Code != "already_objected" {
		t.Errorf("second objection: %q %q", got.Error, got.Code)
	}
	got = decodeError(t, sg.DoHeaders("POST", "/api/delegation/members", map[string]any{"name": "David Koh", "email": "david.koh"}, spanish), 422)
	if got.Fields["email"] != "debe ser una dirección de correo electrónico, por ejemplo nombre@example.org" {
		t.Errorf("bad address: %v", got.Fields)
	}
	got = decodeError(t, f.e.Anon().DoHeaders("GET", "/api/delegation/members", nil, spanish), 401)
	if got.Error != "envíe el token del punto focal de su misión como Authorization: Bearer <token>" {
		t.Errorf("no link: %q", got.Error)
	}
}

// A participant reading Arabic who asks for the floor on a closed list
// reads why in Arabic.
func TestAParticipantReadsWhyTheFloorIsRefusedInTheirLanguage(t *testing.T) {
	e := testenv.New(t)
	lm := newLiveMeeting(t, e, "m")
	item := lm.items[0]
	_, tok := lm.participant(t, "Ana", "ngo", models.StatusApproved)
	lm.mod.MustJSON("POST", lm.path("/agenda/%d/close", item), nil, 200, nil)
	got := decodeError(t, e.Participant(tok).DoHeaders("POST", lm.path("/agenda/%d/speakers", item), nil, map[string]string{"Cookie": "rostrum_lang=ar"}), 409)
	if got.Error != "قائمة المتكلمين مقفلة؛ لا تُقبل إلا نقاط النظام" || got.Code != "list_closed" {
		t.Errorf("closed list: %q %q", got.Error, got.Code)
	}
}
