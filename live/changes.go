package live

import (
	"bytes"
	"encoding/json"
	"slices"
)

// A change sends viewers what changed, not the list: each entry it
// touched as the fields that differ from when the floor was loaded, and
// the stakeholder types whose balance moved. Remember takes the picture
// the differences are taken against.

// Remember records the floor's entries as loaded.
func (f *Floor) Remember() {
	f.orig = make(map[*Entry]Entry)
	for _, l := range f.Lists {
		for _, e := range l.Entries {
			f.orig[e] = *e
		}
	}
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
		before, ok := f.orig[e]
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
	if f.orig == nil {
		return now
	}
	before := newBalance()
	for _, e := range f.orig {
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
