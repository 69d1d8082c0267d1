package meetings

import (
	"io"
	"strconv"
	"strings"
	"time"

	ics "github.com/arran4/golang-ical"

	"rostrum/models"
)

// WriteCalendar writes the meeting as an iCalendar file (RFC 5545): one
// event per agenda item that has a slot, or one for the whole meeting
// when none has. Times are in UTC, so that every calendar places them
// without a VTIMEZONE; the calendar shows them in its reader's zone.
//
// golang-ical folds lines at 75 octets without splitting a UTF-8
// sequence and escapes text values; it is asked for CRLF line ends,
// which RFC 5545 requires (its default is the platform's).
//
// domain makes UIDs globally unique (the public host); a UID names the
// item or the meeting by id, so it is stable across downloads and an
// edited slot replaces its event in the calendar that imported it.
func WriteCalendar(w io.Writer, m *models.Meeting, items []models.AgendaItem, domain string, stamp time.Time) error {
	cal := ics.NewCalendarFor("Rostrum")
	cal.SetMethod(ics.MethodPublish)
	cal.SetName(oneLine(m.Title))
	add := func(uid, summary string, starts, ends time.Time) {
		ev := cal.AddEvent(uid + "@" + domain)
		ev.SetDtStampTime(stamp)
		ev.SetStartAt(starts)
		ev.SetEndAt(ends)
		ev.SetSummary(oneLine(summary))
		if m.Venue != "" {
			ev.SetLocation(oneLine(m.Venue))
		}
	}
	slotted := 0
	for _, it := range items {
		if it.StartsAt == nil || it.EndsAt == nil {
			continue
		}
		slotted++
		add("agenda-item-"+strconv.FormatUint(uint64(it.ID), 10), m.Title+": "+it.Title, *it.StartsAt, *it.EndsAt)
	}
	if slotted == 0 {
		add("meeting-"+strconv.FormatUint(uint64(m.ID), 10), m.Title, m.StartsAt, m.EndsAt)
	}
	return cal.SerializeTo(w, ics.WithNewLineWindows)
}

// oneLine keeps text to LF line breaks, which the library escapes as \n;
// a CR would go out raw and end the content line.
func oneLine(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
}
