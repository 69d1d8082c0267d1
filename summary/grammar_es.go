package summary

import (
	"strings"
	"unicode/utf8"

	"rostrum/models"
)

// The Spanish grammar of the summary: "del" and "al" where the frame
// meets a value, "e" for "y" before an i sound, the article a theme takes,
// and a rapporteur's key point as a clause ("pidieron fortalecer …",
// "señalaron que …", "preguntaron si …").

// beforeISound reports whether "y" becomes "e" before s: before a word
// that starts with the sound i ("e Interpol", "e hijos"), but not before
// a diphthong ("y hielo", "y hierba").
func beforeISound(s string) bool {
	w := strings.ToLower(s)
	w = strings.TrimPrefix(w, "h")
	r, n := utf8.DecodeRuneInString(w)
	if r != 'i' && r != 'í' {
		return false
	}
	next, _ := utf8.DecodeRuneInString(w[n:])
	return !(r == 'i' && strings.ContainsRune("aeoáéó", next) && strings.HasPrefix(strings.ToLower(s), "h"))
}

// contractSpanish joins the end of a frame to the value that follows it:
// "de el" is "del", "a el" is "al".
func contractSpanish(before, value string) (string, string) {
	rest, ok := strings.CutPrefix(value, "el ")
	if !ok {
		return before, value
	}
	for _, w := range []string{"de", "a"} {
		if strings.HasSuffix(before, " "+w+" ") || before == w+" " {
			return before[:len(before)-1] + "l", " " + rest
		}
	}
	return before, value
}

var spanishArticles = map[string]bool{"El": true, "La": true, "Los": true, "Las": true, "Un": true, "Una": true, "Unos": true, "Unas": true}

// spanishCapitals keep their capital inside a sentence in UN Spanish.
var spanishCapitals = map[string]bool{
	"Estado": true, "Estados": true, "Miembro": true, "Miembros": true, "Naciones": true, "Unidas": true, "Carta": true,
	"Internet": true, "Presidente": true, "Presidenta": true, "Secretario": true, "Asamblea": true, "Consejo": true,
}

func spanishMid(text string) string { return midSentence("es", text, spanishArticles, spanishCapitals) }

// spanishNotVerbs end as infinitives do but are nouns or adjectives.
var spanishNotVerbs = wordSet(`lugar hogar mar bienestar militar nuclear familiar particular popular regular similar solar
	titular auxiliar escolar pilar dólar altar azar par mujer deber placer taller cáncer líder alquiler carácter ayer
	porvenir elixir lunar celular polar molecular modular singular peculiar insular secular vulgar`)

// spanishInfinitive reports whether word is a Spanish infinitive, maybe
// with its pronouns ("dotarse", "abstenerse").
func spanishInfinitive(word string) bool {
	w := strings.ToLower(strings.TrimRight(word, ",;:."))
	if utf8.RuneCountInString(w) < 3 || spanishNotVerbs[w] || !commonWordOrLower(word) {
		return false
	}
	for _, p := range []string{"se", "los", "las", "lo", "la", "les", "le", "nos"} {
		if base, ok := strings.CutSuffix(w, p); ok && spanishEnds(base) {
			return true
		}
	}
	return spanishEnds(w)
}

func spanishEnds(w string) bool {
	for _, e := range []string{"ar", "er", "ir", "ír"} {
		if strings.HasSuffix(w, e) {
			return true
		}
	}
	return false
}

// spanishFinite are words that make a point a statement.
var spanishFinite = wordSet(`es son era eran será serán sería serían está están estaba ha han había hay debe deben debería
	deberían puede pueden podría podrían sigue siguen requiere requieren existe existen tiene tienen necesita necesitan
	constituye constituyen representa representan plantea plantean afecta afectan depende dependen aplica aplican
	permite permiten contribuye contribuyen resulta resultan merece merecen carece carecen falta faltan va van se no`)

var spanishInterrogatives = wordSet(`qué cómo cuándo dónde quién quiénes cuál cuáles cuánto cuánta cuántos cuántas por`)

// reportedSpanish is a point in reported speech in Spanish: the verb (the
// catalogue's summary.said.<verb>) and its object.
func reportedSpanish(p *point) (verb, obj string) {
	text := strings.TrimSpace(strings.TrimRight(strings.TrimSpace(p.text), ".;:!"))
	if p.note {
		// "Destacó que …": the rapporteur's own verb cannot be conjugated
		// for a group; what the speaker said is kept after "que".
		if first, rest, _ := strings.Cut(text, " "); strings.HasSuffix(first, "ó") {
			if _, clause, ok := strings.Cut(" "+rest, " que "); ok && !strings.HasSuffix(text, "?") {
				return "note", "que " + spanishMid(clause)
			}
			return "quoted", quoteIn("es", p.text)
		}
	}
	first, _, _ := strings.Cut(text, " ")
	if spanishInfinitive(first) {
		if p.kind == models.KindPointOfOrder {
			return "order", spanishMid(text)
		}
		return "call", spanishMid(text)
	}
	if strings.HasSuffix(text, "?") {
		q := strings.TrimSpace(strings.TrimPrefix(strings.TrimSuffix(text, "?"), "¿"))
		w, _, _ := strings.Cut(strings.ToLower(q), " ")
		if spanishInterrogatives[w] {
			return "ask", spanishMid(q)
		}
		return "ask", "si " + spanishMid(q)
	}
	for i, w := range strings.Fields(text) {
		if i > 0 && spanishFinite[strings.ToLower(strings.Trim(w, ",;:"))] {
			return "note", "que " + spanishMid(text)
		}
	}
	if p.note {
		// A note is a sentence, never a topic to call for: it is quoted.
		return "quoted", quoteIn("es", p.text)
	}
	return "topic", spanishMid(text)
}

// spanishTheme gives a theme its article: "el fomento de la capacidad",
// "la cooperación", "los derechos humanos". ok is false when the gender
// cannot be told from the spelling (the theme is then quoted).
func spanishTheme(theme string) (string, bool) {
	first, _, _ := strings.Cut(theme, " ")
	if first == "El" || first == "La" || first == "Los" || first == "Las" {
		return spanishMid(theme), true
	}
	if first == "" || !commonWordOrLower(first) {
		return "", false
	}
	w := strings.ToLower(strings.TrimRight(first, ",;:."))
	mid := spanishMid(theme)
	ends := func(es ...string) bool {
		for _, e := range es {
			if strings.HasSuffix(w, e) {
				return true
			}
		}
		return false
	}
	switch {
	case spanishMasculineA[w] || spanishMasculineA[strings.TrimSuffix(w, "s")]:
		if strings.HasSuffix(w, "s") {
			return "los " + mid, true
		}
		return "el " + mid, true
	case ends("ciones", "siones", "xiones", "dades", "tades", "tudes", "as"):
		return "las " + mid, true
	case ends("os", "ores", "ajes", "mientos", "ismos"):
		return "los " + mid, true
	case ends("is", "us"):
		return "", false
	case ends("ción", "sión", "xión", "dad", "tad", "tud", "umbre", "ie", "a"):
		return "la " + mid, true
	case ends("o", "or", "aje", "ismo"):
		return "el " + mid, true
	}
	return "", false
}

// spanishMasculineA are masculine nouns ending in -a.
var spanishMasculineA = wordSet("problema sistema programa tema clima idioma esquema dilema mapa día planeta")
