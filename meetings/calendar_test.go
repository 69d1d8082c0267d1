package meetings

import (
	"bytes"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	ics "github.com/arran4/golang-ical"

	"rostrum/models"
)

func calendarOf(t *testing.T, m *models.Meeting, items []models.AgendaItem) string {
	t.Helper()
	var b bytes.Buffer
	if err := WriteCalendar(&b, m, items, "rostrum.example.org", time.Date(2019, 11, 1, 9, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func utc(y int, mo time.Month, d, h int) *time.Time {
	t := time.Date(y, mo, d, h, 0, 0, 0, time.UTC)
	return &t
}

func TestCalendarHasOneEventPerAgendaSlotInUTC(t *testing.T) {
	m := &models.Meeting{ID: 7, Title: "OEWG", Venue: "Conference Room 1, UN Headquarters", Timezone: "America/New_York",
		StartsAt: *utc(2019, 12, 2, 15), EndsAt: *utc(2019, 12, 4, 23)}
	items := []models.AgendaItem{
		{ID: 31, Title: "Existing and potential threats", StartsAt: utc(2019, 12, 2, 15), EndsAt: utc(2019, 12, 2, 18)},
		{ID: 32, Title: "Without a slot"},
		{ID: 33, Title: "International law", StartsAt: utc(2019, 12, 3, 15), EndsAt: utc(2019, 12, 3, 18)},
	}
	text := calendarOf(t, m, items)
	cal, err := ics.ParseCalendar(strings.NewReader(text))
	if err != nil {
		t.Fatal(err)
	}
	evs := cal.Events()
	if len(evs) != 2 {
		t.Fatalf("%d events, want one per slot (2):\n%s", len(evs), text)
	}
	if evs[0].Id() != "agenda-item-31@rostrum.example.org" || evs[1].Id() != "agenda-item-33@rostrum.example.org" {
		t.Errorf("UIDs %q, %q", evs[0].Id(), evs[1].Id())
	}
	for _, want := range []string{"DTSTART:20191202T150000Z\r\n", "DTEND:20191202T180000Z\r\n", "DTSTAMP:20191101T090000Z\r\n",
		"SUMMARY:OEWG: Existing and potential threats\r\n", `LOCATION:Conference Room 1\, UN Headquarters` + "\r\n"} {
		if !strings.Contains(text, want) {
			t.Errorf("calendar lacks %q:\n%s", want, text)
		}
	}
	if again := calendarOf(t, m, items); again != text {
		t.Error("the same meeting gives another calendar (UIDs and stamp must be stable)")
	}
}

func TestCalendarWithoutSlotsHasTheMeetingAsItsEvent(t *testing.T) {
	m := &models.Meeting{ID: 7, Title: "OEWG", StartsAt: *utc(2019, 12, 2, 15), EndsAt: *utc(2019, 12, 4, 23)}
	text := calendarOf(t, m, []models.AgendaItem{{ID: 1, Title: "Opening"}})
	cal, err := ics.ParseCalendar(strings.NewReader(text))
	if err != nil {
		t.Fatal(err)
	}
	evs := cal.Events()
	if len(evs) != 1 || evs[0].Id() != "meeting-7@rostrum.example.org" || !strings.Contains(text, "DTEND:20191204T230000Z\r\n") {
		t.Fatalf("want the meeting as the one event:\n%s", text)
	}
	if strings.Contains(text, "LOCATION") {
		t.Error("no venue, no LOCATION")
	}
}

func TestCalendarTextIsEscapedAndFoldedAt75OctetsWithCRLF(t *testing.T) {
	title := `Réunion; consultations, "informelles" \ sur la sécurité` + "\r\n" + strings.Repeat("é", 60)
	m := &models.Meeting{ID: 1, Title: title, StartsAt: *utc(2019, 12, 2, 15), EndsAt: *utc(2019, 12, 4, 23)}
	text := calendarOf(t, m, nil)
	if !strings.HasSuffix(text, "\r\n") || strings.Count(text, "\n") != strings.Count(text, "\r\n") {
		t.Fatal("every line must end with CRLF")
	}
	for _, line := range strings.Split(strings.TrimSuffix(text, "\r\n"), "\r\n") {
		if len(line) > 75 {
			t.Errorf("line of %d octets: %q", len(line), line)
		}
		if !utf8.ValidString(line) {
			t.Errorf("a fold split a UTF-8 sequence: %q", line)
		}
	}
	unfolded := strings.ReplaceAll(text, "\r\n ", "")
	if want := `SUMMARY:Réunion\; consultations\, "informelles" \\ sur la sécurité\n` + strings.Repeat("é", 60) + "\r\n"; !strings.Contains(unfolded, want) {
		t.Errorf("summary not escaped as %q:\n%s", want, unfolded)
	}
	cal, err := ics.ParseCalendar(strings.NewReader(text))
	if err != nil {
		t.Fatal(err)
	}
	if got := cal.Events()[0].GetProperty(ics.ComponentPropertySummary).Value; got != strings.ReplaceAll(title, "\r\n", "\n") {
		t.Errorf("summary parsed back as %q", got)
	}
}
