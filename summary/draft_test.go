package summary

import (
	"regexp"
	"strconv"
	"strings"
	"testing"

	"rostrum/models"
)

var orgNames = []string{
	"Fundación Ñandú para la Ciberseguridad", "Κέντρο Ψηφιακών Δικαιωμάτων", "Технологии Будущего ООО",
	"東京サイバー研究所株式会社", "جامعة القاهرة", "מכון טכניון לאבטחת מידע", "Evil",
}

// body is the summary before Annex II, the list of participating
// organizations (an attendance list, which names organizations in both
// modes but never links one to a statement).
func body(md string) string {
	i := strings.Index(md, "## Annex II")
	if i < 0 {
		return md
	}
	return md[:i]
}

func TestChathamHouseDraftNamesNoOrganization(t *testing.T) {
	md := Draft(recordedMeeting(models.AttributionChathamHouse))
	b := body(md)
	for _, name := range orgNames {
		if strings.Contains(b, Escape(name)) || strings.Contains(b, name) {
			t.Errorf("organization %q is named in the body under the Chatham House Rule", name)
		}
	}
	// No country codes attached to statements either (they identify).
	for _, cc := range []string{"(AR)", "(GR)", "(RU)", "(JP)", "(EG)", "(IL)", "(XX)"} {
		if strings.Contains(b, cc) {
			t.Errorf("country %s appears in the body under the Chatham House Rule", cc)
		}
	}
	for _, want := range []string{
		"a participant from the private sector also described supply-chain attacks", // the supply-chain note, unattributed
		"A participant from academia argued that the UN Charter applies",
		"a participant from the private sector also asked “How would due diligence",
		"Participants from civil society called for protecting critical infrastructure;",
	} {
		if !strings.Contains(md, strings.ReplaceAll(want, "\\-", "-")) {
			t.Errorf("draft lacks %q:\n%s", want, b)
		}
	}
	if !strings.Contains(md, "Chatham House Rule") {
		t.Error("the introduction does not say the meeting was under the Chatham House Rule")
	}
}

func TestAttributedDraftNamesTheOrganization(t *testing.T) {
	md := Draft(recordedMeeting(models.AttributionAttributed))
	b := body(md)
	for _, want := range []string{
		"the representative of Технологии Будущего ООО (Russia) also described supply-chain attacks observed in 2019;",
		"The representative of جامعة القاهرة (Egypt) argued that the UN Charter applies in its entirety;",
		"the representative of 東京サイバー研究所株式会社 (Japan) also asked “How would due diligence apply to cloud providers?”",
		"The representatives of Fundación Ñandú para la Ciberseguridad (Argentina) and Κέντρο Ψηφιακών Δικαιωμάτων (Greece) called for protecting critical infrastructure;",
	} {
		if !strings.Contains(b, want) {
			t.Errorf("draft lacks %q", want)
		}
	}
	if strings.Contains(b, "A participant from") {
		t.Error("attributed draft speaks of anonymous participants")
	}
}

func TestDraftHasHeadingBlockIntroductionSectionsAndAnnexes(t *testing.T) {
	md := Draft(recordedMeeting(models.AttributionChathamHouse))
	order := []string{
		"# Chair's Summary", "Distr.: General", "Date of issue: ", "Original: English",
		"**Informal intersessional consultative meeting of the OEWG**",
		"2–4 December 2019, United Nations Headquarters, New York",
		"*This summary is issued under the responsibility of the Chair and is not a negotiated document.*",
		"## Introduction",
		"1. The informal intersessional consultative meeting of the OEWG was held at United Nations Headquarters, New York from 2 to 4 December 2019. The meeting was chaired by Mr. David Koh.",
		"Representatives of 7 organizations took part in the meeting, namely 2 non-governmental organizations, 2 private sector entities, 1 academic or research institution, 1 technical community organization and 1 other stakeholder.",
		"In all, 7 interventions were made under 3 agenda items, with a total speaking time of 14 minutes.",
		"## Agenda item 1: Existing and potential threats", "## Agenda item 2: International law",
		"## Agenda item 3: Capacity\\-building", "No interventions were made under this item.",
		"## Closing of the meeting", "closed the meeting on 4 December 2019.",
		"This summary is issued under the responsibility of the Chair and is not a negotiated document.",
		"## Annex I: Programme", "| 1 | Existing and potential threats |",
		"## Annex II: Participating organizations", "### Non-governmental organizations",
		"| Fundación Ñandú para la Ciberseguridad | Argentina |", "### Private sector", "| 東京サイバー研究所株式会社 | Japan |",
		"## Annex III: Statistics", "| Non-governmental organizations | 2 | 2 | 5 min 30 s |",
		"| **Total** | **7** | **7** | **14 min 00 s** |", "```chart\nInterventions by stakeholder group\nNon-governmental organizations | 2",
		"```chart\nSpeaking time by stakeholder group (minutes)\nNon-governmental organizations | 5.5",
	}
	pos := 0
	for _, want := range order {
		// "Capacity-building" has its hyphen escaped only at the start of
		// a text; in a heading it is mid-line and left alone.
		want = strings.ReplaceAll(want, "\\-", "-")
		i := strings.Index(md[pos:], want)
		if i < 0 {
			t.Fatalf("draft lacks (in order) %q after byte %d:\n%s", want, pos, md)
		}
		pos += i + len(want)
	}
}

func TestDraftNumbersParagraphsThroughTheDocument(t *testing.T) {
	doc := Parse(Draft(recordedMeeting(models.AttributionAttributed)))
	want := 1
	for _, b := range doc.Blocks {
		if b.Kind == BlockNumbered {
			if b.Number != want {
				t.Fatalf("paragraph numbered %d, want %d", b.Number, want)
			}
			want++
		}
	}
	// 4 introduction + item 1 (who spoke, 1 untagged theme) + item 2 (who
	// spoke, 1) + item 3 (1) + closing (2)
	if want-1 != 11 {
		t.Fatalf("%d numbered paragraphs, want 11", want-1)
	}
}

func TestHostileTextStaysTextInTheMarkdown(t *testing.T) {
	doc := Parse(Draft(recordedMeeting(models.AttributionAttributed)))
	var all strings.Builder
	for _, b := range doc.Blocks {
		if b.Kind == BlockHeading && b.Level < 2 {
			continue
		}
		for _, s := range b.Spans {
			if s.Link != "" {
				t.Errorf("a note became a link to %q", s.Link)
			}
			if (s.Bold || s.Italic) && strings.Contains(s.Text, "Evil") {
				t.Errorf("a name became emphasis: %+v", s)
			}
		}
		if b.Kind == BlockHeading && strings.Contains(PlainText(b.Spans), "Heading") {
			t.Errorf("a note became a heading: %q", PlainText(b.Spans))
		}
		all.WriteString(PlainText(b.Spans))
		if b.Table != nil {
			for _, r := range b.Table.Rows {
				for _, c := range r {
					all.WriteString(PlainText(c) + "\n")
				}
			}
		}
	}
	text := all.String()
	for _, want := range []string{
		"<script>alert(1)</script> **Evil** </w:t> =cmd|' /C calc'!A0",
		`<img src=x onerror=alert(1)> # Heading - list **bold** [link](javascript:alert(1)) </w:t><w:t>injected =HYPERLINK("x")`,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the document does not read %q as text:\n%s", want, text)
		}
	}
}

func TestEscapeRoundTripsEveryPunctuation(t *testing.T) {
	cases := []string{
		"a*b*c _d_ `e` [f](g) <h> &amp; | ~~i~~ \\ !",
		"# not a heading", "- not a list", "1. not a list", "2019) neither", "+ no", "=cmd", "> no quote",
		"***", "<!-- comment -->", "&#x41;", "[x]: http://ref", "   leading spaces", "line\nbreak\n\nparagraph",
	}
	for _, in := range cases {
		doc := Parse("1. " + Escape(in) + "\n\n| a |\n| - |\n| " + Escape(in) + " |\n")
		if len(doc.Blocks) != 2 || doc.Blocks[0].Kind != BlockNumbered || doc.Blocks[1].Kind != BlockTable {
			t.Errorf("%q: structure changed: %+v", in, doc.Blocks)
			continue
		}
		want := cleanText(in)
		if got := PlainText(doc.Blocks[0].Spans); got != want {
			t.Errorf("paragraph: %q → %q, want %q", in, got, want)
		}
		if got := PlainText(doc.Blocks[1].Table.Rows[0][0]); got != want {
			t.Errorf("cell: %q → %q, want %q", in, got, want)
		}
	}
}

func TestDatesFollowUNStyle(t *testing.T) {
	r := recordedMeeting("")
	if got := Dates(r.StartsAt, r.EndsAt, "America/New_York"); got != "2–4 December 2019" {
		t.Errorf("got %q", got)
	}
	if got := Dates(r.StartsAt, r.StartsAt.AddDate(0, 1, 0), "UTC"); got != "2 December 2019 – 2 January 2020" {
		t.Errorf("got %q", got)
	}
	if got := Dates(r.StartsAt, r.StartsAt, "UTC"); got != "2 December 2019" {
		t.Errorf("got %q", got)
	}
}

var numberedLine = regexp.MustCompile(`(?m)^(\d+)\. `)

func TestEditedMarkdownKeepsItsNumbers(t *testing.T) {
	md := "# Chair's Summary\n\n## Item\n\n7. Seventh.\n\n8. Eighth.\n"
	doc := Parse(md)
	var got []string
	for _, b := range doc.Blocks {
		if b.Kind == BlockNumbered {
			got = append(got, strconv.Itoa(b.Number))
		}
	}
	if strings.Join(got, ",") != "7,8" {
		t.Fatalf("numbers %v", got)
	}
	_ = numberedLine
}

// FuzzEscapeReadsAsText: any text, escaped, reads back as exactly that
// text (one line) in a numbered paragraph and in a table cell, and never
// changes the document's structure.
func FuzzEscapeReadsAsText(f *testing.F) {
	for _, s := range []string{"a*b_c", "# h", "1. x", "<script>", "&amp;", "`code`", "[a](b)", "| x |", "\\", "~~s~~", "2019) x", "--- ", "<http://x>", "=cmd"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want := cleanText(s)
		if want == "" {
			return
		}
		doc := Parse("1. " + Escape(s) + "\n\n| a |\n| - |\n| " + Escape(s) + " |\n")
		if len(doc.Blocks) != 2 || doc.Blocks[0].Kind != BlockNumbered || doc.Blocks[1].Kind != BlockTable ||
			len(doc.Blocks[1].Table.Rows) != 1 || len(doc.Blocks[1].Table.Rows[0]) != 1 {
			t.Fatalf("%q changed the structure: %+v", s, doc.Blocks)
		}
		if got := PlainText(doc.Blocks[0].Spans); got != want {
			t.Fatalf("paragraph %q → %q, want %q", s, got, want)
		}
		if got := PlainText(doc.Blocks[1].Table.Rows[0][0]); got != want {
			t.Fatalf("cell %q → %q, want %q", s, got, want)
		}
		for _, sp := range append(doc.Blocks[0].Spans, doc.Blocks[1].Table.Rows[0][0]...) {
			if sp.Bold || sp.Italic || sp.Code || sp.Link != "" || sp.Break {
				t.Fatalf("%q gained a style: %+v", s, sp)
			}
		}
	})
}

func TestDraftWritesItsFixedWordingInTheMeetingsLanguage(t *testing.T) {
	r := recordedMeeting(models.AttributionChathamHouse)
	r.Language = "fr"
	md := Draft(r)
	order := []string{
		"# Résumé du Président", "Distr. générale", "Date de publication : ", "Original : français",
		"*Le présent résumé est publié sous la responsabilité du Président et n'est pas un document négocié.*",
		"## Introduction", "la règle de Chatham House",
		"## Point 1 de l'ordre du jour : Existing and potential threats",
		"Aucune intervention n'a été faite au titre de ce point.",
		"## Clôture de la réunion", "a clos la réunion le 4 décembre 2019.",
		"## Annexe I : Programme", "## Annexe II : Organisations participantes", "### Organisations non gouvernementales",
		"| Fundación Ñandú para la Ciberseguridad | Argentine |", "## Annexe III : Statistiques",
		"| **Total** |", "```chart\nInterventions par groupe de parties prenantes\nOrganisations non gouvernementales | 2",
	}
	pos := 0
	for _, want := range order {
		i := strings.Index(md[pos:], want)
		if i < 0 {
			t.Fatalf("French draft lacks (in order) %q after byte %d:\n%s", want, pos, md)
		}
		pos += i + len(want)
	}
}
