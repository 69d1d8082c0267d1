package live

import (
	"slices"
	"strings"
	"testing"

	"rostrum/models"
)

// step is one thing that happens to list 10 of a floor in a precedence
// test: a request ("add"), the moderator's reorder ("reorder", names in
// the new order) or a speech given the floor ("start").
type step struct {
	op, name, typ, kind, replyTo string
	order                        []string
}

func statement(name, typ string) step {
	return step{op: "add", name: name, typ: typ, kind: models.KindStatement}
}
func pointOfOrder(name, typ string) step {
	return step{op: "add", name: name, typ: typ, kind: models.KindPointOfOrder}
}
func reply(name, typ, to string) step {
	return step{op: "add", name: name, typ: typ, kind: models.KindReply, replyTo: to}
}

func TestSpeakerOrderPlacesRequests(t *testing.T) {
	const (
		ms, obs, igo = models.KindMemberState, models.KindObserverState, "intergovernmental"
		ngo, biz     = "ngo", "private_sector"
	)
	cases := []struct {
		name  string
		order string
		steps []step
		want  string
	}{{
		name: "request order is one mixed list", order: models.SpeakerOrderRequest,
		steps: []step{statement("NGO1", ngo), statement("Singapore", ms), statement("IGO1", igo)},
		want:  "NGO1 Singapore IGO1",
	}, {
		name: "an empty order is request order", order: "",
		steps: []step{statement("NGO1", ngo), statement("Singapore", ms)},
		want:  "NGO1 Singapore",
	}, {
		name: "precedence: States, observers, IGOs, stakeholders, each in order of request", order: models.SpeakerOrderPrecedence,
		steps: []step{
			statement("NGO1", ngo), statement("IGO1", igo), statement("Biz1", biz), statement("HolySee", obs),
			statement("Singapore", ms), statement("NGO2", ngo), statement("Brazil", ms), statement("IGO2", igo),
			statement("Palestine", obs),
		},
		want: "Singapore Brazil HolySee Palestine IGO1 IGO2 NGO1 Biz1 NGO2",
	}, {
		name: "stakeholder types are one group in order of request", order: models.SpeakerOrderPrecedence,
		steps: []step{statement("Biz1", biz), statement("NGO1", ngo), statement("Acad1", "academia"), statement("Other1", "other")},
		want:  "Biz1 NGO1 Acad1 Other1",
	}, {
		name: "a point of order stays at the top, after earlier points of order", order: models.SpeakerOrderPrecedence,
		steps: []step{
			statement("NGO1", ngo), pointOfOrder("NGO2", ngo), statement("Singapore", ms), pointOfOrder("Brazil", ms),
		},
		want: "NGO2 Brazil Singapore NGO1",
	}, {
		name: "a reply follows what it answers, and a State's statement does not split them", order: models.SpeakerOrderPrecedence,
		steps: []step{
			statement("Singapore", ms), statement("NGO1", ngo), reply("Brazil", ms, "NGO1"), reply("NGO2", ngo, "Singapore"),
			statement("Chile", ms),
		},
		want: "Singapore NGO2 Chile NGO1 Brazil",
	}, {
		name: "replies to a speech given the floor lead the list before States", order: models.SpeakerOrderPrecedence,
		steps: []step{
			statement("NGO1", ngo), statement("NGO2", ngo), {op: "start", name: "NGO1"}, reply("Brazil", ms, "NGO1"),
			statement("Chile", ms),
		},
		want: "Brazil Chile NGO2",
	}, {
		name: "the moderator's reorder stands; a later request joins the end of its group", order: models.SpeakerOrderPrecedence,
		steps: []step{
			statement("Singapore", ms), statement("NGO1", ngo), statement("NGO2", ngo),
			{op: "reorder", order: []string{"NGO2", "Singapore", "NGO1"}},
			statement("Brazil", ms), statement("NGO3", ngo),
		},
		want: "NGO2 Singapore Brazil NGO1 NGO3",
	}}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := newFloor()
			f.SpeakerOrder = c.order
			byName := map[string]*Entry{}
			for _, s := range c.steps {
				switch s.op {
				case "add":
					var to uint
					if s.replyTo != "" {
						to = byName[s.replyTo].ID
					}
					byName[s.name] = add(t, f, 10, s.name, s.typ, s.kind, to)
				case "start":
					if _, err := f.Start(t0, byName[s.name].ID); err != nil {
						t.Fatal(err)
					}
				case "reorder":
					var ids []uint
					for _, n := range s.order {
						ids = append(ids, byName[n].ID)
					}
					if err := f.Reorder(10, ids); err != nil {
						t.Fatal(err)
					}
				}
			}
			got := strings.Trim(waitingNames(f, 10), "[]")
			if got != c.want {
				t.Fatalf("waiting %s, want %s", got, c.want)
			}
			checkPositions(t, f, c.name)
		})
	}
}

func TestPrecedenceRanksFollowTheCategoriesOrder(t *testing.T) {
	var ranks []int
	for _, c := range models.Categories {
		ranks = append(ranks, PrecedenceRank(c))
	}
	if !slices.IsSorted(ranks) || ranks[0] != 0 || ranks[1] != 1 || ranks[2] != 2 || ranks[len(ranks)-1] != 3 {
		t.Fatalf("ranks in the order of models.Categories %v: %v", models.Categories, ranks)
	}
}
