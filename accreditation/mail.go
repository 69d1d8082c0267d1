package accreditation

import (
	htmltemplate "html/template"
	"strings"
	texttemplate "text/template"

	"gorm.io/gorm"

	"rostrum/locale"
	"rostrum/meetings"
	"rostrum/models"
	"rostrum/outbox"
	"rostrum/registration"
)

// mailNotice is the kind of the mail that circulates a notice to a
// mission (outbox.Message.Kind).
const mailNotice = "non_objection_notice"

// noticeLetter is what a notice's mail says, in the meeting's language (a
// mission has no language of its own on record): every word comes from
// the catalogue.
type noticeLetter struct {
	Lang, Dir                     string
	Subject, To, Lead, ObjectText string
	ObjectHTML, Answer, Link      string
	Accredited, Keep              string
	Organizations                 []noticeOrg
}

type noticeOrg struct {
	Name, Type, Country, Website, Description string
}

var noticeText = texttemplate.Must(texttemplate.New("text").Parse(`{{.To}}

{{.Lead}}

{{.ObjectText}}
{{.Link}}

{{.Accredited}}
{{range .Organizations}}
- {{.Name}} ({{.Type}}{{if .Country}}, {{.Country}}{{end}}){{if .Website}}
  {{.Website}}{{end}}{{if .Description}}
  {{.Description}}{{end}}
{{- end}}

{{.Keep}}
`))

var noticeHTML = htmltemplate.Must(htmltemplate.New("html").Parse(`<!doctype html>
<html lang="{{.Lang}}" dir="{{.Dir}}"><head><meta charset="utf-8"><title>{{.Subject}}</title></head>
<body>
<p>{{.To}}</p>
<p>{{.Lead}}</p>
<p>{{.ObjectHTML}} <a href="{{.Link}}">{{.Answer}}</a>.</p>
<p>{{.Accredited}}</p>
<ul>
{{- range .Organizations}}
<li><strong>{{.Name}}</strong> ({{.Type}}{{if .Country}}, {{.Country}}{{end}}){{if .Website}} {{.Website}}{{end}}{{if .Description}}<br>{{.Description}}{{end}}</li>
{{- end}}
</ul>
<p>{{.Keep}}</p>
</body></html>
`))

// enqueue queues notice n's mail to mission ms with the link of token, in
// tx; the outbox forgets the link once the mail is delivered.
func (s *Service) enqueue(tx *gorm.DB, m *models.Meeting, ms *models.Mission, n *models.NonObjectionNotice, orgs []registration.Circulated, token string) error {
	lang := m.Language
	if !locale.Supported(lang) {
		lang = locale.Default
	}
	deadline := meetings.FormatInZone(m, n.Deadline)
	if lang != locale.Default {
		deadline = meetings.TimeIn(lang, m, n.Deadline)
	}
	t := func(id string) string {
		return locale.T(lang, id, "Meeting", m.Title, "Mission", ms.Name,
			"State", registration.CountryNameIn(lang, ms.Country), "Deadline", deadline)
	}
	l := noticeLetter{
		Lang: lang, Dir: locale.Dir(lang), Subject: t("notice.subject"), To: t("invite.to"), Lead: t("notice.lead"),
		ObjectText: t("notice.object_text"), ObjectHTML: t("notice.object_html"), Answer: t("notice.answer"),
		Link: s.NoticeURL(token, n.ID), Accredited: t("notice.accredited"), Keep: t("notice.keep"),
	}
	for _, o := range orgs {
		country := ""
		if o.Country != "" {
			country = registration.CountryNameIn(lang, o.Country)
		}
		l.Organizations = append(l.Organizations, noticeOrg{Name: o.Name, Type: locale.T(lang, "type."+models.StakeholderTypeOf(o.Type).Key),
			Country: country, Website: o.Website, Description: o.Description})
	}
	var tb, hb strings.Builder
	if err := noticeText.Execute(&tb, l); err != nil {
		return err
	}
	if err := noticeHTML.Execute(&hb, l); err != nil {
		return err
	}
	_, err := outbox.Enqueue(tx, outbox.Message{
		Kind: mailNotice, To: ms.Email, ToName: ms.Name,
		Subject: strings.Join(strings.Fields(l.Subject), " "),
		Text:    tb.String(), HTML: hb.String(), Secret: token,
	})
	return err
}
