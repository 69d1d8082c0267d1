// Package textcheck holds the rules for the short text people type into
// Rostrum and others read: names, organizations, job titles, agenda
// titles. Such text is shown on the room's screen, in the live list and in
// the Chair's summary, so it must not carry characters that change how the
// text around it is displayed.
package textcheck

import (
	"fmt"
	"strings"
	"unicode"
)

// IsBidiControl reports whether r is an invisible character that steers
// the Unicode bidirectional algorithm: the embeddings and overrides
// (U+202A–U+202E), the isolates (U+2066–U+2069) and the direction marks
// (U+200E, U+200F, U+061C). In a name they make the text read differently
// from what was stored (after U+202E, "txet" is shown as "text"), reorder
// what is shown after it on the same line, or make two different names
// look alike. Names in Arabic or Hebrew need none of them: the
// bidirectional algorithm orders their letters by itself.
func IsBidiControl(r rune) bool {
	switch {
	case r >= '\u202A' && r <= '\u202E', r >= '\u2066' && r <= '\u2069':
		return true
	case r == '\u200E', r == '\u200F', r == '\u061C':
		return true
	}
	return false
}

// Problem returns why a line of text v is refused, in English, or ""
// when it is fine: it must hold no control characters (line breaks, tabs
// and other C0/C1 controls; multiline allows line breaks and tabs) and no
// bidirectional controls. v is assumed to be valid UTF-8.
func Problem(v string, multiline bool) string {
	switch id, r := Fault(v, multiline); id {
	case FaultBidi:
		return fmt.Sprintf("must not contain invisible characters that change the direction of text (U+%04X)", r)
	case FaultControls:
		return "must not contain control characters"
	case FaultSingleLine:
		return "must be a single line without control characters"
	}
	return ""
}

// The faults Fault reports, as ids of the messages that explain them in
// the catalogues of package locale (whose {{.Char}} names the character).
const (
	FaultBidi       = "err.field.bidi"
	FaultControls   = "err.field.controls"
	FaultSingleLine = "err.field.single_line"
)

// Fault is Problem as a message id and the character at fault ("" when
// v is fine), for callers that write the message in the reader's
// language.
func Fault(v string, multiline bool) (id string, r rune) {
	if i := strings.IndexFunc(v, IsBidiControl); i >= 0 {
		return FaultBidi, []rune(v[i:])[0]
	}
	if i := strings.IndexFunc(v, func(r rune) bool {
		return unicode.IsControl(r) && !(multiline && (r == '\n' || r == '\r' || r == '\t'))
	}); i >= 0 {
		r := []rune(v[i:])[0]
		if multiline {
			return FaultControls, r
		}
		return FaultSingleLine, r
	}
	return "", 0
}
