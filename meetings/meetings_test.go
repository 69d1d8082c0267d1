package meetings

import (
	"testing"

	"rostrum/apperr"
)

func TestAgendaTitlesRefuseControlAndBidiCharacters(t *testing.T) {
	cases := []struct {
		title string
		ok    bool
	}{
		{"International law", true},
		{"القانون الدولي", true},
		{"Law\u202E (suspended)", false},
		{"\u2066Capacity-building\u2069", false},
		{"Norms\u200F", false},
		{"Norms\nand rules", false},
		{"Norms\x07", false},
	}
	for _, c := range cases {
		_, err := ItemInput{Title: c.title}.Item(1)
		if c.ok != (err == nil) {
			t.Errorf("title %q: %v", c.title, err)
		}
		if !c.ok && !apperr.Is(err, apperr.KindInvalid) {
			t.Errorf("title %q: %v, want an Invalid error", c.title, err)
		}
	}
}
