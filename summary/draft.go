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

	"rostrum/models"
)

// IssuedLine is the heading block's statement of the summary's status.
const IssuedLine = "Issued under the Chair's own responsibility. This summary is not a negotiated text and does not reflect agreement among participants."

// Draft writes the Chair's summary of r in Markdown, following UN
// practice: heading block, introduction, one section per agenda item with
// numbered paragraphs drawn from the notes, and three annexes (programme,
// participating organizations, statistics with charts). Every piece of
// user text is escaped so that it reads as text, never as structure.
func Draft(r Record) string {
	var b strings.Builder
	d := drafter{r: &r, b: &b}
	d.heading()
	d.introduction()
	for i, it := range r.Items {
		d.item(i+1, it)
	}
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

func (d *drafter) line(s string)               { d.b.WriteString(s); d.b.WriteString("\n") }
func (d *drafter) linef(f string, args ...any) { fmt.Fprintf(d.b, f, args...); d.b.WriteString("\n") }

// numbered writes one numbered paragraph. Paragraphs are an ordered list
// item each, separated by a blank line so that an editor can move one.
func (d *drafter) numbered(text string) {
	d.para++
	d.linef("%d. %s", d.para, text)
	d.line("")
}

func (d *drafter) heading() {
	r := d.r
	d.line("# Chair's Summary")
	d.line("")
	d.linef("**%s**", Escape(r.Title))
	d.line("")
	where := Dates(r.StartsAt, r.EndsAt, r.Timezone)
	if strings.TrimSpace(r.Venue) != "" {
		where += ", " + Escape(r.Venue)
	}
	d.line(where)
	d.line("")
	d.linef("*%s*", Escape(IssuedLine))
	d.line("")
}

func (d *drafter) introduction() {
	r := d.r
	d.line("## Introduction")
	d.line("")
	s := "The " + Escape(r.Title) + " was held"
	if strings.TrimSpace(r.Venue) != "" {
		s += " at " + Escape(r.Venue)
	}
	s += " " + dateClause(r.StartsAt, r.EndsAt, r.Timezone) + "."
	if strings.TrimSpace(r.Chair) != "" {
		s += " The meeting was chaired by " + Escape(r.Chair) + "."
	}
	d.numbered(s)

	orgs := uniqueOrganizations(r.Organizations)
	byType := map[string]int{}
	for _, o := range orgs {
		byType[typeKey(o.Type)]++
	}
	var parts []string
	for _, t := range models.OrganizationTypes {
		if n := byType[t]; n > 0 {
			parts = append(parts, countPhrase(t, n))
		}
	}
	s = fmt.Sprintf("%s took part in the meeting", plural(len(orgs), "organization", "organizations"))
	if len(parts) > 0 {
		s += ": " + joinAnd(parts)
	}
	d.numbered(s + ".")

	n, total := 0, time.Duration(0)
	for _, it := range r.Items {
		n += len(it.Interventions)
		for _, iv := range it.Interventions {
			total += iv.SpeakingTime
		}
	}
	s = fmt.Sprintf("%s %s made under %s", plural(n, "intervention", "interventions"), wasWere(n),
		plural(len(r.Items), "agenda item", "agenda items"))
	if total > 0 {
		s += ", with a total speaking time of " + Duration(total)
	}
	d.numbered(s + ".")
	if r.chathamHouse() {
		d.numbered("The meeting was held under the Chatham House Rule: views are reported without attribution to any participant or organization, by stakeholder group only.")
	} else {
		d.numbered("Views are attributed to the organizations on whose behalf they were expressed.")
	}
}

func (d *drafter) item(n int, it Item) {
	d.linef("## Agenda item %d: %s", n, Escape(it.Title))
	d.line("")
	if len(it.Interventions) == 0 {
		d.numbered("No interventions were made under this item.")
		return
	}
	d.numbered(fmt.Sprintf("Under this item, %s %s made.", plural(len(it.Interventions), "intervention", "interventions"),
		wasWere(len(it.Interventions))))

	// A key point made by participants of two or more organizations of
	// the same stakeholder group becomes one "Several participants"
	// paragraph; the individual paragraphs then leave it out.
	type group struct {
		typ, point string
		orgs       []Organization
		members    map[int]bool
	}
	var groups []*group
	byKey := map[string]*group{}
	for i, iv := range it.Interventions {
		for _, kp := range iv.KeyPoints {
			kp = cleanText(kp)
			if kp == "" {
				continue
			}
			key := typeKey(iv.Organization.Type) + "\x00" + foldKey(kp)
			g := byKey[key]
			if g == nil {
				g = &group{typ: typeKey(iv.Organization.Type), point: kp, members: map[int]bool{}}
				byKey[key] = g
				groups = append(groups, g)
			}
			if !g.members[i] {
				g.members[i] = true
				g.orgs = append(g.orgs, iv.Organization)
			}
		}
	}
	grouped := map[string]bool{} // key of a grouped point
	for _, g := range groups {
		if len(uniqueOrganizations(g.orgs)) < 2 {
			continue
		}
		grouped[g.typ+"\x00"+foldKey(g.point)] = true
		subject := "Several participants from " + models.StakeholderTypeOf(g.typ).Several
		if !d.r.chathamHouse() {
			var names []string
			for _, o := range uniqueOrganizations(g.orgs) {
				names = append(names, orgName(o))
			}
			subject += " (" + joinAnd(names) + ")"
		}
		d.numbered(subject + " highlighted: " + sentence(Escape(g.point)))
	}
	for _, iv := range it.Interventions {
		note := cleanText(iv.Note)
		var rest []string
		for _, kp := range iv.KeyPoints {
			kp = cleanText(kp)
			if kp == "" || grouped[typeKey(iv.Organization.Type)+"\x00"+foldKey(kp)] {
				continue
			}
			rest = append(rest, Escape(strings.TrimRight(kp, ".;")))
		}
		if note == "" && len(rest) == 0 {
			continue
		}
		s := d.subject(iv) + " " + verb(iv.Kind)
		if note != "" {
			s += ": " + sentence(Escape(note))
			if len(rest) > 0 {
				s += " Key points: " + strings.Join(rest, "; ") + "."
			}
		} else {
			s += ": " + strings.Join(rest, "; ") + "."
		}
		d.numbered(s)
	}
}

// subject names who spoke: the stakeholder group only under the Chatham
// House Rule, the organization otherwise.
func (d *drafter) subject(iv Intervention) string {
	if d.r.chathamHouse() {
		return "A participant from " + models.StakeholderTypeOf(iv.Organization.Type).One
	}
	return "The representative of " + orgName(iv.Organization)
}

func orgName(o Organization) string {
	s := Escape(o.Name)
	if c := strings.TrimSpace(o.Country); c != "" {
		s += " (" + Escape(c) + ")"
	}
	return s
}

func verb(kind string) string {
	switch strings.ToLower(kind) {
	case "reply", "right_of_reply":
		return "responded"
	case "question":
		return "asked"
	case "point_of_order":
		return "raised a point of order"
	default:
		return "noted"
	}
}

func (d *drafter) annexProgramme() {
	d.line("## Annex I: Programme")
	d.line("")
	slots := false
	for _, it := range d.r.Items {
		slots = slots || it.StartsAt != nil
	}
	if !slots {
		d.line("| No. | Agenda item |")
		d.line("| ---: | --- |")
		for i, it := range d.r.Items {
			d.linef("| %d | %s |", i+1, Escape(it.Title))
		}
		d.line("")
		return
	}
	// The slots the secretariat set, in the meeting's time zone.
	d.line("| No. | Time | Agenda item |")
	d.line("| ---: | --- | --- |")
	for i, it := range d.r.Items {
		d.linef("| %d | %s | %s |", i+1, Escape(Slot(it.StartsAt, it.EndsAt, d.r.Timezone)), Escape(it.Title))
	}
	d.line("")
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
	d.line("## Annex II: Participating organizations")
	d.line("")
	orgs := uniqueOrganizations(d.r.Organizations)
	if len(orgs) == 0 {
		d.line("No organizations were registered.")
		d.line("")
		return
	}
	byType := map[string][]Organization{}
	for _, o := range orgs {
		byType[typeKey(o.Type)] = append(byType[typeKey(o.Type)], o)
	}
	for _, t := range models.OrganizationTypes {
		list := byType[t]
		if len(list) == 0 {
			continue
		}
		sort.SliceStable(list, func(i, j int) bool { return foldKey(list[i].Name) < foldKey(list[j].Name) })
		d.linef("### %s", models.StakeholderTypeOf(t).Group)
		d.line("")
		d.line("| Organization | Country |")
		d.line("| --- | --- |")
		for _, o := range list {
			d.linef("| %s | %s |", Escape(o.Name), Escape(o.Country))
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
	for _, t := range models.OrganizationTypes {
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
	for _, t := range models.OrganizationTypes {
		if s := m[t]; s.Organizations > 0 || s.Interventions > 0 {
			out = append(out, *s)
		}
	}
	return out
}

func (d *drafter) annexStatistics() {
	d.line("## Annex III: Statistics")
	d.line("")
	stats := Statistics(*d.r)
	d.line("| Stakeholder group | Organizations | Interventions | Speaking time |")
	d.line("| --- | ---: | ---: | ---: |")
	var tot Stats
	for _, s := range stats {
		d.linef("| %s | %d | %d | %s |", models.StakeholderTypeOf(s.Type).Group, s.Organizations, s.Interventions, Duration(s.SpeakingTime))
		tot.Organizations += s.Organizations
		tot.Interventions += s.Interventions
		tot.SpeakingTime += s.SpeakingTime
	}
	d.linef("| **Total** | **%d** | **%d** | **%s** |", tot.Organizations, tot.Interventions, Duration(tot.SpeakingTime))
	d.line("")
	d.line("```chart")
	d.line("Interventions by stakeholder group")
	for _, s := range stats {
		d.linef("%s | %d", models.StakeholderTypeOf(s.Type).Group, s.Interventions)
	}
	d.line("```")
	d.line("")
	d.line("```chart")
	d.line("Speaking time by stakeholder group (minutes)")
	for _, s := range stats {
		d.linef("%s | %s", models.StakeholderTypeOf(s.Type).Group, strconv.FormatFloat(math.Round(s.SpeakingTime.Minutes()*10)/10, 'f', -1, 64))
	}
	d.line("```")
}

func countPhrase(t string, n int) string {
	st := models.StakeholderTypeOf(t)
	return plural(n, st.CountOne, st.CountMany)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

func wasWere(n int) string {
	if n == 1 {
		return "was"
	}
	return "were"
}

func joinAnd(parts []string) string {
	switch len(parts) {
	case 0:
		return ""
	case 1:
		return parts[0]
	case 2:
		return parts[0] + " and " + parts[1]
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " and " + parts[len(parts)-1]
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
