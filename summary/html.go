package summary

import (
	"fmt"
	"html"
	"strconv"
	"strings"
)

// HTML renders doc as an HTML fragment (an <article>). All text is
// escaped; the only markup is the renderer's own, so nothing typed into a
// note or a name can become a tag, an attribute or a script. Charts are
// inline SVG drawn with presentation attributes (no style attributes, so
// the pages' Content-Security-Policy holds).
func HTML(doc *Doc) string {
	var b strings.Builder
	b.WriteString(`<article class="chair-summary">`)
	inHeader := false
	if len(doc.Blocks) > 0 && doc.Blocks[0].Kind == BlockHeading && doc.Blocks[0].Level == 1 {
		b.WriteString(`<header class="heading-block">`)
		inHeader = true
	}
	listLevel := -1 // depth of the open <ul>s, -1 when none
	closeLists := func(to int) {
		for listLevel > to {
			b.WriteString("</ul>")
			listLevel--
		}
	}
	for i, bl := range doc.Blocks {
		if inHeader && i > 0 && bl.Kind == BlockHeading && bl.Level <= 2 {
			b.WriteString("</header>")
			inHeader = false
		}
		if bl.Kind != BlockBullet {
			closeLists(-1)
		}
		switch bl.Kind {
		case BlockHeading:
			lv := min(max(bl.Level, 1), 6)
			fmt.Fprintf(&b, "<h%d>%s</h%d>", lv, spansHTML(bl.Spans), lv)
		case BlockPara:
			b.WriteString("<p>" + spansHTML(bl.Spans) + "</p>")
		case BlockQuote:
			b.WriteString("<blockquote><p>" + spansHTML(bl.Spans) + "</p></blockquote>")
		case BlockNumbered:
			fmt.Fprintf(&b, `<p class="numbered depth-%d"><span class="num">%d.</span> %s</p>`, bl.Level, bl.Number, spansHTML(bl.Spans))
		case BlockBullet:
			closeLists(bl.Level)
			for listLevel < bl.Level {
				b.WriteString("<ul>")
				listLevel++
			}
			b.WriteString("<li>" + spansHTML(bl.Spans) + "</li>")
		case BlockCode:
			b.WriteString("<pre><code>" + html.EscapeString(xmlSafe(PlainText(bl.Spans))) + "</code></pre>")
		case BlockRule:
			b.WriteString("<hr>")
		case BlockTable:
			tableHTML(&b, bl.Table)
		case BlockChart:
			b.WriteString(`<figure class="chart">`)
			b.WriteString(ChartSVG(bl.Chart))
			b.WriteString("<figcaption>" + html.EscapeString(xmlSafe(bl.Chart.Title)) + "</figcaption></figure>")
		}
	}
	closeLists(-1)
	if inHeader {
		b.WriteString("</header>")
	}
	b.WriteString("</article>")
	return b.String()
}

// HTMLDocument is a standalone HTML page of doc, for download. Its styles
// are inline: it is served with a policy that allows no script at all.
func HTMLDocument(doc *Doc, title string) string {
	return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
		"<title>" + html.EscapeString(xmlSafe(title)) + "</title><style>" + documentCSS + "</style></head><body>" + HTML(doc) + "</body></html>"
}

// DocumentCSS is the style of a summary shown as HTML (also served as a
// file for the public page).
const documentCSS = `body{font-family:"DejaVu Serif",Georgia,serif;max-width:46rem;margin:2rem auto;padding:0 1rem;line-height:1.5;color:#111}
.heading-block{text-align:center;border-bottom:1px solid #999;margin-bottom:1.5rem;padding-bottom:1rem}
.heading-block h1{font-size:1.6rem;margin:0 0 .5rem}
h2{font-size:1.2rem;margin-top:2rem}h3{font-size:1.05rem}
.numbered{padding-left:2.5rem;text-indent:-2.5rem}.numbered .num{display:inline-block;width:2.5rem;text-indent:0}
table{border-collapse:collapse;width:100%;margin:1rem 0}th,td{border:1px solid #999;padding:.25rem .5rem;text-align:left;vertical-align:top}
th.right,td.right{text-align:right}th.center,td.center{text-align:center}
figure.chart{margin:1rem 0}figure.chart svg{max-width:100%;height:auto}figcaption{font-style:italic;font-size:.9rem}`

// DocumentCSS returns the stylesheet of summary documents.
func DocumentCSS() string { return documentCSS }

func tableHTML(b *strings.Builder, t *Table) {
	align := func(i int) string {
		if i < len(t.Align) {
			switch t.Align[i] {
			case AlignRight:
				return ` class="right"`
			case AlignCenter:
				return ` class="center"`
			}
		}
		return ""
	}
	b.WriteString("<table>")
	if len(t.Header) > 0 {
		b.WriteString("<thead><tr>")
		for i, c := range t.Header {
			b.WriteString(`<th scope="col"` + align(i) + ">" + spansHTML(c) + "</th>")
		}
		b.WriteString("</tr></thead>")
	}
	b.WriteString("<tbody>")
	for _, r := range t.Rows {
		b.WriteString("<tr>")
		for i, c := range r {
			b.WriteString("<td" + align(i) + ">" + spansHTML(c) + "</td>")
		}
		b.WriteString("</tr>")
	}
	b.WriteString("</tbody></table>")
}

func spansHTML(spans []Span) string {
	var b strings.Builder
	for _, s := range spans {
		if s.Break {
			b.WriteString("<br>")
		}
		t := html.EscapeString(xmlSafe(s.Text))
		if s.Code {
			t = "<code>" + t + "</code>"
		}
		if s.Italic {
			t = "<em>" + t + "</em>"
		}
		if s.Bold {
			t = "<strong>" + t + "</strong>"
		}
		if s.Link != "" {
			t = `<a href="` + html.EscapeString(s.Link) + `" rel="nofollow noopener">` + t + "</a>"
		}
		b.WriteString(t)
	}
	return b.String()
}

// ChartSVG draws a horizontal bar chart as SVG.
func ChartSVG(c *Chart) string {
	const width, labelW, rowH, top = 640, 260, 26, 8
	h := top*2 + rowH*max(len(c.Bars), 1)
	maxV := 0.0
	for _, bar := range c.Bars {
		maxV = max(maxV, bar.Value)
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 %d %d" width="%d" height="%d" font-family="sans-serif" font-size="12">`, width, h, width, h)
	b.WriteString("<title>" + html.EscapeString(xmlSafe(c.Title)) + "</title>")
	for i, bar := range c.Bars {
		y := top + i*rowH
		w := 0
		if maxV > 0 {
			w = int(bar.Value / maxV * float64(width-labelW-60))
		}
		label := xmlSafe(bar.Label)
		if r := []rune(label); len(r) > 40 {
			label = string(r[:39]) + "…"
		}
		fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="end" fill="#111">%s</text>`, labelW-8, y+17, html.EscapeString(label))
		fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%d" height="%d" fill="#1f5fa8"></rect>`, labelW, y+4, w, rowH-8)
		fmt.Fprintf(&b, `<text x="%d" y="%d" fill="#111">%s</text>`, labelW+w+6, y+17, formatValue(bar.Value))
	}
	b.WriteString("</svg>")
	return b.String()
}

func formatValue(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

// xmlSafe drops the characters XML 1.0 forbids (most C0 controls, lone
// surrogates, U+FFFE/FFFF), which no document format can carry.
func xmlSafe(s string) string {
	ok := true
	for _, r := range s {
		if !xmlChar(r) {
			ok = false
			break
		}
	}
	if ok {
		return s
	}
	return strings.Map(func(r rune) rune {
		if xmlChar(r) {
			return r
		}
		return -1
	}, s)
}

func xmlChar(r rune) bool {
	return r == 0x9 || r == 0xA || r == 0xD || r >= 0x20 && r <= 0xD7FF || r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF
}
