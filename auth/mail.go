package auth

import (
	"strings"
	"time"

	"gorm.io/gorm"

	"rostrum/locale"
	"rostrum/models"
	"rostrum/outbox"
)

// mailReset is the kind of the mail that carries a reset link
// (outbox.Message.Kind).
const mailReset = "password_reset"

// enqueueReset queues, in tx, the mail that hands u the reset link, in
// lang (English when the staff's catalogues lack it); every word comes
// from the staff's catalogues. The link opens the page in the mail's
// language.
func enqueueReset(tx *gorm.DB, u *models.User, link string, expires time.Time, token, lang string) error {
	lang = locale.ForStaff(lang)
	if lang != locale.Default {
		link += "?lang=" + lang
	}
	name := u.Name
	if name == "" {
		name = u.Email
	}
	when := locale.Moment{T: expires.UTC(), Layout: "2 January 2006 15:04"}.In(lang)
	t := func(id string, args ...any) string { return locale.T(lang, id, args...) }
	text := t("mail.reset.hello", "Name", name) + "\n\n" +
		t("mail.reset.lead", "Email", u.Email) + "\n\n" + link + "\n\n" +
		t("mail.reset.once", "When", when) + "\n" + t("mail.reset.unexpected") + "\n"
	_, err := outbox.Enqueue(tx, outbox.Message{Kind: mailReset, To: u.Email, ToName: u.Name,
		Subject: strings.Join(strings.Fields(t("mail.reset.subject")), " "), Text: text, Secret: token})
	return err
}
