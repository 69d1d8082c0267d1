package handlers_test

import (
	"strings"
	"testing"

	"rostrum/internal/testenv"
	"rostrum/locale"
	"rostrum/models"
)

// staffPages are the staff's pages, each with a word its French and
// Spanish show (from locale/catalogues/staff).
var staffPages = []struct{ path, fr, es string }{
	{"/reset/not-a-token", "Définir un nouveau mot de passe", "Establecer una nueva contraseña"},
	{"/m/m/checkin", "Rechercher par nom ou organisation", "Buscar por nombre u organización"},
	{"/m/m/console", "Orateur suivant", "Siguiente orador"},
	{"/m/m/notes", "Points essentiels (un par ligne)", "Puntos clave (uno por línea)"},
	{"/m/m/summary/desk", "Établir un nouveau projet à partir du compte rendu", "Elaborar un nuevo borrador a partir del acta"},
}

// The staff's pages speak English, French and Spanish (the staff's
// catalogues); asked for another language they are English, and their
// switch offers the three.
func TestStaffPagesSpeakEnglishFrenchAndSpanish(t *testing.T) {
	e := testenv.New(t)
	pagesMeeting(t, e, "m")
	for _, p := range staffPages {
		for lang, word := range map[string]string{"fr": p.fr, "es": p.es} {
			res := getPage(t, e, p.path+"?lang="+lang, nil)
			if l, d := langDir(t, res.Body); l != lang || d != "ltr" {
				t.Errorf("%s?lang=%s: lang=%s dir=%s", p.path, lang, l, d)
			}
			if !strings.Contains(string(res.Body), word) {
				t.Errorf("%s?lang=%s lacks %q", p.path, lang, word)
			}
		}
		res := getPage(t, e, p.path, map[string]string{"Accept-Language": "ar"})
		body := string(res.Body)
		if l, d := langDir(t, res.Body); l != "en" || d != "ltr" {
			t.Errorf("%s in Arabic: lang=%s dir=%s, want English", p.path, l, d)
		}
		for _, name := range []string{"English", "Français", "Español"} {
			if !strings.Contains(body, ">"+name+"</a>") {
				t.Errorf("%s: the language switch lacks %s", p.path, name)
			}
		}
		if strings.Contains(body, ">العربية</a>") {
			t.Errorf("%s offers Arabic, which the staff's catalogues lack", p.path)
		}
		if !strings.Contains(body, `id="i18n"`) || !strings.Contains(body, `"staff.logout"`) {
			t.Errorf("%s: no staff catalogue for its scripts", p.path)
		}
	}
	var es map[string]any
	e.Anon().MustJSON("GET", "/i18n/staff/es.json", nil, 200, &es)
	if es["staff.logout"] != "Cerrar sesión" || es["floor.request"] == nil {
		t.Fatalf("the staff's Spanish catalogue: %v, %v", es["staff.logout"], es["floor.request"])
	}
	if res := e.Anon().Do("GET", "/i18n/staff/ar.json", nil); res.Status != 404 {
		t.Fatalf("staff/ar: %d", res.Status)
	}
}

// The desk names each state the API sends (a version's, a circulation's,
// a recipient's mail's) by a staff message built from it: every state
// the models define has its words.
func TestTheDeskHasWordsForEveryStateItShows(t *testing.T) {
	for prefix, states := range map[string][]string{
		"desk.state.":             {models.SummaryDraft, models.SummaryApproved, models.SummaryCirculated},
		"desk.circulation_state.": {models.CirculationScheduled, models.CirculationSent, models.CirculationCancelled},
		"desk.recipient.":         {models.OutboxPending, models.OutboxSent, models.OutboxFailed},
	} {
		for _, s := range states {
			for _, lang := range locale.StaffCodes {
				if !locale.Has(lang, prefix+s) {
					t.Errorf("%s lacks %s%s", lang, prefix, s)
				}
			}
		}
	}
}
