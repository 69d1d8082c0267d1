package summary

import (
	"encoding/json"
	"strings"
)

// KeyPoint is one point a rapporteur drew from an intervention, tagged
// with the theme it belongs to (free text; the notes page suggests the
// item's earlier themes). The draft writes one paragraph per theme.
type KeyPoint struct {
	Text  string `json:"text"`
	Theme string `json:"theme"`
}

// UnmarshalJSON accepts a key point as an object {"text","theme"} or, as
// notes stored and clients written before themes send it, as a plain
// string (a point without a theme).
func (k *KeyPoint) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		*k = KeyPoint{Text: s}
		return nil
	}
	type plain KeyPoint
	var p plain
	if err := json.Unmarshal(b, &p); err != nil {
		return err
	}
	*k = KeyPoint(p)
	return nil
}

// Points makes untagged key points of texts, for callers that have no
// themes.
func Points(texts ...string) []KeyPoint {
	out := make([]KeyPoint, len(texts))
	for i, t := range texts {
		out[i] = KeyPoint{Text: t}
	}
	return out
}

// themeKey folds a theme for grouping: case and spacing do not make two
// themes.
func themeKey(t string) string { return strings.ToLower(strings.Join(strings.Fields(t), " ")) }
