package summary

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"rostrum/locale"
	"rostrum/models"
	"rostrum/registration"
)

// IssuedLine is the heading block's statement of the summary's status,
// the disclaimer UN chair's summaries carry, in English (the catalogues'
// summary.issued_line has it in every language).
var IssuedLine = locale.T(locale.Default, "summary.issued_line")

// Draft writes the Chair's summary of r in Markdown, following UN
// practice: heading block (distribution, symbol, date of issue, original
// language, the body), introduction, one section per agenda item (who
// took the floor, then one numbered paragraph per theme), a closing
// paragraph and three annexes (programme, participating organizations,
// statistics with charts). Sentences come from the grammar in grammar.go;
// every piece of user text is escaped so that it reads as text, never as
// structure.
func Draft(r Record) string {
	var b strings.Builder
	d := drafter{r: &r, b: &b}
	d.heading()
	d.introduction()
	for i, it := range r.Items {
		d.item(i+1, it)
	}
	d.closing()
	d.annexProgramme()
	d.annexOrganizations()
	d.annexStatistics()
	return b.String()
}

type drafter struct {
	r    *Record
	b    *strings.Builder
	para int // last paragraph number: paragraphs are numbered through the document
}

func (d *drafter) line(s string) { d.b.WriteString(s); d.b.WriteString("\n") }

// t is a fixed phrase of the summary in the meeting's language (the
// catalogues' summary.* messages). The sentences the grammar builds are
// English's in grammar.go, the other languages' in phrasing.go.
func (d *drafter) t(id string, args ...any) string { return locale.T(d.r.lang(), id, args...) }

// group names the participants of category key together, in the
// meeting's language.
func (d *drafter) group(key string) string {
	if d.r.lang() == locale.Default {
		return models.CategoryOf(key).Group
	}
	return d.t("type." + models.CategoryOf(key).Key + ".group")
}

// country names a country in the meeting's language.
func (d *drafter) country(code string) string {
	if d.r.lang() == locale.Default {
		return countryName(code)
	}
	return registration.CountryNameIn(d.r.lang(), strings.ToUpper(code))
}

// day writes t's date in the meeting's zone and language.
func (d *drafter) day(t time.Time) string {
	t = t.In(location(d.r.Timezone))
	if d.r.lang() == locale.Default {
		return t.Format("2 January 2006")
	}
	return locale.Day(d.r.lang(), t)
}
func (d *drafter) linef(f string, args ...any) { fmt.Fprintf(d.b, f, args...); d.b.WriteString("\n") }

// numbered writes one numbered paragraph. Paragraphs are an ordered list
// item each, separated by a blank line so that an editor can move one.
func (d *drafter) numbered(text string) {
	d.para++
	d.linef("%d. %s", d.para, text)
	d.line("")
}

// heading is the block UN documents open with: distribution, symbol,
// date of issue and original language, then the title.
func (d *drafter) heading() {
	r := d.r
	d.line("# " + d.t("summary.title"))
	d.line("")
	d.line(d.t("summary.distr"))
	d.line("")
	if sym := strings.TrimSpace(r.Symbol); sym != "" {
		d.line(Escape(sym))
		d.line("")
	}
	issued := r.IssuedOn
	if issued.IsZero() {
		issued = time.Now()
	}
	d.line(d.t("summary.issued_on", "Date", d.day(issued)))
	d.line("")
	d.line(d.t("summary.original"))
	d.line("")
	if body := d.body(); !body.IsZero() {
		d.line(Escape(body.Defined()))
		d.line("")
	}
	d.linef("**%s**", Escape(r.Title))
	d.line("")
	where := Dates(r.StartsAt, r.EndsAt, r.Timezone)
	if !d.english() {
		loc := location(r.Timezone)
		where = Capitalize(locale.Days(r.lang(), r.StartsAt.In(loc), r.EndsAt.In(loc)))
	}
	if strings.TrimSpace(r.Venue) != "" {
		where += ", " + Escape(r.Venue)
	}
	d.line(where)
	d.line("")
	d.linef("*%s*", Escape(d.t("summary.issued_line")))
	d.line("")
}

func location(tz string) *time.Location {
	loc, err := time.LoadLocation(tz)
	if err != nil || tz == "" {
		return time.UTC
	}
	return loc
}

// title is the meeting's title inside a sentence: "the informal
// intersessional consultative meeting of the OEWG", never "The Informal …".
// It is not escaped.
func (d *drafter) title() string {
	t := strings.TrimSpace(cleanText(d.r.Title))
	if first, rest, ok := strings.Cut(t, " "); ok && strings.EqualFold(first, "the") {
		t = rest
	}
	return "the " + MidSentence(t, properName)
}

// body is the body the meeting serves (BodyName: in full with its
// acronym at the first mention, by the acronym after).
func (d *drafter) body() BodyName { return BodyName{Full: d.r.Body, Acronym: d.r.BodyAcronym} }

// titleAndBody is the meeting's title inside the introduction's first
// sentence, where the text first names the body: in the title if the
// title names it ("the informal … meeting of the Open-ended Working Group
// on … (OEWG)"), else in a clause after it.
func (d *drafter) titleAndBody() string {
	t, body := d.title(), d.body()
	if body.IsZero() {
		return Escape(t)
	}
	if before, mention, after, ok := body.InTitle(t); ok {
		return escapeInside(before) + escapeInside(mention) + escapeInside(after)
	}
	return Escape(t) + ", convened in the framework of the " + Escape(body.Defined()) + ","
}

func (d *drafter) introduction() {
	r := d.r
	d.line("## " + d.t("summary.introduction"))
	d.line("")
	if !d.english() {
		d.introductionIn()
		d.numbered(d.t(map[bool]string{true: "summary.chatham", false: "summary.attributed"}[r.chathamHouse()]))
		return
	}
	s := Capitalize(d.titleAndBody())
	s += " was held"
	if strings.TrimSpace(r.Venue) != "" {
		s += " at " + Escape(r.Venue)
	}
	s += " " + dateClause(r.StartsAt, r.EndsAt, r.Timezone) + "."
	if strings.TrimSpace(r.Chair) != "" {
		s += " The meeting was chaired by " + Escape(r.Chair) + "."
	}
	d.numbered(s)

	states, orgs := delegationsApart(uniqueOrganizations(r.Organizations))
	var parts []string
	for _, tc := range countByType(orgs) {
		parts = append(parts, countPhrase(tc.Type, tc.N))
	}
	if len(states) == 0 {
		s = "Representatives of " + Plural(len(orgs), "organization", "organizations") + " took part in the meeting"
		if len(parts) > 0 {
			s += ", namely " + JoinAnd(parts)
		}
	} else {
		// "Representatives of 12 Member States, 2 observer States and 14
		// organizations took part in the meeting; the organizations were …"
		who := stateCounts(states)
		if len(orgs) > 0 {
			who = append(who, Plural(len(orgs), "organization", "organizations"))
		}
		s = "Representatives of " + JoinAnd(who) + " took part in the meeting"
		if len(parts) > 0 {
			s += "; the " + map[bool]string{true: "organization was", false: "organizations were"}[len(orgs) == 1] + " " + JoinAnd(parts)
		}
	}
	s += "."
	if r.Attended > 0 {
		s += " In all, " + Plural(r.Attended, "participant", "participants") + " attended."
	}
	d.numbered(s)

	n, total := 0, time.Duration(0)
	for _, it := range r.Items {
		n += len(it.Interventions)
		for _, iv := range it.Interventions {
			total += iv.SpeakingTime
		}
	}
	s = fmt.Sprintf("In all, %s %s made under %s", Plural(n, "intervention", "interventions"), wasWere(n),
		Plural(len(r.Items), "agenda item", "agenda items"))
	if total > 0 {
		s += ", with a total speaking time of " + About(total)
	}
	d.numbered(s + ".")
	if r.chathamHouse() {
		d.numbered(d.t("summary.chatham"))
	} else {
		d.numbered(d.t("summary.attributed"))
	}
}

// item writes an agenda item: who took the floor, then one paragraph per
// theme naming the groups (or, when attributed, the organizations) that
// raised each point.
func (d *drafter) item(n int, it Item) {
	d.line("## " + d.t("summary.agenda_item", "Number", n, "Title", Escape(it.Title)))
	d.line("")
	if len(it.Interventions) == 0 {
		d.numbered(d.t("summary.no_interventions"))
		return
	}
	if !d.english() {
		d.numbered(d.tookTheFloorIn(it))
		for _, th := range themesOf(it) {
			d.numbered(d.themeParagraphIn(th))
		}
		return
	}
	d.numbered(d.tookTheFloor(it))
	for _, th := range themesOf(it) {
		d.numbered(d.themeParagraph(th))
	}
}

// tookTheFloor: "Representatives of 14 organizations, among them 6 from
// civil society and 3 from academia, took the floor."
func (d *drafter) tookTheFloor(it Item) string {
	all := speakersOf(it)
	states, orgs := delegationsApart(all)
	var parts []string
	for _, tc := range countByType(orgs) {
		parts = append(parts, strconv.Itoa(tc.N)+" from "+models.CategoryOf(tc.Type).From)
	}
	if len(states) > 0 {
		// States are counted, never named here: under the Chatham House
		// Rule that would tie them to what follows.
		who := stateCounts(states)
		if len(orgs) > 0 {
			who = append(who, Plural(len(orgs), "organization", "organizations"))
		}
		s := "Representatives of " + JoinAnd(who)
		if len(all) == 1 {
			s = "The representative of " + models.CategoryOf(all[0].Type).One
		}
		if len(parts) > 1 {
			s += ", among the organizations " + JoinAnd(parts) + ","
		}
		s += " took the floor"
		if len(it.Interventions) != len(all) {
			s += " in " + Plural(len(it.Interventions), "intervention", "interventions")
		}
		return s + "."
	}
	s := "Representatives of " + Plural(len(orgs), "organization", "organizations")
	if len(orgs) == 1 {
		s = "A participant from " + models.CategoryOf(orgs[0].Type).From
	} else if len(parts) == 1 {
		s += ", all from " + models.CategoryOf(orgs[0].Type).From + ","
	} else if len(parts) > 1 {
		s += ", among them " + JoinAnd(parts) + ","
	}
	s += " took the floor"
	if len(it.Interventions) != len(orgs) {
		s += " in " + Plural(len(it.Interventions), "intervention", "interventions")
	}
	return s + "."
}

// speakersOf is the organizations (and States) that took the floor on
// it, each once.
func speakersOf(it Item) []Organization {
	orgs := make([]Organization, len(it.Interventions))
	for i, iv := range it.Interventions {
		orgs[i] = iv.Organization
	}
	return uniqueOrganizations(orgs)
}

// typeCount is how many organizations are of one stakeholder type.
type typeCount struct {
	Type string
	N    int
}

// countByType counts orgs by stakeholder type, in the order of
// precedence (models.Categories), leaving out the types none is of.
func countByType(orgs []Organization) []typeCount {
	byType := map[string]int{}
	for _, o := range orgs {
		byType[typeKey(o.Type)]++
	}
	var out []typeCount
	for _, t := range models.Categories {
		if n := byType[t]; n > 0 {
			out = append(out, typeCount{t, n})
		}
	}
	return out
}

// A theme is what was said on one theme under an item: its points, each
// with the organizations that made it, in the order first heard.
type theme struct {
	name   string
	points []*point
}

type point struct {
	text string
	kind string // the kind of the first intervention that made it
	note bool   // drawn from a note without key points, not a key point
	orgs []Organization
}

// themesOf groups an item's key points by theme, in the order each theme
// was first raised; points without a theme come last. A note without key
// points becomes a point of its own, so that no intervention with a note
// is only counted.
func themesOf(it Item) []*theme {
	var out []*theme
	byName := map[string]*theme{}
	var untagged *theme
	add := func(name string, kp string, iv Intervention, note bool) {
		var th *theme
		if k := themeKey(name); k == "" {
			if untagged == nil {
				untagged = &theme{}
			}
			th = untagged
		} else if th = byName[k]; th == nil {
			th = &theme{name: cleanText(name)}
			byName[k] = th
			out = append(out, th)
		}
		for _, p := range th.points {
			if foldKey(p.text) == foldKey(kp) {
				p.orgs = append(p.orgs, iv.Organization)
				return
			}
		}
		th.points = append(th.points, &point{text: kp, kind: iv.Kind, note: note, orgs: []Organization{iv.Organization}})
	}
	for _, iv := range it.Interventions {
		had := false
		for _, kp := range iv.KeyPoints {
			if t := cleanText(kp.Text); t != "" {
				add(kp.Theme, t, iv, false)
				had = true
			}
		}
		if !had {
			if note := cleanText(iv.Note); note != "" {
				add("", note, iv, true)
			}
		}
	}
	if untagged != nil {
		out = append(out, untagged)
	}
	return out
}

// themeParagraph writes one theme: "On capacity-building, participants
// from civil society and academia called for …; a participant from the
// private sector also noted that …". Points made by the same set of
// groups share one clause.
func (d *drafter) themeParagraph(th *theme) string {
	type clause struct {
		who   string
		verbs []string            // in order first used
		objs  map[string][]string // verb → objects
	}
	var clauses []*clause
	byWho := map[string]*clause{}
	for _, p := range th.points {
		who := d.who(p.orgs)
		c := byWho[who]
		if c == nil {
			c = &clause{who: who, objs: map[string][]string{}}
			byWho[who] = c
			clauses = append(clauses, c)
		}
		verb, obj := d.reported(p)
		if _, ok := c.objs[verb]; !ok {
			c.verbs = append(c.verbs, verb)
		}
		c.objs[verb] = append(c.objs[verb], Escape(obj))
	}
	var parts []string
	for i, c := range clauses {
		var vps []string
		for _, v := range c.verbs {
			objs := c.objs[v]
			if v == "noted that" && len(objs) > 1 {
				vps = append(vps, "noted that "+strings.Join(objs, " and that "))
				continue
			}
			vps = append(vps, v+" "+JoinAnd(objs))
		}
		s := c.who
		if i > 0 {
			s += " also"
		}
		parts = append(parts, s+" "+JoinAnd(vps))
	}
	s := strings.Join(parts, "; ")
	if th.name != "" {
		s = "On " + Escape(MidSentence(th.name, properName)) + ", " + s
	}
	if strings.HasSuffix(s, "?”") {
		return Capitalize(s)
	}
	return Capitalize(s) + "."
}

// reported is a point in reported speech. A note (not a key point) keeps
// the rapporteur's own verb when it has one: "The speaker warned that …"
// and "Stressed that …" both give "warned"/"stressed" and the rest.
func (d *drafter) reported(p *point) (verb, obj string) {
	text := p.text
	if p.note {
		text = strings.TrimPrefix(text, "The speaker ")
		first, rest, _ := strings.Cut(strings.TrimRight(text, "."), " ")
		if rest != "" && strings.HasSuffix(first, "ed") && commonWordOrLower(first) {
			return strings.ToLower(first), rest
		}
		if v, o := Reported(text, properName); v == "asked" {
			return v, o
		}
		return "noted that", MidSentence(text, properName)
	}
	if p.kind == models.KindPointOfOrder {
		_, o := Reported(text, properName)
		return "raised a point of order, calling for", o
	}
	return Reported(text, properName)
}

// who names those who made a point: by stakeholder group under the
// Chatham House Rule ("a participant from civil society", "participants
// from civil society and academia"), by organization otherwise.
func (d *drafter) who(orgs []Organization) string {
	orgs = uniqueOrganizations(orgs)
	if !d.r.chathamHouse() {
		names := make([]string, len(orgs))
		for i, o := range orgs {
			names[i] = orgName(o)
		}
		if len(orgs) == 1 {
			return "the representative of " + names[0]
		}
		return "the representatives of " + JoinAnd(names)
	}
	seen := map[string]bool{}
	var froms []string
	for _, t := range models.Categories {
		for _, o := range orgs {
			if typeKey(o.Type) == t && !seen[t] {
				seen[t] = true
				froms = append(froms, models.CategoryOf(t).From)
			}
		}
	}
	if len(orgs) == 1 && models.IsState(orgs[0].Type) {
		return "a participant from " + models.CategoryOf(orgs[0].Type).One
	}
	if len(orgs) == 1 {
		return "a participant from " + froms[0]
	}
	if len(orgs) > 2 && len(froms) == 1 {
		return "several participants from " + froms[0]
	}
	return "participants from " + JoinAnd(froms)
}

// closing ends the body: the Chair's thanks and the close of the meeting.
func (d *drafter) closing() {
	d.line("## " + d.t("summary.closing"))
	d.line("")
	if body := d.body(); !body.IsZero() {
		// English says "the OEWG"; the other languages name the body by
		// its acronym (or full name) inside their own phrase.
		name := body.Short()
		if d.r.lang() != locale.Default {
			if name = body.acronym(); name == "" {
				name = body.full()
			}
		}
		d.numbered(d.t("summary.closed_body", "Body", Escape(name), "Date", d.day(d.r.EndsAt)))
	} else {
		d.numbered(d.t("summary.closed", "Date", d.day(d.r.EndsAt)))
	}
	d.numbered(d.t("summary.issued_line"))
}

func orgName(o Organization) string {
	s := Escape(o.Name)
	if models.IsState(o.Type) {
		return s // named after its State: "Singapore (Singapore)" says nothing more
	}
	if c := strings.TrimSpace(o.Country); c != "" {
		s += " (" + Escape(countryName(c)) + ")"
	}
	return s
}

func (d *drafter) annexProgramme() {
	d.line("## " + d.t("summary.annex_programme"))
	d.line("")
	slots := false
	for _, it := range d.r.Items {
		slots = slots || it.StartsAt != nil
	}
	if !slots {
		d.linef("| %s | %s |", d.t("summary.col_no"), d.t("summary.col_item"))
		d.line("| ---: | --- |")
		for i, it := range d.r.Items {
			d.linef("| %d | %s |", i+1, Escape(it.Title))
		}
		d.line("")
		return
	}
	// The slots the secretariat set, in the meeting's time zone.
	d.linef("| %s | %s | %s |", d.t("summary.col_no"), d.t("programme.time"), d.t("summary.col_item"))
	d.line("| ---: | --- | --- |")
	for i, it := range d.r.Items {
		d.linef("| %d | %s | %s |", i+1, Escape(d.slot(it.StartsAt, it.EndsAt)), Escape(it.Title))
	}
	d.line("")
}

// slot is Slot in the meeting's language: "2 décembre 2019, 10:00–13:00".
func (d *drafter) slot(start, end *time.Time) string {
	if d.english() || start == nil || end == nil {
		return Slot(start, end, d.r.Timezone)
	}
	loc := location(d.r.Timezone)
	s, e := start.In(loc), end.In(loc)
	from := locale.Day(d.r.lang(), s) + ", " + locale.Clock(s)
	if s.YearDay() == e.YearDay() && s.Year() == e.Year() {
		return from + "–" + locale.Clock(e)
	}
	return from + " – " + locale.Day(d.r.lang(), e) + ", " + locale.Clock(e)
}

// Slot shows an agenda item's slot in the meeting's time zone: "2
// December 2030, 10:00–13:00", or "" when it has none.
func Slot(start, end *time.Time, tz string) string {
	if start == nil || end == nil {
		return ""
	}
	loc, err := time.LoadLocation(tz)
	if err != nil || tz == "" {
		loc = time.UTC
	}
	s, e := start.In(loc), end.In(loc)
	if s.YearDay() == e.YearDay() && s.Year() == e.Year() {
		return s.Format("2 January 2006, 15:04") + "–" + e.Format("15:04")
	}
	return s.Format("2 January 2006, 15:04") + " – " + e.Format("2 January 2006, 15:04")
}

func (d *drafter) annexOrganizations() {
	orgs := uniqueOrganizations(d.r.Organizations)
	if states, _ := delegationsApart(orgs); len(states) > 0 {
		d.line("## " + d.t("summary.annex_delegations"))
	} else {
		d.line("## " + d.t("summary.annex_organizations"))
	}
	d.line("")
	if len(orgs) == 0 {
		d.line(d.t("summary.no_organizations"))
		d.line("")
		return
	}
	byType := map[string][]Organization{}
	for _, o := range orgs {
		byType[typeKey(o.Type)] = append(byType[typeKey(o.Type)], o)
	}
	for _, t := range models.Categories {
		list := byType[t]
		if len(list) == 0 {
			continue
		}
		sort.SliceStable(list, func(i, j int) bool { return foldKey(list[i].Name) < foldKey(list[j].Name) })
		d.linef("### %s", d.group(t))
		d.line("")
		if models.IsState(t) {
			// A delegation is its State's: the record is named after it.
			d.linef("| %s |", d.t("delegation.title"))
			d.line("| --- |")
			for _, o := range list {
				d.linef("| %s |", Escape(o.Name))
			}
			d.line("")
			continue
		}
		d.linef("| %s | %s |", d.t("field.organization"), d.t("field.country_short"))
		d.line("| --- | --- |")
		for _, o := range list {
			d.linef("| %s | %s |", Escape(o.Name), Escape(d.country(o.Country)))
		}
		d.line("")
	}
}

// Stats are the interventions and speaking time of one stakeholder group.
type Stats struct {
	Type          string
	Organizations int
	Interventions int
	SpeakingTime  time.Duration
}

// Statistics counts the record by stakeholder group, in display order,
// leaving out groups with neither organizations nor interventions.
func Statistics(r Record) []Stats {
	m := map[string]*Stats{}
	for _, t := range models.Categories {
		m[t] = &Stats{Type: t}
	}
	for _, o := range uniqueOrganizations(r.Organizations) {
		m[typeKey(o.Type)].Organizations++
	}
	for _, it := range r.Items {
		for _, iv := range it.Interventions {
			s := m[typeKey(iv.Organization.Type)]
			s.Interventions++
			s.SpeakingTime += iv.SpeakingTime
		}
	}
	var out []Stats
	for _, t := range models.Categories {
		if s := m[t]; s.Organizations > 0 || s.Interventions > 0 {
			out = append(out, *s)
		}
	}
	return out
}

func (d *drafter) annexStatistics() {
	d.line("## " + d.t("summary.annex_statistics"))
	d.line("")
	stats := Statistics(*d.r)
	d.linef("| %s | %s | %s | %s |", d.t("summary.col_group"), d.t("nav.organizations"), d.t("summary.col_interventions"), d.t("programme.speaking"))
	d.line("| --- | ---: | ---: | ---: |")
	var tot Stats
	for _, s := range stats {
		d.linef("| %s | %d | %d | %s |", d.group(s.Type), s.Organizations, s.Interventions, Duration(s.SpeakingTime))
		tot.Organizations += s.Organizations
		tot.Interventions += s.Interventions
		tot.SpeakingTime += s.SpeakingTime
	}
	d.linef("| **%s** | **%d** | **%d** | **%s** |", d.t("summary.total"), tot.Organizations, tot.Interventions, Duration(tot.SpeakingTime))
	d.line("")
	d.line("```chart")
	d.line(d.t("summary.chart_interventions"))
	for _, s := range stats {
		d.linef("%s | %d", d.group(s.Type), s.Interventions)
	}
	d.line("```")
	d.line("")
	d.line("```chart")
	d.line(d.t("summary.chart_time"))
	for _, s := range stats {
		d.linef("%s | %s", d.group(s.Type), strconv.FormatFloat(math.Round(s.SpeakingTime.Minutes()*10)/10, 'f', -1, 64))
	}
	d.line("```")
}

// delegationsApart splits participants into the States' delegations and
// the organizations (intergovernmental ones included).
func delegationsApart(all []Organization) (states, orgs []Organization) {
	for _, o := range all {
		if models.IsState(o.Type) {
			states = append(states, o)
		} else {
			orgs = append(orgs, o)
		}
	}
	return states, orgs
}

// stateCounts: "12 Member States", "2 observer States", in that order.
func stateCounts(states []Organization) []string {
	var out []string
	for _, k := range []string{models.KindMemberState, models.KindObserverState} {
		n := 0
		for _, o := range states {
			if o.Type == k {
				n++
			}
		}
		if n > 0 {
			out = append(out, countPhrase(k, n))
		}
	}
	return out
}

func countPhrase(t string, n int) string {
	st := models.CategoryOf(t)
	return Plural(n, st.CountOne, st.CountMany)
}

func wasWere(n int) string {
	if n == 1 {
		return "was"
	}
	return "were"
}

// uniqueOrganizations drops repeated organizations (same folded name and
// country), keeping the first.
func uniqueOrganizations(in []Organization) []Organization {
	seen := map[string]bool{}
	var out []Organization
	for _, o := range in {
		k := foldKey(o.Name) + "\x00" + strings.ToUpper(o.Country)
		if seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, o)
	}
	return out
}

func foldKey(s string) string { return strings.ToLower(strings.Join(strings.Fields(s), " ")) }

// sentence ends s with a full stop unless it already ends a sentence.
func sentence(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return s
	}
	last, _ := utf8.DecodeLastRuneInString(s)
	switch last {
	case '.', '!', '?', '…', '。', '؟':
		return s
	}
	// An escaped closing character (\) or \]) is fine to follow with a stop.
	return s + "."
}

// Dates shows a meeting's span in its time zone the UN way:
// "2–4 December 2030", "30 November – 2 December 2030".
func Dates(start, end time.Time, tz string) string {
	loc, err := time.LoadLocation(tz)
	if err != nil || tz == "" {
		loc = time.UTC
	}
	s, e := start.In(loc), end.In(loc)
	if e.Before(s) {
		e = s
	}
	switch {
	case s.Year() == e.Year() && s.Month() == e.Month() && s.Day() == e.Day():
		return s.Format("2 January 2006")
	case s.Year() == e.Year() && s.Month() == e.Month():
		return fmt.Sprintf("%d–%s", s.Day(), e.Format("2 January 2006"))
	case s.Year() == e.Year():
		return fmt.Sprintf("%s – %s", s.Format("2 January"), e.Format("2 January 2006"))
	}
	return fmt.Sprintf("%s – %s", s.Format("2 January 2006"), e.Format("2 January 2006"))
}

func dateClause(start, end time.Time, tz string) string {
	d := Dates(start, end, tz)
	if strings.ContainsAny(d, "–") {
		return "from " + strings.Replace(strings.Replace(d, " – ", " to ", 1), "–", " to ", 1)
	}
	return "on " + d
}

// Duration shows a speaking time as "1 h 05 min", "12 min 30 s" or "45 s".
func Duration(d time.Duration) string {
	sec := int(d.Round(time.Second) / time.Second)
	h, m, s := sec/3600, sec%3600/60, sec%60
	switch {
	case h > 0:
		return fmt.Sprintf("%d h %02d min", h, m)
	case m > 0:
		return fmt.Sprintf("%d min %02d s", m, s)
	}
	return fmt.Sprintf("%d s", s)
}

// cleanText makes user text one line of printable characters: control
// characters go, every run of white space (newlines included) becomes one
// space. A note can then never start a new Markdown block.
func cleanText(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	var b strings.Builder
	space := false
	for _, r := range s {
		switch {
		case unicode.IsSpace(r):
			space = true
			continue
		case unicode.IsControl(r) || r == '\uFEFF' || (r >= 0xFFFE && r <= 0xFFFF):
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	return b.String()
}

// escapeInside escapes a piece of a sentence as Escape does, keeping
// the space at either end that joins it to the next piece.
func escapeInside(s string) string {
	out := Escape(s)
	if out == "" {
		return strings.Repeat(" ", min(1, len(s)))
	}
	if strings.HasPrefix(s, " ") {
		out = " " + out
	}
	if strings.HasSuffix(s, " ") {
		out += " "
	}
	return out
}

// Escape turns user text into Markdown that reads as exactly that text:
// one line, with every character that could start emphasis, a link, raw
// HTML, an entity, code, a strikethrough or a table cell escaped; and, at
// the start, anything that could open a block (heading, list, quote).
// Other punctuation is left alone so that editors read plain prose.
func Escape(s string) string {
	s = cleanText(s)
	var b strings.Builder
	b.Grow(len(s) + 8)
	digits := true // still in a run of leading digits
	for i, r := range s {
		switch r {
		case '\\', '`', '*', '_', '[', ']', '<', '>', '&', '|', '~':
			b.WriteByte('\\')
		case '#', '+', '-', '=', ':':
			if i == 0 {
				b.WriteByte('\\')
			}
		case '.', ')':
			if digits && i > 0 {
				b.WriteByte('\\')
			}
		}
		digits = digits && r >= '0' && r <= '9'
		b.WriteRune(r)
	}
	return b.String()
}
