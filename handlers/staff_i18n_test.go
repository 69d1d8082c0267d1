package handlers_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
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
	{"/admin", "Console du secrétariat", "Consola de la secretaría"},
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

// The secretariat's two meeting forms are one set of fields written
// once (the "meeting-fields" template): each has every shared field under
// its own ids, and only its own extras: the create form the short name and
// its presets, the edit form the keeping of personal data and the privacy
// notice.
func TestTheMeetingFormsShareTheirFieldsAndKeepTheirOwn(t *testing.T) {
	e := testenv.New(t)
	body := string(getPage(t, e, "/admin?lang=fr", nil).Body)
	create, edit := formOf(t, body, "create-meeting"), formOf(t, body, "edit-meeting")
	for _, f := range []string{"title", "venue", "symbol", "body", "body-acronym", "process", "kind", "chair",
		"starts", "ends", "closes", "timezone", "capacity", "max", "speaker-order", "language", "attribution"} {
		if !strings.Contains(create, `id="m-`+f+`"`) || !strings.Contains(create, `for="m-`+f+`"`) {
			t.Errorf("the create form lacks m-%s or its label", f)
		}
		if !strings.Contains(edit, `id="e-`+f+`"`) || !strings.Contains(edit, `for="e-`+f+`"`) {
			t.Errorf("the edit form lacks e-%s or its label", f)
		}
	}
	for _, own := range []struct{ form, in, notIn, want string }{
		{"create", create, edit, `id="m-slug"`},
		{"create", create, edit, `name="timezone" type="text" value="UTC"`},
		{"create", create, edit, "Lettres minuscules"},
		{"edit", edit, create, `id="e-retention"`},
		{"edit", edit, create, `id="e-notice"`},
		{"edit", edit, create, "pas moins que les places déjà attribuées"},
	} {
		if !strings.Contains(own.in, own.want) {
			t.Errorf("the %s form lacks %s", own.form, own.want)
		}
		if strings.Contains(own.notIn, own.want) {
			t.Errorf("%s is in both forms, not the %s form's alone", own.want, own.form)
		}
	}
	if strings.Contains(create+edit, "{{") || strings.Contains(edit, "e-slug") || strings.Contains(create, "m-retention") {
		t.Error("the fields were not filled in for their form")
	}
}

// formOf is the markup of form id in page.
func formOf(t *testing.T, page, id string) string {
	t.Helper()
	i := strings.Index(page, `<form id="`+id+`"`)
	if i < 0 {
		t.Fatalf("no form %s", id)
	}
	j := strings.Index(page[i:], "</form>")
	return page[i : i+j]
}

// auditAction finds an action the server records in the audit log: the
// Act… constants of its packages ("add_speaker", "check_in", …).
var auditAction = regexp.MustCompile(`\bAct[A-Z]\w*\s*=\s*"([a-z_]+)"`)

// Every action the server records has a name in the console's audit log,
// in the staff's three languages (a new one without a name would show
// its code).
func TestEveryAuditActionIsNamedInTheConsole(t *testing.T) {
	seen := 0
	err := filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && strings.HasPrefix(d.Name(), ".") && path != ".." {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, m := range auditAction.FindAllStringSubmatch(string(src), -1) {
			seen++
			for _, code := range locale.StaffCodes {
				if id := "admin.audit.action." + m[1]; !locale.Has(code, id) {
					t.Errorf("%s: action %q (%s) has no name in %s", path, m[1], id, code)
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if seen < 20 {
		t.Fatalf("found only %d audit actions: the pattern no longer finds them", seen)
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
