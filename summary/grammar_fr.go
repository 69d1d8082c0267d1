package summary

import (
	"strings"
	"unicode/utf8"

	"rostrum/models"
)

// The French grammar of the summary: elision and contraction where the
// frame meets a value, the article a theme takes, and a rapporteur's key
// point as a clause ("ont appelé à renforcer …", "ont noté que …", "ont
// demandé si …").

// frenchVowel reports whether s starts with a vowel, before which "de",
// "que" and "le" elide ("d'environ", "qu'une", "l'inclusion"). An h is
// left alone: whether it is mute cannot be told from its spelling.
func frenchVowel(s string) bool {
	r, _ := utf8.DecodeRuneInString(strings.ToLower(s))
	return strings.ContainsRune("aeiouyàâäéèêëîïôöûüæœ", r)
}

// frenchDe is "de" before s: "d'environ", "du secteur" for "de le
// secteur", "de 3 organisations".
func frenchDe(s string) string {
	switch {
	case strings.HasPrefix(s, "le "):
		return "du " + s[3:]
	case strings.HasPrefix(s, "les "):
		return "des " + s[4:]
	case frenchVowel(s):
		return "d'" + s
	}
	return "de " + s
}

// frenchQue is "que" before a clause: "qu'il", "que les États".
func frenchQue(s string) string {
	if frenchVowel(s) {
		return "qu'" + s
	}
	return "que " + s
}

// frenchSi is "si" before a clause: "s'il", "si les États".
func frenchSi(s string) string {
	if strings.HasPrefix(s, "il ") || strings.HasPrefix(s, "ils ") {
		return "s'" + s
	}
	return "si " + s
}

// contractFrench joins the end of a frame to the value that follows it.
func contractFrench(before, value string) (string, string) {
	word := func(w string) bool {
		if !strings.HasSuffix(before, w+" ") {
			return false
		}
		rest := before[:len(before)-len(w)-1]
		return rest == "" || strings.HasSuffix(rest, " ") || strings.HasSuffix(rest, "(")
	}
	cut := func(w string) string { return before[:len(before)-len(w)-1] }
	switch {
	case word("de"):
		s := frenchDe(value)
		return cut("de"), s
	case word("à") && strings.HasPrefix(value, "le "):
		return cut("à"), "au " + value[3:]
	case word("à") && strings.HasPrefix(value, "les "):
		return cut("à"), "aux " + value[4:]
	case word("que") && frenchVowel(value):
		return cut("que") + "qu'", value
	case word("si") && (strings.HasPrefix(value, "il ") || strings.HasPrefix(value, "ils ")):
		return cut("si"), "s'" + value
	}
	return before, value
}

var frenchArticles = map[string]bool{"Le": true, "La": true, "Les": true, "L'": true, "L’": true, "Un": true, "Une": true, "Des": true, "Du": true}

// frenchCapitals keep their capital inside a sentence in UN French.
var frenchCapitals = map[string]bool{
	"État": true, "États": true, "Membre": true, "Membres": true, "Nations": true, "Unies": true, "Charte": true,
	"Internet": true, "Président": true, "Présidente": true, "Secrétaire": true, "Assemblée": true, "Conseil": true,
}

func frenchMid(text string) string { return midSentence("fr", text, frenchArticles, frenchCapitals) }

// frenchVerbEndings are the endings of French infinitives; frenchNotVerbs
// are the common words that end so but are nouns or adjectives.
var frenchVerbEndings = []string{
	"er", "ir", "endre", "ondre", "andre", "eindre", "aindre", "oindre", "oudre", "ettre", "attre", "aître", "oître",
	"uire", "crire", "dire", "lire", "rire", "faire", "traire", "plaire", "croire", "boire", "clure", "ivre", "ompre", "aincre", "être",
}

var frenchNotVerbs = wordSet(`hier cancer premier première dernier entier fer mer cher fier hiver dossier papier métier
	quartier chantier atelier courrier levier calendrier pilier acier foyer loyer danger étranger léger plaidoyer
	bouclier sentier panier clocher cyber super laser leader hacker cluster plaisir désir avenir loisir souvenir
	saphir nadir élixir émir espoir miroir couloir rasoir mouchoir trottoir tiroir dortoir comptoir soir noir manoir
	terroir gendre cendre lettre maître livre cuivre poivre empire navire délire satire vampire pouvoir devoir
	savoir-faire ordre cadre`)

func wordSet(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[w] = true
	}
	return m
}

// frenchInfinitive reports whether word is a French infinitive.
func frenchInfinitive(word string) bool {
	w := strings.ToLower(strings.TrimRight(word, ",;:."))
	if utf8.RuneCountInString(w) < 3 || frenchNotVerbs[w] || !commonWordOrLower(word) {
		return false
	}
	for _, e := range frenchVerbEndings {
		if strings.HasSuffix(w, e) {
			return true
		}
	}
	return false
}

// frenchCall reports whether a point is led by an infinitive, maybe
// with its pronoun or negation: "Renforcer …", "Se doter de …", "Ne pas
// …", "S'abstenir de …".
func frenchCall(point string) bool {
	words := strings.Fields(point)
	i := 0
	for i < len(words) && i < 2 {
		switch strings.ToLower(words[i]) {
		case "se", "ne", "pas":
			i++
			continue
		}
		break
	}
	if i == len(words) {
		return false
	}
	w := words[i]
	lw := strings.ToLower(w)
	for _, p := range []string{"s'", "s’", "n'", "n’"} {
		if strings.HasPrefix(lw, p) {
			w = w[len(p):]
		}
	}
	return frenchInfinitive(w)
}

// frenchFinite are words that make a point a statement ("Les États
// doivent …", "Le droit international s'applique …") rather than a topic.
var frenchFinite = wordSet(`est sont était étaient sera seront serait seraient a ont avait avaient aura auront doit doivent
	devrait devraient peut peuvent pourrait pourraient faut reste restent demeure demeurent applique appliquent
	constitue constituent représente représentent nécessite nécessitent exige exigent existe existent dépend dépendent
	manque manquent pose posent touche touchent mérite méritent permet permettent contribue contribuent joue jouent
	devient deviennent semble semblent risque risquent continue continuent va vont fait font se ne`)

// frenchInterrogatives open a question that is quoted rather than
// reported (its word order would have to change).
var frenchInterrogatives = wordSet(`qui que quoi quel quelle quels quelles comment pourquoi quand où combien lequel laquelle lesquels lesquelles qu'`)

// reportedFrench is a point in reported speech in French: the verb (the
// catalogue's summary.said.<verb>) and its object.
func reportedFrench(p *point) (verb, obj string) {
	text := strings.TrimSpace(strings.TrimRight(strings.TrimSpace(p.text), ".;:!"))
	if p.note {
		// A note keeps what the speaker said after "a souligné que": the
		// rapporteur's own verb cannot be conjugated for a group.
		for _, lead := range []string{"L'orateur ", "L'oratrice ", "L'intervenant ", "L'intervenante "} {
			text = strings.TrimPrefix(text, lead)
		}
		if first, rest, _ := strings.Cut(text, " "); first == "A" || first == "a" || first == "Ont" || first == "ont" {
			if _, clause, ok := strings.Cut(rest, " que "); ok && !strings.HasSuffix(text, "?") {
				return "note", frenchQue(frenchMid(clause))
			}
			return "quoted", quoteIn("fr", p.text)
		}
	}
	if frenchCall(text) {
		if p.kind == models.KindPointOfOrder {
			return "order", "à " + frenchMid(text)
		}
		return "call", "à " + frenchMid(text)
	}
	if strings.HasSuffix(text, "?") {
		q := strings.TrimSpace(strings.TrimSuffix(text, "?"))
		if rest, ok := strings.CutPrefix(q, "Est-ce que "); ok {
			return "ask", frenchSi(frenchMid(rest))
		}
		if rest, ok := strings.CutPrefix(q, "Est-ce qu'"); ok {
			return "ask", frenchSi(rest)
		}
		first, _, _ := strings.Cut(strings.ToLower(q), " ")
		if frenchInterrogatives[first] || strings.HasPrefix(first, "qu'") || invertedSubject(q) {
			return "question", quoteIn("fr", text)
		}
		return "ask", frenchSi(frenchMid(q))
	}
	for i, w := range strings.Fields(text) {
		lw := strings.ToLower(strings.Trim(w, ",;:"))
		if i > 0 && (frenchFinite[lw] || strings.HasPrefix(lw, "s'") || strings.HasPrefix(lw, "s’") ||
			strings.HasPrefix(lw, "n'") || strings.HasPrefix(lw, "n’")) {
			return "note", frenchQue(frenchMid(text))
		}
	}
	if p.note {
		// A note is a sentence, never a topic to call for: it is quoted.
		return "quoted", quoteIn("fr", p.text)
	}
	return "topic", frenchMid(text)
}

// invertedSubject reports whether a French question puts its subject
// after its verb ("Faut-il …", "Les États doivent-ils …").
func invertedSubject(q string) bool {
	for _, w := range strings.Fields(strings.ToLower(q)) {
		for _, p := range []string{"-il", "-elle", "-ils", "-elles", "-on", "-nous", "-vous"} {
			if strings.HasSuffix(w, p) {
				return true
			}
		}
	}
	return false
}

// frenchTheme gives a theme its article: "le renforcement des
// capacités", "la coopération", "l'inclusion", "les infrastructures
// critiques". ok is false when the gender cannot be told from the
// spelling (the theme is then quoted).
func frenchTheme(theme string) (string, bool) {
	first, rest, _ := strings.Cut(theme, " ")
	if frenchArticles[first] && first != "Un" && first != "Une" && first != "Des" && first != "Du" {
		return frenchMid(theme), true
	}
	for _, a := range []string{"L'", "L’", "l'", "l’"} {
		if strings.HasPrefix(first, a) {
			return frenchMid(theme), true
		}
	}
	if first == "" || !commonWordOrLower(first) {
		return "", false
	}
	w := strings.ToLower(strings.TrimRight(first, ",;:."))
	mid := frenchMid(theme)
	next, _, _ := strings.Cut(rest, " ")
	switch {
	case frenchPlural(w) && (next == "" || frenchPlural(strings.ToLower(next)) || frenchLinkWord[strings.ToLower(next)]):
		return "les " + mid, true
	case frenchVowel(w):
		return "l'" + mid, true
	}
	for _, e := range []string{"tion", "sion", "xion", "té", "ure", "ence", "ance", "ie", "ise", "ude", "ette", "esse", "ière", "euse", "rice"} {
		if strings.HasSuffix(w, e) {
			return "la " + mid, true
		}
	}
	for _, e := range []string{"ment", "isme", "eau", "oir", "ail", "at", "et", "oit", "age"} {
		if strings.HasSuffix(w, e) && !frenchFeminineAge[w] {
			return "le " + mid, true
		}
	}
	return "", false
}

var frenchFeminineAge = wordSet("image page plage cage rage nage")

// frenchLinkWord are the words after which a plural noun is followed by
// its complement: "Droits de l'homme".
var frenchLinkWord = wordSet("de des du d' en pour et à")

// frenchPlural reports whether a French noun is in the plural as far as
// its spelling tells.
func frenchPlural(w string) bool {
	if frenchSingularInS[w] || strings.HasSuffix(w, "ss") {
		return false
	}
	return strings.HasSuffix(w, "s") || strings.HasSuffix(w, "x")
}

var frenchSingularInS = wordSet("processus accès progrès succès recours discours consensus cas temps mois corpus paix choix prix voix croix flux index")
