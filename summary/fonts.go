package summary

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"unicode"

	"golang.org/x/image/font/sfnt"
)

// DefaultFontDir is where Debian installs TrueType fonts.
const DefaultFontDir = "/usr/share/fonts/truetype"

// The PDF's fonts, by file name, found anywhere under the font directory.
// The body is DejaVu Serif (Latin, Greek, Cyrillic; package
// fonts-dejavu-core); a character it lacks is drawn with the first
// fallback that has it: DejaVu Sans (also Arabic, Hebrew, Armenian,
// Georgian, many symbols), then Noto (fonts-noto-core) for other scripts,
// then Droid Sans Fallback (fonts-droid-fallback) for Chinese and
// Japanese, then Nanum Gothic (fonts-nanum) for Korean: Debian's Droid
// Sans Fallback has no Hangul, and Noto CJK ships only as OpenType
// collections with CFF outlines, which fpdf cannot embed (it embeds
// TrueType outlines only). Only the regular body font is required; fonts that are not
// installed are skipped, and a character no font has becomes U+FFFD's
// glyph (or nothing) rather than breaking the document.
var (
	bodyFonts = map[string]string{
		"":  "DejaVuSerif.ttf",
		"B": "DejaVuSerif-Bold.ttf",
		"I": "DejaVuSerif-Italic.ttf",
	}
	monoFont      = "DejaVuSansMono.ttf"
	fallbackFonts = []string{
		"DejaVuSans.ttf",
		"NotoSansArabic-Regular.ttf",
		"NotoSansHebrew-Regular.ttf",
		"NotoSansDevanagari-Regular.ttf",
		"NotoSansBengali-Regular.ttf",
		"NotoSansThai-Regular.ttf",
		"NotoSansEthiopic-Regular.ttf",
		"NotoSansArmenian-Regular.ttf",
		"NotoSansGeorgian-Regular.ttf",
		"NotoSansTamil-Regular.ttf",
		"NotoSansSinhala-Regular.ttf",
		"NotoSans-Regular.ttf",
		"DroidSansFallbackFull.ttf",
		"DroidSansFallback.ttf",
		"NanumGothic.ttf",
	}
)

// Font is one TrueType font read into memory.
type Font struct {
	Name string
	Data []byte
	sfnt *sfnt.Font
	mu   sync.Mutex
	buf  sfnt.Buffer
	has  map[rune]bool
}

// Has reports whether the font has a glyph for r.
func (f *Font) Has(r rune) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	if v, ok := f.has[r]; ok {
		return v
	}
	gi, err := f.sfnt.GlyphIndex(&f.buf, r)
	v := err == nil && gi != 0
	f.has[r] = v
	return v
}

// For is the font the PDF draws c with in text set in primary: primary
// if it has c, else the first fallback that has it, else primary (which
// draws its "missing" box).
func (fs *Fonts) For(primary *Font, c rune) *Font {
	if unicode.IsSpace(c) || primary.Has(c) {
		return primary
	}
	for _, f := range fs.Fallbacks {
		if f.Has(c) {
			return f
		}
	}
	return primary
}

// Fonts are the fonts the PDF renderer embeds, read once at start.
type Fonts struct {
	Body      map[string]*Font // by style "", "B", "I"
	Mono      *Font
	Fallbacks []*Font
}

// LoadFonts finds the fonts under dir (searched recursively). It fails
// only when the regular body font is missing.
func LoadFonts(dir string) (*Fonts, error) {
	if dir == "" {
		dir = DefaultFontDir
	}
	paths := map[string]string{}
	want := map[string]bool{monoFont: true}
	for _, n := range bodyFonts {
		want[n] = true
	}
	for _, n := range fallbackFonts {
		want[n] = true
	}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil // unreadable corners are skipped
		}
		if !d.IsDir() && want[d.Name()] {
			if _, seen := paths[d.Name()]; !seen {
				paths[d.Name()] = p
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	load := func(name string) (*Font, error) {
		p, ok := paths[name]
		if !ok {
			return nil, nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return nil, err
		}
		sf, err := sfnt.Parse(b)
		if err != nil {
			return nil, fmt.Errorf("font %s: %w", p, err)
		}
		return &Font{Name: name, Data: b, sfnt: sf, has: map[rune]bool{}}, nil
	}
	fs := &Fonts{Body: map[string]*Font{}}
	for style, name := range bodyFonts {
		f, err := load(name)
		if err != nil {
			return nil, err
		}
		if f != nil {
			fs.Body[style] = f
		}
	}
	if fs.Body[""] == nil {
		return nil, errors.New("font " + bodyFonts[""] + " not found under " + dir + ": install Debian's fonts-dejavu-core (and fonts-noto-core, fonts-droid-fallback for other scripts) or set summary_font_dir")
	}
	if fs.Mono, err = load(monoFont); err != nil {
		return nil, err
	}
	for _, name := range fallbackFonts {
		f, err := load(name)
		if err != nil {
			return nil, err
		}
		if f != nil {
			fs.Fallbacks = append(fs.Fallbacks, f)
		}
	}
	return fs, nil
}

var (
	defaultFontsOnce sync.Once
	defaultFonts     *Fonts
	defaultFontsErr  error
)

// SystemFonts loads the fonts from DefaultFontDir once per process.
func SystemFonts() (*Fonts, error) {
	defaultFontsOnce.Do(func() { defaultFonts, defaultFontsErr = LoadFonts(DefaultFontDir) })
	return defaultFonts, defaultFontsErr
}
