// Package redact is how the owners of stored text take a person's name
// or address out of it when their personal data are erased (package
// privacy): out of JSON documents (audit details, live patches, key
// points) as whole string values, and out of prose (rapporteurs' notes)
// wherever it is written. It is a leaf: it knows no table.
package redact

import (
	"encoding/json"
	"regexp"
	"strings"
	"unicode/utf8"
)

// Placeholder stands where an erased name was written in prose.
const Placeholder = "[name erased]"

// quoted is s as encoding/json writes it, quotes included.
func quoted(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// JSONValue replaces, in the JSON document doc, every string value (or
// key) that is exactly value with with. Only whole strings match, so a
// name that is part of another ("Li" in "Liam") is left alone.
func JSONValue(doc, value, with string) string {
	if value == "" {
		return doc
	}
	return strings.ReplaceAll(doc, quoted(value), quoted(with))
}

// JSONMentions reports whether doc holds value as a whole string.
func JSONMentions(doc, value string) bool {
	return value != "" && strings.Contains(doc, quoted(value))
}

// Prose replaces every occurrence of name in text, whatever its case,
// with Placeholder. Names shorter than two characters are left: they
// would match inside ordinary words.
func Prose(text, name string) string {
	name = strings.TrimSpace(name)
	if utf8.RuneCountInString(name) < 2 {
		return text
	}
	re := regexp.MustCompile(`(?i)` + regexp.QuoteMeta(name))
	return re.ReplaceAllLiteralString(text, Placeholder)
}

// ProseInJSON is Prose inside the string values of the JSON document doc
// (a note's key points): the name is matched as encoding/json wrote it.
func ProseInJSON(doc, name string) string {
	name = strings.TrimSpace(name)
	if utf8.RuneCountInString(name) < 2 {
		return doc
	}
	inner := strings.TrimSuffix(strings.TrimPrefix(quoted(name), `"`), `"`)
	re := regexp.MustCompile(`(?i)` + regexp.QuoteMeta(inner))
	return re.ReplaceAllLiteralString(doc, Placeholder)
}

// Like escapes s for a LIKE pattern written with ESCAPE '\'.
func Like(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// Quoted is s as a JSON string, quotes included, for a LIKE pattern that
// finds documents holding s as a whole value.
func Quoted(s string) string { return quoted(s) }
