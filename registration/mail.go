package registration

import (
	"bytes"
	htmltemplate "html/template"
	"strings"
	texttemplate "text/template"

	"gorm.io/gorm"

	"rostrum/locale"
	"rostrum/meetings"
	"rostrum/models"
	"rostrum/outbox"
	"rostrum/qr"
)

// Kinds of mail this capability sends (outbox.Message.Kind).
const (
	mailConfirmation = "registration_confirmation" // on registration
	mailDecision     = "registration_decision"     // on every decision of the secretariat
	mailPromoted     = "registration_promoted"     // a freed seat moved it from the waiting list to pending
	mailWithdrawn    = "registration_withdrawn"    // the participant withdrew
	mailNameChange   = "registration_name_change"  // the secretariat accepted or refused a new name
	mailLink         = "registration_link"         // a new private link, asked for by its address
	mailDelegate     = "registration_delegate"     // a mission's focal point registered a member of its delegation
	mailNoShow       = "registration_no_show"      // not checked in by the time set: the seat went to the waiting list
)

// letter is what a mail says, before it is put into text and HTML. Every
// word comes from the catalogue of the registrant's language (locale):
// the fixed labels are its fields too, so that the templates hold no
// words of their own.
type letter struct {
	Lang, Dir string
	Subject   string
	Dear      string // the greeting, with the name
	Lead      string // the news, one paragraph
	Next      string // what happens next, one paragraph (may be empty)
	Reason    string
	Meeting   string
	Dates     string
	Venue     string
	Org       string
	Status    string
	Manage    string // the private link, in the mails that hand over a new one
	Lost      string // where to ask for a new link, in the others
	// Calendar is the meeting's calendar.ics, in the mail that approves:
	// from then on the participant has a seat to put in a calendar.
	Calendar string
	// Checkin is the participant's check-in code, in the mails that
	// accredit: the door scans its QR code, attached as an image.
	Checkin string
	Labels  mailLabels
}

// mailLabels are the fixed words of the mail's templates.
type mailLabels struct {
	Reason, Meeting, Dates, Venue, Org, Status, Calendar, CalendarNote, Manage, Keep, Lost, Checkin string
}

// compose writes the letter of kind for reg (whose Meeting and
// Organization are loaded), in reg's language.
func compose(kind string, reg *models.Registration, manage, lost string) letter {
	m := &reg.Meeting
	lang := reg.Language
	if !locale.Supported(lang) {
		lang = locale.Default
	}
	t := func(id string, args ...any) string { return locale.T(lang, id, args...) }
	// The links open their pages in the registrant's language, whatever
	// the language of the browser they are opened in.
	if lang != locale.Default {
		if manage != "" {
			manage += "?lang=" + lang
		}
		lost += "?lang=" + lang
	}
	l := letter{
		Lang: lang, Dir: locale.Dir(lang), Dear: t("mail.dear", "Name", reg.Name),
		Meeting: m.Title, Dates: meetings.DatesIn(lang, m), Venue: m.Venue,
		Org: reg.Organization.Name, Status: t("status." + reg.Status), Manage: manage, Lost: lost,
		Labels: mailLabels{
			Reason: t("participant.reason"), Meeting: t("mail.meeting"), Dates: t("meeting.dates"),
			Venue: t("meeting.venue"), Org: t("field.organization"), Status: t("mail.status"),
			Calendar: t("register.calendar"), CalendarNote: t("mail.calendar_note"),
			Manage: t("mail.manage"), Keep: t("mail.keep"), Lost: t("mail.lost"), Checkin: t("mail.checkin"),
		},
	}
	// say sets the subject, the lead and what comes next from the
	// catalogue's messages prefix.subject and prefix.lead, and next.
	say := func(prefix, next string, args ...any) {
		args = append(args, "Meeting", m.Title)
		l.Subject, l.Lead = t(prefix+".subject", args...), t(prefix+".lead", args...)
		if next != "" {
			l.Next = t(next)
		}
	}
	state := locale.CountryName(lang, reg.Organization.Country)
	switch kind {
	case mailConfirmation:
		if reg.Status == models.StatusWaitlisted {
			say("mail.waitlisted", "mail.waitlist_next")
		} else {
			say("mail.received", "mail.decide_next")
		}
	case mailDelegate:
		say("mail.delegate", "mail.delegate.next", "State", state)
	case mailDecision:
		l.Reason = reg.Reason
		switch reg.Status {
		case models.StatusApproved:
			say("mail.approved", "mail.approved.next")
		case models.StatusRejected:
			say("mail.rejected", "")
		case models.StatusWaitlisted:
			say("mail.put_on_waitlist", "mail.waitlist_next")
		}
	case mailPromoted:
		say("mail.promoted", "mail.decide_next")
	case mailNameChange:
		if reg.PendingName == "" { // accepted: Name is the new name
			say("mail.name_accepted", "")
		} else {
			say("mail.name_refused", "mail.name_refused.next", "New", reg.PendingName, "Old", reg.Name)
		}
	case mailWithdrawn:
		say("mail.withdrawn", "mail.withdrawn.next")
	case mailNoShow:
		say("mail.no_show", "mail.no_show.next")
	case mailLink:
		say("mail.link", "mail.link.next")
	}
	return l
}

var textMail = texttemplate.Must(texttemplate.New("text").Parse(`{{.Dear}}

{{.Lead}}
{{- if .Reason}}

{{.Labels.Reason}} {{.Reason}}
{{- end}}
{{- if .Next}}

{{.Next}}
{{- end}}

{{.Labels.Meeting}}: {{.Meeting}}
{{.Labels.Dates}}: {{.Dates}}
{{- if .Venue}}
{{.Labels.Venue}}: {{.Venue}}
{{- end}}
{{.Labels.Org}}: {{.Org}}
{{.Labels.Status}}: {{.Status}}
{{- if .Checkin}}

{{.Labels.Checkin}}
{{.Checkin}}
{{- end}}
{{- if .Calendar}}

{{.Labels.Calendar}}: {{.Calendar}}
{{- end}}
{{if .Manage}}
{{.Labels.Manage}}:
{{.Manage}}

{{.Labels.Keep}}
{{- else}}
{{.Labels.Lost}}
{{.Lost}}
{{- end}}
`))

var htmlMail = htmltemplate.Must(htmltemplate.New("html").Parse(`<!doctype html>
<html lang="{{.Lang}}" dir="{{.Dir}}"><head><meta charset="utf-8"><title>{{.Subject}}</title></head>
<body>
<p>{{.Dear}}</p>
<p>{{.Lead}}</p>
{{- if .Reason}}
<p>{{.Labels.Reason}} <bdi>{{.Reason}}</bdi></p>
{{- end}}
{{- if .Next}}
<p>{{.Next}}</p>
{{- end}}
<table>
<tr><th style="text-align:start">{{.Labels.Meeting}}</th><td><bdi>{{.Meeting}}</bdi></td></tr>
<tr><th style="text-align:start">{{.Labels.Dates}}</th><td>{{.Dates}}</td></tr>
{{- if .Venue}}
<tr><th style="text-align:start">{{.Labels.Venue}}</th><td><bdi>{{.Venue}}</bdi></td></tr>
{{- end}}
<tr><th style="text-align:start">{{.Labels.Org}}</th><td><bdi>{{.Org}}</bdi></td></tr>
<tr><th style="text-align:start">{{.Labels.Status}}</th><td>{{.Status}}</td></tr>
</table>
{{- if .Checkin}}
<p>{{.Labels.Checkin}} <strong>{{.Checkin}}</strong></p>
{{- end}}
{{- if .Calendar}}
<p><a href="{{.Calendar}}">{{.Labels.Calendar}}</a> {{.Labels.CalendarNote}}</p>
{{- end}}
{{- if .Manage}}
<p><a href="{{.Manage}}">{{.Labels.Manage}}</a></p>
<p>{{.Labels.Keep}}</p>
{{- else}}
<p>{{.Labels.Lost}} <a href="{{.Lost}}">{{.Lost}}</a></p>
{{- end}}
</body></html>
`))

// render turns the letter into its plain-text and HTML bodies. The HTML
// body escapes every value (html/template), so a name holding markup
// arrives as text.
func render(l letter) (text, html string, err error) {
	var t, h bytes.Buffer
	if err := textMail.Execute(&t, l); err != nil {
		return "", "", err
	}
	if err := htmlMail.Execute(&h, l); err != nil {
		return "", "", err
	}
	return t.String(), h.String(), nil
}

// enqueue queues the mail of kind for reg in tx, the transaction that
// made the change it reports. Only a registration whose link was just
// minted carries its token (reg.Token): its mail holds the link, and the
// outbox forgets the token once the mail is delivered. The others' mail
// (decisions, promotions, withdrawals) says where to ask for a new link:
// the database has no link to put in them.
func (s *Service) enqueue(tx *gorm.DB, kind string, reg *models.Registration) error {
	var manage string
	if reg.Token != "" {
		manage = s.ManageURL(reg.Token)
	}
	l := compose(kind, reg, manage, s.LostLinkURL(reg.Meeting.Slug))
	if kind == mailDecision && reg.Status == models.StatusApproved {
		l.Calendar = s.PublicURL + "/m/" + reg.Meeting.Slug + "/calendar.ics"
	}
	var attach []outbox.Attachment
	if (kind == mailDecision || kind == mailDelegate) && reg.Status == models.StatusApproved && reg.CheckinCode != "" {
		l.Checkin = reg.CheckinCode
		png, err := qr.PNG(reg.CheckinCode, 320)
		if err != nil {
			return err
		}
		attach = append(attach, outbox.Attachment{Filename: "checkin-code.png", ContentType: "image/png", Data: png})
	}
	text, html, err := render(l)
	if err != nil {
		return err
	}
	_, err = outbox.Enqueue(tx, outbox.Message{
		Kind: kind, To: reg.Email, ToName: reg.Name,
		// A subject is one line whatever the meeting's title holds.
		Subject: strings.Join(strings.Fields(l.Subject), " "),
		Text:    text, HTML: html, Secret: reg.Token, Attachments: attach,
	})
	return err
}
