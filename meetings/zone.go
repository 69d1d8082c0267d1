package meetings

import (
	"fmt"
	"strings"
	"time"

	"rostrum/apperr"
	"rostrum/locale"
	"rostrum/models"
)

// zoneNames are the names participants know the zones of UN meetings by.
// A zone is named after the duty station or conference city in it, which
// is not always the city IANA chose: Geneva keeps Europe/Zurich's time and
// Bonn Europe/Berlin's. The table is small on purpose: it holds only the
// zones where the UN meets, and any other zone falls back to the city of
// its IANA name (America/Sao_Paulo → "Sao Paulo"), which is always right,
// if not always the name a delegate would choose.
var zoneNames = map[string]string{
	"America/New_York":   "New York",
	"Europe/Zurich":      "Geneva",
	"Europe/Vienna":      "Vienna",
	"Africa/Nairobi":     "Nairobi",
	"Asia/Bangkok":       "Bangkok",
	"Asia/Beirut":        "Beirut",
	"America/Santiago":   "Santiago",
	"Africa/Addis_Ababa": "Addis Ababa",
	"Europe/Berlin":      "Bonn",
}

// Zone is the location named tz, or UTC if there is none such (a meeting's
// zone is checked when it is saved, so this is a fallback for old rows).
func Zone(tz string) *time.Location {
	loc, err := time.LoadLocation(tz)
	if err != nil {
		return time.UTC
	}
	return loc
}

// ZoneCity is the common name of the zone tz: "New York", "Geneva".
func ZoneCity(tz string) string {
	if n, ok := zoneNames[tz]; ok {
		return n
	}
	city := tz[strings.LastIndexByte(tz, '/')+1:]
	return strings.ReplaceAll(city, "_", " ")
}

// ZoneName names the zone tz as it is at t: "New York time (EST)". The
// abbreviation is Go's (from the zone database), so it follows summer
// time; where the database has none it is an offset such as "+03".
func ZoneName(tz string, t time.Time) string {
	if tz == "" || tz == "UTC" {
		return "UTC"
	}
	abbr, _ := t.In(Zone(tz)).Zone()
	return ZoneCity(tz) + " time (" + abbr + ")"
}

// Dates shows the meeting's days in its zone, with the zone named:
// "2–4 December 2019, New York time (EST)".
func Dates(m *models.Meeting) string {
	loc := Zone(m.Timezone)
	s, e := m.StartsAt.In(loc), m.EndsAt.In(loc)
	var days string
	switch {
	case s.Year() == e.Year() && s.Month() == e.Month() && s.Day() == e.Day():
		days = s.Format("2 January 2006")
	case s.Year() == e.Year() && s.Month() == e.Month():
		days = s.Format("2") + "–" + e.Format("2 January 2006")
	case s.Year() == e.Year():
		days = s.Format("2 January") + " – " + e.Format("2 January 2006")
	default:
		days = s.Format("2 January 2006") + " – " + e.Format("2 January 2006")
	}
	return days + ", " + ZoneName(m.Timezone, m.StartsAt)
}

// FormatInZone shows instant t in meeting m's zone, named: "2 December
// 2019 at 18:00, New York time (EST)".
func FormatInZone(m *models.Meeting, t time.Time) string {
	return t.In(Zone(m.Timezone)).Format("2 January 2006 at 15:04") + ", " + ZoneName(m.Timezone, t)
}

// ParseInZone reads field's value v as an RFC 3339 time, or as a
// wall-clock time (2019-12-02T18:00) in meeting m's zone, as the
// meeting's own times are read; it returns an Invalid error naming field.
func ParseInZone(m *models.Meeting, field, v string) (time.Time, error) {
	f := apperr.Fields{}
	t := parseTime(f, field, strings.TrimSpace(v), Zone(m.Timezone))
	return t, f.Err()
}

// DatesIn shows the meeting's days in its zone as language lang writes
// them: English as Dates does; the others with the zone as its offset
// from UTC ("du 2 décembre 2019 au 4 décembre 2019, UTC−05:00"), since
// the zone's city is known by its English name only.
func DatesIn(lang string, m *models.Meeting) string {
	if lang == "" || lang == locale.Default {
		return Dates(m)
	}
	loc := Zone(m.Timezone)
	days := locale.Days(lang, m.StartsAt.In(loc), m.EndsAt.In(loc))
	return locale.T(lang, "date.with_zone", "Dates", days, "Zone", UTCOffset(m.Timezone, m.StartsAt))
}

// TimeIn shows time t of meeting m, in the meeting's zone, as lang writes
// it: "2 décembre 2019 à 10:00 UTC−05:00".
func TimeIn(lang string, m *models.Meeting, t time.Time) string {
	lt := t.In(Zone(m.Timezone))
	at := locale.T(lang, "date.at", "Date", locale.Day(lang, lt), "Time", locale.Clock(lt))
	if lang == "" || lang == locale.Default {
		return at + " " + ZoneName(m.Timezone, t)
	}
	return at + " " + UTCOffset(m.Timezone, t)
}

// UTCOffset names zone tz at time t by its offset: "UTC", "UTC+01:00",
// "UTC−05:00" (with a minus sign).
func UTCOffset(tz string, t time.Time) string {
	_, off := t.In(Zone(tz)).Zone()
	if off == 0 {
		return "UTC"
	}
	sign := "+"
	if off < 0 {
		sign, off = "−", -off
	}
	return fmt.Sprintf("UTC%s%02d:%02d", sign, off/3600, off%3600/60)
}
