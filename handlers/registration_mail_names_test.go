package handlers_test

import (
	"fmt"
	"io"
	"mime"
	"net/mail"
	"strings"
	"testing"
	"time"

	"rostrum/internal/mailtest"
	"rostrum/internal/testenv"
)

// TestConfirmationReachesTheAddressWhateverTheNameHolds registers people
// whose names hold what a display name may not hold unquoted (a lone
// quote, a trailing backslash, commas, angle brackets and an address,
// other scripts, emoji, 200 characters): someone typing such a name for
// another person's address must not stop that person's mail. Each
// confirmation arrives at its address with the name as typed.
func TestConfirmationReachesTheAddressWhateverTheNameHolds(t *testing.T) {
	names := []string{
		`Ana "The Rock`,
		`Trailing backslash\`,
		`O'Brien, Seán`,
		`Mallory <mallory@evil.example>, Eve`,
		`محمد عبد الله`,
		`李小龙`,
		`Ana 🎤 Souza`,
		strings.Repeat(`Zoë "\,<>`, 22) + "Zo", // 200 characters
	}
	srv := mailtest.Start(t)
	e := testenv.New(t, testenv.WithSMTP(srv.Host(), srv.Port()))
	registrationMeeting(t, e, "m", 0, 0)
	for i, name := range names {
		mustRegister(t, e, "m", testenv.RegistrationBody(fmt.Sprintf("Org %d", i), name, fmt.Sprintf("person%d@example.org", i)))
	}
	dec := mail.AddressParser{WordDecoder: &mime.WordDecoder{CharsetReader: func(cs string, in io.Reader) (io.Reader, error) {
		if strings.EqualFold(cs, "utf-8") {
			return in, nil
		}
		return nil, fmt.Errorf("charset %s", cs)
	}}}
	for i, name := range names {
		addr := fmt.Sprintf("person%d@example.org", i)
		m := srv.WaitTo(addr, 1, 15*time.Second)[0]
		to, err := dec.Parse(m.Header.Get("To"))
		if err != nil {
			t.Errorf("%s: To header %q does not parse: %v", addr, m.Header.Get("To"), err)
			continue
		}
		if to.Address != addr || to.Name != name {
			t.Errorf("%s: To header reads as %q <%s>, want %q", addr, to.Name, to.Address, name)
		}
		if !strings.HasPrefix(m.Subject, "Registration received") {
			t.Errorf("%s: subject %q", addr, m.Subject)
		}
	}
}
