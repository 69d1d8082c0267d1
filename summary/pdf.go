package summary

import (
	"bytes"
	"fmt"
	"strings"
	"unicode"

	"github.com/go-pdf/fpdf"
)

// Page geometry of the PDF (A4, millimetres) and type sizes (points).
const (
	pageW, pageH            = 210.0, 297.0
	marginL, marginR        = 25.0, 25.0
	marginT, marginB        = 22.0, 22.0
	bodySize                = 11.0
	ptMM                    = 25.4 / 72
	lineGap                 = 1.35 // line height as a multiple of the type size
	numIndent               = 10.0 // hanging indent of numbered paragraphs
	contentW                = pageW - marginL - marginR
	tablePad                = 1.5
	chartLabelW, chartRowH  = 62.0, 7.0
	chartValueW             = 18.0
	footerSize, headingSize = 9.0, 12.0
)

// PDF renders doc as an A4 PDF that looks like a UN document: a centred
// heading block, numbered paragraphs with a hanging indent, annexes as
// ruled tables, bar charts drawn in the page, and page numbers. Fonts
// are embedded (subset) so that every character of every name shows as
// entered; each character is drawn with the first font that has it.
func PDF(doc *Doc, fonts *Fonts, title string) ([]byte, error) {
	if fonts == nil || fonts.Body[""] == nil {
		return nil, fmt.Errorf("summary: no fonts for the PDF")
	}
	p := fpdf.New("P", "mm", "A4", "")
	p.SetMargins(marginL, marginT, marginR)
	p.SetAutoPageBreak(false, marginB)
	p.SetTitle(xmlSafe(title), true)
	p.SetCreator("Rostrum", true)
	p.AliasNbPages("{nb}")
	r := &pdfRenderer{pdf: p, fonts: fonts, family: map[*Font]string{}}
	p.SetFooterFunc(func() {
		r.setFont(r.bodyFamily(""), "", footerSize)
		p.SetTextColor(80, 80, 80)
		p.SetXY(marginL, pageH-marginB+8)
		p.CellFormat(contentW, 5, fmt.Sprintf("Page %d of {nb}", p.PageNo()), "", 0, "C", false, 0, "")
		p.SetTextColor(0, 0, 0)
	})
	p.AddPage()
	r.y = marginT

	header := len(doc.Blocks) > 0 && doc.Blocks[0].Kind == BlockHeading && doc.Blocks[0].Level == 1
	for i, b := range doc.Blocks {
		if header && i > 0 && b.Kind == BlockHeading && b.Level <= 2 {
			header = false
			r.rule()
		}
		r.block(b, header)
		if err := p.Error(); err != nil {
			return nil, err
		}
	}
	var out bytes.Buffer
	if err := p.Output(&out); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

type pdfRenderer struct {
	pdf    *fpdf.Fpdf
	fonts  *Fonts
	family map[*Font]string // registered fonts and their family names
	y      float64
	curFam string
	curSty string
	curSz  float64
	widths map[widthKey]float64
}

// piece is text in one font.
type piece struct {
	text  string
	font  *Font
	style string // fpdf style of the font as registered ("" or "B" or "I")
	w     float64
	link  string
	size  float64
}

// register makes f usable in the PDF and returns its family name.
func (r *pdfRenderer) register(f *Font, style string) string {
	key := f
	if fam, ok := r.family[key]; ok {
		return fam
	}
	fam := fmt.Sprintf("f%d", len(r.family))
	r.pdf.AddUTF8FontFromBytes(fam, "", f.Data)
	r.family[key] = fam
	return fam
}

func (r *pdfRenderer) bodyFamily(style string) string {
	f := r.fonts.Body[style]
	if f == nil {
		f = r.fonts.Body[""]
	}
	return r.register(f, "")
}

func (r *pdfRenderer) setFont(fam, style string, size float64) {
	if fam == r.curFam && style == r.curSty && size == r.curSz {
		return
	}
	r.pdf.SetFont(fam, style, size)
	r.curFam, r.curSty, r.curSz = fam, style, size
}

// primary is the font a span's text is set in before any fallback.
func (r *pdfRenderer) primary(s Span) *Font {
	if s.Code && r.fonts.Mono != nil {
		return r.fonts.Mono
	}
	style := ""
	if s.Bold {
		style = "B"
	} else if s.Italic {
		style = "I"
	}
	if f := r.fonts.Body[style]; f != nil {
		return f
	}
	return r.fonts.Body[""]
}

// PDFText is s as the PDF draws it: one line, Arabic letters in their
// joined forms, without what XML cannot carry.
func PDFText(s string) string {
	return shapeArabic(xmlSafe(strings.ReplaceAll(s, "\n", " ")))
}

// fontFor picks the first font that has r, starting with primary.
func (r *pdfRenderer) fontFor(primary *Font, c rune) *Font {
	return r.fonts.For(primary, c)
}

// token is a word (with the spaces that follow it) split into pieces.
type token struct {
	pieces []piece
	w      float64 // width without trailing space
	space  float64 // width of the trailing space, 0 when none
	brk    bool    // a hard line break before this token
}

// tokens splits spans into words, each word into pieces by font.
func (r *pdfRenderer) tokens(spans []Span, size float64) []token {
	var toks []token
	var cur token
	flush := func() {
		if len(cur.pieces) > 0 || cur.brk {
			toks = append(toks, cur)
		}
		cur = token{}
	}
	for _, s := range spans {
		if s.Break {
			flush()
			cur.brk = true
		}
		prim := r.primary(s)
		text := PDFText(s.Text)
		for _, c := range text {
			if c == ' ' || c == '\t' {
				switch {
				case len(cur.pieces) > 0:
					cur.space = r.measure(prim, " ", size)
					flush()
				case len(toks) > 0 && !cur.brk:
					toks[len(toks)-1].space = r.measure(prim, " ", size)
				}
				continue
			}
			f := r.fontFor(prim, c)
			// East Asian text has no spaces: every ideograph may end a line.
			if isWide(c) && len(cur.pieces) > 0 {
				flush()
			}
			if n := len(cur.pieces); n > 0 && cur.pieces[n-1].font == f && cur.pieces[n-1].link == s.Link {
				cur.pieces[n-1].text += string(c)
			} else {
				cur.pieces = append(cur.pieces, piece{text: string(c), font: f, link: s.Link, size: size})
			}
			if isWide(c) {
				flush()
			}
		}
	}
	flush()
	for i := range toks {
		t := &toks[i]
		t.w = 0
		for j := range t.pieces {
			t.pieces[j].w = r.measure(t.pieces[j].font, t.pieces[j].text, size)
			t.w += t.pieces[j].w
		}
	}
	return toks
}

func isWide(c rune) bool {
	return unicode.Is(unicode.Han, c) || unicode.Is(unicode.Hiragana, c) || unicode.Is(unicode.Katakana, c) ||
		unicode.Is(unicode.Hangul, c) || c >= 0x3000 && c <= 0x303F || c >= 0xFF00 && c <= 0xFFEF
}

// measure is the width of s in f at size: the sum of its characters'
// widths (fpdf does no kerning), each asked of fpdf once per render.
func (r *pdfRenderer) measure(f *Font, s string, size float64) float64 {
	if r.widths == nil {
		r.widths = map[widthKey]float64{}
	}
	w := 0.0
	for _, c := range s {
		k := widthKey{f, size, c}
		cw, ok := r.widths[k]
		if !ok {
			r.setFont(r.register(f, ""), "", size)
			cw = r.pdf.GetStringWidth(string(c))
			r.widths[k] = cw
		}
		w += cw
	}
	return w
}

type widthKey struct {
	font *Font
	size float64
	c    rune
}

// lines breaks tokens into lines no wider than width. A word wider than
// a line is cut between characters.
func (r *pdfRenderer) lines(toks []token, width float64, size float64) [][]token {
	var out [][]token
	var line []token
	lw := 0.0
	for _, t := range toks {
		if t.brk && (len(line) > 0 || len(out) > 0) {
			out = append(out, line)
			line, lw = nil, 0
		}
		if len(t.pieces) == 0 {
			continue
		}
		if t.w > width {
			// cut the word into parts that fit
			for _, part := range r.cut(t, width, size) {
				if len(line) > 0 && lw+part.w > width {
					out = append(out, line)
					line, lw = nil, 0
				}
				line = append(line, part)
				lw += part.w + part.space
			}
			continue
		}
		if len(line) > 0 && lw+t.w > width {
			out = append(out, line)
			line, lw = nil, 0
		}
		line = append(line, t)
		lw += t.w + t.space
	}
	if len(line) > 0 {
		out = append(out, line)
	}
	return out
}

func (r *pdfRenderer) cut(t token, width, size float64) []token {
	var parts []token
	var cur token
	for _, p := range t.pieces {
		for _, c := range p.text {
			w := r.measure(p.font, string(c), size)
			if cur.w+w > width && len(cur.pieces) > 0 {
				parts = append(parts, cur)
				cur = token{}
			}
			n := len(cur.pieces)
			if n > 0 && cur.pieces[n-1].font == p.font && cur.pieces[n-1].link == p.link {
				cur.pieces[n-1].text += string(c)
				cur.pieces[n-1].w += w
			} else {
				cur.pieces = append(cur.pieces, piece{text: string(c), font: p.font, link: p.link, size: size, w: w})
			}
			cur.w += w
		}
	}
	cur.space = t.space
	parts = append(parts, cur)
	return parts
}

func lineWidth(line []token) float64 {
	w := 0.0
	for i, t := range line {
		w += t.w
		if i < len(line)-1 {
			w += t.space
		}
	}
	return w
}

// ensure starts a new page unless h millimetres fit on this one.
func (r *pdfRenderer) ensure(h float64) {
	if r.y+h > pageH-marginB {
		r.pdf.AddPage()
		r.curFam = "" // fpdf resets the font on a new page's header/footer
		r.y = marginT
	}
}

// drawLine draws one line at (x, r.y) with the given alignment in width.
func (r *pdfRenderer) drawLine(line []token, x, width, lh float64, align string) {
	switch align {
	case "C":
		x += (width - lineWidth(line)) / 2
	case "R":
		x += width - lineWidth(line)
	}
	base := r.y + lh*0.75
	line = visualOrder(line)
	for i, t := range line {
		for _, p := range t.pieces {
			r.setFont(r.register(p.font, ""), "", p.size)
			if p.link != "" {
				r.pdf.SetTextColor(20, 60, 160)
			}
			r.pdf.Text(x, base, p.text)
			if p.link != "" {
				r.pdf.SetTextColor(0, 0, 0)
				r.pdf.LinkString(x, r.y, p.w, lh, p.link)
			}
			x += p.w
		}
		if i < len(line)-1 {
			x += t.space
		}
	}
}

// text flows spans in a column from x of width, breaking pages.
func (r *pdfRenderer) text(spans []Span, x, width, size float64, align string) {
	lh := size * ptMM * lineGap
	for _, line := range r.lines(r.tokens(spans, size), width, size) {
		r.ensure(lh)
		r.drawLine(line, x, width, lh, align)
		r.y += lh
	}
}

func styled(spans []Span, bold, italic bool) []Span {
	out := make([]Span, len(spans))
	for i, s := range spans {
		s.Bold = s.Bold || bold
		s.Italic = s.Italic || italic
		out[i] = s
	}
	return out
}

func (r *pdfRenderer) gap(mm float64) {
	if r.y > marginT {
		r.y += mm
	}
}

func (r *pdfRenderer) rule() {
	r.gap(2)
	r.ensure(4)
	r.pdf.SetDrawColor(120, 120, 120)
	r.pdf.SetLineWidth(0.3)
	r.pdf.Line(marginL, r.y, pageW-marginR, r.y)
	r.y += 4
}

func (r *pdfRenderer) block(b Block, header bool) {
	lh := bodySize * ptMM * lineGap
	switch b.Kind {
	case BlockHeading:
		size := headingSize
		switch {
		case header && b.Level == 1:
			size = 16
		case b.Level >= 3:
			size = bodySize
		}
		r.gap(size * ptMM * 1.2)
		// keep a heading with the first lines that follow it
		r.ensure(size*ptMM*lineGap + 3*lh)
		align := "L"
		if header {
			align = "C"
		}
		r.text(styled(b.Spans, true, false), marginL, contentW, size, align)
		r.y += 1.5
	case BlockPara, BlockQuote:
		r.gap(lh * 0.5)
		if header {
			r.text(b.Spans, marginL, contentW, bodySize, "C")
			return
		}
		x := marginL
		if b.Kind == BlockQuote {
			x += numIndent
		}
		r.text(b.Spans, x, pageW-marginR-x, bodySize, map[Align]string{AlignLeft: "L", AlignRight: "R", AlignCenter: "C"}[b.Align])
	case BlockNumbered, BlockBullet:
		r.gap(lh * 0.5)
		indent := marginL + float64(b.Level)*numIndent
		r.ensure(lh)
		label := "•"
		if b.Kind == BlockNumbered {
			label = fmt.Sprintf("%d.", b.Number)
		}
		r.drawLine(r.lines(r.tokens([]Span{{Text: label}}, bodySize), numIndent, bodySize)[0], indent, numIndent, lh, "L")
		r.text(b.Spans, indent+numIndent, pageW-marginR-indent-numIndent, bodySize, "L")
	case BlockCode:
		r.gap(lh * 0.5)
		for _, l := range strings.Split(strings.TrimRight(PlainText(b.Spans), "\n"), "\n") {
			r.text([]Span{{Text: l, Code: true}}, marginL+4, contentW-4, bodySize-1, "L")
		}
	case BlockRule:
		r.rule()
	case BlockTable:
		r.gap(lh * 0.5)
		r.table(b.Table)
	case BlockChart:
		r.gap(lh * 0.5)
		r.chart(b.Chart)
	}
}

func (r *pdfRenderer) table(t *Table) {
	cols := len(t.Header)
	for _, row := range t.Rows {
		cols = max(cols, len(row))
	}
	if cols == 0 {
		return
	}
	size := bodySize - 1
	lh := size * ptMM * lineGap
	// Column widths: each column's natural width (capped), scaled to fit.
	nat := make([]float64, cols)
	measureRow := func(row []Cell, bold bool) {
		for i, c := range row {
			w := 0.0
			for _, tk := range r.tokens(styled(c, bold, false), size) {
				w += tk.w + tk.space
			}
			nat[i] = max(nat[i], min(w+2*tablePad, contentW))
		}
	}
	measureRow(t.Header, true)
	for _, row := range t.Rows {
		measureRow(row, false)
	}
	total := 0.0
	for i := range nat {
		nat[i] = max(nat[i], 12)
		total += nat[i]
	}
	widths := make([]float64, cols)
	for i := range nat {
		widths[i] = nat[i] / total * contentW
	}
	align := func(i int) string {
		if i < len(t.Align) {
			switch t.Align[i] {
			case AlignRight:
				return "R"
			case AlignCenter:
				return "C"
			}
		}
		return "L"
	}
	drawRow := func(row []Cell, head bool) {
		cells := make([][][]token, cols)
		n := 1
		for i := 0; i < cols; i++ {
			var c Cell
			if i < len(row) {
				c = row[i]
			}
			cells[i] = r.lines(r.tokens(styled(c, head, false), size), widths[i]-2*tablePad, size)
			n = max(n, len(cells[i]))
		}
		h := float64(n)*lh + 2*tablePad
		r.ensure(h)
		x := marginL
		r.pdf.SetDrawColor(120, 120, 120)
		r.pdf.SetLineWidth(0.2)
		for i := 0; i < cols; i++ {
			style := "D"
			if head {
				r.pdf.SetFillColor(230, 230, 230)
				style = "FD"
			}
			r.pdf.Rect(x, r.y, widths[i], h, style)
			y0 := r.y
			r.y += tablePad
			for _, line := range cells[i] {
				r.drawLine(line, x+tablePad, widths[i]-2*tablePad, lh, align(i))
				r.y += lh
			}
			r.y = y0
			x += widths[i]
		}
		r.y += h
	}
	if len(t.Header) > 0 {
		drawRow(t.Header, true)
	}
	for _, row := range t.Rows {
		drawRow(row, false)
	}
	r.y += 2
}

func (r *pdfRenderer) chart(c *Chart) {
	size := bodySize - 2
	h := float64(max(len(c.Bars), 1))*chartRowH + 10
	r.ensure(h)
	r.text([]Span{{Text: c.Title, Italic: true}}, marginL, contentW, bodySize-1, "L")
	maxV := 0.0
	for _, b := range c.Bars {
		maxV = max(maxV, b.Value)
	}
	barW := contentW - chartLabelW - chartValueW
	lh := size * ptMM * lineGap
	for _, b := range c.Bars {
		r.ensure(chartRowH)
		y0 := r.y
		label := r.lines(r.tokens([]Span{{Text: b.Label}}, size), chartLabelW-3, size)
		if len(label) > 0 {
			r.y = y0 + (chartRowH-lh)/2
			r.drawLine(label[0], marginL, chartLabelW-3, lh, "R")
		}
		w := 0.0
		if maxV > 0 {
			w = b.Value / maxV * barW
		}
		r.pdf.SetFillColor(31, 95, 168)
		if w > 0 {
			r.pdf.Rect(marginL+chartLabelW, y0+1.2, w, chartRowH-2.4, "F")
		}
		val := r.lines(r.tokens([]Span{{Text: formatValue(b.Value)}}, size), chartValueW, size)
		if len(val) > 0 {
			r.drawLine(val[0], marginL+chartLabelW+w+1.5, chartValueW, lh, "L")
		}
		r.y = y0 + chartRowH
	}
	r.pdf.SetDrawColor(80, 80, 80)
	r.pdf.SetLineWidth(0.2)
	top := r.y - float64(len(c.Bars))*chartRowH
	r.pdf.Line(marginL+chartLabelW, top, marginL+chartLabelW, r.y)
	r.y += 3
}

// direction of a token: +1 left-to-right, -1 right-to-left, 0 neutral
// (no letters), from its first letter.
func direction(t token) int {
	for _, p := range t.pieces {
		for _, c := range p.text {
			if unicode.IsLetter(c) {
				if unicode.In(c, unicode.Arabic, unicode.Hebrew, unicode.Syriac, unicode.Thaana, unicode.Nko) {
					return -1
				}
				return 1
			}
		}
	}
	return 0
}

// visualOrder puts the words of right-to-left scripts (Arabic, Hebrew)
// in the order they are seen: each run of such words (with the neutral
// words between them) is reversed, and so are the characters of each
// word. This is the simple part of the Unicode bidirectional algorithm;
// Arabic letters were shaped into their joined forms before (tokens,
// shapeArabic), in reading order.
func visualOrder(line []token) []token {
	rtl := false
	for _, t := range line {
		if direction(t) < 0 {
			rtl = true
			break
		}
	}
	if !rtl {
		return line
	}
	out := make([]token, 0, len(line))
	for i := 0; i < len(line); {
		if direction(line[i]) >= 0 {
			out = append(out, line[i])
			i++
			continue
		}
		j := i + 1 // extend the run over RTL and neutral words that end in RTL
		end := i + 1
		for ; j < len(line); j++ {
			d := direction(line[j])
			if d > 0 {
				break
			}
			if d < 0 {
				end = j + 1
			}
		}
		run := line[i:end]
		for k := len(run) - 1; k >= 0; k-- {
			t := run[k]
			rev := token{w: t.w, brk: t.brk, space: t.space}
			if k > 0 {
				rev.space = run[k-1].space
			}
			for m := len(t.pieces) - 1; m >= 0; m-- {
				p := t.pieces[m]
				p.text = reverseRunes(p.text)
				rev.pieces = append(rev.pieces, p)
			}
			out = append(out, rev)
		}
		if len(out) > 0 {
			out[len(out)-1].space = run[len(run)-1].space
		}
		i = end
	}
	return out
}

func reverseRunes(s string) string {
	r := []rune(s)
	for i, j := 0, len(r)-1; i < j; i, j = i+1, j-1 {
		r[i], r[j] = r[j], r[i]
	}
	return string(r)
}
