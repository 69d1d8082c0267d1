package meetings

import (
	"testing"
	"time"

	"rostrum/models"
)

func TestZoneIsNamedByItsUNCityElseByTheCityOfItsIANAName(t *testing.T) {
	winter := time.Date(2019, 12, 2, 15, 0, 0, 0, time.UTC)
	summer := time.Date(2019, 7, 2, 15, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		tz   string
		at   time.Time
		want string
	}{
		{"America/New_York", winter, "New York time (EST)"},
		{"America/New_York", summer, "New York time (EDT)"},
		{"Europe/Zurich", winter, "Geneva time (CET)"},
		{"Europe/Vienna", summer, "Vienna time (CEST)"},
		{"Africa/Nairobi", winter, "Nairobi time (EAT)"},
		{"Asia/Bangkok", winter, "Bangkok time (+07)"},
		{"America/Argentina/Buenos_Aires", winter, "Buenos Aires time (-03)"},
		{"UTC", winter, "UTC"},
	} {
		if got := ZoneName(c.tz, c.at); got != c.want {
			t.Errorf("ZoneName(%s, %s) = %q, want %q", c.tz, c.at, got, c.want)
		}
	}
}

func TestMeetingDatesAreShownInTheMeetingsZoneWithTheZoneNamed(t *testing.T) {
	m := &models.Meeting{Timezone: "America/New_York",
		// 2 December 15:00 UTC to 5 December 02:00 UTC: 2–4 December in New York.
		StartsAt: time.Date(2019, 12, 2, 15, 0, 0, 0, time.UTC), EndsAt: time.Date(2019, 12, 5, 2, 0, 0, 0, time.UTC)}
	if got, want := Dates(m), "2–4 December 2019, New York time (EST)"; got != want {
		t.Errorf("Dates = %q, want %q", got, want)
	}
}

func TestWallClockTimeIsReadInTheMeetingsZone(t *testing.T) {
	m, err := Input{Slug: "m", Title: "M", Timezone: "America/New_York",
		StartsAt: "2019-12-02T10:00", EndsAt: "2019-12-04T18:00", RegistrationClosesAt: "2019-11-25T12:00:00Z"}.Validate()
	if err != nil {
		t.Fatal(err)
	}
	if want := time.Date(2019, 12, 2, 15, 0, 0, 0, time.UTC); !m.StartsAt.Equal(want) {
		t.Errorf("starts_at = %s, want %s", m.StartsAt, want)
	}
	if want := time.Date(2019, 11, 25, 12, 0, 0, 0, time.UTC); !m.RegistrationClosesAt.Equal(want) {
		t.Errorf("an RFC 3339 time is taken as it is: %s, want %s", m.RegistrationClosesAt, want)
	}
}
