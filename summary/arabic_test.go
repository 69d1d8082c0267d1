package summary

import (
	"testing"

	"golang.org/x/text/unicode/norm"
)

func TestShapeArabicJoinsLettersAsWritten(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		// seen initial, lam-alef as one final ligature, meem alone (alef
		// joins only the letter before it)
		{"سلام", "\uFEB3\uFEFC\uFEE1"},
		// beh initial, seen medial, meem final
		{"بسم", "\uFE91\uFEB4\uFEE2"},
		// lam-alef is one ligature, final after a joining letter
		{"سلا", "\uFEB3\uFEFC"},
		{"لا", "\uFEFB"},
		// a mark does not break the joining: beh initial, fatha, beh final
		{"بَب", "\uFE91\u064E\uFE90"},
		// jeem initial, alef final, meem initial, ain medial, teh marbuta final;
		// alef-lam: alef alone, lam initial, qaf medial, alef final, heh initial, reh final, teh marbuta alone
		{"جامعة القاهرة", "\uFE9F\uFE8E\uFEE3\uFECC\uFE94 \uFE8D\uFEDF\uFED8\uFE8E\uFEEB\uFEAE\uFE93"},
		// Persian: peh initial, alef final
		{"پا", "\uFB58\uFE8E"},
		// other scripts and digits are left alone
		{"OEWG 2025", "OEWG 2025"},
		{"Ñandú", "Ñandú"},
	} {
		if got := shapeArabic(c.in); got != c.want {
			t.Errorf("shapeArabic(%q) = %+q, want %+q", c.in, got, c.want)
		}
	}
}

// Shaping changes how letters look, never which letters they are: the
// compatibility normalization of the shaped text is the text's own.
func TestShapedArabicNormalizesBackToTheLetters(t *testing.T) {
	for _, s := range []string{"جامعة القاهرة", "جامعة الدول العربية", "مُنَظَّمَة", "لأن الإمارات لآلئ", "پژوهشگاه ارتباطات", "Mixed جامعة 123"} {
		if got, want := norm.NFKC.String(shapeArabic(s)), norm.NFKC.String(s); got != want {
			t.Errorf("%q: shaped and normalized %+q, want %+q", s, got, want)
		}
	}
}
