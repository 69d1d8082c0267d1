package delegations

import (
	"html/template"
	"sort"
	"strings"
	texttemplate "text/template"

	"gorm.io/gorm"

	"rostrum/locale"
	"rostrum/models"
	"rostrum/outbox"
)

// mailInvitation is the kind of the mail that hands a mission its
// focal-point link (outbox.Message.Kind).
const mailInvitation = "mission_invitation"

// invitation is what the invitation says, in the meeting's language
// (a mission has no language of its own on record): every word comes
// from the catalogue.
type invitation struct {
	Lang, Dir                         string
	Subject, To, Lead, LinkText, Link string
	LinkHTML, AtOnce, Keep            string
}

var invitationText = texttemplate.Must(texttemplate.New("text").Parse(`{{.To}}

{{.Lead}}

{{.LinkText}}
{{.Link}}

{{.Keep}}
`))

var invitationHTML = template.Must(template.New("html").Parse(`<!doctype html>
<html lang="{{.Lang}}" dir="{{.Dir}}"><head><meta charset="utf-8"><title>{{.Subject}}</title></head>
<body>
<p>{{.To}}</p>
<p>{{.Lead}}</p>
<p><a href="{{.Link}}">{{.LinkHTML}}</a>. {{.AtOnce}}</p>
<p>{{.Keep}}</p>
</body></html>
`))

// enqueue queues the invitation of mission ms to meeting m with the link
// of token, in tx; the outbox forgets the link once the mail is delivered.
func (s *Service) enqueue(tx *gorm.DB, m *models.Meeting, ms *models.Mission, token string) error {
	lang := m.Language
	if !locale.Supported(lang) {
		lang = locale.Default
	}
	t := func(id string, args ...any) string {
		return locale.T(lang, id, append(args, "Meeting", m.Title, "Mission", ms.Name, "State", locale.CountryName(lang, ms.Country))...)
	}
	l := invitation{
		Lang: lang, Dir: locale.Dir(lang), Subject: t("invite.subject"), To: t("invite.to"), Lead: t("invite.lead"),
		LinkText: t("invite.link_text"), Link: s.FocalPointURL(token), LinkHTML: t("invite.link_html"),
		AtOnce: t("invite.at_once"), Keep: t("invite.keep"),
	}
	var tb, hb strings.Builder
	if err := invitationText.Execute(&tb, l); err != nil {
		return err
	}
	if err := invitationHTML.Execute(&hb, l); err != nil {
		return err
	}
	_, err := outbox.Enqueue(tx, outbox.Message{
		Kind: mailInvitation, To: ms.Email, ToName: ms.Name,
		Subject: strings.Join(strings.Fields(l.Subject), " "),
		Text:    tb.String(), HTML: hb.String(), Secret: token,
	})
	return err
}

func sortBy[T any](xs []T, key func(T) int) {
	sort.SliceStable(xs, func(i, j int) bool { return key(xs[i]) < key(xs[j]) })
}
