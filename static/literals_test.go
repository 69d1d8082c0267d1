package static

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"rostrum/locale"
)

// The pages, scripts and mail converted to the message catalogues
// (package locale) hold no words of their own: every word a participant
// or the room reads comes from a catalogue. These tests fail when an
// English literal comes back into one of them. The staff's pages read
// the staff's catalogues too (locale/catalogues/staff), in English,
// French and Spanish.
var (
	convertedPages = []string{
		"pages/layout.tmpl", "pages/index.html", "pages/register.tmpl", "pages/registered.tmpl",
		"pages/participant.html", "pages/delegation.html", "pages/screen.html", "pages/summary.html",
		"pages/organizations.html", "pages/programme.html", "pages/notfound.html", "pages/link.html",
		"pages/reset.html", "pages/checkin.html", "pages/console.html", "pages/process.html", "pages/documents.html",
		"pages/notes.html", "pages/summary-desk.html", "pages/admin.html",
	}
	convertedScripts = []string{
		"js/i18n.js", "js/register.js", "js/participant.js", "js/floor.js", "js/screen.js",
		"js/delegation.js", "js/livestate.js", "js/vocabulary.js", "js/link.js",
		"js/reset.js", "js/staff.js", "js/api.js", "js/checkin.js", "js/console.js",
		"js/process.js", "js/documents.js", "js/notes.js", "js/summary-desk.js", "js/summary-common.js",
		"js/admin.js", "js/admin-meeting.js", "js/admin-staff.js", "js/admin-tracks.js",
	}
	convertedGo = []string{"../registration/mail.go", "../delegations/mail.go", "../accreditation/mail.go", "../auth/mail.go"}
)

// notWords are the Latin words a converted page may show in any
// language: names and formats.
var notWords = map[string]bool{"Rostrum": true, "PDF": true, "Word": true, "DOCX": true, "Markdown": true, "HTML": true, "ics": true}

var (
	action     = regexp.MustCompile(`(?s)\{\{.*?\}\}`)
	scriptBody = regexp.MustCompile(`(?is)<script\b[^>]*>.*?</script>`)
	tag        = regexp.MustCompile(`(?s)<[^>]*>`)
	shownAttr  = regexp.MustCompile(`(?i)\s(?:aria-label|title|alt|placeholder)\s*=\s*"([^"]*)"`)
	latinWord  = regexp.MustCompile(`[A-Za-z]{2,}`)
)

// wordsShown lists the Latin words of an HTML template's text and of the
// attributes people read, once its actions are taken out.
func wordsShown(page string) []string {
	page = action.ReplaceAllString(page, " ")
	page = scriptBody.ReplaceAllString(page, " ")
	var texts []string
	for _, m := range shownAttr.FindAllStringSubmatch(page, -1) {
		texts = append(texts, m[1])
	}
	texts = append(texts, tag.ReplaceAllString(page, " "))
	var out []string
	for _, t := range texts {
		for _, w := range latinWord.FindAllString(t, -1) {
			if !notWords[w] {
				out = append(out, w)
			}
		}
	}
	return out
}

func TestConvertedPagesHoldNoEnglishWords(t *testing.T) {
	for _, p := range convertedPages {
		b, err := FS.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if w := wordsShown(string(b)); len(w) > 0 {
			t.Errorf("%s shows words outside the catalogues: %v", p, w)
		}
	}
}

// sentence finds English in a string literal: a function word between
// others ("Withdraw my request", "No agenda yet"), or a lone capitalized
// word ("Withdraw", "Live").
var (
	functionWord = regexp.MustCompile(`(?i)(^|[^A-Za-z_.-])(the|a|an|of|to|is|are|your|you|my|no|not|on|in|for|and|with|has|have|was|be|please|yet|at|this)\s+[A-Za-z]`)
	loneWord     = regexp.MustCompile(`^[A-Z][a-z]+[.!…]?$`)
	jsComment    = regexp.MustCompile(`(?m)^\s*//.*$|\s//\s.*$|(?s)/\*.*?\*/`)
	jsString     = regexp.MustCompile("\"(?:[^\"\\\\\\n]|\\\\.)*\"|'(?:[^'\\\\\\n]|\\\\.)*'|`(?:[^`\\\\]|\\\\.)*`")
	interpolated = regexp.MustCompile(`\$\{[^}]*\}`)
	fieldName    = regexp.MustCompile(`^"[A-Z][A-Za-z]*"$`)
)

// notEnglish are literals of the converted scripts that nobody reads:
// HTTP headers, names of code and of keys, and the names of formats ("Word").
var notEnglish = map[string]bool{"Accept": true, "Authorization": true, "Bearer": true, "ApiError": true, "Escape": true, "Word": true}

func english(s string) bool {
	s = strings.TrimSpace(interpolated.ReplaceAllString(s, " "))
	return functionWord.MatchString(s) || (loneWord.MatchString(s) && !notEnglish[strings.TrimRight(s, ".!…")])
}

func TestConvertedScriptsHoldNoEnglishLiterals(t *testing.T) {
	for _, p := range convertedScripts {
		b, err := FS.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		code := jsComment.ReplaceAllString(string(b), "")
		for _, lit := range jsString.FindAllString(code, -1) {
			if english(lit[1 : len(lit)-1]) {
				t.Errorf("%s: English literal %s: put it in the catalogues (locale/catalogues) and use t()", p, lit)
			}
		}
	}
}

func TestConvertedMailHoldsNoEnglishLiterals(t *testing.T) {
	for _, p := range convertedGo {
		src, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		f, err := parser.ParseFile(token.NewFileSet(), p, src, 0)
		if err != nil {
			t.Fatal(err)
		}
		// The names of a message's fields ("Name", "Meeting"), given to
		// locale.T and its wrappers (or appended to their arguments) beside
		// their values, are not words.
		fieldNames := map[*ast.BasicLit]bool{}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			name := ""
			switch fn := call.Fun.(type) {
			case *ast.Ident:
				name = fn.Name
			case *ast.SelectorExpr:
				name = fn.Sel.Name
			}
			if name == "T" || name == "N" || name == "t" || name == "say" || name == "append" {
				for _, a := range call.Args[1:] {
					if l, ok := a.(*ast.BasicLit); ok && fieldName.MatchString(l.Value) {
						fieldNames[l] = true
					}
				}
			}
			return true
		})
		ast.Inspect(f, func(n ast.Node) bool {
			lit, ok := n.(*ast.BasicLit)
			if ok && fieldNames[lit] {
				return true
			}
			if !ok || lit.Kind != token.STRING {
				return true
			}
			s, err := strconv.Unquote(lit.Value)
			if err != nil {
				return true
			}
			if strings.Contains(s, "{{") { // a mail's template
				if w := wordsShown(s); len(w) > 0 {
					t.Errorf("%s: a mail template shows words outside the catalogues: %v", p, w)
				}
			} else if english(s) {
				t.Errorf("%s: English literal %q: put it in the catalogues", p, s)
			}
			return true
		})
	}
}

func TestTheLiteralRulesCatchEnglish(t *testing.T) {
	for _, s := range []string{"Withdraw my request", "No agenda yet", "Live", "You are number ${n} in the queue", "Withdraw"} {
		if !english(s) {
			t.Errorf("not caught: %q", s)
		}
	}
	for _, s := range []string{"floor.request", "button secondary", "application/json", "GET", "/api/participant", "Accept", "#details dd"} {
		if english(s) {
			t.Errorf("wrongly caught: %q", s)
		}
	}
	if w := wordsShown(`<p title="Hello">{{.T "x"}} <b>world</b></p>`); len(w) != 2 {
		t.Errorf("wordsShown: %v", w)
	}
}

// messageUse finds a message id the converted pages and scripts name in
// full: {{.T "id"}}, {{$.N "id" ...}}, t("id"), n("id", ...), parts("id").
var messageUse = regexp.MustCompile(`(?:\.T|\.N|\bt|\bn|\bparts)\(?\s*"([a-z_]+(?:\.[a-z0-9_]+)+)"`)

func TestEveryMessageTheConvertedFilesUseIsInTheCatalogue(t *testing.T) {
	files := append(append([]string{}, convertedPages...), convertedScripts...)
	n := 0
	for _, p := range files {
		b, err := FS.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range messageUse.FindAllStringSubmatch(string(b), -1) {
			n++
			if !locale.Has(locale.Default, m[1]) {
				t.Errorf("%s uses message %q, which the catalogues lack", p, m[1])
			}
			// A script reads the catalogue its page embeds, which leaves
			// the server's own messages out.
			if strings.HasSuffix(p, ".js") && !locale.ForScripts(m[1]) {
				t.Errorf("%s uses message %q, which only the server has", p, m[1])
			}
		}
	}
	goUse := regexp.MustCompile(`(?:\bT\(\w+,\s*|\.T\(|\.N\(|\bt\(|\bsay\("[a-z_.]+",\s*)"([a-z_]+(?:\.[a-z0-9_]+)+)"`)
	for _, p := range append([]string{"../handlers/pages.go", "../handlers/regform.go", "../meetings/zone.go"}, convertedGo...) {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range goUse.FindAllStringSubmatch(string(b), -1) {
			n++
			if !locale.Has(locale.Default, m[1]) {
				t.Errorf("%s uses message %q, which the catalogues lack", p, m[1])
			}
		}
	}
	if n < 100 {
		t.Fatalf("only %d uses of messages found: the pattern no longer matches the pages", n)
	}
}
