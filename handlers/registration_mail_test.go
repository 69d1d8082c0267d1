package handlers_test

import (
	"strings"
	"testing"
	"time"

	"rostrum/internal/mailtest"
	"rostrum/internal/testenv"
)

// TestRegistrationMailIsDeliveredWithTheManageLinkOnceOnly follows the mail of a
// registration, a decision and the promotion it causes to a real SMTP
// server.
func TestRegistrationMailIsDeliveredWithTheManageLinkOnceOnly(t *testing.T) {
	srv := mailtest.Start(t)
	e := testenv.New(t, testenv.WithSMTP(srv.Host(), srv.Port()))
	registrationMeeting(t, e, "m", 1, 0)
	ana := mustRegister(t, e, "m", testenv.RegistrationBody("A", "<b>Ana</b> Souza", "ana@example.org"))
	bo := mustRegister(t, e, "m", testenv.RegistrationBody("B", "Bo", "bo@example.org"))
	got := srv.WaitTo("ana@example.org", 1, 10*time.Second)[0]
	if !strings.HasPrefix(got.Subject, "Registration received") || !strings.Contains(got.Text, ana.ManageURL) ||
		!strings.Contains(got.HTML, `href="`+ana.ManageURL+`"`) || !strings.Contains(got.HTML, "&lt;b&gt;Ana&lt;/b&gt;") ||
		strings.Contains(got.HTML, "<b>Ana") {
		t.Fatalf("confirmation: %q\n%s\n%s", got.Subject, got.Text, got.HTML)
	}
	if w := srv.WaitTo("bo@example.org", 1, 10*time.Second)[0]; !strings.HasPrefix(w.Subject, "On the waiting list") || !strings.Contains(w.Text, bo.ManageURL) {
		t.Fatalf("waitlisted confirmation: %q", w.Subject)
	}
	// Rejecting Ana frees the seat: Ana hears of the decision, Bo of the
	// promotion, each told where to ask for a new link: only the
	// confirmation carries the private link, as only its hash is stored.
	decide(e.Admin(), ana.ID, "reject", 200)
	lost := e.Config.PublicURL() + "/m/m/link"
	if d := srv.WaitTo("ana@example.org", 2, 10*time.Second)[1]; !strings.HasPrefix(d.Subject, "Registration not approved") ||
		!strings.Contains(d.Text, "Reason given by the secretariat: r") || strings.Contains(d.Text, ana.ManageURL) || !strings.Contains(d.Text, lost) {
		t.Fatalf("decision: %q\n%s", d.Subject, d.Text)
	}
	if p := srv.WaitTo("bo@example.org", 2, 10*time.Second)[1]; !strings.HasPrefix(p.Subject, "A seat is free") || strings.Contains(p.Text, bo.ManageURL) || !strings.Contains(p.Text, lost) {
		t.Fatalf("promotion: %q\n%s", p.Subject, p.Text)
	}
	// The approval, and only it, links the meeting's calendar; its dates
	// name the meeting's zone.
	decide(e.Admin(), bo.ID, "approve", 200)
	cal := e.Config.PublicURL() + "/m/m/calendar.ics"
	if a := srv.WaitTo("bo@example.org", 3, 10*time.Second)[2]; !strings.Contains(a.Text, cal) || !strings.Contains(a.HTML, `href="`+cal+`"`) {
		t.Fatalf("approval without the calendar: %q\n%s", a.Subject, a.Text)
	}
	if d := srv.WaitTo("ana@example.org", 2, 10*time.Second)[1]; strings.Contains(d.Text, cal) {
		t.Fatalf("a refusal links the calendar:\n%s", d.Text)
	}
}

// TestRegistrationSucceedsWhileTheMailServerIsDown registers while SMTP is
// down; the confirmation goes out when it is back.
func TestRegistrationSucceedsWhileTheMailServerIsDown(t *testing.T) {
	srv := mailtest.Start(t)
	srv.Stop()
	e := testenv.New(t, testenv.WithSMTP(srv.Host(), srv.Port()), testenv.WithQuickMailRetries())
	registrationMeeting(t, e, "m", 0, 0)
	r := mustRegister(t, e, "m", testenv.RegistrationBody("A", "Ana", "ana@example.org"))
	srv.Restart()
	msgs := srv.WaitTo("ana@example.org", 1, 20*time.Second)
	if !strings.Contains(msgs[0].Text, r.ManageURL) {
		t.Fatalf("%s", msgs[0].Text)
	}
	if n := len(srv.To("ana@example.org")); n != 1 {
		t.Fatalf("%d confirmations delivered", n)
	}
}
