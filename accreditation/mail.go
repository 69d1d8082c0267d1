package accreditation

import (
	htmltemplate "html/template"
	"strings"
	texttemplate "text/template"

	"gorm.io/gorm"

	"rostrum/meetings"
	"rostrum/models"
	"rostrum/outbox"
	"rostrum/registration"
)

// mailNotice is the kind of the mail that circulates a notice to a
// mission (outbox.Message.Kind).
const mailNotice = "non_objection_notice"

type noticeLetter struct {
	Mission, State, Meeting, Deadline, Link string
	Organizations                           []noticeOrg
}

type noticeOrg struct {
	Name, Type, Country, Website, Description string
}

var noticeText = texttemplate.Must(texttemplate.New("text").Parse(`To the {{.Mission}},

The secretariat circulates, on a non-objection basis, the names of the
organizations below, which have asked to take part in {{.Meeting}} and
are not in consultative status with ECOSOC.

If {{.State}} objects to any of them, please say so, with a reason,
before {{.Deadline}}, with this private link:
{{.Link}}

Organizations without objection at that time will be accredited. An
objection is read by the secretariat only: neither the organization nor
any other State learns which State objected.
{{range .Organizations}}
- {{.Name}} ({{.Type}}{{if .Country}}, {{.Country}}{{end}}){{if .Website}}
  {{.Website}}{{end}}{{if .Description}}
  {{.Description}}{{end}}
{{- end}}

Keep this link within the mission: it acts for your delegation to this
meeting, as the link of your invitation does.
`))

var noticeHTML = htmltemplate.Must(htmltemplate.New("html").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Non-objection notice: {{.Meeting}}</title></head>
<body>
<p>To the {{.Mission}},</p>
<p>The secretariat circulates, on a non-objection basis, the names of the organizations below, which have asked to take part in {{.Meeting}} and are not in consultative status with ECOSOC.</p>
<p>If {{.State}} objects to any of them, please say so, with a reason, before {{.Deadline}}: <a href="{{.Link}}">answer the notice</a>.</p>
<p>Organizations without objection at that time will be accredited. An objection is read by the secretariat only: neither the organization nor any other State learns which State objected.</p>
<ul>
{{- range .Organizations}}
<li><strong>{{.Name}}</strong> ({{.Type}}{{if .Country}}, {{.Country}}{{end}}){{if .Website}} {{.Website}}{{end}}{{if .Description}}<br>{{.Description}}{{end}}</li>
{{- end}}
</ul>
<p>Keep this link within the mission: it acts for your delegation to this meeting, as the link of your invitation does.</p>
</body></html>
`))

// enqueue queues notice n's mail to mission ms with the link of token, in
// tx; the outbox forgets the link once the mail is delivered.
func (s *Service) enqueue(tx *gorm.DB, m *models.Meeting, ms *models.Mission, n *models.NonObjectionNotice, orgs []registration.Circulated, token string) error {
	l := noticeLetter{Mission: ms.Name, State: registration.CountryName(ms.Country), Meeting: m.Title,
		Deadline: meetings.FormatInZone(m, n.Deadline), Link: s.NoticeURL(token, n.ID)}
	for _, o := range orgs {
		l.Organizations = append(l.Organizations, noticeOrg{Name: o.Name, Type: models.StakeholderTypeOf(o.Type).Label,
			Country: o.CountryName, Website: o.Website, Description: o.Description})
	}
	var t, h strings.Builder
	if err := noticeText.Execute(&t, l); err != nil {
		return err
	}
	if err := noticeHTML.Execute(&h, l); err != nil {
		return err
	}
	_, err := outbox.Enqueue(tx, outbox.Message{
		Kind: mailNotice, To: ms.Email, ToName: ms.Name,
		Subject: strings.Join(strings.Fields("Non-objection notice: "+m.Title), " "),
		Text:    t.String(), HTML: h.String(), Secret: token,
	})
	return err
}
