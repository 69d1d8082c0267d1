package live

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"
	"time"
)

// Remember keeps a picture of each entry, not the entry: every field
// viewers see must survive the trip, or a change would be sent against a
// wrong original. The entry is filled by reflection, so that a field
// added to it later is filled too (or this test names it).
func TestAPictureKeepsEveryFieldOfAnEntry(t *testing.T) {
	var e Entry
	v := reflect.ValueOf(&e).Elem()
	at := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	for i := range v.NumField() {
		f, field := v.Field(i), v.Type().Field(i)
		switch {
		case field.Type == reflect.TypeOf(time.Time{}):
			f.Set(reflect.ValueOf(at))
		case field.Type == reflect.TypeOf(&at):
			tm := at.Add(time.Duration(i) * time.Minute)
			f.Set(reflect.ValueOf(&tm))
		case f.Kind() == reflect.Pointer && f.Type().Elem().Kind() == reflect.Uint:
			n := uint(i)
			f.Set(reflect.ValueOf(&n))
		case f.Kind() == reflect.String:
			f.SetString(field.Name)
		case f.CanUint():
			f.SetUint(uint64(i + 1))
		case f.CanInt():
			f.SetInt(int64(i + 1))
		case f.Kind() == reflect.Struct: // the records it refers to: not sent, not kept
			continue
		default:
			t.Fatalf("fill Entry.%s (%s) in this test", field.Name, field.Type)
		}
	}
	p := pictureOf(&e)
	back := p.entry()
	want, _ := json.Marshal(&e)
	got, _ := json.Marshal(&back)
	if !bytes.Equal(got, want) {
		t.Fatalf("picture lost a field:\n got %s\nwant %s", got, want)
	}
	if back.MeetingID != e.MeetingID {
		t.Fatalf("meeting %d, want %d", back.MeetingID, e.MeetingID)
	}
}
