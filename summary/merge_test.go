package summary

import (
	"strings"
	"testing"
)

func doc(ps ...string) string { return strings.Join(ps, "\n\n") + "\n" }

func TestMergeByParagraph(t *testing.T) {
	base := doc("# Chair's Summary", "## Agenda item 1: Threats", "1. Took the floor: 3.", "2. Theme A was raised.", "3. Theme B was raised.", "## Agenda item 2: Law", "4. No interventions were made under this item.")
	for _, c := range []struct {
		name, ours, theirs, want string
		conflicts                int
	}{
		{"the secretariat's edit is kept where the generator changed nothing",
			doc("# Chair's Summary", "## Agenda item 1: Threats", "1. Took the floor: 3.", "2. Theme A, as the Chair heard it.", "3. Theme B was raised.", "## Agenda item 2: Law", "4. No interventions were made under this item."),
			base,
			doc("# Chair's Summary", "## Agenda item 1: Threats", "1. Took the floor: 3.", "2. Theme A, as the Chair heard it.", "3. Theme B was raised.", "## Agenda item 2: Law", "4. No interventions were made under this item."), 0},
		{"the generator's change is taken where the secretariat changed nothing, beside an edit of the next paragraph",
			doc("# Chair's Summary", "## Agenda item 1: Threats", "1. Took the floor: 3.", "2. Theme A, edited.", "3. Theme B was raised.", "## Agenda item 2: Law", "4. No interventions were made under this item."),
			doc("# Chair's Summary", "## Agenda item 1: Threats", "1. Took the floor: 4.", "2. Theme A was raised.", "3. Theme B was raised.", "## Agenda item 2: Law", "4. Theme C was raised."),
			doc("# Chair's Summary", "## Agenda item 1: Threats", "1. Took the floor: 4.", "2. Theme A, edited.", "3. Theme B was raised.", "## Agenda item 2: Law", "4. Theme C was raised."), 0},
		{"renumbered paragraphs are matched without their numbers",
			doc("# Chair's Summary", "## Agenda item 1: Threats", "1. Took the floor: 3.", "2. Theme A was raised.", "3. Theme B, edited.", "## Agenda item 2: Law", "4. No interventions were made under this item."),
			doc("# Chair's Summary", "## Agenda item 1: Threats", "1. Took the floor: 3.", "2. Theme 0 is new.", "3. Theme A was raised.", "4. Theme B was raised.", "## Agenda item 2: Law", "5. No interventions were made under this item."),
			doc("# Chair's Summary", "## Agenda item 1: Threats", "1. Took the floor: 3.", "2. Theme 0 is new.", "3. Theme A was raised.", "4. Theme B, edited.", "## Agenda item 2: Law", "5. No interventions were made under this item."), 0},
		{"a deleted paragraph stays deleted",
			doc("# Chair's Summary", "## Agenda item 1: Threats", "1. Took the floor: 3.", "2. Theme B was raised.", "## Agenda item 2: Law", "3. No interventions were made under this item."),
			doc("# Chair's Summary", "## Agenda item 1: Threats", "1. Took the floor: 3.", "2. Theme A was raised.", "3. Theme B was raised.", "## Agenda item 2: Law", "4. Theme C was raised."),
			doc("# Chair's Summary", "## Agenda item 1: Threats", "1. Took the floor: 3.", "2. Theme B was raised.", "## Agenda item 2: Law", "3. Theme C was raised."), 0},
		{"an added paragraph stays in place, and the numbers follow",
			doc("# Chair's Summary", "## Agenda item 1: Threats", "1. Took the floor: 3.", "2. Theme A was raised.", "3. The Chair added this.", "4. Theme B was raised.", "## Agenda item 2: Law", "5. No interventions were made under this item."),
			doc("# Chair's Summary", "## Agenda item 1: Threats", "1. Took the floor: 4.", "2. Theme A was raised.", "3. Theme B was raised.", "## Agenda item 2: Law", "4. No interventions were made under this item."),
			doc("# Chair's Summary", "## Agenda item 1: Threats", "1. Took the floor: 4.", "2. Theme A was raised.", "3. The Chair added this.", "4. Theme B was raised.", "## Agenda item 2: Law", "5. No interventions were made under this item."), 0},
		{"both changed a paragraph differently: a conflict keeps both",
			doc("# Chair's Summary", "## Agenda item 1: Threats", "1. Took the floor: 3.", "2. Theme A, as the Chair heard it.", "3. Theme B was raised.", "## Agenda item 2: Law", "4. No interventions were made under this item."),
			doc("# Chair's Summary", "## Agenda item 1: Threats", "1. Took the floor: 3.", "2. Theme A was raised by more.", "3. Theme B was raised.", "## Agenda item 2: Law", "4. No interventions were made under this item."),
			doc("# Chair's Summary", "## Agenda item 1: Threats", "1. Took the floor: 3.",
				"<!-- conflict 1: the secretariat's text -->", "2. Theme A, as the Chair heard it.",
				"<!-- conflict 1: the text generated for version 2 -->", "2. Theme A was raised by more.",
				"<!-- end of conflict 1 -->", "3. Theme B was raised.", "## Agenda item 2: Law", "4. No interventions were made under this item."), 1},
		{"a deleted paragraph the generator changed comes back as a conflict",
			doc("# Chair's Summary", "## Agenda item 1: Threats", "1. Took the floor: 3.", "2. Theme B was raised.", "## Agenda item 2: Law", "3. No interventions were made under this item."),
			doc("# Chair's Summary", "## Agenda item 1: Threats", "1. Took the floor: 3.", "2. Theme A was raised twice.", "3. Theme B was raised.", "## Agenda item 2: Law", "4. No interventions were made under this item."),
			doc("# Chair's Summary", "## Agenda item 1: Threats", "1. Took the floor: 3.",
				"<!-- conflict 1: the secretariat deleted this paragraph -->",
				"<!-- conflict 1: the text generated for version 2 -->", "2. Theme A was raised twice.",
				"<!-- end of conflict 1 -->", "3. Theme B was raised.", "## Agenda item 2: Law", "4. No interventions were made under this item."), 1},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := Merge(base, c.ours, c.theirs, 2)
			if got.Markdown != c.want {
				t.Errorf("got:\n%s\nwant:\n%s", got.Markdown, c.want)
			}
			if got.Conflicts != c.conflicts || len(Conflicts(got.Markdown)) != c.conflicts {
				t.Errorf("%d conflicts (%d found again), want %d", got.Conflicts, len(Conflicts(got.Markdown)), c.conflicts)
			}
		})
	}
}

// A draft nobody edited becomes the new draft exactly, and a real draft
// merged with an edit of itself loses nothing.
func TestMergeOfAnUneditedDraftIsTheNewDraft(t *testing.T) {
	old := Draft(recordedMeeting(""))
	r := recordedMeeting("")
	r.Items[0].Interventions = r.Items[0].Interventions[:1]
	now := Draft(r)
	if got := Merge(old, old, now, 2); got.Markdown != now || got.Conflicts != 0 {
		t.Fatalf("unedited: conflicts %d, changed:\n%s", got.Conflicts, got.Markdown)
	}
	ps := splitParagraphs(old)
	last := ps[len(ps)-1]
	edited := strings.Replace(old, last, last+" Edited by the secretariat.", 1)
	got := Merge(old, edited, old, 2)
	if got.Markdown != edited {
		t.Fatalf("an edit against the same draft was not kept")
	}
}

// A marker left in a draft shows as a bracketed note in every rendering.
func TestConflictMarkersRenderAsNotes(t *testing.T) {
	d := Parse(doc("1. Kept.", "<!-- conflict 1: the secretariat's text -->", "2. Ours.", "<!-- end of conflict 1 -->"))
	var texts []string
	for _, b := range d.Blocks {
		texts = append(texts, PlainText(b.Spans))
	}
	got := strings.Join(texts, "|")
	if want := "Kept.|[conflict 1: the secretariat's text]|Ours.|[end of conflict 1]"; got != want {
		t.Fatalf("got %q, want %q", got, want)
	}
	if h := HTML(d); strings.Contains(h, "&lt;!--") || strings.Contains(h, "<!--") {
		t.Fatalf("the marker shows as markup: %s", h)
	}
}

// A conflict left unresolved in the last version stays, and a new one is
// numbered after it.
func TestUnresolvedConflictsCarryForwardWithTheirNumbers(t *testing.T) {
	base := doc("1. A.", "2. B.")
	ours := doc("<!-- conflict 1: the secretariat's text -->", "1. A, ours.", "<!-- conflict 1: the text generated for version 2 -->", "1. A, new.", "<!-- end of conflict 1 -->", "2. B, ours.")
	theirs := doc("1. A.", "2. B, new.")
	got := Merge(base, ours, theirs, 3)
	cs := Conflicts(got.Markdown)
	if got.Conflicts != 2 || len(cs) != 2 || cs[0].Number+cs[1].Number != 3 {
		t.Fatalf("conflicts %+v in:\n%s", cs, got.Markdown)
	}
	for _, want := range []string{"A, ours.", "A, new.", "B, ours.", "B, new."} {
		if !strings.Contains(got.Markdown, want) {
			t.Errorf("%q lost:\n%s", want, got.Markdown)
		}
	}
	if !strings.Contains(got.Markdown, "<!-- conflict 1: the secretariat's text -->\n\n1. A, ours.\n\n<!-- conflict 1: the text generated for version 2 -->\n\n1. A, new.") {
		t.Errorf("the old conflict's sides are not numbered alike:\n%s", got.Markdown)
	}
}
