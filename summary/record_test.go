package summary

import "time"

// recordedMeeting is a small meeting as it was recorded: three agenda
// items, organizations of every kind of name (accents, Greek, Cyrillic,
// Arabic, Hebrew, CJK) and one hostile name.
func recordedMeeting(attribution string) Record {
	ngo := Organization{Name: "Fundación Ñandú para la Ciberseguridad", Type: "ngo", Country: "AR"}
	ngo2 := Organization{Name: "Κέντρο Ψηφιακών Δικαιωμάτων", Type: "ngo", Country: "GR"}
	biz := Organization{Name: "Технологии Будущего ООО", Type: "private_sector", Country: "RU"}
	biz2 := Organization{Name: "東京サイバー研究所株式会社", Type: "private_sector", Country: "JP"}
	uni := Organization{Name: "جامعة القاهرة", Type: "academia", Country: "EG"}
	tech := Organization{Name: "מכון טכניון לאבטחת מידע", Type: "technical_community", Country: "IL"}
	evil := Organization{Name: "<script>alert(1)</script> **Evil** </w:t> =cmd|' /C calc'!A0", Type: "other", Country: "XX"}
	start := time.Date(2019, 12, 2, 15, 0, 0, 0, time.UTC)
	return Record{
		Title:         "Informal intersessional consultative meeting of the OEWG",
		Venue:         "United Nations Headquarters, New York",
		Chair:         "Mr. David Koh",
		StartsAt:      start,
		EndsAt:        start.Add(50 * time.Hour),
		Timezone:      "America/New_York",
		Attribution:   attribution,
		Organizations: []Organization{ngo, ngo2, biz, biz2, uni, tech, evil},
		Items: []Item{
			{Title: "Existing and potential threats", Interventions: []Intervention{
				{Organization: ngo, Kind: "statement", SpeakingTime: 3 * time.Minute, Note: "Stressed that ransomware against hospitals is a threat to international peace.",
					KeyPoints: Points("Protect critical infrastructure")},
				{Organization: ngo2, Kind: "statement", SpeakingTime: 150 * time.Second, Note: "Called for a human-centric approach.",
					KeyPoints: Points("protect critical  infrastructure", "Human rights online")},
				{Organization: biz, Kind: "statement", SpeakingTime: 2 * time.Minute, Note: "Described supply-chain attacks observed in 2019."},
				{Organization: evil, Kind: "reply", SpeakingTime: time.Minute, Note: "<img src=x onerror=alert(1)> # Heading\n\n- list **bold** [link](javascript:alert(1)) </w:t><w:t>injected =HYPERLINK(\"x\")"},
			}},
			{Title: "International law", Interventions: []Intervention{
				{Organization: uni, Kind: "statement", SpeakingTime: 4 * time.Minute, Note: "Argued that the UN Charter applies in its entirety."},
				{Organization: biz2, Kind: "question", SpeakingTime: 90 * time.Second, Note: "How would due diligence apply to cloud providers?"},
				{Organization: tech, Kind: "statement", SpeakingTime: 0},
			}},
			{Title: "Capacity-building"},
		},
	}
}
