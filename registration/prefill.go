package registration

import (
	"bytes"
	"context"
	"errors"
	htmltemplate "html/template"
	"strings"
	texttemplate "text/template"
	"time"

	"gorm.io/gorm"

	"rostrum/apperr"
	"rostrum/auth"
	"rostrum/locale"
	"rostrum/meetings"
	"rostrum/models"
	"rostrum/outbox"
)

// Pre-filling: a representative who registered for one meeting of a
// process (models.Process) and registers for another asks for their
// details by mail; the mail carries a one-time link (PrefillLink) that
// opens the new meeting's form filled in from their latest earlier
// registration in the process. The mail proves the address is theirs;
// asking tells nothing about whether it is known.

// PrefillTTL is how long a pre-fill link works.
const PrefillTTL = 24 * time.Hour

const mailPrefill = "registration_prefill" // a link that pre-fills the form of another meeting of the process

// Prefill is what a pre-fill link fills the registration form with: the
// organization as its record now stands (the secretariat's, shared by
// every meeting) and the job title of the earlier registration.
type Prefill struct {
	Email        string         `json:"email"`
	JobTitle     string         `json:"job_title"`
	Organization PrefillOrg     `json:"organization"`
	From         PrefillMeeting `json:"from"` // the meeting of the earlier registration
}

// PrefillOrg is the organization a form is pre-filled with.
type PrefillOrg struct {
	Name         string `json:"name"`
	Acronym      string `json:"acronym"`
	Type         string `json:"type"`
	Country      string `json:"country"`
	Website      string `json:"website"`
	ECOSOCStatus string `json:"ecosoc_status"`
}

// PrefillMeeting names the meeting a pre-fill comes from.
type PrefillMeeting struct {
	Slug  string `json:"slug"`
	Title string `json:"title"`
}

// PrefillURL is the registration form of meeting slug with the link's
// token in its fragment: a browser never sends the fragment, so the
// token stays out of request logs and Referer headers.
func (s *Service) PrefillURL(slug, token string) string {
	return s.PublicURL + "/m/" + slug + "/register#prefill=" + token
}

// SendPrefill mails address email a one-time link that pre-fills the
// registration form of the meeting named slug, when the address
// registered for another meeting of the same process (its latest such
// registration; a State's delegation member's is not an organization's
// and is left out). Otherwise nothing is sent and nothing is said: the
// caller answers alike either way. A malformed address is Invalid.
func (s *Service) SendPrefill(ctx context.Context, slug, email string) error {
	m, err := meetings.BySlug(ctx, s.DB, slug)
	if err != nil {
		return err
	}
	addr, ok := ValidEmail(email)
	if !ok {
		return badAddress()
	}
	return s.write(ctx, func(tx *gorm.DB) error {
		others, err := meetings.ProcessMeetingIDs(tx, m.ID)
		if err != nil || len(others) == 0 {
			return err
		}
		var regs []models.Registration
		err = tx.Preload("Organization").Where("meeting_id IN ? AND email = ?", others, addr).
			Order("created_at DESC, id DESC").Limit(20).Find(&regs).Error
		if err != nil {
			return err
		}
		var from *models.Registration
		for i := range regs {
			if !models.IsState(regs[i].Organization.Type) {
				from = &regs[i]
				break
			}
		}
		if from == nil {
			return nil
		}
		earlier, err := meetings.ByID(tx, from.MeetingID)
		if err != nil {
			return err
		}
		token := auth.NewToken()
		link := models.PrefillLink{MeetingID: m.ID, RegistrationID: from.ID, TokenHash: auth.HashToken(token),
			ExpiresAt: s.now().Add(PrefillTTL)}
		if err := tx.Omit("Meeting", "Registration").Create(&link).Error; err != nil {
			return err
		}
		text, html, err := renderPrefill(prefillLetter{Name: from.Name, Meeting: m.Title, Dates: meetings.Dates(m),
			From: earlier.Title, Link: s.PrefillURL(m.Slug, token)})
		if err != nil {
			return err
		}
		_, err = outbox.Enqueue(tx, outbox.Message{
			Kind: mailPrefill, To: from.Email, ToName: from.Name,
			Subject: strings.Join(strings.Fields("Register for "+m.Title), " "),
			Text:    text, HTML: html, Secret: token,
		})
		return err
	})
}

// OpenPrefill spends the pre-fill link token of the meeting named slug
// and returns what it fills the form with. A link works once and for
// PrefillTTL: a used one is Conflict (link_used), an expired one Gone
// (link_expired), an unknown one, or another meeting's, NotFound.
func (s *Service) OpenPrefill(ctx context.Context, slug, token string) (*Prefill, error) {
	m, err := meetings.BySlug(ctx, s.DB, slug)
	if err != nil {
		return nil, err
	}
	var out *Prefill
	err = s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var link models.PrefillLink
		err := tx.Where("token_hash = ? AND meeting_id = ?", auth.HashToken(strings.TrimSpace(token)), m.ID).First(&link).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return apperr.Say(apperr.KindNotFound, "err.link_unknown")
		}
		if err != nil {
			return err
		}
		now := s.now()
		used := apperr.Say(apperr.KindConflict, "err.link_used").WithCode(auth.CodeLinkUsed)
		if link.UsedAt != nil {
			return used
		}
		if !now.Before(link.ExpiresAt) {
			return apperr.Say(apperr.KindGone, "err.link_expired",
				"When", locale.Moment{T: link.ExpiresAt.UTC(), Layout: "2 January 2006 15:04"}).WithCode(auth.CodeLinkExpired)
		}
		// Spent only by the request that changes it: two at once cannot
		// both read the form.
		res := tx.Model(&models.PrefillLink{}).Where("id = ? AND used_at IS NULL", link.ID).Update("used_at", now)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected != 1 {
			return used
		}
		var reg models.Registration
		if err := tx.Preload("Organization").Where("id = ?", link.RegistrationID).First(&reg).Error; err != nil {
			return err
		}
		earlier, err := meetings.ByID(tx, reg.MeetingID)
		if err != nil {
			return err
		}
		o := reg.Organization
		out = &Prefill{Email: reg.Email, JobTitle: reg.JobTitle,
			Organization: PrefillOrg{Name: o.Name, Acronym: o.Acronym, Type: o.Type, Country: o.Country, Website: o.Website, ECOSOCStatus: o.ECOSOCStatus},
			From:         PrefillMeeting{Slug: earlier.Slug, Title: earlier.Title}}
		return nil
	})
	return out, err
}

type prefillLetter struct {
	Name, Meeting, Dates, From, Link string
}

var prefillText = texttemplate.Must(texttemplate.New("text").Parse(`Dear {{.Name}},

You asked, on its registration form, for your details to register for

  {{.Meeting}}
  {{.Dates}}

This link opens the form filled in with your organization and job title
as you registered them for {{.From}}. Check them, complete the form and
send it: the secretariat reviews every registration.

{{.Link}}

The link works once, for 24 hours. If you did not ask for it, someone
typed your address: only you received this mail, and you may ignore it.
`))

var prefillHTML = htmltemplate.Must(htmltemplate.New("html").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Register for {{.Meeting}}</title></head>
<body>
<p>Dear {{.Name}},</p>
<p>You asked, on its registration form, for your details to register for <strong>{{.Meeting}}</strong> ({{.Dates}}).</p>
<p>This link opens the form filled in with your organization and job title as you registered them for {{.From}}.
Check them, complete the form and send it: the secretariat reviews every registration.</p>
<p><a href="{{.Link}}">Open the registration form, filled in</a></p>
<p>The link works once, for 24 hours. If you did not ask for it, someone typed your address: only you received this mail, and you may ignore it.</p>
</body></html>
`))

func renderPrefill(l prefillLetter) (text, html string, err error) {
	var t, h bytes.Buffer
	if err := prefillText.Execute(&t, l); err != nil {
		return "", "", err
	}
	if err := prefillHTML.Execute(&h, l); err != nil {
		return "", "", err
	}
	return t.String(), h.String(), nil
}
