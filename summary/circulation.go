package summary

import (
	"context"
	"fmt"
	"html"
	"net/mail"
	"sort"
	"strings"
	"time"

	"gorm.io/gorm"

	"rostrum/apperr"
	"rostrum/audit"
	"rostrum/auth"
	"rostrum/locale"
	"rostrum/models"
	"rostrum/outbox"
	"rostrum/store"
)

// MaxExtraAddresses bounds the extra addresses of one circulation.
const MaxExtraAddresses = 500

// CirculationView is a circulation's progress.
type CirculationView struct {
	ID         uint            `json:"id"`
	Version    int             `json:"version"`
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

// normalizeAddress returns the bare address of s (lower-cased domain),
// or "" when s is not an address.
func normalizeAddress(s string) string {
	a, err := mail.ParseAddress(strings.TrimSpace(s))
	if err != nil || strings.ContainsAny(a.Address, "\r\n") {
		return ""
	}
	at := strings.LastIndexByte(a.Address, '@')
	if at < 1 {
		return ""
	}
	return a.Address[:at] + "@" + strings.ToLower(a.Address[at+1:])
}

// Circulate sends approved version n of m's summary to every approved
// participant and to extra, once per address. Everything (the
// circulation, its recipients, one outbox message each, the version's
// new state) is written in one transaction, so a crash leaves either no
// circulation or all of it; each message's Ref (circulation id and
// address) keeps the outbox from ever holding two for one recipient.
func (s *Service) Circulate(ctx context.Context, m *models.Meeting, n int, extra []string, by auth.Actor) (*CirculationView, error) {
	if len(extra) > MaxExtraAddresses {
		return nil, apperr.Invalid("too many extra addresses", map[string]string{"extra": "at most 500 addresses"})
	}
	extras, err := extraRecipients(extra)
	if err != nil {
		return nil, err
	}
	db := s.DB.WithContext(ctx)
	v, err := s.version(ctx, db, m, n)
	if err != nil {
		return nil, err
	}
	if err := StageOf(v).Circulable(); err != nil {
		return nil, err
	}
	// The version is frozen: render its PDF once, outside the transaction.
	doc, err := s.Document(ctx, m, n, "pdf")
	if err != nil {
		return nil, err
	}
	// Every approved participant, as registration says now.
	regs, err := s.Registry.Approved(ctx, m.ID)
	if err != nil {
		return nil, err
	}
	var circ models.Circulation
	err = db.Transaction(func(tx *gorm.DB) error {
		v, err := s.version(ctx, store.LockForUpdate(tx), m, n)
		if err != nil {
			return err
		}
		if err := StageOf(v).Circulable(); err != nil {
			return err
		}
		rcpts := recipients(regs, extras)
		if len(rcpts) == 0 {
			return apperr.Invalid("nobody to circulate to", map[string]string{"extra": "no approved participants: give extra addresses"})
		}
		circ = models.Circulation{MeetingID: m.ID, VersionID: v.ID, AuthorID: userID(by), Total: len(rcpts)}
		if err := tx.Create(&circ).Error; err != nil {
			return err
		}
		if err := s.enqueueCirculation(tx, m, &circ, rcpts, doc); err != nil {
			return err
		}
		next, err := StageOf(v).Next("circulate")
		if err != nil {
			return err
		}
		now := time.Now().UTC()
		if err := tx.Model(v).Updates(map[string]any{"state": next, "circulated_at": now}).Error; err != nil {
			return err
		}
		return audit.Record(tx, now, audit.Entry{MeetingID: m.ID, Actor: by, Action: ActCirculate,
			Detail: map[string]any{"version": n, "circulation_id": circ.ID, "recipients": len(rcpts)}})
	})
	if err != nil {
		return nil, err
	}
	if s.Notify != nil {
		s.Notify()
	}
	return s.Circulation(ctx, m, circ.ID)
}

// extraRecipients checks the extra addresses a circulation goes to.
func extraRecipients(extra []string) ([]recipient, error) {
	var out []recipient
	for i, e := range extra {
		a := normalizeAddress(e)
		if a == "" {
			return nil, apperr.Invalid("an extra address is not valid", map[string]string{fmt.Sprintf("extra[%d]", i): "not an email address"})
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

// enqueueCirculation queues one message to each recipient of circ, the
// PDF attached, and records who they went to, inside tx.
func (s *Service) enqueueCirculation(tx *gorm.DB, m *models.Meeting, circ *models.Circulation, rcpts []recipient, doc *Document) error {
	link := strings.TrimRight(s.PublicURL, "/") + "/m/" + m.Slug + "/summary"
	rows := make([]models.CirculationRecipient, 0, len(rcpts))
	for _, r := range rcpts {
		lang := r.lang
		if !locale.Supported(lang) {
			lang = m.Language
		}
		if !locale.Supported(lang) || lang == locale.Default {
			lang = locale.Default
		}
		subject := cleanText(locale.T(lang, "circ.subject", "Meeting", m.Title))
		text, htmlBody := circulationText(m, r.name, link), circulationHTML(m, r.name, link)
		if lang != locale.Default {
			text, htmlBody = circulationMailIn(lang, m, r.name, link)
		}
		msg, err := outbox.Enqueue(tx, outbox.Message{
			Kind: "circulation", To: r.addr, ToName: cleanText(r.name), Subject: subject,
			Text: text, HTML: htmlBody,
			Ref:         fmt.Sprintf("circulation:%d:%s", circ.ID, strings.ToLower(r.addr)),
			Attachments: []outbox.Attachment{{Filename: doc.Filename, ContentType: doc.ContentType, Data: doc.Data}},
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
		return nil, apperr.NotFound("no circulation %d in this meeting", id)
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
	out := &CirculationView{ID: c.ID, Version: c.Version.Number, Total: c.Total, CreatedAt: c.CreatedAt, Recipients: make([]RecipientView, 0, len(rs))}
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
		return nil, apperr.NotFound("no circulation %d in this meeting", id)
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
