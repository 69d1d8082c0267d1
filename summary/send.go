package summary

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"strings"
	"time"

	"gorm.io/gorm"

	"rostrum/apperr"
	"rostrum/audit"
	"rostrum/auth"
	"rostrum/lists"
	"rostrum/locale"
	"rostrum/models"
	"rostrum/outbox"
	"rostrum/store"
)

// Meetings is what a scheduled circulation asks of package meetings when
// it fires.
type Meetings interface {
	Meeting(ctx context.Context, id uint) (*models.Meeting, error)
}

// DistributionLists is what a circulation asks of package lists.
type DistributionLists interface {
	Addresses(ctx context.Context, ids ...uint) ([]lists.Address, error)
}

// MaxAttached is the most a circulation's message carries as attachments;
// beyond it, the enclosures are linked instead.
const MaxAttached = 10 << 20

// Audited actions of circulations.
const (
	ActSchedule = "circulation_schedule"
	ActCancel   = "circulation_cancel"
	ActSend     = "circulation_send"
)

// Audience is who a circulation goes to.
type Audience struct {
	Participants bool     `json:"participants"`
	Lists        []uint   `json:"lists"`
	Extra        []string `json:"extra"`
}

// CirculationInput is a circulation as the secretariat asks for it: a
// letter, a version of the summary and documents (at least one of them),
// to an audience, now or at SendAt.
type CirculationInput struct {
	Letter    *uint      `json:"letter"`
	Summary   *int       `json:"summary"`
	Documents []uint     `json:"documents"`
	To        Audience   `json:"to"`
	SendAt    *time.Time `json:"send_at"`
}

func (in *CirculationInput) validate(now time.Time) error {
	f := apperr.Fields{}
	if in.Letter == nil && in.Summary == nil && len(in.Documents) == 0 {
		f.Say("letter", "err.summary.send_what")
	}
	if len(in.Documents) > MaxEnclosures {
		f.Say("documents", "err.summary.at_most", "Max", MaxEnclosures)
	}
	seen := map[uint]bool{}
	for i, d := range in.Documents {
		if seen[d] {
			f.Say(fmt.Sprintf("documents[%d]", i), "err.summary.sent_twice")
		}
		seen[d] = true
	}
	if !in.To.Participants && len(in.To.Lists) == 0 && len(in.To.Extra) == 0 {
		f.Say("to", "err.summary.send_to")
	}
	if len(in.To.Extra) > MaxExtraAddresses {
		f.Say("to.extra", "err.summary.extra_max")
	}
	if in.SendAt != nil {
		switch {
		case !in.SendAt.After(now):
			f.Say("send_at", "err.summary.send_at_future")
		case in.SendAt.After(now.AddDate(2, 0, 0)):
			f.Say("send_at", "err.summary.send_at_max")
		}
	}
	return f.Err()
}

// Send circulates in to its audience: at once, or (with a future SendAt)
// scheduled to go then, once, whichever instance's scheduler finds it
// due first. What it sends is checked now, and again when it goes.
func (s *Service) Send(ctx context.Context, m *models.Meeting, in CirculationInput, by auth.Actor) (*CirculationView, error) {
	now := time.Now().UTC()
	if err := in.validate(now); err != nil {
		return nil, err
	}
	extras, err := extraRecipients(in.To.Extra)
	if err != nil {
		return nil, relabel(err, "extra", "to.extra")
	}
	if err := s.withEnclosures(ctx, m, &in); err != nil {
		return nil, err
	}
	ml, err := s.mailing(ctx, m, &in)
	if err != nil {
		return nil, err
	}
	rcpts, err := s.audience(ctx, m, in.To, extras)
	if err != nil {
		return nil, err
	}
	if len(rcpts) == 0 && in.SendAt == nil {
		return nil, apperr.Say(apperr.KindInvalid, "err.summary.nobody").WithField("extra", "err.summary.give_extra")
	}
	docs, _ := json.Marshal(nonNilIDs(in.Documents))
	aud, _ := json.Marshal(in.To)
	circ := models.Circulation{MeetingID: m.ID, LetterID: in.Letter, Documents: string(docs), Audience: string(aud),
		State: models.CirculationSent, AuthorID: userID(by), Total: len(rcpts)}
	err = s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if in.Summary != nil {
			v, err := s.version(ctx, store.LockForUpdate(tx), m, *in.Summary)
			if err != nil {
				return err
			}
			if err := StageOf(v).Circulable(); err != nil {
				return err
			}
			var n int64
			if err := tx.Model(&models.Circulation{}).Where("version_id = ?", v.ID).Count(&n).Error; err != nil {
				return err
			}
			if n > 0 {
				return apperr.Say(apperr.KindConflict, "err.summary.already_scheduled", "Version", v.Number).WithCode("already_scheduled")
			}
			circ.VersionID = &v.ID
		}
		if in.SendAt != nil {
			at := in.SendAt.UTC()
			circ.State, circ.SendAt = models.CirculationScheduled, &at
			if err := tx.Omit("Version").Create(&circ).Error; err != nil {
				return err
			}
			return audit.Record(tx, now, audit.Entry{MeetingID: m.ID, Actor: by, Action: ActSchedule,
				Detail: map[string]any{"circulation_id": circ.ID, "send_at": at, "recipients_now": len(rcpts)}})
		}
		circ.SentAt = &now
		if err := tx.Omit("Version").Create(&circ).Error; err != nil {
			return err
		}
		return s.dispatch(tx, m, &circ, rcpts, ml, by, now)
	})
	if err != nil {
		if errors.Is(err, gorm.ErrDuplicatedKey) {
			return nil, apperr.Say(apperr.KindConflict, "err.summary.being_circulated").WithCode("already_scheduled")
		}
		return nil, err
	}
	if in.SendAt == nil && s.Notify != nil {
		s.Notify()
	}
	return s.Circulation(ctx, m, circ.ID)
}

// withEnclosures adds to in what its letter encloses: the documents,
// and the version of the summary unless in names one itself.
func (s *Service) withEnclosures(ctx context.Context, m *models.Meeting, in *CirculationInput) error {
	if in.Letter == nil {
		return nil
	}
	l, err := s.Letter(ctx, m, *in.Letter)
	if err != nil {
		return relabelNotFound(err, "letter")
	}
	have := map[uint]bool{}
	for _, d := range in.Documents {
		have[d] = true
	}
	for _, e := range l.Enclosures {
		switch {
		case e.Document > 0 && !have[e.Document]:
			in.Documents = append(in.Documents, e.Document)
			have[e.Document] = true
		case e.Summary > 0 && in.Summary == nil:
			n := e.Summary
			in.Summary = &n
		}
	}
	return nil
}

// dispatch queues circ's messages and marks its summary version
// circulated, inside tx.
func (s *Service) dispatch(tx *gorm.DB, m *models.Meeting, circ *models.Circulation, rcpts []recipient, ml *mailing, by auth.Actor, now time.Time) error {
	if err := s.enqueueCirculation(tx, circ, rcpts, ml); err != nil {
		return err
	}
	detail := map[string]any{"circulation_id": circ.ID, "recipients": len(rcpts)}
	if circ.VersionID != nil {
		var v models.SummaryVersion
		if err := store.LockForUpdate(tx).Where("id = ?", *circ.VersionID).First(&v).Error; err != nil {
			return err
		}
		next, err := StageOf(&v).Next("circulate")
		if err != nil {
			return err
		}
		if err := tx.Model(&v).Updates(map[string]any{"state": next, "circulated_at": now}).Error; err != nil {
			return err
		}
		detail["version"] = v.Number
		if err := audit.Record(tx, now, audit.Entry{MeetingID: m.ID, Actor: by, Action: ActCirculate, Detail: detail}); err != nil {
			return err
		}
		if circ.LetterID == nil && circ.Documents == "[]" {
			return nil
		}
	}
	return audit.Record(tx, now, audit.Entry{MeetingID: m.ID, Actor: by, Action: ActSend, Detail: detail})
}

func nonNilIDs(ids []uint) []uint {
	if ids == nil {
		return []uint{}
	}
	return ids
}

// relabel renames a field of an apperr.Invalid.
func relabel(err error, from, to string) error {
	var e *apperr.Error
	if errors.As(err, &e) && e.Fields != nil {
		out := &apperr.Error{Kind: apperr.KindInvalid, Message: e.Message, Msg: e.Msg, Fields: map[string]string{}}
		for k, v := range e.Fields {
			k2 := strings.Replace(k, from, to, 1)
			out.Fields[k2] = v
			if m, ok := e.FieldMsgs[k]; ok {
				if out.FieldMsgs == nil {
					out.FieldMsgs = map[string]apperr.Msg{}
				}
				out.FieldMsgs[k2] = m
			}
		}
		return out
	}
	return err
}

// audience resolves who a circulation goes to now: the approved
// participants, then the lists' addresses, then the extra ones, each
// address once whatever its case.
func (s *Service) audience(ctx context.Context, m *models.Meeting, to Audience, extras []recipient) ([]recipient, error) {
	var regs []models.Registration
	if to.Participants {
		var err error
		if regs, err = s.Registry.Approved(ctx, m.ID); err != nil {
			return nil, err
		}
	}
	var fromLists []recipient
	if len(to.Lists) > 0 {
		if s.Lists == nil {
			return nil, fmt.Errorf("summary: no distribution lists")
		}
		as, err := s.Lists.Addresses(ctx, to.Lists...)
		if err != nil {
			if apperr.Is(err, apperr.KindNotFound) {
				return nil, apperr.Say(apperr.KindInvalid, "err.summary.no_list").WithFieldOf("to.lists", err)
			}
			return nil, err
		}
		for _, a := range as {
			fromLists = append(fromLists, recipient{addr: normalizeAddress(a.Email), name: a.Name})
		}
	}
	return recipients(regs, append(fromLists, extras...)), nil
}

// mailing is one circulation's message, the same for every recipient
// but for the greeting and the language of the subject.
type mailing struct {
	// subject is the message's subject in the recipient's language.
	subject     func(r recipient) string
	text, html  func(r recipient) string
	attachments []outbox.Attachment
	// in, when set, writes the message for one recipient in their
	// language instead (the summary circulated alone).
	in func(r recipient) (subject, text, html string)
}

// mailing builds the message of in: the letter (or a short text) with
// the summary and the documents attached, or linked when together they
// pass MaxAttached.
func (s *Service) mailing(ctx context.Context, m *models.Meeting, in *CirculationInput) (*mailing, error) {
	base := strings.TrimRight(s.PublicURL, "/")
	// The summary alone, as POST …/summary/{v}/circulate always sent it.
	if in.Letter == nil && len(in.Documents) == 0 {
		doc, err := s.Document(ctx, m, *in.Summary, "pdf")
		if err != nil {
			return nil, err
		}
		link := base + "/m/" + m.Slug + "/summary"
		return &mailing{
			// Each participant reads it in their registration's language
			// (others in the meeting's).
			in: func(r recipient) (string, string, string) {
				lang := r.language(m)
				subject := cleanText(locale.T(lang, "circ.subject", "Meeting", m.Title))
				if lang != locale.Default {
					text, htmlBody := circulationMailIn(lang, m, r.name, link)
					return subject, text, htmlBody
				}
				return subject, circulationText(m, r.name, link), circulationHTML(m, r.name, link)
			},
			attachments: []outbox.Attachment{{Filename: doc.Filename, ContentType: doc.ContentType, Data: doc.Data}},
		}, nil
	}
	type enclosure struct {
		title, link string
		summary     bool // the Chair's summary, titled in each language
		att         outbox.Attachment
	}
	var encl []enclosure
	if in.Summary != nil {
		doc, err := s.Document(ctx, m, *in.Summary, "pdf")
		if err != nil {
			return nil, relabelNotFound(err, "summary")
		}
		encl = append(encl, enclosure{summary: true,
			link: base + "/m/" + m.Slug + "/summary", att: outbox.Attachment{Filename: doc.Filename, ContentType: doc.ContentType, Data: doc.Data}})
	}
	for i, id := range in.Documents {
		if s.Library == nil {
			return nil, fmt.Errorf("summary: no document library")
		}
		f, err := s.Library.File(ctx, m.ID, id, true)
		if err != nil {
			if apperr.Is(err, apperr.KindNotFound) {
				return nil, apperr.Say(apperr.KindInvalid, "err.summary.no_document").WithField(fmt.Sprintf("documents[%d]", i), "err.summary.meeting_has_no_document", "ID", id)
			}
			return nil, err
		}
		if !f.Published {
			return nil, apperr.Say(apperr.KindInvalid, "err.summary.unpublished").WithField(fmt.Sprintf("documents[%d]", i), "err.summary.publish_first")
		}
		title := f.Title
		if f.Symbol != "" {
			title += " (" + f.Symbol + ")"
		}
		encl = append(encl, enclosure{title: title, link: fmt.Sprintf("%s/api/meetings/%s/documents/%d/file", base, m.Slug, f.ID),
			att: outbox.Attachment{Filename: f.Filename, ContentType: f.ContentType, Data: f.Data}})
	}
	total := 0
	for _, e := range encl {
		total += len(e.att.Data)
	}
	linked := total > MaxAttached
	subjectID := "circ.subject_documents"
	ml := &mailing{subject: func(r recipient) string {
		return cleanText(locale.T(r.language(m), subjectID, "Meeting", m.Title))
	}}
	var letterText string
	if in.Letter != nil {
		l, err := s.Letter(ctx, m, *in.Letter)
		if err != nil {
			return nil, relabelNotFound(err, "letter")
		}
		doc, err := s.LetterDocument(ctx, m, l.ID, "pdf")
		if err != nil {
			return nil, err
		}
		subjectID = "circ.subject_letter"
		ml.attachments = append(ml.attachments, outbox.Attachment{Filename: doc.Filename, ContentType: doc.ContentType, Data: doc.Data})
		letterText = LetterText(l)
	}
	for _, e := range encl {
		if !linked {
			ml.attachments = append(ml.attachments, e.att)
		}
	}
	// The words around the letter and the enclosures are in the
	// recipient's language; the letter is as the secretariat wrote it.
	list := func(lang string) (text, htmlList string) {
		var t, h strings.Builder
		for _, e := range encl {
			title := e.title
			if e.summary {
				title = locale.T(lang, "circ.enclosure_summary", "Meeting", cleanText(m.Title))
			}
			if linked {
				fmt.Fprintf(&t, "- %s: %s\n", title, e.link)
				fmt.Fprintf(&h, `<li><a href="%s">%s</a></li>`, html.EscapeString(e.link), html.EscapeString(xmlSafe(title)))
			} else {
				attached := locale.T(lang, "circ.attached", "Title", title)
				fmt.Fprintf(&t, "- %s\n", attached)
				fmt.Fprintf(&h, "<li>%s</li>", html.EscapeString(xmlSafe(attached)))
			}
		}
		return t.String(), h.String()
	}
	intro := func(lang string) string {
		if linked {
			return locale.T(lang, "circ.documents_linked", "Meeting", cleanText(m.Title))
		}
		return locale.T(lang, "circ.documents_enclosed", "Meeting", cleanText(m.Title))
	}
	ml.text = func(r recipient) string {
		lang := r.language(m)
		listText, _ := list(lang)
		var b strings.Builder
		if letterText != "" {
			b.WriteString(letterText + "\n\n")
			if len(encl) > 0 {
				b.WriteString(locale.T(lang, "circ.letter_attached"))
				if linked {
					b.WriteString(" " + locale.T(lang, "circ.enclosures_linked"))
				}
				b.WriteString("\n" + listText)
			}
		} else {
			b.WriteString(greeting(lang, r.name) + "\n\n" + intro(lang) + "\n\n" + listText + "\n" + locale.T(lang, "circ.signature") + "\n")
		}
		return b.String()
	}
	ml.html = func(r recipient) string {
		lang := r.language(m)
		_, listHTML := list(lang)
		esc := func(s string) string { return html.EscapeString(xmlSafe(s)) }
		if letterText != "" {
			var b strings.Builder
			for _, p := range strings.Split(letterText, "\n\n") {
				b.WriteString("<p>" + strings.ReplaceAll(esc(p), "\n", "<br>") + "</p>")
			}
			if len(encl) > 0 {
				b.WriteString("<ul>" + listHTML + "</ul>")
			}
			return b.String()
		}
		return "<p>" + esc(greeting(lang, r.name)) + "</p><p>" + esc(intro(lang)) + "</p><ul>" + listHTML + "</ul><p>" + esc(locale.T(lang, "circ.signature")) + "</p>"
	}
	return ml, nil
}

// greeting is the salutation of a recipient called name in lang.
func greeting(lang, name string) string {
	if n := cleanText(name); n != "" {
		return locale.T(lang, "mail.dear", "Name", n)
	}
	return locale.T(lang, "circ.dear_participant")
}

func relabelNotFound(err error, field string) error {
	if apperr.Is(err, apperr.KindNotFound) {
		return apperr.Say(apperr.KindInvalid, "err.summary.nothing_to_send").WithFieldOf(field, err)
	}
	return err
}

// LetterText is a letter as plain text, for the body of its mail.
func LetterText(l *LetterView) string {
	var b strings.Builder
	b.WriteString(l.Addressee + "\n\n" + l.Place + ", " + LetterDate(l.Date) + "\n\n" + l.Salutation + "\n\n")
	b.WriteString(strings.TrimSpace(l.BodyMarkdown) + "\n\n" + l.Closing + "\n\n" + l.Signature.Name)
	for _, t := range l.Signature.Titles {
		b.WriteString("\n" + t)
	}
	if len(l.Enclosures) > 0 {
		b.WriteString("\n\nEnclosures:")
		for _, e := range l.Enclosures {
			b.WriteString("\n- " + e.Title)
		}
	}
	return b.String()
}
