package demo

import (
	"rostrum/models"
	"rostrum/summary"
)

// The rapporteur's notes of the demo, composed from a small table: who
// spoke (the stakeholder type, never the organization, as the meeting is
// held under the Chatham House rule) and what the theme's debate turned
// on in December 2019. Each key point carries its theme, so
// that the draft writes one paragraph per theme.

// demoAngle is what a speaker of each stakeholder type tends to add,
// whatever the theme.
var demoAngle = map[string]string{
	"ngo":                 "The speaker asked that civil society be consulted as the Working Group's report takes shape.",
	"private_sector":      "The speaker offered to share industry's operational experience of incident response with the Working Group.",
	"academia":            "The speaker offered the findings of recent research in support of the Working Group's deliberations.",
	"technical_community": "The speaker recalled that the technical community runs much of the infrastructure concerned and must be part of any solution.",
	"intergovernmental":   "The speaker described work under way at the regional level that could inform the Working Group.",
	"other":               "The speaker stressed the value of hearing every stakeholder group on this theme.",
}

// demoTheme is what the rapporteur heard on one theme: claims that follow
// the voice, sentences that develop them, and key points.
type demoTheme struct {
	claims, details []string
	points          []summary.KeyPoint
}

// demoThemes follows demoAgenda.
var demoThemes = []demoTheme{
	{ // Existing and potential threats
		claims: []string{
			"warned that attacks on hospitals, power grids and water systems were no longer hypothetical and that their humanitarian cost fell first on civilians.",
			"described the compromise of software supply chains and update mechanisms as a threat that crosses every border at once.",
			"drew attention to the use of ICTs to interfere in electoral processes and to erode public trust in democratic institutions.",
			"pointed to the growing market for intrusion tools and undisclosed vulnerabilities, and to the risk that such tools escape the control of those who buy them.",
		},
		details: []string{
			"The speaker recalled that incidents such as WannaCry and NotPetya had spread far beyond their intended targets.",
			"Threat assessments, the speaker said, should be shared across stakeholder groups rather than kept within government channels.",
			"The speaker asked that the Working Group's report name the protection of critical infrastructure as a common concern of all States.",
			"Smaller States and their citizens, it was noted, bear these risks with fewer means to detect and recover from incidents.",
		},
		points: []summary.KeyPoint{
			{Text: "Protect critical infrastructure, including health care, from malicious ICT activity", Theme: "Critical infrastructure"},
			{Text: "Recognize the integrity of the technical infrastructure of the Internet as a shared concern", Theme: "The public core of the Internet"},
			{Text: "Share threat information across stakeholder groups", Theme: "Information sharing"},
			{Text: "Address the proliferation of malicious ICT tools and techniques", Theme: "The proliferation of malicious tools"},
		},
	},
	{ // International law
		claims: []string{
			"reaffirmed that international law, and in particular the Charter of the United Nations, applies in its entirety to the use of ICTs by States.",
			"stressed that international humanitarian law applies to cyber operations in armed conflict and that affirming it does not legitimize conflict in cyberspace.",
			"called on States to publish their national positions on how international law applies, so that its interpretation becomes foreseeable.",
			"recalled that international human rights law protects people online as it does offline, including privacy and freedom of expression.",
		},
		details: []string{
			"The speaker suggested that the principle of due diligence deserved further clarification by States.",
			"Questions of sovereignty, attribution and State responsibility, the speaker said, remain open and call for dialogue rather than new treaties at this stage.",
			"The speaker offered the help of legal scholars in comparing national positions and identifying common ground.",
			"It was noted that the principles of distinction, proportionality and precaution should guide any operation affecting civilian objects.",
		},
		points: []summary.KeyPoint{
			{Text: "The UN Charter applies in its entirety in cyberspace", Theme: "The UN Charter"},
			{Text: "International humanitarian law applies to ICT operations in armed conflict", Theme: "International humanitarian law"},
			{Text: "States should publish national positions on international law", Theme: "National positions"},
			{Text: "Human rights apply online as they do offline", Theme: "Human rights"},
		},
	},
	{ // Rules, norms and principles
		claims: []string{
			"urged States to implement the eleven norms of responsible State behaviour agreed in 2015 before negotiating new ones.",
			"proposed guidance on what implementing each norm means in practice, with examples of national measures.",
			"emphasized the norm against attacks on computer emergency response teams and on the public core of the Internet.",
			"underlined the shared responsibility of States and industry for the integrity of the ICT supply chain and for responsible vulnerability disclosure.",
		},
		details: []string{
			"Non-governmental stakeholders, the speaker said, can help assess whether norms are observed.",
			"The speaker regretted that no mechanism yet exists to report on the implementation of the norms.",
		},
		points: []summary.KeyPoint{
			{Text: "Implement the 2015 norms before negotiating new ones", Theme: "Implementation of the norms"},
			{Text: "Guidance and good practice on implementing each norm", Theme: "Implementation of the norms"},
			{Text: "Protect CERTs and the public core of the Internet", Theme: "Protection of CERTs"},
		},
	},
	{ // Confidence-building measures
		claims: []string{
			"presented regional confidence-building measures, such as those of the OSCE and the ASEAN Regional Forum, as models for other regions.",
			"called for a global directory of points of contact that can be reached at any hour during an incident.",
		},
		details: []string{
			"Transparency about national doctrines, the speaker said, reduces the risk of misperception and escalation.",
			"The speaker encouraged exchanges between national CERTs as a practical first measure.",
		},
		points: []summary.KeyPoint{
			{Text: "A global directory of points of contact", Theme: "Points of contact"},
			{Text: "Build on regional confidence-building measures", Theme: "Regional measures"},
		},
	},
	{ // Capacity-building
		claims: []string{
			"stressed that capacity-building should be demand-driven, sustainable and respectful of national ownership.",
			"drew attention to the gender dimension of capacity-building and to the under-representation of women in cyber diplomacy.",
		},
		details: []string{
			"The speaker called for better coordination among donors to avoid duplication.",
			"Capacity-building, the speaker said, is a condition for every State to implement the norms.",
		},
		points: []summary.KeyPoint{
			{Text: "Demand-driven and sustainable capacity-building", Theme: "Principles of capacity-building"},
			{Text: "Mainstream gender in capacity-building", Theme: "Gender"},
		},
	},
	{ // Regular institutional dialogue
		claims: []string{
			"supported a regular institutional dialogue under the auspices of the United Nations, open to the participation of all stakeholders.",
			"discussed the proposal for a programme of action as a permanent, action-oriented framework.",
		},
		details: []string{
			"The speaker asked that consultations with stakeholders become a regular feature of the process rather than an exception.",
			"Duplication between parallel processes, the speaker warned, stretches the resources of smaller delegations.",
		},
		points: []summary.KeyPoint{
			{Text: "A regular institutional dialogue under the UN", Theme: "A regular institutional dialogue"},
			{Text: "Stakeholder participation as a regular feature", Theme: "Stakeholder participation"},
		},
	},
}

// demoNote composes the note on an intervention of kind by a speaker of
// stakeholder type on theme, varied by i (the intervention's rank): two
// or three sentences and one to three key points.
func demoNote(theme int, stakeholderType, kind string, i int) summary.NoteInput {
	t := demoThemes[theme%len(demoThemes)]
	switch kind {
	case models.KindPointOfOrder:
		return summary.NoteInput{
			Text:      "The speaker raised a point of order, asking that speakers keep to the time allotted so that every stakeholder group could be heard on this theme. The Chair agreed and asked speakers to be concise.",
			KeyPoints: []summary.KeyPoint{{Text: "Respect the speaking time so that all groups are heard", Theme: "The conduct of the meeting"}},
		}
	case models.KindReply:
		return summary.NoteInput{
			Text: "The speaker replied to the previous statement, agreeing with its diagnosis but cautioning against conclusions that would go beyond what States have already agreed. " +
				t.details[i%len(t.details)],
			KeyPoints: []summary.KeyPoint{t.points[i%len(t.points)]},
		}
	}
	// The claim turns with the speaker's rank and type, so that two
	// speakers of one type do not say the same thing.
	c := (i + len(stakeholderType)) % len(t.claims)
	text := "The speaker " + t.claims[c] + " " + t.details[(i+c)%len(t.details)]
	if angle, ok := demoAngle[stakeholderType]; ok && i%3 == 0 {
		text += " " + angle
	}
	n := min(1+i%3, len(t.points))
	points := make([]summary.KeyPoint, 0, n)
	for j := range n {
		points = append(points, t.points[(c+j)%len(t.points)])
	}
	return summary.NoteInput{Text: text, KeyPoints: points}
}
