// Package summary is the Chair's summary: the record of a meeting drafted
// into Markdown following UN practice, the versions the secretariat edits
// and approves, the documents circulated (Markdown, HTML, PDF, DOCX) and
// their circulation by mail.
//
// Drafting (Record → Draft) and rendering (Markdown → Doc → HTML, PDF,
// DOCX) are plain Go with no database; the Service wraps them with storage.
package summary

import (
	"time"

	"rostrum/locale"
	"rostrum/models"
)

// Record is what the Chair's summary is drafted from: the meeting, its
// agenda, who spoke under each item for which stakeholder group, and the
// rapporteurs' notes. It deliberately holds no person's name: the draft
// cannot leak what it never sees.
type Record struct {
	Title       string
	Symbol      string // the document symbol, e.g. A/AC.290/2020/INF/1; may be empty
	Body        string // the full name of the body the meeting serves: "Open-ended Working Group on …"; may be empty
	BodyAcronym string // its short name, defined at its first mention: "OEWG", "the Committee"; may be empty
	IssuedOn    time.Time
	Venue       string
	Chair       string
	StartsAt    time.Time
	EndsAt      time.Time
	Timezone    string // IANA name; dates are shown in the meeting's zone
	Attribution string // models.AttributionChathamHouse or models.AttributionAttributed
	// Language is the meeting's language (locale.Codes): the summary's
	// fixed wording is written in it; "" is English.
	Language string
	Items    []Item
	// Organizations that took part (approved registrations, or those of
	// the participants checked in when anyone was), any order.
	Organizations []Organization
	// Attended is how many participants were checked in at the door; 0
	// when the door kept no attendance.
	Attended int
}

// Item is one agenda item with its interventions in speaking order.
type Item struct {
	Title string
	// StartsAt and EndsAt are the item's slot in the programme of work,
	// when the secretariat set one.
	StartsAt, EndsAt *time.Time
	Interventions    []Intervention
}

// Organization is a participating organization.
type Organization struct {
	Name    string
	Type    string // one of models.Categories: a State's delegation, or an organization
	Country string // ISO 3166-1 alpha-2
}

// Intervention is one speaker's turn under an agenda item.
type Intervention struct {
	Organization Organization
	Kind         string        // e.g. "statement", "reply", "question"
	SpeakingTime time.Duration // zero when not measured
	Note         string        // the rapporteur's note; may be empty
	KeyPoints    []KeyPoint
}

// chathamHouse reports whether the record must not name anyone.
func (r *Record) chathamHouse() bool { return r.Attribution != models.AttributionAttributed }

// typeKey returns the stakeholder type of an organization, unknown ones
// (should there be any) under "other".
func typeKey(t string) string { return models.CategoryOf(t).Key }

func (r *Record) lang() string {
	if locale.Supported(r.Language) {
		return r.Language
	}
	return locale.Default
}
