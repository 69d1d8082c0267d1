package mailtest_test

import (
	"net/smtp"
	"strings"
	"testing"
	"time"

	"rostrum/internal/mailtest"
)

const raw = "From: a@example.org\r\nTo: b@example.org\r\nSubject: =?UTF-8?q?Gr=C3=BC=C3=9Fe?=\r\nMessage-ID: <x1@example.org>\r\n" +
	"MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=B\r\n\r\n" +
	"--B\r\nContent-Type: multipart/alternative; boundary=A\r\n\r\n" +
	"--A\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\nHall=C3=B6chen\r\n" +
	"--A\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>Hi</p>\r\n--A--\r\n" +
	"--B\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; filename=\"s.pdf\"\r\nContent-Transfer-Encoding: base64\r\n\r\nJVBERi0x\r\nLjc=\r\n--B--\r\n"

func send(srv *mailtest.Server) error {
	return smtp.SendMail(srv.Addr(), nil, "a@example.org", []string{"b@example.org"}, []byte(raw))
}

func TestServerParsesWhatItReceives(t *testing.T) {
	srv := mailtest.Start(t)
	if err := send(srv); err != nil {
		t.Fatal(err)
	}
	m := srv.WaitFor(1, 5*time.Second)[0]
	if m.From != "a@example.org" || m.To[0] != "b@example.org" || m.Subject != "Grüße" || m.MessageID != "<x1@example.org>" {
		t.Fatalf("envelope/headers: %q %q %q %q", m.From, m.To, m.Subject, m.MessageID)
	}
	if m.Text != "Hallöchen" || m.HTML != "<p>Hi</p>" {
		t.Fatalf("bodies %q %q", m.Text, m.HTML)
	}
	if len(m.Attachments) != 1 || m.Attachments[0].Filename != "s.pdf" || string(m.Attachments[0].Data) != "%PDF-1.7" {
		t.Fatalf("attachments %+v", m.Attachments)
	}
	if len(srv.To("B@example.org")) != 1 || len(srv.To("c@example.org")) != 0 {
		t.Fatal("To does not filter by recipient")
	}
}

func TestStopAndRestartKeepThePort(t *testing.T) {
	srv := mailtest.Start(t)
	port := srv.Port()
	srv.Stop()
	if err := send(srv); err == nil {
		t.Fatal("a stopped server accepted mail")
	}
	srv.Restart()
	if srv.Port() != port {
		t.Fatalf("port %d after restart, want %d", srv.Port(), port)
	}
	if err := send(srv); err != nil {
		t.Fatal(err)
	}
	srv.WaitFor(1, 5*time.Second)
}

func TestFailNextRefusesThenAccepts(t *testing.T) {
	srv := mailtest.Start(t)
	srv.FailNext(1, 451)
	srv.FailNext(1, 554)
	if err := send(srv); err == nil || !strings.HasPrefix(err.Error(), "451") {
		t.Fatalf("first: %v, want 451", err)
	}
	if err := send(srv); err == nil || !strings.HasPrefix(err.Error(), "554") {
		t.Fatalf("second: %v, want 554", err)
	}
	if err := send(srv); err != nil {
		t.Fatal(err)
	}
	if srv.Count() != 1 {
		t.Fatalf("%d recorded, want only the accepted one", srv.Count())
	}
}
