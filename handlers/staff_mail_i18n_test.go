package handlers_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"rostrum/internal/mailtest"
	"rostrum/internal/testenv"
	"rostrum/models"
)

// Issue 15: every mail in the reader's language. The reset link goes out
// in the language of the admin's request (?lang=, Accept-Language), its
// link opening the page in that language; the answer to the admin too.
func TestTheResetMailIsInTheLanguageOfTheAdminsRequest(t *testing.T) {
	srv := mailtest.Start(t)
	e := testenv.New(t, testenv.WithSMTP(srv.Host(), srv.Port()))
	e.Staff("moderator")
	admin := e.Admin()
	var user staffUser
	for _, u := range usersByEmail(t, admin) {
		if u.Role == "moderator" {
			user = u
		}
	}
	for i, tc := range []struct {
		lang, query string
		headers     map[string]string
		subject     string
		words       []string
		answer      string
	}{
		{"fr", "?lang=fr", nil, "Définir un nouveau mot de passe pour Rostrum",
			[]string{"Bonjour moderator,", "Le secrétariat vous envoie un lien", "Le lien ne sert qu'une fois, jusqu'au ", " à ", "votre mot de passe reste inchangé"},
			"un lien pour définir un nouveau mot de passe est en route"},
		{"es", "", map[string]string{"Accept-Language": "es-419,es;q=0.9"}, "Establezca una nueva contraseña para Rostrum",
			[]string{"Hola, moderator:", "La secretaría le envía un enlace", "El enlace sirve una sola vez, hasta el ", " a las ", "su contraseña no cambia"},
			"se ha enviado un enlace para establecer una nueva contraseña"},
	} {
		res := admin.DoHeaders("POST", fmt.Sprintf("/api/users/%d/reset%s", user.ID, tc.query), nil, tc.headers)
		var body struct{ Message string }
		if res.Status != 202 {
			t.Fatalf("%s: status %d: %s", tc.lang, res.Status, res.Body)
		}
		res.Decode(t, &body)
		if body.Message != tc.answer {
			t.Errorf("%s: the answer to the admin is %q", tc.lang, body.Message)
		}
		m := srv.WaitTo(user.Email, i+1, 10*time.Second)[i]
		if m.Subject != tc.subject {
			t.Errorf("%s: subject %q", tc.lang, m.Subject)
		}
		for _, w := range tc.words {
			if !strings.Contains(m.Text, w) {
				t.Errorf("%s: the mail lacks %q:\n%s", tc.lang, w, m.Text)
			}
		}
		if got := resetLink.FindString(m.Text); !strings.Contains(m.Text, got+"?lang="+tc.lang) {
			t.Errorf("%s: the link does not open the page in the mail's language:\n%s", tc.lang, m.Text)
		}
		if strings.Contains(m.Text, "Hello") || strings.Contains(m.Text, "The link works once") {
			t.Errorf("%s: English left in the mail:\n%s", tc.lang, m.Text)
		}
	}
}

// A notice of non-objection reaches the missions in the meeting's
// language: its words, the State's and the organizations' countries, its
// types of organization and its deadline.
func TestANonObjectionNoticeIsInTheMeetingsLanguage(t *testing.T) {
	f := newNoticeFixture(t)
	for _, tc := range []struct {
		lang, subject string
		org           uint
		words         []string
	}{
		{"fr", "Avis de non-objection : ", f.alphaOrg,
			[]string{"Le secrétariat communique, selon la procédure d'approbation tacite", "Si Singapour s'oppose", "organisation non gouvernementale", "Gardez ce lien au sein de la mission", " à "}},
		{"es", "Aviso de no objeción: ", f.betaOrg,
			[]string{"La secretaría distribuye, según el procedimiento de no objeción", "Si Singapur tiene objeciones", "organización no gubernamental", "Conserve este enlace dentro de la misión", " a las "}},
	} {
		f.admin.MustJSON("PATCH", "/api/meetings/m", map[string]any{"language": tc.lang}, 200, nil)
		f.circulate(t, 48*time.Hour, tc.org)
		mails := f.mail.To(singapore.Email)
		m := mails[len(mails)-1]
		if !strings.HasPrefix(m.Subject, tc.subject) || !strings.Contains(m.HTML, `lang="`+tc.lang+`"`) {
			t.Errorf("%s: subject %q, html lang missing", tc.lang, m.Subject)
		}
		for _, w := range tc.words {
			if !strings.Contains(strings.ToLower(m.Text), strings.ToLower(w)) {
				t.Errorf("%s: the notice lacks %q:\n%s", tc.lang, w, m.Text)
			}
		}
		if strings.Contains(m.Text, "secretariat") || strings.Contains(m.Text, "Keep this link") {
			t.Errorf("%s: English left in the notice:\n%s", tc.lang, m.Text)
		}
	}
}

// A letter of the Chair, or documents, circulated: each recipient's
// subject and the words around the letter or the documents are in their
// registration's language, an address without one (a list's, an extra
// one) in the meeting's.
func TestACirculationsSubjectAndWordsAreInEachRecipientsLanguage(t *testing.T) {
	mail := mailtest.Start(t)
	e := testenv.New(t, testenv.WithSMTP(mail.Host(), mail.Port()))
	participants, docs, letter := circulationFixture(t, e, "circ", 100)
	admin := e.Admin()
	admin.MustJSON("PATCH", "/api/meetings/circ", map[string]any{"language": "es"}, 200, nil)
	french, spanish, english, extra := participants[0], participants[1], participants[2], "press@un.example.org"
	for addr, lang := range map[string]string{french: "fr", spanish: "es"} {
		if err := e.App.DB.Model(&models.Registration{}).Where("email = ?", addr).Update("language", lang).Error; err != nil {
			t.Fatal(err)
		}
	}
	for i, tc := range []struct {
		what                     map[string]any
		french, spanish, english [2]string // the subject's beginning, a sentence of the body
	}{
		{map[string]any{"letter": letter},
			[2]string{"Lettre du Président : ", "La lettre est jointe au format PDF."},
			[2]string{"Carta de la Presidencia: ", "La carta se adjunta en formato PDF."},
			[2]string{"Letter of the Chair: ", "The letter is attached as a PDF."}},
		{map[string]any{"documents": []uint{docs[0].ID}},
			[2]string{"Distribution : ", "Veuillez trouver ci-joint les documents de la réunion"},
			[2]string{"Distribución: ", "Adjunto encontrará los documentos de la reunión"},
			[2]string{"Circulation: ", "Please find enclosed the documents of the"}},
	} {
		want := map[string][2]string{french: tc.french, spanish: tc.spanish, english: tc.english, extra: tc.spanish}
		body := tc.what
		body["to"] = map[string]any{"participants": true, "extra": []string{extra}}
		admin.MustJSON("POST", "/api/meetings/circ/circulations", body, 202, nil)
		got := byRecipient(mail.WaitFor((i+1)*(len(participants)+1), 60*time.Second))
		for addr, w := range want {
			ms := got[strings.ToLower(addr)]
			if len(ms) != i+1 {
				t.Fatalf("%s got %d messages, want %d", addr, len(ms), i+1)
			}
			var subjects []string
			found := false
			for _, m := range ms {
				subjects = append(subjects, m.Subject)
				found = found || (strings.HasPrefix(m.Subject, w[0]) && strings.Contains(m.Text, w[1]))
			}
			if !found {
				t.Errorf("%s: subjects %q, want one beginning %q saying %q", addr, subjects, w[0], w[1])
			}
		}
	}
}
