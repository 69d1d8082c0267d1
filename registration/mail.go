package registration

import (
	"bytes"
	htmltemplate "html/template"
	"strings"
	texttemplate "text/template"

	"gorm.io/gorm"

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

// letter is what a mail says, before it is put into text and HTML.
type letter struct {
	Subject string
	Name    string
	Lead    string // the news, one paragraph
	Next    string // what happens next, one paragraph (may be empty)
	Reason  string
	Meeting string
	Dates   string
	Venue   string
	Org     string
	Status  string
	Manage  string // the private link, in the mails that hand over a new one
	Lost    string // where to ask for a new link, in the others
	// Calendar is the meeting's calendar.ics, in the mail that approves:
	// from then on the participant has a seat to put in a calendar.
	Calendar string
	// Checkin is the participant's check-in code, in the mails that
	// accredit: the door scans its QR code, attached as an image.
	Checkin string
}

// compose writes the letter of kind for reg (whose Meeting and
// Organization are loaded).
func compose(kind string, reg *models.Registration, manage, lost string) letter {
	m := &reg.Meeting
	l := letter{
		Name: reg.Name, Meeting: m.Title, Dates: meetings.Dates(m), Venue: m.Venue,
		Org: reg.Organization.Name, Status: reg.Status, Manage: manage, Lost: lost,
	}
	switch kind {
	case mailConfirmation:
		if reg.Status == models.StatusWaitlisted {
			l.Subject = "On the waiting list: " + m.Title
			l.Lead = "Thank you for registering. Every seat of the meeting is taken for now, so your registration is on the waiting list."
			l.Next = "When a seat is freed, the oldest registration on the waiting list moves to review by itself, and we will write to you."
		} else {
			l.Subject = "Registration received: " + m.Title
			l.Lead = "Thank you for registering. The secretariat will review your registration."
			l.Next = "You will receive a message when it has decided."
		}
	case mailDelegate:
		l.Subject = "Registered in the delegation of " + reg.Organization.Name + ": " + m.Title
		l.Lead = "Your mission has registered you as a member of the delegation of " + reg.Organization.Name + "."
		l.Next = "With the link below you may see your registration and ask for the floor on behalf of your State."
	case mailDecision:
		l.Reason = reg.Reason
		switch reg.Status {
		case models.StatusApproved:
			l.Subject = "Registration approved: " + m.Title
			l.Lead = "Your registration has been approved: you are accredited to attend the meeting."
			l.Next = "Please bring an identity document matching the name below."
		case models.StatusRejected:
			l.Subject = "Registration not approved: " + m.Title
			l.Lead = "We regret that your registration has not been approved."
		case models.StatusWaitlisted:
			l.Subject = "Registration on the waiting list: " + m.Title
			l.Lead = "The secretariat has placed your registration on the waiting list."
			l.Next = "When a seat is freed, the oldest registration on the waiting list moves to review by itself, and we will write to you."
		}
	case mailPromoted:
		l.Subject = "A seat is free: " + m.Title
		l.Lead = "A seat has been freed: your registration has moved from the waiting list to review by the secretariat."
		l.Next = "You will receive a message when it has decided."
	case mailNameChange:
		if reg.PendingName == "" { // accepted: Name is the new name
			l.Subject = "New name accepted: " + m.Title
			l.Lead = "The secretariat has accepted the change of your name: the meeting now shows you under the name below."
		} else {
			l.Subject = "New name not accepted: " + m.Title
			l.Lead = "The secretariat has not accepted the change of your name to \"" + reg.PendingName + "\": the meeting still shows you as \"" + reg.Name + "\"."
			l.Next = "If your name needs correcting, please write to the secretariat."
		}
	case mailWithdrawn:
		l.Subject = "Registration withdrawn: " + m.Title
		l.Lead = "Your registration has been withdrawn, as you asked."
		l.Next = "If this was a mistake, you may register again while registration is open."
	case mailNoShow:
		l.Subject = "Registration withdrawn: " + m.Title
		l.Lead = "You had not been checked in at the door by the time the secretariat set, so your registration has been withdrawn and your seat given to someone on the waiting list."
		l.Next = "If you are at the venue, please speak to the registration desk."
	case mailLink:
		l.Subject = "Your new link: " + m.Title
		l.Lead = "Here is a new private link to your registration, as asked on the meeting's page. The link sent before no longer works."
		l.Next = "If you did not ask for it, someone typed your address: only you received this link, and you may keep using it."
	}
	return l
}

var textMail = texttemplate.Must(texttemplate.New("text").Parse(`Dear {{.Name}},

{{.Lead}}
{{- if .Reason}}

Reason given by the secretariat: {{.Reason}}
{{- end}}
{{- if .Next}}

{{.Next}}
{{- end}}

Meeting:      {{.Meeting}}
Dates:        {{.Dates}}
{{- if .Venue}}
Venue:        {{.Venue}}
{{- end}}
Organization: {{.Org}}
Status:       {{.Status}}
{{- if .Checkin}}

At the door, show the QR code attached to this mail (checkin-code.png),
or the one on your registration's page, or say your check-in code:
{{.Checkin}}
{{- end}}
{{- if .Calendar}}

Add the meeting to your calendar: {{.Calendar}}
{{- end}}
{{if .Manage}}
See your registration, change your details or withdraw:
{{.Manage}}

Keep this link to yourself: anyone who has it can manage your registration.
{{- else}}
See your registration, change your details or withdraw with the private
link of your confirmation mail. Lost it? Ask for a new one here:
{{.Lost}}
{{- end}}
`))

var htmlMail = htmltemplate.Must(htmltemplate.New("html").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{.Subject}}</title></head>
<body>
<p>Dear {{.Name}},</p>
<p>{{.Lead}}</p>
{{- if .Reason}}
<p>Reason given by the secretariat: {{.Reason}}</p>
{{- end}}
{{- if .Next}}
<p>{{.Next}}</p>
{{- end}}
<table>
<tr><th align="left">Meeting</th><td>{{.Meeting}}</td></tr>
<tr><th align="left">Dates</th><td>{{.Dates}}</td></tr>
{{- if .Venue}}
<tr><th align="left">Venue</th><td>{{.Venue}}</td></tr>
{{- end}}
<tr><th align="left">Organization</th><td>{{.Org}}</td></tr>
<tr><th align="left">Status</th><td>{{.Status}}</td></tr>
</table>
{{- if .Checkin}}
<p>At the door, show the QR code attached to this mail (checkin-code.png), or the one on your registration's page, or say your check-in code: <strong>{{.Checkin}}</strong></p>
{{- end}}
{{- if .Calendar}}
<p><a href="{{.Calendar}}">Add the meeting to your calendar</a> (times in UTC; your calendar shows them in your zone).</p>
{{- end}}
{{- if .Manage}}
<p><a href="{{.Manage}}">See your registration, change your details or withdraw</a></p>
<p>Keep this link to yourself: anyone who has it can manage your registration.</p>
{{- else}}
<p>See your registration, change your details or withdraw with the private link of your confirmation mail.
Lost it? <a href="{{.Lost}}">Ask for a new one</a>.</p>
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
