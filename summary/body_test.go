package summary

import (
	"strings"
	"testing"

	"rostrum/models"
)

const oewgFull = "Open-ended Working Group on developments in the field of information and telecommunications in the context of international security"

// afterHeading is the summary's text after its heading block (which ends
// with the "not a negotiated document" line).
func afterHeading(t *testing.T, md string) (heading, text string) {
	t.Helper()
	i := strings.Index(md, "## Introduction")
	if i < 0 {
		t.Fatalf("no introduction:\n%s", md)
	}
	return md[:i], md[i:]
}

// TestBodyIsNamedInFullWithItsAcronymAtFirstMentionThenByTheAcronym: the
// heading block gives the body's full name with its acronym; in the
// text, the first mention defines the acronym by the full name (inside
// the title when the title names the body) and every later one uses the
// acronym alone.
func TestBodyIsNamedInFullWithItsAcronymAtFirstMentionThenByTheAcronym(t *testing.T) {
	r := recordedMeeting(models.AttributionChathamHouse)
	r.Title = "Informal intersessional consultative meeting of the OEWG"
	r.Body, r.BodyAcronym = "the "+oewgFull, "OEWG"
	heading, text := afterHeading(t, Draft(r))
	if !strings.Contains(heading, "\n"+oewgFull+" (OEWG)\n") {
		t.Errorf("the heading block does not give the body's full name and acronym:\n%s", heading)
	}
	first := strings.Index(text, "OEWG")
	if first < 0 || !strings.HasPrefix(text[first-len(oewgFull)-2:], oewgFull+" (OEWG)") {
		t.Fatalf("the first mention of the OEWG in the text does not define it:\n%s", text)
	}
	if !strings.Contains(text, "The informal intersessional consultative meeting of the "+oewgFull+" (OEWG) was held") {
		t.Errorf("the title's acronym is not replaced by its definition:\n%s", text[:400])
	}
	if n := strings.Count(text, oewgFull); n != 1 {
		t.Errorf("the full name appears %d times in the text, want once", n)
	}
	if !strings.Contains(text, "contributions to the work of the OEWG and closed the meeting") {
		t.Errorf("a later mention does not use the acronym:\n%s", text)
	}
}

// TestBodyNotInTheTitleIsDefinedInAClauseAfterIt: a title that does not
// name the body is followed by a clause that does.
func TestBodyNotInTheTitleIsDefinedInAClauseAfterIt(t *testing.T) {
	r := recordedMeeting(models.AttributionChathamHouse)
	r.Title = "Multistakeholder consultation on cybercrime"
	r.Body, r.BodyAcronym = "Ad Hoc Committee to Elaborate a Comprehensive International Convention on Countering the Use of Information and Communications Technologies for Criminal Purposes", "the Committee"
	_, text := afterHeading(t, Draft(r))
	want := "The multistakeholder consultation on cybercrime, convened in the framework of the Ad Hoc Committee to Elaborate a Comprehensive International Convention on Countering the Use of Information and Communications Technologies for Criminal Purposes (the Committee), was held"
	if !strings.Contains(text, want) {
		t.Errorf("want %q in:\n%s", want, text[:600])
	}
	if !strings.Contains(text, "to the work of the Committee and closed") || strings.Contains(text, "the the Committee") {
		t.Errorf("the later mention is not \"the Committee\":\n%s", text)
	}
}

// TestTitleNamingTheBodyInFullGainsTheAcronym: a title that names the
// body in full defines the acronym there, once.
func TestTitleNamingTheBodyInFullGainsTheAcronym(t *testing.T) {
	r := recordedMeeting(models.AttributionChathamHouse)
	r.Title = "Second substantive session of the " + oewgFull
	r.Body, r.BodyAcronym = oewgFull, "OEWG"
	_, text := afterHeading(t, Draft(r))
	if !strings.Contains(text, "The second substantive session of the "+oewgFull+" (OEWG) was held") {
		t.Errorf("the title does not gain the acronym:\n%s", text[:600])
	}
	if strings.Contains(text, "convened in the framework") {
		t.Error("the body is named twice in the first sentence")
	}
}

// TestNoBodyNoMention: a meeting without a body says nothing of one.
func TestNoBodyNoMention(t *testing.T) {
	r := recordedMeeting(models.AttributionChathamHouse)
	md := Draft(r)
	if strings.Contains(md, "convened in the framework") || strings.Contains(md, "to the work of") {
		t.Errorf("a body is mentioned though none is set:\n%s", md[:800])
	}
}
