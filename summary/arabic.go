package summary

import "unicode"

// The PDF writer places characters one after another, with no shaping
// engine: Arabic letters would stand apart in their isolated forms, which
// no Arabic reader writes. shapeArabic picks each letter's joined form
// (isolated, final, initial, medial) from the Arabic presentation forms,
// as the Unicode joining rules say, and joins lam and alef into their
// ligature. The forms are in the fonts Rostrum embeds (DejaVu Sans and
// Noto Sans Arabic), and text extracted from the PDF and normalized
// (NFKC) reads as the letters entered. visualOrder then puts the shaped
// words in right-to-left order. (No Go shaping library was available
// that works with go-pdf/fpdf's per-character text: go-text/typesetting
// shapes to glyph ids, which fpdf cannot place.)

// arabicForms holds a letter's presentation forms: isolated, final,
// initial, medial. A letter that joins only to the letter before it
// (right-joining: alef, dal, reh, waw, ...) has no initial or medial form
// (0).
var arabicForms = map[rune][4]rune{
	0x0621: {0xFE80, 0, 0, 0}, // hamza: joins neither side
	0x0622: {0xFE81, 0xFE82, 0, 0},
	0x0623: {0xFE83, 0xFE84, 0, 0},
	0x0624: {0xFE85, 0xFE86, 0, 0},
	0x0625: {0xFE87, 0xFE88, 0, 0},
	0x0626: {0xFE89, 0xFE8A, 0xFE8B, 0xFE8C},
	0x0627: {0xFE8D, 0xFE8E, 0, 0},
	0x0628: {0xFE8F, 0xFE90, 0xFE91, 0xFE92},
	0x0629: {0xFE93, 0xFE94, 0, 0},
	0x062A: {0xFE95, 0xFE96, 0xFE97, 0xFE98},
	0x062B: {0xFE99, 0xFE9A, 0xFE9B, 0xFE9C},
	0x062C: {0xFE9D, 0xFE9E, 0xFE9F, 0xFEA0},
	0x062D: {0xFEA1, 0xFEA2, 0xFEA3, 0xFEA4},
	0x062E: {0xFEA5, 0xFEA6, 0xFEA7, 0xFEA8},
	0x062F: {0xFEA9, 0xFEAA, 0, 0},
	0x0630: {0xFEAB, 0xFEAC, 0, 0},
	0x0631: {0xFEAD, 0xFEAE, 0, 0},
	0x0632: {0xFEAF, 0xFEB0, 0, 0},
	0x0633: {0xFEB1, 0xFEB2, 0xFEB3, 0xFEB4},
	0x0634: {0xFEB5, 0xFEB6, 0xFEB7, 0xFEB8},
	0x0635: {0xFEB9, 0xFEBA, 0xFEBB, 0xFEBC},
	0x0636: {0xFEBD, 0xFEBE, 0xFEBF, 0xFEC0},
	0x0637: {0xFEC1, 0xFEC2, 0xFEC3, 0xFEC4},
	0x0638: {0xFEC5, 0xFEC6, 0xFEC7, 0xFEC8},
	0x0639: {0xFEC9, 0xFECA, 0xFECB, 0xFECC},
	0x063A: {0xFECD, 0xFECE, 0xFECF, 0xFED0},
	0x0641: {0xFED1, 0xFED2, 0xFED3, 0xFED4},
	0x0642: {0xFED5, 0xFED6, 0xFED7, 0xFED8},
	0x0643: {0xFED9, 0xFEDA, 0xFEDB, 0xFEDC},
	0x0644: {0xFEDD, 0xFEDE, 0xFEDF, 0xFEE0},
	0x0645: {0xFEE1, 0xFEE2, 0xFEE3, 0xFEE4},
	0x0646: {0xFEE5, 0xFEE6, 0xFEE7, 0xFEE8},
	0x0647: {0xFEE9, 0xFEEA, 0xFEEB, 0xFEEC},
	0x0648: {0xFEED, 0xFEEE, 0, 0},
	0x0649: {0xFEEF, 0xFEF0, 0, 0}, // alef maksura: its joining forms are not in Forms-B
	0x064A: {0xFEF1, 0xFEF2, 0xFEF3, 0xFEF4},
	// Persian and Urdu letters (Forms-A).
	0x067E: {0xFB56, 0xFB57, 0xFB58, 0xFB59}, // peh
	0x0686: {0xFB7A, 0xFB7B, 0xFB7C, 0xFB7D}, // tcheh
	0x0698: {0xFB8A, 0xFB8B, 0, 0},           // jeh
	0x06A9: {0xFB8E, 0xFB8F, 0xFB90, 0xFB91}, // keheh
	0x06AF: {0xFB92, 0xFB93, 0xFB94, 0xFB95}, // gaf
	0x06CC: {0xFBFC, 0xFBFD, 0xFBFE, 0xFBFF}, // farsi yeh
}

// lamAlef holds the ligature of lam with each alef: isolated, final.
var lamAlef = map[rune][2]rune{
	0x0622: {0xFEF5, 0xFEF6},
	0x0623: {0xFEF7, 0xFEF8},
	0x0625: {0xFEF9, 0xFEFA},
	0x0627: {0xFEFB, 0xFEFC},
}

const (
	tatweel = 0x0640 // joins on both sides, has no forms of its own
	lam     = 0x0644
)

// transparent marks (harakat and the like) sit on a letter and do not
// break its joining.
func transparent(c rune) bool { return unicode.Is(unicode.Mn, c) }

// joinsAfter reports whether c connects to the letter after it (in
// reading order).
func joinsAfter(c rune) bool {
	if c == tatweel {
		return true
	}
	f, ok := arabicForms[c]
	return ok && f[2] != 0
}

// joinsBefore reports whether c connects to the letter before it.
func joinsBefore(c rune) bool {
	if c == tatweel {
		return true
	}
	f, ok := arabicForms[c]
	return ok && f[1] != 0
}

// shapeArabic returns s with its Arabic letters in their joined
// presentation forms (see above). Text without Arabic letters comes back
// as it is.
func shapeArabic(s string) string {
	rs := []rune(s)
	has := false
	for _, c := range rs {
		if _, ok := arabicForms[c]; ok {
			has = true
			break
		}
	}
	if !has {
		return s
	}
	// neighbour finds the nearest letter from i in direction d, over
	// transparent marks; 0 when there is none.
	neighbour := func(i, d int) rune {
		for j := i + d; j >= 0 && j < len(rs); j += d {
			if !transparent(rs[j]) {
				return rs[j]
			}
		}
		return 0
	}
	out := make([]rune, 0, len(rs))
	for i := 0; i < len(rs); i++ {
		c := rs[i]
		f, ok := arabicForms[c]
		if !ok {
			out = append(out, c)
			continue
		}
		prevJoins := joinsAfter(neighbour(i, -1))
		if c == lam {
			// lam followed (over marks) by an alef: one ligature.
			j := i + 1
			for j < len(rs) && transparent(rs[j]) {
				j++
			}
			if j < len(rs) {
				if lig, ok := lamAlef[rs[j]]; ok {
					if prevJoins {
						out = append(out, lig[1])
					} else {
						out = append(out, lig[0])
					}
					out = append(out, rs[i+1:j]...) // the marks on the lam
					i = j
					continue
				}
			}
		}
		nextJoins := joinsBefore(neighbour(i, +1)) && f[2] != 0
		prevJoins = prevJoins && f[1] != 0
		switch {
		case prevJoins && nextJoins:
			out = append(out, f[3])
		case prevJoins:
			out = append(out, f[1])
		case nextJoins:
			out = append(out, f[2])
		default:
			out = append(out, f[0])
		}
	}
	return string(out)
}
