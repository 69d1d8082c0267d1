package static

import (
	"io/fs"
	"regexp"
	"strings"
	"testing"
)

// The Content-Security-Policy (script-src 'self'; style-src 'self')
// blocks inline scripts, event-handler attributes and style attributes,
// so a page that relies on one is broken in the browser. Every page shell
// must load its code and style from files.
var (
	scriptTag = regexp.MustCompile(`(?is)<script\b([^>]*)>(.*?)</script>`)
	srcAttr   = regexp.MustCompile(`(?i)\ssrc\s*=`)
	// A JSON data block (the page's message catalogue) is never executed:
	// script-src does not apply to it, and scripts read it as text.
	dataBlock = regexp.MustCompile(`(?i)\stype\s*=\s*"application/json"`)
)

var inlineCode = []struct {
	what  string
	match func(page string) (int, bool) // offset of the first offence
}{
	{"an inline <script>", func(page string) (int, bool) {
		for _, m := range scriptTag.FindAllStringSubmatchIndex(page, -1) {
			attrs, body := page[m[2]:m[3]], page[m[4]:m[5]]
			if dataBlock.MatchString(attrs) {
				continue
			}
			if !srcAttr.MatchString(attrs) || strings.TrimSpace(body) != "" {
				return m[0], true
			}
		}
		return 0, false
	}},
	{"a <style> element", find(`(?i)<style\b`)},
	{"a style attribute", find(`(?i)<[a-z][^>]*\sstyle\s*=`)},
	{"an event-handler attribute", find(`(?i)<[a-z][^>]*\son[a-z]+\s*=`)},
	{"a javascript: URL", find(`(?i)(href|src|action)\s*=\s*["']?\s*javascript:`)},
}

func find(expr string) func(string) (int, bool) {
	re := regexp.MustCompile(expr)
	return func(page string) (int, bool) {
		if loc := re.FindStringIndex(page); loc != nil {
			return loc[0], true
		}
		return 0, false
	}
}

func TestPagesHaveNoInlineScriptOrStyle(t *testing.T) {
	pages, err := fs.Glob(FS, "pages/*")
	if err != nil || len(pages) == 0 {
		t.Fatalf("no pages: %v", err)
	}
	for _, p := range pages {
		b, err := FS.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range inlineCode {
			if at, bad := c.match(string(b)); bad {
				line := 1 + strings.Count(string(b[:at]), "\n")
				t.Errorf("%s:%d has %s, which the Content-Security-Policy blocks: put it in static/js or static/css", p, line, c.what)
			}
		}
	}
}

func TestTheRulesCatchInlineCode(t *testing.T) {
	for _, bad := range []string{
		`<script>alert(1)</script>`, `<SCRIPT type="module">import "./x.js"</SCRIPT>`, `<style>p{}</style>`,
		`<p style="color:red">`, `<button onclick="go()">`, `<a href="javascript:go()">`,
	} {
		found := false
		for _, c := range inlineCode {
			_, hit := c.match(bad)
			found = found || hit
		}
		if !found {
			t.Errorf("not caught: %s", bad)
		}
	}
	for _, good := range []string{
		`<script type="module" src="/static/js/admin.js"></script>`, `<link rel="stylesheet" href="/static/css/rostrum.css">`,
		`<p class="notice">Press "on" = yes</p>`, `<button type="submit">Register</button>`,
		`<script type="application/json" id="i18n">{"a":"b"}</script>`,
	} {
		for _, c := range inlineCode {
			if _, hit := c.match(good); hit {
				t.Errorf("%q wrongly flagged as %s", good, c.what)
			}
		}
	}
}
