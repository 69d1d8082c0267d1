package demo

import (
	"fmt"
	"testing"
	"unicode"

	"golang.org/x/image/font/sfnt"

	"rostrum/summary"
)

// TestEveryDemoNameHasItsGlyphsInThePDF checks each character of each
// demo person's and organization's name (Annex II of the summary lists
// them) against the character map of the font the PDF draws it with,
// read independently of the renderer's own check. Sinhala and Korean
// names once printed as empty boxes (finding 11 of the security review).
func TestEveryDemoNameHasItsGlyphsInThePDF(t *testing.T) {
	fonts, err := summary.LoadFonts(summary.DefaultFontDir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, p := range demoPeople {
		names = append(names, p.Name)
	}
	for _, o := range demoOrganizations {
		names = append(names, o.Name, o.Acronym)
	}
	scripts := map[string]bool{}
	cmaps := map[*summary.Font]*sfnt.Font{}
	var buf sfnt.Buffer
	for _, name := range names {
		for _, c := range summary.PDFText(name) {
			if unicode.IsSpace(c) {
				continue
			}
			for s, tab := range unicode.Scripts {
				if unicode.Is(tab, c) {
					scripts[s] = true
				}
			}
			for _, style := range []string{"", "B", "I"} { // names are set plain in Annex II, bold or italic elsewhere
				primary := fonts.Body[style]
				if primary == nil {
					primary = fonts.Body[""]
				}
				f := fonts.For(primary, c)
				cmap := cmaps[f]
				if cmap == nil {
					if cmap, err = sfnt.Parse(f.Data); err != nil {
						t.Fatalf("%s: %v", f.Name, err)
					}
					cmaps[f] = cmap
				}
				if gi, err := cmap.GlyphIndex(&buf, c); err != nil || gi == 0 {
					t.Errorf("%q in %q (style %q): drawn with %s, which has no glyph for it; no installed TrueType font has one (see summary/fonts.go for the packages)", c, name, style, f.Name)
					break
				}
			}
		}
	}
	for _, s := range []string{"Latin", "Cyrillic", "Arabic", "Hebrew", "Han", "Hangul", "Thai", "Devanagari", "Ethiopic", "Georgian", "Armenian", "Sinhala"} {
		if !scripts[s] {
			t.Errorf("no demo name in the %s script", s)
		}
	}
	t.Log(fmt.Sprint(len(names), " names checked"))
}
