package demo_test

import (
	"bytes"
	"context"
	"regexp"
	"strings"
	"testing"

	"rostrum/app"
	"rostrum/demo"
	"rostrum/internal/testenv"
	"rostrum/registration"
	"rostrum/summary"
)

// TestDemoSummaryReadsLikeAChairsSummary holds the grammar of the draft
// on the demo's record: read aloud, it must sound written, not logged.
func TestDemoSummaryReadsLikeAChairsSummary(t *testing.T) {
	a, err := app.New(testenv.Config(t), testenv.Logger(t))
	if err != nil {
		t.Fatal(err)
	}
	defer a.Shutdown(0)
	a.Auth.Cost = 4
	ctx := context.Background()
	if err := demo.Load(ctx, demo.ServicesOf(a), &bytes.Buffer{}); err != nil {
		t.Fatal(err)
	}
	m, err := a.Meetings.BySlug(ctx, demo.Slug)
	if err != nil {
		t.Fatal(err)
	}
	v, err := a.Summary.Version(ctx, m, 1)
	if err != nil {
		t.Fatal(err)
	}
	md := v.Markdown
	body := md[:strings.Index(md, "## Annex I")]

	if strings.Contains(md, ": The") {
		t.Error(`the draft restates a subject after a colon (": The")`)
	}
	// No pasted imperatives: a key point never follows a colon, and no
	// imperative verb of the notes follows "called for" ungerunded.
	for _, bad := range []string{"highlighted:", "noted:", "Key points:"} {
		if strings.Contains(body, bad) {
			t.Errorf("the draft pastes key points: %q", bad)
		}
	}
	if bad := regexp.MustCompile(`(?i)called for (protect|address|share|recognize|implement|build|mainstream|respect) `).FindString(body); bad != "" {
		t.Errorf("an imperative is pasted after a verb: %q", bad)
	}
	if strings.Contains(body, "called for addressing the proliferation") == strings.Contains(body, "Address the proliferation") {
		t.Error(`"Address the proliferation …" is not reported as "called for addressing the proliferation …"`)
	}
	// Country names, not codes, wherever a country is named.
	for _, c := range registration.Countries() {
		for _, code := range []string{"(" + c.Code + ")", "| " + c.Code + " |"} {
			if strings.Contains(md, code) {
				t.Errorf("the draft shows the code %s where the name %q belongs", code, c.Name)
			}
		}
	}
	if regexp.MustCompile(`\d+ min \d+ s`).MatchString(body) {
		t.Error("the body gives a duration as a stopwatch does")
	}
	if !regexp.MustCompile(`total speaking time of (about )?\d+ (hours?|minutes)`).MatchString(body) {
		t.Error("the total speaking time is not said as a person says it")
	}
	if strings.Contains(body, " The Informal") || strings.Contains(body, "the Informal") {
		t.Error("the title keeps its capital mid-sentence")
	}
	for _, want := range []string{"Distr.: General", "Date of issue: ", "Original: English", summary.IssuedLine} {
		if !strings.Contains(md, want) {
			t.Errorf("the heading block lacks %q", want)
		}
	}
	// The body: in full with its acronym at the first mention of the
	// text, by the acronym after.
	text := body[strings.Index(body, "## Introduction"):]
	full := "Open-ended Working Group on developments in the field of information and telecommunications in the context of international security"
	if strings.Count(text, full) != 1 || !strings.Contains(text, "meeting of the "+full+" (OEWG)") || strings.Index(text, "OEWG") < strings.Index(text, full) {
		t.Errorf("the introduction does not define the OEWG at its first mention:\n%s", text[:min(len(text), 700)])
	}
	if !strings.Contains(text, "to the work of the OEWG") {
		t.Error("the closing does not name the body by its acronym")
	}
	// No sentence twice.
	seen := map[string]bool{}
	for _, p := range regexp.MustCompile(`(?m)^\d+\. (.*)$`).FindAllStringSubmatch(body, -1) {
		for _, s := range regexp.MustCompile(`[^.;]+[.;]`).FindAllString(p[1], -1) {
			s = strings.TrimSpace(s)
			if len(s) > 40 && seen[s] && s != "No interventions were made under this item." {
				t.Errorf("sentence repeated: %q", s)
			}
			seen[s] = true
		}
	}
	// One paragraph per theme under each item, and each item opens with
	// who took the floor.
	for i, sec := range strings.Split(body, "## Agenda item")[1:] {
		if strings.Contains(sec, "No interventions were made") {
			continue
		}
		themes := map[string]int{}
		for _, p := range regexp.MustCompile(`(?m)^\d+\. On ([^,]+), `).FindAllStringSubmatch(sec, -1) {
			themes[p[1]]++
		}
		if i < 2 && len(themes) < 2 { // the demo's first two items are over, with notes
			t.Errorf("an item has %d theme paragraphs:\n%s", len(themes), sec)
		}
		for th, n := range themes {
			if n != 1 {
				t.Errorf("theme %q has %d paragraphs", th, n)
			}
		}
		if !regexp.MustCompile(`(?m)^\d+\. (Representatives of \d+ organizations, (among them|all from) .*|A participant from .*) took the floor`).MatchString(sec) {
			t.Errorf("an item does not open with who took the floor:\n%s", sec)
		}
	}
	if t.Failed() {
		t.Log(md)
	}
}
