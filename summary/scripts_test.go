package summary

import (
	"strings"
	"testing"

	"golang.org/x/text/unicode/norm"
)

// TestPDFDrawsNamesOfEveryScript renders names in the scripts the demo
// uses (fpdf embeds their fonts, TrueType outlines only, without error)
// and reads them back as entered: Hebrew, like Arabic, is drawn right to
// left, so that it reads back in order. That each character has a glyph
// is app's TestEveryDemoNameHasItsGlyphsInThePDF.
func TestPDFDrawsNamesOfEveryScript(t *testing.T) {
	names := []string{"נועה פרץ", "ليلى حداد", "නිමාලි පෙරේරා", "김민지", "สมชาย ใจดี", "अर्जुन मेहता", "መሰረት በቀለ", "ნინო ბერიძე", "Անի Սարգսյան", "王晓明", "Аркадий Петров"}
	md := "# Annex II\n\n"
	for _, n := range names {
		md += "- " + n + "\n"
	}
	b, err := PDF(Parse(md), testFonts(t), "Chair's Summary")
	if err != nil {
		t.Fatal(err)
	}
	flat := norm.NFKC.String(oneLine(pdfText(t, b)))
	for _, n := range names {
		if !strings.Contains(flat, norm.NFKC.String(n)) {
			t.Errorf("PDF text lacks %q: %s", n, flat)
		}
	}
	if !strings.Contains(flat, "נועה פרץ") || strings.Contains(flat, "העונ") {
		t.Errorf("Hebrew is not in reading order: %s", flat)
	}
}
