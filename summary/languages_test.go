package summary

import (
	"strings"
	"testing"
	"time"

	"rostrum/locale"
	"rostrum/models"
)

// meetingIn is a meeting recorded in French or Spanish: two Member
// States and four organizations take part; three organizations speak
// under the first item, two of them making the same point.
func meetingIn(lang, attribution string) Record {
	sg := Organization{Name: "Singapour", Type: models.KindMemberState, Country: "SG"}
	br := Organization{Name: "Brésil", Type: models.KindMemberState, Country: "BR"}
	igo := Organization{Name: "Interpol", Type: "intergovernmental", Country: "FR"}
	ngo := Organization{Name: "Zeta Droits", Type: "ngo", Country: "KE"}
	ngo2 := Organization{Name: "Accès Maintenant", Type: "ngo", Country: "US"}
	uni := Organization{Name: "Université de Genève", Type: "academia", Country: "CH"}
	biz := Organization{Name: "Société Omega", Type: "private_sector", Country: "JP"}
	points := map[string][]string{
		"fr": {"Renforcement des capacités", "Renforcer les capacités des États en développement",
			"Les petites entreprises manquent de moyens", "Est-ce que le droit international s'applique ?",
			"Un répertoire mondial des points de contact", "Coopération"},
		"es": {"Fomento de la capacidad", "Fortalecer la capacidad de los Estados en desarrollo",
			"Las pequeñas empresas carecen de medios", "¿Se aplica el derecho internacional?",
			"Un directorio mundial de puntos de contacto", "Cooperación"},
	}[lang]
	start := time.Date(2019, 12, 2, 15, 0, 0, 0, time.UTC)
	return Record{
		Title: "Réunion consultative informelle", Venue: "Genève", Language: lang, Attribution: attribution,
		StartsAt: start, EndsAt: start.Add(48 * time.Hour), Timezone: "Europe/Zurich", IssuedOn: start, Attended: 21,
		Organizations: []Organization{sg, br, igo, ngo, ngo2, uni, biz},
		Items: []Item{{Title: "Menaces", Interventions: []Intervention{
			{Organization: ngo, SpeakingTime: 20*time.Minute + 10*time.Second, KeyPoints: []KeyPoint{{Text: points[1], Theme: points[0]}}},
			{Organization: uni, SpeakingTime: 20 * time.Minute, KeyPoints: []KeyPoint{{Text: points[1], Theme: points[0]}, {Text: points[3], Theme: points[5]}}},
			{Organization: biz, SpeakingTime: 15 * time.Minute, KeyPoints: []KeyPoint{{Text: points[2], Theme: points[0]}, {Text: points[4], Theme: points[5]}}},
		}}, {Title: "Droit international"}},
	}
}

func TestFrenchSummarySaysItsSentencesInFrench(t *testing.T) {
	md := Draft(meetingIn("fr", models.AttributionChathamHouse))
	for _, want := range []string{
		"1. La réunion « Réunion consultative informelle » s'est tenue du 2 décembre 2019 au 4 décembre 2019 (Genève).",
		"Des représentants de 2 États Membres et de 5 organisations ont participé à la réunion ; il s'agissait, pour les organisations, " +
			"de 1 organisation intergouvernementale, de 2 organisations non gouvernementales, de 1 entité du secteur privé et de 1 établissement universitaire ou de recherche.",
		"Au total, 21 participants étaient présents.",
		// "de environ" elides.
		"Au total, 3 interventions ont été faites au titre de 2 points de l'ordre du jour, pour un temps de parole total d'environ 55 minutes.",
		"Des représentants de 3 organisations, dont 1 de la société civile, 1 du secteur privé et 1 du milieu universitaire, ont pris la parole.",
		// A theme takes its article; a plural subject and a singular one.
		"Sur le renforcement des capacités, des participants de la société civile et du milieu universitaire ont appelé à renforcer les capacités des États en développement ; " +
			"un participant du secteur privé a également noté que les petites entreprises manquent de moyens.",
		"Sur la coopération, un participant du milieu universitaire a demandé si le droit international s'applique ; " +
			"un participant du secteur privé a également appelé de ses vœux un répertoire mondial des points de contact.",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("French draft lacks %q:\n%s", want, md)
		}
	}
	// The programme's slots are dated in French too.
	r := meetingIn("fr", models.AttributionChathamHouse)
	from, to := r.StartsAt, r.StartsAt.Add(3*time.Hour)
	r.Items[0].StartsAt, r.Items[0].EndsAt = &from, &to
	if want := "| 1 | 2 décembre 2019, 16:00–19:00 | Menaces |"; !strings.Contains(Draft(r), want) {
		t.Errorf("French programme lacks %q", want)
	}
	att := Draft(meetingIn("fr", models.AttributionAttributed))
	if want := "les représentants de Zeta Droits (Kenya) et d'Université de Genève (Suisse) ont appelé à renforcer"; !strings.Contains(att, want) {
		t.Errorf("attributed French draft lacks %q:\n%s", want, att)
	}
}

func TestSpanishSummarySaysItsSentencesInSpanish(t *testing.T) {
	md := Draft(meetingIn("es", models.AttributionChathamHouse))
	for _, want := range []string{
		"1. La reunión «Réunion consultative informelle» se celebró del 2 de diciembre de 2019 al 4 de diciembre de 2019 (Genève).",
		"Representantes de 2 Estados Miembros y 5 organizaciones participaron en la reunión; las organizaciones eran " +
			"1 organización intergubernamental, 2 organizaciones no gubernamentales, 1 entidad del sector privado y 1 institución académica o de investigación.",
		"En total, asistieron 21 participantes.",
		"En total, se hicieron 3 intervenciones en relación con 2 temas del programa, con un tiempo total de intervención de unos 55 minutos.",
		"Representantes de 3 organizaciones, entre ellas 1 de la sociedad civil, 1 del sector privado y 1 del mundo académico, hicieron uso de la palabra.",
		// "a el" contracts; a plural subject and a singular one.
		"En cuanto al fomento de la capacidad, participantes de la sociedad civil y del mundo académico pidieron fortalecer la capacidad de los Estados en desarrollo; " +
			"un participante del sector privado también señaló que las pequeñas empresas carecen de medios.",
		"En cuanto a la cooperación, un participante del mundo académico preguntó si se aplica el derecho internacional; " +
			"un participante del sector privado también pidió un directorio mundial de puntos de contacto.",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("Spanish draft lacks %q:\n%s", want, md)
		}
	}
	// "y" becomes "e" before Interpol (an i sound).
	r := meetingIn("es", models.AttributionAttributed)
	r.Items[0].Interventions[2].Organization = Organization{Name: "Interpol", Type: "intergovernmental", Country: "FR"}
	r.Items[0].Interventions[2].KeyPoints[0] = r.Items[0].Interventions[0].KeyPoints[0]
	att := Draft(r)
	if want := "los representantes de Zeta Droits (Kenia), Université de Genève (Suiza) e Interpol (Francia) pidieron fortalecer"; !strings.Contains(att, want) {
		t.Errorf("attributed Spanish draft lacks %q:\n%s", want, att)
	}
}

// englishWords are words of the English sentences that no other
// language's sentence holds.
var englishWords = []string{" the ", " of ", " took ", " participants from ", " and ", " was ", " were ", "in all", " called for ",
	" noted that ", " from ", " about ", "representative", "organization", " december", " on ", " attended", " floor"}

func TestNoEnglishWordIsLeftInANonEnglishSummary(t *testing.T) {
	for _, lang := range locale.Codes {
		if lang == locale.Default {
			continue
		}
		for _, attribution := range []string{models.AttributionChathamHouse, models.AttributionAttributed} {
			r := meetingIn("fr", attribution)
			r.Language = lang
			r.Venue, r.Chair = "Palais", "Koh"
			r.Body, r.BodyAcronym = "Groupe de travail", "GT"
			r.Items[0].Interventions = append(r.Items[0].Interventions,
				Intervention{Organization: r.Organizations[0], Kind: models.KindPointOfOrder, SpeakingTime: 2 * time.Hour, Note: "Ordre."},
				Intervention{Organization: r.Organizations[1], Kind: models.KindStatement})
			md := Draft(r)
			text := md[:strings.Index(md, "## "+locale.T(lang, "summary.annex_programme"))]
			// The record's own words are the rapporteurs' and the
			// secretariat's, not the grammar's.
			for _, it := range r.Items {
				text = strings.ReplaceAll(text, it.Title, "")
				for _, iv := range it.Interventions {
					text = strings.ReplaceAll(text, iv.Note, "")
					for _, kp := range iv.KeyPoints {
						text = strings.ReplaceAll(text, kp.Text, "")
						text = strings.ReplaceAll(text, kp.Theme, "")
					}
				}
			}
			text = strings.ToLower(text)
			for _, w := range englishWords {
				if strings.Contains(text, w) {
					t.Errorf("%s (%s): the summary holds the English %q:\n%s", lang, attribution, w, text)
				}
			}
		}
	}
}

func TestVerbsAgreeWithHowManyMadeThePoint(t *testing.T) {
	for _, c := range []struct {
		lang, verb string
		n          int
		want       string
	}{
		{"fr", "call", 1, "a appelé à agir"}, {"fr", "call", 2, "ont appelé à agir"}, {"fr", "call", 5, "ont appelé à agir"},
		{"fr", "note", 1, "a noté que X"}, {"fr", "note", 3, "ont noté que X"},
		{"fr", "topic", 1, "a appelé de ses vœux X"}, {"fr", "topic", 2, "ont appelé de leurs vœux X"},
		{"es", "call", 1, "pidió agir"}, {"es", "call", 2, "pidieron agir"},
		{"es", "ask", 1, "preguntó si X"}, {"es", "ask", 4, "preguntaron si X"},
		{"ru", "quoted", 1, "отметил следующее: X"}, {"ru", "quoted", 3, "отметили следующее: X"},
	} {
		what := map[string]string{"call": "à agir", "note": "que X", "topic": "X", "ask": "si X", "quoted": "X"}[c.verb]
		if c.lang == "es" && c.verb == "call" {
			what = "agir"
		}
		if got := phrase(c.lang, "summary.said."+c.verb, c.n, []any{"Also", "", "What", what}); got != c.want {
			t.Errorf("%s %s × %d = %q, want %q", c.lang, c.verb, c.n, got, c.want)
		}
	}
	// The number is that of those who made the point: one, or several.
	r := meetingIn("fr", models.AttributionChathamHouse)
	d := drafter{r: &r, b: &strings.Builder{}}
	orgs := r.Organizations[3:6]
	if who, n := d.whoIn(orgs[:1]); who != "un participant de la société civile" || n != 1 {
		t.Errorf("one: %q, %d", who, n)
	}
	if who, n := d.whoIn(orgs); who != "des participants de la société civile et du milieu universitaire" || n != 3 {
		t.Errorf("several: %q, %d", who, n)
	}
	if who, n := d.whoIn(r.Organizations[3:5]); who != "des participants de la société civile" || n != 2 {
		t.Errorf("two of one group: %q, %d", who, n)
	}
}

func TestFrenchKeyPointsBecomeClauses(t *testing.T) {
	for _, c := range []struct{ in, verb, obj string }{
		{"Renforcer les capacités", "call", "à renforcer les capacités"},
		{"Se doter de stratégies nationales", "call", "à se doter de stratégies nationales"},
		{"Ne pas fragmenter les efforts", "call", "à ne pas fragmenter les efforts"},
		{"Promouvoir l'inclusion.", "call", "à promouvoir l'inclusion"},
		{"Les États doivent publier leurs positions", "note", "que les États doivent publier leurs positions"},
		{"Il faut un traité", "note", "qu'il faut un traité"},
		{"Le droit international s'applique", "note", "que le droit international s'applique"},
		{"Singapour a proposé un registre", "note", "que Singapour a proposé un registre"},
		{"Un répertoire mondial", "topic", "un répertoire mondial"},
		{"Est-ce qu'il faut un traité ?", "ask", "s'il faut un traité"},
		{"Un traité est nécessaire ?", "ask", "si un traité est nécessaire"},
		{"Faut-il un traité ?", "question", "« Faut-il un traité ? »"},
		{"Comment protéger les hôpitaux ?", "question", "« Comment protéger les hôpitaux ? »"},
	} {
		v, o := reportedFrench(&point{text: c.in})
		if v != c.verb || o != c.obj {
			t.Errorf("reportedFrench(%q) = %q %q, want %q %q", c.in, v, o, c.verb, c.obj)
		}
	}
	if v, o := reportedFrench(&point{text: "A souligné que les hôpitaux sont visés.", note: true}); v != "note" || o != "que les hôpitaux sont visés" {
		t.Errorf("a note keeps what follows its verb: %q %q", v, o)
	}
	if v, o := reportedFrench(&point{text: "Agir vite", kind: models.KindPointOfOrder}); v != "order" || o != "à agir vite" {
		t.Errorf("point of order: %q %q", v, o)
	}
}

func TestSpanishKeyPointsBecomeClauses(t *testing.T) {
	for _, c := range []struct{ in, verb, obj string }{
		{"Fortalecer la capacidad", "call", "fortalecer la capacidad"},
		{"Abstenerse de atacar hospitales", "call", "abstenerse de atacar hospitales"},
		{"Los Estados deben publicar sus posiciones", "note", "que los Estados deben publicar sus posiciones"},
		{"El derecho internacional se aplica", "note", "que el derecho internacional se aplica"},
		{"Un directorio mundial", "topic", "un directorio mundial"},
		{"Lugar de reunión permanente", "topic", "lugar de reunión permanente"},
		{"¿Es necesario un tratado?", "ask", "si es necesario un tratado"},
		{"¿Cómo se protegen los hospitales?", "ask", "cómo se protegen los hospitales"},
	} {
		v, o := reportedSpanish(&point{text: c.in})
		if v != c.verb || o != c.obj {
			t.Errorf("reportedSpanish(%q) = %q %q, want %q %q", c.in, v, o, c.verb, c.obj)
		}
	}
	if v, o := reportedSpanish(&point{text: "Destacó que los hospitales son blanco de ataques.", note: true}); v != "note" || o != "que los hospitales son blanco de ataques" {
		t.Errorf("a note keeps what follows its verb: %q %q", v, o)
	}
}

func TestThemesTakeTheirArticle(t *testing.T) {
	for _, c := range []struct{ lang, in, want string }{
		{"fr", "Renforcement des capacités", "le renforcement des capacités"},
		{"fr", "Coopération internationale", "la coopération internationale"},
		{"fr", "Inclusion", "l'inclusion"},
		{"fr", "Infrastructures critiques", "les infrastructures critiques"},
		{"fr", "Droits de l'homme", "les droits de l'homme"},
		{"fr", "Accès à Internet", "l'accès à Internet"},
		{"fr", "Cybersécurité", "la cybersécurité"},
		{"fr", "La paix", "la paix"},
		{"fr", "TIC", ""}, {"fr", "Genre", ""},
		{"es", "Fomento de la capacidad", "el fomento de la capacidad"},
		{"es", "Cooperación", "la cooperación"},
		{"es", "Derechos humanos", "los derechos humanos"},
		{"es", "Infraestructuras críticas", "las infraestructuras críticas"},
		{"es", "Problema de la brecha digital", "el problema de la brecha digital"},
		{"es", "TIC", ""}, {"es", "Análisis", ""},
	} {
		got, ok := themeWithArticle(c.lang, c.in)
		if got != c.want || ok != (c.want != "") {
			t.Errorf("%s %q → %q %v, want %q", c.lang, c.in, got, ok, c.want)
		}
	}
	// A theme whose article cannot be told is quoted.
	r := meetingIn("fr", models.AttributionChathamHouse)
	r.Items[0].Interventions[0].KeyPoints[0].Theme = "TIC"
	if md := Draft(r); !strings.Contains(md, "Sur le thème « TIC », un participant de la société civile a appelé à") {
		t.Errorf("a theme without a known article is not quoted:\n%s", md)
	}
}

func TestListsAndDurationsAreJoinedAsEachLanguageDoes(t *testing.T) {
	join := func(lang string, parts ...string) string {
		r := Record{Language: lang}
		d := drafter{r: &r}
		return d.joinAnd(parts)
	}
	for _, c := range []struct {
		lang  string
		parts []string
		want  string
	}{
		{"fr", []string{"A", "B", "C"}, "A, B et C"},
		{"es", []string{"A", "B", "C"}, "A, B y C"},
		{"es", []string{"Francia", "Italia"}, "Francia e Italia"},
		{"es", []string{"padres", "hijos"}, "padres e hijos"},
		{"es", []string{"agua", "hielo"}, "agua y hielo"},
		{"ru", []string{"A", "B"}, "A и B"},
		{"zh", []string{"A", "B", "C"}, "A、B和C"},
		{"ar", []string{"أ", "ب", "ج"}, "أ، ب وج"},
	} {
		if got := join(c.lang, c.parts...); got != c.want {
			t.Errorf("%s %q → %q, want %q", c.lang, c.parts, got, c.want)
		}
	}
	for _, c := range []struct {
		lang string
		d    time.Duration
		want string
	}{
		{"fr", 20 * time.Second, "moins d'une minute"},
		{"fr", 54*time.Minute + 35*time.Second, "environ 55 minutes"},
		{"fr", 14 * time.Minute, "14 minutes"},
		{"fr", time.Hour + 22*time.Minute, "environ 1 heure et 20 minutes"},
		{"es", 54*time.Minute + 35*time.Second, "unos 55 minutos"},
		{"es", 61 * time.Second, "alrededor de 1 minuto"},
		{"es", 2 * time.Hour, "2 horas"},
		{"ru", 5 * time.Minute, "5 минут"},
	} {
		r := Record{Language: c.lang}
		d := drafter{r: &r}
		if got := d.about(c.d); got != c.want {
			t.Errorf("%s %v → %q, want %q", c.lang, c.d, got, c.want)
		}
	}
}

func TestFrenchAndSpanishElideAndContractWhereAFrameMeetsAValue(t *testing.T) {
	for _, c := range []struct{ lang, before, value, want string }{
		{"fr", "un temps de ", "environ 5 minutes", "un temps d'environ 5 minutes"},
		{"fr", "le représentant de ", "Interpol", "le représentant d'Interpol"},
		{"fr", "le représentant de ", "Singapour", "le représentant de Singapour"},
		{"fr", "appelé à ", "le dialogue", "appelé au dialogue"},
		{"fr", "noté que ", "il faut", "noté qu'il faut"},
		{"fr", "demandé si ", "il faut", "demandé s'il faut"},
		{"fr", "Vide ", "environ", "Vide environ"},
		{"es", "En cuanto a ", "el fomento", "En cuanto al fomento"},
		{"es", "representante de ", "el Consejo", "representante del Consejo"},
		{"es", "de ", "la paz", "de la paz"},
	} {
		b, v := contract(c.lang, c.before, c.value)
		if b+v != c.want {
			t.Errorf("%s %q + %q = %q, want %q", c.lang, c.before, c.value, b+v, c.want)
		}
	}
}

func TestFrenchAndSpanishSummariesRenderAsPDFAndDOCX(t *testing.T) {
	for _, lang := range []string{"fr", "es"} {
		doc := Parse(Draft(meetingIn(lang, models.AttributionChathamHouse)))
		b, err := PDF(doc, testFonts(t), locale.T(lang, "summary.title"))
		if err != nil {
			t.Fatalf("%s PDF: %v", lang, err)
		}
		want := map[string]string{"fr": "un participant du secteur privé a également noté", "es": "un participante del sector privado también señaló"}[lang]
		if text := oneLine(pdfText(t, b)); !strings.Contains(text, want) {
			t.Errorf("%s PDF lacks %q", lang, want)
		}
		if _, err := DOCX(doc, testFonts(t), locale.T(lang, "summary.title")); err != nil {
			t.Fatalf("%s DOCX: %v", lang, err)
		}
	}
}
