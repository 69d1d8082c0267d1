package summary

import (
	"context"
	"fmt"
	"html"
	"sort"
	"strings"
	"time"

	"gorm.io/gorm"

	"rostrum/apperr"
	"rostrum/auth"
	"rostrum/lists"
	"rostrum/locale"
	"rostrum/models"
	"rostrum/outbox"
)

// MaxExtraAddresses bounds the extra addresses of one circulation.
const MaxExtraAddresses = 500

// CirculationView is a circulation's progress.
type CirculationView struct {
	ID         uint            `json:"id"`
	Version    int             `json:"version"` // 0 when no summary goes
	LetterID   *uint           `json:"letter"`
	State      string          `json:"state"` // scheduled, sent or cancelled
	SendAt     *time.Time      `json:"send_at"`
	SentAt     *time.Time      `json:"sent_at"`
	Total      int             `json:"total"`
	Sent       int             `json:"sent"`
	Failed     int             `json:"failed"`
	Pending    int             `json:"pending"`
	CreatedAt  time.Time       `json:"created_at"`
	Recipients []RecipientView `json:"recipients"`
}

// RecipientView is one recipient's delivery status.
type RecipientView struct {
	Address   string `json:"address"`
	Name      string `json:"name,omitempty"`
	Status    string `json:"status"`
	Attempts  int    `json:"attempts"`
	LastError string `json:"last_error"`
}

// recipient is one address a circulation goes to, with the name and the
// language (a registrant's own; the meeting's for an extra address) its
// mail is written in.
type recipient struct{ addr, name, lang string }

// language is the language r reads m's mail in: their registration's,
// else (an address of a list or an extra one) the meeting's, else
// English.
func (r recipient) language(m *models.Meeting) string {
	if locale.Supported(r.lang) {
		return r.lang
	}
	if locale.Supported(m.Language) {
		return m.Language
	}
	return locale.Default
}

// normalizeAddress returns the bare address of s (lower-cased domain),
// or "" when s is not an address: as distribution lists keep them.
func normalizeAddress(s string) string { return lists.Normalize(s) }

// Circulate sends approved version n of m's summary to every approved
// participant and to extra, once per address: a circulation of the
// summary alone, at once (Send).
func (s *Service) Circulate(ctx context.Context, m *models.Meeting, n int, extra []string, by auth.Actor) (*CirculationView, error) {
	return s.Send(ctx, m, CirculationInput{Summary: &n, To: Audience{Participants: true, Extra: extra}}, by)
}

// extraRecipients checks the extra addresses a circulation goes to.
func extraRecipients(extra []string) ([]recipient, error) {
	var out []recipient
	for i, e := range extra {
		a := normalizeAddress(e)
		if a == "" {
			return nil, apperr.Say(apperr.KindInvalid, "err.summary.extra_invalid").WithField(fmt.Sprintf("extra[%d]", i), "err.summary.not_an_address")
		}
		out = append(out, recipient{addr: a})
	}
	return out, nil
}

// recipients is every approved participant and then every extra address,
// each address once whatever its case.
func recipients(approved []models.Registration, extras []recipient) []recipient {
	seen := map[string]bool{}
	var out []recipient
	add := func(r recipient) {
		if r.addr != "" && !seen[strings.ToLower(r.addr)] {
			seen[strings.ToLower(r.addr)] = true
			out = append(out, r)
		}
	}
	for _, r := range approved {
		add(recipient{addr: normalizeAddress(r.Email), name: r.Name, lang: r.Language})
	}
	for _, r := range extras {
		add(r)
	}
	return out
}

// enqueueCirculation queues one message to each recipient of circ and
// records who they went to, inside tx.
func (s *Service) enqueueCirculation(tx *gorm.DB, circ *models.Circulation, rcpts []recipient, ml *mailing) error {
	rows := make([]models.CirculationRecipient, 0, len(rcpts))
	for _, r := range rcpts {
		var subject, text, htmlBody string
		if ml.in != nil {
			subject, text, htmlBody = ml.in(r)
		} else {
			subject, text, htmlBody = ml.subject(r), ml.text(r), ml.html(r)
		}
		msg, err := outbox.Enqueue(tx, outbox.Message{
			Kind: "circulation", To: r.addr, ToName: cleanText(r.name), Subject: subject,
			Text: text, HTML: htmlBody,
			Ref:         fmt.Sprintf("circulation:%d:%s", circ.ID, strings.ToLower(r.addr)),
			Attachments: ml.attachments,
		})
		if err != nil {
			return err
		}
		rows = append(rows, models.CirculationRecipient{CirculationID: circ.ID, Address: r.addr, Name: cleanText(r.name), OutboxMessageID: msg.ID})
	}
	return tx.CreateInBatches(rows, 200).Error
}

// circulationMailIn is the circulation's mail in language lang (other
// than English, whose sentences circulationText and circulationHTML
// build with the grammar).
func circulationMailIn(lang string, m *models.Meeting, name, link string) (text, htmlBody string) {
	greet := locale.T(lang, "circ.dear_participant")
	if n := cleanText(name); n != "" {
		greet = locale.T(lang, "mail.dear", "Name", n)
	}
	loc := location(m.Timezone)
	body := locale.T(lang, "circ.body", "Meeting", cleanText(m.Title), "Dates", locale.Days(lang, m.StartsAt.In(loc), m.EndsAt.In(loc)))
	online, sig := locale.T(lang, "circ.online"), locale.T(lang, "circ.signature")
	text = greet + "\n\n" + body + "\n\n" + online + " " + link + "\n\n" + sig + "\n"
	esc := func(s string) string { return html.EscapeString(xmlSafe(s)) }
	htmlBody = `<div lang="` + lang + `" dir="` + locale.Dir(lang) + `"><p>` + esc(greet) + "</p><p>" + esc(body) + "</p><p>" + esc(online) +
		` <a href="` + esc(link) + `">` + esc(link) + "</a></p><p>" + esc(sig) + "</p></div>"
	return text, htmlBody
}

func circulationText(m *models.Meeting, name, link string) string {
	greet := "Dear participant,"
	if n := cleanText(name); n != "" {
		greet = "Dear " + n + ","
	}
	return greet + "\n\nPlease find attached the Chair's summary of the " + cleanText(m.Title) + ", held " +
		dateClause(m.StartsAt, m.EndsAt, m.Timezone) + ". It is issued under the Chair's own responsibility and is not a negotiated text.\n\n" +
		"You can also read it online: " + link + "\n\nThe secretariat\n"
}

func circulationHTML(m *models.Meeting, name, link string) string {
	greet := "Dear participant,"
	if n := cleanText(name); n != "" {
		greet = "Dear " + n + ","
	}
	esc := func(s string) string { return html.EscapeString(xmlSafe(s)) }
	return "<p>" + esc(greet) + "</p><p>Please find attached the Chair's summary of the " + esc(cleanText(m.Title)) + ", held " +
		esc(dateClause(m.StartsAt, m.EndsAt, m.Timezone)) + ". It is issued under the Chair's own responsibility and is not a negotiated text.</p>" +
		`<p>You can also read it online: <a href="` + esc(link) + `">` + esc(link) + "</a></p><p>The secretariat</p>"
}

// Circulation reports the progress of circulation id of m.
func (s *Service) Circulation(ctx context.Context, m *models.Meeting, id uint) (*CirculationView, error) {
	db := s.DB.WithContext(ctx)
	var c models.Circulation
	if err := db.Preload("Version").Where("id = ? AND meeting_id = ?", id, m.ID).Limit(1).Find(&c).Error; err != nil {
		return nil, err
	}
	if c.ID == 0 {
		return nil, apperr.Say(apperr.KindNotFound, "err.summary.no_circulation", "ID", id)
	}
	var rs []models.CirculationRecipient
	if err := db.Where("circulation_id = ?", c.ID).Order("id").Find(&rs).Error; err != nil {
		return nil, err
	}
	ids := make([]uint, len(rs))
	for i, r := range rs {
		ids[i] = r.OutboxMessageID
	}
	deliveries, err := outbox.Deliveries(ctx, s.DB, ids...)
	if err != nil {
		return nil, err
	}
	out := &CirculationView{ID: c.ID, Total: c.Total, State: c.State, SendAt: c.SendAt, SentAt: c.SentAt, LetterID: c.LetterID,
		CreatedAt: c.CreatedAt, Recipients: make([]RecipientView, 0, len(rs))}
	if c.Version != nil {
		out.Version = c.Version.Number
	}
	for _, r := range rs {
		d := deliveries[r.OutboxMessageID]
		st := d.Status
		switch st {
		case models.OutboxSent:
			out.Sent++
		case models.OutboxFailed:
			out.Failed++
		default:
			out.Pending++
		}
		out.Recipients = append(out.Recipients, RecipientView{Address: r.Address, Name: r.Name, Status: st,
			Attempts: d.Attempts, LastError: d.LastError})
	}
	sort.SliceStable(out.Recipients, func(i, j int) bool { return out.Recipients[i].Address < out.Recipients[j].Address })
	return out, nil
}

// Resend queues the failed messages of circulation id again.
func (s *Service) Resend(ctx context.Context, m *models.Meeting, id uint) (*CirculationView, error) {
	db := s.DB.WithContext(ctx)
	var c models.Circulation
	if err := db.Where("id = ? AND meeting_id = ?", id, m.ID).Limit(1).Find(&c).Error; err != nil {
		return nil, err
	}
	if c.ID == 0 {
		return nil, apperr.Say(apperr.KindNotFound, "err.summary.no_circulation", "ID", id)
	}
	var ids []uint
	if err := db.Model(&models.CirculationRecipient{}).Where("circulation_id = ?", c.ID).
		Pluck("outbox_message_id", &ids).Error; err != nil {
		return nil, err
	}
	// Requeue takes only the failed ones and leaves alone a message that
	// is no longer failed, so a message sent meanwhile is never sent twice.
	if _, err := outbox.Requeue(ctx, s.DB, ids...); err != nil {
		return nil, err
	}
	if s.Notify != nil {
		s.Notify()
	}
	return s.Circulation(ctx, m, id)
}
