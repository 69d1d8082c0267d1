package redact

import "testing"

func TestJSONValueReplacesWholeStringsOnly(t *testing.T) {
	doc := `{"name":"Li","promoted":[{"id":3,"name":"Liam"}],"actor":"Li"}`
	got := JSONValue(doc, "Li", "")
	want := `{"name":"","promoted":[{"id":3,"name":"Liam"}],"actor":""}`
	if got != want {
		t.Fatalf("got %s, want %s", got, want)
	}
}

func TestJSONValueMatchesAsEncodingJSONEscapes(t *testing.T) {
	doc := `{"name":"A \u003cb\u003e \"Q\""}`
	if got := JSONValue(doc, `A <b> "Q"`, ""); got != `{"name":""}` {
		t.Fatalf("got %s", got)
	}
}

func TestProseIgnoresCaseAndShortNames(t *testing.T) {
	if got := Prose("Ms Ada Lovelace spoke; ada lovelace agreed.", "Ada Lovelace"); got != "Ms [name erased] spoke; [name erased] agreed." {
		t.Fatalf("got %q", got)
	}
	if got := Prose("a b c", "a"); got != "a b c" {
		t.Fatalf("a one-letter name changed prose: %q", got)
	}
}

func TestProseInJSONKeepsTheDocumentValid(t *testing.T) {
	got := ProseInJSON(`[{"text":"Zoë \"Z\" Ng said so","theme":""}]`, `Zoë "Z" Ng`)
	if got != `[{"text":"[name erased] said so","theme":""}]` {
		t.Fatalf("got %s", got)
	}
}

func TestLikeEscapesWildcards(t *testing.T) {
	if got := Like(`50%_a\b`); got != `50\%\_a\\b` {
		t.Fatalf("got %s", got)
	}
}
