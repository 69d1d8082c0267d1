package handlers_test

import (
	"strings"
	"testing"

	"rostrum/internal/testenv"
)

// TestSummaryHeadingCarriesTheMeetingsDocumentSymbol: the symbol given
// when the meeting is created heads its Chair's summary, with the
// distribution, date of issue and original language.
func TestSummaryHeadingCarriesTheMeetingsDocumentSymbol(t *testing.T) {
	e := testenv.New(t)
	admin := e.Admin()
	in := meetingInput("sym")
	in["symbol"] = " A/AC.290/2020/INF/1 "
	var m struct {
		Symbol string `json:"symbol"`
	}
	admin.MustJSON("POST", "/api/meetings", in, 201, &m)
	if m.Symbol != "A/AC.290/2020/INF/1" {
		t.Fatalf("symbol %q", m.Symbol)
	}
	in = meetingInput("sym-long")
	in["symbol"] = strings.Repeat("A/", 31)
	if res := admin.Do("POST", "/api/meetings", in); res.Status != 422 && res.Status != 400 {
		t.Fatalf("a 62-character symbol: %d %s", res.Status, res.Body)
	}
	var v versionOut
	admin.MustJSON("POST", "/api/meetings/sym/summary", nil, 201, &v)
	want := "# Chair's Summary\n\nDistr.: General\n\nA/AC.290/2020/INF/1\n\nDate of issue: "
	if !strings.HasPrefix(v.Markdown, want) || !strings.Contains(v.Markdown, "\n\nOriginal: English\n\n") {
		t.Fatalf("heading block:\n%s", v.Markdown[:min(len(v.Markdown), 400)])
	}
}
