package handlers_test

import (
	"bytes"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"rostrum/auth"
	"rostrum/internal/mailtest"
	"rostrum/internal/testenv"
	"rostrum/models"
)

// addParticipants records n more approved participants of meeting slug.
func addParticipants(t *testing.T, e *testenv.Env, slug string, n int) []string {
	t.Helper()
	var m models.Meeting
	if err := e.App.DB.Where("slug = ?", slug).First(&m).Error; err != nil {
		t.Fatal(err)
	}
	var out []string
	for i := 0; i < n; i++ {
		name := fmt.Sprintf("Organización %d de %s", i, slug)
		o := models.Organization{Name: name, NameKey: strings.ToLower(name), Type: "ngo", Country: "CL"}
		if err := e.App.DB.Create(&o).Error; err != nil {
			t.Fatal(err)
		}
		tok := auth.NewToken()
		email := fmt.Sprintf("p%03d@%s.example.org", i, slug)
		reg := models.Registration{MeetingID: m.ID, OrganizationID: o.ID, Name: fmt.Sprintf("Participant %d", i), Email: email,
			Status: models.StatusApproved, Token: tok, TokenHash: auth.HashToken(tok), ConsentAt: m.StartsAt}
		if err := e.App.DB.Create(&reg).Error; err != nil {
			t.Fatal(err)
		}
		out = append(out, email)
	}
	return out
}

type circulationOut struct {
	ID         uint `json:"id"`
	Total      int  `json:"total"`
	Sent       int  `json:"sent"`
	Failed     int  `json:"failed"`
	Pending    int  `json:"pending"`
	Recipients []struct {
		Address   string `json:"address"`
		Status    string `json:"status"`
		LastError string `json:"last_error"`
	} `json:"recipients"`
}

// TestCirculationReachesEveryoneExactlyOnceAcrossCrashes circulates to
// every approved participant (plus extra addresses, one a participant's
// own) while the SMTP server is killed midway and Rostrum itself is
// stopped and started again on the same database: every recipient ends
// with exactly one message, the PDF attached.
func TestCirculationReachesEveryoneExactlyOnceAcrossCrashes(t *testing.T) {
	mail := mailtest.Start(t)
	// The test is about retries after the mail server and Rostrum fail.
	e := testenv.New(t, testenv.WithSMTP(mail.Host(), mail.Port()), testenv.WithQuickMailRetries())
	r := seedRecordedMeeting(t, e, "circ", models.AttributionChathamHouse)
	want := append(append([]string{}, r.emails...), addParticipants(t, e, "circ", 37)...)
	want = append(want, "press@un.example.org")
	// A participant's name is hostile: markup and a header injection.
	hostile := "<script>alert(1)</script>\r\nBcc: evil@example.org"
	if err := e.App.DB.Model(&models.Registration{}).Where("email = ?", r.emails[2]).Update("name", hostile).Error; err != nil {
		t.Fatal(err)
	}
	admin := e.Admin()
	admin.MustJSON("POST", "/api/meetings/circ/summary", nil, 201, nil)
	admin.MustJSON("POST", "/api/meetings/circ/summary/1/approve", nil, 200, nil)

	// Kill the mail server when the 10th message arrives.
	killed := make(chan struct{})
	var once sync.Once
	mail.OnMessage(func(*mailtest.Message) {
		if mail.Count() >= 9 {
			once.Do(func() { go func() { mail.Stop(); close(killed) }() })
		}
	})
	var c circulationOut
	admin.MustJSON("POST", "/api/meetings/circ/summary/1/circulate",
		map[string]any{"extra": []string{"press@un.example.org", strings.ToUpper(r.emails[1]), "Press <PRESS@un.example.org>"}}, 202, &c)
	if c.ID == 0 || c.Total != len(want) {
		t.Fatalf("circulation %+v, want %d recipients", c, len(want))
	}
	// Asking again never sends twice.
	admin.MustJSON("POST", "/api/meetings/circ/summary/1/circulate", map[string]any{"extra": []string{}}, 409, nil)

	select {
	case <-killed:
	case <-time.After(60 * time.Second):
		t.Fatal("the mail server was never reached")
	}
	// Rostrum goes down too, and comes back on the same database.
	e.Stop()
	mail.OnMessage(nil)
	mail.Restart()
	e2 := testenv.Start(t, e.Config)
	admin = e2.Admin()

	mail.WaitFor(len(want), 90*time.Second)
	deadline := time.Now().Add(60 * time.Second)
	for {
		admin.MustJSON("GET", fmt.Sprintf("/api/meetings/circ/circulations/%d", c.ID), nil, 200, &c)
		if c.Pending == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("circulation still pending: %+v", c)
		}
		time.Sleep(50 * time.Millisecond) // polling the progress endpoint, as the desk does
	}
	if c.Sent != len(want) || c.Failed != 0 || len(c.Recipients) != len(want) {
		t.Fatalf("progress %+v", c)
	}
	// The mail server dies at an arbitrary moment: if it had taken the
	// message in flight but its 250 reply was lost, the outbox sends that
	// one message again, with the same Message-ID (SMTP's duplicate window,
	// RFC 1047). Receivers that drop repeated Message-IDs show it once; so
	// the rule is one Message-ID per recipient, and at most that one copy.
	dups := mail.Duplicates()
	if len(dups) > 1 {
		t.Fatalf("%d duplicate messages; at most the one in flight at the crash may repeat", len(dups))
	}
	if got := mail.Count(); got != len(want)+len(dups) {
		t.Fatalf("%d messages delivered (%d repeated Message-IDs), want %d", got, len(dups), len(want))
	}
	for _, addr := range want {
		msgs := mail.To(addr)
		ids := map[string]bool{}
		for _, m := range msgs {
			ids[m.MessageID] = true
		}
		if len(ids) != 1 {
			t.Fatalf("%s received %d distinct messages, want 1", addr, len(ids))
		}
		m := msgs[0]
		if !strings.HasPrefix(m.Subject, "Chair's Summary: ") || !strings.Contains(m.Text, "/m/circ/summary") {
			t.Fatalf("message to %s: subject %q text %q", addr, m.Subject, m.Text)
		}
		if len(m.Attachments) != 1 || m.Attachments[0].Filename != "circ-chairs-summary-v1.pdf" ||
			m.Attachments[0].ContentType != "application/pdf" || !bytes.HasPrefix(m.Attachments[0].Data, []byte("%PDF-")) {
			t.Fatalf("message to %s lacks the PDF: %+v", addr, m.Attachments)
		}
	}
	if got := mail.To("evil@example.org"); len(got) != 0 {
		t.Fatal("a name injected a recipient")
	}
	m := mail.To(r.emails[2])[0]
	if strings.Contains(m.HTML, "<script>") || !strings.Contains(m.HTML, "&lt;script&gt;") || m.Header.Get("Bcc") != "" {
		t.Fatalf("hostile name not neutralised: header %v html %q", m.Header, m.HTML)
	}
	var v versionOut
	admin.MustJSON("GET", "/api/meetings/circ/summary/1", nil, 200, &v)
	if v.State != "circulated" || v.CirculationID != c.ID {
		t.Fatalf("version %+v", v)
	}
}

func TestFailedRecipientsCanBeResent(t *testing.T) {
	mail := mailtest.Start(t)
	e := testenv.New(t, testenv.WithSMTP(mail.Host(), mail.Port()))
	seedRecordedMeeting(t, e, "rs", models.AttributionChathamHouse)
	admin := e.Admin()
	admin.MustJSON("POST", "/api/meetings/rs/summary", nil, 201, nil)
	admin.MustJSON("POST", "/api/meetings/rs/summary/1/approve", nil, 200, nil)
	// The first message is refused for good (550): it fails at once.
	mail.FailNext(1, 550)
	var c circulationOut
	admin.MustJSON("POST", "/api/meetings/rs/summary/1/circulate", nil, 202, &c)
	deadline := time.Now().Add(60 * time.Second)
	for c.Pending > 0 || c.Failed == 0 {
		if time.Now().After(deadline) {
			t.Fatalf("progress %+v", c)
		}
		time.Sleep(50 * time.Millisecond)
		admin.MustJSON("GET", fmt.Sprintf("/api/meetings/rs/circulations/%d", c.ID), nil, 200, &c)
	}
	if c.Failed != 1 || c.Sent != c.Total-1 {
		t.Fatalf("progress %+v", c)
	}
	var failed string
	for _, rc := range c.Recipients {
		if rc.Status == models.OutboxFailed {
			failed = rc.Address
			if !strings.Contains(rc.LastError, "550") {
				t.Errorf("last error %q", rc.LastError)
			}
		}
	}
	admin.MustJSON("POST", fmt.Sprintf("/api/meetings/rs/circulations/%d/resend", c.ID), nil, 200, &c)
	mail.WaitTo(failed, 1, 30*time.Second)
	for c.Pending > 0 {
		time.Sleep(50 * time.Millisecond)
		admin.MustJSON("GET", fmt.Sprintf("/api/meetings/rs/circulations/%d", c.ID), nil, 200, &c)
	}
	if c.Sent != c.Total || mail.Count() != c.Total {
		t.Fatalf("after resend %+v, %d delivered", c, mail.Count())
	}
}
