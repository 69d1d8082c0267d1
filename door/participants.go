package door

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"rostrum/apperr"
	"rostrum/locale"
	"rostrum/meetings"
	"rostrum/models"
	"rostrum/registration"
	"rostrum/summary"
)

// ListFormats are the formats of the list of participants and their
// content types.
var ListFormats = map[string]string{
	"pdf":  "application/pdf",
	"docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}

// ListOfParticipants writes meeting m's list of participants as UN
// documents lay it out, in Markdown for the summary's renderers: Member
// States, observer States, intergovernmental organizations, then the
// other organizations by stakeholder type, each group alphabetical (a
// State's delegation led by its head), every participant with their
// title. The public list names the States and organizations only, no
// person.
func ListOfParticipants(m *models.Meeting, regs []models.Registration, public bool) string {
	lang := documentLanguage(m)
	regs = append([]models.Registration(nil), regs...)
	registration.SortForList(regs)
	var b strings.Builder
	fmt.Fprintf(&b, "# %s\n\n", summary.Escape(locale.T(lang, "door.list_title")))
	fmt.Fprintf(&b, "%s\n\n", summary.Escape(m.Title))
	place := meetings.DatesIn(lang, m)
	if strings.TrimSpace(m.Venue) != "" {
		place = m.Venue + ", " + place
	}
	fmt.Fprintf(&b, "%s\n\n", summary.Escape(place))
	if len(regs) == 0 {
		fmt.Fprintf(&b, "## %s\n\n%s\n", summary.Escape(locale.T(lang, "door.participants")), summary.Escape(locale.T(lang, "door.none")))
		return b.String()
	}
	category := ""
	org := uint(0)
	for i := range regs {
		r := &regs[i]
		if r.Organization.Type != category {
			category = r.Organization.Type
			org = 0
			fmt.Fprintf(&b, "## %s\n\n", summary.Escape(heading(lang, category)))
		}
		if r.OrganizationID != org {
			org = r.OrganizationID
			name := r.Organization.Name
			if a := strings.TrimSpace(r.Organization.Acronym); a != "" && !models.IsState(category) {
				name += " (" + a + ")"
			}
			if public {
				fmt.Fprintf(&b, "- %s\n", summary.Escape(name))
				if i+1 == len(regs) || regs[i+1].Organization.Type != category {
					b.WriteString("\n")
				}
				continue
			}
			fmt.Fprintf(&b, "**%s**\n\n", summary.Escape(name))
		}
		if public {
			continue
		}
		line := r.Name
		if t := strings.TrimSpace(r.JobTitle); t != "" {
			line += ", " + t
		}
		if r.HeadOfDelegation {
			line += " " + locale.T(lang, "door.head_of_delegation")
		}
		fmt.Fprintf(&b, "%s\n\n", summary.Escape(line))
	}
	return b.String()
}

// documentLanguage is the language of the meeting's documents (its list
// of participants, its badges): the meeting's, English when it has none
// of ours.
func documentLanguage(m *models.Meeting) string {
	if locale.Supported(m.Language) {
		return m.Language
	}
	return locale.Default
}

// heading names a category's section of the list in language lang
// ("Member States", "Intergovernmental organizations and UN entities",
// "Non-governmental organizations"), as the vocabulary names categories.
func heading(lang, category string) string {
	switch {
	case category == "intergovernmental":
		return locale.T(lang, "category.intergovernmental")
	case slices.Contains(models.Categories, category):
		return locale.T(lang, "type."+category+".group")
	}
	return category
}

// meetingDates is a meeting's dates as an argument of a message, written
// as each language writes dates.
type meetingDates struct{ m *models.Meeting }

func (d meetingDates) In(lang string) string { return meetings.DatesIn(lang, d.m) }

// errNotStarted is the answer to the public list before the meeting.
func errNotStarted(m *models.Meeting) error {
	return apperr.Say(apperr.KindForbidden, "err.participants_not_yet", "Dates", meetingDates{m}).WithCode("meeting_not_started")
}

// List renders meeting m's list of participants (its approved
// registrations) in format (pdf or docx); the public one, only once the
// meeting has started (403 meeting_not_started before), names no person.
func (s *Service) List(ctx context.Context, m *models.Meeting, format string, public bool, now time.Time) ([]byte, error) {
	if _, ok := ListFormats[format]; !ok {
		return nil, apperr.Say(apperr.KindNotFound, "err.door.no_list_format", "Format", strconv.Quote(format))
	}
	if public && now.Before(m.StartsAt) {
		return nil, errNotStarted(m)
	}
	if format == "pdf" && s.Fonts == nil {
		return nil, fmt.Errorf("door: the PDF fonts are not loaded (summary_font_dir)")
	}
	regs, err := s.Participants.Approved(ctx, m.ID)
	if err != nil {
		return nil, err
	}
	title := locale.T(documentLanguage(m), "door.list_pdf_title", "Meeting", m.Title)
	return summary.Render(ListOfParticipants(m, regs, public), format, s.Fonts, title)
}
