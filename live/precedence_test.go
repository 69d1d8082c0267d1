package live

import (
	"slices"
	"strings"
	"testing"
	"time"

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

func TestBalanceCountsStatesAndStakeholdersApart(t *testing.T) {
	f := newFloor()
	for _, s := range []struct{ name, typ string }{{"Singapore", models.KindMemberState}, {"HolySee", models.KindObserverState}, {"IGO1", "intergovernmental"}, {"NGO1", "ngo"}} {
		e := add(t, f, 10, s.name, s.typ, models.KindStatement, 0)
		if _, err := f.Start(t0, e.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := f.Stop(t0.Add(time.Minute), e.ID); err != nil {
			t.Fatal(err)
		}
	}
	b := BalanceOf(f)
	for _, c := range models.Categories {
		if b[c] == nil {
			t.Fatalf("category %s missing from the balance", c)
		}
	}
	for _, c := range []string{models.KindMemberState, models.KindObserverState, "intergovernmental", "ngo"} {
		if b[c].Statements != 1 || b[c].SpeakingMS != 60_000 {
			t.Fatalf("%s: %+v, want one statement of a minute", c, b[c])
		}
	}
	if b["other"].Statements != 0 {
		t.Fatalf("States counted as other: %+v", b["other"])
	}
}

func TestSuggestNextKeepsTheOrderOfPrecedence(t *testing.T) {
	spoke := func(t *testing.T, f *Floor, name, typ string) {
		e := add(t, f, 20, name, typ, models.KindStatement, 0)
		if _, err := f.Start(t0, e.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := f.Stop(t0.Add(time.Minute), e.ID); err != nil {
			t.Fatal(err)
		}
	}
	cases := []struct {
		name, order string
		spoke       [][2]string // who spoke before, on the other item
		waiting     [][2]string // who waits on item 10, in order of request
		want        string
	}{{
		name: "precedence: a State before organizations that spoke less", order: models.SpeakerOrderPrecedence,
		spoke:   [][2]string{{"Brazil", models.KindMemberState}, {"Chile", models.KindMemberState}},
		waiting: [][2]string{{"NGO1", "ngo"}, {"Singapore", models.KindMemberState}},
		want:    "Singapore",
	}, {
		name: "precedence: an observer State before an IGO", order: models.SpeakerOrderPrecedence,
		waiting: [][2]string{{"IGO1", "intergovernmental"}, {"HolySee", models.KindObserverState}},
		want:    "HolySee",
	}, {
		name: "precedence: among stakeholders, the type that spoke least", order: models.SpeakerOrderPrecedence,
		spoke:   [][2]string{{"NGO0", "ngo"}},
		waiting: [][2]string{{"NGO1", "ngo"}, {"Acad1", "academia"}},
		want:    "Acad1",
	}, {
		name: "request order: balance across every category, States apart", order: models.SpeakerOrderRequest,
		spoke:   [][2]string{{"Brazil", models.KindMemberState}},
		waiting: [][2]string{{"Singapore", models.KindMemberState}, {"NGO1", "ngo"}},
		want:    "NGO1",
	}}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := newFloor()
			f.SpeakerOrder = c.order
			for _, s := range c.spoke {
				spoke(t, f, s[0], s[1])
			}
			for _, w := range c.waiting {
				add(t, f, 10, w[0], w[1], models.KindStatement, 0)
			}
			s, err := SuggestNext(f, 10)
			if err != nil || s == nil || s.Name != c.want {
				t.Fatalf("suggested %v (%v), want %s", s, err, c.want)
			}
		})
	}
}
