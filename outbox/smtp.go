package outbox

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/mail"

	gomail "github.com/wneessen/go-mail"
	gosmtp "github.com/wneessen/go-mail/smtp"

	"rostrum/models"
)

// sender holds the SMTP client (github.com/wneessen/go-mail) and the one
// connection a worker reuses across the messages of its batches.
type sender struct {
	client *gomail.Client
	conn   *gosmtp.Client
	from   string
	domain string
}

func newSender(cfg Config) (*sender, error) {
	if cfg.Host == "" || cfg.Port <= 0 {
		return nil, fmt.Errorf("outbox: SMTP host and port are required")
	}
	opts := []gomail.Option{gomail.WithPort(cfg.Port), gomail.WithTimeout(cfg.Timeout)}
	switch cfg.TLS {
	case "", "none":
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	case "starttls":
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	case "tls":
		opts = append(opts, gomail.WithSSL())
	default:
		return nil, fmt.Errorf("outbox: smtp_tls must be none, starttls or tls, got %q", cfg.TLS)
	}
	if cfg.TLSConfig != nil {
		opts = append(opts, gomail.WithTLSConfig(cfg.TLSConfig))
	}
	if cfg.Username != "" {
		// Over TLS, take the strongest mechanism the server offers. In
		// the clear, only PLAIN, which go-mail sends to localhost alone:
		// a password never crosses a network unencrypted.
		auth := gomail.SMTPAuthAutoDiscover
		if cfg.TLS == "" || cfg.TLS == "none" {
			auth = gomail.SMTPAuthPlain
		}
		opts = append(opts, gomail.WithSMTPAuth(auth),
			gomail.WithUsername(cfg.Username), gomail.WithPassword(cfg.Password))
	}
	c, err := gomail.NewClient(cfg.Host, opts...)
	if err != nil {
		return nil, fmt.Errorf("outbox: SMTP client: %w", err)
	}
	probe := gomail.NewMsg()
	if err := probe.From(cfg.From); err != nil {
		return nil, fmt.Errorf("outbox: smtp_from %q: %w", cfg.From, err)
	}
	return &sender{client: c, from: cfg.From, domain: fromDomain(cfg.From)}, nil
}

// dialError is a failure to reach (or greet) the SMTP server.
type dialError struct{ err error }

func (e *dialError) Error() string { return "connect to SMTP server: " + e.err.Error() }
func (e *dialError) Unwrap() error { return e.err }

// connect opens the connection unless one is open.
func (s *sender) connect(ctx context.Context) error {
	if s.conn != nil {
		return nil
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	conn, err := s.client.DialToSMTPClientWithContext(ctx)
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return &dialError{err}
	}
	s.conn = conn
	return nil
}

// send delivers msg over the open connection (opening one when needed).
// delivered is true once the server accepted the message, even if the
// conversation broke right after.
func (s *sender) send(ctx context.Context, msg *gomail.Msg) (delivered bool, err error) {
	for try := 0; ; try++ {
		if err := s.connect(ctx); err != nil {
			return false, err
		}
		err = s.client.SendWithSMTPClient(s.conn, msg)
		if msg.IsDelivered() {
			if err != nil {
				s.drop() // accepted, but the RSET after it failed
			}
			return true, nil
		}
		if err == nil {
			return true, nil
		}
		if replyCode(err) == 0 {
			// No SMTP reply: the connection is gone or in an unknown state.
			s.drop()
			var se *gomail.SendError
			if try == 0 && errors.As(err, &se) && se.Reason == gomail.ErrConnCheck {
				// A connection kept from an earlier batch went stale
				// before this message began: reconnect, not an attempt.
				continue
			}
		}
		return false, err
	}
}

// drop closes the connection without a goodbye.
func (s *sender) drop() {
	if s.conn != nil {
		_ = s.conn.Close()
		s.conn = nil
	}
}

// close says goodbye to the server and closes the connection.
func (s *sender) close() {
	if s.conn != nil {
		if err := s.client.CloseWithSMTPClient(s.conn); err != nil {
			_ = s.conn.Close()
		}
		s.conn = nil
	}
}

// replyCode is the SMTP reply code behind err, or 0 when the server did
// not answer (connection refused, dropped, timed out).
func replyCode(err error) int {
	var se *gomail.SendError
	if errors.As(err, &se) {
		return se.ErrorCode()
	}
	return 0
}

// permanent reports whether err is a refusal that retrying cannot change:
// a 5xx reply. 4xx replies and connection failures are retried.
func permanent(err error) bool {
	c := replyCode(err)
	return c >= 500 && c <= 599
}

// compose builds the message for row.
func (w *Worker) compose(row *models.OutboxMessage, b *batch) (*gomail.Msg, error) {
	m := gomail.NewMsg(gomail.WithNoDefaultUserAgent())
	if err := m.From(w.sender.from); err != nil {
		return nil, fmt.Errorf("from: %w", err)
	}
	// The recipient goes in as a parsed address, never as text to parse:
	// AddToFormat pastes the name into "NAME" <addr> and parses that back,
	// so a name holding a quote or a trailing backslash (anyone may type
	// one at registration) stopped every mail to the address. ToAddr was
	// checked to be one bare address at Enqueue; net/mail quotes the name,
	// or encodes it as RFC 2047 words when it is not ASCII.
	m.ToMailAddress(&mail.Address{Name: row.ToName, Address: row.ToAddr})
	m.Subject(row.Subject)
	m.SetMessageIDWithValue(w.messageID(row))
	m.SetDateWithValue(w.now())
	m.SetGenHeader(gomail.Header("Auto-Submitted"), "auto-generated")
	m.SetBodyString(gomail.TypeTextPlain, row.Text)
	if row.HTML != "" {
		m.AddAlternativeString(gomail.TypeTextHTML, row.HTML)
	}
	for _, f := range b.files[row.ID] {
		data, ok := b.blobs[f.BlobSHA256]
		if !ok || data == nil {
			return nil, fmt.Errorf("attachment %q: its content %s is missing", f.Filename, f.BlobSHA256)
		}
		if err := m.AttachReader(f.Filename, bytes.NewReader(data),
			gomail.WithFileContentType(gomail.ContentType(f.ContentType))); err != nil {
			return nil, fmt.Errorf("attachment %q: %w", f.Filename, err)
		}
	}
	return m, nil
}
