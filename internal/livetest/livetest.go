// Package livetest is a viewer's copy of a meeting's live list, for tests
// that watch a meeting from outside: the full state as GET
// /api/meetings/{slug}/live and the websocket's state message carry it,
// kept up to date from the websocket's patches the way the pages'
// static/js/livestate.js keeps it, so that a test can hold what a viewer
// ends up with against what the server has.
//
// It decodes the wire with types of its own rather than the server's
// live.State, so that a field the server stops sending, or renames, shows
// as a difference instead of passing unseen on both sides.
package livetest

import (
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"rostrum/live"
	"rostrum/models"
)

// State is the full state of a meeting's live list.
type State struct {
	Seq           int64                        `json:"seq"`
	ServerTime    time.Time                    `json:"server_time"`
	CurrentItemID *uint                        `json:"current_item_id"`
	Items         []Item                       `json:"items"`
	Balance       map[string]*live.TypeBalance `json:"balance"`
}

// Item is one agenda item and its list of speakers.
type Item struct {
	ID                  uint          `json:"id"`
	Title               string        `json:"title"`
	SpeakingTimeSeconds int           `json:"speaking_time_seconds"`
	Closed              bool          `json:"closed"`
	Speakers            []*live.Entry `json:"speakers"`
	Timer               *live.Timer   `json:"timer"`
}

// Item returns the agenda item id, or nil. (State's lookups take a value,
// so that they work on a state fresh from a function call; the pointer
// they return still points into st.)
func (st State) Item(id uint) *Item {
	for i := range st.Items {
		if st.Items[i].ID == id {
			return &st.Items[i]
		}
	}
	return nil
}

// Entry returns the entry id of any item's list, or nil.
func (st State) Entry(id uint) *live.Entry {
	for _, it := range st.Items {
		for _, e := range it.Speakers {
			if e.ID == id {
				return e
			}
		}
	}
	return nil
}

// WaitingNames lists the names of the waiting speakers of item, in order
// (none when the state has no such item).
func (st State) WaitingNames(item uint) []string {
	it := st.Item(item)
	if it == nil {
		return nil
	}
	var out []string
	for _, e := range it.Speakers {
		if e.State == models.SpeakerWaiting {
			out = append(out, e.Name)
		}
	}
	return out
}

// Canonical is the state as JSON without its server time, the one field
// that differs between two reads of one state: two viewers agree when
// their Canonical strings are equal.
func (st State) Canonical() string {
	st.ServerTime = time.Time{}
	b, err := json.Marshal(st)
	if err != nil {
		// Plain structs, maps and slices: this cannot happen unless the
		// live package's types change so that it can.
		panic(fmt.Sprintf("livetest: marshal state: %v", err))
	}
	return string(b)
}

// patch is a patch message's data (live.Patch as it reaches a viewer).
type patch struct {
	CurrentItemID *uint                        `json:"current_item_id"`
	Items         []live.ItemHeader            `json:"items"`
	Speakers      []json.RawMessage            `json:"speakers"` // new entries in full, known ones as what changed
	Balance       map[string]*live.TypeBalance `json:"balance"`  // the stakeholder types whose share changed
	AddedItems    []Item                       `json:"added_items"`
	Order         []live.ListOrder             `json:"order"`
	AgendaOrder   []uint                       `json:"agenda_order"`
	RemovedItems  []uint                       `json:"removed_items"`
}

// ApplyPatch applies the patch data with seq, as livestate.js does: added
// items join the end of the agenda, item headers set closed and the
// timer, new speakers join their item's list and known ones take the
// fields that changed (the list is then sorted with live.CompareEntries)
// or, withdrawn, leave it, a respaced list's order sets its waiting
// entries' positions, the balance of the types it names replaces
// theirs, an agenda order orders the items (an edited item's header
// brings its title and speaking time) and removed items leave.
//
// Where the page would skip what it cannot place, ApplyPatch refuses: a
// patch it cannot decode, or one that names an item the state does not
// have, is an error and leaves st as it was (seq included), so that a
// viewer can ask for the full state again or a test can fail.
func (st *State) ApplyPatch(seq int64, data json.RawMessage) error {
	var p patch
	if err := json.Unmarshal(data, &p); err != nil {
		return fmt.Errorf("patch seq %d: %w", seq, err)
	}
	known := func(id uint) bool {
		return st.Item(id) != nil || slices.ContainsFunc(p.AddedItems, func(it Item) bool { return it.ID == id })
	}
	for _, h := range p.Items {
		if !known(h.ID) {
			return fmt.Errorf("patch seq %d: header of item %d, which the state does not have", seq, h.ID)
		}
	}
	heads := make([]live.Entry, len(p.Speakers))
	for i, raw := range p.Speakers {
		if err := json.Unmarshal(raw, &heads[i]); err != nil {
			return fmt.Errorf("patch seq %d: entry %d: %w", seq, i, err)
		}
		if e := heads[i]; !known(e.AgendaItemID) {
			return fmt.Errorf("patch seq %d: entry %d of item %d, which the state does not have", seq, e.ID, e.AgendaItemID)
		}
	}
	for _, o := range p.Order {
		if !known(o.ItemID) {
			return fmt.Errorf("patch seq %d: order of item %d, which the state does not have", seq, o.ItemID)
		}
	}
	if p.AgendaOrder != nil {
		if len(p.AgendaOrder) != len(st.Items)+len(p.AddedItems) {
			return fmt.Errorf("patch seq %d: agenda order %v does not name every item once", seq, p.AgendaOrder)
		}
		for _, id := range p.AgendaOrder {
			if !known(id) {
				return fmt.Errorf("patch seq %d: agenda order names item %d, which the state does not have", seq, id)
			}
		}
	}
	for _, id := range p.RemovedItems {
		if !known(id) {
			return fmt.Errorf("patch seq %d: removes item %d, which the state does not have", seq, id)
		}
	}

	st.Seq = seq
	st.CurrentItemID = p.CurrentItemID
	for _, it := range p.AddedItems {
		if st.Item(it.ID) == nil {
			st.Items = append(st.Items, it)
		}
	}
	for _, h := range p.Items {
		it := st.Item(h.ID)
		it.Closed, it.Timer = h.Closed, h.Timer
		if h.Title != "" {
			it.Title = h.Title
		}
		if h.SpeakingTimeSeconds != 0 {
			it.SpeakingTimeSeconds = h.SpeakingTimeSeconds
		}
	}
	for n, raw := range p.Speakers {
		head := heads[n]
		it := st.Item(head.AgendaItemID)
		i := slices.IndexFunc(it.Speakers, func(x *live.Entry) bool { return x.ID == head.ID })
		switch {
		case head.State == models.SpeakerWithdrawn:
			if i >= 0 {
				it.Speakers = slices.Delete(it.Speakers, i, i+1)
			}
			continue
		case i >= 0:
			// The fields that changed, merged into a copy of the entry.
			e := *it.Speakers[i]
			_ = json.Unmarshal(raw, &e) // decoded once above
			it.Speakers[i] = &e
		default:
			e := head
			it.Speakers = append(it.Speakers, &e)
		}
		slices.SortStableFunc(it.Speakers, live.CompareEntries)
	}
	for _, o := range p.Order {
		it := st.Item(o.ItemID)
		for i, id := range o.IDs {
			if e := st.Entry(id); e != nil && e.AgendaItemID == o.ItemID {
				e.Position = (i + 1) * live.PositionStep
			}
		}
		slices.SortStableFunc(it.Speakers, live.CompareEntries)
	}
	if p.AgendaOrder != nil {
		rank := map[uint]int{}
		for i, id := range p.AgendaOrder {
			rank[id] = i
		}
		slices.SortStableFunc(st.Items, func(a, b Item) int { return rank[a.ID] - rank[b.ID] })
	}
	st.Items = slices.DeleteFunc(st.Items, func(it Item) bool { return slices.Contains(p.RemovedItems, it.ID) })
	if p.Balance != nil && st.Balance == nil {
		st.Balance = map[string]*live.TypeBalance{}
	}
	for typ, b := range p.Balance {
		st.Balance[typ] = b
	}
	return nil
}

// Message is any message the meeting's websocket sends: the state, a
// patch, or the answer to a command (ack or error).
type Message struct {
	Type    string            `json:"type"`
	Seq     int64             `json:"seq"`
	ID      string            `json:"id"`
	Code    string            `json:"code"`
	Message string            `json:"message"`
	Fields  map[string]string `json:"fields"`
	Data    json.RawMessage   `json:"data"`
	You     map[string]any    `json:"you"`
	By      *struct {
		Actor  string `json:"actor"`
		Action string `json:"action"`
	} `json:"by"`
	Speaker *live.Entry `json:"speaker"`
}

// Follow keeps st up to date from one websocket message, as a page does:
// a state message replaces st, a patch with the next seq is applied. It
// reports whether m was one of the two (false for acks and errors, which
// leave st alone).
//
// An error means st can no longer follow the server: a patch out of
// order, one it cannot apply, or a state it cannot read or whose data
// disagrees with the message's seq. st is then as it was; a page would
// ask for a resync, a test that expects none fails.
func (st *State) Follow(m Message) (bool, error) {
	switch m.Type {
	case "state":
		var next State
		if err := json.Unmarshal(m.Data, &next); err != nil {
			return true, fmt.Errorf("state seq %d: %w", m.Seq, err)
		}
		if next.Seq != m.Seq {
			return true, fmt.Errorf("state message seq %d, data seq %d", m.Seq, next.Seq)
		}
		*st = next
		return true, nil
	case "patch":
		if m.Seq != st.Seq+1 {
			return true, fmt.Errorf("patch seq %d after %d", m.Seq, st.Seq)
		}
		return true, st.ApplyPatch(m.Seq, m.Data)
	}
	return false, nil
}
