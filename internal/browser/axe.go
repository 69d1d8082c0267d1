package browser

import (
	"context"
	_ "embed"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// axeSource is axe-core 4.10.2 (see axe/README.md): test-only, never served.
//
//go:embed axe/axe.min.js
var axeSource string

// AxeTags are the rule sets every page must pass: WCAG 2.0, 2.1 and 2.2,
// levels A and AA.
var AxeTags = []string{"wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"}

// AxeViolation is one rule axe-core found broken, with the nodes that
// break it.
type AxeViolation struct {
	ID      string `json:"id"`
	Impact  string `json:"impact"`
	Help    string `json:"help"`
	HelpURL string `json:"helpUrl"`
	Nodes   []struct {
		Target []any  `json:"target"`
		HTML   string `json:"html"`
		Why    string `json:"failureSummary"`
	} `json:"nodes"`
}

func (v AxeViolation) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s (%s): %s", v.ID, v.Impact, v.Help)
	for _, n := range v.Nodes {
		fmt.Fprintf(&b, "\n    %v %s\n      %s", n.Target, n.HTML, strings.ReplaceAll(n.Why, "\n", "\n      "))
	}
	return b.String()
}

// Axe runs axe-core on the page in ctx as it stands (injecting it once
// per document) against AxeTags and returns the violations.
func Axe(t testing.TB, ctx context.Context) []AxeViolation {
	t.Helper()
	if !Value(t, ctx, chromedp.Evaluate[bool](`typeof window.axe === "object"`)) {
		Do(t, ctx, chromedp.Evaluate[chromedp.Void](axeSource+"\n;undefined"))
	}
	tags := `["` + strings.Join(AxeTags, `","`) + `"]`
	return Value(t, ctx, chromedp.Evaluate[[]AxeViolation](
		`axe.run(document, {runOnly: {type: "tag", values: `+tags+`}, resultTypes: ["violations"]}).then((r) => r.violations)`,
		chromedp.EvalAwaitPromise))
}

// NoAxeViolations fails the test with each violation axe-core finds on
// the page in ctx; what names the page and its size in the message.
func NoAxeViolations(t testing.TB, ctx context.Context, what string) {
	t.Helper()
	for _, v := range Axe(t, ctx) {
		t.Errorf("%s: %s", what, v)
	}
}
