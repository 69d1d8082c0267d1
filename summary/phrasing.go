package summary

import (
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"rostrum/locale"
	"rostrum/models"
	"rostrum/registration"
)

// The body's sentences in a language other than English. Their frames
// are the catalogues' summary.* messages (with plural forms for counts and
// for a subject's number); what the frames cannot say is the grammar of
// each language: French repeats "de" before each item of a list and
// elides it ("d'environ"), Spanish contracts "a el" to "al" and joins with
// "e" before an i sound, and a rapporteur's key point becomes a clause in
// French and Spanish (grammar_fr.go, grammar_es.go) or is quoted after a
// frame that needs no conjugation in Arabic, Chinese and Russian.
//
// English keeps the grammar of grammar.go; the catalogues' English
// summary.* messages are the source text the translations follow.

func (d *drafter) english() bool { return d.r.lang() == locale.Default }

// phrase is message id in the meeting's language, its fields filled from
// args (name, value pairs); contractions are made where a value meets the
// frame's words.
func (d *drafter) phrase(id string, args ...any) string { return phrase(d.r.lang(), id, -1, args) }

// phraseN is phrase with the plural form of count.
func (d *drafter) phraseN(id string, count int, args ...any) string {
	return phrase(d.r.lang(), id, count, args)
}

func phrase(lang, id string, count int, args []any) string {
	// Each text value goes in as a marker, so that the words of the frame
	// before it can be contracted with it once the message is written.
	values := map[string]string{}
	marked := append([]any(nil), args...)
	for i := 1; i < len(args); i += 2 {
		if s, ok := args[i].(string); ok {
			key := "\x00" + strconv.Itoa(i) + "\x00"
			values[key] = s
			marked[i] = key
		}
	}
	var s string
	if count >= 0 {
		s = locale.N(lang, id, count, marked...)
	} else {
		s = locale.T(lang, id, marked...)
	}
	var out string
	for {
		i := strings.IndexByte(s, 0)
		if i < 0 {
			break
		}
		j := i + 1 + strings.IndexByte(s[i+1:], 0)
		before, value := contract(lang, out+s[:i], values[s[i:j+1]])
		out = before + value
		s = s[j+1:]
	}
	return out + s
}

// contract joins the words before a value to the value as lang writes
// them: French "de" + "environ" → "d'environ", "à" + "le" → "au";
// Spanish "de" + "el" → "del".
func contract(lang, before, value string) (string, string) {
	switch lang {
	case "fr":
		return contractFrench(before, value)
	case "es":
		return contractSpanish(before, value)
	}
	return before, value
}

// gap separates two sentences: a space, but none in Chinese.
func (d *drafter) gap() string {
	if d.r.lang() == "zh" {
		return ""
	}
	return " "
}

// listComma separates the items of a list but the last.
var listComma = map[string]string{"ar": "، ", "zh": "、"}

// joinAnd joins parts as the meeting's language does: "A, B et C",
// "A, B y C", "A e Isla" (Spanish "e" before an i sound), "A、B和C".
func (d *drafter) joinAnd(parts []string) string {
	switch len(parts) {
	case 0:
		return ""
	case 1:
		return parts[0]
	}
	lang := d.r.lang()
	comma, ok := listComma[lang]
	if !ok {
		comma = ", "
	}
	rest, last := strings.Join(parts[:len(parts)-1], comma), parts[len(parts)-1]
	id := "summary.and"
	if lang == "es" && beforeISound(last) {
		id = "summary.and_i"
	}
	return d.phrase(id, "Rest", rest, "Last", last)
}

// ofList joins items each governed by the frame's "of": French repeats
// the preposition ("de 12 États Membres et de 3 organisations"); the
// frame holds the first.
func (d *drafter) ofList(parts []string) string {
	if d.r.lang() != "fr" || len(parts) < 2 {
		return d.joinAnd(parts)
	}
	out := []string{parts[0]}
	for _, p := range parts[1:] {
		out = append(out, frenchDe(p))
	}
	return d.joinAnd(out)
}

// count is n of category (or "organizations", "participants", "items",
// "interventions") with its noun: "3 organisations non gouvernementales".
func (d *drafter) count(what string, n int) string { return d.phraseN("summary.count."+what, n) }

// from names the participants of category key as the group they came
// from, with its preposition: "de la société civile".
func (d *drafter) from(key string) string { return d.phrase("summary.from." + typeKey(key)) }

// about says a length of time as About does, in the meeting's language.
func (d *drafter) about(t time.Duration) string {
	sec := int(t.Round(time.Second) / time.Second)
	switch {
	case sec < 30:
		return d.phrase("summary.less_than_a_minute")
	case sec < 3600:
		m := (sec + 30) / 60
		s := d.phraseN("summary.minutes", m)
		if sec%60 == 0 {
			return s
		}
		return d.phraseN("summary.about", m, "Time", s)
	}
	m := (sec + 150) / 300 * 5
	h, m := m/60, m%60
	parts := []string{d.phraseN("summary.hours", h)}
	if m > 0 {
		parts = append(parts, d.phraseN("summary.minutes", m))
	}
	s := d.joinAnd(parts)
	if sec%300 == 0 {
		return s
	}
	return d.phraseN("summary.about", h, "Time", s)
}

// dates is the meeting's days inside a sentence: "du 2 décembre 2019 au
// 4 décembre 2019", "le 2 décembre 2019".
func (d *drafter) dates() string {
	loc := location(d.r.Timezone)
	s, e := d.r.StartsAt.In(loc), d.r.EndsAt.In(loc)
	if e.Before(s) || (s.Year() == e.Year() && s.YearDay() == e.YearDay()) {
		return d.phrase("summary.on_date", "Date", locale.Day(d.r.lang(), s))
	}
	return locale.Days(d.r.lang(), s, e)
}

// meeting is the meeting's title inside the introduction's first
// sentence, as the rapporteurs wrote it, with the body it serves.
func (d *drafter) meeting() string {
	t, body := strings.TrimSpace(cleanText(d.r.Title)), d.body()
	if body.IsZero() {
		return d.phrase("summary.meeting", "Title", Escape(t))
	}
	if before, mention, after, ok := body.InTitle(t); ok {
		return d.phrase("summary.meeting", "Title", escapeInside(before)+escapeInside(mention)+escapeInside(after))
	}
	return d.phrase("summary.meeting_body", "Title", Escape(t), "Body", Escape(body.Defined()))
}

func (d *drafter) introductionIn() {
	r := d.r
	var s string
	if v := strings.TrimSpace(r.Venue); v != "" {
		s = d.phrase("summary.held_at", "Meeting", d.meeting(), "Venue", Escape(v), "Dates", d.dates())
	} else {
		s = d.phrase("summary.held", "Meeting", d.meeting(), "Dates", d.dates())
	}
	s = Capitalize(s)
	if c := strings.TrimSpace(r.Chair); c != "" {
		s += d.gap() + d.phrase("summary.chaired", "Chair", Escape(c))
	}
	d.numbered(s)

	states, orgs := delegationsApart(uniqueOrganizations(r.Organizations))
	var parts []string
	for _, tc := range countByType(orgs) {
		parts = append(parts, d.count(tc.Type, tc.N))
	}
	var who []string
	for _, k := range []string{models.KindMemberState, models.KindObserverState} {
		n := 0
		for _, o := range states {
			if o.Type == k {
				n++
			}
		}
		if n > 0 {
			who = append(who, d.count(k, n))
		}
	}
	if len(orgs) > 0 || len(states) == 0 {
		who = append(who, d.count("organizations", len(orgs)))
	}
	switch {
	case len(parts) == 0:
		s = d.phrase("summary.took_part", "Who", d.ofList(who))
	case len(states) == 0:
		s = d.phrase("summary.took_part_namely", "Who", d.ofList(who), "Parts", d.joinAnd(parts))
	default:
		s = d.phraseN("summary.took_part_were", len(orgs), "Who", d.ofList(who), "Parts", d.ofList(parts))
	}
	if r.Attended > 0 {
		s += d.gap() + d.phraseN("summary.attended", r.Attended)
	}
	d.numbered(s)

	n, total := 0, time.Duration(0)
	for _, it := range r.Items {
		n += len(it.Interventions)
		for _, iv := range it.Interventions {
			total += iv.SpeakingTime
		}
	}
	speaking := ""
	if total > 0 {
		speaking = d.phrase("summary.speaking_total", "Time", d.about(total))
	}
	d.numbered(d.phraseN("summary.interventions_made", n, "Items", d.count("items", len(r.Items)), "Total", speaking))
}

// tookTheFloorIn is tookTheFloor in the meeting's language.
func (d *drafter) tookTheFloorIn(it Item) string {
	all := speakersOf(it)
	states, orgs := delegationsApart(all)
	var parts []string
	for _, tc := range countByType(orgs) {
		parts = append(parts, d.phrase("summary.count_from", "Count", locale.Number(d.r.lang(), tc.N), "From", d.from(tc.Type)))
	}
	times := ""
	if len(it.Interventions) != len(all) {
		times = d.phraseN("summary.times", len(it.Interventions))
	}
	if len(states) > 0 {
		// States are counted, never named (see tookTheFloor).
		var who []string
		for _, k := range []string{models.KindMemberState, models.KindObserverState} {
			n := 0
			for _, o := range states {
				if o.Type == k {
					n++
				}
			}
			if n > 0 {
				who = append(who, d.count(k, n))
			}
		}
		if len(orgs) > 0 {
			who = append(who, d.count("organizations", len(orgs)))
		}
		switch {
		case len(all) == 1:
			return d.phrase("summary.floor_state", "One", d.phrase("summary.one."+all[0].Type), "Times", times)
		case len(parts) > 1:
			return d.phrase("summary.floor_states_among", "Who", d.ofList(who), "Parts", d.joinAnd(parts), "Times", times)
		}
		return d.phrase("summary.floor", "Who", d.ofList(who), "Times", times)
	}
	switch {
	case len(orgs) == 1:
		return d.phrase("summary.floor_one", "From", d.from(orgs[0].Type), "Times", times)
	case len(parts) == 1:
		return d.phrase("summary.floor_all", "Who", d.count("organizations", len(orgs)), "From", d.from(orgs[0].Type), "Times", times)
	}
	return d.phrase("summary.floor_among", "Who", d.count("organizations", len(orgs)), "Parts", d.joinAnd(parts), "Times", times)
}

// whoIn names those who made a point, as who does, in the meeting's
// language; n is how many they are, for the verb's agreement.
func (d *drafter) whoIn(orgs []Organization) (who string, n int) {
	orgs = uniqueOrganizations(orgs)
	if !d.r.chathamHouse() {
		names := make([]string, len(orgs))
		for i, o := range orgs {
			names[i] = Escape(o.Name)
			if c := strings.TrimSpace(o.Country); c != "" && !models.IsState(o.Type) {
				names[i] += " (" + Escape(d.country(c)) + ")"
			}
		}
		if len(orgs) == 1 {
			return d.phrase("summary.representative", "Name", names[0]), 1
		}
		return d.phrase("summary.representatives", "Names", d.ofList(names)), len(orgs)
	}
	seen := map[string]bool{}
	var froms []string
	for _, t := range models.Categories {
		for _, o := range orgs {
			if typeKey(o.Type) == t && !seen[t] {
				seen[t] = true
				froms = append(froms, d.from(t))
			}
		}
	}
	switch {
	case len(orgs) == 1 && models.IsState(orgs[0].Type):
		return d.phrase("summary.participant", "From", d.phrase("summary.one."+orgs[0].Type)), 1
	case len(orgs) == 1:
		return d.phrase("summary.participant", "From", froms[0]), 1
	case len(orgs) > 2 && len(froms) == 1:
		return d.phrase("summary.several_participants", "From", froms[0]), len(orgs)
	}
	return d.phrase("summary.participants", "From", d.joinAnd(froms)), len(orgs)
}

// semicolon joins the clauses of a theme's paragraph.
var semicolon = map[string]string{"fr": " ; ", "ar": "؛ ", "zh": "；"}

// fullStop ends a sentence.
var fullStop = map[string]string{"zh": "。"}

// themeParagraphIn is themeParagraph in the meeting's language. In French
// and Spanish each point becomes a clause whose verb agrees with those
// who made it ("un participant … a appelé à renforcer …", "des
// participants … ont noté que …"); in Arabic, Chinese and Russian the
// points are quoted after a frame that needs no conjugation.
func (d *drafter) themeParagraphIn(th *theme) string {
	lang := d.r.lang()
	type clause struct {
		who   string
		n     int
		verbs []string
		objs  map[string][]string
	}
	var clauses []*clause
	byWho := map[string]*clause{}
	for _, p := range th.points {
		who, n := d.whoIn(p.orgs)
		c := byWho[who]
		if c == nil {
			c = &clause{who: who, n: n, objs: map[string][]string{}}
			byWho[who] = c
			clauses = append(clauses, c)
		}
		verb, obj := reportedIn(lang, p)
		if _, ok := c.objs[verb]; !ok {
			c.verbs = append(c.verbs, verb)
		}
		c.objs[verb] = append(c.objs[verb], Escape(obj))
	}
	var parts []string
	for i, c := range clauses {
		also := ""
		if i > 0 {
			also = d.phrase("summary.also")
		}
		var vps []string
		for j, v := range c.verbs {
			if j > 0 {
				also = ""
			}
			vps = append(vps, d.phraseN("summary.said."+v, c.n, "Also", also, "What", d.joinAnd(c.objs[v])))
		}
		parts = append(parts, d.phrase("summary.clause", "Who", c.who, "Said", d.joinAnd(vps)))
	}
	sep, ok := semicolon[lang]
	if !ok {
		sep = "; "
	}
	s := strings.Join(parts, sep)
	if th.name != "" {
		if t, ok := themeWithArticle(lang, th.name); ok {
			s = d.phrase("summary.on_theme", "Theme", Escape(t), "Text", s)
		} else {
			s = d.phrase("summary.on_theme_named", "Theme", Escape(th.name), "Text", s)
		}
	}
	s = Capitalize(s)
	if last, _ := utf8.DecodeLastRuneInString(s); last == '?' || last == '»' && strings.HasSuffix(strings.TrimRight(s, " »"), "?") {
		return s
	}
	stop, ok := fullStop[lang]
	if !ok {
		stop = "."
	}
	return s + stop
}

// reportedIn is a point in reported speech in lang: the name of the
// catalogue's verb (summary.said.<verb>) and its object.
func reportedIn(lang string, p *point) (verb, obj string) {
	switch lang {
	case "fr":
		return reportedFrench(p)
	case "es":
		return reportedSpanish(p)
	}
	return "quoted", quoteIn(lang, p.text)
}

// quoteIn quotes a rapporteur's text as lang quotes.
func quoteIn(lang, text string) string {
	text = strings.TrimSpace(text)
	switch lang {
	case "zh":
		return "“" + text + "”"
	case "fr":
		return "« " + text + " »"
	}
	return "«" + text + "»"
}

// themeWithArticle gives a theme the article it takes after "Sur" or "En
// cuanto a" ("le renforcement des capacités", "el fomento de la
// capacidad"); ok is false when the language quotes the theme instead
// or the article cannot be told.
func themeWithArticle(lang, theme string) (string, bool) {
	switch lang {
	case "fr":
		return frenchTheme(theme)
	case "es":
		return spanishTheme(theme)
	}
	return "", false
}

// midSentence lowers a text's first word for the middle of a sentence,
// as MidSentence does, with the language's articles and the words that
// keep their capital (keep, and the names of countries in lang).
func midSentence(lang, text string, articles, keep map[string]bool) string {
	first, rest, _ := strings.Cut(text, " ")
	if first == "" {
		return text
	}
	if articles[first] && rest != "" {
		return strings.ToLower(first) + " " + midSentence(lang, rest, articles, keep)
	}
	// L'État, L'Internet: the article goes to lower case, the noun keeps
	// its capital if it has one.
	for _, a := range []string{"L'", "L’"} {
		if strings.HasPrefix(first, a) && articles[a] {
			return "l" + text[1:len(a)] + midSentence(lang, text[len(a):], articles, keep)
		}
	}
	bare := strings.TrimRight(first, ",;:.")
	if !commonWord(first) || keep[bare] || countryWordsIn(lang)[bare] {
		return text
	}
	r, n := utf8.DecodeRuneInString(text)
	return string(unicode.ToLower(r)) + text[n:]
}

// countryWordsIn are the first words of the countries' names in lang
// ("Singapour", "Brasil"): a point that starts with one keeps its capital.
func countryWordsIn(lang string) map[string]bool {
	if v, ok := countryWordsByLang.Load(lang); ok {
		return v.(map[string]bool)
	}
	m := map[string]bool{}
	for _, c := range registration.Countries() {
		first, _, _ := strings.Cut(registration.CountryNameIn(lang, c.Code), " ")
		m[first] = true
	}
	countryWordsByLang.Store(lang, m)
	return m
}

var countryWordsByLang sync.Map
