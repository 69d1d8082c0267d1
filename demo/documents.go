package demo

import (
	"context"
	"fmt"
	"strings"
	"time"

	"rostrum/auth"
	"rostrum/delegations"
	"rostrum/documents"
	"rostrum/meetings"
	"rostrum/models"
	"rostrum/summary"
)

// demoEnclosures are the six enclosures of the OEWG Chair's letter of
// 31 December 2019 (shared/context): the demo issues each as a short PDF
// that says what it stands for.
var demoEnclosures = []struct{ title, symbol, gist string }{
	{"Draft Programme of work for the Second substantive session", "A/AC.290/2020/CRP.1",
		"The programme follows the structure of the First substantive session; the Chair keeps flexibility on when each topic-related part ends and the next begins."},
	{"Chair's working paper for the Second substantive session", "A/AC.290/2020/CRP.2",
		"The paper is meant to energize the discussion among delegations and suggests questions they may wish to address, without predetermining any outcome."},
	{"Tentative draft structure of the substantive component of the report", "A/AC.290/2020/CRP.3",
		"The structure of the pre-draft that the Chair intends to prepare after the Second substantive session."},
	{"Background paper on existing UN bodies and processes related to the mandate", "A/AC.290/2020/INF/2",
		"A non-exhaustive overview of existing UN bodies and processes dealing with the issues raised in relation to the mandate."},
	{"Background paper on past GGEs' recommendations on International Law", "A/AC.290/2020/INF/3",
		"A summary of the recommendations of the Groups of Governmental Experts to date on how international law applies to the use of ICTs."},
	{"Background paper on past GGEs' recommendations on Regular institutional dialogue", "A/AC.290/2020/INF/4",
		"The recommendations the Groups of Governmental Experts have so far made on regular institutional dialogue."},
}

// demoMissions are a few Permanent Missions, invented addresses, for the
// "Permanent Missions" distribution list.
var demoMissions = []delegations.MissionInput{
	{Country: "SG", Kind: "member_state", Name: "Permanent Mission of Singapore to the United Nations", Email: "pm.singapore@missions.example"},
	{Country: "CH", Kind: "member_state", Name: "Permanent Mission of Switzerland to the United Nations", Email: "pm.switzerland@missions.example"},
	{Country: "KE", Kind: "member_state", Name: "Permanent Mission of Kenya to the United Nations", Email: "pm.kenya@missions.example"},
	{Country: "BR", Kind: "member_state", Name: "Permanent Mission of Brazil to the United Nations", Email: "pm.brazil@missions.example"},
	{Country: "EE", Kind: "member_state", Name: "Permanent Mission of Estonia to the United Nations", Email: "pm.estonia@missions.example"},
	{Country: "VA", Kind: "observer_state", Name: "Permanent Observer Mission of the Holy See to the United Nations", Email: "pom.holysee@missions.example"},
}

// demoLetterBody is the body of the Chair's letter, shortened.
const demoLetterBody = `I have the honour of addressing you in my capacity as Chair of the Open-ended Working Group on developments in the field of information and telecommunications in the context of international security (OEWG).

We had a very successful informal intersessional consultative meeting in December, with numerous Member States and over 100 NGOs, businesses and academic institutions in the room, and a good exchange between them. The circulation of its Chair's Summary amongst all participants is scheduled for the second half of January.

As the year draws to a close, I am sending you enclosed hereby a set of documents that shall help prepare for the OEWG's Second substantive session.

The **draft Programme of work** for the February session is inspired by the structure of the September session. I have also prepared a **Chair's working paper**, meant to energize the discussion among Delegations. At the request of some Members of the Group, the UNODA/UNIDIR support team has produced **three background papers**. The tentative structure of the substantive component of the report is attached.

I am looking forward to constructively engaging with your delegation and I thank you once again for your excellent contributions to the process so far.`

// demoPaperPDF renders a stand-in paper with the summary's PDF writer.
func demoPaperPDF(fonts *summary.Fonts, title, symbol, gist string) ([]byte, error) {
	md := fmt.Sprintf("# %s\n\n%s\n\n## Summary\n\n1. %s\n\n2. This is a demonstration document of Rostrum, not the paper itself.\n", title, symbol, gist)
	return summary.PDF(summary.Parse(md), fonts, title)
}

// demoLibrary issues the six enclosures as published documents of m, a
// letter of the Chair enclosing them, and the "Permanent Missions" list;
// what exists already is left as it is. It returns the letter's id.
func (a *loader) demoLibrary(ctx context.Context, m *models.Meeting) (uint, error) {
	if a.Documents == nil || a.Lists == nil || a.Delegations == nil {
		return 0, nil
	}
	have, err := a.Documents.List(ctx, m, true)
	if err != nil {
		return 0, err
	}
	byTitle := map[string]uint{}
	for _, d := range have {
		byTitle[d.Title] = d.ID
	}
	var ids []summary.Enclosure
	for _, e := range demoEnclosures {
		id, ok := byTitle[e.title]
		if !ok {
			if a.Summary.Fonts == nil {
				return 0, fmt.Errorf("demo documents: the PDF fonts are not loaded (summary_font_dir)")
			}
			pdf, err := demoPaperPDF(a.Summary.Fonts, e.title, e.symbol, e.gist)
			if err != nil {
				return 0, err
			}
			d, err := a.Documents.Upload(ctx, m, documents.Upload{Title: e.title, Symbol: e.symbol, Language: "en",
				Filename: strings.ReplaceAll(e.symbol, "/", "-") + ".pdf", Data: pdf}, auth.Actor{})
			if err != nil {
				return 0, err
			}
			if _, err := a.Documents.Publish(ctx, m, d.ID, auth.Actor{}); err != nil {
				return 0, err
			}
			id = d.ID
		}
		ids = append(ids, summary.Enclosure{Document: id})
	}
	if _, err := a.Delegations.Import(ctx, demoMissions); err != nil {
		return 0, err
	}
	pm, err := a.Lists.BuildMissions(ctx, "Permanent Missions")
	if err != nil {
		return 0, err
	}
	letters, err := a.Summary.Letters(ctx, m)
	if err != nil {
		return 0, err
	}
	if len(letters) > 0 {
		return letters[len(letters)-1].ID, nil
	}
	l, err := a.Summary.CreateLetter(ctx, m, summary.LetterInput{
		Addressee:    "To all Permanent Representatives and Permanent Observers to the United Nations\nNew York",
		Place:        "New York",
		Date:         fmt.Sprintf("%d-12-31", m.StartsAt.Year()),
		Salutation:   "Excellency,",
		BodyMarkdown: demoLetterBody,
		Closing:      "Please accept, Excellency, the assurances of my highest consideration.",
		Signature: summary.Signature{Name: "Jürg Lauber", Titles: []string{"Ambassador", "Permanent Representative",
			"Chair of the Open-ended Working Group"}},
		Enclosures: ids,
	}, auth.Actor{})
	if err != nil {
		return 0, err
	}
	// The letter and its enclosures go to the Permanent Missions and the
	// participants on 20 January after the meeting, 10:00 in New York: the
	// "second half of January" of the real letter, a date the demo meeting
	// (always ahead of now) keeps in the future.
	at := time.Date(m.StartsAt.Year()+1, 1, 20, 10, 0, 0, 0, meetings.Zone(m.Timezone))
	docs := make([]uint, len(ids))
	for i, e := range ids {
		docs[i] = e.Document
	}
	if _, err := a.Summary.Send(ctx, m, summary.CirculationInput{Letter: &l.ID, Documents: docs,
		To: summary.Audience{Participants: true, Lists: []uint{pm.ID}}, SendAt: &at}, auth.Actor{}); err != nil {
		return 0, err
	}
	return l.ID, nil
}
