package door

import (
	"bytes"
	"fmt"
	"slices"
	"strings"

	"github.com/go-pdf/fpdf"

	"rostrum/locale"
	"rostrum/models"
	"rostrum/qr"
	"rostrum/summary"
)

// Badge sizes. An A4 sheet holds four A6 cards; eight badges to a sheet
// are half that, 105 × 74 mm (A7 on its side, what 8-up badge holders
// take), in two columns and four rows with cut marks at every edge. One
// A6 card (105 × 148 mm) a page is the other format.
const (
	FormatSheet = "a4" // eight badges on each A4 sheet
	FormatA6    = "a6" // one A6 badge a page
)

// Badge is what one badge shows.
type Badge struct {
	Name         string
	Organization string // the organization, or the State's name
	Category     string // models.Categories
	Code         string // the check-in code its QR code carries
}

// BadgeOf is registration r's badge.
func BadgeOf(r *models.Registration) Badge {
	return Badge{Name: r.Name, Organization: r.Organization.Name, Category: r.Organization.Type, Code: r.CheckinCode}
}

// bandColours are each category's colour band (RGB); white text on each
// passes WCAG AA. The label says the category in words as well.
var bandColours = map[string][3]int{
	models.KindMemberState:   {11, 79, 138}, // UN blue
	models.KindObserverState: {74, 35, 122}, // purple
	"intergovernmental":      {0, 102, 102}, // teal
	"ngo":                    {29, 107, 47}, // green
	"private_sector":         {122, 75, 0},  // brown
	"academia":               {164, 22, 26}, // red
	"technical_community":    {55, 65, 81},  // slate
	"other":                  {90, 90, 90},  // grey
}

// bandLabel is a badge's band text: the category's name for one person
// ("Member State", "Non-governmental organization"), in language lang.
func bandLabel(lang, category string) string {
	if !slices.Contains(models.Categories, category) {
		category = "other"
	}
	return locale.T(lang, "type."+category)
}

// BadgesPDF draws badges for meeting title in format (FormatSheet or
// FormatA6), their words in language lang (the meeting's).
func BadgesPDF(badges []Badge, title, lang, format string, fonts *summary.Fonts) ([]byte, error) {
	if fonts == nil || fonts.Body[""] == nil {
		return nil, fmt.Errorf("door: no fonts for the badges")
	}
	var p *fpdf.Fpdf
	const w = 105.0
	h := 74.0
	if format == FormatA6 {
		h = 148.0
		p = fpdf.NewCustom(&fpdf.InitType{UnitStr: "mm", Size: fpdf.SizeType{Wd: 105, Ht: 148}})
	} else {
		p = fpdf.New("P", "mm", "A4", "")
	}
	p.SetMargins(0, 0, 0)
	p.SetAutoPageBreak(false, 0)
	p.SetTitle(summary.PDFText(locale.T(lang, "door.badges_title", "Meeting", title)), true)
	p.SetCreator("Rostrum", true)
	t := &badgeWriter{pdf: p, set: summary.NewTypesetter(p, fonts), lang: lang}
	perPage := 8
	if format == FormatA6 {
		perPage = 1
	}
	for i, b := range badges {
		if i%perPage == 0 {
			p.AddPage()
			if format != FormatA6 {
				cutMarks(p, w, h)
			}
		}
		k := i % perPage
		x, y := float64(k%2)*w, float64(k/2)*h
		if format == FormatA6 {
			x, y = 0, 0
		}
		if err := t.badge(b, title, x, y, w, h); err != nil {
			return nil, err
		}
	}
	if len(badges) == 0 {
		p.AddPage()
	}
	var out bytes.Buffer
	if err := p.Output(&out); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

// cutMarks draws short marks outside each badge's corners on an A4 sheet
// of two columns and four rows, where a guillotine cuts.
func cutMarks(p *fpdf.Fpdf, w, h float64) {
	p.SetDrawColor(0, 0, 0)
	p.SetLineWidth(0.2)
	const m = 4.0
	for c := 0; c <= 2; c++ {
		x := float64(c) * w
		p.Line(x, 0, x, m)
		p.Line(x, 297-m, x, 297)
	}
	for r := 0; r <= 4; r++ {
		y := float64(r) * h
		p.Line(0, y, m, y)
		p.Line(210-m, y, 210, y)
		// between the columns, a cross where four badges meet
		p.Line(w-m/2, y, w+m/2, y)
	}
}

// badgeWriter draws badges in a PDF, setting their text with the
// summary's typesetter.
type badgeWriter struct {
	pdf  *fpdf.Fpdf
	set  *summary.Typesetter
	lang string // of the badges' words
}

const ptMM = 25.4 / 72

// line sets s on one line in the box (x, y, w, h), vertically centred.
func (t *badgeWriter) line(s string, x, y, w, h, size, minSize float64, align string, bold bool) {
	t.set.Box(s, x, y+(h-size*ptMM*1.2)/2, w, size, minSize, bold, align, 1)
}

// block sets s from (x, y) in at most maxLines lines; it returns the
// height used.
func (t *badgeWriter) block(s string, x, y, w, size, minSize float64, bold bool, maxLines int) float64 {
	return t.set.Box(s, x, y, w, size, minSize, bold, "L", maxLines)
}

// badge draws one badge with its top-left corner at (x, y).
func (t *badgeWriter) badge(b Badge, title string, x, y, w, h float64) error {
	p := t.pdf
	pad := 5.0
	band := h * 0.16
	c, ok := bandColours[b.Category]
	if !ok {
		c = bandColours["other"]
	}
	// The band across the top, with the category's name in white.
	p.SetFillColor(c[0], c[1], c[2])
	p.Rect(x, y, w, band, "F")
	p.SetTextColor(255, 255, 255)
	t.line(strings.ToUpper(bandLabel(t.lang, b.Category)), x+pad, y, w-2*pad, band, 13, 7, "C", false)
	p.SetTextColor(0, 0, 0)
	// The QR code at the right, the name and organization at the left.
	qrSide := h * 0.42
	if h > w { // A6 upright: a larger code under the name
		qrSide = w * 0.5
	}
	textW := w - 2*pad
	top := y + band + pad
	if h <= w {
		textW = w - 3*pad - qrSide
	}
	nameSize := 22.0
	if h > w {
		nameSize = 26
	}
	nameH := t.block(b.Name, x+pad, top, textW, nameSize, 11, true, 3)
	t.block(b.Organization, x+pad, top+nameH+1.5, textW, nameSize*0.6, 8, false, 3)
	qx, qy := x+w-pad-qrSide, y+h-pad-qrSide-4
	if h > w {
		qx, qy = x+(w-qrSide)/2, y+h-pad-qrSide-10
	}
	if b.Code != "" {
		if err := drawQR(p, b.Code, qx, qy, qrSide); err != nil {
			return err
		}
		p.SetTextColor(60, 60, 60)
		t.line(b.Code, qx-4, qy+qrSide, qrSide+8, 4, 7, 5, "C", true)
	}
	p.SetTextColor(60, 60, 60)
	t.line(title, x+pad, y+h-pad-4, w-2*pad-(qrSide+pad)*boolf(h <= w), 4, 7, 5, "L", false)
	p.SetTextColor(0, 0, 0)
	return p.Error()
}

func boolf(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// drawQR draws text's QR code as vector squares, side millimetres wide,
// so that it prints sharp at any size.
func drawQR(p *fpdf.Fpdf, text string, x, y, side float64) error {
	mods, err := qr.Modules(text)
	if err != nil {
		return err
	}
	n := float64(len(mods))
	cell := side / n
	p.SetFillColor(0, 0, 0)
	for r, row := range mods {
		for c := 0; c < len(row); {
			if !row[c] {
				c++
				continue
			}
			start := c
			for c < len(row) && row[c] {
				c++
			}
			// a run of dark modules as one rectangle, a hair taller to
			// leave no seam between rows
			p.Rect(x+float64(start)*cell, y+float64(r)*cell, float64(c-start)*cell, cell+0.01, "F")
		}
	}
	return nil
}
