package textcheck

import (
	"strings"
	"testing"
)

func TestBidiControlsAreRefusedInLinesOfText(t *testing.T) {
	cases := []struct {
		name, text string
		multiline  bool
		refused    bool
	}{
		{"plain Latin", "Ana María Souza", false, false},
		{"Arabic name", "منظمة المجتمع المدني", false, false},
		{"Hebrew with digits", "ארגון 2030", false, false},
		{"zero-width joiner in Devanagari", "क्‍ष", false, false},
		{"zero-width non-joiner in Persian", "می‌خواهم", false, false},
		{"left-to-right embedding U+202A", "a\u202Ab", false, true},
		{"right-to-left embedding U+202B", "a\u202Bb", false, true},
		{"pop directional formatting U+202C", "a\u202Cb", false, true},
		{"left-to-right override U+202D", "a\u202Db", false, true},
		{"right-to-left override U+202E", "Ana \u202EESAELP", false, true},
		{"left-to-right isolate U+2066", "a\u2066b", false, true},
		{"right-to-left isolate U+2067", "a\u2067b", false, true},
		{"first strong isolate U+2068", "a\u2068b", false, true},
		{"pop directional isolate U+2069", "a\u2069b", false, true},
		{"left-to-right mark U+200E", "a\u200Eb", false, true},
		{"right-to-left mark U+200F", "a\u200Fb", false, true},
		{"Arabic letter mark U+061C", "a\u061Cb", false, true},
		{"override in multi-line text", "line\n\u202Eline", true, true},
		{"line break in a line", "a\nb", false, true},
		{"line break in multi-line text", "a\nb", true, false},
		{"NUL", "a\x00b", true, true},
		{"C1 control", "a\u0085b", false, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := Problem(c.text, c.multiline)
			if (p != "") != c.refused {
				t.Fatalf("Problem(%q) = %q, refused want %v", c.text, p, c.refused)
			}
			if c.refused && strings.ContainsRune(c.text, '\u202E') && !strings.Contains(p, "U+202E") {
				t.Fatalf("message %q does not name the character", p)
			}
		})
	}
}
