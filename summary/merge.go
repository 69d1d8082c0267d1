package summary

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/pmezard/go-difflib/difflib"
)

// Edits carry forward. A new version is drafted from the record again,
// and the secretariat's edits of the previous version are merged into it,
// paragraph by paragraph, three ways:
//
//	base:   the text generated for the previous version
//	ours:   the previous version as the secretariat left it
//	theirs: the text generated now
//
// A paragraph only one side changed takes that side's text; one both
// changed alike is taken once; one both changed differently is a
// conflict: both texts are kept between markers for the secretariat
// (HTML comments, see conflictMarker), and the version cannot be approved
// until they are gone. A paragraph the secretariat deleted stays deleted
// unless the generator changed it, when it comes back as a conflict with
// an empty side; a paragraph the secretariat added stays where it was.
//
// A paragraph is a block of lines between blank lines: a heading, a
// numbered paragraph, a table. Numbered paragraphs are matched without
// their number (a paragraph inserted above renumbers the rest), and the
// merged draft is numbered through again.

// MergeResult is a merged draft and how many conflicts it holds.
type MergeResult struct {
	Markdown  string
	Conflicts int
}

// Merge merges the edits that turned base into ours with those that turned
// base into theirs. next is the number of the version being drafted, for
// the conflict markers.
func Merge(base, ours, theirs string, next int) MergeResult {
	switch {
	case ours == base || ours == theirs:
		return MergeResult{Markdown: theirs}
	case theirs == base:
		return MergeResult{Markdown: ours, Conflicts: len(Conflicts(ours))}
	}
	m := merger{b: splitParagraphs(base), o: splitParagraphs(ours), t: splitParagraphs(theirs), next: next}
	// Conflicts the secretariat left unresolved come along as its text;
	// new ones are numbered after them so that each number names one.
	for _, c := range Conflicts(ours) {
		m.first = max(m.first, c.Number)
	}
	m.run()
	md := m.render()
	return MergeResult{Markdown: md, Conflicts: len(Conflicts(md))}
}

// splitParagraphs cuts md into its blocks, each without its surrounding
// blank lines.
func splitParagraphs(md string) []string {
	var out []string
	var cur []string
	flush := func() {
		if len(cur) > 0 {
			out = append(out, strings.Join(cur, "\n"))
			cur = nil
		}
	}
	for _, line := range strings.Split(strings.ReplaceAll(md, "\r\n", "\n"), "\n") {
		if strings.TrimSpace(line) == "" {
			flush()
			continue
		}
		cur = append(cur, strings.TrimRight(line, " \t"))
	}
	flush()
	return out
}

// leadingNumber is the number of a numbered paragraph ("12. ").
var leadingNumber = regexp.MustCompile(`^ {0,3}(\d{1,9})([.)])[ \t]+`)

// paragraphKey is what two paragraphs are compared by: the text without
// its paragraph number, with runs of white space as one space.
func paragraphKey(p string) string {
	return strings.Join(strings.Fields(leadingNumber.ReplaceAllString(p, "")), " ")
}

func keys(ps []string) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = paragraphKey(p)
	}
	return out
}

// alignment maps each paragraph of a that is unchanged in b to its index
// in b (or -1), in order.
func alignment(a, b []string) []int {
	out := make([]int, len(a))
	for i := range out {
		out[i] = -1
	}
	// No junk heuristic: a repeated paragraph ("No interventions were
	// made under this item.") must still be matched.
	sm := difflib.NewMatcherWithJunk(a, b, false, nil)
	for _, mb := range sm.GetMatchingBlocks() {
		for k := 0; k < mb.Size; k++ {
			out[mb.A+k] = mb.B + k
		}
	}
	return out
}

// side says where an output paragraph comes from within a conflict.
type side int

const (
	merged side = iota
	secretariatSide
	generatedSide
	openMarker   // before the secretariat's side
	middleMarker // before the generated side
	endMarker
)

type outPara struct {
	text string
	side side
}

type merger struct {
	b, o, t   []string
	next      int
	first     int // the number of conflicts before the first of this merge
	out       []outPara
	conflicts int
}

func (m *merger) run() {
	kb, ko, kt := keys(m.b), keys(m.o), keys(m.t)
	bo, bt := alignment(kb, ko), alignment(kb, kt)
	ib, io, it := 0, 0, 0
	for j := 0; j <= len(m.b); j++ {
		if j < len(m.b) && (bo[j] < 0 || bt[j] < 0) {
			continue
		}
		// j is unchanged on both sides (or the end): what lies between
		// the last such paragraph and this one is a chunk to merge.
		jo, jt := len(m.o), len(m.t)
		if j < len(m.b) {
			jo, jt = bo[j], bt[j]
		}
		m.chunk(kb[ib:j], m.o[io:jo], ko[io:jo], m.t[it:jt], kt[it:jt])
		if j < len(m.b) {
			m.emit(merged, m.o[jo])
		}
		ib, io, it = j+1, jo+1, jt+1
	}
}

func (m *merger) emit(s side, ps ...string) {
	for _, p := range ps {
		m.out = append(m.out, outPara{text: p, side: s})
	}
}

// chunk merges a stretch that changed on at least one side.
func (m *merger) chunk(kb, o, ko, t, kt []string) {
	switch {
	case equal(ko, kb):
		m.emit(merged, t...)
	case equal(kt, kb) || equal(ko, kt):
		m.emit(merged, o...)
	case len(kb) == 0:
		// Both added paragraphs here: the secretariat's, then the new.
		m.emit(merged, o...)
		m.emit(merged, t...)
	case len(kb) > 1 && len(kb) == len(ko) && len(kb) == len(kt):
		// As many paragraphs on every side: each was edited in place.
		for i := range kb {
			m.chunk(kb[i:i+1], o[i:i+1], ko[i:i+1], t[i:i+1], kt[i:i+1])
		}
	default:
		m.conflict(o, t)
	}
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func (m *merger) conflict(o, t []string) {
	m.conflicts++
	n := m.first + m.conflicts
	if len(o) > 0 {
		m.emit(openMarker, fmt.Sprintf("<!-- conflict %d: the secretariat's text -->", n))
	} else {
		m.emit(openMarker, fmt.Sprintf("<!-- conflict %d: the secretariat deleted this paragraph -->", n))
	}
	m.emit(secretariatSide, o...)
	if len(t) > 0 {
		m.emit(middleMarker, fmt.Sprintf("<!-- conflict %d: the text generated for version %d -->", n, m.next))
	} else {
		m.emit(middleMarker, fmt.Sprintf("<!-- conflict %d: version %d no longer generates this paragraph -->", n, m.next))
	}
	m.emit(generatedSide, t...)
	m.emit(endMarker, fmt.Sprintf("<!-- end of conflict %d -->", n))
}

// render joins the merged paragraphs and numbers the numbered ones
// through the document, as the draft does; both sides of a conflict start
// from the same number, since one of them will go.
func (m *merger) render() string {
	var b strings.Builder
	// A conflict may hold one the secretariat left unresolved, so the
	// numbers at the start and end of each open conflict are a stack.
	type open struct{ start, end int }
	var stack []open
	num := 0
	for i, p := range m.out {
		switch markerRole(p) {
		case openMarker:
			stack = append(stack, open{start: num, end: num})
		case middleMarker:
			if k := len(stack) - 1; k >= 0 {
				stack[k].end, num = num, stack[k].start
			}
		case endMarker:
			if k := len(stack) - 1; k >= 0 {
				num = max(num, stack[k].end)
				stack = stack[:k]
			}
		}
		text := p.text
		if markerRole(p) < openMarker && renumberable(text) {
			num++
			loc := leadingNumber.FindStringSubmatchIndex(text)
			text = text[:loc[2]] + strconv.Itoa(num) + text[loc[3]:]
		}
		if i > 0 {
			b.WriteString("\n\n")
		}
		b.WriteString(text)
	}
	b.WriteString("\n")
	return b.String()
}

// markerRole is the part p plays in a conflict: the merge's own markers
// say, and a marker the secretariat left from an earlier merge is read.
func markerRole(p outPara) side {
	if p.side >= openMarker {
		return p.side
	}
	s := strings.TrimSpace(p.text)
	switch {
	case !conflictMarker.MatchString(s):
		return p.side
	case strings.HasPrefix(s, "<!-- end of conflict"):
		return endMarker
	case strings.Contains(s, "generate"):
		return middleMarker
	}
	return openMarker
}

// renumberable: a numbered paragraph, not a list of several numbered
// lines the secretariat wrote (those keep their numbers).
func renumberable(p string) bool {
	if !leadingNumber.MatchString(p) {
		return false
	}
	for _, line := range strings.Split(p, "\n")[1:] {
		if leadingNumber.MatchString(line) {
			return false
		}
	}
	return true
}

// conflictMarker is a line the merge writes around a conflict.
var conflictMarker = regexp.MustCompile(`^<!-- (?:end of )?conflict (\d+)(?::[^\n]*)? -->$`)

// Conflict is one unresolved conflict of a draft.
type Conflict struct {
	Number int `json:"number"`
	Line   int `json:"line"` // the line of its first marker, from 1
}

// Conflicts lists the conflicts whose markers remain in md, in order.
// A draft with any is not approved.
func Conflicts(md string) []Conflict {
	var out []Conflict
	seen := map[int]bool{}
	for i, line := range strings.Split(md, "\n") {
		sm := conflictMarker.FindStringSubmatch(strings.TrimSpace(line))
		if sm == nil {
			continue
		}
		n, _ := strconv.Atoi(sm[1])
		if !seen[n] {
			seen[n] = true
			out = append(out, Conflict{Number: n, Line: i + 1})
		}
	}
	return out
}

// conflictNote is how a renderer shows a marker left in a draft: as a
// bracketed note, never as markup.
func conflictNote(html string) (string, bool) {
	s := strings.TrimSpace(html)
	if !conflictMarker.MatchString(s) {
		return "", false
	}
	return "[" + strings.TrimSpace(strings.TrimSuffix(strings.TrimPrefix(s, "<!--"), "-->")) + "]", true
}
