package summary

import "github.com/go-pdf/fpdf"

// Typesetter sets short texts (a name on a badge, an organization) in
// boxes of a PDF that another package draws, the way the summary's PDF
// sets its own: each character in the first of the fonts that has it,
// Arabic letters joined, right-to-left words in visual order, East Asian
// text broken between any two characters. The door's badges use it, so
// that every script prints there as it does in the summary.
type Typesetter struct{ r *pdfRenderer }

// NewTypesetter sets text in p with fonts. Nothing else may change p's
// font meanwhile (the typesetter remembers the font it set last).
func NewTypesetter(p *fpdf.Fpdf, fonts *Fonts) *Typesetter {
	return &Typesetter{r: &pdfRenderer{pdf: p, fonts: fonts, family: map[*Font]string{}}}
}

// Box sets text from (x, y) in lines no wider than width, aligned "L",
// "C" or "R", at size in points, or smaller, down to minSize, until it
// takes at most maxLines lines; lines beyond those are dropped and a word
// wider than the box is cut. It returns the height used in millimetres.
func (t *Typesetter) Box(text string, x, y, width, size, minSize float64, bold bool, align string, maxLines int) float64 {
	r := t.r
	spans := []Span{{Text: text, Bold: bold}}
	lines := r.lines(r.tokens(spans, size), width, size)
	for len(lines) > maxLines && size > minSize {
		size -= 0.5
		lines = r.lines(r.tokens(spans, size), width, size)
	}
	if len(lines) > maxLines {
		lines = lines[:maxLines]
	}
	lh := size * ptMM * 1.2
	r.y = y
	for _, line := range lines {
		r.drawLine(line, x, width, lh, align)
		r.y += lh
	}
	return lh * float64(len(lines))
}
