package live

import (
	"bytes"
	"encoding/json"
	"slices"
	"time"
)

// A change sends viewers what changed, not the list: each entry it
// touched as the fields that differ from when the floor was loaded, and
// the stakeholder types whose balance moved. Remember takes the picture
// the differences are taken against.

// Remember records the floor's entries as loaded.
func (f *Floor) Remember() {
	n := 0
	for _, l := range f.Lists {
		n += len(l.Entries)
	}
	f.orig, f.origAt = make([]picture, 0, n), make(map[*Entry]int32, n)
	for _, l := range f.Lists {
		for _, e := range l.Entries {
			f.origAt[e] = int32(len(f.orig))
			f.orig = append(f.orig, pictureOf(e))
		}
	}
}

// remembered is e as Remember recorded it.
func (f *Floor) remembered(e *Entry) (Entry, bool) {
	i, ok := f.origAt[e]
	if !ok {
		return Entry{}, false
	}
	return f.orig[i].entry(), true
}

// picture is an entry without the records it refers to (its agenda item
// and registration, which the floor never loads): what Remember keeps of
// each entry. An Entry is 1.7 KB, nearly all of it those two records, and
// copying every entry of a meeting's lists whole was 70% of the memory a
// command allocated (0.4 of 0.66 MB for a Next with a history of 400
// speeches), collected again in the middle of fan-outs.
type picture struct {
	ID, MeetingID, AgendaItemID, RegistrationID uint
	Name, Organization, StakeholderType, Kind   string
	ReplyTo                                     *uint
	State                                       string
	Position, TimeLimitSeconds                  int
	RequestedAt                                 time.Time
	StartedAt, EndedAt, PausedAt                *time.Time
	PausedMS, SpokenMS                          int64
}

func pictureOf(e *Entry) picture {
	return picture{ID: e.ID, MeetingID: e.MeetingID, AgendaItemID: e.AgendaItemID, RegistrationID: e.RegistrationID,
		Name: e.Name, Organization: e.Organization, StakeholderType: e.StakeholderType, Kind: e.Kind,
		ReplyTo: e.ReplyTo, State: e.State, Position: e.Position, TimeLimitSeconds: e.TimeLimitSeconds,
		RequestedAt: e.RequestedAt, StartedAt: e.StartedAt, EndedAt: e.EndedAt, PausedAt: e.PausedAt,
		PausedMS: e.PausedMS, SpokenMS: e.SpokenMS}
}

func (p *picture) entry() Entry {
	return Entry{ID: p.ID, MeetingID: p.MeetingID, AgendaItemID: p.AgendaItemID, RegistrationID: p.RegistrationID,
		Name: p.Name, Organization: p.Organization, StakeholderType: p.StakeholderType, Kind: p.Kind,
		ReplyTo: p.ReplyTo, State: p.State, Position: p.Position, TimeLimitSeconds: p.TimeLimitSeconds,
		RequestedAt: p.RequestedAt, StartedAt: p.StartedAt, EndedAt: p.EndedAt, PausedAt: p.PausedAt,
		PausedMS: p.PausedMS, SpokenMS: p.SpokenMS}
}

// EntryChanges encodes the entries a change sends (Changed): a new entry
// (or any, when the floor was not remembered) in full; else its id,
// item_id and the fields whose JSON differs from what was remembered.
func (f *Floor) EntryChanges() ([]json.RawMessage, error) {
	changed := f.Changed()
	out := make([]json.RawMessage, 0, len(changed))
	for _, e := range changed {
		now, err := json.Marshal(e)
		if err != nil {
			return nil, err
		}
		before, ok := f.remembered(e)
		if !ok {
			out = append(out, now)
			continue
		}
		was, err := json.Marshal(&before)
		if err != nil {
			return nil, err
		}
		diff, err := fieldsChanged(was, now, "id", "item_id")
		if err != nil {
			return nil, err
		}
		out = append(out, diff)
	}
	return out, nil
}

// BalanceChanges is the balance of the stakeholder types whose share
// differs from the floor as remembered (every type, when it was not).
func (f *Floor) BalanceChanges() Balance {
	now := BalanceOf(f)
	if f.origAt == nil {
		return now
	}
	before := newBalance()
	for i := range f.orig {
		e := f.orig[i].entry()
		before.add(&e)
	}
	out := Balance{}
	for typ, b := range now {
		if was, ok := before[typ]; !ok || *was != *b {
			out[typ] = b
		}
	}
	return out
}

// fieldsChanged returns the JSON object now reduced to the keys always
// kept and those whose value differs from was's, in now's order.
func fieldsChanged(was, now []byte, always ...string) (json.RawMessage, error) {
	_, wasFields, err := objectFields(was)
	if err != nil {
		return nil, err
	}
	keys, fields, err := objectFields(now)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	b.WriteByte('{')
	first := true
	for _, k := range keys {
		v := fields[k]
		if !slices.Contains(always, k) && bytes.Equal(wasFields[k], v) {
			continue
		}
		if !first {
			b.WriteByte(',')
		}
		first = false
		kb, _ := json.Marshal(k)
		b.Write(kb)
		b.WriteByte(':')
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// objectFields splits a JSON object into its keys, in order, and their
// raw values, in one pass.
func objectFields(obj []byte) ([]string, map[string]json.RawMessage, error) {
	dec := json.NewDecoder(bytes.NewReader(obj))
	if _, err := dec.Token(); err != nil { // {
		return nil, nil, err
	}
	var keys []string
	fields := map[string]json.RawMessage{}
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return nil, nil, err
		}
		k := t.(string)
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return nil, nil, err
		}
		keys = append(keys, k)
		fields[k] = v
	}
	return keys, fields, nil
}
