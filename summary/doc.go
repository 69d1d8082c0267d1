package summary

import (
	"bytes"
	"html"
	"strconv"
	"strings"

	"github.com/yuin/goldmark"
	gast "github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension"
	xast "github.com/yuin/goldmark/extension/ast"
	gparser "github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// Doc is a summary's Markdown parsed into the few shapes a UN document
// uses: headings, paragraphs (numbered or not), list items, tables and
// charts. Every renderer (HTML, PDF, DOCX) walks a Doc, so that all of
// them show the same edited Markdown, and none of them ever passes text
// through as markup: a Span is plain text with a style.
type Doc struct {
	Blocks []Block
}

// BlockKind is the shape of a block.
type BlockKind int

const (
	BlockHeading  BlockKind = iota + 1 // Level 1..6
	BlockPara                          // a plain paragraph
	BlockNumbered                      // a numbered paragraph (ordered list item): Number
	BlockBullet                        // an unordered list item
	BlockQuote                         // a quoted paragraph
	BlockCode                          // preformatted text (one Span)
	BlockTable
	BlockChart
	BlockRule
)

// Block is one block of a Doc.
type Block struct {
	Kind   BlockKind
	Level  int    // heading level; list depth (0 = top) for list items
	Number int    // BlockNumbered: its number
	Spans  []Span // inline content
	Table  *Table
	Chart  *Chart
	// Align places a plain paragraph (a letter's place and date go
	// right); Markdown never sets it.
	Align Align
}

// Span is a run of text in one style. Link, when set, is an http(s) or
// mailto address (others are dropped).
type Span struct {
	Text   string
	Bold   bool
	Italic bool
	Code   bool
	Link   string
	Break  bool // a hard line break before Text
}

// Table is a table with a header row.
type Table struct {
	Header []Cell
	Rows   [][]Cell
	Align  []Align
}

// Cell is one table cell.
type Cell []Span

// Align is a column's alignment.
type Align int

const (
	AlignLeft Align = iota
	AlignRight
	AlignCenter
)

// Chart is a bar chart: a title and labelled values.
type Chart struct {
	Title string
	Bars  []Bar
}

// Bar is one bar of a chart.
type Bar struct {
	Label string
	Value float64
}

// Limits that keep a hostile or broken Markdown from blowing up a
// renderer.
const (
	maxChartBars  = 50
	maxTableCols  = 12
	maxListDepth  = 6
	maxChartValue = 1e9
)

// md is goldmark with its link parser swapped for the copy in mdlink.go,
// whose work is linear in the input.
var md = goldmark.New(
	goldmark.WithParser(gparser.NewParser(
		gparser.WithBlockParsers(gparser.DefaultBlockParsers()...),
		gparser.WithInlineParsers(inlineParsers()...),
		gparser.WithParagraphTransformers(gparser.DefaultParagraphTransformers()...),
	)),
	goldmark.WithExtensions(east.Table, east.Strikethrough),
)

// inlineParsers are goldmark's default inline parsers with the link
// parser replaced (goldmark's NewLinkParser returns one shared value).
func inlineParsers() []util.PrioritizedValue {
	ps := gparser.DefaultInlineParsers()
	upstream := gparser.NewLinkParser()
	for i, p := range ps {
		if p.Value == upstream {
			ps[i].Value = newLinkParser()
			return ps
		}
	}
	panic("summary: goldmark's link parser is not among its default inline parsers")
}

// Parse reads Markdown into a Doc. It never fails: any text is a
// document, and raw HTML in it is kept as the text it is.
func Parse(markdown string) *Doc {
	src := limitDelimiters(limitNesting([]byte(strings.ToValidUTF8(markdown, "\uFFFD"))))
	root := md.Parser().Parse(text.NewReader(src))
	p := &parser{src: src, doc: &Doc{}}
	p.blocks(root, 0)
	return p.doc
}

type parser struct {
	src []byte
	doc *Doc
}

func (p *parser) add(b Block) { p.doc.Blocks = append(p.doc.Blocks, b) }

func (p *parser) blocks(parent gast.Node, depth int) {
	for n := parent.FirstChild(); n != nil; n = n.NextSibling() {
		p.block(n, depth)
	}
}

func (p *parser) block(n gast.Node, depth int) {
	switch n := n.(type) {
	case *gast.Heading:
		p.add(Block{Kind: BlockHeading, Level: n.Level, Spans: p.inlines(n)})
	case *gast.Paragraph, *gast.TextBlock:
		p.add(Block{Kind: BlockPara, Spans: p.inlines(n)})
	case *gast.List:
		num := n.Start
		for it := n.FirstChild(); it != nil; it = it.NextSibling() {
			p.listItem(it, n.IsOrdered(), num, depth)
			num++
		}
	case *gast.Blockquote:
		start := len(p.doc.Blocks)
		p.blocks(n, depth)
		for i := start; i < len(p.doc.Blocks); i++ {
			if p.doc.Blocks[i].Kind == BlockPara {
				p.doc.Blocks[i].Kind = BlockQuote
			}
		}
	case *gast.FencedCodeBlock:
		lang := ""
		if n.Info != nil {
			lang = strings.TrimSpace(string(n.Info.Segment.Value(p.src)))
		}
		body := p.lines(n)
		if lang == "chart" {
			p.add(Block{Kind: BlockChart, Chart: parseChart(body)})
			return
		}
		p.add(Block{Kind: BlockCode, Spans: []Span{{Text: body, Code: true}}})
	case *gast.CodeBlock:
		p.add(Block{Kind: BlockCode, Spans: []Span{{Text: p.lines(n), Code: true}}})
	case *gast.HTMLBlock:
		// Raw HTML is shown as the text it is, never interpreted.
		body := p.lines(n)
		if n.HasClosure() {
			body += string(n.ClosureLine.Value(p.src))
		}
		if note, ok := conflictNote(body); ok {
			// A merge conflict left in a draft shows as a note; approval
			// is refused while one remains, so no issued document has it.
			p.add(Block{Kind: BlockPara, Spans: []Span{{Text: note, Italic: true}}})
			return
		}
		p.add(Block{Kind: BlockPara, Spans: []Span{{Text: strings.TrimRight(body, "\n")}}})
	case *gast.ThematicBreak:
		p.add(Block{Kind: BlockRule})
	case *xast.Table:
		p.table(n)
	default:
		// Anything else (link reference definitions, ...) carries no text
		// of its own; walk into it in case it holds blocks.
		if n.Type() == gast.TypeBlock {
			p.blocks(n, depth)
		}
	}
}

func (p *parser) listItem(it gast.Node, ordered bool, num, depth int) {
	if depth > maxListDepth {
		depth = maxListDepth
	}
	first := true
	for c := it.FirstChild(); c != nil; c = c.NextSibling() {
		switch c.(type) {
		case *gast.Paragraph, *gast.TextBlock:
			b := Block{Kind: BlockBullet, Level: depth, Spans: p.inlines(c)}
			if ordered {
				b.Kind, b.Number = BlockNumbered, num
			}
			if !first {
				// A second paragraph of the same item continues it.
				b.Kind, b.Number = BlockPara, 0
			}
			p.add(b)
			first = false
		case *gast.List:
			p.block(c, depth+1)
		default:
			p.block(c, depth+1)
		}
	}
	if first { // an empty item
		b := Block{Kind: BlockBullet, Level: depth}
		if ordered {
			b.Kind, b.Number = BlockNumbered, num
		}
		p.add(b)
	}
}

func (p *parser) lines(n gast.Node) string {
	var b bytes.Buffer
	ls := n.Lines()
	for i := 0; i < ls.Len(); i++ {
		seg := ls.At(i)
		b.Write(seg.Value(p.src))
	}
	return b.String()
}

func (p *parser) table(t *xast.Table) {
	tb := &Table{}
	for _, a := range t.Alignments {
		switch a {
		case xast.AlignRight:
			tb.Align = append(tb.Align, AlignRight)
		case xast.AlignCenter:
			tb.Align = append(tb.Align, AlignCenter)
		default:
			tb.Align = append(tb.Align, AlignLeft)
		}
	}
	for r := t.FirstChild(); r != nil; r = r.NextSibling() {
		var row []Cell
		for c := r.FirstChild(); c != nil; c = c.NextSibling() {
			if len(row) < maxTableCols {
				row = append(row, Cell(p.inlines(c)))
			}
		}
		if _, ok := r.(*xast.TableHeader); ok {
			tb.Header = row
		} else {
			tb.Rows = append(tb.Rows, row)
		}
	}
	if len(tb.Align) > maxTableCols {
		tb.Align = tb.Align[:maxTableCols]
	}
	p.add(Block{Kind: BlockTable, Table: tb})
}

// style is the inline style inherited down the tree.
type style struct {
	bold, italic bool
	link         string
}

func (p *parser) inlines(n gast.Node) []Span {
	var out []Span
	p.inline(n, style{}, &out)
	return mergeSpans(out)
}

func (p *parser) inline(parent gast.Node, st style, out *[]Span) {
	for n := parent.FirstChild(); n != nil; n = n.NextSibling() {
		switch n := n.(type) {
		case *gast.Text:
			t := string(n.Value(p.src))
			if !n.IsRaw() {
				t = unescape(t)
			}
			*out = append(*out, Span{Text: t, Bold: st.bold, Italic: st.italic, Link: st.link})
			if n.HardLineBreak() {
				*out = append(*out, Span{Break: true})
			} else if n.SoftLineBreak() {
				*out = append(*out, Span{Text: " ", Bold: st.bold, Italic: st.italic, Link: st.link})
			}
		case *gast.String:
			t := string(n.Value)
			if !n.IsRaw() && !n.IsCode() {
				t = unescape(t)
			}
			*out = append(*out, Span{Text: t, Bold: st.bold, Italic: st.italic, Link: st.link})
		case *gast.CodeSpan:
			var b strings.Builder
			for c := n.FirstChild(); c != nil; c = c.NextSibling() {
				switch c := c.(type) {
				case *gast.Text:
					b.Write(c.Value(p.src))
				case *gast.String:
					b.Write(c.Value)
				}
			}
			*out = append(*out, Span{Text: b.String(), Code: true, Bold: st.bold, Italic: st.italic})
		case *gast.Emphasis:
			s := st
			if n.Level >= 2 {
				s.bold = true
			} else {
				s.italic = true
			}
			p.inline(n, s, out)
		case *gast.Link:
			s := st
			s.link = safeLink(string(n.Destination))
			p.inline(n, s, out)
		case *gast.AutoLink:
			u := string(n.URL(p.src))
			link := safeLink(u)
			if n.AutoLinkType == gast.AutoLinkEmail {
				link = safeLink("mailto:" + u)
			}
			*out = append(*out, Span{Text: u, Bold: st.bold, Italic: st.italic, Link: link})
		case *gast.Image:
			// Images are not fetched: their alternative text stands in.
			p.inline(n, st, out)
		case *gast.RawHTML:
			// Inline HTML is shown as the text it is.
			var b strings.Builder
			for i := 0; i < n.Segments.Len(); i++ {
				seg := n.Segments.At(i)
				b.Write(seg.Value(p.src))
			}
			*out = append(*out, Span{Text: b.String(), Bold: st.bold, Italic: st.italic, Link: st.link})
		default:
			p.inline(n, st, out)
		}
	}
}

// mergeSpans joins neighbouring spans of the same style. A run is joined
// once, at its end: appending to a string piece by piece would copy the
// run again for every piece (quadratic in a paragraph of many pieces).
func mergeSpans(in []Span) []Span {
	var out []Span
	runStart := -1 // index in `in` of the first span of out's last run
	flush := func(end int) {
		if k := len(out) - 1; runStart >= 0 && end-runStart > 1 {
			var b strings.Builder
			for _, s := range in[runStart:end] {
				if s.Text != "" || s.Break {
					b.WriteString(s.Text)
				}
			}
			out[k].Text = b.String()
		}
	}
	for i, s := range in {
		if s.Text == "" && !s.Break {
			continue
		}
		if k := len(out) - 1; k >= 0 && !s.Break && !out[k].Break && out[k].Bold == s.Bold && out[k].Italic == s.Italic &&
			out[k].Code == s.Code && out[k].Link == s.Link {
			continue
		}
		flush(i)
		out = append(out, s)
		runStart = i
	}
	flush(len(in))
	return out
}

// safeLink keeps absolute http(s) and mailto addresses (and in-page
// anchors), and drops anything else (javascript:, data:, ...).
func safeLink(u string) string {
	u = strings.TrimSpace(unescape(u))
	l := strings.ToLower(u)
	if strings.HasPrefix(l, "http://") || strings.HasPrefix(l, "https://") || strings.HasPrefix(l, "mailto:") {
		if strings.ContainsAny(u, "\x00\n\r\t \"'<>`") {
			return ""
		}
		return u
	}
	return ""
}

// unescape resolves backslash escapes and character references the way
// CommonMark does, in one pass (so "\&amp;" stays "&amp;").
func unescape(s string) string {
	if !strings.ContainsAny(s, "\\&") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\\' && i+1 < len(s) && isASCIIPunct(s[i+1]):
			b.WriteByte(s[i+1])
			i++
		case c == '&':
			// Look for the ';' only as far as the longest reference, so
			// that many '&' without one cost no more than the text.
			if j := strings.IndexByte(s[i:min(len(s), i+34)], ';'); j > 1 && j < 34 {
				ref := s[i : i+j+1]
				if r := html.UnescapeString(ref); r != ref && validRef(ref) {
					b.WriteString(r)
					i += j
					continue
				}
			}
			b.WriteByte(c)
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

func validRef(ref string) bool {
	body := ref[1 : len(ref)-1]
	if strings.HasPrefix(body, "#") {
		n := body[1:]
		base := 10
		if strings.HasPrefix(n, "x") || strings.HasPrefix(n, "X") {
			n, base = n[1:], 16
		}
		v, err := strconv.ParseUint(n, base, 32)
		return err == nil && v > 0 && v < 0x110000 && !(v >= 0xD800 && v <= 0xDFFF)
	}
	for i := 0; i < len(body); i++ {
		c := body[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

func isASCIIPunct(c byte) bool {
	return c >= '!' && c <= '/' || c >= ':' && c <= '@' || c >= '[' && c <= '`' || c >= '{' && c <= '~'
}

// parseChart reads a chart block: a title line, then "label | value"
// lines. Lines that do not parse are skipped; values are clamped.
func parseChart(body string) *Chart {
	ch := &Chart{}
	for i, line := range strings.Split(body, "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		if i == 0 || ch.Title == "" && !strings.Contains(line, "|") {
			if ch.Title == "" {
				ch.Title = cleanText(line)
				continue
			}
		}
		k := strings.LastIndexByte(line, '|')
		if k < 0 || len(ch.Bars) >= maxChartBars {
			continue
		}
		v, err := strconv.ParseFloat(strings.TrimSpace(line[k+1:]), 64)
		if err != nil || v != v || v < 0 {
			continue
		}
		if v > maxChartValue {
			v = maxChartValue
		}
		ch.Bars = append(ch.Bars, Bar{Label: cleanText(line[:k]), Value: v})
	}
	return ch
}

// PlainText is the text of spans without styles.
func PlainText(spans []Span) string {
	var b strings.Builder
	for _, s := range spans {
		if s.Break {
			b.WriteByte('\n')
		}
		b.WriteString(s.Text)
	}
	return b.String()
}
