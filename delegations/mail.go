package delegations

import (
	"html/template"
	"sort"
	"strings"
	texttemplate "text/template"

	"gorm.io/gorm"

	"rostrum/models"
	"rostrum/outbox"
	"rostrum/registration"
)

// mailInvitation is the kind of the mail that hands a mission its
// focal-point link (outbox.Message.Kind).
const mailInvitation = "mission_invitation"

type invitation struct {
	Mission, State, Meeting, Link string
}

var invitationText = texttemplate.Must(texttemplate.New("text").Parse(`To the {{.Mission}},

The secretariat invites the delegation of {{.State}} to {{.Meeting}}.

The mission's focal point registers the members of the delegation with
this private link; they are accredited at once:
{{.Link}}

Keep this link within the mission: anyone who has it can register members
of your delegation. It replaces any link sent before for this meeting.
`))

var invitationHTML = template.Must(template.New("html").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Invitation: {{.Meeting}}</title></head>
<body>
<p>To the {{.Mission}},</p>
<p>The secretariat invites the delegation of {{.State}} to {{.Meeting}}.</p>
<p><a href="{{.Link}}">Register the members of your delegation</a>; they are accredited at once.</p>
<p>Keep this link within the mission: anyone who has it can register members of your delegation. It replaces any link sent before for this meeting.</p>
</body></html>
`))

// enqueue queues the invitation of mission ms to meeting m with the link
// of token, in tx; the outbox forgets the link once the mail is delivered.
func (s *Service) enqueue(tx *gorm.DB, m *models.Meeting, ms *models.Mission, token string) error {
	l := invitation{Mission: ms.Name, State: registration.CountryName(ms.Country), Meeting: m.Title, Link: s.FocalPointURL(token)}
	var t, h strings.Builder
	if err := invitationText.Execute(&t, l); err != nil {
		return err
	}
	if err := invitationHTML.Execute(&h, l); err != nil {
		return err
	}
	_, err := outbox.Enqueue(tx, outbox.Message{
		Kind: mailInvitation, To: ms.Email, ToName: ms.Name,
		Subject: strings.Join(strings.Fields("Invitation: "+m.Title), " "),
		Text:    t.String(), HTML: h.String(), Secret: token,
	})
	return err
}

func sortBy[T any](xs []T, key func(T) int) {
	sort.SliceStable(xs, func(i, j int) bool { return key(xs[i]) < key(xs[j]) })
}
