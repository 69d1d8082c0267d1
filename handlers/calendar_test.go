package handlers_test

import (
	"bytes"
	"fmt"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"

	"rostrum/internal/testenv"
)

func TestCalendarICSHasTheMeetingThenOneEventPerSlotTypedInTheMeetingsZone(t *testing.T) {
	e := testenv.New(t)
	admin := e.Admin()
	admin.MustJSON("POST", "/api/meetings", map[string]any{
		"slug": "oewg", "title": "OEWG, second session", "venue": "Conference Room 1; UN Headquarters",
		"timezone": "America/New_York", "starts_at": "2030-12-02T10:00", "ends_at": "2030-12-04T18:00",
		"registration_closes_at": "2030-11-25T23:59",
	}, 201, nil)
	var item struct{ ID uint }
	admin.MustJSON("POST", "/api/meetings/oewg/agenda", map[string]any{"title": "International law", "speaking_time_seconds": 180}, 201, &item)

	events := func() []*ics.VEvent {
		t.Helper()
		r := e.Anon().Do("GET", "/m/oewg/calendar.ics", nil)
		if r.Status != 200 || r.Header.Get("Content-Type") != "text/calendar; charset=utf-8" {
			t.Fatalf("calendar.ics: %d %q", r.Status, r.Header.Get("Content-Type"))
		}
		if !bytes.Contains(r.Body, []byte("\r\n")) {
			t.Fatal("calendar lines must end with CRLF")
		}
		cal, err := ics.ParseCalendar(bytes.NewReader(r.Body))
		if err != nil {
			t.Fatalf("parse: %v\n%s", err, r.Body)
		}
		return cal.Events()
	}

	// No slot yet: the meeting itself, 10:00 New York being 15:00 UTC.
	evs := events()
	if len(evs) != 1 {
		t.Fatalf("%d events, want the meeting", len(evs))
	}
	start, err := evs[0].GetStartAt()
	if err != nil || !start.Equal(time.Date(2030, 12, 2, 15, 0, 0, 0, time.UTC)) {
		t.Errorf("meeting starts %s (%v), want 15:00 UTC", start, err)
	}
	if got := evs[0].GetProperty(ics.ComponentPropertySummary).Value; got != "OEWG, second session" {
		t.Errorf("summary %q", got)
	}
	if got := evs[0].GetProperty(ics.ComponentPropertyLocation).Value; got != "Conference Room 1; UN Headquarters" {
		t.Errorf("location %q", got)
	}

	// A slot typed as a wall-clock time is read in the meeting's zone too.
	admin.MustJSON("PATCH", fmt.Sprintf("/api/meetings/oewg/agenda/%d", item.ID), map[string]any{
		"starts_at": "2030-12-03T10:00", "ends_at": "2030-12-03T13:00"}, 200, nil)
	evs = events()
	if len(evs) != 1 || evs[0].Id() == "" {
		t.Fatalf("%d events, want the one slot", len(evs))
	}
	start, _ = evs[0].GetStartAt()
	end, _ := evs[0].GetEndAt()
	if !start.Equal(time.Date(2030, 12, 3, 15, 0, 0, 0, time.UTC)) || !end.Equal(time.Date(2030, 12, 3, 18, 0, 0, 0, time.UTC)) {
		t.Errorf("slot %s – %s, want 15:00–18:00 UTC", start, end)
	}
	if first := evs[0].Id(); events()[0].Id() != first {
		t.Error("the UID changes between downloads")
	}
	if r := e.Anon().Do("GET", "/m/nope/calendar.ics", nil); r.Status != 404 {
		t.Errorf("unknown meeting: %d", r.Status)
	}
}
