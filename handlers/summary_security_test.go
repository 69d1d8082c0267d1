package handlers_test

import (
	"strings"
	"testing"

	"rostrum/internal/testenv"
)

// TestSummaryPreviewOfPathologicalMarkdownAnswers posts 1 MiB of
// unclosed links, which once kept a core busy for minutes (finding 6 of
// the security review) and outlived the request. Rendering is linear now,
// so the answer comes well within the client's 30-second timeout.
func TestSummaryPreviewOfPathologicalMarkdownAnswers(t *testing.T) {
	e := testenv.New(t)
	admin := e.Admin()
	admin.MustJSON("POST", "/api/meetings", meetingInput("patho"), 201, nil)
	for _, unit := range []string{"[a](", "[a](b (", ">", "["} {
		md := strings.Repeat(unit, (1<<20-64)/len(unit))
		var out struct {
			HTML string `json:"html"`
		}
		// Sent as is: encoding/json would spell ">" in six bytes.
		admin.MustJSON("POST", "/api/meetings/patho/summary/preview", `{"markdown":"`+md+`"}`, 200, &out)
		if !strings.HasPrefix(out.HTML, `<article class="chair-summary">`) {
			t.Errorf("%q: preview is not a summary: %.80s", unit, out.HTML)
		}
	}
}
