package live

import (
	"slices"

	"rostrum/models"
)

// Balance is, per participant category (models.Categories: Member
// States, observer States, intergovernmental organizations, then each
// other stakeholder type, so that States and stakeholders count apart), how much of the floor it has had in
// this meeting: its number of statements (entries of kind statement that
// were given the floor, the one in progress included) and the total time
// its speakers have spoken (every kind; a speech counts once it ends).
type Balance map[string]*TypeBalance

// TypeBalance is the share of the floor of one stakeholder type.
type TypeBalance struct {
	Statements int   `json:"statements"`
	SpeakingMS int64 `json:"speaking_ms"`
}

// BalanceOf adds up the floor over every list of f. Every category is
// present, so that one that has not spoken shows as zero.
func BalanceOf(f *Floor) Balance {
	b := newBalance()
	for _, l := range f.Lists {
		for _, e := range l.Entries {
			b.add(e)
		}
	}
	return b
}

// newBalance is a balance with every category at zero.
func newBalance() Balance {
	b := Balance{}
	for _, t := range models.Categories {
		b[t] = &TypeBalance{}
	}
	return b
}

// add counts e's share of the floor, if it has had the floor.
func (b Balance) add(e *Entry) {
	if e.State != models.SpeakerSpeaking && e.State != models.SpeakerDone {
		return
	}
	tb := b[e.StakeholderType]
	if tb == nil {
		tb = &TypeBalance{}
		b[e.StakeholderType] = tb
	}
	if e.Kind == models.KindStatement {
		tb.Statements++
	}
	if e.State == models.SpeakerDone {
		tb.SpeakingMS += e.SpokenMS
	}
}

// SuggestNext proposes whom to give the floor next on item, to balance it
// between stakeholder types; the moderator decides. A waiting point of
// order comes first (procedure before substance). Otherwise it is the
// earliest waiting entry whose stakeholder type has spoken least so far:
// fewest statements, then least speaking time, then the waiting order.
// When the meeting keeps the order of precedence, balance never jumps a
// group: it chooses only among the waiting entries of the first group in
// that order that has someone waiting (a State before any organization;
// among stakeholders, the type that has spoken least). It returns nil
// when nobody waits.
func SuggestNext(f *Floor, itemID uint) (*Entry, error) {
	l, err := f.List(itemID)
	if err != nil {
		return nil, err
	}
	waiting := l.Waiting()
	for _, e := range waiting {
		if e.Kind == models.KindPointOfOrder {
			return e, nil
		}
	}
	if f.SpeakerOrder == models.SpeakerOrderPrecedence && len(waiting) > 0 {
		first := PrecedenceRank(waiting[0].StakeholderType)
		for _, e := range waiting {
			first = min(first, PrecedenceRank(e.StakeholderType))
		}
		waiting = slices.DeleteFunc(waiting, func(e *Entry) bool { return PrecedenceRank(e.StakeholderType) != first })
	}
	b := BalanceOf(f)
	var best *Entry
	for _, e := range waiting {
		if best == nil || less(b[e.StakeholderType], b[best.StakeholderType]) {
			best = e
		}
	}
	return best, nil
}

func less(a, b *TypeBalance) bool {
	if a == nil {
		a = &TypeBalance{}
	}
	if b == nil {
		b = &TypeBalance{}
	}
	if a.Statements != b.Statements {
		return a.Statements < b.Statements
	}
	return a.SpeakingMS < b.SpeakingMS
}
