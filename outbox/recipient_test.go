package outbox_test

import (
	"fmt"
	"io"
	"mime"
	"net/mail"
	"strings"
	"testing"
	"time"

	"rostrum/internal/mailtest"
	"rostrum/models"
	"rostrum/outbox"
)

// hostileNames are display names that an address must reach its mail
// whatever they hold: each is one that a sender building "NAME" <addr>
// by hand and parsing it back cannot send.
var hostileNames = []string{
	`Ana "The Rock`,
	`Trailing backslash\`,
	`Backslash \" quote`,
	`O'Brien, Seán`,
	`Mallory <mallory@evil.example>`,
	`"Fully quoted"`,
	`محمد عبد الله`,
	`李小龙 (Bruce)`,
	`Ana 🎤 Souza`,
	`=?utf-8?q?not_an_encoded_word?=`,
	strings.Repeat(`Zoë "\,<>`, 20) + "Zoë", // 183 runes of every kind at once
	strings.Repeat("Ж", 200),
}

// readTo parses the To header of m as a receiver would, decoding its
// encoded words.
func readTo(m *mailtest.Message) (*mail.Address, error) {
	p := mail.AddressParser{WordDecoder: &mime.WordDecoder{CharsetReader: func(cs string, in io.Reader) (io.Reader, error) {
		if strings.EqualFold(cs, "utf-8") {
			return in, nil
		}
		return nil, fmt.Errorf("charset %s", cs)
	}}}
	return p.Parse(m.Header.Get("To"))
}

func TestEveryAddressGetsItsMailWhateverItsDisplayNameHolds(t *testing.T) {
	srv := mailtest.Start(t)
	db := openDB(t, sqliteDSN(t))
	w := newWorker(t, db, srv)
	rows := map[string]*models.OutboxMessage{}
	for i, name := range hostileNames {
		to := fmt.Sprintf("person%d@example.org", i)
		rows[to] = enqueue(t, db, outbox.Message{Kind: "test", To: to, ToName: name, Subject: "Hello", Text: "Body"})
	}
	deliver(t, w)
	for i, name := range hostileNames {
		to := fmt.Sprintf("person%d@example.org", i)
		if got := load(t, db, rows[to].ID); got.Status != models.OutboxSent {
			t.Errorf("name %q: the message to %s is %s: %s", name, to, got.Status, got.LastError)
			continue
		}
		msgs := srv.WaitTo(to, 1, 5*time.Second)
		a, err := readTo(msgs[0])
		if err != nil {
			t.Errorf("name %q: To header %q does not parse: %v", name, msgs[0].Header.Get("To"), err)
			continue
		}
		if a.Address != to || a.Name != name {
			t.Errorf("name %q: To header reads as %q <%s>", name, a.Name, a.Address)
		}
	}
}
