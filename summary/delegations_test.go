package summary

import (
	"strings"
	"testing"
	"time"

	"rostrum/models"
)

// meetingWithStates has two Member States, an observer State, an IGO and
// two NGOs, of whom Singapore, the IGO and an NGO speak.
func meetingWithStates(attribution string) Record {
	sg := Organization{Name: "Singapore", Type: models.KindMemberState, Country: "SG"}
	br := Organization{Name: "Brazil", Type: models.KindMemberState, Country: "BR"}
	hs := Organization{Name: "Holy See", Type: models.KindObserverState, Country: "VA"}
	igo := Organization{Name: "Interpol", Type: "intergovernmental", Country: "FR"}
	ngo1 := Organization{Name: "Access Now", Type: "ngo", Country: "US"}
	ngo2 := Organization{Name: "Zeta Rights", Type: "ngo", Country: "KE"}
	start := time.Date(2019, 12, 2, 15, 0, 0, 0, time.UTC)
	return Record{
		Title: "Informal consultative meeting", Venue: "Conference Room 1", Chair: "Mr. David Koh",
		StartsAt: start, EndsAt: start.Add(48 * time.Hour), Timezone: "America/New_York", IssuedOn: start,
		Attribution:   attribution,
		Organizations: []Organization{ngo2, igo, sg, ngo1, hs, br},
		Items: []Item{{Title: "Existing and potential threats", Interventions: []Intervention{
			{Organization: sg, Kind: models.KindStatement, SpeakingTime: 3 * time.Minute,
				KeyPoints: []KeyPoint{{Text: "Capacity building must be demand-driven", Theme: "Capacity building"}}},
			{Organization: igo, Kind: models.KindStatement, SpeakingTime: 2 * time.Minute,
				KeyPoints: []KeyPoint{{Text: "Cooperation between law enforcement agencies matters", Theme: "Cooperation"}}},
			{Organization: ngo1, Kind: models.KindStatement, SpeakingTime: 2 * time.Minute,
				KeyPoints: []KeyPoint{{Text: "Civil society should be heard", Theme: "Inclusion"}}},
		}}},
	}
}

func TestDraftCountsStatesApartFromOrganizations(t *testing.T) {
	md := Draft(meetingWithStates(models.AttributionChathamHouse))
	for _, want := range []string{
		"Representatives of 2 Member States, 1 observer State and 3 organizations took part in the meeting; the organizations were 1 intergovernmental organization and 2 non-governmental organizations.",
		"Representatives of 1 Member State and 2 organizations, among the organizations 1 from intergovernmental organizations and 1 from civil society, took the floor.",
		"a participant from a Member State noted that capacity building must be demand-driven",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("draft lacks %q:\n%s", want, body(md))
		}
	}
}

func TestChathamHouseNamesAStateAsAParticipantButAttributesItNothing(t *testing.T) {
	md := Draft(meetingWithStates(models.AttributionChathamHouse))
	for _, name := range []string{"Singapore", "Brazil", "Holy See", "Interpol", "Access Now"} {
		if strings.Contains(body(md), name) {
			t.Errorf("%s is named in the body under the Chatham House Rule", name)
		}
	}
	annex := md[strings.Index(md, "## Annex II"):]
	if !strings.Contains(annex, "| Singapore |") || !strings.Contains(annex, "| Holy See |") {
		t.Errorf("Annex II does not name the States as participants:\n%s", annex)
	}
	// Under attribution a State is named by its name alone.
	att := body(Draft(meetingWithStates(models.AttributionAttributed)))
	if !strings.Contains(att, "representative of Singapore") || strings.Contains(att, "Singapore (Singapore)") {
		t.Errorf("attributed draft names the State oddly:\n%s", att)
	}
}

func TestAnnexIIListsDelegationsBeforeOrganizations(t *testing.T) {
	md := Draft(meetingWithStates(models.AttributionChathamHouse))
	i := strings.Index(md, "## Annex II: Participating delegations and organizations")
	if i < 0 {
		t.Fatalf("no Annex II of delegations and organizations:\n%s", md)
	}
	annex := md[i:]
	annex = annex[:strings.Index(annex, "## Annex III")]
	var order []int
	for _, s := range []string{"### Member States", "| Brazil |", "| Singapore |", "### Observer States", "| Holy See |",
		"### Intergovernmental organizations", "Interpol", "### Non-governmental organizations", "Access Now", "Zeta Rights"} {
		k := strings.Index(annex, s)
		if k < 0 {
			t.Fatalf("Annex II lacks %q:\n%s", s, annex)
		}
		order = append(order, k)
	}
	for j := 1; j < len(order); j++ {
		if order[j] < order[j-1] {
			t.Fatalf("Annex II out of order:\n%s", annex)
		}
	}
	stats := Statistics(meetingWithStates(models.AttributionChathamHouse))
	if len(stats) < 3 || stats[0].Type != models.KindMemberState || stats[0].Organizations != 2 || stats[1].Type != models.KindObserverState {
		t.Fatalf("statistics %+v, want Member States, then observer States first", stats)
	}
}
