package summary

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

func TestJoinAndJoinsListsTheEnglishWay(t *testing.T) {
	for _, c := range []struct {
		in   []string
		want string
	}{{nil, ""}, {[]string{"A"}, "A"}, {[]string{"A", "B"}, "A and B"}, {[]string{"A", "B", "C"}, "A, B and C"}} {
		if got := JoinAnd(c.in); got != c.want {
			t.Errorf("JoinAnd(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestPluralAgreesWithTheCount(t *testing.T) {
	for n, want := range map[int]string{0: "0 organizations", 1: "1 organization", 2: "2 organizations"} {
		if got := Plural(n, "organization", "organizations"); got != want {
			t.Errorf("Plural(%d) = %q, want %q", n, got, want)
		}
	}
	if Article("academic") != "an" || Article("civil") != "a" {
		t.Error("articles")
	}
}

func TestAboutSaysDurationsAsPeopleDo(t *testing.T) {
	for d, want := range map[time.Duration]string{
		20 * time.Second:                "less than a minute",
		54*time.Minute + 35*time.Second: "about 55 minutes",
		14 * time.Minute:                "14 minutes",
		61 * time.Second:                "about 1 minute",
		time.Hour + 22*time.Minute:      "about 1 hour and 20 minutes",
		2 * time.Hour:                   "2 hours",
		2*time.Hour + 1*time.Minute + 1: "about 2 hours",
	} {
		if got := About(d); got != want {
			t.Errorf("About(%v) = %q, want %q", d, got, want)
		}
	}
}

func TestReportedSpeechTurnsKeyPointsIntoClauses(t *testing.T) {
	for _, c := range []struct{ in, verb, obj string }{
		{"Address the proliferation of ransomware", "called for", "addressing the proliferation of ransomware"},
		{"Protect CERTs and the public core of the Internet.", "called for", "protecting CERTs and the public core of the Internet"},
		{"use open standards", "called for", "using open standards"},
		{"The UN Charter applies in its entirety", "noted that", "the UN Charter applies in its entirety"},
		{"States should publish national positions", "noted that", "States should publish national positions"},
		{"Human rights apply online", "noted that", "human rights apply online"},
		{"ICTs are dual-use", "noted that", "ICTs are dual-use"},
		{"A global directory of points of contact", "called for", "a global directory of points of contact"},
		{"Demand-driven capacity-building", "called for", "demand-driven capacity-building"},
		{"Is a treaty needed?", "asked", "“Is a treaty needed?”"},
	} {
		v, o := Reported(c.in, properName)
		if v != c.verb || o != c.obj {
			t.Errorf("Reported(%q) = %q %q, want %q %q", c.in, v, o, c.verb, c.obj)
		}
	}
}

func TestMidSentenceKeepsAcronymsAndNames(t *testing.T) {
	for in, want := range map[string]string{
		"The Informal intersessional meeting": "the informal intersessional meeting",
		"Informal meeting of the OEWG":        "informal meeting of the OEWG",
		"OEWG consultations":                  "OEWG consultations",
		"Singapore's proposal":                "Singapore's proposal",
		"The United Nations":                  "the United Nations",
		"eSports":                             "eSports",
	} {
		if got := MidSentence(in, properName); got != want {
			t.Errorf("MidSentence(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestKeyPointsAcceptObjectsAndOlderPlainStrings(t *testing.T) {
	var in NoteInput
	if err := json.Unmarshal([]byte(`{"text":"x","key_points":["Plain",{"text":"Tagged","theme":"Gender"}]}`), &in); err != nil {
		t.Fatal(err)
	}
	if len(in.KeyPoints) != 2 || in.KeyPoints[0] != (KeyPoint{Text: "Plain"}) || in.KeyPoints[1] != (KeyPoint{Text: "Tagged", Theme: "Gender"}) {
		t.Fatalf("%+v", in.KeyPoints)
	}
}

func TestDraftWritesOneParagraphPerThemeNamingTheGroups(t *testing.T) {
	ngo := Organization{Name: "N1", Type: "ngo"}
	ngo2 := Organization{Name: "N2", Type: "ngo"}
	uni := Organization{Name: "U", Type: "academia"}
	biz := Organization{Name: "B", Type: "private_sector", Country: "JP"}
	r := Record{Title: "The Informal meeting", Items: []Item{{Title: "Threats", Interventions: []Intervention{
		{Organization: ngo, KeyPoints: []KeyPoint{{Text: "Protect hospitals", Theme: "Critical infrastructure"}}},
		{Organization: uni, KeyPoints: []KeyPoint{{Text: "protect hospitals", Theme: "critical  infrastructure"}, {Text: "Ransomware is spreading", Theme: "Ransomware"}}},
		{Organization: biz, KeyPoints: []KeyPoint{{Text: "Share threat information", Theme: "Critical infrastructure"}}},
		{Organization: ngo2, KeyPoints: []KeyPoint{{Text: "Ransomware is spreading", Theme: "Ransomware"}}},
	}}}}
	md := Draft(r)
	for _, want := range []string{
		"Representatives of 4 organizations, among them 2 from civil society, 1 from the private sector and 1 from academia, took the floor.",
		"On critical infrastructure, participants from civil society and academia called for protecting hospitals; a participant from the private sector also called for sharing threat information.",
		"On ransomware, participants from civil society and academia noted that ransomware is spreading.",
	} {
		if !contains(md, want) {
			t.Errorf("draft lacks %q:\n%s", want, md)
		}
	}
	r.Attribution = "attributed"
	if md := Draft(r); !contains(md, "the representative of B (Japan) also called for sharing threat information") {
		t.Errorf("attributed draft does not name the organization with its country:\n%s", md)
	}
}

func contains(s, sub string) bool { return len(sub) > 0 && strings.Index(s, sub) >= 0 }
